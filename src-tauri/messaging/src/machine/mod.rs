//! [`Machine`]: the end-to-end-encryption state machine of one Matrix device, in the shape of
//! matrix-sdk-crypto's `OlmMachine` but on vodozemac directly. It does no I/O: the transport pushes
//! what `/sync` brought into [`Machine::receive_sync_changes`], sends what
//! [`Machine::outgoing_requests`] hands out, and gives each response back to
//! [`Machine::mark_request_as_sent`]. Time comes in as milliseconds from the caller, so rotation and
//! rate limits are deterministic in tests.
//!
//! The machine keeps its working state in memory and writes every change through its
//! [`CryptoStore`] in one batch per call. Submodules: `keys` (our device and one-time keys, the
//! keys endpoints, other devices), `olm` (to-device encryption, replay and wedged sessions),
//! `megolm` (room keys and room events), `verification` (interactive SAS verification of devices).
//!
//! What it is not: it does not know rooms' membership or state (the caller passes members and the
//! `m.room.encryption` settings), does no cross-signing yet, and never logs a secret.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vodozemac::megolm::{GroupSession, GroupSessionPickle, InboundGroupSession, InboundGroupSessionPickle};
use vodozemac::olm::{Account, AccountPickle, Session, SessionPickle};

use crate::error::{Error, Result};
use crate::pickle_key::PickleKey;
use crate::store::{
    AccountRecord, Changes, CryptoStore, InboundGroupSessionRecord, OutboundGroupSessionRecord,
    OutboundState, SessionRecord, TrackedUser,
};
use crate::types::{
    DeviceId, DeviceInfo, OutgoingRequest, Request, RoomSettings, SyncChanges, ToDeviceResult, UserId,
};

pub(crate) mod keys;
mod megolm;
mod olm;
mod verification;

/// An Olm session with the time it was created and its place in creation order.
struct OlmSession {
    session: Session,
    created_ms: u64,
    sequence: u64,
}

struct InboundGroup {
    session: InboundGroupSession,
    sender_key: String,
    claimed_ed25519_key: String,
}

struct OutboundGroup {
    session: GroupSession,
    state: OutboundState,
}

/// Requests handed out and not yet acknowledged, with what the machine needs to know when their
/// responses come back.
#[derive(Default)]
struct InFlight {
    requests: BTreeMap<String, OutgoingRequest>,
    /// The keys query, with each user's change generation when it was built.
    query: Option<(String, BTreeMap<UserId, u64>)>,
    /// Devices whose one-time keys a claim request asks for.
    claims: BTreeMap<String, BTreeSet<(UserId, DeviceId)>>,
    /// Room keys on their way, by the to-device request that carries them.
    room_keys: BTreeMap<String, PendingRoomKey>,
}

impl InFlight {
    fn room_key_pending(&self, room_id: &str, session_id: &str, user: &str, device: &str) -> bool {
        self.room_keys.values().any(|pending| {
            pending.room_id == room_id
                && pending.session_id == session_id
                && pending
                    .recipients
                    .iter()
                    .any(|(recipient, recipient_device)| recipient == user && recipient_device == device)
        })
    }
}

/// A room key in a to-device request not yet acknowledged: the devices get it in `shared_with`
/// only when the request is marked as sent.
struct PendingRoomKey {
    room_id: String,
    session_id: String,
    message_index: u32,
    recipients: Vec<(UserId, DeviceId)>,
}

pub struct Machine {
    user_id: UserId,
    device_id: DeviceId,
    pickle_key: PickleKey,
    store: Box<dyn CryptoStore>,
    account: Account,
    /// Our device keys have been uploaded.
    shared: bool,
    /// The server's count of our unclaimed one-time keys, when known.
    server_key_count: Option<u64>,
    /// The server says our fallback key was used: publish a new one with the next upload.
    fallback_rotation_due: bool,
    /// Olm sessions by the other device's curve25519 key, oldest first.
    sessions: HashMap<String, Vec<OlmSession>>,
    next_sequence: u64,
    inbound_group_sessions: HashMap<(String, String), InboundGroup>,
    outbound_group_sessions: BTreeMap<String, OutboundGroup>,
    room_settings: BTreeMap<String, RoomSettings>,
    devices: BTreeMap<UserId, BTreeMap<DeviceId, DeviceInfo>>,
    tracked_users: BTreeMap<UserId, TrackedUser>,
    /// Bumped whenever a user's device list is marked dirty, so that a query answered after a
    /// newer change does not clear the newer change.
    change_generation: BTreeMap<UserId, u64>,
    in_flight: InFlight,
    /// When we last tried to unwedge each device (memory only: after a restart one more attempt is
    /// harmless).
    unwedge_attempts: BTreeMap<(UserId, DeviceId), u64>,
    /// Devices whose next claimed key starts a fresh session followed by an `m.dummy`.
    unwedge_pending: BTreeSet<(UserId, DeviceId)>,
    /// When a claim for a device last came back without a key, so we do not ask again at once.
    claim_failures: BTreeMap<(UserId, DeviceId), u64>,
    /// Interactive verifications by transaction id (memory only: see `verification`).
    verifications: BTreeMap<String, verification::Entry>,
    /// The latest time any call gave us; used by responses, which carry no time of their own.
    clock_ms: u64,
    request_prefix: String,
    request_counter: u64,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Machine")
            .field("user_id", &self.user_id)
            .field("device_id", &self.device_id)
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

/// How long a device's failed claim or unwedging is not retried.
const RETRY_INTERVAL_MS: u64 = 60 * 60 * 1000;

impl Machine {
    /// Opens the machine of `user_id` / `device_id` on `store`: loads its account and state, or
    /// creates a new Olm account if the store is empty. `pickle_key` decrypts what the store holds;
    /// a different key than the store was written with gives [`Error::WrongPickleKey`].
    pub fn new(
        user_id: &str,
        device_id: &str,
        mut store: Box<dyn CryptoStore>,
        pickle_key: PickleKey,
    ) -> Result<Self> {
        let key = pickle_key.bytes();
        let (account, shared) = match store.load_account()? {
            Some(record) => {
                if record.user_id != user_id || record.device_id != device_id {
                    return Err(Error::AccountMismatch {
                        stored_user: record.user_id,
                        stored_device: record.device_id,
                        user: user_id.to_owned(),
                        device: device_id.to_owned(),
                    });
                }
                let pickle = AccountPickle::from_encrypted(&record.pickle, key)
                    .map_err(|_| Error::WrongPickleKey { what: "Olm account" })?;
                (Account::from_pickle(pickle), record.shared)
            }
            None => {
                let account = Account::new();
                store.save_changes(Changes {
                    account: Some(AccountRecord {
                        user_id: user_id.to_owned(),
                        device_id: device_id.to_owned(),
                        pickle: account.pickle().encrypt(key),
                        shared: false,
                    }),
                    ..Changes::default()
                })?;
                (account, false)
            }
        };

        let mut sessions: HashMap<String, Vec<OlmSession>> = HashMap::new();
        let mut next_sequence = 0;
        for record in store.load_sessions()? {
            let pickle = SessionPickle::from_encrypted(&record.pickle, key)
                .map_err(|_| Error::WrongPickleKey { what: "Olm session" })?;
            next_sequence = next_sequence.max(record.sequence + 1);
            sessions.entry(record.sender_key).or_default().push(OlmSession {
                session: Session::from_pickle(pickle),
                created_ms: record.created_ms,
                sequence: record.sequence,
            });
        }
        let mut inbound_group_sessions = HashMap::new();
        for record in store.load_inbound_group_sessions()? {
            let pickle = InboundGroupSessionPickle::from_encrypted(&record.pickle, key)
                .map_err(|_| Error::WrongPickleKey { what: "room key" })?;
            inbound_group_sessions.insert(
                (record.room_id, record.session_id),
                InboundGroup {
                    session: InboundGroupSession::from_pickle(pickle),
                    sender_key: record.sender_key,
                    claimed_ed25519_key: record.claimed_ed25519_key,
                },
            );
        }
        let mut outbound_group_sessions = BTreeMap::new();
        let mut room_settings = BTreeMap::new();
        for record in store.load_outbound_group_sessions()? {
            let pickle = GroupSessionPickle::from_encrypted(&record.pickle, key)
                .map_err(|_| Error::WrongPickleKey { what: "outbound room key" })?;
            room_settings.insert(record.room_id.clone(), record.state.settings);
            outbound_group_sessions.insert(
                record.room_id,
                OutboundGroup { session: GroupSession::from_pickle(pickle), state: record.state },
            );
        }
        let mut devices: BTreeMap<UserId, BTreeMap<DeviceId, DeviceInfo>> = BTreeMap::new();
        for device in store.load_devices()? {
            devices.entry(device.user_id.clone()).or_default().insert(device.device_id.clone(), device);
        }
        let tracked_users =
            store.load_tracked_users()?.into_iter().map(|user| (user.user_id.clone(), user)).collect();

        let mut prefix = [0u8; 8];
        getrandom::fill(&mut prefix)
            .map_err(|error| Error::InvalidPickleKey { reason: format!("no randomness: {error}") })?;
        Ok(Self {
            user_id: user_id.to_owned(),
            device_id: device_id.to_owned(),
            pickle_key,
            store,
            account,
            shared,
            server_key_count: None,
            fallback_rotation_due: false,
            sessions,
            next_sequence,
            inbound_group_sessions,
            outbound_group_sessions,
            room_settings,
            devices,
            tracked_users,
            change_generation: BTreeMap::new(),
            in_flight: InFlight::default(),
            unwedge_attempts: BTreeMap::new(),
            unwedge_pending: BTreeSet::new(),
            claim_failures: BTreeMap::new(),
            verifications: BTreeMap::new(),
            clock_ms: 0,
            request_prefix: hex(&prefix),
            request_counter: 0,
        })
    }

    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The sync token saved with the last sync's changes: where the next `/sync` starts.
    pub fn sync_token(&self) -> Result<Option<String>> {
        self.store.load_sync_token()
    }

    /// Takes in what one `/sync` response brought: to-device events (decrypted and handled here;
    /// room keys are stored), device-list changes, and our key counts. Everything it changed is
    /// saved in one batch together with `next_batch`.
    pub fn receive_sync_changes(&mut self, sync: SyncChanges, now_ms: u64) -> Result<Vec<ToDeviceResult>> {
        self.tick(now_ms);
        let mut changes = Changes::default();
        for user in &sync.changed_devices {
            self.mark_dirty(user, &mut changes);
        }
        for user in &sync.left_devices {
            // We share no encrypted room with them any more: stop following their devices. If they
            // come back, `update_tracked_users` starts again with a fresh query.
            if self.tracked_users.remove(user).is_some() {
                changes.untracked_users.push(user.clone());
            }
        }
        self.receive_key_counts(&sync);

        self.expire_verifications();

        let mut batch = olm::Batch::default();
        let mut results = Vec::with_capacity(sync.to_device_events.len());
        for event in &sync.to_device_events {
            let result = self.receive_to_device(event, &mut batch);
            if let Some((sender, event_type, content)) = verification::message_parts(&result) {
                self.receive_verification_event(sender, event_type, content, &mut changes);
            }
            results.push(result);
        }
        self.finish_batch(batch, &mut changes);
        changes.sync_token = Some(sync.next_batch);
        self.store.save_changes(changes)?;
        Ok(results)
    }

    /// The requests to send now: a keys upload when our keys need publishing, a keys query for
    /// users whose device lists are out of date, and the claims and to-device messages that
    /// sharing room keys queued. A request comes back on every call until it is marked as sent.
    pub fn outgoing_requests(&mut self) -> Result<Vec<OutgoingRequest>> {
        self.queue_keys_upload()?;
        self.queue_keys_query();
        Ok(self.in_flight.requests.values().cloned().collect())
    }

    /// Consumes the JSON response of a request handed out by [`Machine::outgoing_requests`] (or by
    /// [`Machine::share_room_key`]).
    pub fn mark_request_as_sent(&mut self, request_id: &str, response: &serde_json::Value) -> Result<()> {
        let request = self
            .in_flight
            .requests
            .remove(request_id)
            .ok_or_else(|| Error::UnknownRequest { request_id: request_id.to_owned() })?;
        match request.request {
            Request::KeysUpload { .. } => self.receive_keys_upload_response(request_id, response),
            Request::KeysQuery { .. } => self.receive_keys_query_response(request_id, response),
            Request::KeysClaim { .. } => self.receive_keys_claim_response(request_id, response),
            Request::ToDevice { .. } => self.room_key_delivered(request_id),
        }
    }

    /// Sets the rotation settings of a room from its `m.room.encryption` state content.
    pub fn set_room_encryption(&mut self, room_id: &str, encryption_content: &serde_json::Value) {
        self.room_settings
            .insert(room_id.to_owned(), RoomSettings::from_encryption_event(encryption_content));
    }

    fn tick(&mut self, now_ms: u64) {
        self.clock_ms = self.clock_ms.max(now_ms);
    }

    fn next_request_id(&mut self) -> String {
        self.request_counter += 1;
        format!("{}-{}", self.request_prefix, self.request_counter)
    }

    fn queue(&mut self, request: Request) -> OutgoingRequest {
        let request_id = match &request {
            Request::ToDevice { txn_id, .. } => txn_id.clone(),
            _ => self.next_request_id(),
        };
        let outgoing = OutgoingRequest { request_id: request_id.clone(), request };
        self.in_flight.requests.insert(request_id, outgoing.clone());
        outgoing
    }

    fn account_record(&self) -> AccountRecord {
        AccountRecord {
            user_id: self.user_id.clone(),
            device_id: self.device_id.clone(),
            pickle: self.account.pickle().encrypt(self.pickle_key.bytes()),
            shared: self.shared,
        }
    }

    fn session_record(&self, sender_key: &str, session: &OlmSession) -> SessionRecord {
        SessionRecord {
            session_id: session.session.session_id(),
            sender_key: sender_key.to_owned(),
            pickle: session.session.pickle().encrypt(self.pickle_key.bytes()),
            created_ms: session.created_ms,
            sequence: session.sequence,
        }
    }

    fn inbound_record(&self, room_id: &str, session_id: &str) -> Option<InboundGroupSessionRecord> {
        let entry = self.inbound_group_sessions.get(&(room_id.to_owned(), session_id.to_owned()))?;
        Some(InboundGroupSessionRecord {
            room_id: room_id.to_owned(),
            session_id: session_id.to_owned(),
            sender_key: entry.sender_key.clone(),
            claimed_ed25519_key: entry.claimed_ed25519_key.clone(),
            pickle: entry.session.pickle().encrypt(self.pickle_key.bytes()),
        })
    }

    fn outbound_record(&self, room_id: &str) -> Option<OutboundGroupSessionRecord> {
        let entry = self.outbound_group_sessions.get(room_id)?;
        Some(OutboundGroupSessionRecord {
            room_id: room_id.to_owned(),
            session_id: entry.session.session_id(),
            pickle: entry.session.pickle().encrypt(self.pickle_key.bytes()),
            state: entry.state.clone(),
        })
    }
}

/// Lowercase hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}
