//! Room keys and room events: sharing, text both ways, rotation, and every way decryption fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

mod common;

use common::{HOUR, Homeserver, WEEK, alice_and_bob, room_event};
use commonplace_messaging::{Error, Request};
use serde_json::{Value, json};

const ROOM: &str = "!room:example.org";
const MEMBERS: [&str; 2] = ["@alice:example.org", "@bob:example.org"];

fn text(body: &str) -> Value {
    json!({ "msgtype": "m.text", "body": body })
}

#[test]
fn text_goes_both_ways_and_every_device_gets_the_key() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, mut bob2) = alice_and_bob(&mut server);

    let requests = alice.machine.share_room_key(ROOM, &MEMBERS, 10).unwrap();
    // No Olm sessions yet: the first step is a claim for Bob's two devices.
    assert_eq!(requests.len(), 1);
    let Request::KeysClaim { one_time_keys } = &requests[0].request else { panic!("{requests:?}") };
    assert_eq!(one_time_keys["@bob:example.org"].len(), 2);
    insta::assert_json_snapshot!("keys_claim_body", requests[0].request.body());
    server.answer(&mut alice, requests);
    // The claim's response queued the room keys.
    let requests = alice.machine.outgoing_requests().unwrap();
    let Request::ToDevice { event_type, messages, .. } = &requests[0].request else { panic!("{requests:?}") };
    assert_eq!(event_type, "m.room.encrypted");
    let to_bob1 = &messages["@bob:example.org"]["BOB1"];
    assert_eq!(to_bob1["algorithm"], "m.olm.v1.curve25519-aes-sha2");
    let ciphertext = to_bob1["ciphertext"].as_object().unwrap().values().next().unwrap();
    assert_eq!(ciphertext["type"], 0, "the first message of a session is a pre-key message");
    insta::assert_json_snapshot!("to_device_room_key_body", requests[0].request.body(), {
        ".messages.*.*.sender_key" => "<curve25519>",
        ".messages.*.*.ciphertext" => "<ciphertext>",
    });
    server.answer(&mut alice, requests);

    let content = alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("hello Bob"), 20).unwrap();
    insta::assert_json_snapshot!("room_encrypted_content", content, {
        ".sender_key" => "<curve25519>", ".ciphertext" => "<ciphertext>", ".session_id" => "<session id>",
    });
    let event = room_event("$1", "@alice:example.org", content);
    for bob in [&mut bob1, &mut bob2] {
        let results = server.sync(bob, 30);
        assert_eq!(common::decrypted_types(&results), ["m.room_key"]);
        let decrypted = bob.machine.decrypt_room_event(ROOM, &event).unwrap();
        assert_eq!(decrypted.content["body"], "hello Bob");
        assert_eq!(decrypted.sender_device.as_deref(), Some("ALICE"));
        assert!(decrypted.encryption_info.sender_device_known);
        assert_eq!(decrypted.encryption_info.message_index, 0);
    }
    // Alice reads her own message.
    assert_eq!(alice.machine.decrypt_room_event(ROOM, &event).unwrap().content["body"], "hello Bob");

    // Bob answers: his key goes to Alice's device and his other device.
    server.share(&mut bob1, ROOM, &MEMBERS, 40);
    let reply = bob1.machine.encrypt_room_event(ROOM, "m.room.message", &text("hi Alice"), 41).unwrap();
    let reply = room_event("$2", "@bob:example.org", reply);
    server.sync(&mut alice, 50);
    server.sync(&mut bob2, 50);
    assert_eq!(alice.machine.decrypt_room_event(ROOM, &reply).unwrap().content["body"], "hi Alice");
    assert_eq!(bob2.machine.decrypt_room_event(ROOM, &reply).unwrap().sender_device.as_deref(), Some("BOB1"));
}

#[test]
fn the_key_rotates_after_100_messages_a_week_or_when_someone_leaves() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    server.share(&mut alice, ROOM, &MEMBERS, 0);
    let first = alice.machine.outbound_session_id(ROOM).unwrap();
    for number in 0..100 {
        alice.machine.encrypt_room_event(ROOM, "m.room.message", &text(&number.to_string()), 1).unwrap();
    }
    let error = alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("101"), 1).unwrap_err();
    assert!(matches!(error, Error::RoomKeyNotShared { .. }), "{error}");
    server.share(&mut alice, ROOM, &MEMBERS, 2);
    let second = alice.machine.outbound_session_id(ROOM).unwrap();
    assert_ne!(first, second);
    // Sharing again without a reason changes nothing and sends nothing.
    assert!(alice.machine.share_room_key(ROOM, &MEMBERS, 3).unwrap().is_empty());
    assert_eq!(alice.machine.outbound_session_id(ROOM).unwrap(), second);

    // A week later.
    alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("before"), WEEK - 1).unwrap();
    assert!(alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("after"), WEEK + 2).is_err());
    server.share(&mut alice, ROOM, &MEMBERS, WEEK + 2);
    let third = alice.machine.outbound_session_id(ROOM).unwrap();
    assert_ne!(second, third);

    // A room with a shorter period, from its m.room.encryption state.
    alice.machine.set_room_encryption("!short:example.org", &json!({ "algorithm": "m.megolm.v1.aes-sha2", "rotation_period_ms": HOUR, "rotation_period_msgs": 5 }));
    server.share(&mut alice, "!short:example.org", &MEMBERS, WEEK);
    for _ in 0..5 {
        alice.machine.encrypt_room_event("!short:example.org", "m.room.message", &text("x"), WEEK).unwrap();
    }
    assert!(
        alice.machine.encrypt_room_event("!short:example.org", "m.room.message", &text("x"), WEEK).is_err()
    );

    // Bob leaves: the next share rotates, and Bob gets nothing.
    server.sync(&mut bob1, WEEK + 3);
    server.share(&mut alice, ROOM, &["@alice:example.org"], WEEK + 4);
    let fourth = alice.machine.outbound_session_id(ROOM).unwrap();
    assert_ne!(third, fourth);
    let secret =
        alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("after Bob left"), WEEK + 5).unwrap();
    server.sync(&mut bob1, WEEK + 6);
    let error =
        bob1.machine.decrypt_room_event(ROOM, &room_event("$x", "@alice:example.org", secret)).unwrap_err();
    assert!(matches!(&error, Error::MissingRoomKey { session_id, .. } if *session_id == fourth), "{error}");
}

#[test]
fn a_removed_device_rotates_the_key() {
    let mut server = Homeserver::new();
    let (mut alice, _bob1, _bob2) = alice_and_bob(&mut server);
    server.share(&mut alice, ROOM, &MEMBERS, 0);
    let first = alice.machine.outbound_session_id(ROOM).unwrap();
    server.delete_device("@bob:example.org", "BOB2");
    server.sync(&mut alice, 1);
    assert_eq!(alice.machine.devices("@bob:example.org").len(), 1);
    assert!(alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("x"), 2).is_err());
    server.share(&mut alice, ROOM, &MEMBERS, 2);
    assert_ne!(alice.machine.outbound_session_id(ROOM).unwrap(), first);
}

#[test]
fn undecryptable_events_say_why() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    server.share(&mut alice, ROOM, &MEMBERS, 0);
    let content = alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("one"), 1).unwrap();
    let session_id = content["session_id"].as_str().unwrap().to_owned();

    // Before the key arrives.
    let error = bob1
        .machine
        .decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content.clone()))
        .unwrap_err();
    let (_, alice_curve) = alice.machine.identity_keys();
    assert!(
        matches!(&error, Error::MissingRoomKey { session_id: id, sender_key, .. } if *id == session_id && *sender_key == alice_curve),
        "{error}"
    );
    server.sync(&mut bob1, 2);
    assert!(
        bob1.machine
            .decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content.clone()))
            .is_ok()
    );

    // Replay: the same index under another event id.
    let error = bob1
        .machine
        .decrypt_room_event(ROOM, &room_event("$replayed", "@alice:example.org", content.clone()))
        .unwrap_err();
    assert!(
        matches!(&error, Error::ReplayedRoomEvent { first_event_id, message_index: 0, .. } if first_event_id == "$1"),
        "{error}"
    );
    // The same event again is fine (a timeline re-read).
    assert!(
        bob1.machine
            .decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content.clone()))
            .is_ok()
    );

    // A tampered ciphertext.
    let mut tampered = content.clone();
    let mut bytes = vodozemac::base64_decode(content["ciphertext"].as_str().unwrap()).unwrap();
    bytes[10] ^= 1;
    tampered["ciphertext"] = json!(vodozemac::base64_encode(&bytes));
    let error =
        bob1.machine.decrypt_room_event(ROOM, &room_event("$t", "@alice:example.org", tampered)).unwrap_err();
    assert!(matches!(error, Error::RatchetMismatch { .. }), "{error}");

    // Malformed.
    let mut broken = content.clone();
    broken["ciphertext"] = json!("not base64!");
    let error =
        bob1.machine.decrypt_room_event(ROOM, &room_event("$m", "@alice:example.org", broken)).unwrap_err();
    assert!(matches!(error, Error::MalformedRoomEvent { .. }), "{error}");

    // Another sender key than the one the room key came from.
    let mut other_sender = content.clone();
    other_sender["sender_key"] = json!(bob1.machine.identity_keys().1);
    let error = bob1
        .machine
        .decrypt_room_event(ROOM, &room_event("$s", "@alice:example.org", other_sender))
        .unwrap_err();
    assert!(matches!(error, Error::SenderKeyMismatch { .. }), "{error}");

    // The same ciphertext presented in another room.
    let error = bob1
        .machine
        .decrypt_room_event("!other:example.org", &room_event("$1", "@alice:example.org", content))
        .unwrap_err();
    assert!(matches!(error, Error::MissingRoomKey { .. }), "{error}");

    // A device that joins later gets the key at the current index: earlier messages are unknown.
    let mut bob3 = common::Client::new("@bob:example.org", "BOB3");
    server.flush(&mut bob3);
    server.sync(&mut alice, 3);
    let first = alice.machine.encrypt_room_event(ROOM, "m.room.message", &text("two"), 3).unwrap();
    server.share(&mut alice, ROOM, &MEMBERS, 4);
    server.sync(&mut bob3, 5);
    let error =
        bob3.machine.decrypt_room_event(ROOM, &room_event("$2", "@alice:example.org", first)).unwrap_err();
    assert!(
        matches!(error, Error::UnknownMessageIndex { first_known_index: 2, message_index: 1, .. }),
        "{error}"
    );
}
