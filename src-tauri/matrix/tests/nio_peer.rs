//! The independent peer does real end-to-end encryption: one nio peer sends in an encrypted direct
//! chat, another decrypts, a third party on the wire (our client) sees only Megolm ciphertext, and
//! a restarted peer keeps its keys.

mod common;

use commonplace_matrix::{Client, LoginRequest, MessagesRequest};
use commonplace_testkit::{NioPeer, Synapse};

use common::PATIENCE;

#[tokio::test]
async fn nio_peers_exchange_encrypted_messages_and_attachments() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = synapse.register("alice", "alice-password").unwrap();
    let bob = synapse.register("bob", "bob-password").unwrap();
    let mut sender = NioPeer::start().expect("start nio");
    let mut receiver = NioPeer::start().expect("start nio");
    let sender_identity = sender.login(&synapse.base_url(), "alice", &alice.password).expect("login alice");
    let receiver_identity = receiver.login(&synapse.base_url(), "bob", &bob.password).expect("login bob");
    assert!(sender_identity.curve25519.is_some() && sender_identity.ed25519.is_some());

    let room_id = sender.create_dm(&bob.user_id).expect("create dm");
    receiver.wait_for_invite(PATIENCE).expect("invite");
    receiver.join(&room_id).expect("join");
    sender.wait_for_member(&room_id, &bob.user_id, PATIENCE).expect("bob joined");
    assert!(sender.trust_all_devices().expect("trust") >= 1);

    sender.send_text(&room_id, "the secret plan", Some("the <b>secret</b> plan")).expect("send");
    let message = receiver.wait_for_text(&room_id, "secret plan", PATIENCE).expect("decrypts");
    assert!(message.encrypted && !message.decryption_failed, "{message:?}");
    assert_eq!(message.sender, alice.user_id);
    assert_eq!(message.formatted_body.as_deref(), Some("the <b>secret</b> plan"));

    // On the wire the homeserver holds only ciphertext.
    let observer = Client::new(&synapse.base_url()).unwrap();
    let session = observer.login(&LoginRequest::password("bob", bob.password.as_str())).await.unwrap();
    let observer = observer.with_session(session);
    let page = observer.messages(&room_id, &MessagesRequest::default()).await.expect("messages");
    let wire = page.chunk.iter().find(|event| event["event_id"] == message.event_id.as_str()).expect("event");
    assert_eq!(wire["type"], "m.room.encrypted");
    assert_eq!(wire["content"]["algorithm"], "m.megolm.v1.aes-sha2");
    assert!(!wire.to_string().contains("secret plan"));

    // An encrypted attachment: the content on the server is ciphertext, the peer decrypts it.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("lesson-plan.txt");
    let content = b"Lesson plan: photosynthesis, 45 minutes.".repeat(50);
    std::fs::write(&path, &content).unwrap();
    let sent = sender.send_file(&room_id, &path).expect("send file");
    let file_message = receiver
        .wait_for_message(&room_id, PATIENCE, |message| message.event_id == sent.event_id)
        .expect("file");
    let file = file_message.file.clone().expect("a file message");
    assert!(file.key.is_some() && file.iv.is_some(), "{file:?}");
    assert_eq!(receiver.download(&file_message).expect("download"), content);

    let mut raw = Vec::new();
    let uri = commonplace_matrix::ContentUri::parse(&sent.url).unwrap();
    observer.download(&uri, &mut raw, 1_000_000).await.expect("raw download");
    assert_eq!(raw.len(), content.len(), "AES-CTR keeps the length");
    assert_ne!(raw, content, "the stored attachment is encrypted");

    // A restarted peer is the same device and still decrypts.
    receiver.restart().expect("restart");
    assert_eq!(receiver.whoami().expect("whoami").device_id, receiver_identity.device_id);
    sender.send_text(&room_id, "after the restart", None).expect("send again");
    let later =
        receiver.wait_for_text(&room_id, "after the restart", PATIENCE).expect("decrypts after restart");
    assert!(later.encrypted && !later.decryption_failed);
}
