//! One process per library: an exclusive OS file lock on `lock`, held for the life of
//! [`LibraryLock`]. The OS releases it when the process ends, even after a crash, so a stale lock
//! file never blocks the next start.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::layout;

#[derive(Debug)]
pub(crate) struct LibraryLock {
    _file: File,
}

impl LibraryLock {
    pub(crate) fn acquire(root: &Path) -> Result<Self> {
        let path = root.join(layout::LOCK);
        let file = File::options().create(true).truncate(false).write(true).open(&path).at("open", &path)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked { path: root.to_path_buf() }),
            Err(TryLockError::Error(source)) => Err(Error::Io { action: "lock", path, source }),
        }
    }
}
