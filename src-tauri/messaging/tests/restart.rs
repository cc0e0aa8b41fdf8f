//! The machine over a SQLite store: reopening keeps everything, a wrong pickle key is a clear
//! error, and a device restored from an old copy of its store (so its sessions are gone) recovers
//! from the wedged sessions that causes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

mod common;

use common::{Client, HOUR, Homeserver, decrypted_types, pickle_key, room_event};
use commonplace_messaging::{Error, Machine, PickleKey, Request, SqliteStore, ToDeviceResult};
use serde_json::json;
use std::path::Path;

const ROOM: &str = "!room:example.org";
const MEMBERS: [&str; 2] = ["@alice:example.org", "@bob:example.org"];

fn open(user: &str, device: &str, path: &Path) -> Client {
    let store = SqliteStore::open(path).unwrap();
    Client::with_machine(user, device, Machine::new(user, device, Box::new(store), pickle_key()).unwrap())
}

fn start(server: &mut Homeserver, directory: &Path) -> (Client, Client) {
    let mut alice = Client::new("@alice:example.org", "ALICE");
    let mut bob = open("@bob:example.org", "BOB1", &directory.join("bob.sqlite"));
    for client in [&mut alice, &mut bob] {
        server.flush(client);
    }
    for client in [&mut alice, &mut bob] {
        client.machine.update_tracked_users(MEMBERS).unwrap();
        server.sync(client, 0);
    }
    (alice, bob)
}

#[test]
fn reopening_keeps_keys_sessions_room_keys_and_replay_memory() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bob.sqlite");
    let mut server = Homeserver::new();
    let (mut alice, mut bob) = start(&mut server, directory.path());
    let identity = bob.machine.identity_keys();
    server.share(&mut alice, ROOM, &MEMBERS, 1);
    let content =
        alice.machine.encrypt_room_event(ROOM, "m.room.message", &json!({"body": "kept"}), 2).unwrap();
    let key = ("@bob:example.org".to_owned(), "BOB1".to_owned());
    let delivered = server.inbox[&key].clone();
    server.sync(&mut bob, 3);
    assert!(
        bob.machine
            .decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content.clone()))
            .is_ok()
    );
    let token = bob.machine.sync_token().unwrap();
    drop(bob);

    let mut bob = open("@bob:example.org", "BOB1", &path);
    assert_eq!(bob.machine.identity_keys(), identity);
    assert_eq!(bob.machine.sync_token().unwrap(), token);
    assert_eq!(bob.machine.devices("@alice:example.org").len(), 1);
    let decrypted = bob
        .machine
        .decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content.clone()))
        .unwrap();
    assert_eq!(decrypted.content["body"], "kept");
    let error =
        bob.machine.decrypt_room_event(ROOM, &room_event("$2", "@alice:example.org", content)).unwrap_err();
    assert!(matches!(error, Error::ReplayedRoomEvent { .. }), "{error}");
    // Nothing to upload: the keys were published before the restart.
    assert!(bob.machine.outgoing_requests().unwrap().is_empty());
    // The pre-key message replayed after the restart is still recognised.
    server.inbox.insert(key, delivered);
    let results = server.sync(&mut bob, 4);
    assert!(
        matches!(&results[..], [ToDeviceResult::Failed { error: Error::ReplayedOlmMessage { .. }, .. }]),
        "{results:?}"
    );
    // And Bob can still talk to Alice over the restored session.
    server.share(&mut bob, ROOM, &MEMBERS, 5);
    let reply = bob.machine.encrypt_room_event(ROOM, "m.room.message", &json!({"body": "back"}), 6).unwrap();
    server.sync(&mut alice, 7);
    assert_eq!(
        alice.machine.decrypt_room_event(ROOM, &room_event("$3", "@bob:example.org", reply)).unwrap().content
            ["body"],
        "back"
    );
}

#[test]
fn a_wrong_pickle_key_or_another_account_is_a_clear_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("crypto.sqlite");
    drop(open("@bob:example.org", "BOB1", &path));
    let store = SqliteStore::open(&path).unwrap();
    let error = Machine::new("@bob:example.org", "BOB1", Box::new(store), PickleKey::from_bytes([1; 32]))
        .unwrap_err();
    assert!(matches!(error, Error::WrongPickleKey { what: "Olm account" }), "{error}");
    assert!(error.to_string().contains("pickle key"), "{error}");
    let store = SqliteStore::open(&path).unwrap();
    let error = Machine::new("@bob:example.org", "OTHER", Box::new(store), pickle_key()).unwrap_err();
    assert!(matches!(error, Error::AccountMismatch { .. }), "{error}");
}

#[test]
fn a_wedged_session_is_replaced_and_an_m_dummy_sent_at_most_once_an_hour() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bob.sqlite");
    let old_copy = directory.path().join("bob-old.sqlite");
    let mut server = Homeserver::new();
    let (mut alice, bob) = start(&mut server, directory.path());
    drop(bob);
    std::fs::copy(&path, &old_copy).unwrap();
    let mut bob = open("@bob:example.org", "BOB1", &path);

    // Sessions both ways, so that Alice's next message to Bob is an ordinary (type 1) one.
    server.share(&mut alice, ROOM, &MEMBERS, 1);
    server.sync(&mut bob, 2);
    server.share(&mut bob, ROOM, &MEMBERS, 3);
    server.sync(&mut alice, 4);
    drop(bob);

    // Bob's device comes back from the old copy: it has no session with Alice.
    let mut bob = open("@bob:example.org", "BOB1", &old_copy);
    server.share(&mut alice, "!second:example.org", &MEMBERS, 5);
    server.share(&mut alice, "!third:example.org", &MEMBERS, 6);
    let changes = server.sync_changes("@bob:example.org", "BOB1");
    let undecryptable = changes.to_device_events[1].clone();
    let results = bob.machine.receive_sync_changes(changes, 10).unwrap();
    assert_eq!(results.len(), 2);
    for result in &results {
        assert!(
            matches!(result, ToDeviceResult::Failed { error: Error::SessionWedged { user, .. }, .. } if user == "@alice:example.org"),
            "{result:?}"
        );
    }
    // One claim for Alice's device, not two.
    let requests = bob.machine.outgoing_requests().unwrap();
    let claims =
        requests.iter().filter(|request| matches!(request.request, Request::KeysClaim { .. })).count();
    assert_eq!(claims, 1, "{requests:?}");
    server.answer(&mut bob, requests);
    // The claim started a new session and queued an m.dummy over it.
    let requests = bob.machine.outgoing_requests().unwrap();
    let Request::ToDevice { messages, .. } = &requests[0].request else { panic!("{requests:?}") };
    assert!(messages["@alice:example.org"].contains_key("ALICE"));
    server.answer(&mut bob, requests);
    let results = server.sync(&mut alice, 11);
    assert_eq!(decrypted_types(&results), ["m.dummy"]);

    // Alice's next message uses the new session, which Bob has.
    server.share(&mut alice, "!fourth:example.org", &MEMBERS, 12);
    let results = server.sync(&mut bob, 13);
    assert_eq!(decrypted_types(&results), ["m.room_key"]);

    // Another undecryptable message within the hour does not start yet another session.
    let (_, alice_curve) = alice.machine.identity_keys();
    let sessions_before = bob.machine.olm_session_count(&alice_curve);
    let changes = commonplace_messaging::SyncChanges {
        to_device_events: vec![undecryptable.clone()],
        next_batch: "x1".to_owned(),
        ..Default::default()
    };
    let results = bob.machine.receive_sync_changes(changes, 14 + HOUR / 2).unwrap();
    assert_eq!(results.len(), 1);
    assert!(bob.machine.outgoing_requests().unwrap().is_empty(), "rate-limited");
    assert_eq!(bob.machine.olm_session_count(&alice_curve), sessions_before);
    // After the hour, it may try again.
    let changes = commonplace_messaging::SyncChanges {
        to_device_events: vec![undecryptable],
        next_batch: "x2".to_owned(),
        ..Default::default()
    };
    bob.machine.receive_sync_changes(changes, 11 + HOUR).unwrap();
    let requests = bob.machine.outgoing_requests().unwrap();
    assert!(
        requests.iter().any(|request| matches!(request.request, Request::KeysClaim { .. })),
        "{requests:?}"
    );
}

#[test]
fn a_room_key_whose_to_device_message_was_lost_with_the_process_is_shared_again() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("alice.sqlite");
    let mut server = Homeserver::new();
    let mut alice = open("@alice:example.org", "ALICE", &path);
    let mut bob = Client::new("@bob:example.org", "BOB1");
    for client in [&mut alice, &mut bob] {
        server.flush(client);
    }
    for client in [&mut alice, &mut bob] {
        client.machine.update_tracked_users(MEMBERS).unwrap();
        server.sync(client, 0);
    }
    // The claim is answered, so an Olm session exists; the room key's to-device message is
    // handed out but the process ends before the homeserver takes it.
    let claim = alice.machine.share_room_key(ROOM, &MEMBERS, 1).unwrap();
    server.answer(&mut alice, claim);
    let lost = alice.machine.outgoing_requests().unwrap();
    assert!(
        matches!(&lost[..], [request] if matches!(request.request, Request::ToDevice { .. })),
        "{lost:?}"
    );
    let session = alice.machine.outbound_session_id(ROOM).unwrap();
    drop(alice);

    let mut alice = open("@alice:example.org", "ALICE", &path);
    let again = alice.machine.share_room_key(ROOM, &MEMBERS, 2).unwrap();
    assert!(
        matches!(&again[..], [request] if matches!(request.request, Request::ToDevice { .. })),
        "the key goes to Bob again: {again:?}"
    );
    assert_eq!(alice.machine.outbound_session_id(ROOM).unwrap(), session, "the same key, no rotation");
    server.answer(&mut alice, again);
    // Delivered now: sharing again sends nothing.
    assert!(alice.machine.share_room_key(ROOM, &MEMBERS, 3).unwrap().is_empty());
    let content =
        alice.machine.encrypt_room_event(ROOM, "m.room.message", &json!({"body": "got it?"}), 4).unwrap();
    server.sync(&mut bob, 5);
    let decrypted =
        bob.machine.decrypt_room_event(ROOM, &room_event("$1", "@alice:example.org", content)).unwrap();
    assert_eq!(decrypted.content["body"], "got it?");
}
