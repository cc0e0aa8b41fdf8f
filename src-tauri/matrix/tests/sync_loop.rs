//! The background sync loop against a real Synapse: it delivers new events, rides out an instance
//! that goes away and comes back, and stops when the session ends.

mod common;

use std::time::Duration;

use commonplace_matrix::{Backoff, CreateRoomRequest, Error, SyncEvent, SyncLoop, SyncLoopOptions};
use commonplace_testkit::Synapse;
use serde_json::json;

use common::{PATIENCE, account, transaction_id};

async fn next_event(sync_loop: &mut SyncLoop) -> SyncEvent {
    tokio::time::timeout(PATIENCE, sync_loop.next()).await.expect("an event in time").expect("the loop runs")
}

/// Reads events until a sync brings an event with this body.
async fn wait_for_body(sync_loop: &mut SyncLoop, room_id: &str, body: &str) {
    loop {
        if let SyncEvent::Synced(response) = next_event(sync_loop).await
            && response
                .rooms
                .join
                .get(room_id)
                .is_some_and(|room| room.timeline.events.iter().any(|event| event["content"]["body"] == body))
        {
            return;
        }
    }
}

#[tokio::test]
async fn the_sync_loop_survives_a_restart_and_stops_when_the_session_ends() {
    let mut synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let room_id = alice.client.create_room(&CreateRoomRequest::private_room("Loop")).await.expect("create");
    let options = SyncLoopOptions {
        timeout: Duration::from_millis(500),
        backoff: Backoff { initial: Duration::from_millis(100), max: Duration::from_millis(500) },
        jitter: Box::new(|| 1.0),
        ..SyncLoopOptions::default()
    };
    let mut sync_loop = SyncLoop::spawn(alice.client.clone(), options);

    let send = |body: &'static str| {
        let client = alice.client.clone();
        let room_id = room_id.clone();
        async move {
            let content = json!({ "msgtype": "m.text", "body": body });
            client
                .send_message_event(&room_id, "m.room.message", &transaction_id(), &content)
                .await
                .expect("send");
        }
    };
    send("first").await;
    wait_for_body(&mut sync_loop, &room_id, "first").await;

    synapse.stop();
    loop {
        if let SyncEvent::Retrying { error, wait, .. } = next_event(&mut sync_loop).await {
            assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
            assert!(wait <= Duration::from_millis(500));
            break;
        }
    }
    synapse.restart().expect("restart Synapse");
    send("second").await;
    wait_for_body(&mut sync_loop, &room_id, "second").await;

    // Ending the session ends the loop, with the reason.
    alice.client.logout().await.expect("logout");
    loop {
        match next_event(&mut sync_loop).await {
            SyncEvent::Stopped(error) => {
                assert!(matches!(error, Error::UnknownToken { .. }), "{error:?}");
                break;
            }
            SyncEvent::Synced(_) => {}
            SyncEvent::Retrying { error, .. } => panic!("a logged-out session is not transient: {error:?}"),
        }
    }
    assert!(sync_loop.next().await.is_none(), "the loop has ended");
}
