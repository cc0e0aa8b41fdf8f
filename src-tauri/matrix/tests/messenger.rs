//! The [`Messenger`] as the app uses it, against a real Synapse and the independent nio peer: the
//! keys unlocked with a passphrase, an account added, a DM opened and a message sent while the
//! background sync loop runs, and the peer's reply arriving through that loop with a notification
//! naming the room — without anyone calling sync by hand.

mod accounts;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commonplace_matrix::{
    ConnectionState, LockState, Messenger, Notification, NotificationSettings, NotifyLevel, SendOutcome,
};

use accounts::{PATIENCE, nio, shared_synapse, unique};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_loop_brings_a_reply_and_tells_the_listener() {
    let synapse = shared_synapse();
    let data = tempfile::tempdir().unwrap();
    let heard: Arc<Mutex<Vec<Notification>>> = Arc::default();
    let listener = {
        let heard = Arc::clone(&heard);
        Arc::new(move |notification| heard.lock().unwrap().push(notification))
    };
    let messenger = Messenger::new(data.path(), listener);
    assert_eq!(messenger.lock_state(), LockState::NotSetUp);
    assert!(messenger.add_account(&synapse.base_url(), "x", "y").await.is_err(), "locked: nothing is added");
    messenger.unlock("a passphrase for the test").unwrap();
    assert_eq!(messenger.lock_state(), LockState::Unlocked);

    let user = synapse.register(&unique("teacher"), "password-1").unwrap();
    let status = messenger.add_account(&synapse.base_url(), &user.localpart, &user.password).await.unwrap();
    assert_eq!(status.entry.user_id, user.user_id);
    let (mut peer, peer_user) = nio(synapse, "nio");

    let room = messenger.open_direct(&user.user_id, &peer_user.user_id).await.unwrap();
    assert!(room.encrypted);
    assert_eq!(room.direct_with.as_deref(), Some(peer_user.user_id.as_str()));
    peer.wait_for_invite(PATIENCE).expect("nio invited");
    peer.join(&room.room_id).expect("nio joins");

    // The loop comes online by itself; nobody calls sync here.
    let deadline = Instant::now() + PATIENCE;
    while !messenger.rooms(&user.user_id).await.unwrap().iter().any(|known| known.room_id == room.room_id)
        || messenger.accounts().await.unwrap()[0].connection != ConnectionState::Online
    {
        assert!(Instant::now() < deadline, "the loop never came online");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let sent = messenger.send_text(&user.user_id, &room.room_id, "hello from the *app*").await.unwrap();
    assert!(matches!(sent, SendOutcome::Sent { .. }), "{sent:?}");
    let received = peer.wait_for_text(&room.room_id, "hello from the", PATIENCE).expect("nio decrypts");
    assert!(received.encrypted && !received.decryption_failed, "{received:?}");

    peer.send_text(&room.room_id, "a reply from nio", None).expect("nio replies");
    let deadline = Instant::now() + PATIENCE;
    let reply = loop {
        let messages = messenger.messages(&user.user_id, &room.room_id, 50).await.unwrap();
        if let Some(reply) =
            messages.into_iter().find(|event| event.body.as_deref() == Some("a reply from nio"))
        {
            break reply;
        }
        assert!(Instant::now() < deadline, "the loop never brought the reply");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(reply.encrypted && reply.undecryptable_reason.is_none(), "{reply:?}");
    let heard_so_far = heard.lock().unwrap().clone();
    assert!(
        heard_so_far.iter().any(|notification| notification.user_id == user.user_id
            && notification.rooms.contains(&room.room_id)
            && notification.connection == ConnectionState::Online),
        "the listener heard of the room: {heard_so_far:?}"
    );

    let notified =
        |text: &str| {
            heard.lock().unwrap().iter().any(|notification| {
                notification.notify.iter().any(|event| event.body.as_deref() == Some(text))
            })
        };
    assert!(notified("a reply from nio"), "a new message from someone else is notified");
    assert!(!notified("hello from the *app*"), "never one's own");

    // Turned off for this conversation: a message arrives, and nobody is disturbed.
    messenger
        .change_notifications(|settings| settings.set_level(&user.user_id, &room.room_id, NotifyLevel::Off))
        .unwrap();
    peer.send_text(&room.room_id, "quiet please", None).expect("nio sends");
    let deadline = Instant::now() + PATIENCE;
    while !messenger
        .messages(&user.user_id, &room.room_id, 50)
        .await
        .unwrap()
        .iter()
        .any(|event| event.body.as_deref() == Some("quiet please"))
    {
        assert!(Instant::now() < deadline, "the message never arrived");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(!notified("quiet please"));
    assert_eq!(
        NotificationSettings::load(data.path()).unwrap().level(&user.user_id, &room.room_id),
        NotifyLevel::Off,
        "saved"
    );

    // Who can read it: nio, with the device it signed in with; and the text is searchable here.
    let readers = messenger.readers(&user.user_id, &room.room_id).await.unwrap();
    let nio_reader = readers.iter().find(|reader| reader.user_id == peer_user.user_id).expect("nio reads it");
    assert_eq!(nio_reader.devices.len(), 1, "{readers:?}");
    assert!(!nio_reader.devices[0].is_new, "the first devices seen of someone are not flagged");
    let found = messenger.search(&user.user_id, "reply", 10).await.unwrap();
    assert!(found.iter().any(|event| event.body.as_deref() == Some("a reply from nio")), "{found:?}");
    assert!(messenger.readers(&user.user_id, "!nowhere:localhost").await.is_err());

    // nio signs in on a second device: it is flagged new until the person has seen it.
    let mut second = commonplace_testkit::NioPeer::start().expect("a second nio");
    second.login(&synapse.base_url(), &peer_user.localpart, &peer_user.password).expect("second login");
    let deadline = Instant::now() + PATIENCE;
    let new_device = loop {
        let readers = messenger.readers(&user.user_id, &room.room_id).await.unwrap();
        let devices = readers.into_iter().find(|reader| reader.user_id == peer_user.user_id).unwrap().devices;
        if let Some(device) = devices.iter().find(|device| device.is_new) {
            break device.device_id.clone();
        }
        assert!(Instant::now() < deadline, "the new device was never seen: {devices:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    messenger.acknowledge_device(&user.user_id, &peer_user.user_id, &new_device).await.unwrap();
    let readers = messenger.readers(&user.user_id, &room.room_id).await.unwrap();
    assert!(readers.iter().flat_map(|reader| &reader.devices).all(|device| !device.is_new), "{readers:?}");
    drop(second);

    // A file with extra content fields (a resource card): nio sees the fields and the file.
    let file = data.path().join("Fractions.commonplace");
    std::fs::write(&file, b"PK bundle bytes").unwrap();
    let mut extra = serde_json::Map::new();
    extra.insert("org.commonplace.resource".into(), serde_json::json!({"version": 1, "title": "Fractions"}));
    let sent = messenger.send_file(&user.user_id, &room.room_id, &file, extra).await.unwrap();
    let SendOutcome::Sent { event_id, .. } = sent else { panic!("{sent:?}") };
    let message =
        peer.wait_for_message(&room.room_id, PATIENCE, |message| message.event_id == event_id).unwrap();
    let content = message.content.clone().expect("the content");
    assert_eq!(content["org.commonplace.resource"]["title"], "Fractions");
    assert!(content.get("file").is_some(), "encrypted in an encrypted room: {content}");
    assert_eq!(peer.download(&message).unwrap(), b"PK bundle bytes");

    // And one from nio comes down through the messenger, decrypted.
    let from_nio = data.path().join("from-nio.txt");
    std::fs::write(&from_nio, b"notes from nio").unwrap();
    let sent = peer.send_file_with(&room.room_id, &from_nio, serde_json::json!({"org.example": 1})).unwrap();
    let deadline = Instant::now() + PATIENCE;
    while messenger.message(&user.user_id, &sent.event_id).await.is_err() {
        assert!(Instant::now() < deadline, "the file never arrived");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let downloaded = data.path().join("downloaded.txt");
    messenger.download(&user.user_id, &sent.event_id, &downloaded).await.unwrap();
    assert_eq!(std::fs::read(&downloaded).unwrap(), b"notes from nio");

    // An image we send comes back from our own timeline as its decrypted bytes, within a limit.
    let picture = data.path().join("diagram.png");
    let png_bytes: &[u8] = b"\x89PNG\r\n\x1a\n not a real picture, only bytes to carry";
    std::fs::write(&picture, png_bytes).unwrap();
    let sent =
        messenger.send_file(&user.user_id, &room.room_id, &picture, serde_json::Map::new()).await.unwrap();
    let SendOutcome::Sent { event_id: image_event, .. } = sent else { panic!("{sent:?}") };
    let deadline = Instant::now() + PATIENCE;
    let (event, bytes) = loop {
        if let Ok(found) = messenger.attachment(&user.user_id, &image_event, 1024).await {
            break found;
        }
        assert!(Instant::now() < deadline, "our own image never came back through sync");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(event.msgtype.as_deref(), Some("m.image"));
    assert_eq!(bytes, png_bytes);
    assert!(messenger.attachment(&user.user_id, &image_event, 8).await.is_err(), "larger than the limit");

    // A group conversation: encrypted from the start, with the people invited.
    let group = messenger
        .create_group(&user.user_id, "Year 9 team", std::slice::from_ref(&peer_user.user_id))
        .await
        .unwrap();
    assert!(group.encrypted && group.name.as_deref() == Some("Year 9 team"), "{group:?}");
    assert!(
        messenger.create_group(&user.user_id, "Nobody", &["bo".to_owned()]).await.is_err(),
        "not a user id"
    );
    peer.wait_for_invite(PATIENCE).expect("nio invited to the group");
    peer.join(&group.room_id).expect("nio joins the group");
    messenger.send_text(&user.user_id, &group.room_id, "welcome to the team").await.unwrap();
    let welcome = peer.wait_for_text(&group.room_id, "welcome to the team", PATIENCE).expect("nio decrypts");
    assert!(welcome.encrypted && !welcome.decryption_failed, "{welcome:?}");

    messenger.remove_account(&user.user_id).await.unwrap();
    assert!(messenger.accounts().await.unwrap().is_empty());
}
