//! The revision graph across the whole library: finding a revision by an id prefix, walking
//! ancestors, the common ancestor a merge starts from, and which revisions are still reachable.
//!
//! Revisions form one graph, not one per resource: a copy's first revision has its source's
//! revision as parent, so the history of a copy runs into its source's, and two copies of the same
//! work share an ancestor. The graph is acyclic by construction (a revision's id is the hash of an
//! encoding that names its parents), and bundles are checked for that before anything of theirs is
//! stored.

use std::collections::{HashMap, HashSet, VecDeque};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::revision::Revision;

/// Reads a stored revision, by its full id.
pub(crate) fn load(connection: &Connection, id: &str) -> rusqlite::Result<Option<Revision>> {
    let encoded: Option<Vec<u8>> = connection
        .query_row("SELECT encoded FROM revisions WHERE id = ?1", [id], |row| row.get(0))
        .optional()?;
    encoded.map(|encoded| decode(id, &encoded)).transpose()
}

/// Decodes a stored revision's canonical encoding.
pub(crate) fn decode(id: &str, encoded: &[u8]) -> rusqlite::Result<Revision> {
    serde_json::from_slice(encoded).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            format!("the stored record of revision {id} is damaged: {error}").into(),
        )
    })
}

/// The full id of the one revision anywhere in the library whose id starts with `prefix` (at least
/// 8 hex digits, as lists show them). Fails inside `work` of a catalog call with a message for the
/// person who typed it; `None` when no revision matches.
pub(crate) fn resolve_prefix(connection: &Connection, prefix: &str) -> rusqlite::Result<Prefix> {
    let prefix = prefix.to_ascii_lowercase();
    if prefix.len() < 8 || prefix.len() > 64 || !prefix.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Ok(Prefix::None);
    }
    // Hex digits sort below 'g', so the ids with this prefix are exactly those in [prefix, prefix+'g').
    let upper = format!("{prefix}g");
    let mut statement = connection
        .prepare_cached("SELECT id FROM revisions WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2")?;
    let mut matches = statement
        .query_map(params![prefix, upper], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match matches.len() {
        0 => Prefix::None,
        1 => Prefix::One(matches.remove(0)),
        _ => Prefix::Ambiguous,
    })
}

/// What an id prefix names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Prefix {
    None,
    One(String),
    Ambiguous,
}

impl Prefix {
    /// The full id, or the error that says what was wrong with `prefix`.
    pub(crate) fn into_result(self, resource: &str, prefix: &str) -> Result<String> {
        match self {
            Prefix::One(id) => Ok(id),
            Prefix::None => {
                Err(Error::RevisionNotFound { resource: resource.to_owned(), revision: prefix.to_owned() })
            }
            Prefix::Ambiguous => Err(Error::InvalidField {
                field: "revision".to_owned(),
                value: prefix.to_owned(),
                reason: "more than one revision starts with it; give more digits".to_owned(),
            }),
        }
    }
}

/// The parents of every revision reachable from `starts`, loaded in one query.
pub(crate) fn parents_reachable_from(
    connection: &Connection,
    starts: &[&str],
) -> rusqlite::Result<HashMap<String, Vec<String>>> {
    let mut parents: HashMap<String, Vec<String>> = HashMap::new();
    let mut statement = connection.prepare_cached(
        "WITH RECURSIVE reach(id) AS (
             SELECT value FROM json_each(?1)
             UNION
             SELECT p.parent_id FROM revision_parents p JOIN reach ON p.revision_id = reach.id
         )
         SELECT p.revision_id, p.parent_id FROM revision_parents p JOIN reach ON p.revision_id = reach.id
         ORDER BY p.revision_id, p.position",
    )?;
    let starts = serde_json::to_string(starts).unwrap_or_else(|_| "[]".to_owned());
    let rows =
        statement.query_map([starts], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    for row in rows {
        let (child, parent) = row?;
        parents.entry(child).or_default().push(parent);
    }
    Ok(parents)
}

/// `start` and all its ancestors.
pub(crate) fn ancestors(parents: &HashMap<String, Vec<String>>, start: &str) -> HashSet<String> {
    walk(parents, [start.to_owned()])
}

fn walk(parents: &HashMap<String, Vec<String>>, starts: impl IntoIterator<Item = String>) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut queue: VecDeque<String> = starts.into_iter().collect();
    while let Some(revision) = queue.pop_front() {
        if let Some(revision_parents) = parents.get(&revision) {
            queue.extend(revision_parents.iter().filter(|parent| !seen.contains(*parent)).cloned());
        }
        seen.insert(revision);
    }
    seen
}

/// How two revisions are related, which decides what a merge does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The same revision, or `theirs` is already in `ours`'s history: nothing to bring in.
    AlreadyIncluded,
    /// `ours` is in `theirs`'s history: `theirs` can simply become the head.
    FastForward,
    /// Both moved on from this common ancestor.
    Diverged { base: String },
    /// They share no history.
    Unrelated,
}

/// Relates `ours` to `theirs`. When they diverged, the base is their nearest common ancestor: a
/// common ancestor that is not itself an ancestor of another common ancestor. After criss-cross
/// merges there can be several; the newest is taken (git would merge them into a virtual base
/// first, which matters only for histories far more tangled than a teacher's).
pub(crate) fn relate(connection: &Connection, ours: &str, theirs: &str) -> rusqlite::Result<Relation> {
    if ours == theirs {
        return Ok(Relation::AlreadyIncluded);
    }
    let parents = parents_reachable_from(connection, &[ours, theirs])?;
    let our_history = ancestors(&parents, ours);
    if our_history.contains(theirs) {
        return Ok(Relation::AlreadyIncluded);
    }
    let their_history = ancestors(&parents, theirs);
    if their_history.contains(ours) {
        return Ok(Relation::FastForward);
    }
    let common: HashSet<&String> = our_history.intersection(&their_history).collect();
    // Every proper ancestor of a common ancestor is reachable from the common ancestors' parents.
    let below = walk(
        &parents,
        common.iter().flat_map(|revision| parents.get(*revision).into_iter().flatten().cloned()),
    );
    let mut best: Vec<&String> = common.into_iter().filter(|revision| !below.contains(*revision)).collect();
    if best.is_empty() {
        return Ok(Relation::Unrelated);
    }
    best.sort();
    let mut newest: Option<(i64, String)> = None;
    for candidate in best {
        let created_at: i64 = connection
            .query_row("SELECT created_at FROM revisions WHERE id = ?1", [candidate], |row| row.get(0))
            .optional()?
            .unwrap_or(i64::MIN);
        if newest.as_ref().is_none_or(|(time, _)| created_at > *time) {
            newest = Some((created_at, candidate.clone()));
        }
    }
    Ok(newest.map_or(Relation::Unrelated, |(_, base)| Relation::Diverged { base }))
}

/// Deletes every revision that no resource's history, incoming head or unfinished merge reaches.
/// Returns how many were deleted.
pub(crate) fn remove_unreachable(connection: &Connection) -> rusqlite::Result<usize> {
    connection.execute(
        "WITH RECURSIVE reach(id) AS (
             SELECT head FROM resources
             UNION SELECT revision_id FROM incoming_heads
             UNION SELECT theirs FROM merges
             UNION SELECT p.parent_id FROM revision_parents p JOIN reach ON p.revision_id = reach.id
         )
         DELETE FROM revisions WHERE id NOT IN (SELECT id FROM reach)",
        [],
    )
}
