//! The messaging commands: Matrix accounts on this device and end-to-end-encrypted conversations
//! (`account add|list|remove`, `sync`, `rooms`, `send`, `send-file`, `read`), and the interactive
//! verification of another device by comparing emoji (`verify`). Each command opens
//! the account, does its work on a current-thread tokio runtime through `commonplace-matrix`'s
//! [`Account`], and prints the result; nothing here speaks HTTP or touches a key itself.
//!
//! Where the data lives: `--data PATH`, else `COMMONPLACE_DATA`, else `Messaging` in the OS data
//! folder; each account has its own folder below it. The crypto store's pickle key comes from
//! `COMMONPLACE_PICKLE_KEY` (64 hex digits or base64 of 32 bytes), and the commands that open
//! keys refuse to run without it.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Subcommand;
use commonplace_ipc::{ErrorKind, IpcError};
use commonplace_matrix::{Account, AccountEntry, SendOutcome, SyncReport};
use commonplace_messaging::{
    CancelCode, Emoji, Membership, PICKLE_KEY_VARIABLE, PickleKey, RoomSummary, TimelineEvent,
    VerificationState,
};
use serde::Serialize;

use crate::print;

/// The environment variable that points the CLI at another messaging data folder.
pub const DATA_ENV: &str = commonplace_library::location::MESSAGING_ENV;

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Log in to a Matrix homeserver and add the account on this device. The password is read
    /// from the first line of standard input (never from an argument)
    Add {
        /// The homeserver's URL (https://matrix.example.org) or its server name (example.org)
        homeserver: String,
        /// The user: @name:server or just name
        user: String,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List the accounts on this device
    List,
    /// Sign out (the homeserver forgets this device) and remove the account and its messages here
    Remove { user: String },
}

/// An account, as `account add` and `account list` print it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountOut {
    user_id: String,
    device_id: String,
    homeserver: String,
}

impl From<&AccountEntry> for AccountOut {
    fn from(entry: &AccountEntry) -> Self {
        AccountOut {
            user_id: entry.user_id.clone(),
            device_id: entry.device_id.clone(),
            homeserver: entry.homeserver.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoomOut {
    room_id: String,
    name: Option<String>,
    encrypted: bool,
    membership: Membership,
    direct_with: Option<String>,
}

impl From<RoomSummary> for RoomOut {
    fn from(room: RoomSummary) -> Self {
        RoomOut {
            room_id: room.room_id,
            name: room.name,
            encrypted: room.encrypted,
            membership: room.membership,
            direct_with: room.direct_with,
        }
    }
}

/// One message, as `read` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageOut {
    event_id: String,
    sender: String,
    /// Milliseconds since 1970, the homeserver's clock.
    timestamp: u64,
    msgtype: Option<String>,
    body: Option<String>,
    formatted_body: Option<String>,
    encrypted: bool,
    /// Why it could not be decrypted; absent when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    undecryptable_reason: Option<String>,
}

impl From<TimelineEvent> for MessageOut {
    fn from(event: TimelineEvent) -> Self {
        MessageOut {
            event_id: event.event_id,
            sender: event.sender,
            timestamp: event.origin_server_ts,
            msgtype: event.msgtype,
            body: event.body,
            formatted_body: event.formatted_body,
            encrypted: event.encrypted,
            undecryptable_reason: event.undecryptable_reason,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReadOut {
    room_id: String,
    messages: Vec<MessageOut>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SyncOut {
    events: usize,
    invites: Vec<String>,
    joined: Vec<String>,
    sent: usize,
    queued: usize,
}

impl From<SyncReport> for SyncOut {
    fn from(report: SyncReport) -> Self {
        SyncOut {
            events: report.events,
            invites: report.invites,
            joined: report.joined,
            sent: report.sent,
            queued: report.queued,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SendOut {
    /// `sent`, or `queued` when the homeserver could not be reached (a later command sends it).
    status: &'static str,
    room_id: String,
    event_id: Option<String>,
    transaction_id: String,
}

impl From<SendOutcome> for SendOut {
    fn from(outcome: SendOutcome) -> Self {
        match outcome {
            SendOutcome::Sent { room_id, event_id, transaction_id } => {
                SendOut { status: "sent", room_id, event_id: Some(event_id), transaction_id }
            }
            SendOutcome::Queued { room_id, transaction_id } => {
                SendOut { status: "queued", room_id, event_id: None, transaction_id }
            }
        }
    }
}

/// The messaging data folder: the flag, then `COMMONPLACE_DATA` (clap reads it into the flag),
/// then the OS data folder.
pub fn resolve_data(flag: Option<&Path>) -> Result<PathBuf, IpcError> {
    Ok(commonplace_library::location::messaging_dir(flag)?)
}

fn runtime() -> Result<tokio::runtime::Runtime, IpcError> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|error| {
        IpcError::new(ErrorKind::Internal, format!("could not start the async runtime: {error}"))
    })
}

fn pickle_key() -> Result<PickleKey, IpcError> {
    if std::env::var_os(PICKLE_KEY_VARIABLE).is_none_or(|value| value.is_empty()) {
        return Err(IpcError::new(
            ErrorKind::InvalidInput,
            format!(
                "{PICKLE_KEY_VARIABLE} is not set. Messaging keeps its encryption keys encrypted with this key: \
                 set it to 64 hex digits (for example from `openssl rand -hex 32`), keep it safe, and use the \
                 same key every time"
            ),
        ));
    }
    PickleKey::from_env().map_err(|error| IpcError::new(ErrorKind::InvalidInput, error.to_string()))
}

pub fn account(json: bool, data: &Path, command: &AccountCommand) -> Result<(), IpcError> {
    match command {
        AccountCommand::Add { homeserver, user, password_stdin: _ } => {
            let key = pickle_key()?;
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password).map_err(|error| {
                IpcError::new(ErrorKind::Io, format!("could not read the password from stdin: {error}"))
            })?;
            let password = password.trim_end_matches(['\n', '\r']);
            if password.is_empty() {
                return Err(IpcError::new(ErrorKind::InvalidInput, "no password on standard input"));
            }
            let account = runtime()?
                .block_on(Account::add(data, homeserver, user, password, key))
                .map_err(IpcError::from)?;
            let entry =
                commonplace_matrix::find_account(data, Some(account.user_id())).map_err(IpcError::from)?;
            let out = AccountOut::from(&entry);
            print(json, &out, |stdout| {
                writeln!(stdout, "Added {} (device {}) on {}", out.user_id, out.device_id, out.homeserver)
            })
        }
        AccountCommand::List => {
            let entries: Vec<AccountOut> = commonplace_matrix::list_accounts(data)
                .map_err(IpcError::from)?
                .iter()
                .map(AccountOut::from)
                .collect();
            print(json, &entries, |stdout| {
                for entry in &entries {
                    writeln!(stdout, "{}  device {}  {}", entry.user_id, entry.device_id, entry.homeserver)?;
                }
                Ok(())
            })
        }
        AccountCommand::Remove { user } => {
            let entry = commonplace_matrix::find_account(data, Some(user)).map_err(IpcError::from)?;
            let key = pickle_key()?;
            let refused = runtime()?
                .block_on(commonplace_matrix::sign_out(data, Some(&entry.user_id), &key))
                .map_err(IpcError::from)?;
            if let Some(error) = &refused {
                tracing::warn!(%error, "the homeserver did not confirm the sign-out; the account is removed here anyway");
            }
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Removed {
                user_id: String,
                signed_out_on_homeserver: bool,
            }
            let removed = Removed { user_id: entry.user_id, signed_out_on_homeserver: refused.is_none() };
            print(json, &removed, |stdout| {
                writeln!(stdout, "Removed {}", removed.user_id)?;
                if let Some(error) = &refused {
                    writeln!(stdout, "(the homeserver did not confirm the sign-out: {error})")?;
                }
                Ok(())
            })
        }
    }
}

fn open(data: &Path, user: Option<&str>) -> Result<Account, IpcError> {
    let key = pickle_key()?;
    Account::open(data, user, key).map_err(IpcError::from)
}

pub fn sync(
    json: bool,
    data: &Path,
    user: Option<&str>,
    timeout: u64,
    accept_invites: bool,
) -> Result<(), IpcError> {
    let mut account = open(data, user)?;
    account.set_auto_join(accept_invites);
    let report =
        runtime()?.block_on(account.sync_once(Duration::from_secs(timeout))).map_err(IpcError::from)?;
    let out = SyncOut::from(report);
    print(json, &out, |stdout| {
        writeln!(stdout, "{} new events, {} sent, {} still queued", out.events, out.sent, out.queued)?;
        for room in &out.invites {
            writeln!(stdout, "invited to {room} (sync --accept-invites to join)")?;
        }
        for room in &out.joined {
            writeln!(stdout, "joined {room}")?;
        }
        Ok(())
    })
}

pub fn rooms(json: bool, data: &Path, user: Option<&str>) -> Result<(), IpcError> {
    let account = open(data, user)?;
    let rooms: Vec<RoomOut> =
        account.rooms().map_err(IpcError::from)?.into_iter().map(RoomOut::from).collect();
    print(json, &rooms, |stdout| {
        for room in &rooms {
            let lock = if room.encrypted { "encrypted" } else { "not encrypted" };
            let label = room.direct_with.as_deref().or(room.name.as_deref()).unwrap_or("");
            writeln!(stdout, "{}  {}  {}  {}", room.room_id, room.membership_label(), lock, label)?;
        }
        Ok(())
    })
}

impl RoomOut {
    fn membership_label(&self) -> &'static str {
        match self.membership {
            Membership::Join => "joined",
            Membership::Invite => "invited",
            Membership::Leave => "left",
            Membership::Ban => "banned",
            Membership::Knock => "knocked",
        }
    }
}

/// Syncs first (a fresh device learns its rooms and `m.direct`), then resolves the target.
async fn synced_room(account: &mut Account, target: &str) -> Result<String, commonplace_matrix::Error> {
    account.sync_once(Duration::ZERO).await?;
    account.room_for(target).await
}

pub fn send(json: bool, data: &Path, user: Option<&str>, target: &str, text: &str) -> Result<(), IpcError> {
    let mut account = open(data, user)?;
    let outcome = runtime()?
        .block_on(async {
            let room_id = synced_room(&mut account, target).await?;
            account.send_text(&room_id, text).await
        })
        .map_err(IpcError::from)?;
    print_send(json, outcome)
}

pub fn send_file(
    json: bool,
    data: &Path,
    user: Option<&str>,
    target: &str,
    path: &Path,
) -> Result<(), IpcError> {
    let mut account = open(data, user)?;
    let outcome = runtime()?
        .block_on(async {
            let room_id = synced_room(&mut account, target).await?;
            account.send_file(&room_id, path).await
        })
        .map_err(IpcError::from)?;
    print_send(json, outcome)
}

fn print_send(json: bool, outcome: SendOutcome) -> Result<(), IpcError> {
    let out = SendOut::from(outcome);
    print(json, &out, |stdout| match &out.event_id {
        Some(event_id) => writeln!(stdout, "Sent {event_id} to {}", out.room_id),
        None => writeln!(
            stdout,
            "Queued for {}: the homeserver is not reachable; it goes out with the next command",
            out.room_id
        ),
    })
}

pub fn read(json: bool, data: &Path, user: Option<&str>, target: &str, limit: u32) -> Result<(), IpcError> {
    let mut account = open(data, user)?;
    let room_id = runtime()?
        .block_on(async {
            account.sync_once(Duration::ZERO).await?;
            if target.starts_with('@') {
                account.find_dm(target)
            } else {
                account.room_for(target).await.map(Some)
            }
        })
        .map_err(IpcError::from)?
        .ok_or_else(|| {
            IpcError::new(ErrorKind::NotFound, format!("there is no conversation with {target} yet"))
        })?;
    let messages: Vec<MessageOut> =
        account.read(&room_id, limit).map_err(IpcError::from)?.into_iter().map(MessageOut::from).collect();
    let out = ReadOut { room_id, messages };
    print(json, &out, |stdout| {
        for message in &out.messages {
            let lock = if message.encrypted { "[encrypted]" } else { "[not encrypted]" };
            match (&message.body, &message.undecryptable_reason) {
                (_, Some(reason)) => {
                    writeln!(stdout, "{} {lock} (could not be decrypted: {reason})", message.sender)?
                }
                (Some(body), None) => writeln!(stdout, "{} {lock} {body}", message.sender)?,
                (None, None) => writeln!(
                    stdout,
                    "{} {lock} ({})",
                    message.sender,
                    message.msgtype.as_deref().unwrap_or("event")
                )?,
            }
        }
        Ok(())
    })
}

/// What `verify` was asked to do.
#[derive(Debug)]
pub struct VerifyOptions<'a> {
    /// Whose device to verify; with `incoming`, only a verification from this person is accepted.
    pub user: Option<&'a str>,
    pub device: Option<&'a str>,
    /// Wait for a verification someone else starts, instead of starting one.
    pub incoming: bool,
    /// Confirm without asking.
    pub yes: bool,
    /// How long to wait for the other side at each step.
    pub timeout: Duration,
}

/// What `verify` prints: the strings that were compared and how it ended.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyOut {
    transaction_id: String,
    user_id: String,
    device_id: Option<String>,
    /// The seven emoji, when both devices show emoji.
    emojis: Option<Vec<Emoji>>,
    /// The three numbers, when both devices show numbers.
    decimals: Option<[u16; 3]>,
    verified: bool,
    cancelled: Option<CancelledOut>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CancelledOut {
    code: String,
    reason: String,
    /// This side cancelled (the person said no, or a check failed here).
    by_us: bool,
}

/// Verifies another device by comparing emoji: starts a verification with `user`'s device (or,
/// with `incoming`, waits for one to be started with this device and accepts it), shows the emoji
/// and numbers, asks whether they match (unless `yes`), and finishes. Returns whether the device
/// ended verified; the result is printed either way.
pub fn verify(
    json: bool,
    data: &Path,
    account_user: Option<&str>,
    options: &VerifyOptions<'_>,
) -> Result<bool, IpcError> {
    let mut account = open(data, account_user)?;
    let out = runtime()?.block_on(run_verification(json, &mut account, options))?;
    print(json, &out, |stdout| match &out.cancelled {
        None if out.verified => writeln!(stdout, "verified"),
        Some(cancelled) => writeln!(stdout, "cancelled: {} ({})", cancelled.reason, cancelled.code),
        None => writeln!(stdout, "not verified"),
    })?;
    Ok(out.verified)
}

async fn run_verification(
    json: bool,
    account: &mut Account,
    options: &VerifyOptions<'_>,
) -> Result<VerifyOut, IpcError> {
    // With --json the conversation with the person goes to stderr, so that stdout is one document.
    let mut talk: Box<dyn Write> =
        if json { Box::new(std::io::stderr()) } else { Box::new(std::io::stdout()) };
    let say = |talk: &mut Box<dyn Write>, text: String| {
        let _ = writeln!(talk, "{text}");
        let _ = talk.flush();
    };
    account.sync_once(Duration::ZERO).await.map_err(IpcError::from)?;
    let transaction_id = if options.incoming {
        say(&mut talk, "Waiting for a verification to be started with this device…".to_owned());
        let deadline = Instant::now() + options.timeout;
        let transaction_id = loop {
            let waiting = account.verifications().into_iter().find(|verification| {
                verification.state == VerificationState::Incoming
                    && options.user.is_none_or(|user| verification.other_user == user)
            });
            if let Some(verification) = waiting {
                say(
                    &mut talk,
                    format!(
                        "{} (device {}) wants to verify this device.",
                        verification.other_user,
                        verification.other_device.as_deref().unwrap_or("?")
                    ),
                );
                break verification.transaction_id;
            }
            if Instant::now() >= deadline {
                return Err(IpcError::new(
                    ErrorKind::NotFound,
                    format!(
                        "no verification was started with this device within {} seconds",
                        options.timeout.as_secs()
                    ),
                ));
            }
            account.sync_once(Duration::from_secs(1)).await.map_err(IpcError::from)?;
        };
        account.accept_verification(&transaction_id).await.map_err(IpcError::from)?;
        transaction_id
    } else {
        let user = options
            .user
            .ok_or_else(|| IpcError::new(ErrorKind::InvalidInput, "whose device? name a user"))?;
        let transaction_id =
            account.start_verification(user, options.device).await.map_err(IpcError::from)?;
        let device = account.verification(&transaction_id).and_then(|verification| verification.other_device);
        say(
            &mut talk,
            format!(
                "Verifying device {} of {user}: accept on that device…",
                device.as_deref().unwrap_or("?")
            ),
        );
        transaction_id
    };

    let state =
        wait_for(account, &transaction_id, options.timeout, |state| state.short_auth().is_some()).await?;
    if let Some(short_auth) = state.short_auth() {
        say(&mut talk, "Compare with the other device:".to_owned());
        if let Some(emojis) = &short_auth.emojis {
            let line: Vec<String> =
                emojis.iter().map(|emoji| format!("{} {}", emoji.emoji, emoji.name)).collect();
            say(&mut talk, format!("  {}", line.join("   ")));
        }
        if let Some([first, second, third]) = short_auth.decimals {
            say(&mut talk, format!("  {first} {second} {third}"));
        }
        let matching = options.yes || ask(&mut talk)?;
        if matching {
            account.confirm_verification(&transaction_id).await.map_err(IpcError::from)?;
            say(&mut talk, "Confirmed; waiting for the other device to confirm too…".to_owned());
        } else {
            account
                .cancel_verification(&transaction_id, CancelCode::MismatchedSas)
                .await
                .map_err(IpcError::from)?;
        }
        wait_for(account, &transaction_id, options.timeout, |_| false).await?;
    }
    let verification = account.verification(&transaction_id).ok_or_else(|| {
        IpcError::new(ErrorKind::Internal, format!("the verification {transaction_id} disappeared"))
    })?;
    let short_auth = verification.state.short_auth().cloned();
    Ok(VerifyOut {
        transaction_id,
        user_id: verification.other_user,
        device_id: verification.other_device,
        emojis: short_auth.as_ref().and_then(|strings| strings.emojis.map(Vec::from)),
        decimals: short_auth.and_then(|strings| strings.decimals),
        verified: matches!(verification.state, VerificationState::Done { .. }),
        cancelled: match verification.state {
            VerificationState::Cancelled { code, reason, by_us } => {
                Some(CancelledOut { code: code.as_str().to_owned(), reason, by_us })
            }
            _ => None,
        },
    })
}

/// Syncs until the verification reaches what `reached` wants or is over. Past `timeout` it is
/// cancelled with `m.timeout`, which the other side is told.
async fn wait_for(
    account: &mut Account,
    transaction_id: &str,
    timeout: Duration,
    reached: impl Fn(&VerificationState) -> bool,
) -> Result<VerificationState, IpcError> {
    let deadline = Instant::now() + timeout;
    loop {
        let state = account
            .verification(transaction_id)
            .map(|verification| verification.state)
            .ok_or_else(|| IpcError::new(ErrorKind::NotFound, format!("no verification {transaction_id}")))?;
        if reached(&state) || state.is_final() {
            return Ok(state);
        }
        if Instant::now() >= deadline {
            account.cancel_verification(transaction_id, CancelCode::Timeout).await.map_err(IpcError::from)?;
            continue;
        }
        account.sync_once(Duration::from_secs(1)).await.map_err(IpcError::from)?;
    }
}

/// Asks the person whether the strings match; anything but yes is no.
fn ask(talk: &mut Box<dyn Write>) -> Result<bool, IpcError> {
    let _ = write!(talk, "Do they match? [y/N] ");
    let _ = talk.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|error| {
        IpcError::new(ErrorKind::Io, format!("could not read the answer from stdin: {error}"))
    })?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
