//! `cargo xtask matrix-env`: the Python virtualenv with the real parts the Matrix tests start — a
//! Synapse homeserver and the matrix-nio peer (DESIGN §8) — pinned in `tests/peers/requirements.txt`.
//!
//! It lives in `target/matrix-venv` (or where `COMMONPLACE_MATRIX_VENV` points) and records a hash
//! of the requirements and of the Python it was made with; while both match, there is nothing to
//! do. Otherwise the virtualenv is made anew, so a package dropped from the requirements does not
//! linger.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use std::{env, fs};

use crate::{Result, announce, root, step};

/// The variable that points the tests (and this task) at the virtualenv.
pub const VENV_VARIABLE: &str = "COMMONPLACE_MATRIX_VENV";

const REQUIREMENTS: &str = "tests/peers/requirements.txt";
const STAMP: &str = "commonplace-requirements.hash";

pub fn venv_path() -> PathBuf {
    match env::var_os(VENV_VARIABLE) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => root().join("target/matrix-venv"),
    }
}

/// Makes sure the virtualenv is installed and current; returns its path.
pub fn ensure() -> Result<PathBuf> {
    let venv = venv_path();
    let requirements_path = root().join(REQUIREMENTS);
    let requirements = fs::read(&requirements_path)
        .map_err(|error| format!("could not read {}: {error}", requirements_path.display()))?;
    let python_version = Command::new("python3").arg("--version").output().map_err(|error| {
        format!("python3 is missing ({error}): install Python 3.10 or newer with its venv module")
    })?;
    let mut fingerprint = requirements;
    fingerprint.extend_from_slice(&python_version.stdout);
    fingerprint.extend_from_slice(&python_version.stderr);
    let expected = format!("{:016x}\n", fnv1a(&fingerprint));
    let stamp = venv.join(STAMP);
    if venv.join("bin/python").is_file()
        && fs::read_to_string(&stamp).is_ok_and(|recorded| recorded == expected)
    {
        return Ok(venv);
    }

    let started = Instant::now();
    announce(&format!("install the Matrix test environment into {}", venv.display()));
    let _ = fs::remove_file(&stamp);
    step("create the virtualenv", Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    let pip = venv.join("bin/pip");
    let install = || {
        step(
            "pip install -r tests/peers/requirements.txt",
            Command::new(&pip)
                .args(["install", "--disable-pip-version-check", "--no-input", "--quiet", "--requirement"])
                .arg(&requirements_path),
        )
    };
    // PyPI occasionally drops a connection; one more try usually goes through.
    if let Err(error) = install() {
        println!("xtask: {error}; trying once more");
        install()?;
    }
    check_imports(&venv)?;
    fs::write(&stamp, expected).map_err(|error| format!("could not write {}: {error}", stamp.display()))?;
    println!("xtask: the Matrix test environment was installed in {} s", started.elapsed().as_secs());
    Ok(venv)
}

/// Fails early, with pip's view of the problem, when the packages the tests need cannot be imported.
fn check_imports(venv: &Path) -> Result {
    step(
        "check that synapse, nio and olm import",
        Command::new(venv.join("bin/python")).args(["-c", "import synapse.app.homeserver, nio, olm"]),
    )
}

/// FNV-1a, 64 bits: enough to notice a changed file, and in the standard library's reach.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
