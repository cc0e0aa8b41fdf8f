//! The homeserver stops mid-conversation: what is sent meanwhile waits in the outbox (on disk,
//! across a restart of the app), and once the homeserver is back it arrives in order and exactly
//! once at the nio peer.

mod accounts;

use commonplace_matrix::{Account, SendOutcome};
use commonplace_testkit::Synapse;

use accounts::{PATIENCE, commonplace, dm_with_nio, nio, pickle_key};

#[tokio::test]
async fn messages_sent_while_the_homeserver_is_down_arrive_in_order_exactly_once() {
    let mut synapse = Synapse::start().expect("start Synapse");
    let data = tempfile::tempdir().unwrap();
    let (mut alice, _) = commonplace(&synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(&synapse, "nio");
    let room_id = dm_with_nio(&mut alice, &mut peer, &peer_user).await;
    alice.send_text(&room_id, "one").await.expect("send one");
    peer.wait_for_text(&room_id, "one", PATIENCE).expect("nio gets one");

    synapse.stop();
    for body in ["two", "three"] {
        let outcome = alice.send_text(&room_id, body).await.expect("queued, not failed");
        assert!(matches!(outcome, SendOutcome::Queued { .. }), "{outcome:?}");
    }
    // The app quits and starts again while the homeserver is still away: the queue is on disk.
    let queued_before = alice.timeline().outbox().unwrap();
    assert!(queued_before[0].encrypted_content.is_some(), "the first was encrypted before the send failed");
    drop(alice);
    let mut alice = Account::open(data.path(), None, pickle_key()).expect("reopen");
    assert_eq!(alice.timeline().outbox().unwrap(), queued_before, "same order, same transaction ids");
    let outcome = alice.send_text(&room_id, "four").await.expect("queued, not failed");
    assert!(matches!(outcome, SendOutcome::Queued { .. }), "{outcome:?}");
    let error = alice.sync_once(std::time::Duration::ZERO).await.expect_err("the homeserver is down");
    assert!(error.is_transient(), "{error}");
    assert_eq!(alice.timeline().outbox().unwrap().len(), 3);

    synapse.restart().expect("restart Synapse");
    let report = alice.sync_once(std::time::Duration::ZERO).await.expect("sync after the restart");
    assert_eq!((report.sent, report.queued), (3, 0), "{report:?}");
    assert!(alice.timeline().outbox().unwrap().is_empty());
    // Nothing is sent twice by a later flush.
    assert!(alice.flush_outbox().await.unwrap().sent.is_empty());

    peer.wait_for_text(&room_id, "four", PATIENCE).expect("nio gets four");
    let bodies: Vec<String> =
        peer.messages(&room_id).unwrap().into_iter().filter_map(|message| message.body).collect();
    assert_eq!(bodies, ["one", "two", "three", "four"]);
}
