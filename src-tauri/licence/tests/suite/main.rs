//! The crate's tests, one binary with a module per topic (one link instead of eight). Fixtures and
//! the table notation are in `common`.

mod adaptation;
mod attribution;
mod collection;
mod combination;
mod common;
mod laws;
mod names;
mod parse;
mod serde_format;
mod url;
