//! The names inside a library folder (DESIGN §4). Paths stored in the catalog are relative to the
//! library root and built from these names, never absolute.

/// Format version and library id.
pub const MANIFEST: &str = "library.json";
/// The SQLite index.
pub const CATALOG: &str = "catalog.sqlite";
/// Immutable content named by hash.
pub const OBJECTS: &str = "objects";
/// Derived thumbnails; safe to delete, rebuilt on demand.
pub const THUMBS: &str = "thumbs";
/// Staging for atomic writes, on the same volume as the objects.
pub const TMP: &str = "tmp";
/// Copies of the catalog taken before a schema upgrade.
pub const BACKUPS: &str = "backups";
/// Working copies handed to the system's apps (`working/<resource id>/<file name>`); edits saved
/// there come back as revisions. Never the stored objects themselves.
pub const WORKING: &str = "working";
/// Held with an exclusive OS lock by the one process using the library.
pub const LOCK: &str = "lock";

/// Folders created in every library.
pub const FOLDERS: [&str; 5] = [OBJECTS, THUMBS, TMP, BACKUPS, WORKING];

/// True for the names this crate itself creates, including SQLite's side files, so that a folder
/// left half-initialised by an interrupted `init` can be initialised again.
pub(crate) fn is_own_entry(name: &str) -> bool {
    FOLDERS.contains(&name)
        || [MANIFEST, CATALOG, LOCK].contains(&name)
        || name.strip_prefix(CATALOG).is_some_and(|rest| ["-wal", "-shm", "-journal"].contains(&rest))
}
