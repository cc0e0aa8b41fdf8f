//! The passphrase that protects an app's message keys where no pickle key is given from outside
//! (`COMMONPLACE_PICKLE_KEY`). The [`PickleKey`] is derived from the passphrase with PBKDF2 and a
//! random salt; `passphrase.json` beside the accounts keeps the salt and a check value sealed under
//! the derived key, so a wrong passphrase is told apart from a damaged store before any account is
//! opened. Neither the passphrase nor the key is ever written.
//!
//! What it is not: a way to change the passphrase (that re-encrypts every store; later), nor an
//! OS keyring.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pickle_key::PickleKey;
use crate::sealed;

/// The file beside the accounts that says a passphrase was chosen.
pub const PASSPHRASE_FILE: &str = "passphrase.json";
/// The shortest passphrase accepted when one is chosen.
pub const MINIMUM_LENGTH: usize = 8;

const CHECK_PURPOSE: &str = "passphrase check";
const CHECK_TEXT: &[u8] = b"commonplace passphrase";
const SALT_LENGTH: usize = 16;

#[derive(Debug, Serialize, Deserialize)]
struct PassphraseFile {
    version: u32,
    salt: String,
    check: String,
}

fn file_path(data_dir: &Path) -> PathBuf {
    data_dir.join(PASSPHRASE_FILE)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::PassphraseFile { path: path.to_path_buf(), reason: source.to_string() }
}

/// Whether a passphrase was chosen for the accounts in `data_dir`.
pub fn is_set_up(data_dir: &Path) -> bool {
    file_path(data_dir).is_file()
}

/// Chooses `passphrase` for `data_dir` and returns the key it gives. Refused when one was chosen
/// already, or when it is shorter than [`MINIMUM_LENGTH`] characters.
pub fn set_up(data_dir: &Path, passphrase: &str) -> Result<PickleKey> {
    let path = file_path(data_dir);
    if path.exists() {
        return Err(Error::PassphraseFile {
            path,
            reason: "a passphrase was chosen already: unlock with it instead".to_owned(),
        });
    }
    if passphrase.chars().count() < MINIMUM_LENGTH {
        return Err(Error::PassphraseTooShort { minimum: MINIMUM_LENGTH });
    }
    let mut salt = [0u8; SALT_LENGTH];
    getrandom::fill(&mut salt)
        .map_err(|error| Error::InvalidPickleKey { reason: format!("no randomness: {error}") })?;
    let key = PickleKey::from_passphrase(passphrase, &salt)?;
    let file = PassphraseFile {
        version: 1,
        salt: base64::engine::general_purpose::STANDARD.encode(salt),
        check: sealed::seal(&key, CHECK_PURPOSE, CHECK_TEXT)?,
    };
    let bytes =
        serde_json::to_vec_pretty(&file).map_err(|source| Error::Json { what: "passphrase file", source })?;
    std::fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    // Written beside and renamed, so a crash never leaves a half-written file that locks the
    // person out.
    let staged = path.with_extension("json.tmp");
    std::fs::write(&staged, bytes).map_err(io_error(&staged))?;
    std::fs::rename(&staged, &path).map_err(io_error(&path))?;
    Ok(key)
}

/// Whether `key` is the one the passphrase chosen for `data_dir` gives (for a key remembered
/// elsewhere, such as the system keyring): [`Error::WrongPassphrase`] when it is not.
pub fn check_key(data_dir: &Path, key: &PickleKey) -> Result<()> {
    let file = read_file(data_dir)?;
    match sealed::open(key, CHECK_PURPOSE, &file.check) {
        Ok(text) if text == CHECK_TEXT => Ok(()),
        _ => Err(Error::WrongPassphrase),
    }
}

fn read_file(data_dir: &Path) -> Result<PassphraseFile> {
    let path = file_path(data_dir);
    let bytes = std::fs::read(&path).map_err(io_error(&path))?;
    let file: PassphraseFile = serde_json::from_slice(&bytes)
        .map_err(|error| Error::PassphraseFile { path: path.clone(), reason: error.to_string() })?;
    if file.version != 1 {
        return Err(Error::PassphraseFile {
            path,
            reason: format!("version {} is newer than this Commonplace reads", file.version),
        });
    }
    Ok(file)
}

/// The key `passphrase` gives for `data_dir`, or [`Error::WrongPassphrase`].
pub fn unlock(data_dir: &Path, passphrase: &str) -> Result<PickleKey> {
    let file = read_file(data_dir)?;
    let salt = base64::engine::general_purpose::STANDARD.decode(&file.salt).map_err(|error| {
        Error::PassphraseFile { path: file_path(data_dir), reason: format!("salt: {error}") }
    })?;
    let key = PickleKey::from_passphrase(passphrase, &salt)?;
    check_key(data_dir, &key)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_passphrase_unlocks_the_same_key_and_another_does_not() {
        let folder = tempfile::tempdir().unwrap();
        assert!(!is_set_up(folder.path()));
        assert!(matches!(set_up(folder.path(), "short"), Err(Error::PassphraseTooShort { minimum: 8 })));
        assert!(!is_set_up(folder.path()), "a refused passphrase writes nothing");

        let key = set_up(folder.path(), "correct horse battery").unwrap();
        assert!(is_set_up(folder.path()));
        let written = std::fs::read_to_string(folder.path().join(PASSPHRASE_FILE)).unwrap();
        assert!(!written.contains("correct horse"), "the passphrase is never written");

        let again = unlock(folder.path(), "correct horse battery").unwrap();
        let sealed = sealed::seal(&key, "probe", b"x").unwrap();
        assert_eq!(sealed::open(&again, "probe", &sealed).unwrap(), b"x", "the same key");
        assert!(matches!(unlock(folder.path(), "wrong horse battery"), Err(Error::WrongPassphrase)));
        assert!(check_key(folder.path(), &again).is_ok());
        assert!(matches!(
            check_key(folder.path(), &PickleKey::from_bytes([1; 32])),
            Err(Error::WrongPassphrase)
        ));
        assert!(set_up(folder.path(), "another passphrase").is_err(), "chosen once");
    }
}
