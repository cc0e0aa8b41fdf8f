//! The messaging crate's error type. Every variant names what it is about — the room, the session,
//! the device or the request — so that a message in the log or in the UI says which item failed and
//! why. Decryption failures are variants of their own (not a string) because the UI reacts to them
//! differently: a missing room key may still arrive, a replay never becomes valid.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // --- storage --------------------------------------------------------------------------------
    #[error("the crypto store at {path} could not be read or written: {source}")]
    Store { path: PathBuf, source: rusqlite::Error },

    #[error("the timeline store at {path} could not be read or written: {source}")]
    TimelineStore { path: PathBuf, source: rusqlite::Error },

    #[error("migration {name} of the crypto store failed: {source}")]
    Migration { name: &'static str, source: rusqlite::Error },

    #[error(
        "the crypto store at {path} has schema version {found}, newer than this Commonplace supports \
         ({supported}) — please update Commonplace"
    )]
    StoreTooNew { path: PathBuf, found: u32, supported: u32 },

    #[error(
        "the {what} in the crypto store could not be decrypted: the pickle key is not the one it was \
         saved with (or the store is damaged)"
    )]
    WrongPickleKey { what: &'static str },

    #[error(
        "the crypto store belongs to {stored_user} / {stored_device}, not to {user} / {device}; \
         open the store of this account instead"
    )]
    AccountMismatch { stored_user: String, stored_device: String, user: String, device: String },

    #[error("that passphrase does not unlock the message keys on this computer")]
    WrongPassphrase,

    #[error("the passphrase must be at least {minimum} characters long")]
    PassphraseTooShort { minimum: usize },

    #[error("the passphrase file {path} could not be used: {reason}")]
    PassphraseFile { path: PathBuf, reason: String },

    #[error("the pickle key is not usable: {reason}")]
    InvalidPickleKey { reason: String },

    #[error("the environment variable {variable} is not set; it must hold the 32-byte pickle key")]
    PickleKeyMissing { variable: &'static str },

    #[error("the {what} could not be encoded or decoded as JSON: {source}")]
    Json { what: &'static str, source: serde_json::Error },

    // --- JSON signing and device keys -----------------------------------------------------------
    #[error("this JSON cannot be signed: {reason}")]
    NonCanonicalJson { reason: String },

    #[error("the device keys of {user} / {device} were rejected: {reason}")]
    InvalidDeviceKeys { user: String, device: String, reason: String },

    // --- requests -------------------------------------------------------------------------------
    #[error("no outgoing request has the id {request_id} (already marked as sent?)")]
    UnknownRequest { request_id: String },

    #[error("the response to request {request_id} ({endpoint}) is malformed: {reason}")]
    MalformedResponse { request_id: String, endpoint: &'static str, reason: String },

    // --- sending --------------------------------------------------------------------------------
    #[error(
        "room {room_id} has no current room key (none yet, or it is due for rotation); call \
         share_room_key before encrypting"
    )]
    RoomKeyNotShared { room_id: String },

    #[error("there is no Olm session with {user} / {device}; its one-time key has to be claimed first")]
    NoOlmSession { user: String, device: String },

    #[error("encrypting for {user} / {device} failed: {reason}")]
    OlmEncryption { user: String, device: String, reason: String },

    // --- to-device decryption -------------------------------------------------------------------
    #[error("the to-device event from {sender} is malformed: {reason}")]
    MalformedToDevice { sender: String, reason: String },

    #[error("the to-device event from {sender} uses the unsupported algorithm {algorithm:?}")]
    UnsupportedAlgorithm { sender: String, algorithm: String },

    #[error(
        "the Olm message from {sender} (key {sender_key}) was already processed once: a replay is \
         ignored so that it neither decrypts twice nor creates a second session"
    )]
    ReplayedOlmMessage { sender: String, sender_key: String },

    #[error(
        "no Olm session with {user} (key {sender_key}) can decrypt its message: the session is \
         wedged; a new one is being set up"
    )]
    SessionWedged { user: String, sender_key: String },

    #[error(
        "no Olm session could be created from the pre-key message of {sender} (key {sender_key}): {reason}"
    )]
    SessionCreation { sender: String, sender_key: String, reason: String },

    #[error("the decrypted to-device event from {sender} does not match its envelope: {reason}")]
    ToDeviceMismatch { sender: String, reason: String },

    // --- room event decryption ------------------------------------------------------------------
    #[error("the encrypted event {event_id} is malformed: {reason}")]
    MalformedRoomEvent { event_id: String, reason: String },

    #[error(
        "the room key for session {session_id} (sender key {sender_key}) in {room_id} has not \
         arrived (yet)"
    )]
    MissingRoomKey { room_id: String, session_id: String, sender_key: String },

    #[error(
        "session {session_id} is only known from message index {first_known_index}, but the event \
         was encrypted at index {message_index}"
    )]
    UnknownMessageIndex { session_id: String, first_known_index: u32, message_index: u32 },

    #[error("the event could not be decrypted with session {session_id}: {reason}")]
    RatchetMismatch { session_id: String, reason: String },

    #[error("session {session_id} belongs to sender key {expected}, but the event claims {found}")]
    SenderKeyMismatch { session_id: String, expected: String, found: String },

    #[error("the event decrypted for room {found}, but it was sent in {expected}")]
    RoomMismatch { expected: String, found: String },

    #[error(
        "replay attack: index {message_index} of session {session_id} was already used by event \
         {first_event_id}, and is now presented as {event_id}"
    )]
    ReplayedRoomEvent { session_id: String, message_index: u32, first_event_id: String, event_id: String },

    // --- verification ---------------------------------------------------------------------------
    #[error(
        "the device {device} of {user} is not known here (yet): sync so that its keys are fetched, then \
         try again"
    )]
    UnknownDevice { user: String, device: String },

    #[error("{user} has no device to verify")]
    NoDevicesToVerify { user: String },

    #[error("this device ({device}) cannot verify itself")]
    VerifyOwnDevice { device: String },

    #[error("there is no verification {transaction_id} on this device (it may have ended before a restart)")]
    UnknownVerification { transaction_id: String },

    #[error("the verification {transaction_id} cannot be {action} now: it is {state}")]
    VerificationState { transaction_id: String, action: &'static str, state: &'static str },

    // --- attachments ----------------------------------------------------------------------------
    #[error("could not {action} the attachment: {source}")]
    AttachmentIo { action: &'static str, source: std::io::Error },

    #[error("the attachment's file object is not usable: {reason}")]
    InvalidEncryptedFile { reason: String },

    #[error("the attachment does not match its SHA-256 hash (expected {expected}, found {found})")]
    AttachmentHashMismatch { expected: String, found: String },
}

impl Error {
    pub(crate) fn json(what: &'static str) -> impl FnOnce(serde_json::Error) -> Error {
        move |source| Error::Json { what, source }
    }
}
