//! To-device encryption with Olm: decrypting what a sync delivered (creating inbound sessions from
//! pre-key messages), refusing replays, recovering wedged sessions, and encrypting to one device.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use vodozemac::megolm::{InboundGroupSession, SessionKey};
use vodozemac::olm::{OlmMessage, SessionConfig};
use vodozemac::{Curve25519PublicKey, base64_decode, base64_encode};

use super::{InboundGroup, Machine, OlmSession, RETRY_INTERVAL_MS, hex};
use crate::error::{Error, Result};
use crate::store::Changes;
use crate::types::{DecryptedToDevice, DeviceInfo, MEGOLM_ALGORITHM, OLM_ALGORITHM, Request, ToDeviceResult};

/// What one sync's to-device events changed, written once at the end.
#[derive(Default)]
pub(super) struct Batch {
    account_changed: bool,
    sessions: BTreeSet<(String, String)>,
    processed: BTreeSet<String>,
    inbound_group_sessions: BTreeSet<(String, String)>,
}

impl Machine {
    pub(super) fn receive_to_device(&mut self, event: &Value, batch: &mut Batch) -> ToDeviceResult {
        if event.get("type").and_then(Value::as_str) != Some("m.room.encrypted") {
            return ToDeviceResult::PlainText(event.clone());
        }
        let sender = event.get("sender").and_then(Value::as_str).unwrap_or_default().to_owned();
        match self.decrypt_to_device(&sender, event, batch) {
            Ok(decrypted) => ToDeviceResult::Decrypted(decrypted),
            Err(error) => {
                tracing::warn!(%sender, %error, "undecryptable to-device event");
                ToDeviceResult::Failed { sender, error }
            }
        }
    }

    fn decrypt_to_device(
        &mut self,
        sender: &str,
        event: &Value,
        batch: &mut Batch,
    ) -> Result<DecryptedToDevice> {
        let malformed =
            |reason: &str| Error::MalformedToDevice { sender: sender.to_owned(), reason: reason.to_owned() };
        let content = event.get("content").ok_or_else(|| malformed("it has no content"))?;
        let algorithm = content.get("algorithm").and_then(Value::as_str).unwrap_or_default();
        if algorithm != OLM_ALGORITHM {
            return Err(Error::UnsupportedAlgorithm {
                sender: sender.to_owned(),
                algorithm: algorithm.to_owned(),
            });
        }
        let sender_key = content
            .get("sender_key")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("it has no sender_key"))?;
        let (_, our_key) = self.identity_keys();
        let ciphertext = content
            .get("ciphertext")
            .and_then(|ciphertext| ciphertext.get(&our_key))
            .ok_or_else(|| malformed("it is not encrypted for this device"))?;
        let message_type =
            ciphertext.get("type").and_then(Value::as_u64).ok_or_else(|| malformed("no message type"))?;
        let body =
            ciphertext.get("body").and_then(Value::as_str).ok_or_else(|| malformed("no message body"))?;

        let hash = {
            let mut hasher = Sha256::new();
            hasher.update(sender_key.as_bytes());
            hasher.update([0, message_type as u8]);
            hasher.update(body.as_bytes());
            hex(&hasher.finalize())
        };
        if batch.processed.contains(&hash) || self.store.is_message_processed(&hash)? {
            return Err(Error::ReplayedOlmMessage {
                sender: sender.to_owned(),
                sender_key: sender_key.to_owned(),
            });
        }
        let bytes = base64_decode(body).map_err(|_| malformed("the body is not base64"))?;
        let message = OlmMessage::from_parts(message_type as usize, &bytes)
            .map_err(|error| malformed(&format!("the Olm message does not decode: {error}")))?;
        let plaintext = self.decrypt_olm(sender, sender_key, &message, batch)?;
        batch.processed.insert(hash);

        let plaintext: Value =
            serde_json::from_slice(&plaintext).map_err(|_| malformed("the plaintext is not JSON"))?;
        let mismatch =
            |reason: &str| Error::ToDeviceMismatch { sender: sender.to_owned(), reason: reason.to_owned() };
        let (our_ed25519, _) = self.identity_keys();
        if plaintext.get("sender").and_then(Value::as_str) != Some(sender) {
            return Err(mismatch("the encrypted sender is not the event's sender"));
        }
        if plaintext.get("recipient").and_then(Value::as_str) != Some(self.user_id.as_str()) {
            return Err(mismatch("it was encrypted for another user"));
        }
        if plaintext.get("recipient_keys").and_then(|keys| keys.get("ed25519")).and_then(Value::as_str)
            != Some(our_ed25519.as_str())
        {
            return Err(mismatch("it was encrypted for another device's keys"));
        }
        let claimed_ed25519 = plaintext
            .get("keys")
            .and_then(|keys| keys.get("ed25519"))
            .and_then(Value::as_str)
            .ok_or_else(|| mismatch("it does not name the sender's ed25519 key"))?
            .to_owned();
        let sender_device = self.device_by_curve_key(sender, sender_key).cloned();
        if let Some(device) = &sender_device
            && device.ed25519 != claimed_ed25519
        {
            return Err(mismatch("the sender's ed25519 key is not the one its device published"));
        }
        let event_type =
            plaintext.get("type").and_then(Value::as_str).ok_or_else(|| malformed("no event type"))?;
        let inner_content = plaintext.get("content").cloned().unwrap_or_else(|| json!({}));
        if event_type == "m.room_key" {
            self.receive_room_key(sender, sender_key, &claimed_ed25519, &inner_content, batch)?;
        }
        Ok(DecryptedToDevice {
            sender: sender.to_owned(),
            sender_key: sender_key.to_owned(),
            sender_device: sender_device.map(|device| device.device_id),
            event_type: event_type.to_owned(),
            content: inner_content,
        })
    }

    /// Decrypts with an existing session, or creates one from a pre-key message. A pre-key message
    /// whose session we already have is decrypted by that session only: making a second session
    /// from it would let a replay (or a re-sent message) fork the conversation.
    fn decrypt_olm(
        &mut self,
        sender: &str,
        sender_key: &str,
        message: &OlmMessage,
        batch: &mut Batch,
    ) -> Result<Vec<u8>> {
        let sessions = self.sessions.entry(sender_key.to_owned()).or_default();
        if let OlmMessage::PreKey(pre_key) = message
            && let Some(existing) =
                sessions.iter_mut().find(|entry| entry.session.session_id() == pre_key.session_id())
        {
            let plaintext = existing.session.decrypt(message).map_err(|error| Error::SessionCreation {
                sender: sender.to_owned(),
                sender_key: sender_key.to_owned(),
                reason: format!("its session exists but does not decrypt it: {error}"),
            })?;
            batch.sessions.insert((sender_key.to_owned(), existing.session.session_id()));
            return Ok(plaintext);
        }
        // The newest session first: it is the one the other side most likely used.
        for entry in sessions.iter_mut().rev() {
            if let Ok(plaintext) = entry.session.decrypt(message) {
                batch.sessions.insert((sender_key.to_owned(), entry.session.session_id()));
                return Ok(plaintext);
            }
        }
        match message {
            OlmMessage::PreKey(pre_key) => {
                let identity_key =
                    Curve25519PublicKey::from_base64(sender_key).map_err(|_| Error::MalformedToDevice {
                        sender: sender.to_owned(),
                        reason: "the sender_key is malformed".to_owned(),
                    })?;
                let created = self
                    .account
                    .create_inbound_session(SessionConfig::version_1(), identity_key, pre_key)
                    .map_err(|error| Error::SessionCreation {
                        sender: sender.to_owned(),
                        sender_key: sender_key.to_owned(),
                        reason: error.to_string(),
                    })?;
                let sequence = self.next_sequence;
                self.next_sequence += 1;
                let session_id = created.session.session_id();
                self.sessions.entry(sender_key.to_owned()).or_default().push(OlmSession {
                    session: created.session,
                    created_ms: self.clock_ms,
                    sequence,
                });
                batch.account_changed = true;
                batch.sessions.insert((sender_key.to_owned(), session_id));
                Ok(created.plaintext)
            }
            OlmMessage::Normal(_) => {
                self.unwedge(sender, sender_key);
                Err(Error::SessionWedged { user: sender.to_owned(), sender_key: sender_key.to_owned() })
            }
        }
    }

    /// Starts over with a device whose messages no session decrypts: claim a fresh key, make a new
    /// session, send an `m.dummy` over it (so the other side gets a pre-key message and a session
    /// that works). At most once per device per [`RETRY_INTERVAL_MS`], so two broken devices cannot
    /// ping-pong forever.
    fn unwedge(&mut self, sender: &str, sender_key: &str) {
        let Some(device) = self.device_by_curve_key(sender, sender_key) else {
            tracing::warn!(sender, "a wedged session with an unknown device cannot be recovered");
            return;
        };
        let key = (device.user_id.clone(), device.device_id.clone());
        if self
            .unwedge_attempts
            .get(&key)
            .is_some_and(|last| self.clock_ms.saturating_sub(*last) < RETRY_INTERVAL_MS)
        {
            return;
        }
        self.unwedge_attempts.insert(key.clone(), self.clock_ms);
        self.unwedge_pending.insert(key.clone());
        self.claim_failures.remove(&key);
        self.queue_claim(BTreeSet::from([key]));
    }

    fn receive_room_key(
        &mut self,
        sender: &str,
        sender_key: &str,
        claimed_ed25519: &str,
        content: &Value,
        batch: &mut Batch,
    ) -> Result<()> {
        let malformed =
            |reason: &str| Error::MalformedToDevice { sender: sender.to_owned(), reason: reason.to_owned() };
        if content.get("algorithm").and_then(Value::as_str) != Some(MEGOLM_ALGORITHM) {
            return Err(malformed("the room key is not for m.megolm.v1.aes-sha2"));
        }
        let field = |name: &str| {
            content
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| malformed(&format!("the room key has no {name}")))
        };
        let room_id = field("room_id")?;
        let session_id = field("session_id")?;
        let session_key = SessionKey::from_base64(field("session_key")?)
            .map_err(|_| malformed("the session key is malformed"))?;
        let session = InboundGroupSession::new(&session_key, vodozemac::megolm::SessionConfig::version_1());
        if session.session_id() != session_id {
            return Err(malformed("the session id does not match the session key"));
        }
        let key = (room_id.to_owned(), session_id.to_owned());
        // Keep the copy that decrypts more (the lower first index); never let a key from another
        // sender replace the one we have.
        if let Some(existing) = self.inbound_group_sessions.get(&key)
            && (existing.sender_key != sender_key
                || existing.session.first_known_index() <= session.first_known_index())
        {
            return Ok(());
        }
        self.inbound_group_sessions.insert(
            key.clone(),
            InboundGroup {
                session,
                sender_key: sender_key.to_owned(),
                claimed_ed25519_key: claimed_ed25519.to_owned(),
            },
        );
        batch.inbound_group_sessions.insert(key);
        Ok(())
    }

    pub(super) fn finish_batch(&mut self, batch: Batch, changes: &mut Changes) {
        if batch.account_changed {
            changes.account = Some(self.account_record());
        }
        for (sender_key, session_id) in &batch.sessions {
            if let Some(entry) = self
                .sessions
                .get(sender_key)
                .and_then(|list| list.iter().find(|entry| entry.session.session_id() == *session_id))
            {
                changes.sessions.push(self.session_record(sender_key, entry));
            }
        }
        for (room_id, session_id) in &batch.inbound_group_sessions {
            if let Some(record) = self.inbound_record(room_id, session_id) {
                changes.inbound_group_sessions.push(record);
            }
        }
        changes.processed_messages.extend(batch.processed);
    }

    /// Encrypts one to-device event for `device` with our newest session with it, returning the
    /// `m.room.encrypted` content. The session's new state goes into `changes`.
    pub(super) fn olm_encrypt(
        &mut self,
        device: &DeviceInfo,
        event_type: &str,
        content: &Value,
        changes: &mut Changes,
    ) -> Result<Value> {
        let (our_ed25519, our_curve25519) = self.identity_keys();
        let payload = json!({
            "type": event_type,
            "content": content,
            "sender": self.user_id,
            "sender_device": self.device_id,
            "recipient": device.user_id,
            "recipient_keys": { "ed25519": device.ed25519 },
            "keys": { "ed25519": our_ed25519 },
        });
        let plaintext = serde_json::to_vec(&payload).map_err(Error::json("to-device payload"))?;
        let no_session =
            || Error::NoOlmSession { user: device.user_id.clone(), device: device.device_id.clone() };
        let sessions = self.sessions.get_mut(&device.curve25519).ok_or_else(no_session)?;
        let newest = sessions.iter_mut().max_by_key(|entry| entry.sequence).ok_or_else(no_session)?;
        let message = newest.session.encrypt(&plaintext).map_err(|error| Error::OlmEncryption {
            user: device.user_id.clone(),
            device: device.device_id.clone(),
            reason: error.to_string(),
        })?;
        let newest_sequence = newest.sequence;
        if let Some(entry) = self
            .sessions
            .get(&device.curve25519)
            .and_then(|list| list.iter().find(|entry| entry.sequence == newest_sequence))
        {
            changes.sessions.push(self.session_record(&device.curve25519, entry));
        }
        let (message_type, bytes) = message.to_parts();
        Ok(json!({
            "algorithm": OLM_ALGORITHM,
            "sender_key": our_curve25519,
            "ciphertext": { device.curve25519.clone(): { "type": message_type, "body": base64_encode(bytes) } },
        }))
    }

    pub(super) fn has_olm_session(&self, device: &DeviceInfo) -> bool {
        self.sessions.get(&device.curve25519).is_some_and(|sessions| !sessions.is_empty())
    }

    pub(super) fn send_dummy(&mut self, user: &str, device_id: &str) -> Result<()> {
        let Some(device) = self.devices.get(user).and_then(|devices| devices.get(device_id)).cloned() else {
            return Ok(());
        };
        let mut changes = Changes::default();
        let content = self.olm_encrypt(&device, "m.dummy", &json!({}), &mut changes)?;
        self.store.save_changes(changes)?;
        let txn_id = self.next_request_id();
        let messages = BTreeMap::from([(user.to_owned(), BTreeMap::from([(device_id.to_owned(), content)]))]);
        self.queue(Request::ToDevice { event_type: "m.room.encrypted".to_owned(), txn_id, messages });
        Ok(())
    }
}
