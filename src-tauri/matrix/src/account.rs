//! The account: supported versions, password login, who am I, logout, and account data (where
//! `m.direct` says which rooms are direct messages).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Client, Error, Result, Secret, Session};

/// `GET /_matrix/client/versions`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Versions {
    pub versions: Vec<String>,
    #[serde(default)]
    pub unstable_features: BTreeMap<String, bool>,
}

/// The body of `POST /login` for `m.login.password` with a user identifier.
#[derive(Debug, Clone, Serialize)]
pub struct LoginRequest {
    #[serde(rename = "type")]
    login_type: &'static str,
    identifier: UserIdentifier,
    password: Secret,
    /// Logging in again with the same device id keeps the device (and its keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_device_display_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct UserIdentifier {
    #[serde(rename = "type")]
    identifier_type: &'static str,
    user: String,
}

impl LoginRequest {
    /// `user` is a full user id (`@alice:example.org`) or its localpart.
    pub fn password(user: &str, password: impl Into<Secret>) -> Self {
        LoginRequest {
            login_type: "m.login.password",
            identifier: UserIdentifier { identifier_type: "m.id.user", user: user.to_owned() },
            password: password.into(),
            device_id: None,
            initial_device_display_name: None,
        }
    }

    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }

    pub fn initial_device_display_name(mut self, name: impl Into<String>) -> Self {
        self.initial_device_display_name = Some(name.into());
        self
    }
}

#[derive(Deserialize)]
struct LoginResponse {
    user_id: String,
    access_token: Secret,
    device_id: String,
}

/// `GET /account/whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WhoAmI {
    pub user_id: String,
    pub device_id: Option<String>,
    #[serde(default)]
    pub is_guest: bool,
}

impl Client {
    /// `GET /_matrix/client/versions`: which spec versions the homeserver speaks.
    pub async fn versions(&self) -> Result<Versions> {
        const ENDPOINT: &str = "GET /_matrix/client/versions";
        let url = self.url(&["_matrix", "client", "versions"]);
        self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, false)?).await
    }

    /// `POST /login`. Returns the new session; use it with [`Client::with_session`].
    pub async fn login(&self, request: &LoginRequest) -> Result<Session> {
        const ENDPOINT: &str = "POST /login";
        let url = self.url(&["_matrix", "client", "v3", "login"]);
        let response: LoginResponse =
            self.send_json(ENDPOINT, self.request(Method::POST, url, ENDPOINT, false)?.json(request)).await?;
        Ok(Session {
            homeserver: self.homeserver().clone(),
            user_id: response.user_id,
            device_id: response.device_id,
            access_token: response.access_token,
        })
    }

    /// `GET /account/whoami`: whether the session is still valid, and whose it is.
    pub async fn whoami(&self) -> Result<WhoAmI> {
        const ENDPOINT: &str = "GET /account/whoami";
        let url = self.url(&["_matrix", "client", "v3", "account", "whoami"]);
        self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await
    }

    /// `POST /logout`: ends the session and deletes the device (and its keys) on the homeserver.
    pub async fn logout(&self) -> Result<()> {
        const ENDPOINT: &str = "POST /logout";
        let url = self.url(&["_matrix", "client", "v3", "logout"]);
        let request = self.request(Method::POST, url, ENDPOINT, true)?.json(&serde_json::json!({}));
        self.send_json::<Value>(ENDPOINT, request).await.map(drop)
    }

    /// `GET /user/{userId}/account_data/{type}` for the session's user; `None` when it was never set.
    pub async fn account_data(&self, event_type: &str) -> Result<Option<Value>> {
        const ENDPOINT: &str = "GET /user/{userId}/account_data/{type}";
        let user_id = &self.require_session(ENDPOINT)?.user_id;
        let url = self.url(&["_matrix", "client", "v3", "user", user_id, "account_data", event_type]);
        match self.send_json(ENDPOINT, self.request(Method::GET, url, ENDPOINT, true)?).await {
            Ok(content) => Ok(Some(content)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `PUT /user/{userId}/account_data/{type}` for the session's user.
    pub async fn set_account_data(&self, event_type: &str, content: &Value) -> Result<()> {
        const ENDPOINT: &str = "PUT /user/{userId}/account_data/{type}";
        let user_id = &self.require_session(ENDPOINT)?.user_id;
        let url = self.url(&["_matrix", "client", "v3", "user", user_id, "account_data", event_type]);
        let request = self.request(Method::PUT, url, ENDPOINT, true)?.json(content);
        self.send_json::<Value>(ENDPOINT, request).await.map(drop)
    }
}
