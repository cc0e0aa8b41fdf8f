//! SAS verification against the independent libolm peer, matrix-nio 0.25.2, on a real Synapse, in
//! both directions: we start and nio accepts, nio starts and we accept, and each side saying the
//! emoji differ. nio speaks only the start-first flow and the deprecated `hkdf-hmac-sha256` MAC, so
//! these runs also prove our libolm-compatible MAC encoding against libolm itself.

mod accounts;

use std::time::{Duration, Instant};

use commonplace_matrix::Account;
use commonplace_messaging::{CancelCode, Verification, VerificationState};
use commonplace_testkit::{NioPeer, PeerVerification, RegisteredUser, VerificationGoal};

use accounts::{PATIENCE, commonplace, nio, shared_synapse, sync_until_verification};

/// Syncs the peer until its view of the verification satisfies `reached`.
fn peer_until(
    peer: &mut NioPeer,
    transaction_id: &str,
    what: &str,
    reached: impl Fn(&PeerVerification) -> bool,
) -> PeerVerification {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let current = peer.verification(transaction_id).expect("nio knows the verification");
        if reached(&current) {
            return current;
        }
        assert!(Instant::now() < deadline, "timed out waiting for nio's {what}: {current:?}");
        peer.sync(Duration::from_millis(500)).expect("nio syncs");
    }
}

/// The emoji numbers and decimals both sides show, which must be the same.
fn assert_same_strings(ours: &Verification, theirs: &PeerVerification) {
    let short_auth = ours.state.short_auth().unwrap_or_else(|| panic!("no strings on our side: {ours:?}"));
    let our_numbers: Vec<u8> =
        short_auth.emojis.expect("emoji agreed").iter().map(|emoji| emoji.number).collect();
    let their_numbers: Vec<u8> =
        theirs.emojis.as_ref().expect("nio shows emoji").iter().map(|emoji| emoji.number).collect();
    assert_eq!(our_numbers.len(), 7);
    assert_eq!(our_numbers, their_numbers, "the same seven emoji on both sides");
    assert_eq!(short_auth.decimals.map(Vec::from), theirs.decimals.clone(), "the same three numbers");
}

/// We start with nio's only device, nio accepts, and the keys are exchanged.
async fn we_start_and_exchange_keys(
    alice: &mut Account,
    peer: &mut NioPeer,
    alice_user: &RegisteredUser,
    peer_user: &RegisteredUser,
) -> (String, Verification, PeerVerification) {
    // nio drops a start from a device it does not know (it only queues a key query).
    peer.query_keys(&alice_user.user_id).expect("nio fetches our keys");
    let transaction_id = alice.start_verification(&peer_user.user_id, None).await.expect("start");
    assert_eq!(alice.verification(&transaction_id).unwrap().state, VerificationState::Requested);
    let incoming = peer.wait_for_verification(PATIENCE).expect("nio sees our start");
    assert_eq!(incoming.transaction_id, transaction_id);
    assert_eq!(
        (incoming.user_id.as_str(), incoming.device_id.as_str()),
        (alice_user.user_id.as_str(), alice.device_id())
    );
    peer.accept_verification(&transaction_id).expect("nio accepts");
    // nio's accept makes us send our key; nio answers with its own in its next sync.
    sync_until_verification(alice, &transaction_id, "nio's accept", |state| {
        *state == VerificationState::Started
    })
    .await;
    let theirs =
        peer.wait_verification(&transaction_id, VerificationGoal::Emojis, PATIENCE).expect("nio's emoji");
    assert!(!theirs.canceled, "{theirs:?}");
    let ours =
        sync_until_verification(alice, &transaction_id, "nio's key", |state| state.short_auth().is_some())
            .await;
    assert!(matches!(ours.state, VerificationState::KeysExchanged { .. }), "{ours:?}");
    (transaction_id, ours, theirs)
}

#[tokio::test]
async fn we_start_nio_accepts_and_each_side_ends_up_verifying_the_other() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");
    let peer_device = peer.whoami().unwrap().device_id;

    let (transaction_id, ours, theirs) =
        we_start_and_exchange_keys(&mut alice, &mut peer, &alice_user, &peer_user).await;
    assert_same_strings(&ours, &theirs);
    assert_eq!(ours.other_device.as_deref(), Some(peer_device.as_str()));
    // nio knows nothing better than the deprecated MAC; we offered it, nio took it.
    assert_eq!(theirs.mac_method.as_deref(), Some("hkdf-hmac-sha256"));

    alice.confirm_verification(&transaction_id).await.expect("we confirm");
    peer.confirm_verification(&transaction_id).expect("nio confirms");
    let theirs =
        peer.wait_verification(&transaction_id, VerificationGoal::Verified, PATIENCE).expect("nio done");
    assert!(theirs.verified && !theirs.canceled, "nio checked our MAC: {theirs:?}");
    let ours = sync_until_verification(&mut alice, &transaction_id, "nio's MAC", |_| false).await;
    assert!(matches!(ours.state, VerificationState::Done { .. }), "{ours:?}");

    assert!(peer.device_verified(&alice_user.user_id, alice.device_id()).unwrap(), "nio verified our device");
    let nio_device = alice
        .machine()
        .devices(&peer_user.user_id)
        .into_iter()
        .find(|device| device.device_id == peer_device)
        .unwrap();
    assert!(nio_device.verified, "we verified nio's device");
}

#[tokio::test]
async fn nio_starts_we_accept_and_each_side_ends_up_verifying_the_other() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");
    let peer_device = peer.whoami().unwrap().device_id;

    peer.query_keys(&alice_user.user_id).expect("nio fetches our keys");
    let transaction_id = peer.start_verification(&alice_user.user_id, alice.device_id()).expect("nio starts");
    let incoming = sync_until_verification(&mut alice, &transaction_id, "nio's start", |state| {
        *state == VerificationState::Incoming
    })
    .await;
    assert!(!incoming.we_started && !incoming.from_request, "{incoming:?}");
    assert_eq!(
        (incoming.other_user.as_str(), incoming.other_device.as_deref()),
        (peer_user.user_id.as_str(), Some(peer_device.as_str()))
    );
    alice.accept_verification(&transaction_id).await.expect("we accept");
    // Our accept makes nio send its key; ours answers it, and nio checks it against our commitment.
    peer_until(&mut peer, &transaction_id, "our accept", |verification| verification.state == "accepted");
    let ours = sync_until_verification(&mut alice, &transaction_id, "nio's key", |state| {
        state.short_auth().is_some()
    })
    .await;
    let theirs =
        peer.wait_verification(&transaction_id, VerificationGoal::Emojis, PATIENCE).expect("nio's emoji");
    assert!(!theirs.canceled, "nio accepted our key and commitment: {theirs:?}");
    assert_same_strings(&ours, &theirs);

    // nio confirms first this time: its MAC waits on our side until we confirm.
    peer.confirm_verification(&transaction_id).expect("nio confirms");
    alice.sync_once(Duration::from_millis(500)).await.unwrap();
    assert!(matches!(
        alice.verification(&transaction_id).unwrap().state,
        VerificationState::KeysExchanged { .. }
    ));
    alice.confirm_verification(&transaction_id).await.expect("we confirm");
    assert!(matches!(
        alice.verification(&transaction_id).unwrap().state,
        VerificationState::Done { .. } | VerificationState::Confirmed { .. }
    ));
    let ours = sync_until_verification(&mut alice, &transaction_id, "done", |_| false).await;
    assert!(matches!(ours.state, VerificationState::Done { .. }), "{ours:?}");
    let theirs =
        peer.wait_verification(&transaction_id, VerificationGoal::Verified, PATIENCE).expect("nio done");
    assert!(theirs.verified, "{theirs:?}");

    assert!(peer.device_verified(&alice_user.user_id, alice.device_id()).unwrap());
    assert!(
        alice
            .machine()
            .devices(&peer_user.user_id)
            .iter()
            .any(|device| device.device_id == peer_device && device.verified)
    );
}

#[tokio::test]
async fn when_either_side_says_the_emoji_differ_the_other_sees_the_cancellation() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");

    // nio's person says they differ.
    let (transaction_id, _, _) =
        we_start_and_exchange_keys(&mut alice, &mut peer, &alice_user, &peer_user).await;
    let theirs = peer.cancel_verification(&transaction_id, true).expect("nio rejects");
    assert_eq!(theirs.cancel_code.as_deref(), Some("m.mismatched_sas"));
    let ours = sync_until_verification(&mut alice, &transaction_id, "nio's cancellation", |_| false).await;
    match ours.state {
        VerificationState::Cancelled { code, by_us, .. } => {
            assert_eq!((code, by_us), (CancelCode::MismatchedSas, false))
        }
        other => panic!("not cancelled: {other:?}"),
    }

    // Ours does.
    let (transaction_id, _, _) =
        we_start_and_exchange_keys(&mut alice, &mut peer, &alice_user, &peer_user).await;
    alice.cancel_verification(&transaction_id, CancelCode::MismatchedSas).await.expect("we reject");
    let theirs =
        peer.wait_verification(&transaction_id, VerificationGoal::Canceled, PATIENCE).expect("nio hears");
    assert!(theirs.canceled && theirs.canceled_by_other, "{theirs:?}");
    assert_eq!(theirs.cancel_code.as_deref(), Some("m.mismatched_sas"));
    assert!(
        alice.confirm_verification(&transaction_id).await.is_err(),
        "a cancelled verification stays cancelled"
    );

    // Nobody verified anybody.
    assert!(!peer.device_verified(&alice_user.user_id, alice.device_id()).unwrap());
    assert!(alice.machine().devices(&peer_user.user_id).iter().all(|device| !device.verified));
}
