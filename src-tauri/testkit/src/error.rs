//! The test kit's error type. A failure to start a real part says which part, what it was doing
//! and the last lines of its log, so a red test in CI can be read without rerunning it.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the Matrix test environment is missing: {path} has no Python; run `cargo xtask matrix-env` \
         (or point COMMONPLACE_MATRIX_VENV at a virtualenv made from tests/peers/requirements.txt)"
    )]
    VenvMissing { path: PathBuf },

    #[error("could not {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: io::Error },

    #[error("Synapse did not answer on port {port} within {waited:?}; the end of its log:\n{log_tail}")]
    SynapseStartTimedOut { port: u16, waited: Duration, log_tail: String },

    #[error("Synapse exited while starting on port {port} ({status}); the end of its log:\n{log_tail}")]
    SynapseExited { port: u16, status: String, log_tail: String },

    #[error("registering {user} on Synapse failed ({status}): {output}")]
    Registration { user: String, status: String, output: String },

    #[error("the nio peer's {command} failed: {message}")]
    PeerFailed { command: String, message: String },

    #[error("the nio peer gave no answer to {command} within {waited:?}; the end of its log:\n{log_tail}")]
    PeerTimedOut { command: String, waited: Duration, log_tail: String },

    #[error("the nio peer exited before answering {command}; the end of its log:\n{log_tail}")]
    PeerExited { command: String, log_tail: String },

    #[error("the nio peer's answer to {command} could not be read: {source}")]
    PeerAnswer { command: String, source: serde_json::Error },
}

/// Attaches the action and the path to an I/O error, so it reads as a sentence that names the item.
pub(crate) trait IoContext<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|source| Error::Io { action, path: path.into(), source })
    }
}
