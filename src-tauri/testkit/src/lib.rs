//! Test-only helpers that start the real parts the Matrix tests talk to (DESIGN §8), and write
//! small real documents ([`one_page_pdf`]).
//!
//! - [`Synapse`]: a real homeserver on 127.0.0.1 on a free port, with its own data in a temporary
//!   folder, stopped (and its folder removed) when dropped. It can be stopped and restarted on the
//!   same port with the same data, for tests of an instance that goes away mid-conversation.
//! - [`NioPeer`]: an independent Matrix client with libolm end-to-end encryption (matrix-nio 0.25.2,
//!   `tests/peers/nio_peer.py`), driven one JSON line at a time. What it decrypts, our machine
//!   encrypted correctly.
//!
//! Both run from the virtualenv that `cargo xtask matrix-env` installs ([`venv`]). This crate is not
//! a Matrix client: apart from the one readiness probe of a starting homeserver it speaks no HTTP,
//! which stays the job of `commonplace-matrix`. Its calls block; from async tests they are short
//! enough to make directly, or can go through `spawn_blocking`.

mod documents;
mod error;
mod nio;
mod process;
mod synapse;
mod venv;

pub use documents::one_page_pdf;
pub use error::{Error, Result};
pub use nio::{
    IncomingVerification, NioPeer, PeerEmoji, PeerIdentity, PeerVerification, ReceivedFile, ReceivedMessage,
    SentFile, VerificationGoal,
};
pub use synapse::{RegisteredUser, Synapse};
pub use venv::{VENV_VARIABLE, venv, workspace_root};
