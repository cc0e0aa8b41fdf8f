//! [`Library`]: an open, locked library folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::catalog::Catalog;
use crate::error::{Error, IoContext, Result};
use crate::lock::LibraryLock;
use crate::manifest::Manifest;
use crate::store::ObjectStore;
use crate::{fsutil, layout};

/// An open library. Holds the library's lock until dropped, so at most one `Library` exists per
/// folder across all processes. Internally synchronised: share it behind an `Arc`.
#[derive(Debug)]
pub struct Library {
    root: PathBuf,
    manifest: Manifest,
    pub(crate) catalog: Catalog,
    pub(crate) store: ObjectStore,
    /// Between storing new objects and writing the revisions that refer to them, they refer to
    /// nothing, and emptying the trash would remove them: see [`Library::adding_objects`].
    objects_gate: RwLock<()>,
    _lock: LibraryLock,
}

/// Whether [`Library::open_or_create`] found a library or made a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Existing,
    Created,
}

/// A summary of a library, as `info` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryInfo {
    pub root: PathBuf,
    pub format_version: u32,
    pub library_id: String,
    /// Resources not in the trash.
    pub resource_count: u64,
    pub collection_count: u64,
}

impl Library {
    /// Opens the library at `root`, which must exist.
    pub fn open(root: &Path) -> Result<Self> {
        if !root.join(layout::MANIFEST).is_file() {
            return Err(Error::NoLibrary { path: root.to_path_buf() });
        }
        let lock = LibraryLock::acquire(root)?;
        Self::open_locked(root, lock)
    }

    /// Opens the library at `root`, creating it first if the folder is missing or empty (or holds
    /// only what an interrupted creation left behind). A folder with other files in it is refused,
    /// so a mistyped path never scatters library files among a teacher's documents.
    pub fn open_or_create(root: &Path) -> Result<(Self, Opened)> {
        fs::create_dir_all(root).at("create the library folder", root)?;
        let lock = LibraryLock::acquire(root)?;
        if root.join(layout::MANIFEST).exists() {
            return Ok((Self::open_locked(root, lock)?, Opened::Existing));
        }
        refuse_foreign_entries(root)?;
        create_folders(root)?;
        let catalog = Catalog::open(&root.join(layout::CATALOG), &root.join(layout::BACKUPS))?;
        let manifest = Manifest::new();
        manifest.write(root)?;
        tracing::info!(library = %root.display(), id = %manifest.library_id, "library created");
        Ok((Self::assemble(root, manifest, catalog, lock), Opened::Created))
    }

    fn open_locked(root: &Path, lock: LibraryLock) -> Result<Self> {
        let manifest = Manifest::read(root)?;
        // Derived and staging folders may have been deleted by hand; they are safe to recreate.
        create_folders(root)?;
        fsutil::clear_staging(&root.join(layout::TMP))?;
        let catalog = Catalog::open(&root.join(layout::CATALOG), &root.join(layout::BACKUPS))?;
        tracing::info!(library = %root.display(), "library opened");
        Ok(Self::assemble(root, manifest, catalog, lock))
    }

    fn assemble(root: &Path, manifest: Manifest, catalog: Catalog, lock: LibraryLock) -> Self {
        let store = ObjectStore::new(root.join(layout::OBJECTS), root.join(layout::TMP));
        Self {
            root: root.to_path_buf(),
            manifest,
            catalog,
            store,
            objects_gate: RwLock::new(()),
            _lock: lock,
        }
    }

    /// Held while new objects are stored and the catalog is made to refer to them. Imports, saves
    /// and merges hold it side by side; [`removing_objects`](Self::removing_objects) waits for all
    /// of them. Never taken again by a thread that holds it.
    pub(crate) fn adding_objects(&self) -> RwLockReadGuard<'_, ()> {
        self.objects_gate.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Held alone by emptying the trash, from reading which objects the catalog refers to until
    /// the others are removed, so that it never sees an object just stored as unreferenced.
    pub(crate) fn removing_objects(&self) -> RwLockWriteGuard<'_, ()> {
        self.objects_gate.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The content store, to read a resource's content.
    pub fn store(&self) -> &ObjectStore {
        &self.store
    }

    /// The library folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The library's stable id, from `library.json`.
    pub fn id(&self) -> &str {
        &self.manifest.library_id
    }

    pub fn info(&self) -> Result<LibraryInfo> {
        let (resource_count, collection_count) = self.catalog.read(|connection| {
            let resources = connection.query_row(
                "SELECT count(*) FROM resources WHERE trashed_at IS NULL",
                [],
                |row| row.get::<_, i64>(0),
            )?;
            let collections =
                connection.query_row("SELECT count(*) FROM collections", [], |row| row.get::<_, i64>(0))?;
            Ok((resources, collections))
        })?;
        // SQLite counts are never negative.
        let (resource_count, collection_count) =
            (resource_count.unsigned_abs(), collection_count.unsigned_abs());
        Ok(LibraryInfo {
            root: self.root.clone(),
            format_version: self.manifest.format_version,
            library_id: self.manifest.library_id.clone(),
            resource_count,
            collection_count,
        })
    }
}

fn create_folders(root: &Path) -> Result<()> {
    for folder in layout::FOLDERS {
        let path = root.join(folder);
        fs::create_dir_all(&path).at("create", &path)?;
    }
    Ok(())
}

fn refuse_foreign_entries(root: &Path) -> Result<()> {
    for entry in fs::read_dir(root).at("list", root)? {
        let entry = entry.at("list", root)?;
        if !entry.file_name().to_str().is_some_and(layout::is_own_entry) {
            return Err(Error::NotALibrary { path: root.to_path_buf() });
        }
    }
    Ok(())
}
