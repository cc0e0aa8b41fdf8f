//! A tiny in-memory homeserver for the machine's tests: it plays the keys endpoints (upload, query,
//! claim), sendToDevice and the encryption parts of /sync, with just enough of Synapse's behaviour
//! (one-time keys are claimed once, a fallback key is handed out when they run out and is then
//! reported as used). Tests against a real Synapse, with matrix-nio as an independent libolm peer,
//! come later in the transport crate (DESIGN §8); these keep the crypto logic deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.
#![allow(dead_code)] // Each test file uses a different part of the helpers.

use std::collections::{BTreeMap, BTreeSet};

use commonplace_messaging::{
    Machine, MemoryStore, OutgoingRequest, PickleKey, Request, SyncChanges, ToDeviceResult,
};
use serde_json::{Value, json};

pub const HOUR: u64 = 60 * 60 * 1000;
pub const WEEK: u64 = 7 * 24 * HOUR;

pub fn pickle_key() -> PickleKey {
    PickleKey::from_bytes([42; 32])
}

#[derive(Default)]
pub struct Homeserver {
    pub device_keys: BTreeMap<String, BTreeMap<String, Value>>,
    pub one_time_keys: BTreeMap<(String, String), BTreeMap<String, Value>>,
    /// The fallback key of each device and whether it has been handed out.
    pub fallback_keys: BTreeMap<(String, String), (String, Value, bool)>,
    pub inbox: BTreeMap<(String, String), Vec<Value>>,
    pub changed: BTreeMap<(String, String), BTreeSet<String>>,
    /// Every request body the server received, by endpoint, for the snapshot tests.
    pub received: Vec<(String, Value)>,
    batch: u64,
}

pub struct Client {
    pub user: String,
    pub device: String,
    pub machine: Machine,
}

impl Client {
    pub fn new(user: &str, device: &str) -> Self {
        Self::with_machine(
            user,
            device,
            Machine::new(user, device, Box::new(MemoryStore::new()), pickle_key()).unwrap(),
        )
    }

    pub fn with_machine(user: &str, device: &str, machine: Machine) -> Self {
        Self { user: user.to_owned(), device: device.to_owned(), machine }
    }
}

impl Homeserver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers one request as the endpoint would.
    pub fn handle(&mut self, user: &str, device: &str, request: &Request) -> Value {
        self.received.push((request.endpoint().1, request.body()));
        let body = request.body();
        match request {
            Request::KeysUpload { .. } => {
                let key = (user.to_owned(), device.to_owned());
                if let Some(keys) = body.get("device_keys") {
                    let is_new =
                        !self.device_keys.get(user).is_some_and(|devices| devices.contains_key(device));
                    self.device_keys
                        .entry(user.to_owned())
                        .or_default()
                        .insert(device.to_owned(), keys.clone());
                    if is_new {
                        self.announce_change(user);
                    }
                }
                if let Some(Value::Object(keys)) = body.get("one_time_keys") {
                    let stored = self.one_time_keys.entry(key.clone()).or_default();
                    for (key_id, value) in keys {
                        assert!(!stored.contains_key(key_id), "one-time key id {key_id} reused");
                        stored.insert(key_id.clone(), value.clone());
                    }
                }
                if let Some(Value::Object(keys)) = body.get("fallback_keys") {
                    for (key_id, value) in keys {
                        self.fallback_keys.insert(key.clone(), (key_id.clone(), value.clone(), false));
                    }
                }
                json!({ "one_time_key_counts": { "signed_curve25519": self.one_time_keys.get(&key).map_or(0, BTreeMap::len) } })
            }
            Request::KeysQuery { users } => {
                let mut device_keys = serde_json::Map::new();
                for user in users {
                    device_keys
                        .insert(user.clone(), json!(self.device_keys.get(user).cloned().unwrap_or_default()));
                }
                json!({ "device_keys": device_keys, "failures": {} })
            }
            Request::KeysClaim { one_time_keys } => {
                let mut claimed: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
                for (user, devices) in one_time_keys {
                    for device in devices.keys() {
                        let key = (user.clone(), device.clone());
                        let one_time = self.one_time_keys.get_mut(&key).and_then(|keys| keys.pop_first());
                        let found = match one_time {
                            Some((key_id, value)) => Some(json!({ key_id: value })),
                            None => self.fallback_keys.get_mut(&key).map(|(key_id, value, used)| {
                                *used = true;
                                json!({ key_id.clone(): value })
                            }),
                        };
                        if let Some(found) = found {
                            claimed.entry(user.clone()).or_default().insert(device.clone(), found);
                        }
                    }
                }
                json!({ "one_time_keys": claimed, "failures": {} })
            }
            Request::ToDevice { event_type, messages, .. } => {
                for (recipient, devices) in messages {
                    for (recipient_device, content) in devices {
                        self.inbox.entry((recipient.clone(), recipient_device.clone())).or_default().push(
                            json!({
                                "type": event_type,
                                "sender": user,
                                "content": content,
                            }),
                        );
                    }
                }
                json!({})
            }
        }
    }

    fn announce_change(&mut self, user: &str) {
        for devices in self.device_keys.clone().into_iter() {
            for device in devices.1.keys() {
                self.changed.entry((devices.0.clone(), device.clone())).or_default().insert(user.to_owned());
            }
        }
    }

    pub fn delete_device(&mut self, user: &str, device: &str) {
        if let Some(devices) = self.device_keys.get_mut(user) {
            devices.remove(device);
        }
        self.announce_change(user);
    }

    /// The encryption part of a /sync for this device.
    pub fn sync_changes(&mut self, user: &str, device: &str) -> SyncChanges {
        let key = (user.to_owned(), device.to_owned());
        self.batch += 1;
        SyncChanges {
            to_device_events: self.inbox.remove(&key).unwrap_or_default(),
            changed_devices: self.changed.remove(&key).unwrap_or_default().into_iter().collect(),
            left_devices: Vec::new(),
            one_time_key_counts: BTreeMap::from([(
                "signed_curve25519".to_owned(),
                self.one_time_keys.get(&key).map_or(0, BTreeMap::len) as u64,
            )]),
            unused_fallback_key_types: Some(match self.fallback_keys.get(&key) {
                Some((_, _, false)) => vec!["signed_curve25519".to_owned()],
                _ => Vec::new(),
            }),
            next_batch: format!("s{}", self.batch),
        }
    }

    /// Sends everything the client's machine wants sent, until it wants nothing more.
    pub fn flush(&mut self, client: &mut Client) {
        for _ in 0..10 {
            let requests = client.machine.outgoing_requests().unwrap();
            if requests.is_empty() {
                return;
            }
            self.answer(client, requests);
        }
        panic!("the machine kept asking for requests");
    }

    pub fn answer(&mut self, client: &mut Client, requests: Vec<OutgoingRequest>) {
        for request in requests {
            let response = self.handle(&client.user, &client.device, &request.request);
            client.machine.mark_request_as_sent(&request.request_id, &response).unwrap();
        }
    }

    /// One sync for the client, then its requests.
    pub fn sync(&mut self, client: &mut Client, now: u64) -> Vec<ToDeviceResult> {
        let changes = self.sync_changes(&client.user, &client.device);
        let results = client.machine.receive_sync_changes(changes, now).unwrap();
        self.flush(client);
        results
    }

    /// Shares the room key of `room` from `client` with `members` and delivers what that needs.
    pub fn share(&mut self, client: &mut Client, room: &str, members: &[&str], now: u64) {
        let requests = client.machine.share_room_key(room, members, now).unwrap();
        self.answer(client, requests);
        self.flush(client);
    }
}

/// A room event as the server would deliver it.
pub fn room_event(event_id: &str, sender: &str, content: Value) -> Value {
    json!({ "event_id": event_id, "sender": sender, "type": "m.room.encrypted", "content": content })
}

/// Alice, Bob's two devices, all uploaded, tracking each other, with their device lists fetched.
pub fn alice_and_bob(server: &mut Homeserver) -> (Client, Client, Client) {
    let mut alice = Client::new("@alice:example.org", "ALICE");
    let mut bob1 = Client::new("@bob:example.org", "BOB1");
    let mut bob2 = Client::new("@bob:example.org", "BOB2");
    for client in [&mut alice, &mut bob1, &mut bob2] {
        server.flush(client);
    }
    for client in [&mut alice, &mut bob1, &mut bob2] {
        client.machine.update_tracked_users(["@alice:example.org", "@bob:example.org"]).unwrap();
        server.sync(client, 0);
    }
    (alice, bob1, bob2)
}

pub fn decrypted_types(results: &[ToDeviceResult]) -> Vec<String> {
    results
        .iter()
        .map(|result| match result {
            ToDeviceResult::Decrypted(event) => event.event_type.clone(),
            ToDeviceResult::PlainText(event) => format!("plain {}", event["type"]),
            ToDeviceResult::Failed { error, .. } => format!("failed: {error}"),
        })
        .collect()
}
