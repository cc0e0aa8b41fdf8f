//! Commonplace accounts against the independent libolm peer (matrix-nio 0.25.2), in both
//! directions: text and Markdown, attachments, and a restart of either side.

mod accounts;

use std::time::Instant;

use commonplace_matrix::{Account, SendOutcome};

use accounts::{PATIENCE, commonplace, dm_with_nio, nio, pickle_key, shared_synapse, wait_for_text};

#[tokio::test]
async fn text_and_markdown_go_both_ways_with_nio_and_survive_restarts() {
    let started = Instant::now();
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");
    let room_id = dm_with_nio(&mut alice, &mut peer, &peer_user).await;
    assert!(alice.timeline().room(&room_id).unwrap().unwrap().encrypted);

    // Commonplace → nio: plain text, then Markdown with its sanitised HTML.
    let sent = alice.send_text(&room_id, "hello nio").await.expect("send");
    assert!(matches!(sent, SendOutcome::Sent { .. }), "{sent:?}");
    let received = peer.wait_for_text(&room_id, "hello nio", PATIENCE).expect("nio decrypts");
    assert!(received.encrypted && !received.decryption_failed, "{received:?}");
    assert_eq!(received.sender, alice_user.user_id);
    alice.send_text(&room_id, "the **secret** plan <script>x</script>").await.expect("send markdown");
    let received = peer.wait_for_text(&room_id, "secret", PATIENCE).expect("nio decrypts markdown");
    assert_eq!(received.formatted_body.as_deref(), Some("the <strong>secret</strong> plan"));

    // nio → Commonplace.
    peer.send_text(&room_id, "hi alice, from libolm", None).expect("nio sends");
    let reply = wait_for_text(&mut alice, &room_id, "from libolm").await;
    assert!(reply.encrypted, "{reply:?}");
    assert_eq!(reply.sender, peer_user.user_id);
    assert_eq!(reply.undecryptable_reason, None);
    // Our own messages are in our timeline too, decrypted with our own copy of the key.
    let own = accounts::find_text(&alice, &room_id, "hello nio").expect("own message");
    assert!(own.encrypted && own.sender == alice_user.user_id);
    assert_eq!(alice.search("libolm", 10).unwrap().len(), 1);
    // The same DM is reused.
    assert_eq!(alice.open_dm(&peer_user.user_id).await.unwrap(), room_id);

    // Our side restarts: the same device and keys, and the conversation goes on.
    let device_id = alice.device_id().to_owned();
    let keys = alice.identity_keys();
    drop(alice);
    let mut alice = Account::open(data.path(), Some(&alice_user.user_id), pickle_key()).expect("reopen");
    assert_eq!(alice.device_id(), device_id);
    assert_eq!(alice.identity_keys(), keys);
    alice.send_text(&room_id, "after our restart").await.expect("send after restart");
    peer.wait_for_text(&room_id, "after our restart", PATIENCE).expect("nio decrypts after our restart");

    // nio restarts.
    peer.restart().expect("restart nio");
    peer.send_text(&room_id, "after the nio restart", None).expect("nio sends after restart");
    let later = wait_for_text(&mut alice, &room_id, "after the nio restart").await;
    assert!(later.encrypted);
    alice.send_text(&room_id, "still here").await.expect("send");
    peer.wait_for_text(&room_id, "still here", PATIENCE).expect("restarted nio decrypts");
    eprintln!("text test took {:?}", started.elapsed());
}

#[tokio::test]
async fn attachments_go_both_ways_with_nio() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, _) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");
    let room_id = dm_with_nio(&mut alice, &mut peer, &peer_user).await;

    let ours = data.path().join("worksheet.txt");
    let our_bytes = b"Worksheet: fractions, 30 minutes.\n".repeat(40);
    std::fs::write(&ours, &our_bytes).unwrap();
    let SendOutcome::Sent { event_id, .. } = alice.send_file(&room_id, &ours).await.expect("send file")
    else {
        panic!("not sent")
    };
    let message = peer
        .wait_for_message(&room_id, PATIENCE, |message| message.event_id == event_id)
        .expect("nio sees the file");
    assert!(message.encrypted);
    assert!(message.file.as_ref().is_some_and(|file| file.key.is_some()), "{message:?}");
    assert_eq!(peer.download(&message).expect("nio downloads"), our_bytes);

    let theirs = data.path().join("photo-notes.bin");
    let their_bytes: Vec<u8> = (0..5000u32).map(|index| (index * 7 % 251) as u8).collect();
    std::fs::write(&theirs, &their_bytes).unwrap();
    let sent = peer.send_file(&room_id, &theirs).expect("nio sends a file");
    accounts::sync_until(&mut alice, "nio's file", |account| {
        account.timeline().event(&sent.event_id).unwrap().is_some()
    })
    .await;
    let event = alice.timeline().event(&sent.event_id).unwrap().unwrap();
    assert!(event.encrypted && event.msgtype.as_deref() == Some("m.file"), "{event:?}");
    let saved = data.path().join("saved.bin");
    let size = alice.download_attachment(&sent.event_id, &saved).await.expect("download");
    assert_eq!(size, their_bytes.len() as u64);
    assert_eq!(std::fs::read(&saved).unwrap(), their_bytes);
}

#[tokio::test]
async fn a_dm_nio_starts_is_accepted_when_asked_and_reused() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let (mut alice, alice_user) = commonplace(synapse, data.path(), "alice").await;
    let (mut peer, peer_user) = nio(synapse, "nio");
    let room_id = peer.create_dm(&alice_user.user_id).expect("nio opens a DM");

    // Without auto-join an invitation is only reported.
    accounts::sync_until(&mut alice, "the invitation", |alice| {
        alice.timeline().room(&room_id).unwrap().is_some()
    })
    .await;
    let room = alice.timeline().room(&room_id).unwrap().unwrap();
    assert_eq!(room.membership, commonplace_messaging::Membership::Invite);
    let report = alice.sync_once(std::time::Duration::ZERO).await.expect("sync");
    assert_eq!(report.invites, std::slice::from_ref(&room_id));

    alice.set_auto_join(true);
    accounts::sync_until(&mut alice, "joining", |alice| {
        alice
            .timeline()
            .room(&room_id)
            .unwrap()
            .is_some_and(|room| room.membership == commonplace_messaging::Membership::Join && room.encrypted)
    })
    .await;
    // nio's invitation said "direct": it is our DM with nio now, in m.direct too.
    assert_eq!(alice.find_dm(&peer_user.user_id).unwrap().as_deref(), Some(room_id.as_str()));
    assert_eq!(alice.open_dm(&peer_user.user_id).await.unwrap(), room_id);

    peer.wait_for_member(&room_id, &alice_user.user_id, PATIENCE).expect("alice joined");
    peer.send_text(&room_id, "welcome to my DM", None).expect("nio sends");
    let message = wait_for_text(&mut alice, &room_id, "welcome to my DM").await;
    assert!(message.encrypted && message.undecryptable_reason.is_none(), "{message:?}");
    alice.send_text(&room_id, "thanks, nio").await.expect("reply");
    let reply = peer.wait_for_text(&room_id, "thanks, nio", PATIENCE).expect("nio decrypts");
    assert!(reply.encrypted && !reply.decryption_failed);
}
