//! Two Commonplace accounts verify each other's devices on a real Synapse with the request/ready
//! flow: one drives its [`Account`] by hand, the other is a [`Messenger`] whose background sync
//! loop brings the messages, as in the app.

mod accounts;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commonplace_matrix::{Messenger, Notification};
use commonplace_messaging::{Verification, VerificationState};

use accounts::{PATIENCE, commonplace, shared_synapse, sync_until_verification, unique};

/// Polls the messenger (whose loop syncs by itself) until the verification satisfies `reached`.
async fn messenger_until(
    messenger: &Messenger,
    user_id: &str,
    what: &str,
    reached: impl Fn(&Verification) -> bool,
) -> Verification {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let found = messenger
            .verifications(user_id)
            .await
            .unwrap()
            .into_iter()
            .find(|verification| reached(verification));
        if let Some(found) = found {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {:?}",
            messenger.verifications(user_id).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_commonplace_accounts_verify_each_other_after_a_request() {
    let synapse = shared_synapse();
    let alice_data = tempfile::tempdir().unwrap();
    let bob_data = tempfile::tempdir().unwrap();
    let (mut alice, _) = commonplace(synapse, alice_data.path(), "alice").await;
    let bob = synapse.register(&unique("bob"), "password-1").unwrap();
    let heard: Arc<Mutex<Vec<Notification>>> = Arc::default();
    let listener = {
        let heard = Arc::clone(&heard);
        Arc::new(move |notification| heard.lock().unwrap().push(notification))
    };
    let messenger = Messenger::new(bob_data.path(), listener);
    messenger.unlock("a passphrase for the test").unwrap();
    let status = messenger.add_account(&synapse.base_url(), &bob.localpart, &bob.password).await.unwrap();
    let bob_device = status.entry.device_id.clone();

    // Alice asks every device of Bob's (he has one).
    let transaction_id = alice.request_verification(&bob.user_id, None).await.expect("request");
    let requested = alice.verification(&transaction_id).unwrap();
    assert!(requested.from_request && requested.we_started);
    assert_eq!(requested.state, VerificationState::Requested);
    let incoming = messenger_until(&messenger, &bob.user_id, "Alice's request", |verification| {
        verification.transaction_id == transaction_id && verification.state == VerificationState::Incoming
    })
    .await;
    assert!(incoming.from_request && !incoming.we_started);
    // The listener hears of it right after the sync that brought it.
    let deadline = Instant::now() + PATIENCE;
    while !heard
        .lock()
        .unwrap()
        .iter()
        .any(|notification| notification.verifications.contains(&transaction_id))
    {
        assert!(Instant::now() < deadline, "the listener never heard of the request");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(incoming.other_device.as_deref(), Some(alice.device_id()));
    messenger.accept_verification(&bob.user_id, &transaction_id).await.expect("Bob accepts");

    // Bob's ready → Alice's start → Bob's accept (at once: he already agreed) → the keys.
    let ours = sync_until_verification(&mut alice, &transaction_id, "the keys", |state| {
        state.short_auth().is_some()
    })
    .await;
    let theirs = messenger_until(&messenger, &bob.user_id, "the keys on Bob's side", |verification| {
        verification.transaction_id == transaction_id && verification.state.short_auth().is_some()
    })
    .await;
    assert_eq!(ours.state.short_auth(), theirs.state.short_auth(), "the same strings on both sides");
    assert_eq!(ours.state.short_auth().unwrap().emojis.map(|emojis| emojis.len()), Some(7));
    assert_eq!(ours.other_device.as_deref(), Some(bob_device.as_str()));

    alice.confirm_verification(&transaction_id).await.expect("Alice confirms");
    messenger.confirm_verification(&bob.user_id, &transaction_id).await.expect("Bob confirms");
    let ours = sync_until_verification(&mut alice, &transaction_id, "Bob's MAC", |_| false).await;
    assert!(matches!(ours.state, VerificationState::Done { .. }), "{ours:?}");
    let theirs = messenger_until(&messenger, &bob.user_id, "Alice's MAC", |verification| {
        verification.transaction_id == transaction_id && verification.state.is_final()
    })
    .await;
    assert!(matches!(theirs.state, VerificationState::Done { .. }), "{theirs:?}");

    let bob_seen_by_alice = alice.machine().devices(&bob.user_id);
    assert!(bob_seen_by_alice.iter().any(|device| device.device_id == bob_device && device.verified));
    // On Bob's side the readers of a shared room would show Alice's device verified; the machine
    // holds it either way.
    let room = messenger.open_direct(&bob.user_id, alice.user_id()).await.unwrap();
    let readers = messenger.readers(&bob.user_id, &room.room_id).await.unwrap();
    let alice_reader = readers.iter().find(|reader| reader.user_id == alice.user_id()).unwrap();
    assert!(
        alice_reader.devices.iter().any(|device| device.device_id == alice.device_id() && device.verified),
        "{readers:?}"
    );
}
