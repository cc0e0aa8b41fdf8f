//! Resources after import: details, metadata edits (each a new revision), export under the
//! proper file name, and the trash.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::library::Library;
use crate::metadata::{Field, FieldSource, Metadata};
use crate::revision::Revision;
use crate::store::ObjectId;
use crate::{fsutil, licence};

/// Everything `show` reports about a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDetails {
    pub id: String,
    /// The current revision.
    pub head: String,
    pub metadata: Metadata,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    #[ts(type = "string")]
    pub object: ObjectId,
    pub created_at: i64,
    pub updated_at: i64,
    pub trashed_at: Option<i64>,
    pub revision_count: u64,
    /// The file it came from in a watched folder has been deleted.
    pub source_removed: bool,
    /// The manual collections it is in.
    pub collections: Vec<String>,
    /// Width and height in pixels, for an image whose header can be read.
    pub image_size: Option<ImageSize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl Library {
    /// The resource's details, from its head revision.
    pub fn resource(&self, id: &str) -> Result<ResourceDetails> {
        let mut details =
            self.catalog.read(|connection| details(connection, id))?.ok_or_else(|| not_found(id))?;
        if details.media_type.starts_with("image/") {
            // Read from the header of the stored content, which never changes: a few bytes.
            details.image_size = crate::extract::image_size(&self.store.path(details.object))
                .map(|(width, height)| ImageSize { width, height });
        }
        Ok(details)
    }

    /// Sets metadata fields, recording them as set by the user, as one new revision.
    pub fn edit(&self, id: &str, changes: &[(Field, String)], author: &str) -> Result<ResourceDetails> {
        let current = self.resource(id)?;
        let mut metadata = current.metadata.clone();
        for (field, value) in changes {
            let value = if *field == Field::Licence {
                let wanted = licence::parse_user_value(value)?;
                let terms = self.licence_terms(id)?;
                if wanted != current.metadata.licence && !terms.allows(&wanted) {
                    return Err(Error::LicenceNotAllowed {
                        licence: wanted,
                        reason: terms.refusal(&current.metadata.title),
                    });
                }
                wanted
            } else {
                value.clone()
            };
            metadata.put(*field, &value);
            metadata.sources.insert(*field, FieldSource::User);
        }
        if metadata == current.metadata {
            return Ok(current);
        }
        let names: Vec<&str> = changes.iter().map(|(field, _)| field.name()).collect();
        let revision = Revision {
            parents: vec![current.head.clone()],
            object: current.object,
            size: current.size,
            file_name: current.file_name.clone(),
            media_type: current.media_type.clone(),
            metadata,
            author: author.to_owned(),
            created_at: now_ms(),
            message: format!("Edited {}", names.join(", ")),
        };
        self.catalog.transaction(|transaction| set_head(transaction, id, &revision, None))?;
        self.resource(id)
    }

    /// Makes the content of the file at `source` the resource's new revision. Metadata the user
    /// set is kept; metadata that came from the file is read again from the new content. Returns
    /// the resource unchanged when the content is the same.
    pub fn revise(&self, id: &str, source: &Path, message: &str, author: &str) -> Result<ResourceDetails> {
        let _adding = self.adding_objects();
        let current = self.resource(id)?;
        let stored = self.store.put_file(source)?;
        if stored.id == current.object {
            return Ok(current);
        }
        let (metadata, text) = self.metadata_for_content(
            id,
            &current.metadata,
            stored.id,
            &current.file_name,
            &current.media_type,
        )?;
        let revision = Revision {
            parents: vec![current.head.clone()],
            object: stored.id,
            size: stored.size,
            file_name: current.file_name.clone(),
            media_type: current.media_type.clone(),
            metadata,
            author: author.to_owned(),
            created_at: now_ms(),
            message: message.to_owned(),
        };
        self.catalog.transaction(|transaction| set_head(transaction, id, &revision, Some(&text)))?;
        self.resource(id)
    }

    /// The metadata of `id` once its content is `object`: what the new content says, for every
    /// field the user has not set, with its searchable text. Content that says nothing about its
    /// licence keeps the licence the resource had, and so does content whose licence statement the
    /// resource may not carry (a private copy stays private whatever its text claims).
    pub(crate) fn metadata_for_content(
        &self,
        id: &str,
        base: &Metadata,
        object: ObjectId,
        file_name: &str,
        media_type: &str,
    ) -> Result<(Metadata, String)> {
        let extracted = crate::extract::extract(&self.store.path(object), file_name, media_type);
        let mut fresh = extracted.metadata;
        if !fresh.licence.trim().is_empty() {
            fresh.licence = licence::normalise(&fresh.licence);
            if fresh.licence != base.licence && !self.licence_terms(id)?.allows(&fresh.licence) {
                tracing::info!(
                    resource = id,
                    "a licence statement in the content is outside its terms; kept the old one"
                );
                fresh.licence.clear();
            }
        }
        let mut metadata = base.clone();
        metadata.refresh_from(&fresh);
        Ok((metadata, extracted.text))
    }

    /// Writes the current content to `destination`: into it under the resource's file name when it
    /// is a folder, or to that path otherwise. An existing file is never overwritten.
    pub fn export(&self, id: &str, destination: &Path) -> Result<PathBuf> {
        let resource = self.resource(id)?;
        let target = if destination.is_dir() {
            destination.join(portable_file_name(&resource.file_name))
        } else {
            destination.to_path_buf()
        };
        if fs::symlink_metadata(&target).is_ok() {
            return Err(Error::Io {
                action: "export to",
                path: target,
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a file with this name already exists",
                ),
            });
        }
        let staging =
            target.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut staged = fsutil::staged_file(staging)?;
        let mut object = self.store.open(resource.object)?;
        std::io::copy(&mut object, &mut staged).at("write", staged.path())?;
        fsutil::persist_new(staged, &target)?;
        Ok(target)
    }

    /// Moves a resource to the trash. It keeps its history and can be restored.
    pub fn trash(&self, id: &str) -> Result<()> {
        self.set_trashed(id, Some(now_ms()))
    }

    pub fn restore(&self, id: &str) -> Result<()> {
        self.set_trashed(id, None)
    }

    fn set_trashed(&self, id: &str, when: Option<i64>) -> Result<()> {
        let changed = self.catalog.call(|connection| {
            connection.execute("UPDATE resources SET trashed_at = ?2 WHERE id = ?1", params![id, when])
        })?;
        if changed == 0 { Err(not_found(id)) } else { Ok(()) }
    }

    /// Deletes the resources in the trash for good, then the revisions no remaining history reaches,
    /// then every object no revision refers to, and the object folders left empty.
    /// Returns how many resources and objects were removed.
    pub fn empty_trash(&self) -> Result<(u64, u64)> {
        // Listed before imports and saves are held up: walking a large store takes a while, and
        // an object stored after this is not a candidate anyway.
        let stored = self.store.inventory()?;
        let _removing = self.removing_objects();
        let (removed, objects) = self.catalog.transaction(|transaction| {
            transaction.execute(
                "DELETE FROM resource_text WHERE rowid IN (SELECT key FROM resources WHERE trashed_at IS NOT NULL)",
                [],
            )?;
            let removed = transaction.execute("DELETE FROM resources WHERE trashed_at IS NOT NULL", [])?;
            // Revisions of deleted resources stay while a copy's history still runs through them.
            crate::graph::remove_unreachable(transaction)?;
            let mut statement = transaction.prepare("SELECT DISTINCT object FROM revisions")?;
            let objects = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((removed as u64, objects))
        })?;
        let referenced: std::collections::HashSet<String> = objects.into_iter().collect();
        let deleted = self.store.remove_unreferenced(stored.objects, &referenced)?;
        for folder in &stored.empty_folders {
            self.store.remove_if_empty(folder);
        }
        tracing::info!(resources = removed, objects = deleted, "trash emptied");
        Ok((removed, deleted))
    }
}

fn not_found(id: &str) -> Error {
    Error::ResourceNotFound { id: id.to_owned() }
}

fn details(connection: &Connection, id: &str) -> rusqlite::Result<Option<ResourceDetails>> {
    let row = connection
        .query_row(
            "SELECT r.head, v.encoded, r.created_at, r.updated_at, r.trashed_at,
                    (SELECT count(*) FROM revisions WHERE resource_id = r.id), r.source_removed
             FROM resources r JOIN revisions v ON v.id = r.head WHERE r.id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, bool>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((head, encoded, created_at, updated_at, trashed_at, revision_count, source_removed)) = row
    else {
        return Ok(None);
    };
    let revision: Revision = serde_json::from_slice(&encoded).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Blob, Box::new(error))
    })?;
    Ok(Some(ResourceDetails {
        id: id.to_owned(),
        head,
        metadata: revision.metadata,
        file_name: revision.file_name,
        media_type: revision.media_type,
        size: revision.size,
        object: revision.object,
        created_at,
        updated_at,
        trashed_at,
        revision_count: revision_count.unsigned_abs(),
        source_removed,
        collections: collections_of(connection, id)?,
        image_size: None,
    }))
}

fn collections_of(connection: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare_cached(
        "SELECT collection_id FROM collection_items WHERE resource_id = ?1 ORDER BY collection_id",
    )?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    rows.collect()
}

/// Stores a revision of `resource_id`, returning its id. Storing the same revision twice is a
/// no-op: its id is its content.
pub(crate) fn insert_revision(
    transaction: &Transaction<'_>,
    resource_id: &str,
    revision: &Revision,
) -> rusqlite::Result<String> {
    let id = revision.id();
    let inserted = transaction
        .prepare_cached(
            "INSERT OR IGNORE INTO revisions (id, resource_id, object, created_at, encoded) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, resource_id, revision.object.to_hex(), revision.created_at, revision.encode()])?;
    if inserted > 0 {
        let mut statement = transaction.prepare_cached(
            "INSERT INTO revision_parents (revision_id, parent_id, position) VALUES (?1, ?2, ?3)",
        )?;
        for (position, parent) in revision.parents.iter().enumerate() {
            statement.execute(params![id, parent, position as i64])?;
        }
    }
    Ok(id)
}

/// Makes `revision` the head of `resource_id` — creating the resource if it is new — updating
/// the listing columns and the index. `text` replaces the indexed body when the content changed.
pub(crate) fn set_head(
    transaction: &Transaction<'_>,
    resource_id: &str,
    revision: &Revision,
    text: Option<&str>,
) -> rusqlite::Result<()> {
    let key = write_head(transaction, resource_id, revision)?;
    index_text(transaction, key, &revision.metadata, text)
}

/// The rows of [`set_head`] without the index: the resource's listing columns and the revision.
/// Returns the resource's key in the index, for [`index_text`].
///
/// Writing many resources in one transaction, write all their rows first and their texts after:
/// a statement that may have to be undone on its own makes the full-text index write out what it
/// holds so far, so alternating rows and texts writes a tiny index segment per resource and then
/// merges them all, which costs several times the rest of the transaction.
pub(crate) fn write_head(
    transaction: &Transaction<'_>,
    resource_id: &str,
    revision: &Revision,
) -> rusqlite::Result<i64> {
    let metadata = &revision.metadata;
    // The resource row first: the revision refers to it.
    let key: i64 = transaction
        .prepare_cached(
            "INSERT INTO resources (id, head, title, licence, language, resource_type, educational_level,
                 media_type, file_name, object, size, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
             ON CONFLICT (id) DO UPDATE SET head = excluded.head, title = excluded.title,
                 licence = excluded.licence, language = excluded.language,
                 resource_type = excluded.resource_type, educational_level = excluded.educational_level,
                 media_type = excluded.media_type, file_name = excluded.file_name, object = excluded.object,
                 size = excluded.size, updated_at = excluded.updated_at
             RETURNING key",
        )?
        .query_row(
            params![
                resource_id,
                revision.id(),
                metadata.title,
                metadata.licence,
                metadata.language,
                metadata.resource_type,
                metadata.educational_level,
                revision.media_type,
                revision.file_name,
                revision.object.to_hex(),
                i64::try_from(revision.size).unwrap_or(i64::MAX),
                revision.created_at,
            ],
            |row| row.get(0),
        )?;
    insert_revision(transaction, resource_id, revision)?;
    Ok(key)
}

/// Writes the searchable text of a resource. Without `body`, the indexed body is kept.
pub(crate) fn index_text(
    transaction: &Transaction<'_>,
    key: i64,
    metadata: &Metadata,
    body: Option<&str>,
) -> rusqlite::Result<()> {
    let creators = metadata.creators.join(" ");
    let keywords = metadata.keywords.join(" ");
    match body {
        Some(body) => transaction
            .prepare_cached(
                "INSERT OR REPLACE INTO resource_text (rowid, title, creators, keywords, description, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![key, metadata.title, creators, keywords, metadata.description, body])?,
        None => transaction
            .prepare_cached(
                "UPDATE resource_text SET title = ?2, creators = ?3, keywords = ?4, description = ?5 WHERE rowid = ?1",
            )?
            .execute(params![key, metadata.title, creators, keywords, metadata.description])?,
    };
    Ok(())
}

/// A file name that every desktop system accepts: no reserved device names (Windows), no
/// characters Windows forbids, no trailing dots or spaces.
pub(crate) fn portable_file_name(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let mut cleaned: String =
        name.chars().map(|c| if c.is_control() || "<>:\"/\\|?*".contains(c) { '_' } else { c }).collect();
    while cleaned.ends_with(['.', ' ']) {
        cleaned.pop();
    }
    let stem = cleaned.split('.').next().unwrap_or_default().to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        cleaned.insert(0, '_');
    }
    if cleaned.is_empty() { "untitled".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_names_are_portable() {
        assert_eq!(portable_file_name("CON.txt"), "_CON.txt");
        assert_eq!(portable_file_name("lpt1"), "_lpt1");
        assert_eq!(portable_file_name("a<b>:c?.md"), "a_b__c_.md");
        assert_eq!(portable_file_name("notes. "), "notes");
        assert_eq!(portable_file_name("..."), "untitled");
        assert_eq!(portable_file_name("console.md"), "console.md");
    }
}
