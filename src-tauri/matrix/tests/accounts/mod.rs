//! Fixtures for the tests of [`Account`] against a real Synapse: one homeserver shared by the
//! tests of a file (users get unique names), Commonplace accounts in temporary data folders, nio
//! peers, and syncing until something shows up.

#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use commonplace_matrix::Account;
use commonplace_messaging::{Membership, PickleKey, TimelineEvent, Verification, VerificationState};
use commonplace_testkit::{NioPeer, RegisteredUser, Synapse};

/// How long a test waits for something that normally takes well under a second.
pub const PATIENCE: Duration = Duration::from_secs(40);

/// One Synapse for every test of this test binary. It is never dropped: when the test process
/// ends, the testkit's watchdog sees its pipe close and stops the server and removes its folder.
pub fn shared_synapse() -> &'static Synapse {
    static SYNAPSE: OnceLock<Synapse> = OnceLock::new();
    SYNAPSE.get_or_init(|| Synapse::start().expect("start Synapse"))
}

/// A user name no other test of this process uses.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The pickle key every test account uses (a fixed one, so a reopened account can read its store).
pub fn pickle_key() -> PickleKey {
    PickleKey::from_bytes([7; 32])
}

/// Registers a user and adds it as a Commonplace account in `data`.
pub async fn commonplace(synapse: &Synapse, data: &Path, prefix: &str) -> (Account, RegisteredUser) {
    let user = synapse.register(&unique(prefix), "password-1").expect("register");
    let account = Account::add(data, &synapse.base_url(), &user.localpart, &user.password, pickle_key())
        .await
        .expect("add account");
    (account, user)
}

/// Registers a user and logs a nio peer in as it.
pub fn nio(synapse: &Synapse, prefix: &str) -> (NioPeer, RegisteredUser) {
    let user = synapse.register(&unique(prefix), "password-1").expect("register");
    let mut peer = NioPeer::start().expect("start nio");
    peer.login(&synapse.base_url(), &user.localpart, &user.password).expect("nio login");
    (peer, user)
}

/// Syncs `account` until `found` says yes.
pub async fn sync_until(account: &mut Account, what: &str, mut found: impl FnMut(&Account) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        account.sync_once(Duration::from_millis(300)).await.expect("sync");
        if found(account) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
    }
}

/// Syncs until a message whose body contains `text` is in the room, and returns it.
pub async fn wait_for_text(account: &mut Account, room_id: &str, text: &str) -> TimelineEvent {
    sync_until(account, text, |account| find_text(account, room_id, text).is_some()).await;
    find_text(account, room_id, text).unwrap()
}

pub fn find_text(account: &Account, room_id: &str, text: &str) -> Option<TimelineEvent> {
    account
        .read(room_id, 200)
        .unwrap()
        .into_iter()
        .find(|event| event.body.as_deref().is_some_and(|body| body.contains(text)))
}

pub fn membership(account: &Account, room_id: &str, user_id: &str) -> Option<Membership> {
    account
        .timeline()
        .members(room_id)
        .unwrap()
        .into_iter()
        .find(|member| member.user_id == user_id)
        .map(|member| member.membership)
}

/// Opens a DM from `account` to the nio peer, and waits until the peer has joined.
pub async fn dm_with_nio(account: &mut Account, peer: &mut NioPeer, peer_user: &RegisteredUser) -> String {
    let room_id = account.open_dm(&peer_user.user_id).await.expect("open dm");
    peer.wait_for_invite(PATIENCE).expect("nio invited");
    peer.join(&room_id).expect("nio joins");
    let nio_id = peer_user.user_id.clone();
    sync_until(account, "nio to join", |account| {
        membership(account, &room_id, &nio_id) == Some(Membership::Join)
    })
    .await;
    room_id
}

/// Syncs `account` until the verification `transaction_id` satisfies `reached` (or is over), and
/// returns it.
pub async fn sync_until_verification(
    account: &mut Account,
    transaction_id: &str,
    what: &str,
    reached: impl Fn(&VerificationState) -> bool,
) -> Verification {
    sync_until(account, what, |account| {
        account
            .verification(transaction_id)
            .is_some_and(|found| reached(&found.state) || found.state.is_final())
    })
    .await;
    account.verification(transaction_id).unwrap()
}
