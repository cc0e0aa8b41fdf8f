//! Fixtures for the tests against a real Synapse: a homeserver with users, logged-in clients, and
//! syncing until something shows up.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use commonplace_matrix::{Client, LoginRequest, SyncRequest, SyncResponse};
use commonplace_testkit::{RegisteredUser, Synapse};

/// How long a test waits for something that normally takes well under a second.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Account {
    pub user: RegisteredUser,
    pub client: Client,
}

/// Registers `localpart` and logs it in with our client.
pub async fn account(synapse: &Synapse, localpart: &str) -> Account {
    let user = synapse.register(localpart, &format!("{localpart}-password")).expect("register");
    let client = log_in(synapse, &user).await;
    Account { user, client }
}

pub async fn log_in(synapse: &Synapse, user: &RegisteredUser) -> Client {
    let client = Client::new(&synapse.base_url()).expect("client");
    let request =
        LoginRequest::password(&user.localpart, user.password.as_str()).initial_device_display_name("test");
    let session = client.login(&request).await.expect("login");
    client.with_session(session)
}

/// A transaction id no other request in this test process uses.
pub fn transaction_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("txn-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Syncs (continuing from `since`) until `find` returns something, and returns it.
pub async fn sync_until<T>(
    client: &Client,
    since: &mut Option<String>,
    what: &str,
    mut find: impl FnMut(&SyncResponse) -> Option<T>,
) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let request = SyncRequest {
            since: since.clone(),
            timeout: Duration::from_millis(500),
            ..SyncRequest::default()
        };
        let response = client.sync(&request).await.expect("sync");
        *since = Some(response.next_batch.clone());
        if let Some(found) = find(&response) {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
    }
}

/// The bodies of the `m.room.message` events among `events`, in order.
pub fn bodies(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .filter(|event| event["type"] == "m.room.message")
        .filter_map(|event| event["content"]["body"].as_str().map(str::to_owned))
        .collect()
}
