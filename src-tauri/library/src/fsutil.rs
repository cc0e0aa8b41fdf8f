//! Small file-system helpers shared by the library's writers.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::{Error, IoContext, Result};

pub(crate) const STAGED_PREFIX: &str = ".staged-";

/// A new file in the staging folder, removed when dropped unless [`persist`]ed, so a failure at
/// any point leaves nothing behind under a final name.
pub(crate) fn staged_file(staging: &Path) -> Result<NamedTempFile> {
    tempfile::Builder::new().prefix(STAGED_PREFIX).tempfile_in(staging).at("create a file in", staging)
}

/// Flushes a staged file to disk and renames it to `destination`, replacing what was there.
pub(crate) fn persist(staged: NamedTempFile, destination: &Path) -> Result<()> {
    staged.as_file().sync_all().at("flush", staged.path())?;
    staged.persist(destination).map_err(|error| Error::Io {
        action: "store",
        path: destination.to_path_buf(),
        source: error.error,
    })?;
    sync_parent(destination);
    Ok(())
}

/// Renames a staged file to `destination` without flushing: the caller has flushed its content
/// already and flushes the folder afterwards (see `ObjectStore::commit`).
pub(crate) fn rename_into_place(staged: NamedTempFile, destination: &Path) -> Result<()> {
    staged.persist(destination).map_err(|error| Error::Io {
        action: "store",
        path: destination.to_path_buf(),
        source: error.error,
    })?;
    Ok(())
}

/// Flushes the content of `files` to disk. On Linux one `syncfs` of the file system holding
/// `folder` does it for all of them at once, which is much cheaper than one flush per file.
pub(crate) fn flush_all<'a>(folder: &Path, files: impl Iterator<Item = &'a File>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        let directory = File::open(folder).at("open", folder)?;
        rustix::fs::syncfs(&directory).map_err(std::io::Error::from).at("flush", folder)
    }
    #[cfg(not(target_os = "linux"))]
    {
        for file in files {
            file.sync_all().at("flush a file in", folder)?;
        }
        Ok(())
    }
}

/// Makes renames into `folders` durable: one `syncfs` on Linux, a flush per folder elsewhere.
pub(crate) fn flush_folders(root: &Path, folders: &[std::path::PathBuf]) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = folders;
        flush_all(root, std::iter::empty())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = root;
        for folder in folders {
            sync_parent(&folder.join("x"));
        }
        Ok(())
    }
}

/// Like [`persist`], but fails rather than replace an existing file at `destination`.
pub(crate) fn persist_new(staged: NamedTempFile, destination: &Path) -> Result<()> {
    staged.as_file().sync_all().at("flush", staged.path())?;
    staged.persist_noclobber(destination).map_err(|error| Error::Io {
        action: "write",
        path: destination.to_path_buf(),
        source: error.error,
    })?;
    sync_parent(destination);
    Ok(())
}

/// Writes `bytes` to `destination` so that readers see either the old file or the whole new one:
/// the bytes go to a fresh file in `staging` (same volume), are flushed to disk, and the file is
/// renamed over the destination.
pub(crate) fn write_atomic(staging: &Path, destination: &Path, bytes: &[u8]) -> Result<()> {
    let mut staged = staged_file(staging)?;
    staged.write_all(bytes).at("write", staged.path())?;
    persist(staged, destination)
}

/// Removes files that an interrupted write left in the staging folder. Only called while holding
/// the library lock, so no other writer can be using them.
pub(crate) fn clear_staging(staging: &Path) -> Result<()> {
    for entry in fs::read_dir(staging).at("list", staging)? {
        let entry = entry.at("list", staging)?;
        if entry.file_name().to_string_lossy().starts_with(STAGED_PREFIX) {
            let path = entry.path();
            // A share stages its bundle in a folder of its own, and each import thread stages in
            // one kept from one import to the next.
            if entry.file_type().at("inspect", &path)?.is_dir() {
                fs::remove_dir_all(&path).at("remove", &path)?;
            } else {
                fs::remove_file(&path).at("remove", &path)?;
            }
        }
    }
    Ok(())
}

/// Makes a rename durable on file systems that need the directory flushed too. Best effort: not
/// every platform can open a directory for syncing, and the rename itself has already happened.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent()
        && let Ok(directory) = File::open(parent)
    {
        let _ = directory.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}
