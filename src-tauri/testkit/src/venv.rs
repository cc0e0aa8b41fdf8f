//! Where the Python virtualenv with Synapse and matrix-nio is.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The variable that points the tests at a virtualenv; `cargo xtask test` sets it.
pub const VENV_VARIABLE: &str = "COMMONPLACE_MATRIX_VENV";

/// The repository's root, which holds `tests/peers/` and the default `target/matrix-venv`.
pub fn workspace_root() -> PathBuf {
    // src-tauri/testkit → the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The virtualenv from `COMMONPLACE_MATRIX_VENV`, or `<workspace>/target/matrix-venv`; an error
/// that says how to install it when it has no Python.
pub fn venv() -> Result<PathBuf> {
    let path = match std::env::var_os(VENV_VARIABLE) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => workspace_root().join("target/matrix-venv"),
    };
    if python(&path).is_file() { Ok(path) } else { Err(Error::VenvMissing { path }) }
}

pub(crate) fn python(venv: &Path) -> PathBuf {
    venv.join("bin/python")
}
