//! `GET /sync`: the long poll that brings everything new.
//!
//! The response is typed where the transport and the app find their way through it (rooms by
//! membership, timelines with `limited` and `prev_batch`, the encryption fields) and lenient
//! everywhere: every field has a default, and events stay raw [`serde_json::Value`]s, so the
//! E2EE machine reads them as they came and a homeserver's extra fields are never an error.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use crate::{Client, Result};

/// How much longer than the long poll itself a sync request may take before it counts as hung.
const SYNC_GRACE: Duration = Duration::from_secs(30);

/// The parameters of one sync.
#[derive(Debug, Clone, Default)]
pub struct SyncRequest {
    /// `next_batch` of the previous sync; `None` for an initial sync.
    pub since: Option<String>,
    /// How long the homeserver may hold the request open waiting for news.
    pub timeout: Duration,
    /// A filter id, or a filter as JSON text (see [`timeline_limit_filter`]).
    pub filter: Option<String>,
    pub full_state: bool,
    /// `online`, `offline` or `unavailable`.
    pub set_presence: Option<String>,
}

/// An inline filter that limits each room's timeline to `limit` events, so a sync stays small and
/// older events are fetched with [`Client::messages`].
pub fn timeline_limit_filter(limit: u32) -> String {
    serde_json::json!({ "room": { "timeline": { "limit": limit } } }).to_string()
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SyncResponse {
    pub next_batch: String,
    pub rooms: Rooms,
    pub account_data: Events,
    pub presence: Events,
    pub to_device: Events,
    pub device_lists: DeviceLists,
    /// How many one-time keys of each algorithm the homeserver still holds for this device.
    pub device_one_time_keys_count: BTreeMap<String, u64>,
    /// `None` when the homeserver did not say (then the fallback key state is unknown), `Some`
    /// with the algorithms whose fallback key is still unused otherwise.
    #[serde(default, deserialize_with = "present_or_null")]
    pub device_unused_fallback_key_types: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Rooms {
    pub join: BTreeMap<String, JoinedRoom>,
    pub invite: BTreeMap<String, InvitedRoom>,
    pub leave: BTreeMap<String, LeftRoom>,
    pub knock: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct JoinedRoom {
    pub timeline: Timeline,
    pub state: Events,
    pub account_data: Events,
    pub ephemeral: Events,
    pub summary: Value,
    pub unread_notifications: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct InvitedRoom {
    /// Stripped state events that describe the room and who invited us.
    pub invite_state: Events,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LeftRoom {
    pub timeline: Timeline,
    pub state: Events,
    pub account_data: Events,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Timeline {
    pub events: Vec<Value>,
    /// More events happened than were returned: page back from `prev_batch` with `/messages`.
    pub limited: bool,
    pub prev_batch: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Events {
    pub events: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DeviceLists {
    /// Users whose devices changed: their keys must be queried again.
    pub changed: Vec<String>,
    /// Users who no longer share an encrypted room with us.
    pub left: Vec<String>,
}

/// Keeps "absent" (`None`) apart from "present" (`Some`, even when null means an empty list).
fn present_or_null<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    Ok(Some(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default()))
}

impl Client {
    /// `GET /sync`.
    pub async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse> {
        const ENDPOINT: &str = "GET /sync";
        let mut url = self.url(&["_matrix", "client", "v3", "sync"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("timeout", &request.timeout.as_millis().to_string());
            if let Some(since) = &request.since {
                query.append_pair("since", since);
            }
            if let Some(filter) = &request.filter {
                query.append_pair("filter", filter);
            }
            if request.full_state {
                query.append_pair("full_state", "true");
            }
            if let Some(presence) = &request.set_presence {
                query.append_pair("set_presence", presence);
            }
        }
        let http_request =
            self.request(Method::GET, url, ENDPOINT, true)?.timeout(request.timeout + SYNC_GRACE);
        self.send_json(ENDPOINT, http_request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_sync_response_reads_with_defaults() {
        let response: SyncResponse = serde_json::from_str(r#"{"next_batch": "s1"}"#).unwrap();
        assert_eq!(response.next_batch, "s1");
        assert!(response.rooms.join.is_empty());
        assert_eq!(response.device_unused_fallback_key_types, None);
    }

    #[test]
    fn the_encryption_fields_and_unknown_extras_are_read() {
        let response: SyncResponse = serde_json::from_value(serde_json::json!({
            "next_batch": "s2",
            "org.example.extra": {"ignored": true},
            "to_device": {"events": [{"type": "m.room.encrypted", "sender": "@b:x", "content": {}}]},
            "device_lists": {"changed": ["@b:x"]},
            "device_one_time_keys_count": {"signed_curve25519": 49},
            "device_unused_fallback_key_types": ["signed_curve25519"],
            "rooms": {
                "join": {"!r:x": {"timeline": {"events": [{"type": "m.room.message"}], "limited": true, "prev_batch": "p1"}}},
                "invite": {"!i:x": {"invite_state": {"events": [{"type": "m.room.member"}]}}},
                "leave": {"!l:x": {}}
            }
        }))
        .unwrap();
        assert_eq!(response.to_device.events.len(), 1);
        assert_eq!(response.device_lists.changed, ["@b:x"]);
        assert_eq!(response.device_one_time_keys_count["signed_curve25519"], 49);
        assert_eq!(
            response.device_unused_fallback_key_types.as_deref(),
            Some(&["signed_curve25519".to_owned()][..])
        );
        let timeline = &response.rooms.join["!r:x"].timeline;
        assert!(timeline.limited);
        assert_eq!(timeline.prev_batch.as_deref(), Some("p1"));
        assert_eq!(response.rooms.invite["!i:x"].invite_state.events.len(), 1);
        assert!(response.rooms.leave.contains_key("!l:x"));
    }
}
