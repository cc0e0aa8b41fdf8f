//! [`Timeline`]: an account's rooms as this device has seen them — rooms, members and events with
//! their decrypted text — kept in SQLite for offline reading, paging and local search, plus the
//! **outbox** of messages still to send.
//!
//! It lives in its own file (`timeline.sqlite`) beside the crypto store (`crypto.sqlite`), not in
//! it: the crypto store's schema and `user_version` belong to its own migrations, and the timeline
//! can be thrown away and rebuilt from the homeserver without touching a key. The price is that
//! the two cannot share a transaction; the order makes that safe. A sync batch goes first into the
//! machine (which saves its to-device changes with the token), then into [`Timeline::apply`]
//! (which saves the rooms and events with the same token). The timeline's token is the one the
//! next `/sync` continues from, so a crash between the two replays the batch: the machine refuses
//! the replayed Olm messages (it already has their room keys) and the timeline writes each event
//! once, by id.
//!
//! What it is not: it does no HTTP and no cryptography. Events arrive already decrypted (or with
//! the reason they could not be); outbox rows go out through the transport, which removes a row
//! only once the homeserver answered with an event id ([`Timeline::outbox_sent`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::store::sqlite::{Migration, open_migrated};

const MIGRATIONS: &[Migration] = &[Migration {
    name: "timeline 0001_timeline",
    sql: include_str!("../migrations/timeline/0001_timeline.sql"),
}];

/// Where the user stands in a room, or a member in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Join,
    Invite,
    Leave,
    Ban,
    Knock,
}

impl Membership {
    /// Reads the `membership` of an `m.room.member` content; anything unknown counts as gone.
    pub fn parse(text: &str) -> Self {
        match text {
            "join" => Membership::Join,
            "invite" => Membership::Invite,
            "ban" => Membership::Ban,
            "knock" => Membership::Knock,
            _ => Membership::Leave,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Join => "join",
            Membership::Invite => "invite",
            Membership::Leave => "leave",
            Membership::Ban => "ban",
            Membership::Knock => "knock",
        }
    }
}

/// A room as the list of conversations shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomSummary {
    pub room_id: String,
    pub name: Option<String>,
    pub encrypted: bool,
    /// The `m.room.encryption` content, when the room is encrypted.
    pub encryption: Option<Value>,
    pub membership: Membership,
    /// The other person, when this is a direct message (marked in `m.direct`).
    pub direct_with: Option<String>,
    /// Where paging back into older history continues, `None` at the room's start.
    pub prev_batch: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user_id: String,
    pub membership: Membership,
    pub display_name: Option<String>,
}

/// One room event, decrypted when it was encrypted and could be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvent {
    pub event_id: String,
    pub room_id: String,
    pub sender: String,
    pub origin_server_ts: u64,
    /// The decrypted type; `m.room.encrypted` when it could not be decrypted.
    pub event_type: String,
    pub msgtype: Option<String>,
    pub body: Option<String>,
    pub formatted_body: Option<String>,
    /// The (decrypted) content; an attachment's `file` object is here.
    pub content: Value,
    /// Whether it arrived encrypted.
    pub encrypted: bool,
    /// Why it could not be decrypted, in a sentence; `None` when it was.
    pub undecryptable_reason: Option<String>,
    /// The event as it came, kept while it is undecryptable so a late room key can still open it.
    #[serde(skip)]
    pub raw: Option<Value>,
}

impl TimelineEvent {
    /// A plaintext (or decrypted) event: `event` is the whole event as the homeserver sent it,
    /// `event_type` and `content` what it says (after decryption, when `encrypted`).
    pub fn from_content(
        event: &Value,
        room_id: &str,
        event_type: &str,
        content: Value,
        encrypted: bool,
    ) -> Self {
        let text = |key: &str| content.get(key).and_then(Value::as_str).map(str::to_owned);
        TimelineEvent {
            event_id: string_field(event, "event_id"),
            room_id: room_id.to_owned(),
            sender: string_field(event, "sender"),
            origin_server_ts: event.get("origin_server_ts").and_then(Value::as_u64).unwrap_or_default(),
            event_type: event_type.to_owned(),
            msgtype: text("msgtype"),
            body: text("body"),
            formatted_body: text("formatted_body"),
            content,
            encrypted,
            undecryptable_reason: None,
            raw: None,
        }
    }

    /// An encrypted event that could not be decrypted, with the reason.
    pub fn undecryptable(event: &Value, room_id: &str, reason: String) -> Self {
        let mut timeline_event = Self::from_content(event, room_id, "m.room.encrypted", Value::Null, true);
        timeline_event.content = event.get("content").cloned().unwrap_or(Value::Null);
        timeline_event.undecryptable_reason = Some(reason);
        timeline_event.raw = Some(event.clone());
        timeline_event
    }
}

fn string_field(event: &Value, key: &str) -> String {
    event.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// What one sync brought for one room.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomUpdate {
    pub room_id: String,
    pub membership: Membership,
    /// A new `m.room.name`.
    pub name: Option<String>,
    /// A new `m.room.encryption` content (a room never becomes unencrypted again).
    pub encryption: Option<Value>,
    /// Membership changes, in order.
    pub members: Vec<Member>,
    /// New timeline events, oldest first.
    pub events: Vec<TimelineEvent>,
    /// The timeline's `prev_batch`: kept as the paging point when the room has none yet.
    pub prev_batch: Option<String>,
}

impl RoomUpdate {
    pub fn new(room_id: &str, membership: Membership) -> Self {
        RoomUpdate {
            room_id: room_id.to_owned(),
            membership,
            name: None,
            encryption: None,
            members: Vec::new(),
            events: Vec::new(),
            prev_batch: None,
        }
    }
}

/// Everything one `/sync` response changes in the timeline, written in one transaction together
/// with `next_batch`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncBatch {
    pub next_batch: String,
    pub rooms: Vec<RoomUpdate>,
    /// The `m.direct` account data, when it came: user id → their direct rooms.
    pub direct: Option<BTreeMap<String, Vec<String>>>,
    /// Events decrypted now that were undecryptable before (a late room key).
    pub redecrypted: Vec<TimelineEvent>,
}

/// A message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEntry {
    pub sequence: i64,
    /// Used for every attempt, so the homeserver makes one event of however many retries.
    pub transaction_id: String,
    pub room_id: String,
    pub event_type: String,
    pub content: Value,
    /// The `m.room.encrypted` content, once encrypted: retries send exactly this.
    pub encrypted_content: Option<Value>,
    pub queued_ms: u64,
}

pub struct Timeline {
    path: PathBuf,
    connection: Connection,
}

impl std::fmt::Debug for Timeline {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Timeline").field("path", &self.path).finish_non_exhaustive()
    }
}

const EVENT_COLUMNS: &str = "event_id, room_id, sender, origin_server_ts, event_type, msgtype, body, \
                             formatted_body, content, encrypted, undecryptable_reason, raw";

fn read_event(row: &rusqlite::Row<'_>) -> rusqlite::Result<TimelineEvent> {
    let content: String = row.get(8)?;
    let raw: Option<String> = row.get(11)?;
    Ok(TimelineEvent {
        event_id: row.get(0)?,
        room_id: row.get(1)?,
        sender: row.get(2)?,
        origin_server_ts: row.get::<_, i64>(3)?.max(0) as u64,
        event_type: row.get(4)?,
        msgtype: row.get(5)?,
        body: row.get(6)?,
        formatted_body: row.get(7)?,
        content: serde_json::from_str(&content).unwrap_or(Value::Null),
        encrypted: row.get(9)?,
        undecryptable_reason: row.get(10)?,
        raw: raw.and_then(|raw| serde_json::from_str(&raw).ok()),
    })
}

fn read_room(row: &rusqlite::Row<'_>) -> rusqlite::Result<RoomSummary> {
    let membership: String = row.get(4)?;
    let encryption: Option<String> = row.get(3)?;
    Ok(RoomSummary {
        room_id: row.get(0)?,
        name: row.get(1)?,
        encrypted: row.get(2)?,
        encryption: encryption.and_then(|text| serde_json::from_str(&text).ok()),
        membership: Membership::parse(&membership),
        direct_with: row.get(5)?,
        prev_batch: row.get(6)?,
    })
}

fn read_outbox(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let content: String = row.get(4)?;
    let encrypted: Option<String> = row.get(5)?;
    Ok(OutboxEntry {
        sequence: row.get(0)?,
        transaction_id: row.get(1)?,
        room_id: row.get(2)?,
        event_type: row.get(3)?,
        content: serde_json::from_str(&content).unwrap_or(Value::Null),
        encrypted_content: encrypted.and_then(|text| serde_json::from_str(&text).ok()),
        queued_ms: row.get::<_, i64>(6)?.max(0) as u64,
    })
}

fn json_text(what: &'static str, value: &Value) -> Result<String> {
    serde_json::to_string(value).map_err(Error::json(what))
}

impl Timeline {
    /// Opens (creating and migrating if needed) the timeline at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let connection =
            open_migrated(&path, MIGRATIONS, |source| Error::TimelineStore { path: path.clone(), source })?;
        Ok(Timeline { path, connection })
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::TimelineStore { path: self.path.clone(), source }
    }

    /// The schema as SQLite reports it, for the snapshot test.
    pub fn schema(&self) -> Result<Vec<String>> {
        let mut statement = self
            .connection
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .map_err(self.error())?;
        let rows = statement.query_map([], |row| row.get(0)).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<String>>>().map_err(self.error())
    }

    /// The token the next `/sync` continues from.
    pub fn sync_token(&self) -> Result<Option<String>> {
        self.connection
            .query_row("SELECT token FROM sync_token WHERE id = 0", [], |row| row.get(0))
            .optional()
            .map_err(self.error())
    }

    /// Writes one sync's rooms, members, events and `m.direct`, with its `next_batch`, in one
    /// transaction: all of it or none.
    pub fn apply(&mut self, batch: SyncBatch) -> Result<()> {
        let path = self.path.clone();
        let error = |source| Error::TimelineStore { path: path.clone(), source };
        let transaction = self.connection.transaction().map_err(error)?;
        for room in &batch.rooms {
            let encryption =
                room.encryption.as_ref().map(|value| json_text("encryption", value)).transpose()?;
            transaction
                .execute(
                    "INSERT INTO rooms (room_id, name, encrypted, encryption, membership, prev_batch)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (room_id) DO UPDATE SET
                        name = coalesce(excluded.name, rooms.name),
                        encrypted = max(rooms.encrypted, excluded.encrypted),
                        encryption = coalesce(rooms.encryption, excluded.encryption),
                        membership = excluded.membership,
                        prev_batch = coalesce(rooms.prev_batch, excluded.prev_batch)",
                    params![
                        room.room_id,
                        room.name,
                        encryption.is_some(),
                        encryption,
                        room.membership.as_str(),
                        room.prev_batch
                    ],
                )
                .map_err(error)?;
            for member in &room.members {
                transaction
                    .execute(
                        "INSERT INTO members (room_id, user_id, membership, display_name) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (room_id, user_id) DO UPDATE SET membership = excluded.membership,
                            display_name = coalesce(excluded.display_name, members.display_name)",
                        params![room.room_id, member.user_id, member.membership.as_str(), member.display_name],
                    )
                    .map_err(error)?;
            }
            for event in &room.events {
                insert_event(&transaction, event, Placement::Newest).map_err(error)?;
            }
        }
        for event in &batch.redecrypted {
            insert_event(&transaction, event, Placement::Newest).map_err(error)?;
        }
        if let Some(direct) = &batch.direct {
            // An invitation's own "direct" hint stays until it is accepted and filed in m.direct.
            transaction
                .execute("UPDATE rooms SET direct_with = NULL WHERE membership != 'invite'", [])
                .map_err(error)?;
            for (user, rooms) in direct {
                for room_id in rooms {
                    transaction
                        .execute(
                            "UPDATE rooms SET direct_with = ?2 WHERE room_id = ?1",
                            params![room_id, user],
                        )
                        .map_err(error)?;
                }
            }
        }
        transaction
            .execute(
                "INSERT INTO sync_token (id, token) VALUES (0, ?1)
                 ON CONFLICT (id) DO UPDATE SET token = excluded.token",
                params![batch.next_batch],
            )
            .map_err(error)?;
        transaction.commit().map_err(error)
    }

    /// Records a room this device just created or joined, before a sync reports it, so that a
    /// message can go out at once.
    pub fn record_room(&mut self, update: RoomUpdate, direct_with: Option<&str>) -> Result<()> {
        let room_id = update.room_id.clone();
        let path = self.path.clone();
        let error = |source| Error::TimelineStore { path: path.clone(), source };
        let encryption =
            update.encryption.as_ref().map(|value| json_text("encryption", value)).transpose()?;
        let transaction = self.connection.transaction().map_err(error)?;
        transaction
            .execute(
                "INSERT INTO rooms (room_id, name, encrypted, encryption, membership, direct_with)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (room_id) DO UPDATE SET
                    encrypted = max(rooms.encrypted, excluded.encrypted),
                    encryption = coalesce(rooms.encryption, excluded.encryption),
                    membership = excluded.membership,
                    direct_with = coalesce(excluded.direct_with, rooms.direct_with)",
                params![
                    room_id,
                    update.name,
                    encryption.is_some(),
                    encryption,
                    update.membership.as_str(),
                    direct_with
                ],
            )
            .map_err(error)?;
        for member in &update.members {
            transaction
                .execute(
                    "INSERT INTO members (room_id, user_id, membership) VALUES (?1, ?2, ?3)
                     ON CONFLICT (room_id, user_id) DO UPDATE SET membership = excluded.membership",
                    params![room_id, member.user_id, member.membership.as_str()],
                )
                .map_err(error)?;
        }
        transaction.commit().map_err(error)
    }

    /// Older events from paging back (`/messages`, newest first as it returns them), placed before
    /// everything the room holds; `prev_batch` is where the next page starts (`None`: the start).
    pub fn insert_older(
        &mut self,
        room_id: &str,
        events: &[TimelineEvent],
        prev_batch: Option<&str>,
    ) -> Result<()> {
        let path = self.path.clone();
        let error = |source| Error::TimelineStore { path: path.clone(), source };
        let transaction = self.connection.transaction().map_err(error)?;
        for event in events {
            insert_event(&transaction, event, Placement::Oldest).map_err(error)?;
        }
        transaction
            .execute("UPDATE rooms SET prev_batch = ?2 WHERE room_id = ?1", params![room_id, prev_batch])
            .map_err(error)?;
        transaction.commit().map_err(error)
    }

    pub fn rooms(&self) -> Result<Vec<RoomSummary>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT room_id, name, encrypted, encryption, membership, direct_with, prev_batch
                 FROM rooms ORDER BY room_id",
            )
            .map_err(self.error())?;
        let rows = statement.query_map([], read_room).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    pub fn room(&self, room_id: &str) -> Result<Option<RoomSummary>> {
        self.connection
            .query_row(
                "SELECT room_id, name, encrypted, encryption, membership, direct_with, prev_batch
                 FROM rooms WHERE room_id = ?1",
                params![room_id],
                read_room,
            )
            .optional()
            .map_err(self.error())
    }

    /// The joined direct-message room with `user`, when there is one (the most recent first).
    pub fn direct_room_with(&self, user: &str) -> Result<Option<String>> {
        self.connection
            .query_row(
                "SELECT room_id FROM rooms WHERE direct_with = ?1 AND membership IN ('join', 'invite')
                 ORDER BY membership = 'join' DESC, rowid DESC LIMIT 1",
                params![user],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.error())
    }

    /// The room's members, every membership included.
    pub fn members(&self, room_id: &str) -> Result<Vec<Member>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT user_id, membership, display_name FROM members WHERE room_id = ?1 ORDER BY user_id",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map(params![room_id], |row| {
                let membership: String = row.get(1)?;
                Ok(Member {
                    user_id: row.get(0)?,
                    membership: Membership::parse(&membership),
                    display_name: row.get(2)?,
                })
            })
            .map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    /// The room's latest `limit` events, oldest first.
    pub fn messages(&self, room_id: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM (SELECT * FROM events WHERE room_id = ?1 ORDER BY position DESC LIMIT ?2)
             ORDER BY position"
        );
        let mut statement = self.connection.prepare_cached(&sql).map_err(self.error())?;
        let rows = statement.query_map(params![room_id, limit], read_event).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    pub fn event(&self, event_id: &str) -> Result<Option<TimelineEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE event_id = ?1");
        self.connection.query_row(&sql, params![event_id], read_event).optional().map_err(self.error())
    }

    /// Events still undecryptable, oldest first, at most `limit`.
    pub fn undecryptable(&self, limit: u32) -> Result<Vec<TimelineEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE undecryptable_reason IS NOT NULL AND raw IS NOT NULL
             ORDER BY rowid LIMIT ?1"
        );
        let mut statement = self.connection.prepare_cached(&sql).map_err(self.error())?;
        let rows = statement.query_map(params![limit], read_event).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    /// Full-text search over the decrypted bodies of every room, best matches first. Every word
    /// must occur; the last also matches as a prefix.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<TimelineEvent>> {
        let words: Vec<String> =
            query.split_whitespace().map(|word| format!("\"{}\"", word.replace('"', "\"\""))).collect();
        let Some(last) = words.last() else { return Ok(Vec::new()) };
        let mut expression = words[..words.len() - 1].join(" ");
        expression.push_str(&format!(" {last}*"));
        let sql = format!(
            "SELECT {} FROM events_search JOIN events e ON e.rowid = events_search.rowid
             WHERE events_search MATCH ?1 ORDER BY rank LIMIT ?2",
            EVENT_COLUMNS.split(", ").map(|column| format!("e.{column}")).collect::<Vec<_>>().join(", ")
        );
        let mut statement = self.connection.prepare_cached(&sql).map_err(self.error())?;
        let rows =
            statement.query_map(params![expression.trim(), limit], read_event).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    // --- the outbox ------------------------------------------------------------------------------

    /// Puts a message at the end of the outbox with a new transaction id, and returns it.
    pub fn queue_message(
        &mut self,
        room_id: &str,
        event_type: &str,
        content: &Value,
        now_ms: u64,
    ) -> Result<OutboxEntry> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|error| Error::AttachmentIo {
            action: "get randomness for a transaction id of",
            source: std::io::Error::other(error.to_string()),
        })?;
        let transaction_id = format!("cp{}", crate::machine::hex(&random));
        let content_text = json_text("outbox content", content)?;
        self.connection
            .execute(
                "INSERT INTO outbox (transaction_id, room_id, event_type, content, queued_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![transaction_id, room_id, event_type, content_text, now_ms as i64],
            )
            .map_err(self.error())?;
        Ok(OutboxEntry {
            sequence: self.connection.last_insert_rowid(),
            transaction_id,
            room_id: room_id.to_owned(),
            event_type: event_type.to_owned(),
            content: content.clone(),
            encrypted_content: None,
            queued_ms: now_ms,
        })
    }

    /// Every queued message, in the order they were queued.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT sequence, transaction_id, room_id, event_type, content, encrypted_content, queued_ms
                 FROM outbox ORDER BY sequence",
            )
            .map_err(self.error())?;
        let rows = statement.query_map([], read_outbox).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.error())
    }

    /// Keeps the encrypted form of a queued message, so that every retry sends the same bytes.
    pub fn set_outbox_encrypted(&mut self, transaction_id: &str, encrypted_content: &Value) -> Result<()> {
        let text = json_text("encrypted outbox content", encrypted_content)?;
        self.connection
            .execute(
                "UPDATE outbox SET encrypted_content = ?2 WHERE transaction_id = ?1",
                params![transaction_id, text],
            )
            .map_err(self.error())?;
        Ok(())
    }

    /// The homeserver refused the message for good (not a passing failure): its row goes, so the
    /// messages after it are not held up forever. The caller reports the refusal.
    pub fn discard_outbox(&mut self, transaction_id: &str) -> Result<()> {
        self.connection
            .execute("DELETE FROM outbox WHERE transaction_id = ?1", params![transaction_id])
            .map_err(self.error())?;
        Ok(())
    }

    /// The homeserver answered `event_id` for this transaction: the message is sent, its row goes.
    pub fn outbox_sent(&mut self, transaction_id: &str, event_id: &str) -> Result<()> {
        tracing::debug!(transaction_id, event_id, "queued message sent");
        self.connection
            .execute("DELETE FROM outbox WHERE transaction_id = ?1", params![transaction_id])
            .map_err(self.error())?;
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Placement {
    Newest,
    Oldest,
}

/// Inserts an event, or replaces one that was undecryptable; an event already readable stays.
fn insert_event(
    transaction: &rusqlite::Transaction<'_>,
    event: &TimelineEvent,
    placement: Placement,
) -> rusqlite::Result<()> {
    if event.event_id.is_empty() {
        return Ok(());
    }
    let position = match placement {
        Placement::Newest => "(SELECT coalesce(max(position), 0) + 1 FROM events WHERE room_id = ?2)",
        Placement::Oldest => "(SELECT coalesce(min(position), 0) - 1 FROM events WHERE room_id = ?2)",
    };
    let sql = format!(
        "INSERT INTO events ({EVENT_COLUMNS}, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, {position})
         ON CONFLICT (event_id) DO UPDATE SET
            event_type = excluded.event_type, msgtype = excluded.msgtype, body = excluded.body,
            formatted_body = excluded.formatted_body, content = excluded.content,
            undecryptable_reason = excluded.undecryptable_reason, raw = excluded.raw
         WHERE events.undecryptable_reason IS NOT NULL"
    );
    let content = serde_json::to_string(&event.content).unwrap_or_else(|_| "null".to_owned());
    let raw = event.raw.as_ref().and_then(|raw| serde_json::to_string(raw).ok());
    transaction.execute(
        &sql,
        params![
            event.event_id,
            event.room_id,
            event.sender,
            event.origin_server_ts as i64,
            event.event_type,
            event.msgtype,
            event.body,
            event.formatted_body,
            content,
            event.encrypted,
            event.undecryptable_reason,
            raw
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn open() -> (Timeline, tempfile::TempDir) {
        let directory = tempfile::tempdir().unwrap();
        (Timeline::open(directory.path().join("timeline.sqlite")).unwrap(), directory)
    }

    fn message(event_id: &str, body: &str) -> TimelineEvent {
        let event = json!({ "event_id": event_id, "sender": "@a:x", "origin_server_ts": 5 });
        TimelineEvent::from_content(
            &event,
            "!r:x",
            "m.room.message",
            json!({ "msgtype": "m.text", "body": body }),
            true,
        )
    }

    fn batch(token: &str, events: Vec<TimelineEvent>) -> SyncBatch {
        let mut room = RoomUpdate::new("!r:x", Membership::Join);
        room.events = events;
        room.encryption = Some(json!({ "algorithm": "m.megolm.v1.aes-sha2" }));
        room.members =
            vec![Member { user_id: "@a:x".into(), membership: Membership::Join, display_name: None }];
        SyncBatch { next_batch: token.to_owned(), rooms: vec![room], ..SyncBatch::default() }
    }

    #[test]
    fn schema_snapshot() {
        let (timeline, _directory) = open();
        insta::assert_snapshot!(timeline.schema().unwrap().join("\n\n"));
    }

    #[test]
    fn a_batch_lands_with_its_token_and_replays_write_each_event_once() {
        let (mut timeline, _directory) = open();
        assert_eq!(timeline.sync_token().unwrap(), None);
        timeline.apply(batch("s1", vec![message("$1", "first"), message("$2", "second")])).unwrap();
        timeline.apply(batch("s1", vec![message("$2", "second"), message("$3", "third")])).unwrap();
        assert_eq!(timeline.sync_token().unwrap().as_deref(), Some("s1"));
        let bodies: Vec<_> =
            timeline.messages("!r:x", 10).unwrap().into_iter().filter_map(|event| event.body).collect();
        assert_eq!(bodies, ["first", "second", "third"]);
        let last_two: Vec<_> =
            timeline.messages("!r:x", 2).unwrap().into_iter().filter_map(|event| event.body).collect();
        assert_eq!(last_two, ["second", "third"]);
        let room = timeline.room("!r:x").unwrap().unwrap();
        assert!(room.encrypted);
        assert_eq!(timeline.members("!r:x").unwrap().len(), 1);
    }

    #[test]
    fn an_undecryptable_event_is_kept_with_its_reason_until_its_key_comes() {
        let (mut timeline, _directory) = open();
        let raw = json!({ "event_id": "$1", "sender": "@a:x", "type": "m.room.encrypted", "content": {"algorithm": "x"} });
        let broken = TimelineEvent::undecryptable(&raw, "!r:x", "no key".to_owned());
        timeline.apply(batch("s1", vec![broken])).unwrap();
        let waiting = timeline.undecryptable(10).unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].undecryptable_reason.as_deref(), Some("no key"));
        assert_eq!(waiting[0].raw.as_ref(), Some(&raw));
        timeline
            .apply(SyncBatch {
                next_batch: "s2".into(),
                redecrypted: vec![message("$1", "opened")],
                ..SyncBatch::default()
            })
            .unwrap();
        assert!(timeline.undecryptable(10).unwrap().is_empty());
        assert_eq!(timeline.event("$1").unwrap().unwrap().body.as_deref(), Some("opened"));
        // A decrypted event is never replaced by a worse copy.
        let again = TimelineEvent::undecryptable(&raw, "!r:x", "no key".to_owned());
        timeline.apply(batch("s3", vec![again])).unwrap();
        assert_eq!(timeline.event("$1").unwrap().unwrap().body.as_deref(), Some("opened"));
    }

    #[test]
    fn search_finds_decrypted_text_by_words_and_prefix() {
        let (mut timeline, _directory) = open();
        timeline
            .apply(batch(
                "s1",
                vec![message("$1", "Photosynthesis worksheet"), message("$2", "Fractions quiz")],
            ))
            .unwrap();
        let hits = timeline.search("photo", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].event_id, "$1");
        assert!(timeline.search("quiz \"fractions", 10).unwrap().len() == 1);
        assert!(timeline.search("", 10).unwrap().is_empty());
    }

    #[test]
    fn older_pages_go_before_and_direct_rooms_come_from_m_direct() {
        let (mut timeline, _directory) = open();
        timeline.apply(batch("s1", vec![message("$3", "three")])).unwrap();
        timeline.insert_older("!r:x", &[message("$2", "two"), message("$1", "one")], Some("p0")).unwrap();
        let bodies: Vec<_> =
            timeline.messages("!r:x", 10).unwrap().into_iter().filter_map(|event| event.body).collect();
        assert_eq!(bodies, ["one", "two", "three"]);
        assert_eq!(timeline.room("!r:x").unwrap().unwrap().prev_batch.as_deref(), Some("p0"));
        let direct = BTreeMap::from([("@b:x".to_owned(), vec!["!r:x".to_owned()])]);
        timeline
            .apply(SyncBatch { next_batch: "s2".into(), direct: Some(direct), ..SyncBatch::default() })
            .unwrap();
        assert_eq!(timeline.direct_room_with("@b:x").unwrap().as_deref(), Some("!r:x"));
        assert_eq!(timeline.direct_room_with("@c:x").unwrap(), None);
    }

    #[test]
    fn the_outbox_keeps_order_and_transaction_ids_until_sent() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("timeline.sqlite");
        let mut timeline = Timeline::open(&path).unwrap();
        let first = timeline.queue_message("!r:x", "m.room.message", &json!({"body": "1"}), 1).unwrap();
        let second = timeline.queue_message("!r:x", "m.room.message", &json!({"body": "2"}), 2).unwrap();
        assert_ne!(first.transaction_id, second.transaction_id);
        timeline.set_outbox_encrypted(&first.transaction_id, &json!({"ciphertext": "c"})).unwrap();
        drop(timeline);
        let mut timeline = Timeline::open(&path).unwrap();
        let queued = timeline.outbox().unwrap();
        assert_eq!(
            queued.iter().map(|entry| &entry.transaction_id).collect::<Vec<_>>(),
            [&first.transaction_id, &second.transaction_id]
        );
        assert_eq!(queued[0].encrypted_content, Some(json!({"ciphertext": "c"})));
        timeline.outbox_sent(&first.transaction_id, "$e1").unwrap();
        assert_eq!(timeline.outbox().unwrap(), vec![second]);
    }
}
