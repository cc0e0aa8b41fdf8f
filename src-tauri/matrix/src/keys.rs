//! The end-to-end encryption endpoints, as JSON pass-through: `/keys/upload`, `/keys/query`,
//! `/keys/claim` and `/sendToDevice`. The E2EE machine (`commonplace-messaging`) builds the bodies
//! and reads the answers; this crate only carries them, so it never needs to understand a key.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{Client, Result};

impl Client {
    /// `POST /keys/upload`: device keys, one-time keys and fallback keys. Answers with the
    /// one-time key counts.
    pub async fn upload_keys(&self, body: &Value) -> Result<Value> {
        const ENDPOINT: &str = "POST /keys/upload";
        self.post_keys(ENDPOINT, "upload", body).await
    }

    /// `POST /keys/query`: the device keys (and cross-signing keys) of users.
    pub async fn query_keys(&self, body: &Value) -> Result<Value> {
        const ENDPOINT: &str = "POST /keys/query";
        self.post_keys(ENDPOINT, "query", body).await
    }

    /// `POST /keys/claim`: one one-time key per device, to start Olm sessions.
    pub async fn claim_keys(&self, body: &Value) -> Result<Value> {
        const ENDPOINT: &str = "POST /keys/claim";
        self.post_keys(ENDPOINT, "claim", body).await
    }

    /// `PUT /sendToDevice/{eventType}/{txnId}` with `messages` as `{user_id: {device_id: content}}`.
    /// Like room sends, a repeated transaction id is delivered once.
    pub async fn send_to_device(
        &self,
        event_type: &str,
        transaction_id: &str,
        messages: &Value,
    ) -> Result<()> {
        const ENDPOINT: &str = "PUT /sendToDevice/{eventType}/{txnId}";
        let url = self.url(&["_matrix", "client", "v3", "sendToDevice", event_type, transaction_id]);
        let request = self.request(Method::PUT, url, ENDPOINT, true)?.json(&json!({ "messages": messages }));
        self.send_json::<Value>(ENDPOINT, request).await.map(drop)
    }

    async fn post_keys(&self, endpoint: &'static str, action: &str, body: &Value) -> Result<Value> {
        let url = self.url(&["_matrix", "client", "v3", "keys", action]);
        self.send_json(endpoint, self.request(Method::POST, url, endpoint, true)?.json(body)).await
    }
}
