//! Rooms against a real Synapse: a conversation with the independent nio peer, exactly-once
//! sends, paging past a limited sync, state events and members.

mod common;

use commonplace_matrix::{CreateRoomRequest, Direction, MessagesRequest, SyncRequest, timeline_limit_filter};
use commonplace_testkit::{NioPeer, Synapse};
use serde_json::json;

use common::{PATIENCE, account, bodies, sync_until, transaction_id};

#[tokio::test]
async fn a_nio_peer_joins_our_room_and_its_reply_arrives_through_sync() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let bob = synapse.register("bob", "bob-password").expect("register bob");
    let mut peer = NioPeer::start().expect("start nio");
    peer.login(&synapse.base_url(), &bob.localpart, &bob.password).expect("nio login");

    let room_id = alice
        .client
        .create_room(&CreateRoomRequest::private_room("Year 9 geography"))
        .await
        .expect("create room");
    alice.client.invite(&room_id, &bob.user_id).await.expect("invite");
    assert_eq!(peer.wait_for_invite(PATIENCE).expect("invite arrives"), std::slice::from_ref(&room_id));
    peer.join(&room_id).expect("nio joins");

    let members = alice.client.joined_members(&room_id).await.expect("members");
    assert!(members.contains_key(&bob.user_id), "{members:?}");
    assert_eq!(alice.client.members(&room_id).await.expect("member events").len(), 2);

    let content = json!({ "msgtype": "m.text", "body": "Welcome, Bob" });
    alice
        .client
        .send_message_event(&room_id, "m.room.message", &transaction_id(), &content)
        .await
        .expect("send");
    let welcome = peer.wait_for_text(&room_id, "Welcome, Bob", PATIENCE).expect("nio receives");
    assert_eq!(welcome.sender, alice.user.user_id);
    assert!(!welcome.encrypted);

    let reply_id = peer.send_text(&room_id, "Thanks!", Some("<em>Thanks!</em>")).expect("nio replies");
    let mut since = None;
    let reply = sync_until(&alice.client, &mut since, "the reply", |response| {
        response
            .rooms
            .join
            .get(&room_id)?
            .timeline
            .events
            .iter()
            .find(|event| event["event_id"] == reply_id)
            .cloned()
    })
    .await;
    assert_eq!(reply["sender"], bob.user_id);
    assert_eq!(reply["content"]["body"], "Thanks!");
    assert_eq!(reply["content"]["formatted_body"], "<em>Thanks!</em>");
}

#[tokio::test]
async fn the_same_transaction_id_sends_one_event() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let room_id = alice.client.create_room(&CreateRoomRequest::private_room("Once")).await.expect("create");

    let transaction = transaction_id();
    let content = json!({ "msgtype": "m.text", "body": "exactly once" });
    let first =
        alice.client.send_message_event(&room_id, "m.room.message", &transaction, &content).await.unwrap();
    let second =
        alice.client.send_message_event(&room_id, "m.room.message", &transaction, &content).await.unwrap();
    assert_eq!(first, second);

    let page = alice
        .client
        .messages(&room_id, &MessagesRequest { limit: Some(50), ..MessagesRequest::default() })
        .await
        .expect("messages");
    assert_eq!(bodies(&page.chunk), ["exactly once"]);
}

#[tokio::test]
async fn messages_pages_back_past_a_limited_sync() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let room_id = alice.client.create_room(&CreateRoomRequest::private_room("Many")).await.expect("create");
    let filter = timeline_limit_filter(5);
    let first = alice
        .client
        .sync(&SyncRequest { filter: Some(filter.clone()), ..SyncRequest::default() })
        .await
        .expect("first sync");

    let sent: Vec<String> = (0..15).map(|number| format!("message {number:02}")).collect();
    for body in &sent {
        let content = json!({ "msgtype": "m.text", "body": body });
        alice
            .client
            .send_message_event(&room_id, "m.room.message", &transaction_id(), &content)
            .await
            .unwrap();
    }

    let response = alice
        .client
        .sync(&SyncRequest { since: Some(first.next_batch), filter: Some(filter), ..SyncRequest::default() })
        .await
        .expect("incremental sync");
    let timeline = &response.rooms.join[&room_id].timeline;
    assert!(timeline.limited, "15 new events do not fit in a timeline of 5");
    let mut received = bodies(&timeline.events);
    assert_eq!(received, sent[10..]);

    // Page backwards from the gap until every message is there, oldest first.
    let mut from = timeline.prev_batch.clone();
    while received.len() < sent.len() {
        let page = alice
            .client
            .messages(
                &room_id,
                &MessagesRequest {
                    from: from.clone(),
                    direction: Direction::Backward,
                    limit: Some(4),
                    ..MessagesRequest::default()
                },
            )
            .await
            .expect("page");
        let mut older = bodies(&page.chunk);
        older.reverse();
        older.extend(received);
        received = older;
        assert!(page.end.is_some(), "history ended early with {received:?}");
        from = page.end;
    }
    assert_eq!(received, sent);
}

#[tokio::test]
async fn state_events_are_written_and_read() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let request = CreateRoomRequest::private_room("Notes").encrypted();
    let room_id = alice.client.create_room(&request).await.expect("create");

    let encryption = alice.client.state_event(&room_id, "m.room.encryption", "").await.expect("read");
    assert_eq!(encryption, Some(json!({ "algorithm": "m.megolm.v1.aes-sha2" })));
    assert_eq!(alice.client.state_event(&room_id, "m.room.topic", "").await.expect("read unset"), None);

    let topic = json!({ "topic": "Fractions, week 3" });
    alice.client.send_state_event(&room_id, "m.room.topic", "", &topic).await.expect("write");
    assert_eq!(alice.client.state_event(&room_id, "m.room.topic", "").await.expect("read"), Some(topic));

    // A state key with characters that mean something in a path stays one segment.
    let odd_key = "a/b?c#d%e";
    let content = json!({ "note": "odd key" });
    alice
        .client
        .send_state_event(&room_id, "org.commonplace.test", odd_key, &content)
        .await
        .expect("odd key");
    let read_back =
        alice.client.state_event(&room_id, "org.commonplace.test", odd_key).await.expect("read odd");
    assert_eq!(read_back, Some(content));

    // An initial sync leaves out rooms we left, so take a position before leaving.
    let mut since = Some(alice.client.sync(&SyncRequest::default()).await.expect("sync").next_batch);
    alice.client.leave(&room_id).await.expect("leave");
    sync_until(&alice.client, &mut since, "the room under leave", |response| {
        response.rooms.leave.contains_key(&room_id).then_some(())
    })
    .await;
}
