//! Small file-system helpers shared by the library's writers.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use crate::error::{IoContext, Result};

const STAGED_PREFIX: &str = ".staged-";

/// Writes `bytes` to `destination` so that readers see either the old file or the whole new one:
/// the bytes go to a fresh file in `staging` (same volume), are flushed to disk, and the file is
/// renamed over the destination. On failure the staged file is removed.
pub(crate) fn write_atomic(staging: &Path, destination: &Path, bytes: &[u8]) -> Result<()> {
    let staged = staging.join(format!("{STAGED_PREFIX}{}", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut file = File::options().write(true).create_new(true).open(&staged).at("create", &staged)?;
        file.write_all(bytes).at("write", &staged)?;
        file.sync_all().at("flush", &staged)?;
        drop(file);
        fs::rename(&staged, destination).at("replace", destination)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&staged);
    }
    result?;
    sync_parent(destination);
    Ok(())
}

/// Removes files that an interrupted write left in the staging folder. Only called while holding
/// the library lock, so no other writer can be using them.
pub(crate) fn clear_staging(staging: &Path) -> Result<()> {
    for entry in fs::read_dir(staging).at("list", staging)? {
        let entry = entry.at("list", staging)?;
        if entry.file_name().to_string_lossy().starts_with(STAGED_PREFIX) {
            let path = entry.path();
            fs::remove_file(&path).at("remove", &path)?;
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
