//! A real Synapse: it starts and answers, discovery finds it through its well-known document,
//! login works and refuses a wrong password, logout ends the session, account data round-trips.

mod common;

use commonplace_matrix::{Client, Error, LoginRequest, discover};
use commonplace_testkit::Synapse;
use serde_json::json;

use common::{account, log_in};

#[tokio::test]
async fn synapse_starts_and_answers_versions() {
    let synapse = Synapse::start().expect("start Synapse");
    let versions = Client::new(&synapse.base_url()).unwrap().versions().await.expect("versions");
    assert!(versions.versions.iter().any(|version| version == "v1.11"), "{versions:?}");
}

#[tokio::test]
async fn discovery_follows_the_well_known_document() {
    let synapse = Synapse::start().expect("start Synapse");
    let discovery = discover(&synapse.base_url()).await.expect("discover");
    assert!(discovery.from_well_known);
    assert_eq!(discovery.homeserver.as_str(), format!("{}/", synapse.base_url()));
    assert!(!discovery.versions.versions.is_empty());

    // The same address with a path below it still finds the server through its root.
    let below = discover(&format!("{}/somewhere", synapse.base_url())).await.expect("discover below a path");
    assert_eq!(below.homeserver, discovery.homeserver);
}

#[tokio::test]
async fn login_whoami_and_logout() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let session = alice.client.session().unwrap().clone();
    assert_eq!(session.user_id, "@alice:localhost");

    let whoami = alice.client.whoami().await.expect("whoami");
    assert_eq!(whoami.user_id, "@alice:localhost");
    assert_eq!(whoami.device_id.as_deref(), Some(session.device_id.as_str()));

    // Logging in again with the same device id keeps the device.
    let client = Client::new(&synapse.base_url()).unwrap();
    let again = client
        .login(&LoginRequest::password("@alice:localhost", "alice-password").device_id(&session.device_id))
        .await
        .expect("login again");
    assert_eq!(again.device_id, session.device_id);
    assert_ne!(again.access_token, session.access_token);

    let wrong = client.login(&LoginRequest::password("alice", "not her password")).await;
    assert!(matches!(wrong, Err(Error::Forbidden { .. })), "{wrong:?}");

    alice.client.logout().await.expect("logout");
    let ended = alice.client.whoami().await;
    assert!(matches!(ended, Err(Error::UnknownToken { soft_logout: false, .. })), "{ended:?}");

    let anonymous = client.whoami().await;
    assert!(matches!(anonymous, Err(Error::NotLoggedIn { .. })), "{anonymous:?}");
}

#[tokio::test]
async fn account_data_marks_direct_rooms() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    assert_eq!(alice.client.account_data("m.direct").await.expect("read unset"), None);

    let direct = json!({ "@bob:localhost": ["!room:localhost"] });
    alice.client.set_account_data("m.direct", &direct).await.expect("write");
    assert_eq!(alice.client.account_data("m.direct").await.expect("read"), Some(direct));

    // A second client of the same account sees it too.
    let other = log_in(&synapse, &alice.user).await;
    assert!(other.account_data("m.direct").await.expect("read elsewhere").is_some());
}
