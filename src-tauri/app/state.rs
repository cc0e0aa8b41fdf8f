//! What the shell keeps for the lifetime of the app, registered once with `manage`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use commonplace_ipc::IpcError;
use commonplace_library::Library;

/// The open library, or why it could not be opened. A library that fails to open does not stop
/// the app: the window starts and shows the reason, which is friendlier than a process that
/// silently exits. While it has failed, each request tries to open it again, so "Try again" in the
/// window works once the other process has let go of the library.
pub struct LibraryState {
    root: Option<PathBuf>,
    current: Mutex<Result<Arc<Library>, IpcError>>,
}

impl LibraryState {
    /// Opens (creating on first start) the library at `root`.
    pub fn open(root: &Path) -> Self {
        Self { root: Some(root.to_path_buf()), current: Mutex::new(open(root)) }
    }

    /// No library can be opened at all (for example, no location could be resolved).
    pub fn failed(error: IpcError) -> Self {
        tracing::error!(%error, "no library");
        Self { root: None, current: Mutex::new(Err(error)) }
    }

    /// The library, or the error that keeps it from opening, for a command to return.
    pub fn get(&self) -> Result<Arc<Library>, IpcError> {
        // Holding the lock while opening keeps two commands from racing to open the library.
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.is_err()
            && let Some(root) = &self.root
        {
            *current = open(root);
        }
        current.clone()
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
}
