//! SAS verification inside the machine: the `m.key.verification.*` to-device messages of a sync are
//! routed here by transaction id, and the person's decisions come in through the public methods.
//! Every message we send is queued as an ordinary to-device request, so the transport sends it with
//! the rest of [`Machine::outgoing_requests`].
//!
//! Two ways in, both in the spec: `m.key.verification.start` straight away (what libolm-era clients
//! such as matrix-nio 0.25 speak, and what [`Machine::start_verification`] sends), and
//! `m.key.verification.request` / `ready` first ([`Machine::request_verification`]), after which
//! the requester sends the start. Either way the flow is then start → accept (with the acceptor's
//! hash commitment) → both ephemeral keys → the person compares → both MACs → verified.
//!
//! Verifications live in memory only: one that is under way when the app stops is simply gone, as
//! the other side's timeout will tell it. What lasts is the result, the device's `verified` flag.
//!
//! What it is not: cross-signing. Only the other device's ed25519 key is verified (and only ours is
//! sent); MACs of keys we do not know, such as a master cross-signing key, are checked as part of
//! the key list but otherwise ignored.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vodozemac::sas::{EstablishedSas, Mac, Sas};

use super::Machine;
use crate::error::{Error, Result};
use crate::store::{Changes, TrackedUser};
use crate::types::{DeviceId, Request, ToDeviceResult, UserId};
use crate::verification::{
    CancelCode, HASH, KEY_AGREEMENT, MAC_LEGACY, MAC_V2, Party, REQUEST_FUTURE_TOLERANCE_MS, SAS_METHOD,
    ShortAuthString, VERIFICATION_TIMEOUT_MS, Verification, VerificationState, commitment, mac_info_base,
    sas_info,
};

const REQUEST: &str = "m.key.verification.request";
const READY: &str = "m.key.verification.ready";
const START: &str = "m.key.verification.start";
const ACCEPT: &str = "m.key.verification.accept";
const KEY: &str = "m.key.verification.key";
const MAC: &str = "m.key.verification.mac";
const DONE: &str = "m.key.verification.done";
const CANCEL: &str = "m.key.verification.cancel";

/// How long a finished verification can still be looked up, from when it began.
const KEEP_FINISHED_MS: u64 = 60 * 60 * 1000;

/// The short authentication strings we can show, in the order we offer them.
const SHORT_AUTH_STRINGS: [&str; 2] = ["decimal", "emoji"];

/// The sender, type and content of a to-device result that is a verification message. They
/// usually come unencrypted; an encrypted one counts the same.
pub(super) fn message_parts(result: &ToDeviceResult) -> Option<(&str, &str, &Value)> {
    let (sender, event_type, content) = match result {
        ToDeviceResult::PlainText(event) => (
            event.get("sender").and_then(Value::as_str)?,
            event.get("type").and_then(Value::as_str)?,
            event.get("content")?,
        ),
        ToDeviceResult::Decrypted(decrypted) => {
            (decrypted.sender.as_str(), decrypted.event_type.as_str(), &decrypted.content)
        }
        ToDeviceResult::Failed { .. } => return None,
    };
    event_type.starts_with("m.key.verification.").then_some((sender, event_type, content))
}

/// What both sides agreed on beyond the fixed key agreement and hash.
#[derive(Clone, Copy)]
struct Agreement {
    /// The deprecated `hkdf-hmac-sha256`, with libolm's broken base64.
    legacy_mac: bool,
    emoji: bool,
    decimal: bool,
}

impl Agreement {
    fn mac_method(self) -> &'static str {
        if self.legacy_mac { MAC_LEGACY } else { MAC_V2 }
    }

    fn short_auth_strings(self) -> Vec<&'static str> {
        let mut methods = Vec::new();
        if self.decimal {
            methods.push("decimal");
        }
        if self.emoji {
            methods.push("emoji");
        }
        methods
    }
}

/// Who and what a verification is about; the part that does not change with each step.
struct Meta {
    transaction_id: String,
    other_user: UserId,
    other_device: Option<DeviceId>,
    /// The devices a request went to (one, unless we asked all of a user's devices).
    requested_devices: Vec<DeviceId>,
    we_started: bool,
    from_request: bool,
    started_ms: u64,
}

impl Meta {
    /// A verification with one known device of `user`.
    fn with_device(
        transaction_id: &str,
        user: &str,
        device: &str,
        we_started: bool,
        from_request: bool,
        started_ms: u64,
    ) -> Self {
        Meta {
            transaction_id: transaction_id.to_owned(),
            other_user: user.to_owned(),
            other_device: Some(device.to_owned()),
            requested_devices: vec![device.to_owned()],
            we_started,
            from_request,
            started_ms,
        }
    }

    /// Where our messages go: the device we verify with, or every device we asked.
    fn targets(&self) -> Vec<DeviceId> {
        match &self.other_device {
            Some(device) => vec![device.clone()],
            None => self.requested_devices.clone(),
        }
    }
}

enum Step {
    /// Our request is out; waiting for a `ready`.
    RequestSent,
    /// Their request came; waiting for the person.
    RequestReceived,
    /// We answered their request with `ready`; waiting for their `start`.
    ReadySent,
    /// We sent `start`; waiting for `accept`.
    StartSent {
        sas: Sas,
        start: Value,
    },
    /// Their `start` came without a request first; waiting for the person.
    StartReceived {
        start: Value,
        agreement: Agreement,
    },
    /// The ephemeral keys are being exchanged. The starter keeps what the acceptor committed to.
    Exchanging {
        sas: Sas,
        agreement: Agreement,
        we_sent_start: bool,
        their_commitment: Option<(String, Value)>,
    },
    /// Both keys are known: the strings can be compared. Their MAC may come before the person
    /// confirms; it is only checked after.
    KeysExchanged {
        established: Box<EstablishedSas>,
        agreement: Agreement,
        short_auth: ShortAuthString,
        we_confirmed: bool,
        their_mac: Option<Value>,
    },
    Done {
        short_auth: ShortAuthString,
    },
    Cancelled {
        code: CancelCode,
        reason: String,
        by_us: bool,
    },
}

impl Step {
    fn is_final(&self) -> bool {
        matches!(self, Step::Done { .. } | Step::Cancelled { .. })
    }

    /// Their `start` (or their answer to ours) has already been seen in this step.
    fn has_start(&self) -> bool {
        matches!(self, Step::StartReceived { .. } | Step::Exchanging { .. } | Step::KeysExchanged { .. })
    }

    fn state(&self, meta: &Meta) -> VerificationState {
        match self {
            Step::RequestSent => VerificationState::Requested,
            Step::StartSent { .. } if !meta.from_request => VerificationState::Requested,
            Step::RequestReceived | Step::StartReceived { .. } => VerificationState::Incoming,
            Step::ReadySent | Step::StartSent { .. } | Step::Exchanging { .. } => VerificationState::Started,
            Step::KeysExchanged { short_auth, we_confirmed: false, .. } => {
                VerificationState::KeysExchanged { short_auth: short_auth.clone() }
            }
            Step::KeysExchanged { short_auth, we_confirmed: true, .. } => {
                VerificationState::Confirmed { short_auth: short_auth.clone() }
            }
            Step::Done { short_auth } => VerificationState::Done { short_auth: short_auth.clone() },
            Step::Cancelled { code, reason, by_us } => {
                VerificationState::Cancelled { code: code.clone(), reason: reason.clone(), by_us: *by_us }
            }
        }
    }
}

pub(super) struct Entry {
    meta: Meta,
    step: Step,
}

fn string_list<'a>(content: &'a Value, field: &str) -> Option<Vec<&'a str>> {
    content.get(field)?.as_array()?.iter().map(Value::as_str).collect()
}

/// What we agree to when accepting `start`, or why we cannot.
fn agreement_for_start(start: &Value) -> std::result::Result<Agreement, CancelCode> {
    if start.get("method").and_then(Value::as_str) != Some(SAS_METHOD) {
        return Err(CancelCode::UnknownMethod);
    }
    let list = |field| string_list(start, field).ok_or(CancelCode::InvalidMessage);
    let key_agreements = list("key_agreement_protocols")?;
    let hashes = list("hashes")?;
    let macs = list("message_authentication_codes")?;
    let strings = list("short_authentication_string")?;
    if !key_agreements.contains(&KEY_AGREEMENT) || !hashes.contains(&HASH) {
        return Err(CancelCode::UnknownMethod);
    }
    // The spec forbids the old MAC when both sides know the new one.
    let legacy_mac = if macs.contains(&MAC_V2) {
        false
    } else if macs.contains(&MAC_LEGACY) {
        true
    } else {
        return Err(CancelCode::UnknownMethod);
    };
    let agreement =
        Agreement { legacy_mac, emoji: strings.contains(&"emoji"), decimal: strings.contains(&"decimal") };
    if !agreement.emoji && !agreement.decimal {
        return Err(CancelCode::UnknownMethod);
    }
    Ok(agreement)
}

/// What the other side chose in its `accept` of our start, and the commitment it sent.
fn agreement_from_accept(accept: &Value) -> std::result::Result<(Agreement, String), CancelCode> {
    let field = |name| accept.get(name).and_then(Value::as_str).ok_or(CancelCode::InvalidMessage);
    if field("key_agreement_protocol")? != KEY_AGREEMENT || field("hash")? != HASH {
        return Err(CancelCode::UnknownMethod);
    }
    let legacy_mac = match field("message_authentication_code")? {
        MAC_V2 => false,
        MAC_LEGACY => true,
        _ => return Err(CancelCode::UnknownMethod),
    };
    let strings = string_list(accept, "short_authentication_string").ok_or(CancelCode::InvalidMessage)?;
    if strings.iter().any(|method| !SHORT_AUTH_STRINGS.contains(method)) {
        return Err(CancelCode::UnknownMethod);
    }
    let agreement =
        Agreement { legacy_mac, emoji: strings.contains(&"emoji"), decimal: strings.contains(&"decimal") };
    if !agreement.emoji && !agreement.decimal {
        return Err(CancelCode::UnknownMethod);
    }
    Ok((agreement, field("commitment")?.to_owned()))
}

/// Compares two MAC strings in time that does not depend on where they differ.
fn same_text(left: &str, right: &str) -> bool {
    left.len() == right.len()
        && left.bytes().zip(right.bytes()).fold(0u8, |difference, (a, b)| difference | (a ^ b)) == 0
}

impl Machine {
    /// Starts verifying `device_id` of `user` with an `m.key.verification.start` (the flow every
    /// client understands, matrix-nio 0.25 included). Returns the transaction id. The device must
    /// be known: its keys are what the verification confirms.
    pub fn start_verification(&mut self, user: &str, device_id: &str, now_ms: u64) -> Result<String> {
        self.tick(now_ms);
        self.expire_verifications();
        self.verifiable_device(user, device_id)?;
        let transaction_id = self.new_transaction_id();
        let sas = Sas::new();
        let start = self.start_content(&transaction_id);
        self.send_verification_message(START, user, &[device_id.to_owned()], start.clone());
        let meta = Meta::with_device(&transaction_id, user, device_id, true, false, self.clock_ms);
        self.verifications
            .insert(transaction_id.clone(), Entry { meta, step: Step::StartSent { sas, start } });
        Ok(transaction_id)
    }

    /// Asks `devices` of `user` to verify with an `m.key.verification.request`; the first that
    /// answers `ready` is verified (the others are told `m.accepted`), and we then send the start.
    /// Returns the transaction id.
    pub fn request_verification(&mut self, user: &str, devices: &[DeviceId], now_ms: u64) -> Result<String> {
        self.tick(now_ms);
        self.expire_verifications();
        if devices.is_empty() {
            return Err(Error::NoDevicesToVerify { user: user.to_owned() });
        }
        for device in devices {
            self.verifiable_device(user, device)?;
        }
        let transaction_id = self.new_transaction_id();
        let content = json!({
            "from_device": self.device_id,
            "methods": [SAS_METHOD],
            "timestamp": self.clock_ms,
            "transaction_id": transaction_id,
        });
        self.send_verification_message(REQUEST, user, devices, content);
        let meta = Meta {
            transaction_id: transaction_id.clone(),
            other_user: user.to_owned(),
            other_device: if let [only] = devices { Some(only.clone()) } else { None },
            requested_devices: devices.to_vec(),
            we_started: true,
            from_request: true,
            started_ms: self.clock_ms,
        };
        self.verifications.insert(transaction_id.clone(), Entry { meta, step: Step::RequestSent });
        Ok(transaction_id)
    }

    /// Accepts a verification the other side asked for (its request or its start).
    pub fn accept_verification(&mut self, transaction_id: &str, now_ms: u64) -> Result<()> {
        self.tick(now_ms);
        self.expire_verifications();
        let mut entry = self.take_verification(transaction_id)?;
        let device = entry.meta.other_device.clone().unwrap_or_default();
        if matches!(entry.step, Step::RequestReceived | Step::StartReceived { .. })
            && let Err(error) = self.verifiable_device(&entry.meta.other_user, &device)
        {
            self.verifications.insert(transaction_id.to_owned(), entry);
            return Err(error);
        }
        let step = std::mem::replace(&mut entry.step, Step::RequestSent);
        let result = match step {
            Step::RequestReceived => {
                let content = json!({
                    "from_device": self.device_id,
                    "methods": [SAS_METHOD],
                    "transaction_id": transaction_id,
                });
                self.send_verification_message(READY, &entry.meta.other_user, &[device], content);
                entry.step = Step::ReadySent;
                Ok(())
            }
            Step::StartReceived { start, agreement } => {
                entry.step = self.accept_start(&entry.meta, &start, agreement);
                Ok(())
            }
            other => {
                let state = other.state(&entry.meta).name();
                entry.step = other;
                Err(Error::VerificationState {
                    transaction_id: transaction_id.to_owned(),
                    action: "accepted",
                    state,
                })
            }
        };
        self.verifications.insert(transaction_id.to_owned(), entry);
        result
    }

    /// The person says the emoji (or numbers) match: sends our MAC, and finishes the verification
    /// if the other side's MAC is already here and checks out.
    pub fn confirm_verification(&mut self, transaction_id: &str, now_ms: u64) -> Result<()> {
        self.tick(now_ms);
        self.expire_verifications();
        let mut entry = self.take_verification(transaction_id)?;
        let Step::KeysExchanged { established, agreement, short_auth, we_confirmed: false, their_mac } =
            entry.step
        else {
            let state = entry.step.state(&entry.meta).name();
            self.verifications.insert(transaction_id.to_owned(), entry);
            return Err(Error::VerificationState {
                transaction_id: transaction_id.to_owned(),
                action: "confirmed",
                state,
            });
        };
        self.send_mac(&entry.meta, &established, agreement);
        let mut changes = Changes::default();
        entry.step = match their_mac {
            Some(mac) => {
                self.check_their_mac(&entry.meta, &established, agreement, short_auth, &mac, &mut changes)
            }
            None => Step::KeysExchanged {
                established,
                agreement,
                short_auth,
                we_confirmed: true,
                their_mac: None,
            },
        };
        self.verifications.insert(transaction_id.to_owned(), entry);
        self.store.save_changes(changes)
    }

    /// Cancels a verification that has not finished, telling the other device why.
    pub fn cancel_verification(&mut self, transaction_id: &str, code: CancelCode, now_ms: u64) -> Result<()> {
        self.tick(now_ms);
        self.expire_verifications();
        let mut entry = self.take_verification(transaction_id)?;
        if entry.step.is_final() {
            let state = entry.step.state(&entry.meta).name();
            self.verifications.insert(transaction_id.to_owned(), entry);
            return Err(Error::VerificationState {
                transaction_id: transaction_id.to_owned(),
                action: "cancelled",
                state,
            });
        }
        entry.step = self.cancel_with(&entry.meta, code);
        self.verifications.insert(transaction_id.to_owned(), entry);
        Ok(())
    }

    /// Where the verification `transaction_id` stands, if this machine knows it.
    pub fn verification(&self, transaction_id: &str) -> Option<Verification> {
        self.verifications.get(transaction_id).map(|entry| describe(transaction_id, entry))
    }

    /// Every verification this machine knows of (those still running and those finished since it
    /// started), oldest first.
    pub fn verifications(&self) -> Vec<Verification> {
        let mut all: Vec<Verification> = self
            .verifications
            .iter()
            .map(|(transaction_id, entry)| describe(transaction_id, entry))
            .collect();
        all.sort_by(|a, b| (a.started_ms, &a.transaction_id).cmp(&(b.started_ms, &b.transaction_id)));
        all
    }

    /// Cancels, with `m.timeout`, every verification older than the spec's ten minutes, by the
    /// latest time the machine was given; forgets finished ones after [`KEEP_FINISHED_MS`], so that
    /// a long-running app (or someone sending starts at it) does not grow the map for ever.
    pub(super) fn expire_verifications(&mut self) {
        let clock = self.clock_ms;
        self.verifications.retain(|_, entry| {
            !entry.step.is_final() || clock.saturating_sub(entry.meta.started_ms) < KEEP_FINISHED_MS
        });
        let expired: Vec<String> = self
            .verifications
            .iter()
            .filter(|(_, entry)| {
                !entry.step.is_final()
                    && self.clock_ms.saturating_sub(entry.meta.started_ms) >= VERIFICATION_TIMEOUT_MS
            })
            .map(|(transaction_id, _)| transaction_id.clone())
            .collect();
        for transaction_id in expired {
            if let Some(mut entry) = self.verifications.remove(&transaction_id) {
                tracing::info!(%transaction_id, user = %entry.meta.other_user, "verification timed out");
                entry.step = self.cancel_with(&entry.meta, CancelCode::Timeout);
                self.verifications.insert(transaction_id, entry);
            }
        }
    }

    /// Takes in one `m.key.verification.*` event of a sync. What it changes in the store (a device
    /// becoming verified, a user whose keys we need) goes into `changes`.
    pub(super) fn receive_verification_event(
        &mut self,
        sender: &str,
        event_type: &str,
        content: &Value,
        changes: &mut Changes,
    ) {
        let Some(transaction_id) = content.get("transaction_id").and_then(Value::as_str) else {
            tracing::warn!(%sender, event_type, "a verification message without a transaction id");
            return;
        };
        let Some(mut entry) = self.verifications.remove(transaction_id) else {
            match event_type {
                REQUEST => self.receive_request(sender, transaction_id, content, changes),
                START => self.receive_first_start(sender, transaction_id, content, changes),
                // The spec would answer m.unknown_transaction; we stay quiet, so that nobody can
                // use us to cancel verifications of other devices of ours.
                _ => tracing::debug!(%sender, event_type, %transaction_id, "unknown verification; ignored"),
            }
            return;
        };
        if sender != entry.meta.other_user {
            tracing::warn!(%sender, %transaction_id, "a verification message from the wrong user; ignored");
        } else {
            let step = std::mem::replace(&mut entry.step, Step::RequestSent);
            entry.step = self.advance(&mut entry.meta, step, event_type, content, changes);
        }
        self.verifications.insert(transaction_id.to_owned(), entry);
    }

    fn advance(
        &mut self,
        meta: &mut Meta,
        step: Step,
        event_type: &str,
        content: &Value,
        changes: &mut Changes,
    ) -> Step {
        if step.is_final() {
            return step;
        }
        let from_device = content.get("from_device").and_then(Value::as_str);
        match (step, event_type) {
            (_, CANCEL) => {
                let code = CancelCode::parse(content.get("code").and_then(Value::as_str).unwrap_or("m.user"));
                let reason = content.get("reason").and_then(Value::as_str).unwrap_or_default().to_owned();
                tracing::info!(transaction_id = %meta.transaction_id, %code, %reason, "verification cancelled by the other side");
                Step::Cancelled { code, reason, by_us: false }
            }
            (Step::RequestSent, READY) => match from_device {
                Some(device) if meta.requested_devices.iter().any(|asked| asked == device) => {
                    self.receive_ready(meta, device.to_owned(), content)
                }
                _ => {
                    tracing::warn!(transaction_id = %meta.transaction_id, "a ready from a device we did not ask; ignored");
                    Step::RequestSent
                }
            },
            (Step::StartSent { sas, start }, ACCEPT) => match agreement_from_accept(content) {
                Ok((agreement, commitment)) => {
                    self.send_key(meta, &sas);
                    Step::Exchanging {
                        sas,
                        agreement,
                        we_sent_start: true,
                        their_commitment: Some((commitment, start)),
                    }
                }
                Err(code) => self.cancel_with(meta, code),
            },
            // Both sides sent a start after a request: the spec lets the smaller user id (then
            // device id) win; the other start is ignored.
            (Step::StartSent { sas, start }, START) if meta.from_request => {
                let theirs = (meta.other_user.as_str(), from_device.unwrap_or_default());
                if theirs < (self.user_id.as_str(), self.device_id.as_str()) {
                    self.receive_start_after_ready(meta, content)
                } else {
                    Step::StartSent { sas, start }
                }
            }
            (Step::ReadySent, START) => {
                if from_device.is_some_and(|device| Some(device) == meta.other_device.as_deref()) {
                    self.receive_start_after_ready(meta, content)
                } else {
                    self.cancel_with(meta, CancelCode::InvalidMessage)
                }
            }
            (step, START) if step.has_start() => {
                tracing::warn!(transaction_id = %meta.transaction_id, "a second start for the same verification; refused");
                self.cancel_with(meta, CancelCode::UnexpectedMessage)
            }
            (Step::Exchanging { sas, agreement, we_sent_start, their_commitment }, KEY) => {
                let Some(their_key) = content.get("key").and_then(Value::as_str) else {
                    return self.cancel_with(meta, CancelCode::InvalidMessage);
                };
                if let Some((expected, start)) = &their_commitment {
                    match commitment(their_key, start) {
                        Ok(found) if same_text(&found, expected) => {}
                        _ => return self.cancel_with(meta, CancelCode::MismatchedCommitment),
                    }
                } else {
                    // The acceptor answers the starter's key with its own.
                    self.send_key(meta, &sas);
                }
                self.establish(meta, sas, their_key, agreement, we_sent_start)
            }
            (
                Step::KeysExchanged { established, agreement, short_auth, we_confirmed, their_mac: None },
                MAC,
            ) => {
                if we_confirmed {
                    self.check_their_mac(meta, &established, agreement, short_auth, content, changes)
                } else {
                    Step::KeysExchanged {
                        established,
                        agreement,
                        short_auth,
                        we_confirmed,
                        their_mac: Some(content.clone()),
                    }
                }
            }
            // Their `done` says they are finished; ours follows our own check of their MAC.
            (step @ Step::KeysExchanged { .. }, DONE) => step,
            // A repeated request is no news.
            (step, REQUEST) => step,
            (_, other) => {
                tracing::warn!(transaction_id = %meta.transaction_id, event_type = other, "unexpected verification message");
                self.cancel_with(meta, CancelCode::UnexpectedMessage)
            }
        }
    }

    fn receive_request(
        &mut self,
        sender: &str,
        transaction_id: &str,
        content: &Value,
        changes: &mut Changes,
    ) {
        let Some(from_device) = content.get("from_device").and_then(Value::as_str) else { return };
        let Some(timestamp) = content.get("timestamp").and_then(Value::as_u64) else { return };
        // The spec's window: a request more than ten minutes old, or from five minutes in the
        // future, is stale or from a broken clock.
        if self.clock_ms.saturating_sub(timestamp) > VERIFICATION_TIMEOUT_MS
            || timestamp.saturating_sub(self.clock_ms) > REQUEST_FUTURE_TOLERANCE_MS
        {
            tracing::info!(%sender, %transaction_id, "a verification request outside the time window; ignored");
            return;
        }
        let meta = Meta::with_device(transaction_id, sender, from_device, false, true, self.clock_ms);
        let methods = string_list(content, "methods").unwrap_or_default();
        let step = if methods.contains(&SAS_METHOD) {
            self.fetch_keys_if_unknown(sender, from_device, changes);
            Step::RequestReceived
        } else {
            self.cancel_with(&meta, CancelCode::UnknownMethod)
        };
        self.verifications.insert(transaction_id.to_owned(), Entry { meta, step });
    }

    fn receive_first_start(
        &mut self,
        sender: &str,
        transaction_id: &str,
        content: &Value,
        changes: &mut Changes,
    ) {
        let Some(from_device) = content.get("from_device").and_then(Value::as_str) else { return };
        let meta = Meta::with_device(transaction_id, sender, from_device, false, false, self.clock_ms);
        let step = match agreement_for_start(content) {
            Ok(agreement) => {
                self.fetch_keys_if_unknown(sender, from_device, changes);
                Step::StartReceived { start: content.clone(), agreement }
            }
            Err(code) => self.cancel_with(&meta, code),
        };
        self.verifications.insert(transaction_id.to_owned(), Entry { meta, step });
    }

    /// A device answered our request: the others we asked are told someone else took it, and the
    /// start goes to the one that answered.
    fn receive_ready(&mut self, meta: &mut Meta, device: DeviceId, content: &Value) -> Step {
        let others: Vec<DeviceId> =
            meta.requested_devices.iter().filter(|asked| **asked != device).cloned().collect();
        if !others.is_empty() {
            let cancel = json!({
                "transaction_id": meta.transaction_id,
                "code": CancelCode::Accepted.as_str(),
                "reason": CancelCode::Accepted.default_reason(),
            });
            self.send_verification_message(CANCEL, &meta.other_user, &others, cancel);
        }
        meta.other_device = Some(device);
        if !string_list(content, "methods").unwrap_or_default().contains(&SAS_METHOD) {
            return self.cancel_with(meta, CancelCode::UnknownMethod);
        }
        let sas = Sas::new();
        let start = self.start_content(&meta.transaction_id);
        self.send_verification_message(START, &meta.other_user, &meta.targets(), start.clone());
        Step::StartSent { sas, start }
    }

    /// Their start, after a request the person already agreed to: accepted at once.
    fn receive_start_after_ready(&mut self, meta: &Meta, start: &Value) -> Step {
        match agreement_for_start(start) {
            Ok(agreement) => self.accept_start(meta, start, agreement),
            Err(code) => self.cancel_with(meta, code),
        }
    }

    /// Sends our `accept` with the commitment to a fresh ephemeral key.
    fn accept_start(&mut self, meta: &Meta, start: &Value, agreement: Agreement) -> Step {
        let sas = Sas::new();
        let Ok(commitment) = commitment(&sas.public_key().to_base64(), start) else {
            return self.cancel_with(meta, CancelCode::InvalidMessage);
        };
        let content = json!({
            "transaction_id": meta.transaction_id,
            "method": SAS_METHOD,
            "key_agreement_protocol": KEY_AGREEMENT,
            "hash": HASH,
            "message_authentication_code": agreement.mac_method(),
            "short_authentication_string": agreement.short_auth_strings(),
            "commitment": commitment,
        });
        self.send_verification_message(ACCEPT, &meta.other_user, &meta.targets(), content);
        Step::Exchanging { sas, agreement, we_sent_start: false, their_commitment: None }
    }

    fn send_key(&mut self, meta: &Meta, sas: &Sas) {
        let content = json!({ "transaction_id": meta.transaction_id, "key": sas.public_key().to_base64() });
        self.send_verification_message(KEY, &meta.other_user, &meta.targets(), content);
    }

    /// Both keys are known: the shared secret, and the strings the two people compare.
    fn establish(
        &mut self,
        meta: &Meta,
        sas: Sas,
        their_key: &str,
        agreement: Agreement,
        we_sent_start: bool,
    ) -> Step {
        let our_key = sas.public_key().to_base64();
        let Ok(established) = sas.diffie_hellman_with_raw(their_key) else {
            return self.cancel_with(meta, CancelCode::InvalidMessage);
        };
        let ours = Party { user: &self.user_id, device: &self.device_id, public_key: &our_key };
        let other_device = meta.other_device.clone().unwrap_or_default();
        let theirs = Party { user: &meta.other_user, device: &other_device, public_key: their_key };
        let info = if we_sent_start {
            sas_info(ours, theirs, &meta.transaction_id)
        } else {
            sas_info(theirs, ours, &meta.transaction_id)
        };
        let bytes = established.bytes(&info);
        let short_auth = ShortAuthString::from_bytes(bytes.as_bytes(), agreement.emoji, agreement.decimal);
        Step::KeysExchanged {
            established: Box::new(established),
            agreement,
            short_auth,
            we_confirmed: false,
            their_mac: None,
        }
    }

    fn calculate_mac(established: &EstablishedSas, agreement: Agreement, input: &str, info: &str) -> String {
        if agreement.legacy_mac {
            established.calculate_mac_invalid_base64(input, info)
        } else {
            established.calculate_mac(input, info).to_base64()
        }
    }

    fn mac_matches(
        established: &EstablishedSas,
        agreement: Agreement,
        input: &str,
        info: &str,
        mac: &str,
    ) -> bool {
        if agreement.legacy_mac {
            same_text(&established.calculate_mac_invalid_base64(input, info), mac)
        } else {
            Mac::from_base64(mac).is_ok_and(|tag| established.verify_mac(input, info, &tag).is_ok())
        }
    }

    /// Sends the MAC of our device's ed25519 key and of the list of key ids.
    fn send_mac(&mut self, meta: &Meta, established: &EstablishedSas, agreement: Agreement) {
        let (our_ed25519, _) = self.identity_keys();
        let key_id = format!("ed25519:{}", self.device_id);
        let other_device = meta.other_device.clone().unwrap_or_default();
        let base = mac_info_base(
            &self.user_id,
            &self.device_id,
            &meta.other_user,
            &other_device,
            &meta.transaction_id,
        );
        let key_mac = Self::calculate_mac(established, agreement, &our_ed25519, &format!("{base}{key_id}"));
        let keys_mac = Self::calculate_mac(established, agreement, &key_id, &format!("{base}KEY_IDS"));
        let content = json!({
            "transaction_id": meta.transaction_id,
            "mac": { key_id: key_mac },
            "keys": keys_mac,
        });
        self.send_verification_message(MAC, &meta.other_user, &meta.targets(), content);
    }

    /// Checks the other device's MAC against the key we know for it; on success the device is
    /// verified (in `changes`) and, after a request, `done` is sent.
    fn check_their_mac(
        &mut self,
        meta: &Meta,
        established: &EstablishedSas,
        agreement: Agreement,
        short_auth: ShortAuthString,
        content: &Value,
        changes: &mut Changes,
    ) -> Step {
        let other_device = meta.other_device.clone().unwrap_or_default();
        let Some(device) =
            self.devices.get(&meta.other_user).and_then(|devices| devices.get(&other_device)).cloned()
        else {
            return self.cancel_with(meta, CancelCode::KeyMismatch);
        };
        let (Some(Value::Object(macs)), Some(keys)) =
            (content.get("mac"), content.get("keys").and_then(Value::as_str))
        else {
            return self.cancel_with(meta, CancelCode::InvalidMessage);
        };
        let base = mac_info_base(
            &meta.other_user,
            &other_device,
            &self.user_id,
            &self.device_id,
            &meta.transaction_id,
        );
        let mut key_ids: Vec<&str> = macs.keys().map(String::as_str).collect();
        key_ids.sort_unstable();
        if !Self::mac_matches(established, agreement, &key_ids.join(","), &format!("{base}KEY_IDS"), keys) {
            return self.cancel_with(meta, CancelCode::KeyMismatch);
        }
        let device_key_id = format!("ed25519:{other_device}");
        let mut device_checked = false;
        for (key_id, mac) in macs {
            let Some(mac) = mac.as_str() else { return self.cancel_with(meta, CancelCode::InvalidMessage) };
            if *key_id == device_key_id {
                if !Self::mac_matches(
                    established,
                    agreement,
                    &device.ed25519,
                    &format!("{base}{key_id}"),
                    mac,
                ) {
                    return self.cancel_with(meta, CancelCode::KeyMismatch);
                }
                device_checked = true;
            } else {
                // A cross-signing key, say: we do not track those yet, so its MAC proves nothing
                // to us; the key list above still had to match.
                tracing::debug!(%key_id, "ignoring the MAC of a key that is not the device's");
            }
        }
        if !device_checked {
            return self.cancel_with(meta, CancelCode::KeyMismatch);
        }
        if let Some(info) =
            self.devices.get_mut(&meta.other_user).and_then(|devices| devices.get_mut(&other_device))
        {
            info.verified = true;
            changes.devices.push(info.clone());
        }
        tracing::info!(user = %meta.other_user, device = %other_device, "device verified");
        if meta.from_request {
            let content = json!({ "transaction_id": meta.transaction_id });
            self.send_verification_message(DONE, &meta.other_user, &meta.targets(), content);
        }
        Step::Done { short_auth }
    }

    /// Sends `m.key.verification.cancel` and returns the cancelled step.
    fn cancel_with(&mut self, meta: &Meta, code: CancelCode) -> Step {
        let reason = code.default_reason().to_owned();
        let content =
            json!({ "transaction_id": meta.transaction_id, "code": code.as_str(), "reason": reason });
        self.send_verification_message(CANCEL, &meta.other_user, &meta.targets(), content);
        Step::Cancelled { code, reason, by_us: true }
    }

    fn start_content(&self, transaction_id: &str) -> Value {
        json!({
            "from_device": self.device_id,
            "method": SAS_METHOD,
            "transaction_id": transaction_id,
            "key_agreement_protocols": [KEY_AGREEMENT],
            "hashes": [HASH],
            // The old MAC too, for libolm-era clients that know nothing else (the spec forbids it
            // only when both sides know the new one, and an acceptor that does picks the new one).
            "message_authentication_codes": [MAC_V2, MAC_LEGACY],
            "short_authentication_string": SHORT_AUTH_STRINGS,
        })
    }

    fn send_verification_message(
        &mut self,
        event_type: &str,
        user: &str,
        devices: &[DeviceId],
        content: Value,
    ) {
        let txn_id = self.next_request_id();
        let recipients: BTreeMap<DeviceId, Value> =
            devices.iter().map(|device| (device.clone(), content.clone())).collect();
        let messages = BTreeMap::from([(user.to_owned(), recipients)]);
        self.queue(Request::ToDevice { event_type: event_type.to_owned(), txn_id, messages });
    }

    fn new_transaction_id(&mut self) -> String {
        format!("commonplace-{}", self.next_request_id())
    }

    /// The device must be known (its key is what gets verified) and must not be this one.
    fn verifiable_device(&self, user: &str, device_id: &str) -> Result<()> {
        if user == self.user_id && device_id == self.device_id {
            return Err(Error::VerifyOwnDevice { device: device_id.to_owned() });
        }
        if self.devices.get(user).is_some_and(|devices| devices.contains_key(device_id)) {
            Ok(())
        } else {
            Err(Error::UnknownDevice { user: user.to_owned(), device: device_id.to_owned() })
        }
    }

    /// A verification from a device we do not know yet: its user's keys are fetched with the next
    /// keys query, so that the person can accept once they are here.
    fn fetch_keys_if_unknown(&mut self, user: &str, device_id: &str, changes: &mut Changes) {
        if self.devices.get(user).is_some_and(|devices| devices.contains_key(device_id)) {
            return;
        }
        if self.tracked_users.contains_key(user) {
            self.mark_dirty(user, changes);
        } else {
            let tracked = TrackedUser { user_id: user.to_owned(), dirty: true, queried: false };
            self.tracked_users.insert(user.to_owned(), tracked.clone());
            changes.tracked_users.push(tracked);
        }
    }

    fn take_verification(&mut self, transaction_id: &str) -> Result<Entry> {
        self.verifications
            .remove(transaction_id)
            .ok_or_else(|| Error::UnknownVerification { transaction_id: transaction_id.to_owned() })
    }
}

fn describe(transaction_id: &str, entry: &Entry) -> Verification {
    Verification {
        transaction_id: transaction_id.to_owned(),
        other_user: entry.meta.other_user.clone(),
        other_device: entry.meta.other_device.clone(),
        we_started: entry.meta.we_started,
        from_request: entry.meta.from_request,
        started_ms: entry.meta.started_ms,
        state: entry.step.state(&entry.meta),
    }
}
