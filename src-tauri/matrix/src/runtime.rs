//! [`Account`]: one Matrix identity on this device, with its E2EE machine and its timeline — the
//! small loop around the sans-I/O machine. It feeds each `/sync` into the machine (to-device
//! messages, device lists, key counts) and the timeline (rooms, members, decrypted events), sends
//! whatever the machine asks for until it asks for nothing, and sends queued messages through the
//! outbox: queued first, then shared, encrypted and sent with a transaction id that a retry reuses.
//! Interactive device verification (emoji / decimal SAS) is in the `verification` submodule.
//!
//! Accounts live in separate folders under a data folder, so no two share a key, a token or a
//! timeline:
//!
//! ```text
//! <data>/accounts.json                    which accounts there are (AccountEntry)
//! <data>/accounts/<user id, escaped>/
//!     session.json                        homeserver, user, device; the access token sealed
//!                                         under the pickle key (mode 0600)
//!     crypto.sqlite                       the machine's store (pickles under the pickle key)
//!     timeline.sqlite                     rooms, members, decrypted events, outbox
//! ```
//!
//! What it is not: a background service. Each call does its work and returns; an app runs
//! [`Account::sync_once`] in a loop (or feeds [`crate::SyncLoop`]'s responses to
//! [`Account::process_sync`]).

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use commonplace_messaging::{
    Machine, Member, Membership, PickleKey, Request, RoomSummary, RoomUpdate, SqliteStore, SyncBatch,
    SyncChanges, Timeline, TimelineEvent, ToDeviceResult, content, sealed,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod verification;

use crate::{
    ContentUri, CreateRoomRequest, Direction, Error, LoginRequest, MEGOLM_ALGORITHM, MessagesRequest, Result,
    Secret, Session, SyncRequest, SyncResponse, discover, timeline_limit_filter,
};

/// The list of accounts in a data folder.
pub const ACCOUNTS_FILE: &str = "accounts.json";
/// The largest attachment downloaded (and sent): 100 MiB.
pub const ATTACHMENT_LIMIT: u64 = 100 * 1024 * 1024;
/// How many timeline events one sync asks for per room.
const TIMELINE_LIMIT: u32 = 50;
/// The name our device gets on the homeserver.
const DEVICE_NAME: &str = "Commonplace";

/// One line of `accounts.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    pub user_id: String,
    pub homeserver: String,
    pub device_id: String,
    /// The account's folder, relative to the data folder.
    pub folder: String,
}

/// What `session.json` holds: the session, with the access token sealed under the pickle key
/// (`commonplace_messaging::sealed`), so no secret of the account is on disk in the clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    pub homeserver: url::Url,
    pub user_id: String,
    pub device_id: String,
    pub sealed_access_token: String,
}

const ACCESS_TOKEN_PURPOSE: &str = "access token";

impl StoredSession {
    pub fn seal(session: &Session, pickle_key: &PickleKey) -> Result<Self> {
        Ok(StoredSession {
            homeserver: session.homeserver.clone(),
            user_id: session.user_id.clone(),
            device_id: session.device_id.clone(),
            sealed_access_token: sealed::seal(
                pickle_key,
                ACCESS_TOKEN_PURPOSE,
                session.access_token.expose().as_bytes(),
            )?,
        })
    }

    pub fn open(&self, pickle_key: &PickleKey) -> Result<Session> {
        let token = sealed::open(pickle_key, ACCESS_TOKEN_PURPOSE, &self.sealed_access_token)?;
        let token = String::from_utf8(token).map_err(|_| {
            Error::Messaging(commonplace_messaging::Error::WrongPickleKey { what: ACCESS_TOKEN_PURPOSE })
        })?;
        Ok(Session {
            homeserver: self.homeserver.clone(),
            user_id: self.user_id.clone(),
            device_id: self.device_id.clone(),
            access_token: Secret::new(token),
        })
    }
}

fn read_session(folder: &Path, pickle_key: &PickleKey) -> Result<Session> {
    let session_path = folder.join("session.json");
    let bytes = std::fs::read(&session_path).map_err(io_error("read", &session_path))?;
    let stored: StoredSession =
        serde_json::from_slice(&bytes).map_err(|source| Error::AccountFile { path: session_path, source })?;
    stored.open(pickle_key)
}

/// One person who can read a room, with their devices as this device knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    pub user_id: String,
    pub membership: Membership,
    pub devices: Vec<commonplace_messaging::DeviceInfo>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Room events stored (new or newly decrypted).
    pub events: usize,
    /// Rooms we are invited to and did not join.
    pub invites: Vec<String>,
    /// Rooms joined because of an invite (only with auto-join).
    pub joined: Vec<String>,
    /// Queued messages sent by this sync.
    pub sent: usize,
    /// Messages still queued (the homeserver was not reachable).
    pub queued: usize,
    /// The room events this sync brought (decrypted where possible), for notifications.
    #[serde(skip)]
    pub new_events: Vec<TimelineEvent>,
    /// This was the account's first sync: its events are history, not news.
    pub initial: bool,
    /// The verifications (transaction ids) this sync moved on: a new incoming one, keys to
    /// compare, done, cancelled.
    pub verifications: Vec<String>,
}

/// What became of a message handed to [`Account::send_text`] or [`Account::send_file`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SendOutcome {
    /// The homeserver has it.
    Sent { room_id: String, event_id: String, transaction_id: String },
    /// The homeserver could not be reached: it waits in the outbox and goes out, in order and
    /// once, with a later sync or [`Account::flush_outbox`].
    Queued { room_id: String, transaction_id: String },
}

/// What [`Account::flush_outbox`] did.
#[derive(Debug, Default)]
pub struct FlushReport {
    /// Transaction id → event id of what went out.
    pub sent: Vec<(String, String)>,
    /// Messages still queued.
    pub pending: usize,
    /// Messages the homeserver refused for good, with the reason; they left the outbox.
    pub refused: Vec<(String, Error)>,
    /// Why the flush stopped early (the homeserver is away), if it did.
    pub interrupted: Option<Error>,
}

pub struct Account {
    data_dir: PathBuf,
    folder: PathBuf,
    client: crate::Client,
    machine: Machine,
    timeline: Timeline,
    auto_join: bool,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Account")
            .field("user_id", &self.machine.user_id())
            .field("device_id", &self.machine.device_id())
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_millis() as u64).unwrap_or_default()
}

/// The folder name of a user id: lowercase letters, digits, `.` and `-` as they are, every other
/// byte as `_` and two hex digits, so that two user ids never share a folder and none escapes.
pub fn account_folder_name(user_id: &str) -> String {
    let mut name = String::with_capacity(user_id.len() * 2);
    for byte in user_id.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' => name.push(byte as char),
            other => name.push_str(&format!("_{other:02x}")),
        }
    }
    name
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::AccountStorage { action, path: path.to_path_buf(), source }
}

/// The accounts in `data_dir`, in the order they were added.
pub fn list_accounts(data_dir: &Path) -> Result<Vec<AccountEntry>> {
    let path = data_dir.join(ACCOUNTS_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|source| Error::AccountFile { path: path.clone(), source })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(io_error("read", &path)(error)),
    }
}

/// Writes a file through a temporary sibling and a rename, so it is never half-written.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    use std::io::Write as _;
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&temporary).map_err(io_error("create", &temporary))?;
    file.write_all(bytes).map_err(io_error("write", &temporary))?;
    file.sync_all().map_err(io_error("write", &temporary))?;
    std::fs::rename(&temporary, path).map_err(io_error("rename into", path))
}

fn save_accounts(data_dir: &Path, entries: &[AccountEntry]) -> Result<()> {
    let path = data_dir.join(ACCOUNTS_FILE);
    let bytes = serde_json::to_vec_pretty(entries)
        .map_err(|source| Error::AccountFile { path: path.clone(), source })?;
    write_atomically(&path, &bytes, false)
}

/// Finds the account `user` names (a full user id, or a localpart when only one account has it);
/// with `None`, the first account.
pub fn find_account(data_dir: &Path, user: Option<&str>) -> Result<AccountEntry> {
    let entries = list_accounts(data_dir)?;
    let Some(user) = user else {
        return entries
            .into_iter()
            .next()
            .ok_or_else(|| Error::NoAccount { data_dir: data_dir.to_path_buf() });
    };
    if let Some(entry) = entries.iter().find(|entry| entry.user_id == user) {
        return Ok(entry.clone());
    }
    let localpart = user.trim_start_matches('@');
    let matches: Vec<&AccountEntry> = entries
        .iter()
        .filter(|entry| entry.user_id.trim_start_matches('@').split(':').next() == Some(localpart))
        .collect();
    match matches.as_slice() {
        [entry] => Ok((*entry).clone()),
        _ => Err(Error::UnknownAccount { user: user.to_owned() }),
    }
}

impl Account {
    /// Adds an account: finds the homeserver (`.well-known`, or the URL as given), logs in with a
    /// password, and sets up the account's folder, machine and timeline, then publishes the
    /// device's keys. Adding an account that is already here logs in as the same device again.
    pub async fn add(
        data_dir: &Path,
        homeserver_or_server_name: &str,
        user: &str,
        password: &str,
        pickle_key: PickleKey,
    ) -> Result<Account> {
        let discovery = discover(homeserver_or_server_name).await?;
        let client = crate::Client::new(discovery.homeserver.as_str())?;
        let known = find_account(data_dir, Some(user)).ok();
        let mut request = LoginRequest::password(user, password).initial_device_display_name(DEVICE_NAME);
        if let Some(entry) = &known {
            request = request.device_id(entry.device_id.clone());
        }
        let session = client.login(&request).await?;
        let folder_name = format!("accounts/{}", account_folder_name(&session.user_id));
        let folder = data_dir.join(&folder_name);
        std::fs::create_dir_all(&folder).map_err(io_error("create", &folder))?;
        let session_path = folder.join("session.json");
        let bytes = serde_json::to_vec_pretty(&StoredSession::seal(&session, &pickle_key)?)
            .map_err(|source| Error::AccountFile { path: session_path.clone(), source })?;
        write_atomically(&session_path, &bytes, true)?;

        let mut entries = list_accounts(data_dir)?;
        let entry = AccountEntry {
            user_id: session.user_id.clone(),
            homeserver: session.homeserver.to_string(),
            device_id: session.device_id.clone(),
            folder: folder_name,
        };
        match entries.iter_mut().find(|existing| existing.user_id == entry.user_id) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
        save_accounts(data_dir, &entries)?;

        let mut account = Account::load(data_dir, &folder, client.with_session(session), pickle_key)?;
        account.send_outgoing().await?;
        Ok(account)
    }

    /// Opens an account added earlier (`user` as for [`find_account`]): the same device, with its
    /// keys and its timeline.
    pub fn open(data_dir: &Path, user: Option<&str>, pickle_key: PickleKey) -> Result<Account> {
        let entry = find_account(data_dir, user)?;
        let folder = data_dir.join(&entry.folder);
        let client = crate::Client::restore(read_session(&folder, &pickle_key)?)?;
        Account::load(data_dir, &folder, client, pickle_key)
    }

    fn load(data_dir: &Path, folder: &Path, client: crate::Client, pickle_key: PickleKey) -> Result<Account> {
        let session = client.session().ok_or(Error::NotLoggedIn { endpoint: "open account" })?;
        let store = SqliteStore::open(folder.join("crypto.sqlite"))?;
        let mut machine = Machine::new(&session.user_id, &session.device_id, Box::new(store), pickle_key)?;
        let timeline = Timeline::open(folder.join("timeline.sqlite"))?;
        // The machine keeps rotation settings in memory only for rooms it has a key for.
        for room in timeline.rooms()? {
            if let Some(encryption) = &room.encryption {
                machine.set_room_encryption(&room.room_id, encryption);
            }
        }
        Ok(Account {
            data_dir: data_dir.to_path_buf(),
            folder: folder.to_path_buf(),
            client,
            machine,
            timeline,
            auto_join: false,
        })
    }

    pub fn user_id(&self) -> &str {
        self.machine.user_id()
    }

    pub fn device_id(&self) -> &str {
        self.machine.device_id()
    }

    /// Our device's (ed25519, curve25519) identity keys.
    pub fn identity_keys(&self) -> (String, String) {
        self.machine.identity_keys()
    }

    pub fn client(&self) -> &crate::Client {
        &self.client
    }

    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Whether syncs accept invitations by themselves (off unless asked for).
    pub fn set_auto_join(&mut self, auto_join: bool) {
        self.auto_join = auto_join;
    }

    /// One `/sync` (waiting up to `timeout` for news), processed with [`Account::process_sync`].
    pub async fn sync_once(&mut self, timeout: Duration) -> Result<SyncReport> {
        let request = self.sync_request(timeout)?;
        let response = self.client.sync(&request).await?;
        self.process_sync(response).await
    }

    /// The next `/sync` request: from the saved token, waiting up to `timeout`. For a loop that
    /// long-polls with a clone of [`Account::client`] while others use the account, then hands the
    /// response to [`Account::process_sync`].
    pub fn sync_request(&self, timeout: Duration) -> Result<SyncRequest> {
        Ok(SyncRequest {
            since: self.timeline.sync_token()?,
            timeout,
            filter: Some(timeline_limit_filter(TIMELINE_LIMIT)),
            ..SyncRequest::default()
        })
    }

    /// Accepts the invitation to `room_id`: joins it, and files it as a direct message with the
    /// person who invited us when the invitation said it was one.
    pub async fn accept_invite(&mut self, room_id: &str) -> Result<RoomSummary> {
        let direct_with = self.timeline.room(room_id)?.and_then(|room| room.direct_with);
        self.client.join(room_id).await?;
        self.timeline.record_room(RoomUpdate::new(room_id, Membership::Join), None)?;
        if let Some(partner) = &direct_with {
            self.mark_direct(partner, room_id).await?;
        }
        self.timeline.room(room_id)?.ok_or_else(|| Error::RoomNotFound { room_id: room_id.to_owned() })
    }

    /// Takes in one `/sync` response: the machine gets the to-device events, device lists and key
    /// counts (and saves them with the token); the timeline gets rooms, members and decrypted
    /// events in one transaction with the same token; then the machine's requests and the outbox
    /// go out.
    pub async fn process_sync(&mut self, response: SyncResponse) -> Result<SyncReport> {
        let now = now_ms();
        let initial = self.timeline.sync_token()?.is_none();
        let changes = SyncChanges {
            to_device_events: response.to_device.events.clone(),
            changed_devices: response.device_lists.changed.clone(),
            left_devices: response.device_lists.left.clone(),
            one_time_key_counts: response.device_one_time_keys_count.clone(),
            unused_fallback_key_types: response.device_unused_fallback_key_types.clone(),
            next_batch: response.next_batch.clone(),
        };
        let verifications_before: BTreeMap<String, commonplace_messaging::VerificationState> = self
            .machine
            .verifications()
            .into_iter()
            .map(|verification| (verification.transaction_id, verification.state))
            .collect();
        let mut room_keys_arrived = false;
        for result in self.machine.receive_sync_changes(changes, now)? {
            match result {
                ToDeviceResult::Decrypted(decrypted) => {
                    room_keys_arrived |= decrypted.event_type == "m.room_key";
                }
                ToDeviceResult::Failed { sender, error } => {
                    tracing::warn!(%sender, %error, "a to-device message could not be used");
                }
                ToDeviceResult::PlainText(_) => {}
            }
        }

        let mut report = SyncReport { initial, ..SyncReport::default() };
        let mut batch = SyncBatch { next_batch: response.next_batch.clone(), ..SyncBatch::default() };
        for event in &response.account_data.events {
            if event.get("type").and_then(Value::as_str) == Some("m.direct") {
                batch.direct = Some(parse_direct(event.get("content").unwrap_or(&Value::Null)));
            }
        }
        for (room_id, room) in &response.rooms.join {
            let mut update = RoomUpdate::new(room_id, Membership::Join);
            update.prev_batch = room.timeline.prev_batch.clone();
            for event in room.state.events.iter().chain(&room.timeline.events) {
                self.read_state_event(event, &mut update);
            }
            update.events = self.decrypt_timeline(room_id, &room.timeline.events)?;
            report.events += update.events.len();
            report.new_events.extend(update.events.iter().cloned());
            batch.rooms.push(update);
        }
        let mut invited_direct = Vec::new();
        for (room_id, room) in &response.rooms.invite {
            let mut update = RoomUpdate::new(room_id, Membership::Invite);
            for event in &room.invite_state.events {
                self.read_state_event(event, &mut update);
                let for_us = event.get("state_key").and_then(Value::as_str) == Some(self.user_id());
                if event.get("type").and_then(Value::as_str) == Some("m.room.member")
                    && for_us
                    && event.pointer("/content/is_direct").and_then(Value::as_bool) == Some(true)
                    && let Some(sender) = event.get("sender").and_then(Value::as_str)
                {
                    invited_direct.push((room_id.clone(), sender.to_owned()));
                }
            }
            batch.rooms.push(update);
        }
        for room_id in response.rooms.leave.keys() {
            batch.rooms.push(RoomUpdate::new(room_id, Membership::Leave));
        }
        if room_keys_arrived {
            batch.redecrypted = self.retry_undecryptable()?;
            report.events += batch.redecrypted.len();
        }
        let touched: Vec<String> = batch.rooms.iter().map(|room| room.room_id.clone()).collect();
        self.timeline.apply(batch)?;

        // Follow the devices of everyone in our encrypted rooms.
        for room_id in &touched {
            if self
                .timeline
                .room(room_id)?
                .is_some_and(|room| room.encrypted && room.membership == Membership::Join)
            {
                let members = self.current_members(room_id)?;
                self.machine.update_tracked_users(members.iter().map(String::as_str))?;
            }
        }

        // An invitation marked as direct names its sender as the other person; kept with the
        // invitation so that accepting it later (another sync, another run) files it as a DM.
        for (room_id, partner) in &invited_direct {
            self.timeline.record_room(RoomUpdate::new(room_id, Membership::Invite), Some(partner))?;
        }
        // Every pending invitation, not only this sync's: auto-join may be asked for later.
        for room in self.timeline.rooms()? {
            if room.membership != Membership::Invite {
                continue;
            }
            if !self.auto_join {
                report.invites.push(room.room_id);
                continue;
            }
            match self.accept_invite(&room.room_id).await {
                Ok(_) => report.joined.push(room.room_id),
                Err(error) => {
                    tracing::warn!(room_id = %room.room_id, %error, "could not accept an invitation");
                    report.invites.push(room.room_id);
                }
            }
        }

        self.send_outgoing().await?;
        let flushed = self.flush_outbox().await?;
        report.sent = flushed.sent.len();
        report.queued = flushed.pending;
        report.verifications = self
            .machine
            .verifications()
            .into_iter()
            .filter(|verification| {
                verifications_before.get(&verification.transaction_id) != Some(&verification.state)
            })
            .map(|verification| verification.transaction_id)
            .collect();
        Ok(report)
    }

    fn read_state_event(&mut self, event: &Value, update: &mut RoomUpdate) {
        let Some(state_key) = event.get("state_key").and_then(Value::as_str) else { return };
        let content = event.get("content").cloned().unwrap_or(Value::Null);
        match event.get("type").and_then(Value::as_str) {
            Some("m.room.name") => {
                update.name = content.get("name").and_then(Value::as_str).map(str::to_owned);
            }
            Some("m.room.encryption")
                if content.get("algorithm").and_then(Value::as_str) == Some(MEGOLM_ALGORITHM) =>
            {
                self.machine.set_room_encryption(&update.room_id, &content);
                update.encryption = Some(content);
            }
            Some("m.room.member") => {
                let membership = content.get("membership").and_then(Value::as_str).unwrap_or("leave");
                update.members.push(Member {
                    user_id: state_key.to_owned(),
                    membership: Membership::parse(membership),
                    display_name: content.get("displayname").and_then(Value::as_str).map(str::to_owned),
                });
            }
            _ => {}
        }
    }

    /// The room's timeline events as the timeline stores them: messages as they are, encrypted
    /// events decrypted or marked with the reason they could not be. Other events are not kept.
    fn decrypt_timeline(&mut self, room_id: &str, events: &[Value]) -> Result<Vec<TimelineEvent>> {
        let encrypted: Vec<Value> = events
            .iter()
            .filter(|event| event.get("type").and_then(Value::as_str) == Some("m.room.encrypted"))
            .cloned()
            .collect();
        let mut decrypted = self.machine.decrypt_room_events(room_id, &encrypted)?.into_iter();
        let mut timeline = Vec::new();
        for event in events {
            match event.get("type").and_then(Value::as_str) {
                Some("m.room.encrypted") => {
                    let result = decrypted.next();
                    timeline.push(match result {
                        Some(Ok(plain)) => TimelineEvent::from_content(
                            event,
                            room_id,
                            &plain.event_type,
                            plain.content,
                            true,
                        ),
                        Some(Err(error)) => TimelineEvent::undecryptable(event, room_id, error.to_string()),
                        None => TimelineEvent::undecryptable(event, room_id, "not decrypted".to_owned()),
                    });
                }
                Some("m.room.message") => {
                    let content = event.get("content").cloned().unwrap_or(Value::Null);
                    timeline.push(TimelineEvent::from_content(
                        event,
                        room_id,
                        "m.room.message",
                        content,
                        false,
                    ));
                }
                _ => {}
            }
        }
        Ok(timeline)
    }

    /// Tries the events still undecryptable again, now that room keys came.
    fn retry_undecryptable(&mut self) -> Result<Vec<TimelineEvent>> {
        let mut opened = Vec::new();
        for waiting in self.timeline.undecryptable(500)? {
            let Some(raw) = &waiting.raw else { continue };
            if let Ok(plain) = self.machine.decrypt_room_event(&waiting.room_id, raw) {
                opened.push(TimelineEvent::from_content(
                    raw,
                    &waiting.room_id,
                    &plain.event_type,
                    plain.content,
                    true,
                ));
            }
        }
        Ok(opened)
    }

    /// The users who are in the room or invited to it, ourselves included.
    fn current_members(&self, room_id: &str) -> Result<Vec<String>> {
        let mut members: Vec<String> = self
            .timeline
            .members(room_id)?
            .into_iter()
            .filter(|member| matches!(member.membership, Membership::Join | Membership::Invite))
            .map(|member| member.user_id)
            .collect();
        if !members.iter().any(|member| member == self.user_id()) {
            members.push(self.user_id().to_owned());
        }
        Ok(members)
    }

    /// Who can read what is sent in `room_id` now: its joined and invited members, each with the
    /// devices of theirs we know of (the room key goes to every one of them). Our own other
    /// devices are listed too; this device is not.
    pub fn readers(&self, room_id: &str) -> Result<Vec<Reader>> {
        if self.timeline.room(room_id)?.is_none() {
            return Err(Error::RoomNotFound { room_id: room_id.to_owned() });
        }
        let mut readers: Vec<Reader> = self
            .timeline
            .members(room_id)?
            .into_iter()
            .filter(|member| matches!(member.membership, Membership::Join | Membership::Invite))
            .map(|member| {
                let mut devices = self.machine.devices(&member.user_id);
                devices.retain(|device| {
                    !(device.user_id == self.user_id() && device.device_id == self.device_id())
                });
                devices.sort_by(|a, b| a.device_id.cmp(&b.device_id));
                Reader { user_id: member.user_id, membership: member.membership, devices }
            })
            .collect();
        readers.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        Ok(readers)
    }

    /// The person has seen that `user` has the device `device_id`: it is no longer flagged new.
    pub fn acknowledge_device(&mut self, user: &str, device_id: &str) -> Result<()> {
        Ok(self.machine.acknowledge_device(user, device_id)?)
    }

    /// Sends what the machine asks for (key uploads, queries, claims, to-device messages) and
    /// gives it the answers, until it asks for nothing more.
    pub async fn send_outgoing(&mut self) -> Result<()> {
        // Each round can only cause a few follow-ups (a claim's answer queues room keys): a
        // bound keeps a misbehaving server from looping us.
        for _ in 0..8 {
            let requests = self.machine.outgoing_requests()?;
            if requests.is_empty() {
                return Ok(());
            }
            for outgoing in requests {
                let response = match &outgoing.request {
                    Request::KeysUpload { body } => self.client.upload_keys(body).await?,
                    Request::KeysQuery { .. } => self.client.query_keys(&outgoing.request.body()).await?,
                    Request::KeysClaim { .. } => self.client.claim_keys(&outgoing.request.body()).await?,
                    Request::ToDevice { event_type, txn_id, messages } => {
                        let messages = serde_json::to_value(messages).map_err(|source| {
                            Error::InvalidResponse { endpoint: "PUT /sendToDevice", source }
                        })?;
                        self.client.send_to_device(event_type, txn_id, &messages).await?;
                        json!({})
                    }
                };
                self.machine.mark_request_as_sent(&outgoing.request_id, &response)?;
            }
        }
        Ok(())
    }

    /// The room a target names: a room id as it is, or a user id's direct-message room (opened
    /// when there is none).
    pub async fn room_for(&mut self, target: &str) -> Result<String> {
        if target.starts_with('!') {
            Ok(target.to_owned())
        } else if target.starts_with('@') && target.contains(':') {
            self.open_dm(target).await
        } else {
            Err(Error::InvalidTarget { target: target.to_owned() })
        }
    }

    /// The direct-message room with `user`: the one `m.direct` names when we are still in it,
    /// otherwise a new encrypted room with `user` invited, marked in `m.direct`.
    pub async fn open_dm(&mut self, user: &str) -> Result<String> {
        if let Some(room_id) = self.find_dm(user)? {
            return Ok(room_id);
        }
        // The timeline may not have synced m.direct yet (a fresh device): ask the server.
        let direct = self.client.account_data("m.direct").await?.unwrap_or_else(|| json!({}));
        for room_id in parse_direct(&direct).remove(user).unwrap_or_default().into_iter().rev() {
            if let Ok(members) = self.client.joined_members(&room_id).await
                && members.contains_key(self.user_id())
            {
                return Ok(room_id);
            }
        }
        let room_id = self.client.create_room(&CreateRoomRequest::direct_message(user, true)).await?;
        self.mark_direct(user, &room_id).await?;
        let encryption = json!({ "algorithm": MEGOLM_ALGORITHM });
        let mut update = RoomUpdate::new(&room_id, Membership::Join);
        update.encryption = Some(encryption.clone());
        update.members = vec![
            Member { user_id: self.user_id().to_owned(), membership: Membership::Join, display_name: None },
            Member { user_id: user.to_owned(), membership: Membership::Invite, display_name: None },
        ];
        self.timeline.record_room(update, Some(user))?;
        self.machine.set_room_encryption(&room_id, &encryption);
        let members = [self.user_id().to_owned(), user.to_owned()];
        self.machine.update_tracked_users(members.iter().map(String::as_str))?;
        Ok(room_id)
    }

    /// The conversation with `user` the local timeline knows: the direct-message room `m.direct`
    /// names, or else a joined room with just the two of us (a DM someone else started, whose
    /// invitation did not say so). `None` when there is none; nothing is created.
    pub fn find_dm(&self, user: &str) -> Result<Option<String>> {
        if let Some(room_id) = self.timeline.direct_room_with(user)? {
            return Ok(Some(room_id));
        }
        for room in self.timeline.rooms()? {
            if room.membership != Membership::Join {
                continue;
            }
            let mut members = self.current_members(&room.room_id)?;
            members.sort();
            let mut pair = vec![self.user_id().to_owned(), user.to_owned()];
            pair.sort();
            if members == pair {
                return Ok(Some(room.room_id));
            }
        }
        Ok(None)
    }

    /// Adds `room_id` to our `m.direct` as a direct message with `user`.
    async fn mark_direct(&mut self, user: &str, room_id: &str) -> Result<()> {
        let mut direct = self.client.account_data("m.direct").await?.unwrap_or_else(|| json!({}));
        if !direct.is_object() {
            direct = json!({});
        }
        let rooms = direct
            .as_object_mut()
            .map(|map| map.entry(user.to_owned()).or_insert_with(|| json!([])))
            .filter(|rooms| rooms.is_array());
        if let Some(Value::Array(rooms)) = rooms {
            if !rooms.iter().any(|room| room == room_id) {
                rooms.push(json!(room_id));
            }
        } else {
            direct[user] = json!([room_id]);
        }
        self.client.set_account_data("m.direct", &direct).await?;
        let mut update = RoomUpdate::new(room_id, Membership::Join);
        update.membership = self.timeline.room(room_id)?.map_or(Membership::Join, |room| room.membership);
        Ok(self.timeline.record_room(update, Some(user))?)
    }

    /// Sends a message written in Markdown (`formatted_body` is its sanitised HTML).
    pub async fn send_text(&mut self, room_id: &str, markdown: &str) -> Result<SendOutcome> {
        self.send_content(room_id, "m.room.message", content::text_message(markdown)).await
    }

    /// Sends a file: encrypted (the spec's `file` object) in an encrypted room, as `m.image` for
    /// images and `m.file` otherwise.
    pub async fn send_file(&mut self, room_id: &str, path: &Path) -> Result<SendOutcome> {
        self.send_file_with(room_id, path, serde_json::Map::new()).await
    }

    /// Like [`Account::send_file`], with `extra` fields added to the message's content — for
    /// example a shared resource's card under its namespaced key, which other clients ignore.
    pub async fn send_file_with(
        &mut self,
        room_id: &str,
        path: &Path,
        extra: serde_json::Map<String, Value>,
    ) -> Result<SendOutcome> {
        let bytes = std::fs::read(path).map_err(io_error("read", path))?;
        if bytes.len() as u64 > ATTACHMENT_LIMIT {
            return Err(Error::AttachmentTooLarge { path: path.to_path_buf(), limit: ATTACHMENT_LIMIT });
        }
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        let mimetype = mime_type(&name);
        let msgtype = if mimetype.starts_with("image/") { "m.image" } else { "m.file" };
        let encrypted = self.timeline.room(room_id)?.is_some_and(|room| room.encrypted);
        let mut content = json!({
            "msgtype": msgtype,
            "body": name,
            "filename": name,
            "info": { "size": bytes.len(), "mimetype": mimetype },
        });
        if encrypted {
            let mut ciphertext = Vec::with_capacity(bytes.len());
            let mut file = commonplace_messaging::encrypt_attachment(Cursor::new(&bytes), &mut ciphertext)?;
            let uri = self.client.upload("application/octet-stream", None, ciphertext).await?;
            file.url = uri.to_string();
            content["file"] = serde_json::to_value(&file)
                .map_err(|source| Error::InvalidResponse { endpoint: "encrypted file", source })?;
        } else {
            let uri = self.client.upload(mimetype, Some(&name), bytes).await?;
            content["url"] = json!(uri.to_string());
        }
        if let Value::Object(fields) = &mut content {
            fields.extend(extra);
        }
        self.send_content(room_id, "m.room.message", content).await
    }

    /// Queues a message and sends the outbox; reports whether this message went out or waits.
    pub async fn send_content(
        &mut self,
        room_id: &str,
        event_type: &str,
        content: Value,
    ) -> Result<SendOutcome> {
        let entry = self.timeline.queue_message(room_id, event_type, &content, now_ms())?;
        let mut report = self.flush_outbox().await?;
        if let Some((_, event_id)) = report.sent.iter().find(|(txn, _)| *txn == entry.transaction_id) {
            return Ok(SendOutcome::Sent {
                room_id: room_id.to_owned(),
                event_id: event_id.clone(),
                transaction_id: entry.transaction_id,
            });
        }
        if let Some(index) = report.refused.iter().position(|(txn, _)| *txn == entry.transaction_id) {
            return Err(report.refused.swap_remove(index).1);
        }
        Ok(SendOutcome::Queued { room_id: room_id.to_owned(), transaction_id: entry.transaction_id })
    }

    /// Sends the queued messages in order. It stops at the first the homeserver cannot take now
    /// (unreachable, overloaded), leaving it and those after it queued; a message it refuses for
    /// good leaves the queue and is reported.
    pub async fn flush_outbox(&mut self) -> Result<FlushReport> {
        let mut report = FlushReport::default();
        let entries = self.timeline.outbox()?;
        let total = entries.len();
        for (index, entry) in entries.into_iter().enumerate() {
            match self.send_entry(&entry).await {
                Ok(event_id) => {
                    self.timeline.outbox_sent(&entry.transaction_id, &event_id)?;
                    report.sent.push((entry.transaction_id, event_id));
                }
                Err(error) if error.is_transient() => {
                    tracing::info!(%error, "the homeserver is away: messages stay queued");
                    report.pending = total - index;
                    report.interrupted = Some(error);
                    break;
                }
                Err(error) => {
                    tracing::warn!(transaction_id = %entry.transaction_id, %error, "a queued message was refused");
                    self.timeline.discard_outbox(&entry.transaction_id)?;
                    report.refused.push((entry.transaction_id, error));
                }
            }
        }
        Ok(report)
    }

    async fn send_entry(&mut self, entry: &commonplace_messaging::OutboxEntry) -> Result<String> {
        let encrypted = self.timeline.room(&entry.room_id)?.is_some_and(|room| room.encrypted);
        if !encrypted {
            return self
                .client
                .send_message_event(&entry.room_id, &entry.event_type, &entry.transaction_id, &entry.content)
                .await;
        }
        let ciphertext = match &entry.encrypted_content {
            Some(ciphertext) => ciphertext.clone(),
            None => {
                self.share_room_key(&entry.room_id).await?;
                let ciphertext = self.machine.encrypt_room_event(
                    &entry.room_id,
                    &entry.event_type,
                    &entry.content,
                    now_ms(),
                )?;
                self.timeline.set_outbox_encrypted(&entry.transaction_id, &ciphertext)?;
                ciphertext
            }
        };
        self.client
            .send_message_event(&entry.room_id, "m.room.encrypted", &entry.transaction_id, &ciphertext)
            .await
    }

    /// Makes sure every device of every member has the room's current key (rotating it when due).
    async fn share_room_key(&mut self, room_id: &str) -> Result<()> {
        let members = self.current_members(room_id)?;
        self.machine.update_tracked_users(members.iter().map(String::as_str))?;
        self.send_outgoing().await?;
        let member_refs: Vec<&str> = members.iter().map(String::as_str).collect();
        self.machine.share_room_key(room_id, &member_refs, now_ms())?;
        self.send_outgoing().await
    }

    /// The room's latest `limit` messages, oldest first, from the local timeline.
    pub fn read(&self, room_id: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        Ok(self.timeline.messages(room_id, limit)?)
    }

    /// Fetches up to `limit` older events of a room from the homeserver (`/messages`, backwards
    /// from where the timeline's history ends), decrypts them and puts them before the rest.
    /// Returns how many messages it added; 0 once the room's start is reached.
    pub async fn paginate_back(&mut self, room_id: &str, limit: u32) -> Result<usize> {
        let Some(from) = self.timeline.room(room_id)?.and_then(|room| room.prev_batch) else {
            return Ok(0);
        };
        let request = MessagesRequest {
            from: Some(from),
            direction: Direction::Backward,
            limit: Some(limit),
            ..MessagesRequest::default()
        };
        let page = self.client.messages(room_id, &request).await?;
        // The page comes newest first; decryption does not care about order, placement does.
        let events = self.decrypt_timeline(room_id, &page.chunk)?;
        let end = if page.chunk.is_empty() { None } else { page.end.as_deref() };
        self.timeline.insert_older(room_id, &events, end)?;
        Ok(events.len())
    }

    pub fn rooms(&self) -> Result<Vec<RoomSummary>> {
        Ok(self.timeline.rooms()?)
    }

    /// Local full-text search over the decrypted messages of every room.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        Ok(self.timeline.search(query, limit)?)
    }

    /// Downloads a file message's attachment (authenticated media), checks and decrypts it, and
    /// writes it to `destination` (through a temporary file, renamed once whole). Returns its size.
    pub async fn download_attachment(&self, event_id: &str, destination: &Path) -> Result<u64> {
        let event = self
            .timeline
            .event(event_id)?
            .ok_or_else(|| Error::EventNotFound { event_id: event_id.to_owned() })?;
        download_event_attachment(&self.client, &event, destination).await
    }

    /// Creates a private, invite-only, encrypted group conversation named `name` with `invite`d
    /// people (user ids), and records it so it can be written to at once.
    pub async fn create_group(&mut self, name: &str, invite: &[String]) -> Result<RoomSummary> {
        for user in invite {
            if !(user.starts_with('@') && user.contains(':')) {
                return Err(Error::InvalidTarget { target: user.clone() });
            }
        }
        let mut request = CreateRoomRequest::private_room(name).encrypted();
        for user in invite {
            request = request.invite(user);
        }
        let room_id = self.client.create_room(&request).await?;
        let encryption = json!({ "algorithm": MEGOLM_ALGORITHM });
        let mut update = RoomUpdate::new(&room_id, Membership::Join);
        update.name = Some(name.to_owned());
        update.encryption = Some(encryption.clone());
        update.members = vec![Member {
            user_id: self.user_id().to_owned(),
            membership: Membership::Join,
            display_name: None,
        }];
        update.members.extend(invite.iter().map(|user| Member {
            user_id: user.clone(),
            membership: Membership::Invite,
            display_name: None,
        }));
        self.timeline.record_room(update, None)?;
        self.machine.set_room_encryption(&room_id, &encryption);
        let mut members = vec![self.user_id().to_owned()];
        members.extend(invite.iter().cloned());
        self.machine.update_tracked_users(members.iter().map(String::as_str))?;
        self.timeline.room(&room_id)?.ok_or(Error::RoomNotFound { room_id })
    }

    /// Invites `user_id` into a room; they get the room's key with the next message (a new one:
    /// the membership changed).
    pub async fn invite(&mut self, room_id: &str, user_id: &str) -> Result<()> {
        self.client.invite(room_id, user_id).await?;
        let mut update = RoomUpdate::new(room_id, Membership::Join);
        update.membership = self.timeline.room(room_id)?.map_or(Membership::Join, |room| room.membership);
        update.members =
            vec![Member { user_id: user_id.to_owned(), membership: Membership::Invite, display_name: None }];
        self.timeline.record_room(update, None)?;
        Ok(())
    }

    /// Leaves a room.
    pub async fn leave(&mut self, room_id: &str) -> Result<()> {
        self.client.leave(room_id).await?;
        self.timeline.record_room(RoomUpdate::new(room_id, Membership::Leave), None)?;
        Ok(())
    }

    /// Signs out: ends the session on the homeserver (which deletes the device and its keys there)
    /// and removes the account's folder and its line in `accounts.json`. The homeserver's refusal
    /// or absence does not keep the account here: it is reported, and the local data goes anyway.
    pub async fn sign_out(self) -> Result<Option<Error>> {
        let logout = self.client.logout().await.err();
        let user_id = self.machine.user_id().to_owned();
        let data_dir = self.data_dir.clone();
        drop(self);
        remove_account(&data_dir, &user_id)?;
        Ok(logout)
    }
}

/// The content of the attachment `event` carries, downloaded (at most `limit` bytes) and, for the
/// spec's `file` object, checked and decrypted. Needs only the client, so a caller can download
/// without holding the account.
pub async fn attachment_bytes(client: &crate::Client, event: &TimelineEvent, limit: u64) -> Result<Vec<u8>> {
    let event_id = event.event_id.as_str();
    let mut downloaded = Vec::new();
    if let Some(file) = event.content.get("file") {
        let file: commonplace_messaging::EncryptedFile = serde_json::from_value(file.clone())
            .map_err(|_| Error::NotAnAttachment { event_id: event_id.to_owned() })?;
        client.download(&ContentUri::parse(&file.url)?, &mut downloaded, limit).await?;
        let mut plaintext = Vec::with_capacity(downloaded.len());
        commonplace_messaging::decrypt_attachment(Cursor::new(downloaded), &file, &mut plaintext)?;
        Ok(plaintext)
    } else if let Some(url) = event.content.get("url").and_then(Value::as_str) {
        client.download(&ContentUri::parse(url)?, &mut downloaded, limit).await?;
        Ok(downloaded)
    } else {
        Err(Error::NotAnAttachment { event_id: event_id.to_owned() })
    }
}

/// Downloads the attachment `event` carries to `destination`, through a `.part` file renamed
/// when complete; returns its size.
pub async fn download_event_attachment(
    client: &crate::Client,
    event: &TimelineEvent,
    destination: &Path,
) -> Result<u64> {
    let bytes = attachment_bytes(client, event, ATTACHMENT_LIMIT).await?;
    let temporary = destination.with_extension("part");
    std::fs::write(&temporary, &bytes).map_err(io_error("write", &temporary))?;
    std::fs::rename(&temporary, destination).map_err(io_error("rename into", destination))?;
    Ok(bytes.len() as u64)
}

/// Signs an account out without opening its machine: ends the session on the homeserver and
/// removes the account here, as [`Account::sign_out`] does. The pickle key opens the sealed
/// access token. Returns the homeserver's error, if it refused or could not be reached (or the
/// token could not be opened); the local data goes either way.
pub async fn sign_out(data_dir: &Path, user: Option<&str>, pickle_key: &PickleKey) -> Result<Option<Error>> {
    let entry = find_account(data_dir, user)?;
    let logout = match read_session(&data_dir.join(&entry.folder), pickle_key) {
        Ok(session) => match crate::Client::restore(session) {
            Ok(client) => client.logout().await.err(),
            Err(error) => Some(error),
        },
        Err(error) => Some(error),
    };
    remove_account(data_dir, &entry.user_id)?;
    Ok(logout)
}

/// Removes an account's folder and its line in `accounts.json`, without asking the homeserver.
pub fn remove_account(data_dir: &Path, user_id: &str) -> Result<()> {
    let mut entries = list_accounts(data_dir)?;
    let Some(index) = entries.iter().position(|entry| entry.user_id == user_id) else {
        return Err(Error::UnknownAccount { user: user_id.to_owned() });
    };
    let entry = entries.remove(index);
    save_accounts(data_dir, &entries)?;
    let folder = data_dir.join(&entry.folder);
    match std::fs::remove_dir_all(&folder) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error("remove", &folder)(error)),
    }
}

/// Reads an `m.direct` content: user id → room ids.
fn parse_direct(content: &Value) -> BTreeMap<String, Vec<String>> {
    let mut direct = BTreeMap::new();
    if let Some(map) = content.as_object() {
        for (user, rooms) in map {
            let rooms: Vec<String> = rooms
                .as_array()
                .map(|rooms| rooms.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            direct.insert(user.clone(), rooms);
        }
    }
    direct
}

/// A MIME type from a file name's extension; `application/octet-stream` when unknown.
fn mime_type(name: &str) -> &'static str {
    let extension =
        name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "html" | "htm" => "text/html",
        "odt" => "application/vnd.oasis.opendocument.text",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_folders_are_unique_and_stay_inside() {
        assert_eq!(account_folder_name("@alice:localhost"), "_40alice_3alocalhost");
        assert_ne!(account_folder_name("@a:b"), account_folder_name("_a_b"));
        assert_eq!(account_folder_name("@../x:y"), "_40.._2fx_3ay");
        assert!(!account_folder_name("@A/B:c").contains('/'));
    }

    #[test]
    fn what_is_stored_on_disk_keeps_its_shape() {
        let entry = AccountEntry {
            user_id: "@alice:example.org".to_owned(),
            homeserver: "https://matrix.example.org/".to_owned(),
            device_id: "DEVICE".to_owned(),
            folder: "accounts/_40alice_3aexample.org".to_owned(),
        };
        insta::assert_json_snapshot!("account_entry", entry);
        let key = PickleKey::from_bytes([1; 32]);
        let session = Session {
            homeserver: url::Url::parse("https://matrix.example.org").unwrap(),
            user_id: "@alice:example.org".to_owned(),
            device_id: "DEVICE".to_owned(),
            access_token: Secret::new("syt_secret"),
        };
        let stored = StoredSession::seal(&session, &key).unwrap();
        insta::assert_json_snapshot!("stored_session", stored, { ".sealed_access_token" => "[sealed]" });
        assert!(!serde_json::to_string(&stored).unwrap().contains("syt_secret"));
        assert_eq!(stored.open(&key).unwrap(), session);
        assert!(stored.open(&PickleKey::from_bytes([2; 32])).is_err());
    }

    #[test]
    fn m_direct_is_read_leniently() {
        let direct = parse_direct(&json!({ "@b:x": ["!1:x", 5], "@c:x": "nonsense" }));
        assert_eq!(direct["@b:x"], ["!1:x"]);
        assert!(direct["@c:x"].is_empty());
    }
}
