//! Rooms: create (direct messages and encrypted rooms included), invite, join, leave, members,
//! sending message and state events, reading state, and paging back through `/messages`.
//!
//! Sending takes a transaction id from the caller. The homeserver answers a repeated transaction
//! id with the first event's id instead of sending again, so a caller that keeps the id with its
//! outgoing message can retry after any failure and the message still arrives exactly once.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{Client, Error, Result};

/// The room algorithm of DESIGN §7.
pub const MEGOLM_ALGORITHM: &str = "m.megolm.v1.aes-sha2";

/// The body of `POST /createRoom`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreateRoomRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<RoomPreset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<RoomVisibility>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invite: Vec<String>,
    /// Marks the invites as a direct chat (the invitee's client then adds it to `m.direct`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_direct: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub initial_state: Vec<StateEventContent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_content: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_level_content_override: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomPreset {
    PrivateChat,
    TrustedPrivateChat,
    PublicChat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomVisibility {
    Public,
    Private,
}

/// A state event to put into a new room.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateEventContent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub state_key: String,
    pub content: Value,
}

impl StateEventContent {
    /// `m.room.encryption` with Megolm, so the room is encrypted from its first message.
    pub fn megolm_encryption() -> Self {
        StateEventContent {
            event_type: "m.room.encryption".to_owned(),
            state_key: String::new(),
            content: json!({ "algorithm": MEGOLM_ALGORITHM }),
        }
    }
}

impl CreateRoomRequest {
    /// A direct chat with one person: private, both as admins, marked `is_direct`, and encrypted
    /// when asked.
    pub fn direct_message(invitee: &str, encrypted: bool) -> Self {
        CreateRoomRequest {
            preset: Some(RoomPreset::TrustedPrivateChat),
            invite: vec![invitee.to_owned()],
            is_direct: true,
            initial_state: if encrypted { vec![StateEventContent::megolm_encryption()] } else { Vec::new() },
            ..CreateRoomRequest::default()
        }
    }

    /// A private, invite-only room with a name.
    pub fn private_room(name: &str) -> Self {
        CreateRoomRequest {
            name: Some(name.to_owned()),
            preset: Some(RoomPreset::PrivateChat),
            visibility: Some(RoomVisibility::Private),
            ..CreateRoomRequest::default()
        }
    }

    pub fn invite(mut self, user_id: &str) -> Self {
        self.invite.push(user_id.to_owned());
        self
    }

    pub fn encrypted(mut self) -> Self {
        if !self.initial_state.iter().any(|event| event.event_type == "m.room.encryption") {
            self.initial_state.push(StateEventContent::megolm_encryption());
        }
        self
    }
}

/// A joined member as `/joined_members` describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct JoinedMember {
    pub display_name: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Towards older events, the usual way to fill a gap after a `limited` sync.
    #[default]
    Backward,
    Forward,
}

/// The parameters of `GET /rooms/{roomId}/messages`.
#[derive(Debug, Clone, Default)]
pub struct MessagesRequest {
    /// A `prev_batch` or `end` token; `None` starts at the newest (backward) or oldest (forward).
    pub from: Option<String>,
    pub to: Option<String>,
    pub direction: Direction,
    pub limit: Option<u32>,
    /// A room event filter as JSON text.
    pub filter: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct MessagesResponse {
    pub start: String,
    /// `None` when there is nothing further in this direction.
    pub end: Option<String>,
    pub chunk: Vec<Value>,
    pub state: Vec<Value>,
}

#[derive(Deserialize)]
struct RoomIdResponse {
    room_id: String,
}

#[derive(Deserialize)]
struct EventIdResponse {
    event_id: String,
}

impl Client {
    /// `POST /createRoom`. Returns the new room's id.
    pub async fn create_room(&self, request: &CreateRoomRequest) -> Result<String> {
        const ENDPOINT: &str = "POST /createRoom";
        let url = self.url(&["_matrix", "client", "v3", "createRoom"]);
        let response: RoomIdResponse =
            self.send_json(ENDPOINT, self.request(Method::POST, url, ENDPOINT, true)?.json(request)).await?;
        Ok(response.room_id)
    }

    /// `POST /rooms/{roomId}/invite`.
    pub async fn invite(&self, room_id: &str, user_id: &str) -> Result<()> {
        const ENDPOINT: &str = "POST /rooms/{roomId}/invite";
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "invite"]);
        let request = self.request(Method::POST, url, ENDPOINT, true)?.json(&json!({ "user_id": user_id }));
        self.send_json::<Value>(ENDPOINT, request).await.map(drop)
    }

    /// `POST /join/{roomIdOrAlias}`. Returns the joined room's id.
    pub async fn join(&self, room_id_or_alias: &str) -> Result<String> {
        const ENDPOINT: &str = "POST /join/{roomIdOrAlias}";
        let url = self.url(&["_matrix", "client", "v3", "join", room_id_or_alias]);
        let request = self.request(Method::POST, url, ENDPOINT, true)?.json(&json!({}));
        let response: RoomIdResponse = self.send_json(ENDPOINT, request).await?;
        Ok(response.room_id)
    }

    /// `POST /rooms/{roomId}/leave`.
    pub async fn leave(&self, room_id: &str) -> Result<()> {
        const ENDPOINT: &str = "POST /rooms/{roomId}/leave";
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "leave"]);
        let request = self.request(Method::POST, url, ENDPOINT, true)?.json(&json!({}));
        self.send_json::<Value>(ENDPOINT, request).await.map(drop)
    }

    /// `GET /rooms/{roomId}/joined_members`: who is in the room now, by user id.
    pub async fn joined_members(&self, room_id: &str) -> Result<BTreeMap<String, JoinedMember>> {
        const ENDPOINT: &str = "GET /rooms/{roomId}/joined_members";
        #[derive(Deserialize)]
        struct Joined {
            #[serde(default)]
            joined: BTreeMap<String, JoinedMember>,
        }
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "joined_members"]);
        let response: Joined =
            self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await?;
        Ok(response.joined)
    }

    /// `GET /rooms/{roomId}/members`: the raw `m.room.member` events, invited members included
    /// (they receive room keys too when history is shared with invitees).
    pub async fn members(&self, room_id: &str) -> Result<Vec<Value>> {
        const ENDPOINT: &str = "GET /rooms/{roomId}/members";
        #[derive(Deserialize)]
        struct Members {
            #[serde(default)]
            chunk: Vec<Value>,
        }
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "members"]);
        let response: Members =
            self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await?;
        Ok(response.chunk)
    }

    /// `PUT /rooms/{roomId}/send/{eventType}/{txnId}`. Returns the event id; the same
    /// `transaction_id` again returns the same event id without sending twice.
    pub async fn send_message_event(
        &self,
        room_id: &str,
        event_type: &str,
        transaction_id: &str,
        content: &Value,
    ) -> Result<String> {
        const ENDPOINT: &str = "PUT /rooms/{roomId}/send/{eventType}/{txnId}";
        let url =
            self.url(&["_matrix", "client", "v3", "rooms", room_id, "send", event_type, transaction_id]);
        let response: EventIdResponse =
            self.send_json(ENDPOINT, self.request(Method::PUT, url, ENDPOINT, true)?.json(content)).await?;
        Ok(response.event_id)
    }

    /// `PUT /rooms/{roomId}/state/{eventType}/{stateKey}`. Returns the event id.
    pub async fn send_state_event(
        &self,
        room_id: &str,
        event_type: &str,
        state_key: &str,
        content: &Value,
    ) -> Result<String> {
        const ENDPOINT: &str = "PUT /rooms/{roomId}/state/{eventType}/{stateKey}";
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "state", event_type, state_key]);
        let response: EventIdResponse =
            self.send_json(ENDPOINT, self.request(Method::PUT, url, ENDPOINT, true)?.json(content)).await?;
        Ok(response.event_id)
    }

    /// `GET /rooms/{roomId}/state/{eventType}/{stateKey}`: the content; `None` when unset.
    pub async fn state_event(
        &self,
        room_id: &str,
        event_type: &str,
        state_key: &str,
    ) -> Result<Option<Value>> {
        const ENDPOINT: &str = "GET /rooms/{roomId}/state/{eventType}/{stateKey}";
        let url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "state", event_type, state_key]);
        match self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await {
            Ok(content) => Ok(Some(content)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `GET /rooms/{roomId}/messages`: one page of the room's timeline.
    pub async fn messages(&self, room_id: &str, request: &MessagesRequest) -> Result<MessagesResponse> {
        const ENDPOINT: &str = "GET /rooms/{roomId}/messages";
        let mut url = self.url(&["_matrix", "client", "v3", "rooms", room_id, "messages"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair(
                "dir",
                match request.direction {
                    Direction::Backward => "b",
                    Direction::Forward => "f",
                },
            );
            if let Some(from) = &request.from {
                query.append_pair("from", from);
            }
            if let Some(to) = &request.to {
                query.append_pair("to", to);
            }
            if let Some(limit) = request.limit {
                query.append_pair("limit", &limit.to_string());
            }
            if let Some(filter) = &request.filter {
                query.append_pair("filter", filter);
            }
        }
        self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await
    }
}
