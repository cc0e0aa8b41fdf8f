//! `verify` as two people would run it on their own machines, against a real Synapse: one starts
//! with the other's device, the other waits with `--incoming`; both see the same emoji and end
//! verified. Then one answers "n": both end cancelled with `m.mismatched_sas`, exit code 1.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use commonplace_testkit::Synapse;
use serde_json::Value;

const PICKLE_KEY: &str = "0202020202020202020202020202020202020202020202020202020202020202";

fn spawn(data: &Path, args: &[&str], stdin: &str) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_commonplace-cli"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("COMMONPLACE_LIBRARY")
        .env_remove("COMMONPLACE_DATA")
        .env("COMMONPLACE_PICKLE_KEY", PICKLE_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Adds an account for a new user in `data`; returns the user id and the device id.
fn add_account(synapse: &Synapse, data: &Path, name: &str) -> (String, String) {
    let user = synapse.register(name, "password-1").unwrap();
    let output = spawn(
        data,
        &["account", "add", &synapse.base_url(), name, "--password-stdin", "--json"],
        "password-1\n",
    )
    .wait_with_output()
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let added = json(&output);
    assert_eq!(added["userId"], user.user_id.as_str());
    (user.user_id, added["deviceId"].as_str().unwrap().to_owned())
}

#[test]
fn two_people_verify_each_others_device_from_the_command_line() {
    let synapse = Synapse::start().expect("start Synapse");
    let folder = tempfile::tempdir().unwrap();
    let carol_data = folder.path().join("carol");
    let dave_data = folder.path().join("dave");
    let (carol, carol_device) = add_account(&synapse, &carol_data, "carol");
    let (dave, dave_device) = add_account(&synapse, &dave_data, "dave");

    // Dave waits; Carol starts with Dave's only device. Both confirm without asking.
    let waiting = spawn(&dave_data, &["verify", "--incoming", "--yes", "--json", "--timeout", "60"], "");
    let starting = spawn(&carol_data, &["verify", &dave, "--yes", "--json", "--timeout", "60"], "");
    let started = starting.wait_with_output().unwrap();
    let accepted = waiting.wait_with_output().unwrap();
    let (started_out, accepted_out) = (json(&started), json(&accepted));
    assert!(started.status.success(), "{started_out}\n{}", String::from_utf8_lossy(&started.stderr));
    assert!(accepted.status.success(), "{accepted_out}\n{}", String::from_utf8_lossy(&accepted.stderr));
    assert_eq!(started_out["verified"], true);
    assert_eq!(accepted_out["verified"], true);
    assert_eq!(
        (started_out["userId"].as_str(), started_out["deviceId"].as_str()),
        (Some(dave.as_str()), Some(dave_device.as_str()))
    );
    assert_eq!(
        (accepted_out["userId"].as_str(), accepted_out["deviceId"].as_str()),
        (Some(carol.as_str()), Some(carol_device.as_str()))
    );
    assert_eq!(started_out["transactionId"], accepted_out["transactionId"]);
    assert_eq!(started_out["emojis"].as_array().map(Vec::len), Some(7));
    assert_eq!(started_out["emojis"], accepted_out["emojis"], "the same emoji on both sides");
    assert_eq!(started_out["decimals"], accepted_out["decimals"]);
    // With --json the conversation went to stderr, stdout held only the result.
    assert!(String::from_utf8_lossy(&started.stderr).contains("Compare with the other device"));

    // Again, and this time Carol says they do not match (in the human output, with its prompt).
    let waiting =
        spawn(&dave_data, &["verify", "--incoming", &carol, "--yes", "--json", "--timeout", "60"], "");
    let refusing = spawn(&carol_data, &["verify", &dave, "--device", &dave_device, "--timeout", "60"], "n\n");
    let refused = refusing.wait_with_output().unwrap();
    let accepted = waiting.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&refused.stdout);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(text.contains("Do they match? [y/N]"), "{text}");
    assert!(
        text.contains("cancelled: The short authentication strings do not match (m.mismatched_sas)"),
        "{text}"
    );
    let accepted_out = json(&accepted);
    assert_eq!(accepted.status.code(), Some(1), "{accepted_out}");
    assert_eq!(accepted_out["verified"], false);
    assert_eq!(accepted_out["cancelled"]["code"], "m.mismatched_sas");
    assert_eq!(accepted_out["cancelled"]["byUs"], false);

    // Someone with no device to verify, and a device that does not exist, are errors that say so.
    let missing = spawn(&carol_data, &["verify", &dave, "--device", "NOSUCHDEVICE", "--json"], "")
        .wait_with_output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&missing.stderr).unwrap();
    assert_eq!(error["kind"], "notFound");
    assert!(error["message"].as_str().unwrap().contains("NOSUCHDEVICE"), "{error}");
}
