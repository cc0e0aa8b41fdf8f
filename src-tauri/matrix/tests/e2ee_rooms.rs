//! Two Commonplace accounts with each other, a room whose membership changes (the Megolm key
//! rotates and the remaining members still read), and events that cannot be decrypted.

mod accounts;

use commonplace_matrix::CreateRoomRequest;
use commonplace_messaging::{Machine, Membership, MemoryStore, PickleKey};
use serde_json::json;

use accounts::{PATIENCE, commonplace, membership, nio, shared_synapse, sync_until, wait_for_text};

#[tokio::test]
async fn commonplace_talks_to_commonplace_and_keys_rotate_when_members_come_and_go() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut bob, bob_user) = commonplace(synapse, data.path(), "bob").await;
    assert_eq!(commonplace_matrix::list_accounts(data.path()).unwrap().len(), 2);

    let room_id = alice.open_dm(&bob_user.user_id).await.expect("open dm");
    bob.set_auto_join(true);
    sync_until(&mut bob, "bob to join", |bob| {
        bob.timeline().room(&room_id).unwrap().is_some_and(|room| room.membership == Membership::Join)
    })
    .await;
    // Bob accepted a direct invitation: it is his DM with Alice too.
    assert_eq!(bob.open_dm(&alice_user.user_id).await.unwrap(), room_id);
    sync_until(&mut alice, "bob to join", |alice| {
        membership(alice, &room_id, &bob_user.user_id) == Some(Membership::Join)
    })
    .await;

    alice.send_text(&room_id, "hello Bob").await.expect("send");
    let received = wait_for_text(&mut bob, &room_id, "hello Bob").await;
    assert!(received.encrypted && received.sender == alice_user.user_id, "{received:?}");
    bob.send_text(&room_id, "hello Alice").await.expect("reply");
    let reply = wait_for_text(&mut alice, &room_id, "hello Alice").await;
    assert!(reply.encrypted && reply.undecryptable_reason.is_none(), "{reply:?}");

    // A nio peer joins: the next message has a new key, and everyone reads it.
    let (mut peer, peer_user) = nio(synapse, "nio");
    let first_session = alice.machine().outbound_session_id(&room_id).expect("a session");
    alice.invite(&room_id, &peer_user.user_id).await.expect("invite");
    peer.wait_for_invite(PATIENCE).expect("nio invited");
    peer.join(&room_id).expect("nio joins");
    sync_until(&mut alice, "nio to join", |alice| {
        membership(alice, &room_id, &peer_user.user_id) == Some(Membership::Join)
    })
    .await;
    alice.send_text(&room_id, "welcome nio").await.expect("send");
    let second_session = alice.machine().outbound_session_id(&room_id).unwrap();
    assert_ne!(first_session, second_session, "a join rotates the key");
    let at_nio = peer.wait_for_text(&room_id, "welcome nio", PATIENCE).expect("nio decrypts");
    assert!(at_nio.encrypted && !at_nio.decryption_failed);
    assert!(wait_for_text(&mut bob, &room_id, "welcome nio").await.encrypted);

    // Bob leaves: a new key again, which nio still reads.
    bob.leave(&room_id).await.expect("leave");
    sync_until(&mut alice, "bob to leave", |alice| {
        membership(alice, &room_id, &bob_user.user_id) == Some(Membership::Leave)
    })
    .await;
    alice.send_text(&room_id, "after Bob left").await.expect("send");
    let third_session = alice.machine().outbound_session_id(&room_id).unwrap();
    assert_ne!(second_session, third_session, "a leave rotates the key");
    let at_nio = peer.wait_for_text(&room_id, "after Bob left", PATIENCE).expect("nio decrypts");
    assert!(at_nio.encrypted && !at_nio.decryption_failed);
}

#[tokio::test]
async fn malformed_and_undecryptable_events_show_with_a_reason() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, _) = commonplace(synapse, data.path(), "alice").await;
    let room_id = alice
        .client()
        .create_room(&CreateRoomRequest::private_room("Staff room").encrypted())
        .await
        .expect("create room");
    sync_until(&mut alice, "the room", |alice| {
        alice.timeline().room(&room_id).unwrap().is_some_and(|room| room.encrypted)
    })
    .await;
    // A well-formed event whose room key never came: Megolm from a device that shared it with no one.
    let mut stranger = Machine::new(
        "@stranger:localhost",
        "STRANGER",
        Box::new(MemoryStore::new()),
        PickleKey::random().unwrap(),
    )
    .unwrap();
    stranger.share_room_key(&room_id, &["@stranger:localhost"], 0).unwrap();
    let keyless = stranger
        .encrypt_room_event(&room_id, "m.room.message", &json!({ "msgtype": "m.text", "body": "secret" }), 0)
        .unwrap();
    let broken = [
        ("keyless", keyless),
        (
            "bad-ciphertext",
            json!({ "algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "not base64!", "session_id": "s", "sender_key": "k", "device_id": "D" }),
        ),
        ("unknown-algorithm", json!({ "algorithm": "m.rot13", "ciphertext": "abc" })),
        ("no-ciphertext", json!({ "algorithm": "m.megolm.v1.aes-sha2", "session_id": "s" })),
        ("no-session", json!({ "algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "abc" })),
    ];
    for (transaction_id, content) in &broken {
        alice
            .client()
            .send_message_event(&room_id, "m.room.encrypted", transaction_id, content)
            .await
            .expect("send a broken event");
    }
    alice.send_text(&room_id, "a good one after them").await.expect("send");
    let good = wait_for_text(&mut alice, &room_id, "a good one").await;
    assert!(good.encrypted && good.undecryptable_reason.is_none());
    let events = alice.read(&room_id, 50).unwrap();
    let undecryptable: Vec<_> = events.iter().filter(|event| event.undecryptable_reason.is_some()).collect();
    assert_eq!(undecryptable.len(), broken.len(), "{events:#?}");
    for event in &undecryptable {
        assert!(event.encrypted && event.body.is_none());
        assert_eq!(event.event_type, "m.room.encrypted");
        eprintln!("{}: {}", event.event_id, event.undecryptable_reason.as_deref().unwrap());
    }
    let reasons: Vec<&str> =
        undecryptable.iter().map(|event| event.undecryptable_reason.as_deref().unwrap()).collect();
    assert!(reasons.iter().any(|reason| reason.contains("does not decode")), "{reasons:?}");
    assert!(reasons.iter().any(|reason| reason.contains("has not arrived")), "{reasons:?}");
}

#[tokio::test]
async fn older_history_is_paged_in_before_what_the_first_sync_brought() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, _) = commonplace(synapse, data.path(), "alice").await;
    let room_id =
        alice.client().create_room(&CreateRoomRequest::private_room("History")).await.expect("create room");
    for number in 0..70 {
        let content = json!({ "msgtype": "m.text", "body": format!("message {number}") });
        alice
            .client()
            .send_message_event(&room_id, "m.room.message", &format!("history-{number}"), &content)
            .await
            .expect("send");
    }
    // A first sync brings the latest 50 only.
    alice.sync_once(std::time::Duration::ZERO).await.expect("sync");
    assert_eq!(alice.read(&room_id, 500).unwrap().len(), 50);
    let mut added = 0;
    loop {
        let page = alice.paginate_back(&room_id, 15).await.expect("page back");
        if page == 0 {
            break;
        }
        added += page;
    }
    assert_eq!(added, 20);
    let bodies: Vec<String> =
        alice.read(&room_id, 500).unwrap().into_iter().filter_map(|event| event.body).collect();
    let expected: Vec<String> = (0..70).map(|number| format!("message {number}")).collect();
    assert_eq!(bodies, expected);
    assert_eq!(alice.search("message 42", 5).unwrap()[0].body.as_deref(), Some("message 42"));
}
