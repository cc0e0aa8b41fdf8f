//! Logging: `tracing` to stderr and to a size-bounded file in the OS data folder, and panics logged
//! before the default hook runs. `RUST_LOG` overrides the default filter.
//!
//! The file is bounded by rotation: when `commonplace.log` would grow past [`MAX_FILE_BYTES`] it
//! becomes `commonplace.log.1` (replacing the previous one), so the logs never take more than twice
//! that on disk however long the app runs.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
const FILE_NAME: &str = "commonplace.log";
const DEFAULT_FILTER: &str = "info,commonplace=debug,commonplace_app=debug,commonplace_library=debug";

/// The log file in use; `None` from [`init`] when it could not be opened.
pub(crate) struct LogFile {
    path: PathBuf,
}

impl LogFile {
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// Installs the global subscriber and the panic hook. Never fails: without a log file the app
/// still logs to stderr, and says why.
pub(crate) fn init() -> Option<LogFile> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stderr = tracing_subscriber::fmt::layer().with_writer(io::stderr);
    let opened =
        commonplace_library::location::log_dir().map_err(|error| error.to_string()).and_then(|dir| {
            RotatingFile::open(&dir.join(FILE_NAME), MAX_FILE_BYTES).map_err(|error| error.to_string())
        });
    let (file_layer, log_file, problem) = match opened {
        Ok(file) => {
            let path = file.path.clone();
            let layer = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Mutex::new(file));
            (Some(layer), Some(LogFile { path }), None)
        }
        Err(problem) => (None, None, Some(problem)),
    };
    let _ = tracing_subscriber::registry().with(filter).with(stderr).with(file_layer).try_init();
    if let Some(problem) = problem {
        tracing::warn!(%problem, "logging to stderr only: the log file could not be opened");
    }
    install_panic_hook();
    log_file
}

fn install_panic_hook() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info.location().map(ToString::to_string).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|message| (*message).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(%location, %message, "panic");
        default_hook(info);
    }));
}

/// A log file that rotates to `<name>.1` when it would grow past `max_bytes`.
struct RotatingFile {
    path: PathBuf,
    file: File,
    written: u64,
    max_bytes: u64,
}

impl RotatingFile {
    fn open(path: &Path, max_bytes: u64) -> io::Result<Self> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let file = File::options().create(true).append(true).open(path)?;
        let written = file.metadata()?.len();
        Ok(Self { path: path.to_path_buf(), file, written, max_bytes })
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let mut rotated = self.path.clone().into_os_string();
        rotated.push(".1");
        fs::rename(&self.path, rotated)?;
        self.file = File::options().create(true).append(true).open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buffer.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        let count = self.file.write(buffer)?;
        self.written += count as u64;
        Ok(count)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_never_exceeds_two_files_of_the_limit() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("logs").join(FILE_NAME);
        let mut log = RotatingFile::open(&path, 100).unwrap();
        for line in 0..50 {
            writeln!(log, "line {line:03} of the log").unwrap();
        }
        let current = fs::read_to_string(&path).unwrap();
        let previous = fs::read_to_string(folder.path().join("logs").join("commonplace.log.1")).unwrap();
        assert!(current.len() <= 100 && previous.len() <= 100, "{} {}", current.len(), previous.len());
        assert!(current.ends_with("line 049 of the log\n"), "{current}");
        assert_eq!(fs::read_dir(folder.path().join("logs")).unwrap().count(), 2);
    }

    #[test]
    fn reopening_continues_counting_from_the_existing_size() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FILE_NAME);
        fs::write(&path, "x".repeat(90)).unwrap();
        let mut log = RotatingFile::open(&path, 100).unwrap();
        writeln!(log, "this line does not fit").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "this line does not fit\n");
    }
}
