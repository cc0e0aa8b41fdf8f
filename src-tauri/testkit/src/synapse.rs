//! A real Synapse homeserver for one test.
//!
//! Each [`Synapse`] has its own temporary folder (configuration, SQLite database, signing key,
//! media, log) and its own port on 127.0.0.1, so tests run in parallel without sharing state. It
//! listens for clients only: no federation listener, no key servers, and rate limits raised far
//! above what a test does, so tests never wait on a limiter.
//!
//! Synapse runs under a small shell watchdog in its own process group. The watchdog stops Synapse
//! when its standard input closes, which happens both when [`Synapse::stop`] drops the pipe and
//! when the test process dies without running destructors: no homeserver outlives its test.

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::error::IoContext;
use crate::process::{free_port, log_tail, random_bytes, random_hex, unpadded_base64, wait_or_kill_group};
use crate::venv::{python, venv};
use crate::{Error, Result};

/// The server name in every user id (`@alice:localhost`). It does not depend on the port, so a
/// restart on another port would keep the same users.
const SERVER_NAME: &str = "localhost";

/// How long a start may take. Synapse answers in about 2 s on an idle machine, but tests start
/// several at once on two cores while the compiler may still be running.
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// How long Synapse gets to shut down after SIGTERM before its process group is killed.
const STOP_PATIENCE: Duration = Duration::from_secs(10);

/// Starts the server in the background and stops it with SIGTERM when a line arrives on stdin
/// ([`Synapse::stop`]) or stdin reaches end of file without one (the test process died): then it
/// also removes the server's folder (the working directory), which no destructor will. A
/// background job's stdin is /dev/null in a non-interactive shell, so the watcher reads a copy of
/// it on descriptor 3. The shell exits with the server's status, so an early exit is visible.
const WATCHDOG: &str = r#"exec 3<&0
"$@" 3<&- </dev/null &
server=$!
(read -r _ <&3 || touch orphaned; kill -TERM "$server" 2>/dev/null) &
watcher=$!
wait "$server"
status=$?
kill "$watcher" 2>/dev/null
if [ -e orphaned ]; then rm -rf "$PWD"; fi
exit "$status"
"#;

/// A user made with the shared registration secret.
#[derive(Clone, PartialEq, Eq)]
pub struct RegisteredUser {
    pub localpart: String,
    pub user_id: String,
    pub password: String,
}

impl std::fmt::Debug for RegisteredUser {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RegisteredUser")
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A running (or stopped, between [`Synapse::stop`] and [`Synapse::restart`]) homeserver.
pub struct Synapse {
    directory: TempDir,
    venv: PathBuf,
    port: u16,
    shared_secret: String,
    running: Option<Running>,
}

struct Running {
    watchdog: Child,
    /// A line on this pipe asks the watchdog to stop Synapse; its end without one means the
    /// test process is gone.
    stdin: Option<ChildStdin>,
}

impl Synapse {
    /// Starts a new homeserver with an empty database and waits until it answers.
    pub fn start() -> Result<Self> {
        let venv = venv()?;
        let directory = tempfile::Builder::new()
            .prefix("commonplace-synapse-")
            .tempdir()
            .at("create a temporary folder in", std::env::temp_dir())?;
        let seed = random_bytes::<32>()?;
        let signing_key = format!("ed25519 a_test {}\n", unpadded_base64(&seed));
        let key_path = directory.path().join("signing.key");
        fs::write(&key_path, signing_key).at("write", &key_path)?;
        let media = directory.path().join("media");
        fs::create_dir(&media).at("create", &media)?;

        let mut synapse = Synapse {
            directory,
            venv,
            port: 0,
            shared_secret: random_hex(&random_bytes::<16>()?),
            running: None,
        };
        // The free port can be taken by another test between our probe and Synapse's bind.
        let mut attempts = 0;
        loop {
            attempts += 1;
            synapse.port = free_port()?;
            synapse.write_config()?;
            match synapse.launch() {
                Err(Error::SynapseExited { log_tail, .. })
                    if attempts < 3 && log_tail.contains("Address already in use") =>
                {
                    continue;
                }
                result => return result.map(|()| synapse),
            }
        }
    }

    /// The client-server API's base, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server part of user ids on this homeserver.
    pub fn server_name(&self) -> &'static str {
        SERVER_NAME
    }

    /// Whether the server process is running (it may still be starting).
    pub fn is_running(&mut self) -> bool {
        self.running.as_mut().is_some_and(|running| matches!(running.watchdog.try_wait(), Ok(None)))
    }

    /// Creates a user through the shared registration secret, with Synapse's own script.
    pub fn register(&self, localpart: &str, password: &str) -> Result<RegisteredUser> {
        let script = self.venv.join("bin/register_new_matrix_user");
        let output = Command::new(&script)
            .args(["--user", localpart, "--password", password, "--no-admin"])
            .args(["--shared-secret", &self.shared_secret])
            .arg(self.base_url())
            .stdin(Stdio::null())
            .output()
            .at("run", &script)?;
        if !output.status.success() {
            return Err(Error::Registration {
                user: localpart.to_owned(),
                status: output.status.to_string(),
                output: format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            });
        }
        Ok(RegisteredUser {
            localpart: localpart.to_owned(),
            user_id: format!("@{localpart}:{SERVER_NAME}"),
            password: password.to_owned(),
        })
    }

    /// Stops the server (SIGTERM, then SIGKILL after a grace period), keeping its data and port.
    pub fn stop(&mut self) {
        if let Some(mut running) = self.running.take() {
            if let Some(mut stdin) = running.stdin.take() {
                let _ = stdin.write_all(b"stop\n");
            }
            wait_or_kill_group(&mut running.watchdog, STOP_PATIENCE);
        }
    }

    /// Stops the server if it runs and starts it again on the same port with the same data.
    pub fn restart(&mut self) -> Result<()> {
        self.stop();
        self.launch()
    }

    /// The last lines of the server's log, for a test's own failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_path(), lines)
    }

    fn log_path(&self) -> PathBuf {
        self.directory.path().join("homeserver.log")
    }

    fn config_path(&self) -> PathBuf {
        self.directory.path().join("homeserver.yaml")
    }

    fn launch(&mut self) -> Result<()> {
        let log_path = self.log_path();
        let log = fs::OpenOptions::new().create(true).append(true).open(&log_path).at("open", &log_path)?;
        let log_for_errors = log.try_clone().at("open", &log_path)?;
        let mut watchdog = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("synapse-watchdog")
            .arg(python(&self.venv))
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(self.config_path())
            .current_dir(self.directory.path())
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_for_errors)
            .process_group(0)
            .spawn()
            .at("start Synapse with", python(&self.venv))?;
        let stdin = watchdog.stdin.take();
        self.running = Some(Running { watchdog, stdin });
        let result = self.wait_until_ready();
        if result.is_err() {
            self.stop();
        }
        result
    }

    fn wait_until_ready(&mut self) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Some(running) = self.running.as_mut()
                && let Ok(Some(status)) = running.watchdog.try_wait()
            {
                return Err(Error::SynapseExited {
                    port: self.port,
                    status: status.to_string(),
                    log_tail: self.log_tail(30),
                });
            }
            if answers_versions(self.port) {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(Error::SynapseStartTimedOut {
                    port: self.port,
                    waited: started.elapsed(),
                    log_tail: self.log_tail(30),
                });
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn write_config(&self) -> Result<()> {
        let directory = self.directory.path();
        let quoted = |path: &Path| serde_json::Value::from(path.to_string_lossy().into_owned()).to_string();
        let mut config = format!(
            r#"# Generated by commonplace-testkit for one test.
server_name: "{SERVER_NAME}"
# With a public_baseurl Synapse serves /.well-known/matrix/client, which discovery tests read.
public_baseurl: "http://127.0.0.1:{port}/"
serve_client_wellknown: true
report_stats: false
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: {database}
media_store_path: {media}
signing_key_path: {signing_key}
registration_shared_secret: "{secret}"
enable_registration: false
trusted_key_servers: []
suppress_key_server_warning: true
bcrypt_rounds: 4
enable_authenticated_media: true
max_upload_size: 50M
url_preview_enabled: false
presence:
  enabled: false
"#,
            port = self.port,
            database = quoted(&directory.join("homeserver.db")),
            media = quoted(&directory.join("media")),
            signing_key = quoted(&directory.join("signing.key")),
            secret = self.shared_secret,
        );
        // Tests create rooms, log in and send messages far faster than a person; none of them is
        // about rate limits, so every limiter is opened wide.
        let unlimited = "{per_second: 10000, burst_count: 10000}";
        for limiter in [
            "rc_message",
            "rc_registration",
            "rc_joins_per_room",
            "rc_key_requests",
            "rc_media_create",
            "rc_room_creation",
            "rc_delayed_event_mgmt",
            "rc_admin_redaction",
            "rc_3pid_validation",
            "rc_profile",
            "rc_user_directory",
            "rc_reports",
        ] {
            let _ = writeln!(config, "{limiter}: {unlimited}");
        }
        for (group, limiters) in [
            ("rc_login", &["address", "account", "failed_attempts"][..]),
            ("rc_joins", &["local", "remote"][..]),
            ("rc_invites", &["per_room", "per_user", "per_issuer"][..]),
            ("rc_presence", &["per_user"][..]),
        ] {
            let _ = writeln!(config, "{group}:");
            for limiter in limiters {
                let _ = writeln!(config, "  {limiter}: {unlimited}");
            }
        }
        let path = self.config_path();
        fs::write(&path, config).at("write", &path)
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One plain HTTP/1.0 request, so the readiness probe needs no HTTP client library.
fn answers_versions(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /_matrix/client/versions HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status_line = [0; 12];
    stream.read_exact(&mut status_line).is_ok() && status_line.ends_with(b" 200")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_user_does_not_show_its_password() {
        let user = RegisteredUser {
            localpart: "alice".to_owned(),
            user_id: "@alice:localhost".to_owned(),
            password: "correct horse".to_owned(),
        };
        assert!(!format!("{user:?}").contains("correct horse"));
    }
}
