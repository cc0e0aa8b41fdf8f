//! Room encryption with Megolm: one outbound session per room, rotated after the room's message
//! count or period, when someone who had the key may no longer read, or when someone joins; sharing its key over Olm to
//! every device of every member; encrypting room events; decrypting them with the inbound sessions
//! room keys brought, with typed reasons when that fails and replay detection.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use vodozemac::megolm::{DecryptionError, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig};

use super::{InboundGroup, Machine, OutboundGroup, PendingRoomKey};
use crate::error::{Error, Result};
use crate::store::{Changes, OutboundState, RoomEventIndex};
use crate::types::{Decrypted, DeviceId, EncryptionInfo, MEGOLM_ALGORITHM, OutgoingRequest, Request, UserId};

impl Machine {
    /// Makes sure every device of every member (ourselves included) has the room's current key,
    /// rotating it first when it is due. Returns the requests this queued: `m.room_key` to-device
    /// messages for devices we have an Olm session with, and a keys claim for the others — once
    /// that claim's response is marked as sent, their room keys are queued too. Call it before
    /// every [`Machine::encrypt_room_event`]; it does nothing when nothing is missing.
    ///
    /// Only devices the machine knows get the key, so members must be tracked
    /// ([`Machine::update_tracked_users`]) and their keys queried first.
    pub fn share_room_key(
        &mut self,
        room_id: &str,
        members: &[&str],
        now_ms: u64,
    ) -> Result<Vec<OutgoingRequest>> {
        self.tick(now_ms);
        let members: BTreeSet<UserId> = members.iter().map(|member| (*member).to_owned()).collect();
        let mut changes = Changes::default();
        if self.rotation_reason(room_id, Some(&members)).is_some() {
            self.rotate(room_id, &mut changes)?;
        }
        if let Some(outbound) = self.outbound_group_sessions.get_mut(room_id) {
            outbound.state.members = members.into_iter().collect();
        }
        let before: BTreeSet<String> = self.in_flight.requests.keys().cloned().collect();
        self.share_room_key_to_missing(room_id, &mut changes)?;
        if let Some(record) = self.outbound_record(room_id) {
            changes.outbound_group_sessions.push(record);
        }
        self.store.save_changes(changes)?;
        Ok(self
            .in_flight
            .requests
            .iter()
            .filter(|(request_id, _)| !before.contains(*request_id))
            .map(|(_, request)| request.clone())
            .collect())
    }

    /// Why the room's outbound session must be replaced, or `None` if it may go on.
    fn rotation_reason(&self, room_id: &str, members: Option<&BTreeSet<UserId>>) -> Option<&'static str> {
        let Some(outbound) = self.outbound_group_sessions.get(room_id) else { return Some("no session yet") };
        let settings = self.room_settings.get(room_id).copied().unwrap_or(outbound.state.settings);
        let state = &outbound.state;
        if state.message_count >= settings.rotation_period_messages {
            return Some("message count reached");
        }
        if self.clock_ms.saturating_sub(state.created_ms) >= settings.rotation_period_ms {
            return Some("rotation period over");
        }
        if state.invalidated {
            return Some("a device that had the key was removed");
        }
        if let Some(members) = members
            && (state.shared_with.keys().any(|user| !members.contains(user))
                || self.in_flight.room_keys.values().any(|pending| {
                    pending.room_id == room_id
                        && pending.recipients.iter().any(|(user, _)| !members.contains(user))
                }))
        {
            return Some("a member left");
        }
        // A new member gets a new key too (the issue asks for rotation on any membership change):
        // what was said before they came stays unreadable to them whatever index they would get.
        if let Some(members) = members
            && !state.members.is_empty()
            && members.iter().any(|user| !state.members.contains(user))
        {
            return Some("a member joined");
        }
        None
    }

    fn rotate(&mut self, room_id: &str, changes: &mut Changes) -> Result<()> {
        let session = GroupSession::new(SessionConfig::version_1());
        let settings = self.room_settings.get(room_id).copied().unwrap_or_default();
        // Our own copy of the key, so we can read what we send.
        let (our_ed25519, our_curve25519) = self.identity_keys();
        let inbound = InboundGroupSession::new(&session.session_key(), SessionConfig::version_1());
        let session_id = session.session_id();
        self.inbound_group_sessions.insert(
            (room_id.to_owned(), session_id.clone()),
            InboundGroup { session: inbound, sender_key: our_curve25519, claimed_ed25519_key: our_ed25519 },
        );
        if let Some(record) = self.inbound_record(room_id, &session_id) {
            changes.inbound_group_sessions.push(record);
        }
        tracing::debug!(room_id, session_id, "new outbound room key");
        let state = OutboundState {
            created_ms: self.clock_ms,
            message_count: 0,
            settings,
            members: Vec::new(),
            shared_with: BTreeMap::new(),
            invalidated: false,
        };
        self.outbound_group_sessions.insert(room_id.to_owned(), OutboundGroup { session, state });
        Ok(())
    }

    /// Queues `m.room_key` for every member device that lacks it and has an Olm session, and a
    /// claim for those without a session.
    fn share_room_key_to_missing(&mut self, room_id: &str, changes: &mut Changes) -> Result<()> {
        let Some(outbound) = self.outbound_group_sessions.get(room_id) else { return Ok(()) };
        let members = outbound.state.members.clone();
        let shared_with = outbound.state.shared_with.clone();
        let session_id = outbound.session.session_id();
        let content = json!({
            "algorithm": MEGOLM_ALGORITHM,
            "room_id": room_id,
            "session_id": outbound.session.session_id(),
            "session_key": outbound.session.session_key().to_base64(),
        });
        let message_index = outbound.session.message_index();
        let mut messages: BTreeMap<UserId, BTreeMap<DeviceId, Value>> = BTreeMap::new();
        let mut to_claim = BTreeSet::new();
        for member in &members {
            for device in self.devices(member) {
                if shared_with.get(member).is_some_and(|devices| devices.contains_key(&device.device_id))
                    || self.in_flight.room_key_pending(room_id, &session_id, member, &device.device_id)
                {
                    continue;
                }
                if !self.has_olm_session(&device) {
                    to_claim.insert((member.clone(), device.device_id.clone()));
                    continue;
                }
                let encrypted = self.olm_encrypt(&device, "m.room_key", &content, changes)?;
                messages.entry(member.clone()).or_default().insert(device.device_id.clone(), encrypted);
            }
        }
        if !messages.is_empty() {
            // The devices count as having the key only once the homeserver took the to-device
            // message (`room_key_delivered`): a message lost with the process (or refused) is
            // shared again next time instead of leaving them unable to read.
            let txn_id = self.next_request_id();
            let recipients = messages
                .iter()
                .flat_map(|(user, devices)| devices.keys().map(|device| (user.clone(), device.clone())))
                .collect();
            self.in_flight.room_keys.insert(
                txn_id.clone(),
                PendingRoomKey { room_id: room_id.to_owned(), session_id, message_index, recipients },
            );
            self.queue(Request::ToDevice { event_type: "m.room.encrypted".to_owned(), txn_id, messages });
        }
        self.queue_claim(to_claim);
        Ok(())
    }

    /// The homeserver took the to-device message of `request_id`: if it carried a room key, its
    /// recipients have that key now.
    pub(super) fn room_key_delivered(&mut self, request_id: &str) -> Result<()> {
        let Some(pending) = self.in_flight.room_keys.remove(request_id) else { return Ok(()) };
        let Some(outbound) = self.outbound_group_sessions.get_mut(&pending.room_id) else { return Ok(()) };
        if outbound.session.session_id() != pending.session_id {
            // Rotated meanwhile: the old key's recipients do not matter any more.
            return Ok(());
        }
        for (user, device) in pending.recipients {
            outbound.state.shared_with.entry(user).or_default().insert(device, pending.message_index);
        }
        let record = self.outbound_record(&pending.room_id);
        self.store.save_changes(Changes {
            outbound_group_sessions: record.into_iter().collect(),
            ..Changes::default()
        })
    }

    /// After new Olm sessions: shares every room's current key with the devices still lacking it.
    pub(super) fn share_pending_room_keys(&mut self) -> Result<()> {
        let rooms: Vec<String> = self
            .outbound_group_sessions
            .keys()
            .filter(|room_id| self.rotation_reason(room_id, None).is_none())
            .cloned()
            .collect();
        let mut changes = Changes::default();
        for room_id in rooms {
            self.share_room_key_to_missing(&room_id, &mut changes)?;
            if let Some(record) = self.outbound_record(&room_id) {
                changes.outbound_group_sessions.push(record);
            }
        }
        self.store.save_changes(changes)
    }

    /// The session id of the room's current outbound key, if any.
    pub fn outbound_session_id(&self, room_id: &str) -> Option<String> {
        self.outbound_group_sessions.get(room_id).map(|outbound| outbound.session.session_id())
    }

    /// Encrypts a room event with the room's current key, returning the `m.room.encrypted` content
    /// to send. Fails with [`Error::RoomKeyNotShared`] when the key is missing or due for rotation:
    /// call [`Machine::share_room_key`] first.
    pub fn encrypt_room_event(
        &mut self,
        room_id: &str,
        event_type: &str,
        content: &Value,
        now_ms: u64,
    ) -> Result<Value> {
        self.tick(now_ms);
        if self.rotation_reason(room_id, None).is_some() {
            return Err(Error::RoomKeyNotShared { room_id: room_id.to_owned() });
        }
        let (_, our_curve25519) = self.identity_keys();
        let payload = json!({ "type": event_type, "content": content, "room_id": room_id });
        let plaintext = serde_json::to_vec(&payload).map_err(Error::json("room event"))?;
        let outbound = self
            .outbound_group_sessions
            .get_mut(room_id)
            .ok_or_else(|| Error::RoomKeyNotShared { room_id: room_id.to_owned() })?;
        let message = outbound.session.encrypt(&plaintext);
        outbound.state.message_count += 1;
        let session_id = outbound.session.session_id();
        let record = self.outbound_record(room_id);
        self.store.save_changes(Changes {
            outbound_group_sessions: record.into_iter().collect(),
            ..Changes::default()
        })?;
        Ok(json!({
            "algorithm": MEGOLM_ALGORITHM,
            "sender_key": our_curve25519,
            "ciphertext": message.to_base64(),
            "session_id": session_id,
            "device_id": self.device_id,
        }))
    }

    /// Decrypts one `m.room.encrypted` room event (the whole event: `event_id`, `sender`,
    /// `content`). Failures say why, as typed errors: see [`Error`]'s room-event variants.
    pub fn decrypt_room_event(&mut self, room_id: &str, event: &Value) -> Result<Decrypted> {
        let mut results = self.decrypt_room_events(room_id, std::slice::from_ref(event))?;
        results.pop().unwrap_or_else(|| {
            Err(Error::MalformedRoomEvent { event_id: String::new(), reason: "no result".to_owned() })
        })
    }

    /// Decrypts a batch of room events (a page of backfill) and records which event used which
    /// message index in one store transaction. Returns one result per event.
    pub fn decrypt_room_events(&mut self, room_id: &str, events: &[Value]) -> Result<Vec<Result<Decrypted>>> {
        let mut used: BTreeMap<(String, u32), String> = BTreeMap::new();
        let mut results = Vec::with_capacity(events.len());
        for event in events {
            results.push(self.decrypt_one(room_id, event, &mut used));
        }
        let room_event_indices = used
            .into_iter()
            .map(|((session_id, message_index), event_id)| RoomEventIndex {
                session_id,
                message_index,
                event_id,
            })
            .collect();
        self.store.save_changes(Changes { room_event_indices, ..Changes::default() })?;
        Ok(results)
    }

    fn decrypt_one(
        &mut self,
        room_id: &str,
        event: &Value,
        used: &mut BTreeMap<(String, u32), String>,
    ) -> Result<Decrypted> {
        let event_id = event.get("event_id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let malformed = |reason: &str| Error::MalformedRoomEvent {
            event_id: event_id.clone(),
            reason: reason.to_owned(),
        };
        if event_id.is_empty() {
            return Err(malformed("it has no event_id"));
        }
        let sender =
            event.get("sender").and_then(Value::as_str).ok_or_else(|| malformed("it has no sender"))?;
        let content = event.get("content").ok_or_else(|| malformed("it has no content"))?;
        let algorithm = content.get("algorithm").and_then(Value::as_str).unwrap_or_default();
        if algorithm != MEGOLM_ALGORITHM {
            return Err(malformed(&format!("the algorithm {algorithm:?} is not m.megolm.v1.aes-sha2")));
        }
        let session_id = content
            .get("session_id")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("it has no session_id"))?;
        let ciphertext = content
            .get("ciphertext")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("it has no ciphertext"))?;
        let claimed_sender_key = content.get("sender_key").and_then(Value::as_str);
        let message = MegolmMessage::from_base64(ciphertext)
            .map_err(|error| malformed(&format!("the ciphertext does not decode: {error}")))?;

        let key = (room_id.to_owned(), session_id.to_owned());
        let Some(inbound) = self.inbound_group_sessions.get_mut(&key) else {
            return Err(Error::MissingRoomKey {
                room_id: room_id.to_owned(),
                session_id: session_id.to_owned(),
                sender_key: claimed_sender_key.unwrap_or("(not given)").to_owned(),
            });
        };
        if let Some(claimed) = claimed_sender_key
            && claimed != inbound.sender_key
        {
            return Err(Error::SenderKeyMismatch {
                session_id: session_id.to_owned(),
                expected: inbound.sender_key.clone(),
                found: claimed.to_owned(),
            });
        }
        let decrypted = inbound.session.decrypt(&message).map_err(|error| match error {
            DecryptionError::UnknownMessageIndex(first_known_index, message_index) => {
                Error::UnknownMessageIndex {
                    session_id: session_id.to_owned(),
                    first_known_index,
                    message_index,
                }
            }
            other => Error::RatchetMismatch { session_id: session_id.to_owned(), reason: other.to_string() },
        })?;
        let sender_key = inbound.sender_key.clone();
        let claimed_ed25519_key = inbound.claimed_ed25519_key.clone();

        let index_key = (session_id.to_owned(), decrypted.message_index);
        let first_event = match used.get(&index_key) {
            Some(first) => Some(first.clone()),
            None => self.store.room_event_index(session_id, decrypted.message_index)?,
        };
        match first_event {
            Some(first_event_id) if first_event_id != event_id => {
                return Err(Error::ReplayedRoomEvent {
                    session_id: session_id.to_owned(),
                    message_index: decrypted.message_index,
                    first_event_id,
                    event_id,
                });
            }
            Some(_) => {}
            None => {
                used.insert(index_key, event_id.clone());
            }
        }

        let plaintext: Value = serde_json::from_slice(&decrypted.plaintext)
            .map_err(|_| malformed("the plaintext is not JSON"))?;
        let plaintext_room = plaintext.get("room_id").and_then(Value::as_str).unwrap_or_default();
        if plaintext_room != room_id {
            return Err(Error::RoomMismatch {
                expected: room_id.to_owned(),
                found: plaintext_room.to_owned(),
            });
        }
        let event_type = plaintext
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("the plaintext has no type"))?;
        let (our_ed25519, our_curve25519) = self.identity_keys();
        let (sender_device, sender_device_known) = if sender == self.user_id && sender_key == our_curve25519 {
            (Some(self.device_id.clone()), claimed_ed25519_key == our_ed25519)
        } else {
            match self.device_by_curve_key(sender, &sender_key) {
                Some(device) => (Some(device.device_id.clone()), device.ed25519 == claimed_ed25519_key),
                None => (None, false),
            }
        };
        Ok(Decrypted {
            sender: sender.to_owned(),
            sender_device,
            event_type: event_type.to_owned(),
            content: plaintext.get("content").cloned().unwrap_or_else(|| json!({})),
            encryption_info: EncryptionInfo {
                algorithm: MEGOLM_ALGORITHM.to_owned(),
                session_id: session_id.to_owned(),
                message_index: decrypted.message_index,
                sender_curve25519_key: sender_key,
                claimed_ed25519_key,
                sender_device_known,
            },
        })
    }
}
