//! Our keys and other devices' keys: the signed device keys, topping up one-time keys, the
//! fallback key and its rotation, the three keys endpoints, and device-list tracking.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use vodozemac::olm::SessionConfig;
use vodozemac::{Curve25519PublicKey, Ed25519PublicKey};

use super::{Machine, OlmSession, RETRY_INTERVAL_MS};
use crate::canonical_json::{signable_bytes, verify_json};
use crate::error::{Error, Result};
use crate::store::{Changes, TrackedUser};
use crate::types::{
    DeviceId, DeviceInfo, MEGOLM_ALGORITHM, OLM_ALGORITHM, Request, SIGNED_CURVE25519, SyncChanges, UserId,
};

impl Machine {
    /// Our public identity keys: (ed25519, curve25519), unpadded base64.
    pub fn identity_keys(&self) -> (String, String) {
        let keys = self.account.identity_keys();
        (keys.ed25519.to_base64(), keys.curve25519.to_base64())
    }

    /// The signed device keys we publish (the `device_keys` of a keys upload).
    pub fn device_keys(&self) -> Result<Value> {
        let (ed25519, curve25519) = self.identity_keys();
        let device = &self.device_id;
        let mut keys = json!({
            "user_id": self.user_id,
            "device_id": device,
            "algorithms": [OLM_ALGORITHM, MEGOLM_ALGORITHM],
            "keys": {
                format!("curve25519:{device}"): curve25519,
                format!("ed25519:{device}"): ed25519,
            },
        });
        self.sign(&mut keys)?;
        Ok(keys)
    }

    /// Adds our signature to `object.signatures`, over its canonical JSON.
    fn sign(&self, object: &mut Value) -> Result<()> {
        let Value::Object(map) = object else {
            return Err(Error::NonCanonicalJson { reason: "only objects can be signed".to_owned() });
        };
        let signature = self.account.sign(signable_bytes(map)?.as_bytes()).to_base64();
        let signatures = map.entry("signatures").or_insert_with(|| json!({}));
        if let Value::Object(by_user) = signatures {
            let mine = by_user.entry(self.user_id.clone()).or_insert_with(|| json!({}));
            if let Value::Object(mine) = mine {
                mine.insert(format!("ed25519:{}", self.device_id), Value::String(signature));
            }
        }
        Ok(())
    }

    /// How many one-time keys we keep on the server: half of what the account can hold, so keys
    /// claimed while an upload is under way are never forgotten by the account.
    fn one_time_key_target(&self) -> u64 {
        (self.account.max_number_of_one_time_keys() / 2) as u64
    }

    pub(super) fn receive_key_counts(&mut self, sync: &SyncChanges) {
        let upload_pending = self
            .in_flight
            .requests
            .values()
            .any(|request| matches!(request.request, Request::KeysUpload { .. }));
        // A count computed before a pending upload landed is stale; the upload's response brings a
        // fresh one.
        if self.shared && !upload_pending {
            if !sync.one_time_key_counts.is_empty() || self.server_key_count.is_none() {
                self.server_key_count =
                    Some(sync.one_time_key_counts.get(SIGNED_CURVE25519).copied().unwrap_or(0));
            }
            if let Some(unused) = &sync.unused_fallback_key_types
                && !unused.iter().any(|algorithm| algorithm == SIGNED_CURVE25519)
            {
                self.fallback_rotation_due = true;
            }
        }
    }

    pub(super) fn queue_keys_upload(&mut self) -> Result<()> {
        if self
            .in_flight
            .requests
            .values()
            .any(|request| matches!(request.request, Request::KeysUpload { .. }))
        {
            return Ok(());
        }
        let mut body = Map::new();
        let mut account_changed = false;
        if !self.shared {
            body.insert("device_keys".to_owned(), self.device_keys()?);
            if self.account.fallback_key().is_empty() {
                self.account.generate_fallback_key();
                account_changed = true;
            }
        } else if self.fallback_rotation_due {
            // Once used, a fallback key is replaced; vodozemac keeps the previous one's secret so
            // that pre-key messages already made with it still decrypt.
            self.account.generate_fallback_key();
            self.fallback_rotation_due = false;
            account_changed = true;
        }
        let count = if self.shared { self.server_key_count } else { Some(0) };
        if let Some(count) = count {
            let unpublished = self.account.one_time_keys().len() as u64;
            let wanted = self.one_time_key_target().saturating_sub(count + unpublished);
            if wanted > 0 {
                self.account.generate_one_time_keys(wanted as usize);
                account_changed = true;
            }
        }
        let mut one_time_keys = Map::new();
        for (key_id, key) in self.account.one_time_keys() {
            let mut object = json!({ "key": key.to_base64() });
            self.sign(&mut object)?;
            one_time_keys.insert(format!("{SIGNED_CURVE25519}:{}", key_id.to_base64()), object);
        }
        let mut fallback_keys = Map::new();
        for (key_id, key) in self.account.fallback_key() {
            let mut object = json!({ "key": key.to_base64(), "fallback": true });
            self.sign(&mut object)?;
            fallback_keys.insert(format!("{SIGNED_CURVE25519}:{}", key_id.to_base64()), object);
        }
        if !one_time_keys.is_empty() {
            body.insert("one_time_keys".to_owned(), Value::Object(one_time_keys));
        }
        if !fallback_keys.is_empty() {
            body.insert("fallback_keys".to_owned(), Value::Object(fallback_keys));
        }
        if account_changed {
            // The secrets of keys about to be published are saved before the request leaves, so a
            // crash can never leave the server with keys we cannot use.
            self.store
                .save_changes(Changes { account: Some(self.account_record()), ..Changes::default() })?;
        }
        if !body.is_empty() {
            self.queue(Request::KeysUpload { body: Value::Object(body) });
        }
        Ok(())
    }

    pub(super) fn receive_keys_upload_response(&mut self, request_id: &str, response: &Value) -> Result<()> {
        let count = response
            .get("one_time_key_counts")
            .and_then(|counts| counts.get(SIGNED_CURVE25519))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if response.get("one_time_key_counts").is_none() {
            return Err(Error::MalformedResponse {
                request_id: request_id.to_owned(),
                endpoint: "keys/upload",
                reason: "it has no one_time_key_counts".to_owned(),
            });
        }
        self.account.mark_keys_as_published();
        self.shared = true;
        self.server_key_count = Some(count);
        self.store.save_changes(Changes { account: Some(self.account_record()), ..Changes::default() })
    }

    /// Follows these users' devices (the members of our encrypted rooms, ourselves included). New
    /// users are queried with the next outgoing requests.
    pub fn update_tracked_users<'a>(&mut self, users: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut changes = Changes::default();
        for user in users {
            if !self.tracked_users.contains_key(user) {
                let tracked = TrackedUser { user_id: user.to_owned(), dirty: true, queried: false };
                self.tracked_users.insert(user.to_owned(), tracked.clone());
                changes.tracked_users.push(tracked);
            }
        }
        self.store.save_changes(changes)
    }

    /// Fetches `user`'s devices again with the next outgoing requests, following the user from now
    /// on if we did not. For a person we are about to verify, who may share no room with us: the
    /// homeserver tells us of device changes only for users in our rooms.
    pub fn refresh_devices(&mut self, user: &str) -> Result<()> {
        let mut changes = Changes::default();
        if self.tracked_users.contains_key(user) {
            self.mark_dirty(user, &mut changes);
        } else {
            let tracked = TrackedUser { user_id: user.to_owned(), dirty: true, queried: false };
            self.tracked_users.insert(user.to_owned(), tracked.clone());
            changes.tracked_users.push(tracked);
        }
        self.store.save_changes(changes)
    }

    pub(super) fn mark_dirty(&mut self, user: &str, changes: &mut Changes) {
        if let Some(tracked) = self.tracked_users.get_mut(user) {
            tracked.dirty = true;
            *self.change_generation.entry(user.to_owned()).or_default() += 1;
            changes.tracked_users.push(tracked.clone());
        }
    }

    pub(super) fn queue_keys_query(&mut self) {
        if self.in_flight.query.is_some() {
            return;
        }
        let users: Vec<UserId> =
            self.tracked_users.values().filter(|user| user.dirty).map(|user| user.user_id.clone()).collect();
        if users.is_empty() {
            return;
        }
        let generations = users
            .iter()
            .map(|user| (user.clone(), self.change_generation.get(user).copied().unwrap_or(0)))
            .collect();
        let outgoing = self.queue(Request::KeysQuery { users });
        self.in_flight.query = Some((outgoing.request_id, generations));
    }

    pub(super) fn receive_keys_query_response(&mut self, request_id: &str, response: &Value) -> Result<()> {
        let Some((_, generations)) = self.in_flight.query.take() else {
            return Ok(());
        };
        let Some(Value::Object(by_user)) = response.get("device_keys") else {
            return Err(Error::MalformedResponse {
                request_id: request_id.to_owned(),
                endpoint: "keys/query",
                reason: "it has no device_keys object".to_owned(),
            });
        };
        let failed: BTreeSet<&str> = response
            .get("failures")
            .and_then(Value::as_object)
            .map(|failures| failures.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut changes = Changes::default();
        for (user, generation) in &generations {
            let Some(Value::Object(devices)) = by_user.get(user) else { continue };
            if failed.contains(user.as_str()) {
                continue;
            }
            self.update_user_devices(user, devices, &mut changes);
            if let Some(tracked) = self.tracked_users.get_mut(user) {
                // A change announced while the query was under way means another query.
                tracked.dirty = self.change_generation.get(user).copied().unwrap_or(0) != *generation;
                tracked.queried = true;
                changes.tracked_users.push(tracked.clone());
            }
        }
        self.store.save_changes(changes)
    }

    fn update_user_devices(&mut self, user: &str, devices: &Map<String, Value>, changes: &mut Changes) {
        let already_queried = self.tracked_users.get(user).is_some_and(|tracked| tracked.queried);
        let known = self.devices.get(user).cloned().unwrap_or_default();
        let mut current = BTreeMap::new();
        for (device_id, keys) in devices {
            if user == self.user_id && *device_id == self.device_id {
                continue;
            }
            match verify_device_keys(user, device_id, keys) {
                Ok(mut device) => {
                    if let Some(previous) = known.get(device_id) {
                        if previous.ed25519 != device.ed25519 || previous.curve25519 != device.curve25519 {
                            // A device id never changes its keys; new keys under an old id are an
                            // impersonation attempt, so the device we knew stays as it was.
                            tracing::warn!(user, device = %device_id, "device keys changed; keeping the old ones");
                            current.insert(device_id.clone(), previous.clone());
                            continue;
                        }
                        device.first_seen_ms = previous.first_seen_ms;
                        device.is_new = previous.is_new;
                        device.verified = previous.verified;
                    } else {
                        device.first_seen_ms = self.clock_ms;
                        device.is_new = already_queried;
                    }
                    if known.get(device_id) != Some(&device) {
                        changes.devices.push(device.clone());
                    }
                    current.insert(device_id.clone(), device);
                }
                Err(error) => tracing::warn!(%error, "ignoring a device"),
            }
        }
        for device_id in known.keys() {
            if !current.contains_key(device_id) {
                changes.deleted_devices.push((user.to_owned(), device_id.clone()));
                // A room key that went to a removed device must not protect later messages.
                for outbound in self.outbound_group_sessions.values_mut() {
                    let pending = self.in_flight.room_keys.values().any(|pending| {
                        pending.session_id == outbound.session.session_id()
                            && pending.recipients.iter().any(|(recipient, recipient_device)| {
                                recipient == user && recipient_device == device_id
                            })
                    });
                    if pending
                        || outbound
                            .state
                            .shared_with
                            .get(user)
                            .is_some_and(|devices| devices.contains_key(device_id))
                    {
                        outbound.state.invalidated = true;
                    }
                }
            }
        }
        self.devices.insert(user.to_owned(), current);
    }

    /// The devices we know of `user`.
    pub fn devices(&self, user: &str) -> Vec<DeviceInfo> {
        self.devices.get(user).map(|devices| devices.values().cloned().collect()).unwrap_or_default()
    }

    /// Clears the "new device" flag once the UI has shown it.
    pub fn acknowledge_device(&mut self, user: &str, device: &str) -> Result<()> {
        let Some(info) = self.devices.get_mut(user).and_then(|devices| devices.get_mut(device)) else {
            return Ok(());
        };
        info.is_new = false;
        let info = info.clone();
        self.store.save_changes(Changes { devices: vec![info], ..Changes::default() })
    }

    pub(super) fn device_by_curve_key(&self, user: &str, curve25519: &str) -> Option<&DeviceInfo> {
        self.devices.get(user)?.values().find(|device| device.curve25519 == curve25519)
    }

    /// Queues one claim for these devices, leaving out those already being claimed and those whose
    /// last claim came back empty within the retry interval.
    pub(super) fn queue_claim(&mut self, devices: BTreeSet<(UserId, DeviceId)>) {
        let being_claimed: BTreeSet<&(UserId, DeviceId)> = self.in_flight.claims.values().flatten().collect();
        let clock = self.clock_ms;
        let wanted: BTreeSet<(UserId, DeviceId)> = devices
            .into_iter()
            .filter(|device| !being_claimed.contains(device))
            .filter(|device| {
                self.claim_failures
                    .get(device)
                    .is_none_or(|failed| clock.saturating_sub(*failed) >= RETRY_INTERVAL_MS)
            })
            .collect();
        if wanted.is_empty() {
            return;
        }
        let mut one_time_keys: BTreeMap<UserId, BTreeMap<DeviceId, String>> = BTreeMap::new();
        for (user, device) in &wanted {
            one_time_keys
                .entry(user.clone())
                .or_default()
                .insert(device.clone(), SIGNED_CURVE25519.to_owned());
        }
        let outgoing = self.queue(Request::KeysClaim { one_time_keys });
        self.in_flight.claims.insert(outgoing.request_id, wanted);
    }

    pub(super) fn receive_keys_claim_response(&mut self, request_id: &str, response: &Value) -> Result<()> {
        let asked = self.in_flight.claims.remove(request_id).unwrap_or_default();
        let Some(Value::Object(by_user)) = response.get("one_time_keys") else {
            return Err(Error::MalformedResponse {
                request_id: request_id.to_owned(),
                endpoint: "keys/claim",
                reason: "it has no one_time_keys object".to_owned(),
            });
        };
        let mut changes = Changes::default();
        let mut got = BTreeSet::new();
        for (user, device) in &asked {
            let Some(Value::Object(keys)) = by_user.get(user).and_then(|devices| devices.get(device)) else {
                continue;
            };
            let Some(info) = self.devices.get(user).and_then(|devices| devices.get(device)).cloned() else {
                continue;
            };
            match self.create_outbound_olm_session(&info, keys) {
                Ok(session) => {
                    changes.sessions.push(self.session_record(&info.curve25519, &session));
                    self.sessions.entry(info.curve25519.clone()).or_default().push(session);
                    got.insert((user.clone(), device.clone()));
                }
                Err(error) => tracing::warn!(%error, "could not start an Olm session"),
            }
        }
        for device in asked {
            if !got.contains(&device) {
                self.claim_failures.insert(device, self.clock_ms);
            }
        }
        self.store.save_changes(changes)?;
        // Wedged devices get their m.dummy over the fresh session; every room whose key is waiting
        // for one of these sessions gets it now.
        let unwedge: Vec<(UserId, DeviceId)> =
            got.iter().filter(|device| self.unwedge_pending.contains(*device)).cloned().collect();
        for device in unwedge {
            self.unwedge_pending.remove(&device);
            self.send_dummy(&device.0, &device.1)?;
        }
        self.share_pending_room_keys()
    }

    fn create_outbound_olm_session(
        &mut self,
        device: &DeviceInfo,
        keys: &Map<String, Value>,
    ) -> Result<OlmSession> {
        let rejected = |reason: String| Error::InvalidDeviceKeys {
            user: device.user_id.clone(),
            device: device.device_id.clone(),
            reason,
        };
        let (_, key) = keys
            .iter()
            .find(|(key_id, _)| key_id.starts_with(&format!("{SIGNED_CURVE25519}:")))
            .ok_or_else(|| rejected("the claim returned no signed_curve25519 key".to_owned()))?;
        let Value::Object(key) = key else {
            return Err(rejected("the claimed key is not an object".to_owned()));
        };
        let ed25519 =
            Ed25519PublicKey::from_base64(&device.ed25519).map_err(|error| rejected(error.to_string()))?;
        verify_json(key, &device.user_id, &format!("ed25519:{}", device.device_id), &ed25519)
            .map_err(|reason| rejected(format!("the one-time key: {reason}")))?;
        let one_time_key = key
            .get("key")
            .and_then(Value::as_str)
            .and_then(|key| Curve25519PublicKey::from_base64(key).ok())
            .ok_or_else(|| rejected("the one-time key is malformed".to_owned()))?;
        let identity_key = Curve25519PublicKey::from_base64(&device.curve25519)
            .map_err(|error| rejected(error.to_string()))?;
        let session = self
            .account
            .create_outbound_session(SessionConfig::version_1(), identity_key, one_time_key)
            .map_err(|error| rejected(error.to_string()))?;
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        Ok(OlmSession { session, created_ms: self.clock_ms, sequence })
    }

    /// How many Olm sessions we have with the device that owns `curve25519`.
    pub fn olm_session_count(&self, curve25519: &str) -> usize {
        self.sessions.get(curve25519).map_or(0, Vec::len)
    }
}

/// Checks one device of a keys query response: the ids in the body match where it was found, both
/// keys are there, and the device's own ed25519 key signed it.
pub fn verify_device_keys(user: &str, device_id: &str, keys: &Value) -> Result<DeviceInfo> {
    let rejected = |reason: &str| Error::InvalidDeviceKeys {
        user: user.to_owned(),
        device: device_id.to_owned(),
        reason: reason.to_owned(),
    };
    let Value::Object(object) = keys else { return Err(rejected("the device keys are not an object")) };
    if object.get("user_id").and_then(Value::as_str) != Some(user) {
        return Err(rejected("the user id in the keys is not the one they were listed under"));
    }
    if object.get("device_id").and_then(Value::as_str) != Some(device_id) {
        return Err(rejected("the device id in the keys is not the one they were listed under"));
    }
    let key = |algorithm: &str| {
        object
            .get("keys")
            .and_then(|keys| keys.get(format!("{algorithm}:{device_id}")))
            .and_then(Value::as_str)
    };
    let ed25519 = key("ed25519").ok_or_else(|| rejected("there is no ed25519 key"))?;
    let curve25519 = key("curve25519").ok_or_else(|| rejected("there is no curve25519 key"))?;
    let signing_key =
        Ed25519PublicKey::from_base64(ed25519).map_err(|_| rejected("the ed25519 key is malformed"))?;
    Curve25519PublicKey::from_base64(curve25519).map_err(|_| rejected("the curve25519 key is malformed"))?;
    verify_json(object, user, &format!("ed25519:{device_id}"), &signing_key)
        .map_err(|reason| rejected(&format!("the self-signature fails: {reason}")))?;
    let algorithms = object
        .get("algorithms")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let display_name = object
        .get("unsigned")
        .and_then(|unsigned| unsigned.get("device_display_name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(DeviceInfo {
        user_id: user.to_owned(),
        device_id: device_id.to_owned(),
        ed25519: ed25519.to_owned(),
        curve25519: curve25519.to_owned(),
        algorithms,
        display_name,
        first_seen_ms: 0,
        is_new: false,
        verified: false,
    })
}
