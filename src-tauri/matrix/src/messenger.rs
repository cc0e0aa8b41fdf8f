//! [`Messenger`]: every account of this device, open and kept in sync in the background, for an
//! app with a window. It holds the pickle key once unlocked (from `COMMONPLACE_PICKLE_KEY`, or a
//! passphrase through `commonplace_messaging::passphrase`), opens each account once, and runs one
//! sync loop per account that long-polls with a clone of the account's client — so sending never
//! waits for a poll — and takes the account only to process what arrived. Whatever changes is told
//! to the listener as a [`Notification`]: the rooms with news and the connection.
//!
//! What it is not: a second implementation of anything [`Account`] does; each method finds the
//! account and calls one of its methods. It needs a tokio runtime: the loops are spawned on the one
//! its async methods are called from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use commonplace_messaging::{
    CancelCode, PICKLE_KEY_VARIABLE, PickleKey, RoomSummary, TimelineEvent, Verification, passphrase,
};

use crate::{
    Account, AccountEntry, Backoff, Error, NotificationSettings, Reader, Result, SendOutcome, list_accounts,
};

/// How long one sync waits for news before the homeserver answers anyway.
const POLL: Duration = Duration::from_secs(30);

/// Whether the message keys can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    /// No passphrase was chosen yet: the first one given becomes it.
    NotSetUp,
    Locked,
    Unlocked,
}

/// How an account is reaching its homeserver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Online,
    Offline,
    /// The homeserver ended this device's session; only signing in again helps.
    SignedOut,
}

/// An account and how it is connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatus {
    pub entry: AccountEntry,
    pub connection: ConnectionState,
    /// Why it is offline or signed out.
    pub problem: Option<String>,
}

/// What the listener hears: an account's rooms with news, its connection, the new messages
/// that deserve a desktop notification under the [`NotificationSettings`], and the device
/// verifications that moved on (someone asks to verify, the emoji are ready, it is done).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub user_id: String,
    pub rooms: Vec<String>,
    pub connection: ConnectionState,
    pub problem: Option<String>,
    pub notify: Vec<TimelineEvent>,
    /// Transaction ids; [`Messenger::verification`] tells where each stands.
    pub verifications: Vec<String>,
}

pub type Listener = Arc<dyn Fn(Notification) + Send + Sync>;

/// One open account: the account itself (behind an async lock, held while it works, never while
/// it waits for a poll), its connection, and its sync loop, stopped when this is dropped.
struct OpenAccount {
    entry: AccountEntry,
    account: tokio::sync::Mutex<Account>,
    connection: Mutex<(ConnectionState, Option<String>)>,
    sync_loop: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl OpenAccount {
    fn status(&self) -> AccountStatus {
        let (connection, problem) = self.connection.lock().unwrap_or_else(PoisonError::into_inner).clone();
        AccountStatus { entry: self.entry.clone(), connection, problem }
    }

    fn set_connection(&self, connection: ConnectionState, problem: Option<String>) {
        *self.connection.lock().unwrap_or_else(PoisonError::into_inner) = (connection, problem);
    }
}

impl Drop for OpenAccount {
    fn drop(&mut self) {
        if let Some(task) = self.sync_loop.lock().unwrap_or_else(PoisonError::into_inner).take() {
            task.abort();
        }
    }
}

pub struct Messenger {
    data_dir: PathBuf,
    key: Mutex<Option<PickleKey>>,
    accounts: Mutex<BTreeMap<String, Arc<OpenAccount>>>,
    listener: Listener,
    notifications: Arc<Mutex<NotificationSettings>>,
}

impl std::fmt::Debug for Messenger {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Messenger").field("data_dir", &self.data_dir).finish_non_exhaustive()
    }
}

impl Messenger {
    /// Messaging with its accounts in `data_dir`. When `COMMONPLACE_PICKLE_KEY` is set, the keys
    /// are unlocked with it from the start; a malformed value is logged and ignored, so the
    /// passphrase still works.
    pub fn new(data_dir: &Path, listener: Listener) -> Self {
        let key = match std::env::var_os(PICKLE_KEY_VARIABLE) {
            Some(value) if !value.is_empty() => PickleKey::from_env()
                .inspect_err(|error| tracing::warn!(%error, "ignoring {PICKLE_KEY_VARIABLE}"))
                .ok(),
            _ => None,
        };
        // Damaged settings are logged and replaced by the defaults on the next change: a
        // notification too many is better than a device that cannot message.
        let notifications = NotificationSettings::load(data_dir)
            .inspect_err(
                |error| tracing::warn!(%error, "notification settings unreadable; using the defaults"),
            )
            .unwrap_or_default();
        Messenger {
            data_dir: data_dir.to_path_buf(),
            key: Mutex::new(key),
            accounts: Mutex::new(BTreeMap::new()),
            listener,
            notifications: Arc::new(Mutex::new(notifications)),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn lock_state(&self) -> LockState {
        if self.key().is_some() {
            LockState::Unlocked
        } else if passphrase::is_set_up(&self.data_dir) {
            LockState::Locked
        } else {
            LockState::NotSetUp
        }
    }

    fn key(&self) -> Option<PickleKey> {
        self.key.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Unlocks the keys with `passphrase`, choosing it when none was chosen yet. Deriving the key
    /// takes a moment of CPU on purpose: call it off the UI's thread.
    pub fn unlock(&self, passphrase_text: &str) -> Result<()> {
        let key = if passphrase::is_set_up(&self.data_dir) {
            passphrase::unlock(&self.data_dir, passphrase_text)?
        } else {
            passphrase::set_up(&self.data_dir, passphrase_text)?
        };
        *self.key.lock().unwrap_or_else(PoisonError::into_inner) = Some(key);
        Ok(())
    }

    /// Unlocks the keys with a key remembered elsewhere (the system keyring), after checking it is
    /// the one the chosen passphrase gives.
    pub fn unlock_with_key(&self, key: PickleKey) -> Result<()> {
        passphrase::check_key(&self.data_dir, &key)?;
        *self.key.lock().unwrap_or_else(PoisonError::into_inner) = Some(key);
        Ok(())
    }

    /// The unlocked key, for remembering it in the system keyring.
    pub fn key_to_remember(&self) -> Option<PickleKey> {
        self.key()
    }

    /// Every account of this device with its connection, opening (and starting to sync) those not
    /// open yet. While the keys are locked, the accounts are listed as connecting.
    pub async fn accounts(&self) -> Result<Vec<AccountStatus>> {
        let entries = list_accounts(&self.data_dir)?;
        let Some(key) = self.key() else {
            return Ok(entries
                .into_iter()
                .map(|entry| AccountStatus { entry, connection: ConnectionState::Connecting, problem: None })
                .collect());
        };
        let mut statuses = Vec::with_capacity(entries.len());
        for entry in entries {
            let open = self.open_account(&entry, &key);
            statuses.push(match open {
                Ok(open) => open.status(),
                // One account that cannot be opened does not hide the others; it says why.
                Err(error) => AccountStatus {
                    entry,
                    connection: ConnectionState::Offline,
                    problem: Some(error.to_string()),
                },
            });
        }
        Ok(statuses)
    }

    fn open_account(&self, entry: &AccountEntry, key: &PickleKey) -> Result<Arc<OpenAccount>> {
        let mut accounts = self.accounts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = accounts.get(&entry.user_id) {
            return Ok(Arc::clone(open));
        }
        let account = Account::open(&self.data_dir, Some(&entry.user_id), key.clone())?;
        let open = self.start(entry.clone(), account);
        accounts.insert(entry.user_id.clone(), Arc::clone(&open));
        Ok(open)
    }

    fn start(&self, entry: AccountEntry, account: Account) -> Arc<OpenAccount> {
        let open = Arc::new(OpenAccount {
            entry,
            account: tokio::sync::Mutex::new(account),
            connection: Mutex::new((ConnectionState::Connecting, None)),
            sync_loop: Mutex::new(None),
        });
        // The loop holds the account weakly, so dropping it from the map (sign out, shutdown)
        // ends the loop even before the abort lands.
        let task = tokio::spawn(sync_loop(
            Arc::downgrade(&open),
            Arc::clone(&self.listener),
            Arc::clone(&self.notifications),
        ));
        *open.sync_loop.lock().unwrap_or_else(PoisonError::into_inner) = Some(task);
        open
    }

    fn get(&self, user_id: &str) -> Result<Arc<OpenAccount>> {
        let key = self.key().ok_or(Error::KeysLocked)?;
        if let Some(open) = self.accounts.lock().unwrap_or_else(PoisonError::into_inner).get(user_id) {
            return Ok(Arc::clone(open));
        }
        let entry = crate::find_account(&self.data_dir, Some(user_id))?;
        self.open_account(&entry, &key)
    }

    /// Signs in and adds the account (see [`Account::add`]), and starts syncing it.
    pub async fn add_account(&self, homeserver: &str, user: &str, password: &str) -> Result<AccountStatus> {
        let key = self.key().ok_or(Error::KeysLocked)?;
        let account = Account::add(&self.data_dir, homeserver, user, password, key).await?;
        let entry = crate::find_account(&self.data_dir, Some(account.user_id()))?;
        let open = self.start(entry.clone(), account);
        // Signing in again to an account that is open replaces it (and stops its old loop).
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner).insert(entry.user_id, Arc::clone(&open));
        Ok(open.status())
    }

    /// Signs the account out on its homeserver and removes it and its messages from this device.
    /// Returns the homeserver's refusal, if any: the account is removed here all the same.
    pub async fn remove_account(&self, user_id: &str) -> Result<Option<Error>> {
        let key = self.key().ok_or(Error::KeysLocked)?;
        let open = self.accounts.lock().unwrap_or_else(PoisonError::into_inner).remove(user_id);
        if let Some(open) = open {
            // Waits for work in progress on the account, then closes its stores.
            drop(open.account.lock().await);
            drop(open);
        }
        crate::sign_out(&self.data_dir, Some(user_id), &key).await
    }

    pub async fn rooms(&self, user_id: &str) -> Result<Vec<RoomSummary>> {
        self.get(user_id)?.account.lock().await.rooms()
    }

    pub async fn messages(&self, user_id: &str, room_id: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        self.get(user_id)?.account.lock().await.read(room_id, limit)
    }

    /// The direct conversation with `with`, opened when there is none.
    pub async fn open_direct(&self, user_id: &str, with: &str) -> Result<RoomSummary> {
        let open = self.get(user_id)?;
        let mut account = open.account.lock().await;
        let room_id = account.open_dm(with).await?;
        account.timeline().room(&room_id)?.ok_or(Error::RoomNotFound { room_id })
    }

    pub async fn accept_invite(&self, user_id: &str, room_id: &str) -> Result<RoomSummary> {
        self.get(user_id)?.account.lock().await.accept_invite(room_id).await
    }

    /// A new encrypted group conversation with the people invited.
    pub async fn create_group(&self, user_id: &str, name: &str, invite: &[String]) -> Result<RoomSummary> {
        self.get(user_id)?.account.lock().await.create_group(name, invite).await
    }

    pub async fn invite(&self, user_id: &str, room_id: &str, invitee: &str) -> Result<()> {
        if !(invitee.starts_with('@') && invitee.contains(':')) {
            return Err(Error::InvalidTarget { target: invitee.to_owned() });
        }
        self.get(user_id)?.account.lock().await.invite(room_id, invitee).await
    }

    pub async fn leave(&self, user_id: &str, room_id: &str) -> Result<()> {
        self.get(user_id)?.account.lock().await.leave(room_id).await
    }

    /// Sends a message written in Markdown; queued (and sent later, once) when the homeserver is
    /// away.
    pub async fn send_text(&self, user_id: &str, room_id: &str, markdown: &str) -> Result<SendOutcome> {
        let open = self.get(user_id)?;
        let mut account = open.account.lock().await;
        if account.timeline().room(room_id)?.is_none() {
            return Err(Error::RoomNotFound { room_id: room_id.to_owned() });
        }
        account.send_text(room_id, markdown).await
    }
}

impl Messenger {
    pub fn notification_settings(&self) -> NotificationSettings {
        self.notifications.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Changes the notification settings with `change`, and saves them.
    pub fn change_notifications(&self, change: impl FnOnce(&mut NotificationSettings)) -> Result<()> {
        let mut settings = self.notifications.lock().unwrap_or_else(PoisonError::into_inner);
        let mut changed = settings.clone();
        change(&mut changed);
        changed.save(&self.data_dir)?;
        *settings = changed;
        Ok(())
    }

    /// Who can read what is sent in a room now, with their devices.
    pub async fn readers(&self, user_id: &str, room_id: &str) -> Result<Vec<Reader>> {
        self.get(user_id)?.account.lock().await.readers(room_id)
    }

    pub async fn acknowledge_device(&self, user_id: &str, user: &str, device_id: &str) -> Result<()> {
        self.get(user_id)?.account.lock().await.acknowledge_device(user, device_id)
    }

    /// Fetches up to `limit` older messages of a room; returns how many arrived (0 at its start).
    pub async fn load_older(&self, user_id: &str, room_id: &str, limit: u32) -> Result<usize> {
        self.get(user_id)?.account.lock().await.paginate_back(room_id, limit).await
    }

    /// Searches the decrypted text of every conversation of the account, on this device.
    pub async fn search(&self, user_id: &str, query: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        self.get(user_id)?.account.lock().await.search(query, limit)
    }

    /// Sends the file at `path` (encrypted in an encrypted room) with `extra` content fields.
    pub async fn send_file(
        &self,
        user_id: &str,
        room_id: &str,
        path: &Path,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> Result<SendOutcome> {
        let open = self.get(user_id)?;
        let mut account = open.account.lock().await;
        if account.timeline().room(room_id)?.is_none() {
            return Err(Error::RoomNotFound { room_id: room_id.to_owned() });
        }
        account.send_file_with(room_id, path, extra).await
    }

    /// The message `event_id` of the account's timeline (with its decrypted content).
    pub async fn message(&self, user_id: &str, event_id: &str) -> Result<TimelineEvent> {
        Ok(self.client_and_event(user_id, event_id).await?.1)
    }

    /// A clone of the account's client with the message `event_id`, so that a download needs no
    /// lock on the account.
    async fn client_and_event(
        &self,
        user_id: &str,
        event_id: &str,
    ) -> Result<(crate::Client, TimelineEvent)> {
        let open = self.get(user_id)?;
        let account = open.account.lock().await;
        let event = account
            .timeline()
            .event(event_id)?
            .ok_or_else(|| Error::EventNotFound { event_id: event_id.to_owned() })?;
        Ok((account.client().clone(), event))
    }

    /// The decrypted content of the attachment of `event_id`, at most `limit` bytes, with the
    /// message it came in.
    pub async fn attachment(
        &self,
        user_id: &str,
        event_id: &str,
        limit: u64,
    ) -> Result<(TimelineEvent, Vec<u8>)> {
        let (client, event) = self.client_and_event(user_id, event_id).await?;
        let bytes = crate::attachment_bytes(&client, &event, limit).await?;
        Ok((event, bytes))
    }

    /// Starts verifying a device of `with` (the one named, or their only one) with the start-first
    /// flow every client speaks; see [`Account::start_verification`]. Returns the transaction id.
    pub async fn start_verification(
        &self,
        user_id: &str,
        with: &str,
        device_id: Option<&str>,
    ) -> Result<String> {
        self.get(user_id)?.account.lock().await.start_verification(with, device_id).await
    }

    /// Asks a device of `with`, or all of them, to verify (request and ready first); see
    /// [`Account::request_verification`]. Returns the transaction id.
    pub async fn request_verification(
        &self,
        user_id: &str,
        with: &str,
        device_id: Option<&str>,
    ) -> Result<String> {
        self.get(user_id)?.account.lock().await.request_verification(with, device_id).await
    }

    /// Accepts a verification someone asked for; the background loop brings what follows.
    pub async fn accept_verification(&self, user_id: &str, transaction_id: &str) -> Result<()> {
        self.get(user_id)?.account.lock().await.accept_verification(transaction_id).await
    }

    /// The person says the emoji match.
    pub async fn confirm_verification(&self, user_id: &str, transaction_id: &str) -> Result<()> {
        self.get(user_id)?.account.lock().await.confirm_verification(transaction_id).await
    }

    pub async fn cancel_verification(
        &self,
        user_id: &str,
        transaction_id: &str,
        code: CancelCode,
    ) -> Result<()> {
        self.get(user_id)?.account.lock().await.cancel_verification(transaction_id, code).await
    }

    /// Where a verification stands (the emoji to compare, once the keys are exchanged).
    pub async fn verification(&self, user_id: &str, transaction_id: &str) -> Result<Option<Verification>> {
        Ok(self.get(user_id)?.account.lock().await.verification(transaction_id))
    }

    /// The account's verifications since it was opened, incoming ones included, oldest first.
    pub async fn verifications(&self, user_id: &str) -> Result<Vec<Verification>> {
        Ok(self.get(user_id)?.account.lock().await.verifications())
    }

    /// Downloads and decrypts the attachment of `event_id` to `destination`; returns its size.
    /// The account is free meanwhile: a large file does not hold up syncing or sending.
    pub async fn download(&self, user_id: &str, event_id: &str, destination: &Path) -> Result<u64> {
        let (client, event) = self.client_and_event(user_id, event_id).await?;
        crate::download_event_attachment(&client, &event, destination).await
    }
}

/// Syncs one account until it is closed: long-polls without holding the account, processes each
/// response with it, and tells the listener. Transient failures wait with [`Backoff`]; an ended
/// session stops the loop.
async fn sync_loop(
    open: std::sync::Weak<OpenAccount>,
    listener: Listener,
    notifications: Arc<Mutex<NotificationSettings>>,
) {
    let backoff = Backoff::default();
    let mut attempt = 0u32;
    loop {
        let Some(current) = open.upgrade() else { return };
        let prepared = {
            let account = current.account.lock().await;
            account.sync_request(POLL).map(|request| (account.client().clone(), request))
        };
        let user_id = current.entry.user_id.clone();
        let outcome = match prepared {
            Ok((client, request)) => {
                // The account is released while the poll waits; only the weak handle is kept.
                drop(current);
                let response = client.sync(&request).await;
                let Some(current) = open.upgrade() else { return };
                let result = match response {
                    Ok(response) => {
                        let mut rooms: Vec<String> = response
                            .rooms
                            .join
                            .keys()
                            .chain(response.rooms.invite.keys())
                            .chain(response.rooms.leave.keys())
                            .cloned()
                            .collect();
                        rooms.sort();
                        rooms.dedup();
                        let mut account = current.account.lock().await;
                        account.process_sync(response).await.map(|report| {
                            // The first sync brings history, not news.
                            let notify = if report.initial {
                                Vec::new()
                            } else {
                                let settings = notifications.lock().unwrap_or_else(PoisonError::into_inner);
                                report
                                    .new_events
                                    .into_iter()
                                    .filter(|event| settings.should_notify(&user_id, event))
                                    .collect()
                            };
                            (rooms, notify, report.verifications)
                        })
                    }
                    Err(error) => Err(error),
                };
                (current, result)
            }
            Err(error) => (current, Err(error)),
        };
        let (current, result) = outcome;
        match result {
            Ok((rooms, notify, verifications)) => {
                attempt = 0;
                let was_online = current.status().connection == ConnectionState::Online;
                current.set_connection(ConnectionState::Online, None);
                if !rooms.is_empty() || !verifications.is_empty() || !was_online {
                    listener(Notification {
                        user_id,
                        rooms,
                        connection: ConnectionState::Online,
                        problem: None,
                        notify,
                        verifications,
                    });
                }
            }
            Err(error @ Error::UnknownToken { .. }) => {
                tracing::warn!(%user_id, %error, "the homeserver ended this device's session");
                current.set_connection(ConnectionState::SignedOut, Some(error.to_string()));
                listener(Notification {
                    user_id,
                    rooms: Vec::new(),
                    connection: ConnectionState::SignedOut,
                    problem: Some(error.to_string()),
                    notify: Vec::new(),
                    verifications: Vec::new(),
                });
                return;
            }
            Err(error) => {
                let wait = backoff.delay_after(&error, attempt, jitter());
                attempt = attempt.saturating_add(1);
                tracing::info!(%user_id, %error, ?wait, "sync failed; trying again");
                let was = current.status();
                current.set_connection(ConnectionState::Offline, Some(error.to_string()));
                if was.connection != ConnectionState::Offline {
                    listener(Notification {
                        user_id,
                        rooms: Vec::new(),
                        connection: ConnectionState::Offline,
                        problem: Some(error.to_string()),
                        notify: Vec::new(),
                        verifications: Vec::new(),
                    });
                }
                drop(current);
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// A number in `[0, 1]` for the backoff's jitter, so that many clients do not retry in step;
/// the clock's nanoseconds are random enough for that.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or_default();
    f64::from(nanos % 1_000) / 999.0
}
