//! Olm to-device messages: replays and the fallback key (wedged sessions: `restart.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

mod common;

use common::{Homeserver, alice_and_bob, decrypted_types};
use commonplace_messaging::{Error, ToDeviceResult};

const ROOM: &str = "!room:example.org";
const MEMBERS: [&str; 2] = ["@alice:example.org", "@bob:example.org"];

fn failure(results: &[ToDeviceResult]) -> &Error {
    match results {
        [ToDeviceResult::Failed { error, .. }] => error,
        other => panic!("expected one failure, got {other:?}"),
    }
}

#[test]
fn a_replayed_pre_key_message_neither_decrypts_twice_nor_makes_a_second_session() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    server.share(&mut alice, ROOM, &MEMBERS, 0);
    let key = ("@bob:example.org".to_owned(), "BOB1".to_owned());
    let delivered = server.inbox[&key].clone();
    let results = server.sync(&mut bob1, 1);
    assert_eq!(decrypted_types(&results), ["m.room_key"]);
    let (_, alice_curve) = alice.machine.identity_keys();
    assert_eq!(bob1.machine.olm_session_count(&alice_curve), 1);

    server.inbox.insert(key, delivered);
    let results = server.sync(&mut bob1, 2);
    assert!(matches!(failure(&results), Error::ReplayedOlmMessage { .. }), "{results:?}");
    assert_eq!(bob1.machine.olm_session_count(&alice_curve), 1);
}

#[test]
fn when_one_time_keys_run_out_the_fallback_key_is_used_and_then_rotated() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    let key = ("@bob:example.org".to_owned(), "BOB1".to_owned());
    server.one_time_keys.get_mut(&key).unwrap().clear();
    let fallback_id = server.fallback_keys[&key].0.clone();

    server.share(&mut alice, ROOM, &MEMBERS, 0);
    assert!(server.fallback_keys[&key].2, "the fallback key was handed out");
    let content = alice
        .machine
        .encrypt_room_event(ROOM, "m.room.message", &serde_json::json!({"body": "x"}), 1)
        .unwrap();
    let delivered = server.inbox[&key].clone();
    let results = server.sync(&mut bob1, 2);
    assert_eq!(decrypted_types(&results), ["m.room_key"]);
    assert!(
        bob1.machine
            .decrypt_room_event(ROOM, &common::room_event("$1", "@alice:example.org", content))
            .is_ok()
    );
    // The sync said the fallback key was used: Bob published a new one, and tops up his one-time keys.
    assert_ne!(server.fallback_keys[&key].0, fallback_id);
    assert_eq!(server.one_time_keys[&key].len(), 25);

    // A fallback key can be used more than once by design; a replay of the same message is still
    // refused, by its hash.
    server.inbox.insert(key, delivered);
    let results = server.sync(&mut bob1, 3);
    assert!(matches!(failure(&results), Error::ReplayedOlmMessage { .. }), "{results:?}");
    let (_, alice_curve) = alice.machine.identity_keys();
    assert_eq!(bob1.machine.olm_session_count(&alice_curve), 1);
}
