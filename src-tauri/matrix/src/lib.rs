//! The Matrix transport: an async client for the client-server API over reqwest, and the only
//! crate in Commonplace that talks HTTP to homeservers (instances).
//!
//! It covers what the app needs of the spec's v3 API and of v1 authenticated media: server
//! discovery ([`discover`]), versions, password login, whoami, logout ([`Client`] in `account`);
//! [`Client::sync`] with a typed but lenient [`SyncResponse`]; rooms — create ([`CreateRoomRequest`],
//! direct and encrypted rooms), invite, join, leave, members, message and state events with
//! caller-chosen transaction ids, `/messages` paging; account data (`m.direct`); the E2EE
//! endpoints (`/keys/*`, `/sendToDevice`) as JSON pass-through; media upload and a streamed,
//! size-limited download ([`ContentUri`]). [`Backoff`] says how long to wait before a retry, and
//! [`SyncLoop`] keeps syncing in the background with it.
//!
//! [`Account`] (in `runtime`) is the small loop around the sans-I/O E2EE machine of
//! `commonplace-messaging`: one identity on this device with its own folder, its machine and its
//! timeline; it syncs, decrypts into the timeline, answers the machine's requests, opens direct
//! messages, and sends text and files through an outbox that delivers in order and exactly once.
//!
//! What it deliberately is not: it does no cryptography (the sans-I/O machine in
//! `commonplace-messaging` builds key and to-device bodies and reads events; this crate carries
//! them), the [`Client`] keeps no state beyond the session (the
//! [`Account`] keeps its state in the messaging crate's stores), and a request never retries by itself — callers decide,
//! with [`Error::is_transient`] and [`Backoff`] (only [`SyncLoop`] retries, and says so).
//!
//! Errors ([`Error`]) name the endpoint template, the HTTP status and the Matrix `errcode`. Access
//! tokens and passwords are [`Secret`]s, whose `Debug` is redacted; none is ever logged.

mod account;
mod backoff;
mod client;
mod discovery;
mod error;
#[cfg(feature = "ipc")]
pub mod ipc;
mod keys;
mod media;
mod messenger;
mod notifications;
mod rooms;
mod runtime;
mod session;
mod sync;
mod sync_loop;

pub use account::{LoginRequest, Versions, WhoAmI};
pub use backoff::Backoff;
pub use client::Client;
pub use discovery::{Discovery, discover};
pub use error::{Endpoint, Error, Result};
pub use media::{ContentUri, DownloadedMedia};
pub use messenger::{AccountStatus, ConnectionState, Listener, LockState, Messenger, Notification};
pub use notifications::{NOTIFICATIONS_FILE, NotificationSettings, NotifyLevel};
pub use rooms::{
    CreateRoomRequest, Direction, JoinedMember, MEGOLM_ALGORITHM, MessagesRequest, MessagesResponse,
    RoomPreset, RoomVisibility, StateEventContent,
};
pub use runtime::{
    ACCOUNTS_FILE, ATTACHMENT_LIMIT, Account, AccountEntry, FlushReport, Reader, SendOutcome, StoredSession,
    SyncReport, account_folder_name, attachment_bytes, download_event_attachment, find_account,
    list_accounts, remove_account, sign_out,
};
pub use session::{Secret, Session};
pub use sync::{
    DeviceLists, Events, InvitedRoom, JoinedRoom, LeftRoom, Rooms, SyncRequest, SyncResponse, Timeline,
    timeline_limit_filter,
};
pub use sync_loop::{SyncEvent, SyncLoop, SyncLoopOptions};
