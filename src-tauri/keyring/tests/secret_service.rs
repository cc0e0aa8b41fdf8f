//! The keyring against a real Secret Service: GNOME Keyring, started by the test on a private
//! D-Bus session bus in a temporary home, so nothing of the machine's own keyring is touched.
//! `cargo xtask test` installs `dbus` and `gnome-keyring`.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child process that talks to the private bus. The bus is chosen through the
/// environment, which a test may only set for a process it starts.
const IN_SESSION: &str = "COMMONPLACE_KEYRING_TEST_SESSION";

/// Stops what the test started, however it ends.
struct Stop(Vec<Child>);

impl Drop for Stop {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn the_secret_service_remembers_the_key_for_its_folder_and_forgets_it() {
    if std::env::var_os(IN_SESSION).is_some() {
        remember_and_forget();
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let (home, data, runtime) = (temp.path().join("home"), temp.path().join("data"), temp.path().join("run"));
    for folder in [&home, &data, &runtime] {
        std::fs::create_dir_all(folder).unwrap();
    }
    let socket = runtime.join("bus");
    let bus = format!("unix:path={}", socket.display());
    let environment = |command: &mut Command| {
        command
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    };
    let mut started = Stop(Vec::new());
    let mut dbus = Command::new("dbus-daemon");
    environment(dbus.args(["--session", "--nofork", "--address", &bus]));
    started.0.push(dbus.spawn().expect("dbus-daemon (`cargo xtask test` installs dbus)"));
    wait_for(&socket);

    // The login keyring, created and unlocked with a password given on stdin, as a desktop's
    // login does.
    let mut keyring = Command::new("gnome-keyring-daemon");
    environment(keyring.args(["--foreground", "--unlock", "--components=secrets"]).stdin(Stdio::piped()));
    let mut daemon =
        keyring.spawn().expect("gnome-keyring-daemon (`cargo xtask test` installs gnome-keyring)");
    {
        use std::io::Write;
        let mut stdin = daemon.stdin.take().unwrap();
        stdin.write_all(b"a password for the test keyring").unwrap();
    }
    started.0.push(daemon);
    wait_for(&data.join("keyrings").join("login.keyring"));

    let mut test = Command::new(std::env::current_exe().unwrap());
    environment(
        test.args([
            "--exact",
            "the_secret_service_remembers_the_key_for_its_folder_and_forgets_it",
            "--nocapture",
        ])
        .env(IN_SESSION, "1"),
    );
    let output = test.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    let said =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "in the session: {said}");
    assert!(said.contains("1 passed"), "the child ran this very test: {said}");
}

/// What the app does with the keyring, in the child process on the private bus.
fn remember_and_forget() {
    let folder = Path::new("/messaging/of/ana");
    let vault = commonplace_keyring::system(folder).expect("the Secret Service is running on this bus");
    assert_eq!(vault.load(), None, "nothing is remembered yet");
    let key = [7u8; 32];
    vault.save(&key).unwrap();
    assert_eq!(vault.load(), Some(key));
    // Another start of the app finds it; another messaging folder does not.
    assert_eq!(commonplace_keyring::system(folder).unwrap().load(), Some(key));
    assert_eq!(commonplace_keyring::system(Path::new("/messaging/of/bea")).unwrap().load(), None);
    vault.forget();
    assert_eq!(commonplace_keyring::system(folder).unwrap().load(), None, "forgotten for good");
    vault.forget();
}

/// Waits for a daemon to make `path` (its socket or its file); the limit is generous because this
/// machine is shared.
fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} did not appear", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}
