//! Backfill: decrypting 10,000 Megolm events of one room in pages of 100, as the timeline does
//! when a teacher scrolls back, through a SQLite store (the replay index is written per page).
//! Budget: at most 1 s of CPU. Run with `cargo bench --bench backfill`.

use std::time::Instant;

use commonplace_messaging::{Machine, MemoryStore, PickleKey, Request, SqliteStore, SyncChanges};
use serde_json::{Value, json};

const ROOM: &str = "!bench:example.org";
const EVENTS: usize = 10_000;

fn cpu_seconds() -> f64 {
    // CPU time of this process from /proc (Linux); wall time elsewhere is close enough on an idle
    // machine, and this bench is for our Linux CI.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let directory = tempfile::tempdir()?;
    let key = PickleKey::from_bytes([9; 32]);
    let mut alice = Machine::new("@alice:x", "A", Box::new(MemoryStore::new()), key.clone())?;
    let mut bob =
        Machine::new("@bob:x", "B", Box::new(SqliteStore::open(directory.path().join("bob.sqlite"))?), key)?;

    // Minimal key exchange by hand: Bob's keys to Alice, a claim, the room key to Bob.
    let mut bob_upload = Value::Null;
    for request in bob.outgoing_requests()? {
        if let Request::KeysUpload { body } = &request.request {
            bob_upload = body.clone();
        }
        bob.mark_request_as_sent(
            &request.request_id,
            &json!({"one_time_key_counts": {"signed_curve25519": 25}}),
        )?;
    }
    for request in alice.outgoing_requests()? {
        alice.mark_request_as_sent(
            &request.request_id,
            &json!({"one_time_key_counts": {"signed_curve25519": 25}}),
        )?;
    }
    alice.update_tracked_users(["@bob:x"])?;
    for request in alice.outgoing_requests()? {
        let response = json!({"device_keys": {"@bob:x": {"B": bob_upload["device_keys"]}}});
        alice.mark_request_as_sent(&request.request_id, &response)?;
    }
    let one_time_key =
        bob_upload["one_time_keys"].as_object().and_then(|keys| keys.iter().next()).ok_or("no key")?;
    let mut to_bob = Vec::new();
    for request in alice.share_room_key(ROOM, &["@alice:x", "@bob:x"], 0)? {
        let response = json!({"one_time_keys": {"@bob:x": {"B": {one_time_key.0.clone(): one_time_key.1}}}});
        alice.mark_request_as_sent(&request.request_id, &response)?;
    }
    for request in alice.outgoing_requests()? {
        if let Request::ToDevice { messages, event_type, .. } = &request.request {
            to_bob
                .push(json!({"type": event_type, "sender": "@alice:x", "content": messages["@bob:x"]["B"]}));
        }
    }
    bob.receive_sync_changes(
        SyncChanges { to_device_events: to_bob, next_batch: "s1".to_owned(), ..Default::default() },
        0,
    )?;

    let mut events = Vec::with_capacity(EVENTS);
    for number in 0..EVENTS {
        if number % 100 == 0 {
            // Room keys rotate every 100 messages: share again (Bob already has a session).
            for request in alice.share_room_key(ROOM, &["@alice:x", "@bob:x"], 0)? {
                if let Request::ToDevice { messages, event_type, .. } = &request.request {
                    let event =
                        json!({"type": event_type, "sender": "@alice:x", "content": messages["@bob:x"]["B"]});
                    bob.receive_sync_changes(
                        SyncChanges {
                            to_device_events: vec![event],
                            next_batch: format!("k{number}"),
                            ..Default::default()
                        },
                        0,
                    )?;
                }
                alice.mark_request_as_sent(&request.request_id, &json!({}))?;
            }
        }
        let content = alice.encrypt_room_event(
            ROOM,
            "m.room.message",
            &json!({"msgtype": "m.text", "body": format!("message {number}")}),
            0,
        )?;
        events.push(json!({"event_id": format!("${number}"), "sender": "@alice:x", "type": "m.room.encrypted", "content": content}));
    }

    let cpu_before = cpu_seconds();
    let wall = Instant::now();
    let mut decrypted = 0;
    for page in events.chunks(100) {
        decrypted += bob.decrypt_room_events(ROOM, page)?.into_iter().filter(Result::is_ok).count();
    }
    let cpu = cpu_seconds() - cpu_before;
    let elapsed = wall.elapsed();
    println!(
        "backfill: decrypted {decrypted}/{EVENTS} Megolm events in {:.3} s CPU ({:.3} s wall, {:.1} µs/event); budget 1 s CPU",
        cpu,
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / EVENTS as f64
    );
    if decrypted != EVENTS {
        return Err("not every event decrypted".into());
    }
    if cpu > 1.0 {
        return Err(format!("over budget: {cpu:.3} s CPU").into());
    }
    Ok(())
}
