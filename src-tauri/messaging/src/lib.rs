//! `commonplace-messaging`: end-to-end encryption for Commonplace's Matrix messaging, on vodozemac.
//!
//! The heart is [`Machine`], a sans-I/O state machine in the shape of matrix-sdk-crypto's
//! `OlmMachine`: sync results go in ([`Machine::receive_sync_changes`]), requests come out
//! ([`Machine::outgoing_requests`], each an [`OutgoingRequest`] whose [`Request`] carries the exact
//! JSON body of its client-server endpoint) and responses go back
//! ([`Machine::mark_request_as_sent`]). Around it: [`canonical_json`] (Matrix canonical JSON and
//! signatures), [`store`] (the [`CryptoStore`] trait, [`MemoryStore`], [`SqliteStore`]),
//! [`PickleKey`] (the key that encrypts every stored secret) and [`attachment`] (encrypted files).
//! Beside the machine: [`Timeline`] (an account's rooms, members and decrypted events in SQLite,
//! with local search and the outbox of messages to send) and [`content`] (message contents, such
//! as Markdown rendered to sanitised HTML), and [`sealed`] (small secrets kept outside the store,
//! such as the access token, sealed under the pickle key). [`verification`] holds the public side
//! of interactive device verification (emoji / decimal SAS), which the machine runs.
//!
//! What this crate deliberately is not: it does no HTTP and no async I/O — the transport crate
//! drives it — and it knows nothing of rooms beyond the ids, members and settings it is given (the timeline stores what
//! the transport tells it about rooms; the machine never reads it).

// Crypto code: a panic could leave keys half-saved, so it must not unwrap or panic outside tests
// (the workspace lints cannot be extended per crate, hence the attribute here).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod attachment;
pub mod canonical_json;
pub mod content;
mod error;
mod machine;
pub mod passphrase;
mod pickle_key;
pub mod sealed;
pub mod store;
pub mod timeline;
mod types;
pub mod verification;

pub use attachment::{EncryptedFile, decrypt_attachment, encrypt_attachment};
pub use error::{Error, Result};
pub use machine::Machine;
pub use machine::keys::verify_device_keys;
pub use pickle_key::{PASSPHRASE_ITERATIONS, PICKLE_KEY_VARIABLE, PickleKey};
pub use store::{Changes, CryptoStore, MemoryStore, SqliteStore};
pub use timeline::{
    Member, Membership, OutboxEntry, RoomSummary, RoomUpdate, SyncBatch, Timeline, TimelineEvent,
};
pub use types::*;
pub use verification::{CancelCode, Emoji, ShortAuthString, Verification, VerificationState};
