//! An independent Matrix peer: matrix-nio 0.25.2 with libolm, in a long-lived Python process.
//!
//! [`NioPeer`] runs `tests/peers/nio_peer.py` and sends it one JSON request per line; the script
//! answers each with one line (see its docstring for the protocol). The peer's store — its Olm
//! account, sessions, sync token and access token — lives in a temporary folder that belongs to
//! the `NioPeer`, so [`NioPeer::restart`] brings back the same device with the same keys.
//!
//! The peer encrypts for unverified devices: tests of messages are about whether the bytes
//! decrypt, not about verification. Verification itself is driven through nio's own SAS
//! ([`NioPeer::start_verification`], [`NioPeer::accept_verification`], [`NioPeer::verification`]
//! and the waits around them): the start-first flow with the `hkdf-hmac-sha256` MAC, which is all
//! nio 0.25 speaks.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};
use std::{fmt, fs};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::error::IoContext;
use crate::process::{log_tail, wait_or_kill_group};
use crate::venv::{python, venv, workspace_root};
use crate::{Error, Result};

/// How long a single command may take beyond the time it was asked to wait for: logins, key
/// uploads and room creation take a moment on a busy two-core machine.
const COMMAND_MARGIN: Duration = Duration::from_secs(60);

/// Who the peer is: its account, its device and the device's identity keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PeerIdentity {
    pub user_id: String,
    pub device_id: String,
    pub curve25519: Option<String>,
    pub ed25519: Option<String>,
}

/// A room message the peer has seen in a sync, decrypted when it could be.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReceivedMessage {
    pub room_id: String,
    pub event_id: String,
    pub sender: String,
    /// Whether the event arrived encrypted (and, unless `decryption_failed`, was decrypted).
    pub encrypted: bool,
    /// The peer had no key for this encrypted event; `body` is then `None`.
    pub decryption_failed: bool,
    pub msgtype: Option<String>,
    pub body: Option<String>,
    pub formatted_body: Option<String>,
    pub file: Option<ReceivedFile>,
    /// The whole (decrypted) content of a file message, with any extra fields it carries.
    #[serde(default)]
    pub content: Option<Value>,
}

/// Where a file message's content is; `key`, `hashes` and `iv` are set when it is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReceivedFile {
    pub url: String,
    pub key: Option<Value>,
    pub hashes: Option<Value>,
    pub iv: Option<String>,
}

/// The peer's answer to [`NioPeer::send_file`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SentFile {
    pub event_id: String,
    /// The `mxc://` URI of the uploaded (and, in an encrypted room, encrypted) content.
    pub url: String,
}

/// One SAS emoji as nio shows it: its number in the spec's table, the emoji and nio's own name
/// for it (nio's English names differ from the spec's in places, such as "Wrench" for "Spanner").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PeerEmoji {
    pub number: u8,
    pub emoji: String,
    pub name: String,
}

/// A verification as nio sees it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PeerVerification {
    pub transaction_id: String,
    /// nio's `SasState` name: created, started, accepted, key_received, mac_received, canceled.
    pub state: String,
    pub we_started: bool,
    /// The MAC method agreed on, once it is.
    pub mac_method: Option<String>,
    /// The seven emoji, once both keys are exchanged.
    pub emojis: Option<Vec<PeerEmoji>>,
    pub decimals: Option<Vec<u16>>,
    /// Both sides confirmed and nio checked our MAC.
    pub verified: bool,
    pub canceled: bool,
    /// The other side sent the cancellation (otherwise nio cancelled, or nothing was cancelled).
    pub canceled_by_other: bool,
    pub cancel_code: Option<String>,
    pub cancel_reason: Option<String>,
}

/// A verification another device started with the peer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IncomingVerification {
    pub transaction_id: String,
    pub user_id: String,
    pub device_id: String,
}

/// What [`NioPeer::wait_verification`] waits for; a cancellation ends every wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationGoal {
    Emojis,
    Verified,
    Canceled,
}

#[derive(Clone)]
struct Login {
    homeserver: String,
    user: String,
    password: String,
}

pub struct NioPeer {
    store: TempDir,
    venv: PathBuf,
    process: Option<PeerProcess>,
    login: Option<Login>,
    next_id: u64,
}

struct PeerProcess {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
}

impl fmt::Debug for NioPeer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("NioPeer")
            .field("store", &self.store.path())
            .field("user", &self.login.as_ref().map(|login| &login.user))
            .finish_non_exhaustive()
    }
}

impl NioPeer {
    /// Starts a peer process with a new, empty store. It is not logged in yet.
    pub fn start() -> Result<Self> {
        let venv = venv()?;
        let store = tempfile::Builder::new()
            .prefix("commonplace-nio-")
            .tempdir()
            .at("create a temporary folder in", std::env::temp_dir())?;
        let mut peer = NioPeer { store, venv, process: None, login: None, next_id: 0 };
        peer.spawn()?;
        Ok(peer)
    }

    /// Logs in, or — when this peer's store already holds a session for `user` — continues as that
    /// device. Ends with a first sync and the key upload that follows it.
    pub fn login(&mut self, homeserver: &str, user: &str, password: &str) -> Result<PeerIdentity> {
        self.login = Some(Login {
            homeserver: homeserver.to_owned(),
            user: user.to_owned(),
            password: password.to_owned(),
        });
        self.log_in_again()
    }

    pub fn whoami(&mut self) -> Result<PeerIdentity> {
        self.call("whoami", json!({}), Duration::ZERO)
    }

    /// One sync (waiting up to `timeout` for news), followed by the key uploads, queries, claims
    /// and to-device messages it calls for.
    pub fn sync(&mut self, timeout: Duration) -> Result<()> {
        self.call::<Value>("sync", json!({ "timeout_ms": millis(timeout) }), timeout).map(drop)
    }

    /// Creates a direct-message room with `user_id` invited, encrypted with Megolm.
    pub fn create_dm(&mut self, user_id: &str) -> Result<String> {
        self.room_id("create_dm", json!({ "user_id": user_id, "encrypted": true }))
    }

    /// Creates a private room, encrypted or not, with these users invited.
    pub fn create_room(&mut self, invite: &[&str], encrypted: bool) -> Result<String> {
        self.room_id("create_room", json!({ "invite": invite, "encrypted": encrypted }))
    }

    pub fn invite(&mut self, room_id: &str, user_id: &str) -> Result<()> {
        self.call::<Value>("invite", json!({ "room_id": room_id, "user_id": user_id }), Duration::ZERO)
            .map(drop)
    }

    /// Joins a room and syncs until the peer knows it.
    pub fn join(&mut self, room_id: &str) -> Result<()> {
        self.call::<Value>("join", json!({ "room_id": room_id }), Duration::from_secs(10)).map(drop)
    }

    /// Syncs until the peer is invited to some room; returns the rooms it is invited to.
    pub fn wait_for_invite(&mut self, timeout: Duration) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Invites {
            room_ids: Vec<String>,
        }
        let invites: Invites =
            self.call("wait_for_invite", json!({ "timeout_ms": millis(timeout) }), timeout)?;
        Ok(invites.room_ids)
    }

    /// Syncs until `user_id` has joined `room_id`, so that a message sent next is encrypted for them.
    pub fn wait_for_member(&mut self, room_id: &str, user_id: &str, timeout: Duration) -> Result<()> {
        let arguments = json!({ "room_id": room_id, "user_id": user_id, "timeout_ms": millis(timeout) });
        self.call::<Value>("wait_for_member", arguments, timeout).map(drop)
    }

    /// Sends an `m.text` message (HTML too when `formatted_body` is given); encrypted when the room
    /// is. Returns the event id.
    pub fn send_text(&mut self, room_id: &str, body: &str, formatted_body: Option<&str>) -> Result<String> {
        #[derive(Deserialize)]
        struct Sent {
            event_id: String,
        }
        let arguments = json!({ "room_id": room_id, "body": body, "formatted_body": formatted_body });
        let sent: Sent = self.call("send_text", arguments, Duration::ZERO)?;
        Ok(sent.event_id)
    }

    /// Uploads a file and sends it as `m.file`; in an encrypted room the attachment is encrypted
    /// (AES-256-CTR, the spec's `file` object).
    pub fn send_file(&mut self, room_id: &str, path: &Path) -> Result<SentFile> {
        self.send_file_with(room_id, path, json!({}))
    }

    /// Like [`NioPeer::send_file`], with `extra` fields added to the message's content.
    pub fn send_file_with(&mut self, room_id: &str, path: &Path, extra: Value) -> Result<SentFile> {
        self.call("send_file", json!({ "room_id": room_id, "path": path, "extra": extra }), Duration::ZERO)
    }

    /// Every message the peer has seen in `room_id` since it started, oldest first.
    pub fn messages(&mut self, room_id: &str) -> Result<Vec<ReceivedMessage>> {
        #[derive(Deserialize)]
        struct Messages {
            messages: Vec<ReceivedMessage>,
        }
        let messages: Messages = self.call("messages", json!({ "room_id": room_id }), Duration::ZERO)?;
        Ok(messages.messages)
    }

    /// Syncs until a message in `room_id` matches `predicate`, and returns the first that does.
    pub fn wait_for_message(
        &mut self,
        room_id: &str,
        timeout: Duration,
        predicate: impl Fn(&ReceivedMessage) -> bool,
    ) -> Result<ReceivedMessage> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(message) = self.messages(room_id)?.into_iter().find(|message| predicate(message)) {
                return Ok(message);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(Error::PeerFailed {
                    command: "wait_for_message".to_owned(),
                    message: format!(
                        "no matching message in {room_id} after {timeout:?}; seen: {:?}",
                        self.messages(room_id)?
                    ),
                });
            }
            self.sync(remaining.min(Duration::from_secs(1)))?;
        }
    }

    /// Waits for a message whose body contains `text`.
    pub fn wait_for_text(&mut self, room_id: &str, text: &str, timeout: Duration) -> Result<ReceivedMessage> {
        self.wait_for_message(room_id, timeout, |message| {
            message.body.as_deref().is_some_and(|body| body.contains(text))
        })
    }

    /// Downloads a file message's content (authenticated media) and decrypts it when it was
    /// encrypted.
    pub fn download(&mut self, message: &ReceivedMessage) -> Result<Vec<u8>> {
        let save_to = self.store.path().join(format!("download-{}", self.next_id));
        let arguments =
            json!({ "room_id": message.room_id, "event_id": message.event_id, "save_to": save_to });
        self.call::<Value>("download", arguments, Duration::ZERO)?;
        let content = fs::read(&save_to).at("read", &save_to)?;
        let _ = fs::remove_file(&save_to);
        Ok(content)
    }

    /// Marks every device the peer knows as verified. Returns how many were newly trusted.
    pub fn trust_all_devices(&mut self) -> Result<u64> {
        #[derive(Deserialize)]
        struct Trusted {
            trusted: u64,
        }
        let trusted: Trusted = self.call("trust_all_devices", json!({}), Duration::ZERO)?;
        Ok(trusted.trusted)
    }

    /// Fetches `user_id`'s devices (nio verifies or accepts only devices it knows); returns their ids.
    pub fn query_keys(&mut self, user_id: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Devices {
            device_ids: Vec<String>,
        }
        let devices: Devices = self.call("query_keys", json!({ "user_id": user_id }), Duration::ZERO)?;
        Ok(devices.device_ids)
    }

    /// Starts a SAS verification with a device (nio sends `m.key.verification.start`); returns the
    /// transaction id.
    pub fn start_verification(&mut self, user_id: &str, device_id: &str) -> Result<String> {
        #[derive(Deserialize)]
        struct Started {
            transaction_id: String,
        }
        let started: Started = self.call(
            "start_verification",
            json!({ "user_id": user_id, "device_id": device_id }),
            Duration::ZERO,
        )?;
        Ok(started.transaction_id)
    }

    /// Syncs until another device starts a verification with the peer.
    pub fn wait_for_verification(&mut self, timeout: Duration) -> Result<IncomingVerification> {
        self.call("wait_for_verification", json!({ "timeout_ms": millis(timeout) }), timeout)
    }

    /// Accepts a verification another device started (nio sends `m.key.verification.accept`).
    pub fn accept_verification(&mut self, transaction_id: &str) -> Result<()> {
        self.call::<Value>("accept_verification", json!({ "transaction_id": transaction_id }), Duration::ZERO)
            .map(drop)
    }

    /// The verification as nio sees it now (no sync).
    pub fn verification(&mut self, transaction_id: &str) -> Result<PeerVerification> {
        self.call("verification", json!({ "transaction_id": transaction_id }), Duration::ZERO)
    }

    /// Syncs until the verification reaches `goal` or is cancelled, and returns it.
    pub fn wait_verification(
        &mut self,
        transaction_id: &str,
        goal: VerificationGoal,
        timeout: Duration,
    ) -> Result<PeerVerification> {
        let until = match goal {
            VerificationGoal::Emojis => "emojis",
            VerificationGoal::Verified => "verified",
            VerificationGoal::Canceled => "canceled",
        };
        let arguments =
            json!({ "transaction_id": transaction_id, "until": until, "timeout_ms": millis(timeout) });
        self.call("wait_verification", arguments, timeout)
    }

    /// The person says the emoji match: nio sends its MAC (and verifies the device if ours is in).
    pub fn confirm_verification(&mut self, transaction_id: &str) -> Result<PeerVerification> {
        self.call("confirm_verification", json!({ "transaction_id": transaction_id }), Duration::ZERO)
    }

    /// Cancels a verification: `m.mismatched_sas` with `reject` (the emoji differ), else `m.user`.
    pub fn cancel_verification(&mut self, transaction_id: &str, reject: bool) -> Result<PeerVerification> {
        self.call(
            "cancel_verification",
            json!({ "transaction_id": transaction_id, "reject": reject }),
            Duration::ZERO,
        )
    }

    /// Whether nio marked a device of `user_id` as verified.
    pub fn device_verified(&mut self, user_id: &str, device_id: &str) -> Result<bool> {
        #[derive(Deserialize)]
        struct Verified {
            verified: bool,
        }
        let verified: Verified = self.call(
            "device_verified",
            json!({ "user_id": user_id, "device_id": device_id }),
            Duration::ZERO,
        )?;
        Ok(verified.verified)
    }

    /// Stops the peer process and starts a new one on the same store; logs in again (as the same
    /// device, from the store) when it was logged in.
    pub fn restart(&mut self) -> Result<()> {
        self.close();
        self.spawn()?;
        if self.login.is_some() {
            self.log_in_again()?;
        }
        Ok(())
    }

    /// Asks the peer to close its client and exit; kills it if it does not. Keeps the store.
    pub fn close(&mut self) {
        if self.process.is_some() {
            let _ = self.call::<Value>("close", json!({}), Duration::ZERO);
        }
        if let Some(mut process) = self.process.take() {
            drop(process.stdin);
            wait_or_kill_group(&mut process.child, Duration::from_secs(5));
        }
    }

    /// The last lines of the peer's log (nio's and the script's), for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_path(), lines)
    }

    fn log_path(&self) -> PathBuf {
        self.store.path().join("peer.log")
    }

    fn log_in_again(&mut self) -> Result<PeerIdentity> {
        let Some(login) = self.login.clone() else {
            return Err(Error::PeerFailed {
                command: "login".to_owned(),
                message: "no login to repeat".to_owned(),
            });
        };
        let arguments = json!({
            "homeserver": login.homeserver,
            "user": login.user,
            "password": login.password,
            "store_dir": self.store.path().join("store"),
        });
        self.call("login", arguments, Duration::ZERO)
    }

    fn room_id(&mut self, command: &str, arguments: Value) -> Result<String> {
        #[derive(Deserialize)]
        struct Room {
            room_id: String,
        }
        let room: Room = self.call(command, arguments, Duration::from_secs(10))?;
        Ok(room.room_id)
    }

    fn spawn(&mut self) -> Result<()> {
        let script = workspace_root().join("tests/peers/nio_peer.py");
        let log_path = self.log_path();
        let log = fs::OpenOptions::new().create(true).append(true).open(&log_path).at("open", &log_path)?;
        let mut child = Command::new(python(&self.venv))
            .arg(&script)
            // Should this process die without closing the peer, the peer removes its own folder.
            .arg("--remove-on-eof")
            .arg(self.store.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            // Its own process group, so that killing it after a hang reaches nothing else.
            .process_group(0)
            .spawn()
            .at("start the nio peer", &script)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            unreachable!("stdin and stdout were piped");
        };
        // A thread reads the answers, so that a call can give up after its timeout instead of
        // blocking forever on a peer that hangs.
        let (sender, answers) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        self.process = Some(PeerProcess { child, stdin, answers });
        Ok(())
    }

    fn call<T: DeserializeOwned>(&mut self, command: &str, arguments: Value, waits: Duration) -> Result<T> {
        self.next_id += 1;
        let id = self.next_id;
        let mut request = arguments;
        request["id"] = json!(id);
        request["command"] = json!(command);
        let Some(process) = self.process.as_mut() else {
            return Err(Error::PeerExited { command: command.to_owned(), log_tail: self.log_tail(30) });
        };
        let line = format!("{request}\n");
        if process.stdin.write_all(line.as_bytes()).and_then(|()| process.stdin.flush()).is_err() {
            return Err(Error::PeerExited { command: command.to_owned(), log_tail: self.log_tail(30) });
        }
        let limit = waits + COMMAND_MARGIN;
        let deadline = Instant::now() + limit;
        let answer: Value = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            match process.answers.recv_timeout(remaining) {
                Ok(line) => {
                    let answer: Value = serde_json::from_str(&line)
                        .map_err(|source| Error::PeerAnswer { command: command.to_owned(), source })?;
                    // An answer to an earlier call that timed out is skipped.
                    if answer["id"] == json!(id) {
                        break answer;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(Error::PeerTimedOut {
                        command: command.to_owned(),
                        waited: limit,
                        log_tail: self.log_tail(30),
                    });
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Error::PeerExited {
                        command: command.to_owned(),
                        log_tail: self.log_tail(30),
                    });
                }
            }
        };
        if answer["ok"] != json!(true) {
            return Err(Error::PeerFailed {
                command: command.to_owned(),
                message: answer["error"].as_str().unwrap_or("no error message").to_owned(),
            });
        }
        serde_json::from_value(answer["result"].clone())
            .map_err(|source| Error::PeerAnswer { command: command.to_owned(), source })
    }
}

impl Drop for NioPeer {
    fn drop(&mut self) {
        self.close();
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
