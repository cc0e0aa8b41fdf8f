//! The messaging commands as a script would use them, against a real Synapse and the independent
//! matrix-nio peer: add an account with the password on stdin, send to a user id (a DM is
//! opened), read the peer's encrypted reply, send a file, and remove the account.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use commonplace_testkit::{NioPeer, Synapse};
use serde_json::Value;

const PICKLE_KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101";
const PATIENCE: Duration = Duration::from_secs(40);

fn cli(data: &Path, args: &[&str], stdin: Option<&str>, pickle_key: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commonplace-cli"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("COMMONPLACE_LIBRARY")
        .env_remove("COMMONPLACE_DATA")
        .env_remove("COMMONPLACE_PICKLE_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(key) = pickle_key {
        command.env("COMMONPLACE_PICKLE_KEY", key);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_script_adds_an_account_sends_to_nio_and_reads_the_encrypted_reply() {
    let synapse = Synapse::start().expect("start Synapse");
    let carol = synapse.register("carol", "carol-password").unwrap();
    let nio_user = synapse.register("nio", "nio-password").unwrap();
    let mut peer = NioPeer::start().expect("start nio");
    peer.login(&synapse.base_url(), "nio", &nio_user.password).expect("nio login");
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("messaging");

    // Without the pickle key the CLI says what is missing, and adds nothing.
    let refused = cli(
        &data,
        &["account", "add", &synapse.base_url(), "carol", "--password-stdin", "--json"],
        Some("carol-password\n"),
        None,
    );
    assert_eq!(refused.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(error["kind"], "invalidInput");
    assert!(error["message"].as_str().unwrap().contains("COMMONPLACE_PICKLE_KEY"), "{error}");

    let added = json(&cli(
        &data,
        &["account", "add", &synapse.base_url(), "carol", "--password-stdin", "--json"],
        Some("carol-password\n"),
        Some(PICKLE_KEY),
    ));
    assert_eq!(added["userId"], carol.user_id.as_str());
    let listed = json(&cli(&data, &["account", "list", "--json"], None, None));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["deviceId"], added["deviceId"]);

    // Send to a user id: the DM is opened, encrypted, and nio decrypts the message.
    let sent =
        json(&cli(&data, &["send", &nio_user.user_id, "hello **nio**", "--json"], None, Some(PICKLE_KEY)));
    assert_eq!(sent["status"], "sent");
    let room_id = sent["roomId"].as_str().unwrap().to_owned();
    peer.wait_for_invite(PATIENCE).expect("nio invited");
    peer.join(&room_id).expect("nio joins");
    let received = peer.wait_for_text(&room_id, "hello", PATIENCE).expect("nio decrypts");
    assert!(received.encrypted && !received.decryption_failed, "{received:?}");
    assert_eq!(received.formatted_body.as_deref(), Some("hello <strong>nio</strong>"));

    // The same DM is reused.
    let again = json(&cli(&data, &["send", &nio_user.user_id, "second", "--json"], None, Some(PICKLE_KEY)));
    assert_eq!(again["roomId"], room_id.as_str());
    peer.wait_for_text(&room_id, "second", PATIENCE).expect("nio decrypts the second");

    // nio replies; `read` syncs and shows it decrypted.
    peer.send_text(&room_id, "hello carol, from nio", None).expect("nio replies");
    let deadline = Instant::now() + PATIENCE;
    let reply = loop {
        let read = json(&cli(&data, &["read", &nio_user.user_id, "--json"], None, Some(PICKLE_KEY)));
        assert_eq!(read["roomId"], room_id.as_str());
        if let Some(reply) = read["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|message| message["body"] == "hello carol, from nio")
        {
            break reply.clone();
        }
        assert!(Instant::now() < deadline, "the reply never arrived: {read}");
        std::thread::sleep(Duration::from_millis(300));
    };
    assert_eq!(reply["encrypted"], true);
    assert_eq!(reply["sender"], nio_user.user_id.as_str());
    assert!(reply.get("undecryptableReason").is_none(), "{reply}");
    let text = cli(&data, &["read", &nio_user.user_id], None, Some(PICKLE_KEY));
    assert!(String::from_utf8_lossy(&text.stdout).contains("[encrypted] hello carol, from nio"));

    let rooms = json(&cli(&data, &["rooms", "--json"], None, Some(PICKLE_KEY)));
    let room = rooms.as_array().unwrap().iter().find(|room| room["roomId"] == room_id.as_str()).unwrap();
    assert_eq!(room["encrypted"], true);
    assert_eq!(room["directWith"], nio_user.user_id.as_str());

    // A file, encrypted, which nio downloads and decrypts.
    let file = folder.path().join("plan.txt");
    std::fs::write(&file, b"Lesson plan: fractions.").unwrap();
    let sent_file = json(&cli(
        &data,
        &["send-file", &nio_user.user_id, file.to_str().unwrap(), "--json"],
        None,
        Some(PICKLE_KEY),
    ));
    let event_id = sent_file["eventId"].as_str().unwrap().to_owned();
    let message = peer
        .wait_for_message(&room_id, PATIENCE, |message| message.event_id == event_id)
        .expect("nio sees the file");
    assert_eq!(peer.download(&message).expect("download"), b"Lesson plan: fractions.");

    let session = std::fs::read_to_string(data.join("accounts/_40carol_3alocalhost/session.json")).unwrap();
    assert!(session.contains("sealed_access_token") && !session.contains("syt_"), "the token is sealed");
    let removed = json(&cli(&data, &["account", "remove", "carol", "--json"], None, Some(PICKLE_KEY)));
    assert_eq!(removed["signedOutOnHomeserver"], true);
    assert_eq!(json(&cli(&data, &["account", "list", "--json"], None, None)), serde_json::json!([]));
}
