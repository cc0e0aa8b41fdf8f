//! Collections: named groups of resources for a course or a topic. A resource can be in many; a
//! collection can hold collections (nesting); a manual collection keeps the curator's order and a
//! note per item; a smart collection is a saved search whose members follow the library live.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::search::{AFTER_HIT_COLUMNS, HIT_COLUMNS, SearchHit, SearchQuery, hit_from_row};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub id: String,
    /// The collection this one is nested in.
    pub parent_id: Option<String>,
    pub name: String,
    /// The saved search of a smart collection; `None` for a manual one.
    pub query: Option<SearchQuery>,
    /// Resources in it now (for a smart collection: matching now), not counting the trash.
    pub item_count: u64,
    pub created_at: i64,
}

/// A resource in a collection, with the curator's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionEntry {
    pub resource: SearchHit,
    pub note: String,
}

impl Library {
    /// Creates a collection, nested in `parent` if given; smart when `query` is given.
    pub fn create_collection(
        &self,
        name: &str,
        parent: Option<&str>,
        query: Option<SearchQuery>,
    ) -> Result<Collection> {
        let name = collection_name(name)?;
        let id = uuid::Uuid::new_v4().to_string();
        let query_json = query.as_ref().map(|query| serde_json::to_string(query).unwrap_or_default());
        self.catalog.transaction(|transaction| {
            if let Some(parent) = parent {
                require_collection(transaction, parent)?;
            }
            transaction.execute(
                "INSERT INTO collections (id, parent_id, name, query, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, parent, name, query_json, now_ms()],
            )?;
            Ok(())
        })
        .map_err(|error| missing_parent(error, parent))?;
        self.collection(&id)
    }

    pub fn collection(&self, id: &str) -> Result<Collection> {
        let collections = self.collections()?;
        collections.into_iter().find(|collection| collection.id == id).ok_or_else(|| collection_not_found(id))
    }

    /// Every collection, parents before their children, siblings by name.
    pub fn collections(&self) -> Result<Vec<Collection>> {
        let rows = self.catalog.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT c.id, c.parent_id, c.name, c.query, c.created_at,
                        (SELECT count(*) FROM collection_items i JOIN resources r ON r.id = i.resource_id
                         WHERE i.collection_id = c.id AND r.trashed_at IS NULL)
                 FROM collections c ORDER BY c.name COLLATE NOCASE, c.created_at",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let mut collections = Vec::with_capacity(rows.len());
        for (id, parent_id, name, query, created_at, count) in rows {
            let query: Option<SearchQuery> = query.and_then(|json| serde_json::from_str(&json).ok());
            let item_count = match &query {
                Some(query) => self.count(query)?,
                None => count.unsigned_abs(),
            };
            collections.push(Collection { id, parent_id, name, query, item_count, created_at });
        }
        Ok(parents_first(collections))
    }

    pub fn rename_collection(&self, id: &str, name: &str) -> Result<Collection> {
        let name = collection_name(name)?;
        let changed = self.catalog.call(|connection| {
            connection.execute("UPDATE collections SET name = ?2 WHERE id = ?1", params![id, name])
        })?;
        if changed == 0 {
            return Err(collection_not_found(id));
        }
        self.collection(id)
    }

    /// Deletes a collection and the collections nested in it. The resources stay in the library.
    pub fn delete_collection(&self, id: &str) -> Result<()> {
        let changed = self
            .catalog
            .call(|connection| connection.execute("DELETE FROM collections WHERE id = ?1", [id]))?;
        if changed == 0 { Err(collection_not_found(id)) } else { Ok(()) }
    }

    /// Nests a collection in another (or at the top with `None`), refusing to nest it in itself
    /// or in one of its own descendants.
    pub fn move_collection(&self, id: &str, parent: Option<&str>) -> Result<Collection> {
        self.catalog.transaction(|transaction| {
            require_collection(transaction, id)?;
            if let Some(parent) = parent {
                require_collection(transaction, parent)?;
            }
            Ok(())
        })?;
        if let Some(parent) = parent {
            let mut ancestor = Some(parent.to_owned());
            while let Some(current) = ancestor {
                if current == id {
                    return Err(Error::InvalidField {
                        field: "parent".to_owned(),
                        value: parent.to_owned(),
                        reason: "a collection cannot be nested inside itself".to_owned(),
                    });
                }
                ancestor = self.catalog.call(|connection| parent_of(connection, &current))?;
            }
        }
        self.catalog.call(|connection| {
            connection.execute("UPDATE collections SET parent_id = ?2 WHERE id = ?1", params![id, parent])
        })?;
        self.collection(id)
    }

    /// Appends resources to a manual collection, in the given order. Resources already in it
    /// stay where they are.
    pub fn add_to_collection(&self, id: &str, resource_ids: &[String]) -> Result<Collection> {
        self.catalog
            .transaction(|transaction| {
                require_manual(transaction, id)?;
                let mut next: i64 = transaction.query_row(
                    "SELECT coalesce(max(position) + 1, 0) FROM collection_items WHERE collection_id = ?1",
                    [id],
                    |row| row.get(0),
                )?;
                for resource_id in resource_ids {
                    let exists = transaction
                        .query_row("SELECT 1 FROM resources WHERE id = ?1", [resource_id], |_| Ok(()))
                        .optional()?;
                    if exists.is_none() {
                        return Err(rusqlite::Error::QueryReturnedNoRows);
                    }
                    let added = transaction.execute(
                    "INSERT OR IGNORE INTO collection_items (collection_id, resource_id, position, added_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, resource_id, next, now_ms()],
                )?;
                    next += added as i64;
                }
                Ok(())
            })
            .map_err(|error| match error {
                Error::Catalog { source: rusqlite::Error::QueryReturnedNoRows, .. } => {
                    self.first_missing(id, resource_ids)
                }
                other => other,
            })?;
        self.collection(id)
    }

    /// Says why adding to a collection failed: no such collection, a smart one, or which resource
    /// does not exist.
    fn first_missing(&self, collection: &str, resource_ids: &[String]) -> Error {
        match self.collection(collection) {
            Err(error) => return error,
            Ok(found) if found.query.is_some() => {
                return Error::InvalidField {
                    field: "collection".to_owned(),
                    value: found.name,
                    reason: "a smart collection fills itself from its saved search".to_owned(),
                };
            }
            Ok(_) => {}
        }
        let missing = resource_ids.iter().find(|id| self.resource(id).is_err()).cloned().unwrap_or_default();
        Error::ResourceNotFound { id: missing }
    }

    pub fn remove_from_collection(&self, id: &str, resource_id: &str) -> Result<()> {
        self.catalog.transaction(|transaction| {
            transaction.execute(
                "DELETE FROM collection_items WHERE collection_id = ?1 AND resource_id = ?2",
                params![id, resource_id],
            )?;
            renumber(transaction, id)
        })
    }

    /// Moves a resource to `index` in the curator's order (0 is first; past the end is last).
    pub fn move_in_collection(&self, id: &str, resource_id: &str, index: usize) -> Result<()> {
        self.catalog
            .transaction(|transaction| {
                let mut order = ordered_items(transaction, id)?;
                let from = order
                    .iter()
                    .position(|item| item == resource_id)
                    .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                let item = order.remove(from);
                order.insert(index.min(order.len()), item);
                write_order(transaction, id, &order)
            })
            .map_err(|_| Error::ResourceNotFound { id: resource_id.to_owned() })
    }

    /// Sets the curator's note on a resource in a collection.
    pub fn set_collection_note(&self, id: &str, resource_id: &str, note: &str) -> Result<()> {
        let changed = self.catalog.call(|connection| {
            connection.execute(
                "UPDATE collection_items SET note = ?3 WHERE collection_id = ?1 AND resource_id = ?2",
                params![id, resource_id, note.trim()],
            )
        })?;
        if changed == 0 { Err(Error::ResourceNotFound { id: resource_id.to_owned() }) } else { Ok(()) }
    }

    /// The resources in a collection: in the curator's order with notes, or for a smart collection
    /// whatever its search finds now. Resources in the trash are left out.
    pub fn collection_entries(&self, id: &str) -> Result<Vec<CollectionEntry>> {
        let collection = self.collection(id)?;
        if let Some(query) = collection.query {
            let hits = self.search(&query)?;
            return Ok(hits
                .into_iter()
                .map(|resource| CollectionEntry { resource, note: String::new() })
                .collect());
        }
        self.catalog.call(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {HIT_COLUMNS}, i.note FROM collection_items i JOIN resources r ON r.id = i.resource_id
                 WHERE i.collection_id = ?1 AND r.trashed_at IS NULL ORDER BY i.position"
            ))?;
            let rows = statement.query_map([id], |row| {
                Ok(CollectionEntry { resource: hit_from_row(row)?, note: row.get(AFTER_HIT_COLUMNS)? })
            })?;
            rows.collect()
        })
    }
}

fn collection_name(name: &str) -> Result<String> {
    let name = crate::metadata::clean(name);
    if name.is_empty() {
        return Err(Error::InvalidField {
            field: "name".to_owned(),
            value: String::new(),
            reason: "a collection needs a name".to_owned(),
        });
    }
    Ok(name)
}

fn collection_not_found(id: &str) -> Error {
    Error::CollectionNotFound { id: id.to_owned() }
}

fn missing_parent(error: Error, parent: Option<&str>) -> Error {
    match (error, parent) {
        (Error::Catalog { source: rusqlite::Error::QueryReturnedNoRows, .. }, Some(parent)) => {
            collection_not_found(parent)
        }
        (error, _) => error,
    }
}

fn require_collection(transaction: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    transaction.query_row("SELECT 1 FROM collections WHERE id = ?1", [id], |_| Ok(()))
}

/// Smart collections have no items of their own: adding to one would be silently ignored.
fn require_manual(transaction: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    transaction.query_row("SELECT 1 FROM collections WHERE id = ?1 AND query IS NULL", [id], |_| Ok(()))
}

fn parent_of(connection: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    connection
        .query_row("SELECT parent_id FROM collections WHERE id = ?1", [id], |row| row.get(0))
        .optional()
        .map(Option::flatten)
}

fn ordered_items(transaction: &Transaction<'_>, id: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = transaction.prepare_cached(
        "SELECT resource_id FROM collection_items WHERE collection_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    rows.collect()
}

fn write_order(transaction: &Transaction<'_>, id: &str, order: &[String]) -> rusqlite::Result<()> {
    let mut statement = transaction.prepare_cached(
        "UPDATE collection_items SET position = ?3 WHERE collection_id = ?1 AND resource_id = ?2",
    )?;
    for (position, resource_id) in order.iter().enumerate() {
        statement.execute(params![id, resource_id, position as i64])?;
    }
    Ok(())
}

fn renumber(transaction: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    let order = ordered_items(transaction, id)?;
    write_order(transaction, id, &order)
}

/// Orders collections so that each comes after its parent, keeping the name order among siblings.
fn parents_first(collections: Vec<Collection>) -> Vec<Collection> {
    fn visit(parent: Option<&str>, all: &[Collection], out: &mut Vec<Collection>) {
        for collection in all.iter().filter(|collection| collection.parent_id.as_deref() == parent) {
            out.push(collection.clone());
            visit(Some(&collection.id), all, out);
        }
    }
    let mut ordered = Vec::with_capacity(collections.len());
    visit(None, &collections, &mut ordered);
    ordered
}
