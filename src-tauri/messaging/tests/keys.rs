//! Our device keys, one-time and fallback keys, the keys endpoints and device-list tracking.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

mod common;

use common::{Client, Homeserver};
use commonplace_messaging::canonical_json::to_canonical_json;
use commonplace_messaging::{Error, Request, verify_device_keys};
use serde_json::{Value, json};
use vodozemac::{Ed25519PublicKey, Ed25519Signature};

/// Replaces what is random in a body (keys, signatures, ciphertexts) so snapshots are stable.
fn redact(value: &Value) -> Value {
    let looks_random = |text: &str| {
        text.len() >= 40 && text.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"+/-_=".contains(&byte))
    };
    match value {
        Value::String(text) if looks_random(text) => json!("<random>"),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    (if looks_random(key) { "<random key>".to_owned() } else { key.clone() }, redact(item))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn verify_independently(object: &Value, user: &str, key_id: &str, key: &str) {
    let mut unsigned = object.clone();
    let signature = object["signatures"][user][key_id].as_str().unwrap();
    unsigned.as_object_mut().unwrap().remove("signatures");
    unsigned.as_object_mut().unwrap().remove("unsigned");
    // Canonical JSON checked against the spec's examples (src/canonical_json.rs); serde_json's
    // compact output of the same object (sorted by its BTreeMap) must agree with it here.
    let canonical = to_canonical_json(&unsigned).unwrap();
    assert_eq!(canonical, serde_json::to_string(&unsigned).unwrap());
    Ed25519PublicKey::from_base64(key)
        .unwrap()
        .verify(canonical.as_bytes(), &Ed25519Signature::from_base64(signature).unwrap())
        .unwrap();
}

#[test]
fn the_first_upload_publishes_signed_device_keys_one_time_keys_and_a_fallback_key() {
    let mut server = Homeserver::new();
    let mut alice = Client::new("@alice:example.org", "ALICE");
    let requests = alice.machine.outgoing_requests().unwrap();
    assert_eq!(requests.len(), 1);
    let Request::KeysUpload { body } = &requests[0].request else { panic!("not an upload: {requests:?}") };
    assert_eq!(requests[0].request.endpoint(), ("POST", "/_matrix/client/v3/keys/upload".to_owned()));

    let (ed25519, curve25519) = alice.machine.identity_keys();
    let device_keys = &body["device_keys"];
    assert_eq!(device_keys["keys"]["curve25519:ALICE"], curve25519.as_str());
    verify_independently(device_keys, "@alice:example.org", "ed25519:ALICE", &ed25519);
    let one_time_keys = body["one_time_keys"].as_object().unwrap();
    assert_eq!(one_time_keys.len(), 25, "half of vodozemac's 50");
    for key in one_time_keys.values() {
        verify_independently(key, "@alice:example.org", "ed25519:ALICE", &ed25519);
    }
    let fallback_keys = body["fallback_keys"].as_object().unwrap();
    assert_eq!(fallback_keys.len(), 1);
    let fallback = fallback_keys.values().next().unwrap();
    assert_eq!(fallback["fallback"], true);
    verify_independently(fallback, "@alice:example.org", "ed25519:ALICE", &ed25519);
    insta::assert_json_snapshot!("keys_upload_body", redact(body));

    // The same request comes back until it is acknowledged, then nothing more is needed.
    assert_eq!(alice.machine.outgoing_requests().unwrap(), requests);
    server.answer(&mut alice, requests);
    assert!(alice.machine.outgoing_requests().unwrap().is_empty());
}

#[test]
fn one_time_keys_are_topped_up_and_their_ids_never_reused() {
    let mut server = Homeserver::new();
    let mut alice = Client::new("@alice:example.org", "ALICE");
    server.flush(&mut alice);
    // Ten keys get claimed; the next sync reports 15 left, so 10 new ones go up, with new ids (the
    // test server refuses a reused id).
    let key = ("@alice:example.org".to_owned(), "ALICE".to_owned());
    for _ in 0..10 {
        server.one_time_keys.get_mut(&key).unwrap().pop_first();
    }
    let changes = server.sync_changes("@alice:example.org", "ALICE");
    alice.machine.receive_sync_changes(changes, 1).unwrap();
    let requests = alice.machine.outgoing_requests().unwrap();
    let Request::KeysUpload { body } = &requests[0].request else { panic!() };
    assert_eq!(body["one_time_keys"].as_object().unwrap().len(), 10);
    assert!(body.get("device_keys").is_none(), "device keys are uploaded once");
    assert!(body.get("fallback_keys").is_none(), "the fallback key is unused");
    server.answer(&mut alice, requests);
    assert_eq!(server.one_time_keys[&key].len(), 25);
}

#[test]
fn device_queries_verify_keys_and_flag_new_devices() {
    let mut server = Homeserver::new();
    let (mut alice, _bob1, _bob2) = common::alice_and_bob(&mut server);
    let devices = alice.machine.devices("@bob:example.org");
    assert_eq!(devices.iter().map(|device| device.device_id.as_str()).collect::<Vec<_>>(), ["BOB1", "BOB2"]);
    assert!(devices.iter().all(|device| !device.is_new), "the first fetch is not news");

    let mut bob3 = Client::new("@bob:example.org", "BOB3");
    server.flush(&mut bob3);
    let changes = server.sync_changes("@alice:example.org", "ALICE");
    assert_eq!(changes.changed_devices, ["@bob:example.org"]);
    alice.machine.receive_sync_changes(changes, 5_000).unwrap();
    let requests = alice.machine.outgoing_requests().unwrap();
    assert!(matches!(&requests[0].request, Request::KeysQuery { users } if users == &["@bob:example.org"]));
    insta::assert_json_snapshot!("keys_query_body", requests[0].request.body());
    server.answer(&mut alice, requests);
    let bob3_info = alice
        .machine
        .devices("@bob:example.org")
        .into_iter()
        .find(|device| device.device_id == "BOB3")
        .unwrap();
    assert!(bob3_info.is_new);
    assert_eq!(bob3_info.first_seen_ms, 5_000);
    alice.machine.acknowledge_device("@bob:example.org", "BOB3").unwrap();
    assert!(alice.machine.devices("@bob:example.org").iter().all(|device| !device.is_new));
}

#[test]
fn devices_with_bad_signatures_or_mismatched_ids_are_rejected() {
    let bob = Client::new("@bob:example.org", "BOB1");
    let keys = bob.machine.device_keys().unwrap();
    assert!(verify_device_keys("@bob:example.org", "BOB1", &keys).is_ok());

    let mut tampered = keys.clone();
    tampered["algorithms"] = json!(["m.olm.v1.curve25519-aes-sha2"]);
    let error = verify_device_keys("@bob:example.org", "BOB1", &tampered).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidDeviceKeys { reason, .. } if reason.contains("self-signature")),
        "{error}"
    );

    let error = verify_device_keys("@mallory:example.org", "BOB1", &keys).unwrap_err();
    assert!(error.to_string().contains("user id"), "{error}");
    let error = verify_device_keys("@bob:example.org", "OTHER", &keys).unwrap_err();
    assert!(error.to_string().contains("device id"), "{error}");

    // Unsigned data may change without breaking the signature.
    let mut renamed = keys;
    renamed["unsigned"] = json!({ "device_display_name": "Bob's phone" });
    assert_eq!(
        verify_device_keys("@bob:example.org", "BOB1", &renamed).unwrap().display_name.as_deref(),
        Some("Bob's phone")
    );

    // A query response with a forged device leaves it out.
    let mut server = Homeserver::new();
    let (mut alice, _bob1, _bob2) = common::alice_and_bob(&mut server);
    server.device_keys.get_mut("@bob:example.org").unwrap().insert("FORGED".to_owned(), tampered);
    server
        .changed
        .entry(("@alice:example.org".to_owned(), "ALICE".to_owned()))
        .or_default()
        .insert("@bob:example.org".to_owned());
    server.sync(&mut alice, 1);
    assert!(alice.machine.devices("@bob:example.org").iter().all(|device| device.device_id != "FORGED"));
}

#[test]
fn a_used_fallback_key_is_rotated_under_a_new_id() {
    let mut server = Homeserver::new();
    let mut bob = Client::new("@bob:example.org", "BOB1");
    server.flush(&mut bob);
    let key = ("@bob:example.org".to_owned(), "BOB1".to_owned());
    let first_id = server.fallback_keys[&key].0.clone();
    server.fallback_keys.get_mut(&key).unwrap().2 = true;
    server.sync(&mut bob, 1);
    let (second_id, _, used) = server.fallback_keys[&key].clone();
    assert!(!used);
    assert_ne!(first_id, second_id);
    // Nothing more to upload once the new one is published.
    server.sync(&mut bob, 2);
    assert_eq!(server.fallback_keys[&key].0, second_id);
}
