//! The crate's tests, one binary with a module per topic (one link instead of nine). Fixtures and
//! the conflict notation are in `common`.

mod binary;
mod common;
mod diff;
mod formats;
mod laws;
mod merge;
mod metadata;
mod resolve;
mod serde_format;
