//! The data the machine takes in and hands out: sync changes, outgoing requests with the exact JSON
//! body of their client-server endpoint, devices, and decrypted events. Plain data, serialisable,
//! with no vodozemac types in it, so the transport and the IPC layer can pass it on as it is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The Olm algorithm: to-device messages between two devices.
pub const OLM_ALGORITHM: &str = "m.olm.v1.curve25519-aes-sha2";
/// The Megolm algorithm: room messages.
pub const MEGOLM_ALGORITHM: &str = "m.megolm.v1.aes-sha2";
/// The one-time and fallback key algorithm we publish.
pub const SIGNED_CURVE25519: &str = "signed_curve25519";

pub type UserId = String;
pub type DeviceId = String;

/// What one `/sync` response brought that concerns encryption. `next_batch` is saved in the same
/// transaction as what the to-device events changed, so a crash never replays or loses them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncChanges {
    /// `to_device.events`, as they came.
    pub to_device_events: Vec<Value>,
    /// `device_lists.changed`.
    pub changed_devices: Vec<UserId>,
    /// `device_lists.left`.
    pub left_devices: Vec<UserId>,
    /// `device_one_time_keys_count`.
    pub one_time_key_counts: BTreeMap<String, u64>,
    /// `device_unused_fallback_key_types`; `None` when the server does not send it (it then does
    /// not support fallback keys, and we never rotate ours).
    pub unused_fallback_key_types: Option<Vec<String>>,
    pub next_batch: String,
}

/// A request the transport sends for the machine, then acknowledges with
/// [`crate::Machine::mark_request_as_sent`] and the endpoint's JSON response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutgoingRequest {
    pub request_id: String,
    pub request: Request,
}

/// One client-server API call. [`Request::endpoint`] names the path, [`Request::body`] is the
/// exact JSON body; the transport is a thin mapping of the two onto HTTP.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// `POST /_matrix/client/v3/keys/upload`; the body has `device_keys`, `one_time_keys` and
    /// `fallback_keys` as needed.
    KeysUpload { body: Value },
    /// `POST /_matrix/client/v3/keys/query` for every device of these users.
    KeysQuery { users: Vec<UserId> },
    /// `POST /_matrix/client/v3/keys/claim`: one key of `algorithm` for each device.
    KeysClaim { one_time_keys: BTreeMap<UserId, BTreeMap<DeviceId, String>> },
    /// `PUT /_matrix/client/v3/sendToDevice/{event_type}/{txn_id}`.
    ToDevice { event_type: String, txn_id: String, messages: BTreeMap<UserId, BTreeMap<DeviceId, Value>> },
}

impl Request {
    /// The endpoint's method and path (path parameters filled in, not yet percent-encoded).
    pub fn endpoint(&self) -> (&'static str, String) {
        match self {
            Request::KeysUpload { .. } => ("POST", "/_matrix/client/v3/keys/upload".to_owned()),
            Request::KeysQuery { .. } => ("POST", "/_matrix/client/v3/keys/query".to_owned()),
            Request::KeysClaim { .. } => ("POST", "/_matrix/client/v3/keys/claim".to_owned()),
            Request::ToDevice { event_type, txn_id, .. } => {
                ("PUT", format!("/_matrix/client/v3/sendToDevice/{event_type}/{txn_id}"))
            }
        }
    }

    /// The JSON body of the request.
    pub fn body(&self) -> Value {
        match self {
            Request::KeysUpload { body } => body.clone(),
            Request::KeysQuery { users } => {
                let device_keys: serde_json::Map<String, Value> =
                    users.iter().map(|user| (user.clone(), json!([]))).collect();
                json!({ "device_keys": device_keys, "timeout": 10_000 })
            }
            Request::KeysClaim { one_time_keys } => {
                json!({ "one_time_keys": one_time_keys, "timeout": 10_000 })
            }
            Request::ToDevice { messages, .. } => json!({ "messages": messages }),
        }
    }
}

/// A device of some user, as its signed device keys describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub user_id: UserId,
    pub device_id: DeviceId,
    pub ed25519: String,
    pub curve25519: String,
    pub algorithms: Vec<String>,
    pub display_name: Option<String>,
    /// When this machine first saw the device (milliseconds, the caller's clock).
    pub first_seen_ms: u64,
    /// The device appeared after we already knew this user's devices: the UI warns "new device"
    /// until [`crate::Machine::acknowledge_device`] clears it.
    pub is_new: bool,
    /// The person compared short authentication strings with this device and they matched
    /// ([`crate::Machine::confirm_verification`]). Absent in devices stored before verification
    /// existed, hence the default.
    #[serde(default)]
    pub verified: bool,
}

/// The outcome of one to-device event of a sync.
#[derive(Debug)]
pub enum ToDeviceResult {
    /// An Olm-encrypted event, decrypted and checked. Room keys (`m.room_key`) and `m.dummy` are
    /// handled by the machine and reported here too, for the record.
    Decrypted(DecryptedToDevice),
    /// An event that was not encrypted (e.g. `m.key.verification.*`), as it came.
    PlainText(Value),
    /// An encrypted event that could not be used, and why.
    Failed { sender: UserId, error: crate::Error },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecryptedToDevice {
    pub sender: UserId,
    pub sender_key: String,
    /// The device the sender key belongs to, when we know it.
    pub sender_device: Option<DeviceId>,
    pub event_type: String,
    pub content: Value,
}

/// A decrypted room event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decrypted {
    pub sender: UserId,
    /// The device whose curve25519 key matches the room key's sender key, when we know it.
    pub sender_device: Option<DeviceId>,
    pub event_type: String,
    pub content: Value,
    pub encryption_info: EncryptionInfo,
}

/// How a room event was encrypted, for the UI's shields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncryptionInfo {
    pub algorithm: String,
    pub session_id: String,
    pub message_index: u32,
    pub sender_curve25519_key: String,
    /// The ed25519 key the room key's sender claimed when it shared the key.
    pub claimed_ed25519_key: String,
    /// The sender device is known, belongs to the event's sender, and its keys match the ones the
    /// room key came with.
    pub sender_device_known: bool,
}

/// Rotation settings of a room, from its `m.room.encryption` state event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSettings {
    pub rotation_period_ms: u64,
    pub rotation_period_messages: u64,
}

impl Default for RoomSettings {
    fn default() -> Self {
        // The spec's defaults: a week, or 100 messages.
        Self { rotation_period_ms: 7 * 24 * 60 * 60 * 1000, rotation_period_messages: 100 }
    }
}

impl RoomSettings {
    /// Reads `rotation_period_ms` and `rotation_period_msgs` of an `m.room.encryption` content,
    /// falling back to the defaults for what is missing or not a positive integer.
    pub fn from_encryption_event(content: &Value) -> Self {
        let defaults = Self::default();
        let positive = |key: &str| content.get(key).and_then(Value::as_u64).filter(|value| *value > 0);
        Self {
            rotation_period_ms: positive("rotation_period_ms").unwrap_or(defaults.rotation_period_ms),
            rotation_period_messages: positive("rotation_period_msgs")
                .unwrap_or(defaults.rotation_period_messages),
        }
    }
}
