//! Latency of one encrypted message through the local Synapse, from the sender's send to the
//! moment the receiver has it decrypted: two Commonplace accounts against two matrix-nio (libolm)
//! clients doing the same exchange in the same run. Budget: ours at most 1.0× nio's median.
//! Run with `cargo xtask bench` (it makes the virtualenv with Synapse and nio first).
//!
//! Both receivers are already long-polling when the message is sent, so what is measured is the
//! send (encryption, the PUT), Synapse waking the poll, and the decryption. The nio side is driven
//! through its JSON pipe, which adds well under a millisecond per call on this machine.

#[path = "../tests/accounts/mod.rs"]
mod accounts;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use accounts::{PATIENCE, commonplace, membership, nio, sync_until, unique};
use commonplace_messaging::Membership;
use commonplace_testkit::Synapse;

const WARM_UP: usize = 3;
const MESSAGES: usize = 20;

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile_90(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[(samples.len() * 9 / 10).min(samples.len() - 1)]
}

/// Commonplace to Commonplace: the receiver runs its own sync loop and reports each body it
/// decrypts, with the time it saw it.
async fn ours(synapse: &Synapse) -> Vec<Duration> {
    let data = tempfile::tempdir().expect("temporary folder");
    let (mut sender, _) = commonplace(synapse, &data.path().join("a"), "sender").await;
    let (mut receiver, receiver_user) = commonplace(synapse, &data.path().join("b"), "receiver").await;
    let room_id = sender.open_dm(&receiver_user.user_id).await.expect("open dm");
    receiver.set_auto_join(true);
    sync_until(&mut receiver, "the invitation", |account| {
        account
            .rooms()
            .expect("rooms")
            .iter()
            .any(|room| room.room_id == room_id && room.membership == Membership::Join)
    })
    .await;
    let receiver_id = receiver_user.user_id.clone();
    sync_until(&mut sender, "the receiver to join", |account| {
        membership(account, &room_id, &receiver_id) == Some(Membership::Join)
    })
    .await;

    let (seen_sender, seen) = mpsc::channel::<(String, Instant)>();
    let watched_room = room_id.clone();
    let watcher = tokio::spawn(async move {
        let mut reported = 0usize;
        while reported < WARM_UP + MESSAGES {
            receiver.sync_once(Duration::from_secs(30)).await.expect("receiver sync");
            let events = receiver.read(&watched_room, 200).expect("read");
            for event in events.iter().skip(reported) {
                if let Some(body) = &event.body {
                    let _ = seen_sender.send((body.clone(), Instant::now()));
                }
            }
            reported = events.len();
        }
    });

    let mut samples = Vec::new();
    for index in 0..WARM_UP + MESSAGES {
        let body = format!("latency probe {index}");
        let started = Instant::now();
        sender.send_text(&room_id, &body).await.expect("send");
        let arrived = loop {
            let (seen_body, at) = seen.recv_timeout(PATIENCE).expect("the receiver decrypts it");
            if seen_body == body {
                break at;
            }
        };
        if index >= WARM_UP {
            samples.push(arrived.saturating_duration_since(started));
        }
    }
    watcher.await.expect("the receiver's loop");
    samples
}

/// nio to nio: the receiver waits (long-polling) on a thread of its own while the sender sends.
fn theirs(synapse: &Synapse) -> Vec<Duration> {
    let (mut sender, _) = nio(synapse, "nio-sender");
    let (mut receiver, receiver_user) = nio(synapse, "nio-receiver");
    let room_id = sender.create_dm(&receiver_user.user_id).expect("nio dm");
    receiver.wait_for_invite(PATIENCE).expect("invited");
    receiver.join(&room_id).expect("join");
    sender.wait_for_member(&room_id, &receiver_user.user_id, PATIENCE).expect("member");

    let mut samples = Vec::new();
    for index in 0..WARM_UP + MESSAGES {
        let body = format!("latency probe {index}");
        let (ready_sender, ready) = mpsc::channel();
        let waiting_room = room_id.clone();
        let waiting_body = body.clone();
        let waiting = std::thread::spawn(move || {
            let _ = ready_sender.send(());
            let message =
                receiver.wait_for_text(&waiting_room, &waiting_body, PATIENCE).expect("nio decrypts");
            assert!(message.encrypted && !message.decryption_failed, "{message:?}");
            (receiver, Instant::now())
        });
        ready.recv().expect("the receiver is waiting");
        // Let the receiver's long poll reach Synapse, as ours is already polling.
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        sender.send_text(&room_id, &body, None).expect("nio sends");
        let (back, arrived) = waiting.join().expect("the receiver thread");
        receiver = back;
        if index >= WARM_UP {
            samples.push(arrived.saturating_duration_since(started));
        }
    }
    samples
}

fn main() {
    let synapse = Synapse::start().expect("start Synapse");
    let _ = unique("warm");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut ours = runtime.block_on(ours(&synapse));
    let mut theirs = theirs(&synapse);
    let (our_median, their_median) = (median(&mut ours), median(&mut theirs));
    println!(
        "latency: send → decrypted at the peer, {MESSAGES} messages: Commonplace median {:.1} ms (p90 {:.1} ms), \
         matrix-nio median {:.1} ms (p90 {:.1} ms); ratio {:.2} (budget ≤ 1.0)",
        our_median.as_secs_f64() * 1000.0,
        percentile_90(&mut ours).as_secs_f64() * 1000.0,
        their_median.as_secs_f64() * 1000.0,
        percentile_90(&mut theirs).as_secs_f64() * 1000.0,
        our_median.as_secs_f64() / their_median.as_secs_f64(),
    );
}
