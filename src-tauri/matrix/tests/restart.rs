//! An instance that stops mid-conversation: the client sees it as unreachable, and carries on
//! with the same session once the homeserver is back.

mod common;

use commonplace_matrix::{CreateRoomRequest, Error, MessagesRequest};
use commonplace_testkit::Synapse;
use serde_json::json;

use common::{account, bodies, transaction_id};

#[tokio::test]
async fn a_stopped_homeserver_is_unreachable_and_the_session_survives_its_restart() {
    let mut synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let room_id =
        alice.client.create_room(&CreateRoomRequest::private_room("Staff room")).await.expect("create");
    let before = json!({ "msgtype": "m.text", "body": "before" });
    alice.client.send_message_event(&room_id, "m.room.message", &transaction_id(), &before).await.unwrap();

    synapse.stop();
    assert!(!synapse.is_running());
    let during = json!({ "msgtype": "m.text", "body": "during" });
    let transaction = transaction_id();
    let failed = alice.client.send_message_event(&room_id, "m.room.message", &transaction, &during).await;
    match &failed {
        Err(error @ Error::Unreachable { .. }) => assert!(error.is_transient()),
        other => panic!("expected Unreachable, got {other:?}"),
    }

    synapse.restart().expect("restart Synapse");
    assert_eq!(alice.client.whoami().await.expect("whoami after restart").user_id, alice.user.user_id);
    // The retry with the same transaction id goes through once.
    alice.client.send_message_event(&room_id, "m.room.message", &transaction, &during).await.expect("retry");
    let page = alice.client.messages(&room_id, &MessagesRequest::default()).await.expect("messages");
    let mut received = bodies(&page.chunk);
    received.reverse();
    assert_eq!(received, ["before", "during"]);
}
