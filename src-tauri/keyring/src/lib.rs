//! The system keyring, where a person can ask the app to remember the key that unlocks their
//! messages, so the passphrase is not asked at every start: the Secret Service (GNOME Keyring,
//! KWallet) over D-Bus on Linux, the login keychain on macOS, the Credential Manager on Windows.
//! Where there is none (a server, CI, a minimal desktop) the app simply asks for the passphrase.
//!
//! What it is not: a place for anything but that one key, stored per messaging folder.

use std::path::Path;

/// Somewhere a remembered key lives. The app uses the system keyring; tests use a map.
pub trait KeyVault: Send + Sync {
    /// The remembered key, if there is one and it can be read.
    fn load(&self) -> Option<[u8; 32]>;
    fn save(&self, key: &[u8; 32]) -> Result<(), KeyringError>;
    /// Forgets the key; forgetting what is not there is fine.
    fn forget(&self);
}

/// Why the keyring could not keep the key, as the keyring said it.
#[derive(Debug, thiserror::Error)]
#[error("the system keyring could not keep the key: {reason}")]
pub struct KeyringError {
    pub reason: String,
}

/// The service name entries are kept under.
const SERVICE: &str = "Commonplace message keys";

/// The system keyring's entry for the messaging folder `data_dir`, or `None` when this system
/// has no keyring the app can use.
pub fn system(data_dir: &Path) -> Option<Box<dyn KeyVault>> {
    system_entry(data_dir).map(|entry| Box::new(SystemKeyring { entry }) as Box<dyn KeyVault>)
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn system_entry(data_dir: &Path) -> Option<keyring_core::Entry> {
    let store = platform_store()
        .inspect_err(
            |error| tracing::info!(%error, "no system keyring; the passphrase is asked at each start"),
        )
        .ok()?;
    keyring_core::Entry::new_in_store(&store, SERVICE, &data_dir.display().to_string())
        .inspect_err(|error| tracing::info!(%error, "the system keyring cannot hold the key"))
        .ok()
}

/// The Secret Service: GNOME Keyring or KWallet, over D-Bus. A desktop without one (a server, CI)
/// has none, and the passphrase is asked.
#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

/// The login keychain.
#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

/// The Windows Credential Manager.
#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn system_entry(_data_dir: &Path) -> Option<NoEntry> {
    None
}

/// Stands in for a keyring entry on systems without one, so the code below has one shape.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
struct NoEntry;

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
impl NoEntry {
    fn get_secret(&self) -> Result<Vec<u8>, KeyringError> {
        Err(KeyringError { reason: "no system keyring".to_owned() })
    }
    fn set_secret(&self, _secret: &[u8]) -> Result<(), KeyringError> {
        Err(KeyringError { reason: "no system keyring".to_owned() })
    }
    fn delete_credential(&self) -> Result<(), KeyringError> {
        Ok(())
    }
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
type Entry = keyring_core::Entry;
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
type Entry = NoEntry;

struct SystemKeyring {
    entry: Entry,
}

impl KeyVault for SystemKeyring {
    fn load(&self) -> Option<[u8; 32]> {
        let secret = self.entry.get_secret().ok()?;
        <[u8; 32]>::try_from(secret.as_slice()).ok()
    }

    fn save(&self, key: &[u8; 32]) -> Result<(), KeyringError> {
        self.entry.set_secret(key).map_err(|error| KeyringError { reason: error.to_string() })
    }

    fn forget(&self) {
        if let Err(error) = self.entry.delete_credential() {
            tracing::debug!(%error, "nothing to forget in the system keyring");
        }
    }
}
