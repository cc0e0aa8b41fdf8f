//! Interactive SAS verification between machines over the in-memory homeserver: start-first and
//! request/ready, mismatches, the ten-minute timeout with passed-in time, refused and ignored
//! messages, a libolm-style peer (the deprecated MAC, a broken commitment, a forged MAC) played by
//! hand with vodozemac, and the wire format of every message we send.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

mod common;

use common::{Client, Homeserver, alice_and_bob, pickle_key};
use commonplace_messaging::verification::{CancelCode, ShortAuthString, VerificationState};
use commonplace_messaging::{Machine, SqliteStore, Verification};
use serde_json::{Value, json};
use vodozemac::sas::Sas;

const ALICE: &str = "@alice:example.org";
const BOB: &str = "@bob:example.org";
const MINUTE: u64 = 60 * 1000;

/// Lets the clients sync in turn until nothing more moves.
fn settle(server: &mut Homeserver, clients: &mut [&mut Client], now: u64) {
    for _ in 0..6 {
        for client in clients.iter_mut() {
            server.sync(client, now);
        }
    }
}

fn state(client: &Client, transaction_id: &str) -> VerificationState {
    client.machine.verification(transaction_id).expect("the verification is known").state
}

fn short_auth(client: &Client, transaction_id: &str) -> ShortAuthString {
    state(client, transaction_id)
        .short_auth()
        .cloned()
        .unwrap_or_else(|| panic!("no strings to compare yet: {:?}", state(client, transaction_id)))
}

/// The verification a client was asked for, by whom.
fn incoming(client: &Client) -> Verification {
    let found: Vec<Verification> = client
        .machine
        .verifications()
        .into_iter()
        .filter(|verification| verification.state == VerificationState::Incoming)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

fn verified(client: &Client, user: &str, device: &str) -> bool {
    client.machine.devices(user).into_iter().any(|info| info.device_id == device && info.verified)
}

fn cancelled(client: &Client, transaction_id: &str) -> (CancelCode, bool) {
    match state(client, transaction_id) {
        VerificationState::Cancelled { code, by_us, .. } => (code, by_us),
        other => panic!("not cancelled: {other:?}"),
    }
}

#[test]
fn two_devices_verify_each_other_after_a_start_and_the_result_is_kept() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    let transaction_id = alice.machine.start_verification(BOB, "BOB1", 1_000).unwrap();
    server.flush(&mut alice);
    assert_eq!(state(&alice, &transaction_id), VerificationState::Requested);

    server.sync(&mut bob1, 1_000);
    let asked = incoming(&bob1);
    assert_eq!(
        (asked.transaction_id.as_str(), asked.other_user.as_str(), asked.other_device.as_deref()),
        (transaction_id.as_str(), ALICE, Some("ALICE"))
    );
    assert!(!asked.we_started && !asked.from_request);
    bob1.machine.accept_verification(&transaction_id, 2_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 3_000);

    let ours = short_auth(&alice, &transaction_id);
    let theirs = short_auth(&bob1, &transaction_id);
    assert_eq!(ours, theirs, "both sides show the same strings");
    assert_eq!(ours.emojis.map(|emojis| emojis.len()), Some(7));
    assert!(ours.decimals.unwrap().iter().all(|number| (1000..=9191).contains(number)));

    // Bob confirms first: his MAC waits at Alice's until she confirms too.
    bob1.machine.confirm_verification(&transaction_id, 4_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 4_000);
    assert!(matches!(state(&bob1, &transaction_id), VerificationState::Confirmed { .. }));
    assert!(matches!(state(&alice, &transaction_id), VerificationState::KeysExchanged { .. }));
    assert!(!verified(&alice, BOB, "BOB1"), "nothing is verified before the person confirms");
    alice.machine.confirm_verification(&transaction_id, 5_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 5_000);
    assert!(matches!(state(&alice, &transaction_id), VerificationState::Done { .. }));
    assert!(matches!(state(&bob1, &transaction_id), VerificationState::Done { .. }));
    assert!(verified(&alice, BOB, "BOB1"));
    assert!(verified(&bob1, ALICE, "ALICE"));
    assert!(!verified(&alice, BOB, "BOB2"), "only the device that took part");

    // Confirming twice, or cancelling what is done, is refused with the state named.
    let error = alice.machine.confirm_verification(&transaction_id, 6_000).unwrap_err();
    assert!(error.to_string().contains("it is done"), "{error}");
    assert!(alice.machine.cancel_verification(&transaction_id, CancelCode::User, 6_000).is_err());
    let error = alice.machine.accept_verification("nope", 6_000).unwrap_err();
    assert!(error.to_string().contains("no verification nope"), "{error}");
}

#[test]
fn the_verified_flag_survives_a_restart_and_a_new_keys_query() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("crypto.sqlite");
    let mut server = Homeserver::new();
    let (_, mut bob1, _bob2) = alice_and_bob(&mut server);
    let machine =
        Machine::new(ALICE, "LAPTOP", Box::new(SqliteStore::open(&path).unwrap()), pickle_key()).unwrap();
    let mut alice = Client::with_machine(ALICE, "LAPTOP", machine);
    server.flush(&mut alice);
    alice.machine.update_tracked_users([ALICE, BOB]).unwrap();
    server.sync(&mut alice, 0);

    let transaction_id = alice.machine.start_verification(BOB, "BOB1", 0).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, 0);
    bob1.machine.accept_verification(&transaction_id, 0).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 0);
    alice.machine.confirm_verification(&transaction_id, 0).unwrap();
    bob1.machine.confirm_verification(&transaction_id, 0).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 0);
    assert!(verified(&alice, BOB, "BOB1"));

    drop(alice);
    let machine =
        Machine::new(ALICE, "LAPTOP", Box::new(SqliteStore::open(&path).unwrap()), pickle_key()).unwrap();
    let mut alice = Client::with_machine(ALICE, "LAPTOP", machine);
    assert!(verified(&alice, BOB, "BOB1"), "kept in the store");
    // Bob's device list changes (a new device): the query that follows keeps BOB1 verified.
    let mut bob3 = Client::new(BOB, "BOB3");
    server.flush(&mut bob3);
    server.sync(&mut alice, 1);
    assert!(alice.machine.devices(BOB).iter().any(|device| device.device_id == "BOB3" && !device.verified));
    assert!(verified(&alice, BOB, "BOB1"));
}

#[test]
fn a_request_to_every_device_goes_to_the_first_that_answers() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, mut bob2) = alice_and_bob(&mut server);
    let transaction_id =
        alice.machine.request_verification(BOB, &["BOB1".to_owned(), "BOB2".to_owned()], 1_000).unwrap();
    server.flush(&mut alice);
    let requested = alice.machine.verification(&transaction_id).unwrap();
    assert!(requested.from_request && requested.we_started && requested.other_device.is_none());
    server.sync(&mut bob1, 1_000);
    server.sync(&mut bob2, 1_000);
    assert!(incoming(&bob1).from_request);
    assert_eq!(incoming(&bob2).transaction_id, transaction_id);

    // BOB2 answers; BOB1 is told another device took it.
    bob2.machine.accept_verification(&transaction_id, 2_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1, &mut bob2], 2_000);
    assert_eq!(alice.machine.verification(&transaction_id).unwrap().other_device.as_deref(), Some("BOB2"));
    assert_eq!(cancelled(&bob1, &transaction_id), (CancelCode::Accepted, false));
    assert_eq!(short_auth(&alice, &transaction_id), short_auth(&bob2, &transaction_id));

    alice.machine.confirm_verification(&transaction_id, 3_000).unwrap();
    bob2.machine.confirm_verification(&transaction_id, 3_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1, &mut bob2], 3_000);
    assert!(matches!(state(&alice, &transaction_id), VerificationState::Done { .. }));
    assert!(matches!(state(&bob2, &transaction_id), VerificationState::Done { .. }));
    assert!(verified(&alice, BOB, "BOB2") && verified(&bob2, ALICE, "ALICE"));
    assert!(!verified(&alice, BOB, "BOB1") && !verified(&bob1, ALICE, "ALICE"));
}

#[test]
fn when_the_person_says_they_differ_both_sides_end_cancelled_and_nothing_is_verified() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    let transaction_id = alice.machine.start_verification(BOB, "BOB1", 0).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, 0);
    bob1.machine.accept_verification(&transaction_id, 0).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 0);
    alice.machine.confirm_verification(&transaction_id, 0).unwrap();
    bob1.machine.cancel_verification(&transaction_id, CancelCode::MismatchedSas, 0).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], 0);
    assert_eq!(cancelled(&bob1, &transaction_id), (CancelCode::MismatchedSas, true));
    assert_eq!(cancelled(&alice, &transaction_id), (CancelCode::MismatchedSas, false));
    assert!(!verified(&alice, BOB, "BOB1") && !verified(&bob1, ALICE, "ALICE"));
}

#[test]
fn a_verification_times_out_after_ten_minutes_of_the_callers_clock() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    let started = 50 * MINUTE;
    let transaction_id = alice.machine.start_verification(BOB, "BOB1", started).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, started + MINUTE);
    bob1.machine.accept_verification(&transaction_id, started + MINUTE).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1], started + 2 * MINUTE);
    assert!(matches!(state(&alice, &transaction_id), VerificationState::KeysExchanged { .. }));

    // One millisecond short of ten minutes nothing happens; at ten minutes Alice gives up and
    // tells Bob, whose own clock is behind.
    server.sync(&mut alice, started + 10 * MINUTE - 1);
    assert!(matches!(state(&alice, &transaction_id), VerificationState::KeysExchanged { .. }));
    server.sync(&mut alice, started + 10 * MINUTE);
    assert_eq!(cancelled(&alice, &transaction_id), (CancelCode::Timeout, true));
    server.sync(&mut bob1, started + 2 * MINUTE);
    assert_eq!(cancelled(&bob1, &transaction_id), (CancelCode::Timeout, false));
    assert!(bob1.machine.confirm_verification(&transaction_id, started + 3 * MINUTE).is_err());

    // A method call moves the clock too: an unanswered start expires when Alice next acts.
    let second = alice.machine.start_verification(BOB, "BOB1", 70 * MINUTE).unwrap();
    let third = alice.machine.start_verification(BOB, "BOB1", 80 * MINUTE).unwrap();
    server.flush(&mut alice);
    assert_eq!(cancelled(&alice, &second), (CancelCode::Timeout, true));
    assert_eq!(state(&alice, &third), VerificationState::Requested);

    // Finished verifications are forgotten an hour after they began; running ones are not.
    server.sync(&mut alice, started + 60 * MINUTE);
    assert!(alice.machine.verification(&transaction_id).is_none());
    assert!(alice.machine.verification(&second).is_some());
}

#[test]
fn stale_requests_are_ignored() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    // Alice's clock says the request is from minute 0; Bob reads it at minute 11, then at minute 0
    // a request from six minutes in the future: both are outside the spec's window.
    alice.machine.request_verification(BOB, &["BOB1".to_owned()], 0).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, 11 * MINUTE);
    alice.machine.request_verification(BOB, &["BOB1".to_owned()], 17 * MINUTE).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, 11 * MINUTE);
    assert!(bob1.machine.verifications().is_empty(), "{:?}", bob1.machine.verifications());
}

#[test]
fn a_second_start_is_refused_and_unknown_transactions_are_ignored() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, _bob2) = alice_and_bob(&mut server);
    let transaction_id = alice.machine.start_verification(BOB, "BOB1", 0).unwrap();
    server.flush(&mut alice);
    let bob_inbox = ("@bob:example.org".to_owned(), "BOB1".to_owned());
    let start = server.inbox[&bob_inbox][0].clone();
    server.sync(&mut bob1, 0);
    bob1.machine.accept_verification(&transaction_id, 0).unwrap();
    server.flush(&mut bob1);

    server.inbox.entry(bob_inbox.clone()).or_default().push(start);
    server.sync(&mut bob1, 0);
    assert_eq!(cancelled(&bob1, &transaction_id), (CancelCode::UnexpectedMessage, true));
    server.sync(&mut alice, 0);
    assert_eq!(cancelled(&alice, &transaction_id), (CancelCode::UnexpectedMessage, false));

    // Messages for a transaction nobody started change nothing and send nothing.
    let before = server.received.len();
    server.inbox.entry(bob_inbox).or_default().push(json!({
        "type": "m.key.verification.key",
        "sender": ALICE,
        "content": { "transaction_id": "never-started", "key": "AAAA" },
    }));
    server.sync(&mut bob1, 0);
    assert!(bob1.machine.verification("never-started").is_none());
    assert_eq!(server.received.len(), before, "nothing was sent: {:?}", &server.received[before..]);

    // A device we do not know cannot be verified yet.
    let error = alice.machine.start_verification(BOB, "BOB9", 0).unwrap_err();
    assert!(error.to_string().contains("BOB9"), "{error}");
    let error = alice.machine.start_verification(ALICE, "ALICE", 0).unwrap_err();
    assert!(error.to_string().contains("cannot verify itself"), "{error}");
}

/// Bob's side played by hand with vodozemac, the way a libolm client answers: it takes every event
/// Alice sends to BOB1 off the server, and puts its own into Alice's inbox.
struct HandPlayedBob {
    transaction_id: String,
    sas: Option<Sas>,
}

impl HandPlayedBob {
    fn take(server: &mut Homeserver, event_type: &str) -> Value {
        let inbox = server.inbox.entry((BOB.to_owned(), "BOB1".to_owned())).or_default();
        let position = inbox
            .iter()
            .position(|event| event["type"] == event_type)
            .unwrap_or_else(|| panic!("no {event_type} for Bob in {inbox:?}"));
        inbox.remove(position)["content"].clone()
    }

    fn send(&self, server: &mut Homeserver, event_type: &str, mut content: Value) {
        content["transaction_id"] = json!(self.transaction_id);
        server
            .inbox
            .entry((ALICE.to_owned(), "ALICE".to_owned()))
            .or_default()
            .push(json!({ "type": event_type, "sender": BOB, "content": content }));
    }

    /// Sends BOB1's MAC of `ed25519` as its device key, the libolm way (unpadded base64 of the
    /// deprecated encoding).
    fn send_libolm_mac(
        &self,
        server: &mut Homeserver,
        established: &vodozemac::sas::EstablishedSas,
        ed25519: &str,
    ) {
        let base = format!("MATRIX_KEY_VERIFICATION_MAC{BOB}BOB1{ALICE}ALICE{}", self.transaction_id);
        self.send(
            server,
            "m.key.verification.mac",
            json!({
                "mac": { "ed25519:BOB1": established.calculate_mac_invalid_base64(ed25519, &format!("{base}ed25519:BOB1")) },
                "keys": established.calculate_mac_invalid_base64("ed25519:BOB1", &format!("{base}KEY_IDS")),
            }),
        );
    }
}

/// Alice starts with BOB1; the hand-played Bob accepts offering only the libolm MAC, committing to
/// `committed` (its own key unless a test wants a broken commitment). Returns Bob, Alice's start
/// content and the transaction id.
fn start_with_hand_played_bob(
    server: &mut Homeserver,
    alice: &mut Client,
    commit_to_other_key: bool,
) -> (HandPlayedBob, Value) {
    let transaction_id = alice.machine.start_verification(BOB, "BOB1", 0).unwrap();
    server.flush(alice);
    let start = HandPlayedBob::take(server, "m.key.verification.start");
    let bob = HandPlayedBob { transaction_id, sas: Some(Sas::new()) };
    let committed_key = if commit_to_other_key {
        Sas::new().public_key().to_base64()
    } else {
        bob.sas.as_ref().unwrap().public_key().to_base64()
    };
    let commitment = commonplace_messaging::verification::commitment(&committed_key, &start).unwrap();
    bob.send(
        server,
        "m.key.verification.accept",
        json!({
            "key_agreement_protocol": "curve25519-hkdf-sha256",
            "hash": "sha256",
            "message_authentication_code": "hkdf-hmac-sha256",
            "short_authentication_string": ["emoji", "decimal"],
            "commitment": commitment,
        }),
    );
    server.sync(alice, 0);
    (bob, start)
}

#[test]
fn a_libolm_style_peer_verifies_with_the_deprecated_mac() {
    let mut server = Homeserver::new();
    let (mut alice, bob1, _bob2) = alice_and_bob(&mut server);
    let (bob_ed25519, _) = bob1.machine.identity_keys();
    let (alice_ed25519, _) = alice.machine.identity_keys();
    let (mut bob, start) = start_with_hand_played_bob(&mut server, &mut alice, false);
    assert_eq!(start["message_authentication_codes"], json!(["hkdf-hmac-sha256.v2", "hkdf-hmac-sha256"]));
    let transaction_id = bob.transaction_id.clone();

    let alice_key =
        HandPlayedBob::take(&mut server, "m.key.verification.key")["key"].as_str().unwrap().to_owned();
    let sas = bob.sas.take().unwrap();
    let bob_key = sas.public_key().to_base64();
    bob.send(&mut server, "m.key.verification.key", json!({ "key": bob_key }));
    server.sync(&mut alice, 0);
    let established = sas.diffie_hellman_with_raw(&alice_key).unwrap();

    // Bob's own view of the strings, from the spec's info string, matches Alice's.
    let info = format!(
        "MATRIX_KEY_VERIFICATION_SAS|{ALICE}|ALICE|{alice_key}|{BOB}|BOB1|{bob_key}|{transaction_id}"
    );
    let bytes = established.bytes(&info);
    let expected = ShortAuthString::from_bytes(bytes.as_bytes(), true, true);
    assert_eq!(short_auth(&alice, &transaction_id), expected);

    // Bob's MAC, the libolm way.
    bob.send_libolm_mac(&mut server, &established, &bob_ed25519);
    server.sync(&mut alice, 0);
    alice.machine.confirm_verification(&transaction_id, 0).unwrap();
    assert!(matches!(state(&alice, &transaction_id), VerificationState::Done { .. }));
    assert!(verified(&alice, BOB, "BOB1"));

    // Alice's MAC uses the same encoding, so the libolm side can check it.
    server.flush(&mut alice);
    let mac = HandPlayedBob::take(&mut server, "m.key.verification.mac");
    let base = format!("MATRIX_KEY_VERIFICATION_MAC{ALICE}ALICE{BOB}BOB1{transaction_id}");
    assert_eq!(
        mac["mac"]["ed25519:ALICE"],
        json!(established.calculate_mac_invalid_base64(&alice_ed25519, &format!("{base}ed25519:ALICE")))
    );
    assert_eq!(
        mac["keys"],
        json!(established.calculate_mac_invalid_base64("ed25519:ALICE", &format!("{base}KEY_IDS")))
    );
    // No `done` after a start-first verification: libolm clients do not know it.
    assert!(server.inbox[&(BOB.to_owned(), "BOB1".to_owned())].is_empty());
}

#[test]
fn a_key_that_does_not_match_its_commitment_cancels() {
    let mut server = Homeserver::new();
    let (mut alice, _bob1, _bob2) = alice_and_bob(&mut server);
    let (mut bob, _) = start_with_hand_played_bob(&mut server, &mut alice, true);
    let transaction_id = bob.transaction_id.clone();
    HandPlayedBob::take(&mut server, "m.key.verification.key");
    let key = bob.sas.take().unwrap().public_key().to_base64();
    bob.send(&mut server, "m.key.verification.key", json!({ "key": key }));
    server.sync(&mut alice, 0);
    assert_eq!(cancelled(&alice, &transaction_id), (CancelCode::MismatchedCommitment, true));
    let cancel = HandPlayedBob::take(&mut server, "m.key.verification.cancel");
    assert_eq!(cancel["code"], "m.mismatched_commitment");
}

#[test]
fn a_mac_that_does_not_match_the_known_device_key_cancels() {
    let mut server = Homeserver::new();
    let (mut alice, _bob1, _bob2) = alice_and_bob(&mut server);
    let (mut bob, _) = start_with_hand_played_bob(&mut server, &mut alice, false);
    let transaction_id = bob.transaction_id.clone();
    let alice_key =
        HandPlayedBob::take(&mut server, "m.key.verification.key")["key"].as_str().unwrap().to_owned();
    let sas = bob.sas.take().unwrap();
    bob.send(&mut server, "m.key.verification.key", json!({ "key": sas.public_key().to_base64() }));
    server.sync(&mut alice, 0);
    let established = sas.diffie_hellman_with_raw(&alice_key).unwrap();
    // A MAC of some other ed25519 key under BOB1's key id: an impostor's device.
    let impostor = vodozemac::olm::Account::new().identity_keys().ed25519.to_base64();
    bob.send_libolm_mac(&mut server, &established, &impostor);
    server.sync(&mut alice, 0);
    alice.machine.confirm_verification(&transaction_id, 0).unwrap();
    assert_eq!(cancelled(&alice, &transaction_id), (CancelCode::KeyMismatch, true));
    assert!(!verified(&alice, BOB, "BOB1"));
}

/// The content of every to-device message of `event_type` the server received, in order.
fn sent(server: &Homeserver, event_type: &str) -> Vec<Value> {
    let prefix = format!("/_matrix/client/v3/sendToDevice/{event_type}/");
    server
        .received
        .iter()
        .filter(|(endpoint, _)| endpoint.starts_with(&prefix))
        .flat_map(|(_, body)| {
            body["messages"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|devices| devices.as_object().unwrap().values().cloned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_wire_format_of_every_message_we_send() {
    let mut server = Homeserver::new();
    let (mut alice, mut bob1, mut bob2) = alice_and_bob(&mut server);
    let transaction_id =
        alice.machine.request_verification(BOB, &["BOB1".to_owned(), "BOB2".to_owned()], 1_000).unwrap();
    server.flush(&mut alice);
    server.sync(&mut bob1, 1_000);
    bob1.machine.accept_verification(&transaction_id, 1_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1, &mut bob2], 1_000);
    alice.machine.confirm_verification(&transaction_id, 1_000).unwrap();
    bob1.machine.confirm_verification(&transaction_id, 1_000).unwrap();
    settle(&mut server, &mut [&mut alice, &mut bob1, &mut bob2], 1_000);
    assert!(matches!(state(&alice, &transaction_id), VerificationState::Done { .. }));
    let second = alice.machine.start_verification(BOB, "BOB1", 2_000).unwrap();
    server.flush(&mut alice);
    alice.machine.cancel_verification(&second, CancelCode::User, 2_000).unwrap();
    server.flush(&mut alice);

    for (name, event_type) in [
        ("request", "m.key.verification.request"),
        ("ready", "m.key.verification.ready"),
        ("start", "m.key.verification.start"),
        ("accept", "m.key.verification.accept"),
        ("key", "m.key.verification.key"),
        ("mac", "m.key.verification.mac"),
        ("done", "m.key.verification.done"),
        ("cancel", "m.key.verification.cancel"),
    ] {
        let contents = sent(&server, event_type);
        assert!(!contents.is_empty(), "no {event_type} was sent");
        insta::assert_json_snapshot!(name, contents[0], {
            ".transaction_id" => "[transaction id]",
            ".key" => "[ephemeral public key]",
            ".commitment" => "[commitment]",
            ".keys" => "[mac]",
            r#".mac["ed25519:ALICE"]"# => "[mac]",
        });
    }
}
