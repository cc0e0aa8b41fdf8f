//! What the shell keeps for the lifetime of the app, registered once with `manage`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use commonplace_ipc::{ErrorKind, IpcError};
use commonplace_library::{Library, ScanReport, WatchService, WatchedFolder};
use commonplace_matrix::{Listener, LockState, Messenger};
use commonplace_messaging::PickleKey;

use commonplace_keyring::KeyVault;

/// Hears about watched-folder scans that changed the library.
pub type ScanListener = Arc<dyn Fn(&ScanReport) + Send + Sync>;

/// The open library and the service following its watched folders, or why the library could not
/// be opened. A library that fails to open does not stop the app: the window starts and shows the
/// reason. While it has failed, each request tries to open it again, so "Try again" in the window
/// works once the other process has let go of the library.
pub struct LibraryState {
    root: Option<PathBuf>,
    current: Mutex<Result<Arc<Library>, IpcError>>,
    watch: Mutex<Option<WatchService>>,
    listener: OnceLock<ScanListener>,
}

impl LibraryState {
    /// Opens (creating on first start) the library at `root`.
    pub fn open(root: &Path) -> Self {
        Self::with(Some(root.to_path_buf()), open(root))
    }

    /// No library can be opened at all (for example, no location could be resolved).
    pub fn failed(error: IpcError) -> Self {
        tracing::error!(%error, "no library");
        Self::with(None, Err(error))
    }

    fn with(root: Option<PathBuf>, current: Result<Arc<Library>, IpcError>) -> Self {
        Self { root, current: Mutex::new(current), watch: Mutex::new(None), listener: OnceLock::new() }
    }

    /// The library, or the error that keeps it from opening, for a command to return.
    pub fn get(&self) -> Result<Arc<Library>, IpcError> {
        // Holding the lock while opening keeps two commands from racing to open the library.
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.is_err()
            && let Some(root) = &self.root
        {
            *current = open(root);
            if let Ok(library) = &*current {
                self.follow_watched_folders(library);
            }
        }
        current.clone()
    }

    /// Starts following the library's watched folders, telling `listener` about every scan that
    /// changed something. Called once, when the app has started.
    pub fn start_watching(&self, listener: ScanListener) {
        if self.listener.set(listener).is_err() {
            return;
        }
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Ok(library) = &*current {
            self.follow_watched_folders(library);
        }
    }

    fn follow_watched_folders(&self, library: &Arc<Library>) {
        let Some(listener) = self.listener.get().cloned() else { return };
        let service = WatchService::start(Arc::clone(library), move |report| listener(report));
        *self.watch.lock().unwrap_or_else(PoisonError::into_inner) = Some(service);
    }

    /// The watched folders and how each is followed; call after adding or removing one.
    pub fn watched_folders(&self, changed: bool) -> Result<Vec<WatchedFolder>, IpcError> {
        let folders = self.get()?.watched_folders()?;
        let watch = self.watch.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(match watch.as_ref() {
            Some(service) => {
                if changed {
                    service.refresh();
                }
                service.status(folders)
            }
            None => {
                folders.into_iter().map(|path| WatchedFolder { path, mode: None, reason: None }).collect()
            }
        })
    }
}

fn open(root: &Path) -> Result<Arc<Library>, IpcError> {
    match Library::open_or_create(root) {
        Ok((library, _)) => Ok(Arc::new(library)),
        Err(error) => {
            tracing::error!(library = %root.display(), %error, "could not open the library");
            Err(error.into())
        }
    }
}

/// Lets a running import be cancelled from another command. One import runs at a time from the
/// window; starting a new one clears an old cancellation.
#[derive(Default)]
pub struct ImportControl {
    pub cancel: Arc<AtomicBool>,
}

impl ImportControl {
    /// Clears the flag for a new import and returns it for the import to watch.
    pub fn start(&self) -> Arc<AtomicBool> {
        self.cancel.store(false, Ordering::Relaxed);
        Arc::clone(&self.cancel)
    }
}

/// Paths of the running app that Settings shows.
#[derive(Debug, Clone, Default)]
pub struct AppPaths {
    /// `None` when the log file could not be opened; logs then go to stderr only.
    pub log_file: Option<PathBuf>,
    /// The messaging folder (accounts and their encrypted stores); `None` when none could be found.
    pub messaging: Option<PathBuf>,
}

/// Messaging: the accounts of this device, kept open and synced by the [`Messenger`], or why there
/// is no messaging folder (the window then says so where the conversations would be).
#[derive(Clone)]
pub struct MessagingState {
    messenger: Result<Arc<Messenger>, IpcError>,
    /// Where the unlocked key is remembered when the person asks for it; `None` without a
    /// system keyring.
    vault: Option<Arc<dyn KeyVault>>,
}

/// Whether the key that unlocks messages can be, or is, remembered on this computer.
pub enum Remembering {
    Unavailable,
    Available,
    Remembered,
}

impl MessagingState {
    /// Messaging with its accounts in `folder`, remembering the unlocked key in `vault` when the
    /// person asks (the system keyring in the app, one in memory in tests); `listener` hears
    /// about news and connections.
    pub fn with_vault(folder: Option<&Path>, listener: Listener, vault: Option<Arc<dyn KeyVault>>) -> Self {
        let messenger = match folder {
            Some(folder) => Ok(Arc::new(Messenger::new(folder, listener))),
            None => Err(IpcError::new(
                ErrorKind::NotFound,
                "there is no folder for messages on this computer: set COMMONPLACE_DATA to one",
            )),
        };
        Self { messenger, vault }
    }

    /// While the keys are locked, tries the key remembered in the vault; one that no longer fits
    /// (the passphrase was chosen anew) is forgotten.
    pub fn unlock_from_vault(&self) {
        let (Ok(messenger), Some(vault)) = (&self.messenger, &self.vault) else { return };
        if messenger.lock_state() == LockState::Unlocked {
            return;
        }
        if let Some(bytes) = vault.load()
            && let Err(error) = messenger.unlock_with_key(PickleKey::from_bytes(bytes))
        {
            tracing::warn!(%error, "the remembered key does not unlock the messages; forgetting it");
            vault.forget();
        }
    }

    /// Unlocks with the passphrase, then remembers the key in the vault or forgets it there, as
    /// the person chose.
    pub fn unlock(&self, passphrase: &str, remember: bool) -> Result<(), IpcError> {
        let messenger = self.get()?;
        messenger.unlock(passphrase)?;
        if let Some(vault) = &self.vault {
            match messenger.key_to_remember() {
                Some(key) if remember => {
                    if let Err(error) = vault.save(key.secret_bytes()) {
                        tracing::warn!(%error, "the key could not be remembered in the system keyring");
                    }
                }
                _ => vault.forget(),
            }
        }
        Ok(())
    }

    pub fn remembering(&self) -> Remembering {
        match &self.vault {
            None => Remembering::Unavailable,
            Some(vault) if vault.load().is_some() => Remembering::Remembered,
            Some(_) => Remembering::Available,
        }
    }

    pub fn get(&self) -> Result<Arc<Messenger>, IpcError> {
        self.messenger.clone()
    }
}
