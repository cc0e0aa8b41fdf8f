//! Credentials: the secrets a client holds, whose `Debug` never shows them, so a `{:?}` in a log
//! line or a panic message cannot leak an access token or a password.

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

/// A secret string: an access token or a password. Serialised as the plain string (it has to be
/// sent and stored), but never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("<redacted>")
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Secret::new(secret)
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret(secret)
    }
}

/// A logged-in device on one homeserver: what an app keeps (in its secret store) to continue
/// without logging in again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The client-server API's base URL, after discovery.
    pub homeserver: Url,
    pub user_id: String,
    pub device_id: String,
    pub access_token: Secret,
}
