//! The crypto store: where the machine's state lives between runs. [`CryptoStore`] is a small
//! trait of loads and one batched write, [`CryptoStore::save_changes`], which a store applies
//! atomically (one SQLite transaction). Two implementations share one conformance suite
//! (`conformance.rs`): [`MemoryStore`] for tests and [`SqliteStore`] for the app.
//!
//! Stores never see the pickle key. Every secret — the account, Olm sessions, inbound and outbound
//! group sessions — reaches them as a vodozemac pickle the machine has already encrypted, so a
//! store holds nothing that could decrypt it. What stores keep in the clear is public or metadata:
//! device keys, tracked users, hashes of processed messages, which event used which Megolm index,
//! and the sync token.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::types::{DeviceId, DeviceInfo, RoomSettings, UserId};

// Before the stores: a `macro_rules!` macro is visible only to modules declared after it.
#[cfg(test)]
#[macro_use]
mod conformance;
mod memory;
pub(crate) mod sqlite;

pub use memory::MemoryStore;
pub use sqlite::SqliteStore;

/// The Olm account: its encrypted pickle and whether its device keys have been uploaded.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub user_id: UserId,
    pub device_id: DeviceId,
    pub pickle: String,
    pub shared: bool,
}

/// An Olm session with another device, found by that device's curve25519 key.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub session_id: String,
    pub sender_key: String,
    pub pickle: String,
    pub created_ms: u64,
    /// Creation order: the newest session is the one we encrypt with.
    pub sequence: u64,
}

/// A Megolm session we decrypt with, and who gave it to us.
#[derive(Clone, PartialEq, Eq)]
pub struct InboundGroupSessionRecord {
    pub room_id: String,
    pub session_id: String,
    /// The curve25519 key of the Olm session that delivered the room key.
    pub sender_key: String,
    /// The ed25519 key the sender claimed in that Olm message.
    pub claimed_ed25519_key: String,
    pub pickle: String,
}

/// The Megolm session we encrypt a room's messages with.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboundGroupSessionRecord {
    pub room_id: String,
    pub session_id: String,
    pub pickle: String,
    pub state: OutboundState,
}

/// Everything about an outbound group session that is not secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundState {
    pub created_ms: u64,
    pub message_count: u64,
    pub settings: RoomSettings,
    /// The members the key was last shared for; one missing from a later share rotates the key.
    pub members: Vec<UserId>,
    /// Devices that received the key, with the message index they received it at.
    pub shared_with: BTreeMap<UserId, BTreeMap<DeviceId, u32>>,
    /// Set when a device it was shared with disappeared: the next share rotates.
    pub invalidated: bool,
}

/// A user whose devices we keep track of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedUser {
    pub user_id: UserId,
    /// Their device list changed (or was never fetched) and must be queried again.
    pub dirty: bool,
    /// Their devices were fetched at least once, so a device seen later is a new one.
    pub queried: bool,
}

/// Which event used a Megolm message index: the same index under another event id is a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomEventIndex {
    pub session_id: String,
    pub message_index: u32,
    pub event_id: String,
}

/// One batch of changes, written atomically.
#[derive(Default)]
pub struct Changes {
    pub account: Option<AccountRecord>,
    pub sessions: Vec<SessionRecord>,
    pub inbound_group_sessions: Vec<InboundGroupSessionRecord>,
    pub outbound_group_sessions: Vec<OutboundGroupSessionRecord>,
    pub devices: Vec<DeviceInfo>,
    pub deleted_devices: Vec<(UserId, DeviceId)>,
    pub tracked_users: Vec<TrackedUser>,
    pub untracked_users: Vec<UserId>,
    /// SHA-256 hashes (hex) of Olm messages already decrypted, so a replay is recognised.
    pub processed_messages: Vec<String>,
    pub room_event_indices: Vec<RoomEventIndex>,
    pub sync_token: Option<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.account.is_none()
            && self.sessions.is_empty()
            && self.inbound_group_sessions.is_empty()
            && self.outbound_group_sessions.is_empty()
            && self.devices.is_empty()
            && self.deleted_devices.is_empty()
            && self.tracked_users.is_empty()
            && self.untracked_users.is_empty()
            && self.processed_messages.is_empty()
            && self.room_event_indices.is_empty()
            && self.sync_token.is_none()
    }
}

/// Where the machine keeps its state. Loads happen when a machine opens (and for the two lookups
/// that can grow without bound, on demand); writes happen in batches.
pub trait CryptoStore: Send {
    fn load_account(&self) -> Result<Option<AccountRecord>>;
    fn load_sessions(&self) -> Result<Vec<SessionRecord>>;
    fn load_inbound_group_sessions(&self) -> Result<Vec<InboundGroupSessionRecord>>;
    fn load_outbound_group_sessions(&self) -> Result<Vec<OutboundGroupSessionRecord>>;
    fn load_devices(&self) -> Result<Vec<DeviceInfo>>;
    fn load_tracked_users(&self) -> Result<Vec<TrackedUser>>;
    fn load_sync_token(&self) -> Result<Option<String>>;
    /// Whether an Olm message with this hash was already processed.
    fn is_message_processed(&self, hash: &str) -> Result<bool>;
    /// The event that first used `message_index` of `session_id`, if any.
    fn room_event_index(&self, session_id: &str, message_index: u32) -> Result<Option<String>>;
    /// Applies every change at once, or none of them.
    fn save_changes(&mut self, changes: Changes) -> Result<()>;
}

// Secrets must not reach logs through a derived Debug: these print ids, never pickles.
macro_rules! redacted_debug {
    ($type:ty, $($field:ident),*) => {
        impl std::fmt::Debug for $type {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter
                    .debug_struct(stringify!($type))
                    $(.field(stringify!($field), &self.$field))*
                    .field("pickle", &"<redacted>")
                    .finish()
            }
        }
    };
}
redacted_debug!(AccountRecord, user_id, device_id, shared);
redacted_debug!(SessionRecord, session_id, sender_key, created_ms, sequence);
redacted_debug!(InboundGroupSessionRecord, room_id, session_id, sender_key, claimed_ed25519_key);
redacted_debug!(OutboundGroupSessionRecord, room_id, session_id, state);
