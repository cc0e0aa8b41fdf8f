//! `catalog.sqlite`: the library's index. Opened with WAL, foreign keys and a busy timeout; its
//! schema comes from numbered SQL migrations compiled into the binary. Each migration runs in one
//! transaction together with the bump of `PRAGMA user_version`, and before an existing catalog is
//! upgraded a copy of it is written to `backups/`.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

/// A migration: a name for messages and backups, and the SQL it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. The schema version of a catalog is the number applied.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { name: "0001_initial", sql: include_str!("../migrations/0001_initial.sql") },
    Migration { name: "0002_history", sql: include_str!("../migrations/0002_history.sql") },
    Migration { name: "0003_listing_indexes", sql: include_str!("../migrations/0003_listing_indexes.sql") },
    Migration { name: "0004_arrivals", sql: include_str!("../migrations/0004_arrivals.sql") },
    Migration { name: "0005_sizes", sql: include_str!("../migrations/0005_sizes.sql") },
];

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The catalog, with two connections. Writes, and reads that must see them in the same step, go
/// through the first. Reads that stand alone — what the window lists, searches and shows — may go
/// through the second: with WAL a reader never waits for a writer, so browsing stays quick while
/// an import commits its thousands of rows, and each read sees everything committed before it.
#[derive(Debug)]
pub(crate) struct Catalog {
    path: PathBuf,
    connection: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl Catalog {
    /// Opens (creating if needed) and migrates the catalog at `path`, backing it up to
    /// `backup_dir` first when an upgrade is due.
    pub(crate) fn open(path: &Path, backup_dir: &Path) -> Result<Self> {
        Self::open_with(path, backup_dir, MIGRATIONS)
    }

    pub(crate) fn open_with(path: &Path, backup_dir: &Path, migrations: &[Migration]) -> Result<Self> {
        let catalog_error = |source| Error::Catalog { path: path.to_path_buf(), source };
        let mut connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(catalog_error)?;
        configure(&connection).map_err(catalog_error)?;
        migrate(&mut connection, path, backup_dir, migrations)?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(catalog_error)?;
        reader.busy_timeout(BUSY_TIMEOUT).map_err(catalog_error)?;
        // It only reads: SQLite refuses any write through it.
        reader.pragma_update(None, "query_only", "ON").map_err(catalog_error)?;
        Ok(Self { path: path.to_path_buf(), connection: Mutex::new(connection), reader: Mutex::new(reader) })
    }

    /// Runs `work`, which only reads, on the reading connection: it does not wait for a write in
    /// progress, and sees what was committed before it started.
    pub(crate) fn read<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let reader: MutexGuard<'_, Connection> = self.reader.lock().unwrap_or_else(PoisonError::into_inner);
        work(&reader).map_err(|source| Error::Catalog { path: self.path.clone(), source })
    }

    /// Runs `work` with the connection. The lock is held only for the call; a panic while holding
    /// it cannot leave SQLite half-written (the transaction rolls back), so poisoning is ignored.
    pub(crate) fn call<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let connection: MutexGuard<'_, Connection> =
            self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        work(&connection).map_err(|source| Error::Catalog { path: self.path.clone(), source })
    }

    /// Runs `work` in one transaction: everything it writes is committed together, or nothing is.
    pub(crate) fn transaction<T>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let mut connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        let catalog_error = |source| Error::Catalog { path: self.path.clone(), source };
        let transaction = connection.transaction().map_err(catalog_error)?;
        let value = work(&transaction).map_err(catalog_error)?;
        transaction.commit().map_err(catalog_error)?;
        Ok(value)
    }
}

/// Milliseconds since the Unix epoch, the catalog's unit of time.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn schema_version(connection: &Connection) -> rusqlite::Result<u32> {
    connection.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn migrate(
    connection: &mut Connection,
    path: &Path,
    backup_dir: &Path,
    migrations: &[Migration],
) -> Result<()> {
    let catalog_error = |source| Error::Catalog { path: path.to_path_buf(), source };
    let current = schema_version(connection).map_err(catalog_error)?;
    let latest = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    if current > latest {
        return Err(Error::CatalogTooNew { path: path.to_path_buf(), found: current, supported: latest });
    }
    if current == latest {
        return Ok(());
    }
    if current > 0 {
        backup(connection, path, backup_dir, current)?;
    }
    // SQLite's procedure for changing a table's definition: foreign keys off (it cannot be changed
    // inside a transaction), rebuild, check every reference before committing, foreign keys on.
    // Without it, dropping a rebuilt table would cascade into the tables that refer to it.
    connection.pragma_update(None, "foreign_keys", "OFF").map_err(catalog_error)?;
    let result = apply(connection, current, migrations);
    connection.pragma_update(None, "foreign_keys", "ON").map_err(catalog_error)?;
    result
}

fn apply(connection: &mut Connection, current: u32, migrations: &[Migration]) -> Result<()> {
    for (version, migration) in (current + 1..).zip(&migrations[current as usize..]) {
        let migration_error = |source| Error::Migration { name: migration.name, source };
        let transaction = connection.transaction().map_err(migration_error)?;
        transaction.execute_batch(migration.sql).map_err(migration_error)?;
        let broken: Option<String> = transaction
            .query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |row| row.get(0))
            .optional()
            .map_err(migration_error)?;
        if let Some(table) = broken {
            return Err(migration_error(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("a row of {table} refers to a row that does not exist")),
            )));
        }
        transaction.pragma_update(None, "user_version", version).map_err(migration_error)?;
        transaction.commit().map_err(migration_error)?;
        tracing::info!(migration = migration.name, version, "catalog migrated");
    }
    Ok(())
}

/// Copies the catalog, consistent and compacted, to `backups/catalog-v<version>.sqlite` before it
/// is upgraded. An existing backup of the same version is kept rather than overwritten: it is the
/// older, and so the safer, of the two.
fn backup(connection: &Connection, path: &Path, backup_dir: &Path, version: u32) -> Result<()> {
    let target = backup_dir.join(format!("catalog-v{version}.sqlite"));
    if target.exists() {
        return Ok(());
    }
    connection
        .execute("VACUUM INTO ?1", [target.to_string_lossy()])
        .map_err(|source| Error::Catalog { path: path.to_path_buf(), source })?;
    tracing::info!(backup = %target.display(), "catalog backed up before upgrade");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(connection: &Connection) -> String {
        let mut statement = connection
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name")
            .unwrap();
        let rows = statement.query_map([], |row| row.get::<_, String>(0)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join(";\n\n")
    }

    #[test]
    fn reads_do_not_wait_for_a_write_in_progress_and_cannot_write() {
        let temp = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&temp.path().join("catalog.sqlite"), temp.path()).unwrap();
        let count = |connection: &Connection| {
            connection.query_row("SELECT count(*) FROM collections", [], |row| row.get::<_, i64>(0))
        };
        let (read_done, wait_for_read) = std::sync::mpsc::channel();
        let catalog = &catalog;
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                catalog.transaction(|transaction| {
                    transaction.execute(
                        "INSERT INTO collections (id, parent_id, name, query, created_at) VALUES ('c', NULL, 'Unit', NULL, 0)",
                        [],
                    )?;
                    // Hold the write open until the read has finished; if the read waited for
                    // this write, it never would, and this gives up.
                    wait_for_read
                        .recv_timeout(Duration::from_secs(30))
                        .map_err(|_| rusqlite::Error::InvalidQuery)
                })
            });
            let during = catalog.read(count).unwrap();
            read_done.send(()).unwrap();
            writer.join().unwrap().expect("the read finished while the write was open");
            assert_eq!(during, 0, "the read saw what was committed before it, not the open write");
        });
        assert_eq!(catalog.read(count).unwrap(), 1, "and the next read sees the commit");
        let refused = catalog.read(|connection| connection.execute("DELETE FROM collections", []));
        assert!(refused.is_err(), "the reading connection cannot write");
    }

    #[test]
    fn all_migrations_on_an_empty_catalog_give_the_reviewed_schema() {
        let folder = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&folder.path().join("catalog.sqlite"), folder.path()).unwrap();
        let version = catalog.call(schema_version).unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        insta::assert_snapshot!(catalog.call(|connection| Ok(schema(connection))).unwrap());
    }

    #[test]
    fn catalog_is_opened_with_wal_foreign_keys_and_busy_timeout() {
        let folder = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&folder.path().join("catalog.sqlite"), folder.path()).unwrap();
        let (journal, foreign_keys, timeout) = catalog
            .call(|connection| {
                Ok((
                    connection.pragma_query_value(None, "journal_mode", |row| row.get::<_, String>(0))?,
                    connection.pragma_query_value(None, "foreign_keys", |row| row.get::<_, i64>(0))?,
                    connection.pragma_query_value(None, "busy_timeout", |row| row.get::<_, i64>(0))?,
                ))
            })
            .unwrap();
        assert_eq!((journal.as_str(), foreign_keys, timeout), ("wal", 1, 5000));
    }

    const FIRST: Migration = Migration { name: "first", sql: "CREATE TABLE a (x INTEGER) STRICT;" };
    const SECOND: Migration = Migration { name: "second", sql: "CREATE TABLE b (y INTEGER) STRICT;" };
    const BROKEN: Migration = Migration {
        name: "broken",
        sql: "CREATE TABLE c (z INTEGER) STRICT; INSERT INTO nowhere VALUES (1);",
    };

    #[test]
    fn upgrade_backs_up_the_old_catalog_first() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("catalog.sqlite");
        drop(Catalog::open_with(&path, folder.path(), &[FIRST]).unwrap());
        let catalog = Catalog::open_with(&path, folder.path(), &[FIRST, SECOND]).unwrap();
        assert_eq!(catalog.call(schema_version).unwrap(), 2);

        let backup = Connection::open(folder.path().join("catalog-v1.sqlite")).unwrap();
        assert_eq!(schema_version(&backup).unwrap(), 1);
        assert_eq!(schema(&backup), "CREATE TABLE a (x INTEGER) STRICT");
    }

    #[test]
    fn a_failing_migration_leaves_the_catalog_at_the_previous_version() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("catalog.sqlite");
        drop(Catalog::open_with(&path, folder.path(), &[FIRST]).unwrap());
        let error = Catalog::open_with(&path, folder.path(), &[FIRST, BROKEN]).unwrap_err();
        assert!(matches!(error, Error::Migration { name: "broken", .. }), "{error}");

        let connection = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&connection).unwrap(), 1);
        assert_eq!(schema(&connection), "CREATE TABLE a (x INTEGER) STRICT", "table c must be rolled back");
    }

    #[test]
    fn a_migration_that_breaks_a_reference_is_rolled_back() {
        const PARENT: Migration = Migration {
            name: "parent",
            sql: "CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT;
                  CREATE TABLE c (p INTEGER REFERENCES p (id) ON DELETE CASCADE) STRICT;
                  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);",
        };
        const DANGLING: Migration = Migration { name: "dangling", sql: "DELETE FROM p;" };
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("catalog.sqlite");
        drop(Catalog::open_with(&path, folder.path(), &[PARENT]).unwrap());
        let error = Catalog::open_with(&path, folder.path(), &[PARENT, DANGLING]).unwrap_err();
        assert!(error.to_string().contains("a row of c refers"), "{error}");
        let connection = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&connection).unwrap(), 1);
        let children: i64 = connection.query_row("SELECT count(*) FROM c", [], |row| row.get(0)).unwrap();
        assert_eq!(children, 1, "the child row must survive, not be cascaded away");
    }

    #[test]
    fn upgrading_from_the_first_schema_keeps_revisions_and_their_parents() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("catalog.sqlite");
        drop(Catalog::open_with(&path, folder.path(), &MIGRATIONS[..1]).unwrap());
        {
            let connection = Connection::open(&path).unwrap();
            connection
                .execute_batch(
                    "INSERT INTO resources (id, head, title, licence, language, resource_type,
                         educational_level, media_type, file_name, object, size, created_at, updated_at)
                     VALUES ('r', 'b', 't', 'unknown', '', '', '', 'text/plain', 'a.txt', 'o', 1, 0, 0);
                     INSERT INTO revisions VALUES ('a', 'r', 'o', 0, x'7b7d'), ('b', 'r', 'o', 1, x'7b7d');
                     INSERT INTO revision_parents VALUES ('b', 'a', 0);",
                )
                .unwrap();
        }
        let catalog = Catalog::open(&path, folder.path()).unwrap();
        let (revisions, parents) = catalog
            .call(|connection| {
                Ok((
                    connection.query_row("SELECT count(*) FROM revisions", [], |row| row.get::<_, i64>(0))?,
                    connection
                        .query_row("SELECT count(*) FROM revision_parents", [], |row| row.get::<_, i64>(0))?,
                ))
            })
            .unwrap();
        assert_eq!((revisions, parents), (2, 1));
        let foreign_keys: i64 = catalog
            .call(|connection| connection.pragma_query_value(None, "foreign_keys", |row| row.get(0)))
            .unwrap();
        assert_eq!(foreign_keys, 1, "foreign keys are back on after migrating");
    }

    #[test]
    fn a_catalog_from_a_newer_app_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("catalog.sqlite");
        drop(Catalog::open_with(&path, folder.path(), &[FIRST, SECOND]).unwrap());
        let error = Catalog::open_with(&path, folder.path(), &[FIRST]).unwrap_err();
        assert!(matches!(error, Error::CatalogTooNew { found: 2, supported: 1, .. }), "{error}");
    }
}
