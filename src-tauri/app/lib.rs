//! The desktop shell of Commonplace: builds the Tauri app and nothing more.
//!
//! Start-up resolves and opens the library (see [`state`]), sets up logging (see [`logging`]) and
//! registers the commands of [`commands`], one module per domain, each a thin adapter over a core
//! crate. Everything that can be tested without a window lives in the core crates; this crate is
//! tested through Tauri's mock runtime (`tests/ipc.rs`) and in a real window (`tests/window.rs`).

pub mod commands;
mod logging;
mod notify;
mod sharing;
pub mod state;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use commonplace_ipc::{ChangeCause, LibraryChanged, MessagingChanged};
use commonplace_library::location::{self, Source};
use tauri::{Emitter, Manager, Runtime};

pub use commonplace_keyring::{KeyVault, KeyringError};
pub use state::{AppPaths, ImportControl, LibraryState, MessagingState, Remembering};

/// Command-line options of the desktop app. Unknown arguments are ignored (and logged), because
/// desktop environments and WebDriver may pass their own.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    pub library: Option<PathBuf>,
}

impl Options {
    pub fn parse(arguments: impl IntoIterator<Item = String>) -> Self {
        let mut options = Self::default();
        let mut arguments = arguments.into_iter();
        while let Some(argument) = arguments.next() {
            if argument == "--library" {
                options.library = arguments.next().map(PathBuf::from);
            } else if let Some(value) = argument.strip_prefix("--library=") {
                options.library = Some(PathBuf::from(value));
            } else {
                tracing::debug!(%argument, "ignoring unknown argument");
            }
        }
        options
    }
}

/// Registers the shell's state and commands on a builder of any runtime, so tests can run the same
/// app on Tauri's mock runtime.
pub fn builder<R: Runtime>(
    builder: tauri::Builder<R>,
    library: LibraryState,
    paths: AppPaths,
    vault: Option<Arc<dyn KeyVault>>,
) -> tauri::Builder<R> {
    // Messaging syncs in the background; the window hears about news and connections once the
    // app has a handle to emit with (set up below).
    type Emit = Box<dyn Fn(commonplace_matrix::Notification) + Send + Sync>;
    let emitter: Arc<OnceLock<Emit>> = Arc::default();
    let forward = Arc::clone(&emitter);
    let messaging = MessagingState::with_vault(
        paths.messaging.as_deref(),
        Arc::new(move |notification| {
            if let Some(emit) = forward.get() {
                emit(notification);
            }
        }),
        vault,
    );
    builder
        .manage(library)
        .manage(paths)
        .manage(messaging)
        .manage(ImportControl::default())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            let handle = app.handle().clone();
            let _ = emitter.set(Box::new(move |notification| {
                notify::show(&handle, &notification.notify);
                let change = MessagingChanged::from(notification);
                let _ = handle.emit(commonplace_ipc::bindings::MESSAGING_CHANGED, change);
            }));
            // Scans of watched folders happen in the background; the window hears about them.
            let handle = app.handle().clone();
            app.state::<LibraryState>().start_watching(Arc::new(move |report| {
                let cause = if report.folder.ends_with(commonplace_library::layout::WORKING) {
                    ChangeCause::WorkingCopy
                } else {
                    ChangeCause::WatchedFolder
                };
                let change = LibraryChanged { cause, scan: Some(report.clone()) };
                let _ = handle.emit(commonplace_ipc::bindings::LIBRARY_CHANGED, change);
            }));
            Ok(())
        })
}

/// The app's context (configuration, assets, icons, capabilities), generated at compile time from
/// tauri.conf.json.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!("tauri.conf.json")
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    let log_guard = logging::init();
    let options = Options::parse(std::env::args().skip(1));
    // PDF thumbnails are drawn by this program started again as a helper (see `main`).
    match std::env::current_exe() {
        Ok(program) => commonplace_library::pdfpage::use_helper(program),
        Err(error) => tracing::warn!(%error, "PDFs will show no thumbnails: this program cannot find itself"),
    }
    let (library, source) = match location::resolve(options.library.as_deref()) {
        Ok((path, source)) => (LibraryState::open(&path), source),
        Err(error) => (LibraryState::failed(error.into()), Source::Default),
    };
    let messaging = location::messaging_dir(None)
        .inspect_err(|error| tracing::error!(%error, "no messaging folder"))
        .ok();
    let paths = AppPaths { log_file: log_guard.as_ref().map(|log| log.path().to_path_buf()), messaging };

    // The native file and folder pickers; they return paths, which our own commands then read.
    let mut app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init());
    // A second launch on the default library hands over to the running app and focuses its window.
    // Launches on an explicit library are separate processes, kept apart by the library lock.
    if source == Source::Default {
        app = app.plugin(tauri_plugin_single_instance::init(|app, _arguments, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    }
    // The system keyring remembers the key that unlocks messages, when the person asks it to.
    let vault = paths.messaging.as_deref().and_then(commonplace_keyring::system).map(Arc::from);
    let result = builder(app, library, paths, vault).run(context());
    if let Err(error) = result {
        tracing::error!(%error, "the app stopped with an error");
        std::process::exit(1);
    }
}
