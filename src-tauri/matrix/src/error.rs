//! The transport's error type. Every variant names the endpoint (as its template, such as
//! `PUT /rooms/{roomId}/send/{eventType}/{txnId}`, never with a token in it) and, for a refusal,
//! the HTTP status and the Matrix `errcode` and `error`, so a caller can decide what to do —
//! retry, log in again, tell the person — and a log line says what went wrong where.

use std::io;
use std::time::Duration;

use url::Url;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An endpoint's method and path template, as the client-server spec writes it.
pub type Endpoint = &'static str;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No connection: the instance is down, the address is wrong or the network is gone.
    #[error("{endpoint}: the homeserver {homeserver} could not be reached: {source}")]
    Unreachable { endpoint: Endpoint, homeserver: Url, source: reqwest::Error },

    #[error("{endpoint}: the homeserver {homeserver} did not answer in time")]
    TimedOut { endpoint: Endpoint, homeserver: Url },

    /// `M_FORBIDDEN`, including a wrong password at login.
    #[error("{endpoint}: the homeserver refused (M_FORBIDDEN): {message}")]
    Forbidden { endpoint: Endpoint, message: String },

    /// `M_UNKNOWN_TOKEN`: the session has ended (logged out elsewhere, or expired).
    #[error(
        "{endpoint}: the session is no longer valid (M_UNKNOWN_TOKEN, soft logout: {soft_logout}): {message}"
    )]
    UnknownToken { endpoint: Endpoint, soft_logout: bool, message: String },

    /// `M_LIMIT_EXCEEDED` (or HTTP 429): wait `retry_after_ms` when the server said how long.
    #[error("{endpoint}: rate limited by the homeserver (retry after {retry_after_ms:?} ms)")]
    RateLimited { endpoint: Endpoint, retry_after_ms: Option<u64> },

    /// `M_NOT_FOUND`, or a 404 without a Matrix error body.
    #[error("{endpoint}: not found ({errcode}): {message}")]
    NotFound { endpoint: Endpoint, errcode: String, message: String },

    /// Any other Matrix error response.
    #[error("{endpoint} failed with HTTP {status} ({errcode}): {message}")]
    Matrix { endpoint: Endpoint, status: u16, errcode: String, message: String },

    /// An error status whose body is not a Matrix error (a proxy's page, say).
    #[error("{endpoint} failed with HTTP {status}")]
    Http { endpoint: Endpoint, status: u16 },

    #[error("{endpoint}: the homeserver's answer could not be read: {source}")]
    InvalidResponse { endpoint: Endpoint, source: serde_json::Error },

    #[error("{endpoint}: the homeserver's answer broke off: {source}")]
    ResponseBody { endpoint: Endpoint, source: reqwest::Error },

    #[error("{endpoint} needs a logged-in session")]
    NotLoggedIn { endpoint: Endpoint },

    #[error("{input:?} is not a homeserver address: {reason}")]
    InvalidHomeserver { input: String, reason: &'static str },

    /// Server discovery found a `.well-known/matrix/client` it cannot use (spec: FAIL_PROMPT or
    /// FAIL_ERROR); a missing one is not an error.
    #[error("the server discovery document of {server} is unusable: {reason}")]
    InvalidWellKnown { server: String, reason: String },

    #[error("{uri:?} is not an mxc:// content URI")]
    InvalidContentUri { uri: String },

    #[error("{endpoint}: the media is larger than the limit of {limit} bytes")]
    MediaTooLarge { endpoint: Endpoint, limit: u64 },

    #[error("{endpoint}: the downloaded media could not be written: {source}")]
    WriteMedia { endpoint: Endpoint, source: io::Error },

    #[error("the HTTP client could not be set up: {source}")]
    ClientSetup { source: reqwest::Error },

    // --- accounts on this device (the runtime around the E2EE machine) ---------------------------
    #[error(transparent)]
    Messaging(#[from] commonplace_messaging::Error),

    #[error("could not {action} {path}: {source}")]
    AccountStorage { action: &'static str, path: std::path::PathBuf, source: io::Error },

    #[error("{path} is damaged: {source}")]
    AccountFile { path: std::path::PathBuf, source: serde_json::Error },

    #[error("there is no account in {data_dir}: add one first (`account add`)")]
    NoAccount { data_dir: std::path::PathBuf },

    #[error("there is no account {user} on this device (or more than one matches)")]
    UnknownAccount { user: String },

    #[error("{target:?} is neither a room id (!room…) nor a user id (@user:server)")]
    InvalidTarget { target: String },

    #[error("the event {event_id} is not in the local timeline")]
    EventNotFound { event_id: String },

    #[error("the event {event_id} carries no attachment")]
    NotAnAttachment { event_id: String },

    #[error("{path} is larger than the attachment limit of {limit} bytes")]
    AttachmentTooLarge { path: std::path::PathBuf, limit: u64 },

    #[error("there is no conversation {room_id} in this account")]
    RoomNotFound { room_id: String },

    #[error("the message keys on this computer are locked: unlock them with your passphrase first")]
    KeysLocked,

    // --- verification -----------------------------------------------------------------------------
    #[error("{user} has no device (besides this one) that could be verified")]
    NoDeviceToVerify { user: String },

    #[error("{user} has several devices ({}): name the one to verify", devices.join(", "))]
    AmbiguousDevice { user: String, devices: Vec<String> },
}

impl Error {
    /// The Matrix error code, when the homeserver sent one.
    pub fn errcode(&self) -> Option<&str> {
        match self {
            Error::Forbidden { .. } => Some("M_FORBIDDEN"),
            Error::UnknownToken { .. } => Some("M_UNKNOWN_TOKEN"),
            Error::RateLimited { .. } => Some("M_LIMIT_EXCEEDED"),
            Error::NotFound { errcode, .. } | Error::Matrix { errcode, .. } => Some(errcode),
            _ => None,
        }
    }

    /// Whether the same request may succeed later without any change: the instance was away, too
    /// slow, overloaded or rate limiting.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Unreachable { .. }
            | Error::TimedOut { .. }
            | Error::RateLimited { .. }
            | Error::ResponseBody { .. } => true,
            Error::Http { status, .. } | Error::Matrix { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// How long the homeserver asked us to wait, for a rate limit.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after_ms: Some(milliseconds), .. } => {
                Some(Duration::from_millis(*milliseconds))
            }
            _ => None,
        }
    }
}
