//! The [`Messenger`] as the app uses it, against a real Synapse and the independent nio peer: the
//! keys unlocked with a passphrase, an account added, a DM opened and a message sent while the
//! background sync loop runs, and the peer's reply arriving through that loop with a notification
//! naming the room — without anyone calling sync by hand.

mod accounts;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commonplace_matrix::{ConnectionState, LockState, Messenger, Notification, SendOutcome};

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
    let heard = heard.lock().unwrap().clone();
    assert!(
        heard.iter().any(|notification| notification.user_id == user.user_id
            && notification.rooms.contains(&room.room_id)
            && notification.connection == ConnectionState::Online),
        "the listener heard of the room: {heard:?}"
    );

    messenger.remove_account(&user.user_id).await.unwrap();
    assert!(messenger.accounts().await.unwrap().is_empty());
}
