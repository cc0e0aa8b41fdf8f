//! [`SqliteStore`]: the crypto store in one SQLite file (bundled SQLite). Its schema comes from
//! numbered migrations compiled into the binary, each applied in one transaction with the bump of
//! `PRAGMA user_version`; every [`Changes`] batch is one transaction.
//!
//! WAL with `synchronous = NORMAL`: a power cut may lose the last few transactions but never half
//! of one. Losing a whole batch is safe because the sync token is in the same batch as what its
//! to-device events changed: the server sends those events again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    AccountRecord, Changes, CryptoStore, InboundGroupSessionRecord, OutboundGroupSessionRecord,
    SessionRecord, TrackedUser,
};
use crate::error::{Error, Result};
use crate::types::DeviceInfo;

pub(crate) struct Migration {
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// Every migration, in order; the schema version of a store is the number applied. Never edit one
/// that has been released: add the next.
const MIGRATIONS: &[Migration] =
    &[Migration { name: "0001_initial", sql: include_str!("../../migrations/0001_initial.sql") }];

pub struct SqliteStore {
    path: PathBuf,
    connection: Connection,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("SqliteStore").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let connection =
            open_migrated(&path, MIGRATIONS, |source| Error::Store { path: path.clone(), source })?;
        Ok(Self { path, connection })
    }

    /// The schema as SQLite reports it, for the snapshot test.
    #[cfg(test)]
    fn schema(&self) -> Vec<String> {
        let mut statement = self
            .connection
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(|row| row.unwrap()).collect()
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::Store { path: self.path.clone(), source }
    }

    fn query_all<T>(
        &self,
        sql: &str,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut statement = self.connection.prepare_cached(sql).map_err(self.error())?;
        let rows = statement.query_map([], map).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<T>>>().map_err(self.error())
    }
}

/// Applies the `migrations` a database at `path` lacks, each in one transaction with the bump of
/// `PRAGMA user_version`; refuses a database newer than them.
/// Opens (creating if needed) the database at `path` the way every store of this crate is kept —
/// WAL, foreign keys on, a busy timeout — and applies `migrations`.
pub(crate) fn open_migrated(
    path: &Path,
    migrations: &[Migration],
    store_error: impl Fn(rusqlite::Error) -> Error,
) -> Result<Connection> {
    let mut connection = Connection::open(path).map_err(&store_error)?;
    connection
        .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(&store_error)?;
    connection.busy_timeout(Duration::from_secs(5)).map_err(&store_error)?;
    migrate(&mut connection, path, migrations)?;
    Ok(connection)
}

pub(crate) fn migrate(connection: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<()> {
    let store_error = |source| Error::Store { path: path.to_path_buf(), source };
    let version: u32 =
        connection.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(store_error)?;
    let supported = migrations.len() as u32;
    if version > supported {
        return Err(Error::StoreTooNew { path: path.to_path_buf(), found: version, supported });
    }
    for (number, migration) in migrations.iter().enumerate().skip(version as usize) {
        let migration_error = |source| Error::Migration { name: migration.name, source };
        let transaction = connection.transaction().map_err(migration_error)?;
        transaction.execute_batch(migration.sql).map_err(migration_error)?;
        transaction.pragma_update(None, "user_version", number as u32 + 1).map_err(migration_error)?;
        transaction.commit().map_err(migration_error)?;
    }
    Ok(())
}

fn json_text<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::json(what))
}

fn from_json_column<T: serde::de::DeserializeOwned>(text: String) -> rusqlite::Result<T> {
    serde_json::from_str(&text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error))
    })
}

impl CryptoStore for SqliteStore {
    fn load_account(&self) -> Result<Option<AccountRecord>> {
        self.connection
            .query_row("SELECT user_id, device_id, pickle, shared FROM account WHERE id = 0", [], |row| {
                Ok(AccountRecord {
                    user_id: row.get(0)?,
                    device_id: row.get(1)?,
                    pickle: row.get(2)?,
                    shared: row.get(3)?,
                })
            })
            .optional()
            .map_err(self.error())
    }

    fn load_sessions(&self) -> Result<Vec<SessionRecord>> {
        self.query_all(
            "SELECT session_id, sender_key, pickle, created_ms, sequence FROM olm_sessions ORDER BY sequence",
            |row| {
                Ok(SessionRecord {
                    session_id: row.get(0)?,
                    sender_key: row.get(1)?,
                    pickle: row.get(2)?,
                    created_ms: row.get::<_, i64>(3)? as u64,
                    sequence: row.get::<_, i64>(4)? as u64,
                })
            },
        )
    }

    fn load_inbound_group_sessions(&self) -> Result<Vec<InboundGroupSessionRecord>> {
        self.query_all(
            "SELECT room_id, session_id, sender_key, claimed_ed25519_key, pickle FROM inbound_group_sessions",
            |row| {
                Ok(InboundGroupSessionRecord {
                    room_id: row.get(0)?,
                    session_id: row.get(1)?,
                    sender_key: row.get(2)?,
                    claimed_ed25519_key: row.get(3)?,
                    pickle: row.get(4)?,
                })
            },
        )
    }

    fn load_outbound_group_sessions(&self) -> Result<Vec<OutboundGroupSessionRecord>> {
        self.query_all("SELECT room_id, session_id, pickle, state FROM outbound_group_sessions", |row| {
            Ok(OutboundGroupSessionRecord {
                room_id: row.get(0)?,
                session_id: row.get(1)?,
                pickle: row.get(2)?,
                state: from_json_column(row.get(3)?)?,
            })
        })
    }

    fn load_devices(&self) -> Result<Vec<DeviceInfo>> {
        self.query_all("SELECT data FROM devices ORDER BY user_id, device_id", |row| {
            from_json_column(row.get(0)?)
        })
    }

    fn load_tracked_users(&self) -> Result<Vec<TrackedUser>> {
        self.query_all("SELECT user_id, dirty, queried FROM tracked_users ORDER BY user_id", |row| {
            Ok(TrackedUser { user_id: row.get(0)?, dirty: row.get(1)?, queried: row.get(2)? })
        })
    }

    fn load_sync_token(&self) -> Result<Option<String>> {
        self.connection
            .query_row("SELECT token FROM sync_token WHERE id = 0", [], |row| row.get(0))
            .optional()
            .map_err(self.error())
    }

    fn is_message_processed(&self, hash: &str) -> Result<bool> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT 1 FROM processed_messages WHERE hash = ?1")
            .map_err(self.error())?;
        statement.exists(params![hash]).map_err(self.error())
    }

    fn room_event_index(&self, session_id: &str, message_index: u32) -> Result<Option<String>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT event_id FROM room_event_indices WHERE session_id = ?1 AND message_index = ?2",
            )
            .map_err(self.error())?;
        statement
            .query_row(params![session_id, message_index], |row| row.get(0))
            .optional()
            .map_err(self.error())
    }

    fn save_changes(&mut self, changes: Changes) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        // Serialise what needs it before the transaction, so that an encoding error leaves nothing
        // half-written.
        let outbound_states = changes
            .outbound_group_sessions
            .iter()
            .map(|session| json_text("outbound session state", &session.state))
            .collect::<Result<Vec<_>>>()?;
        let devices =
            changes.devices.iter().map(|device| json_text("device", device)).collect::<Result<Vec<_>>>()?;
        let path = self.path.clone();
        let transaction =
            self.connection.transaction().map_err(|source| Error::Store { path: path.clone(), source })?;
        write_changes(&transaction, &changes, &outbound_states, &devices)
            .and_then(|()| transaction.commit())
            .map_err(|source| Error::Store { path, source })
    }
}

fn write_changes(
    transaction: &Transaction<'_>,
    changes: &Changes,
    outbound_states: &[String],
    devices: &[String],
) -> rusqlite::Result<()> {
    if let Some(account) = &changes.account {
        transaction.execute(
            "INSERT INTO account (id, user_id, device_id, pickle, shared) VALUES (0, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET user_id = ?1, device_id = ?2, pickle = ?3, shared = ?4",
            params![account.user_id, account.device_id, account.pickle, account.shared],
        )?;
    }
    for session in &changes.sessions {
        transaction.execute(
            "INSERT OR REPLACE INTO olm_sessions (session_id, sender_key, pickle, created_ms, sequence)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                session.session_id,
                session.sender_key,
                session.pickle,
                session.created_ms as i64,
                session.sequence as i64
            ],
        )?;
    }
    for session in &changes.inbound_group_sessions {
        transaction.execute(
            "INSERT OR REPLACE INTO inbound_group_sessions
             (room_id, session_id, sender_key, claimed_ed25519_key, pickle) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                session.room_id,
                session.session_id,
                session.sender_key,
                session.claimed_ed25519_key,
                session.pickle
            ],
        )?;
    }
    for (session, state) in changes.outbound_group_sessions.iter().zip(outbound_states) {
        transaction.execute(
            "INSERT OR REPLACE INTO outbound_group_sessions (room_id, session_id, pickle, state)
             VALUES (?1, ?2, ?3, ?4)",
            params![session.room_id, session.session_id, session.pickle, state],
        )?;
    }
    for (device, data) in changes.devices.iter().zip(devices) {
        transaction.execute(
            "INSERT OR REPLACE INTO devices (user_id, device_id, data) VALUES (?1, ?2, ?3)",
            params![device.user_id, device.device_id, data],
        )?;
    }
    for (user_id, device_id) in &changes.deleted_devices {
        transaction.execute(
            "DELETE FROM devices WHERE user_id = ?1 AND device_id = ?2",
            params![user_id, device_id],
        )?;
    }
    for user in &changes.tracked_users {
        transaction.execute(
            "INSERT OR REPLACE INTO tracked_users (user_id, dirty, queried) VALUES (?1, ?2, ?3)",
            params![user.user_id, user.dirty, user.queried],
        )?;
    }
    for user_id in &changes.untracked_users {
        transaction.execute("DELETE FROM tracked_users WHERE user_id = ?1", params![user_id])?;
    }
    for hash in &changes.processed_messages {
        transaction.execute("INSERT OR IGNORE INTO processed_messages (hash) VALUES (?1)", params![hash])?;
    }
    for index in &changes.room_event_indices {
        transaction.execute(
            "INSERT OR IGNORE INTO room_event_indices (session_id, message_index, event_id) VALUES (?1, ?2, ?3)",
            params![index.session_id, index.message_index, index.event_id],
        )?;
    }
    if let Some(token) = &changes.sync_token {
        transaction.execute(
            "INSERT INTO sync_token (id, token) VALUES (0, ?1) ON CONFLICT (id) DO UPDATE SET token = ?1",
            params![token],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_store() -> (SqliteStore, tempfile::TempDir) {
        let directory = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(directory.path().join("crypto.sqlite")).unwrap();
        (store, directory)
    }

    cryptostore_conformance_tests!(make_store);

    #[test]
    fn schema_snapshot() {
        let (store, _directory) = make_store();
        insta::assert_snapshot!(store.schema().join("\n\n"));
    }

    #[test]
    fn device_rows_keep_their_shape_and_rows_from_before_verification_read_as_unverified() {
        let (mut store, _directory) = make_store();
        let device = DeviceInfo {
            user_id: "@b:x".to_owned(),
            device_id: "B1".to_owned(),
            ed25519: "ed".to_owned(),
            curve25519: "curve".to_owned(),
            algorithms: vec!["m.olm.v1.curve25519-aes-sha2".to_owned()],
            display_name: Some("Laptop".to_owned()),
            first_seen_ms: 5,
            is_new: false,
            verified: true,
        };
        store.save_changes(Changes { devices: vec![device.clone()], ..Changes::default() }).unwrap();
        let stored: String =
            store.connection.query_row("SELECT data FROM devices", [], |row| row.get(0)).unwrap();
        insta::assert_snapshot!("device_row", stored);

        // A row written before `verified` existed.
        store
            .connection
            .execute(
                "UPDATE devices SET data = ?1",
                [r#"{"user_id":"@b:x","device_id":"B1","ed25519":"ed","curve25519":"curve","algorithms":[],"display_name":null,"first_seen_ms":5,"is_new":false}"#],
            )
            .unwrap();
        let loaded = store.load_devices().unwrap();
        assert_eq!(loaded.len(), 1);
        assert!(!loaded[0].verified);
    }

    #[test]
    fn reopening_keeps_everything_and_newer_schemas_are_refused() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("crypto.sqlite");
        let mut store = SqliteStore::open(&path).unwrap();
        store.save_changes(Changes { sync_token: Some("s1".to_owned()), ..Changes::default() }).unwrap();
        drop(store);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.load_sync_token().unwrap().as_deref(), Some("s1"));
        store.connection.pragma_update(None, "user_version", 99).unwrap();
        drop(store);
        let error = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(error, Error::StoreTooNew { found: 99, supported: 1, .. }), "{error}");
    }
}
