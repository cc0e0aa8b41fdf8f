//! A resource's history as the library keeps it: its revisions, newest first; the difference
//! between any two (text through `commonplace-history`, metadata field by field, other content by
//! size and type); and restoring an old revision as a new one, so nothing is ever lost.

use std::fs;

use serde::Serialize;
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::library::Library;
use crate::metadata::Field;
use crate::resources::{ResourceDetails, set_head};
use crate::revision::Revision;

/// A revision as a history list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionSummary {
    pub id: String,
    /// The resource the revision was made in: this one, or, before a copy was made, its source.
    pub resource_id: String,
    pub parents: Vec<String>,
    pub author: String,
    pub created_at: i64,
    pub message: String,
    pub size: u64,
    pub title: String,
}

/// One metadata field that differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDifference {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// What changed from one revision to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDiff {
    pub from: String,
    pub to: String,
    pub metadata: Vec<FieldDifference>,
    /// The content is the same in both.
    pub same_content: bool,
    /// The text difference, when both contents are text.
    pub text: Option<commonplace_history::TextDiff>,
    /// Why there is no text difference although the contents differ.
    pub no_text_diff: Option<NoTextDiff>,
    /// Sizes and types, for content that is not text.
    pub from_size: u64,
    pub to_size: u64,
    pub from_media_type: String,
    pub to_media_type: String,
}

/// Why two different contents are compared by type, size and preview instead of line by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NoTextDiff {
    /// At least one of them is not a text format (a PDF, an image, a document).
    NotText,
    /// At least one of them is larger than a text diff is made for.
    TooLarge,
    /// At least one of them is text in an encoding other than UTF-8.
    NotUtf8,
    /// At least one of them has the type of text but holds binary data.
    LooksBinary,
}

/// Text diffs are made of contents up to this size; larger ones are compared by size and type.
const MAX_DIFF_BYTES: u64 = 32 * 1024 * 1024;

impl Library {
    /// The resource's revisions, newest first.
    pub fn history(&self, id: &str) -> Result<Vec<RevisionSummary>> {
        self.resource(id)?;
        let revisions = newest_first(self.revisions_of(id)?);
        Ok(revisions
            .into_iter()
            .map(|(revision_id, resource_id, revision)| RevisionSummary {
                id: revision_id,
                resource_id,
                parents: revision.parents,
                author: revision.author,
                created_at: revision.created_at,
                message: revision.message,
                size: revision.size,
                title: revision.metadata.title,
            })
            .collect())
    }

    /// What changed between two revisions of a resource (`from` and `to` may be id prefixes of at
    /// least 8 hex digits, as the history list shows them).
    pub fn diff_revisions(&self, id: &str, from: &str, to: &str) -> Result<RevisionDiff> {
        let (from_id, from) = self.revision_of(id, from)?;
        let (to_id, to) = self.revision_of(id, to)?;
        let metadata = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let (before, after) = (from.metadata.get(field), to.metadata.get(field));
                (before != after).then_some(FieldDifference { field, before, after })
            })
            .collect();
        let same_content = from.object == to.object;
        let (text, no_text_diff) = if same_content {
            (None, None)
        } else if !crate::merging::merges_as_text(&from) || !crate::merging::merges_as_text(&to) {
            (None, Some(NoTextDiff::NotText))
        } else if from.size > MAX_DIFF_BYTES || to.size > MAX_DIFF_BYTES {
            (None, Some(NoTextDiff::TooLarge))
        } else {
            let read = |revision: &Revision| -> Result<Vec<u8>> {
                let path = self.store.path(revision.object);
                fs::read(&path).at("read", &path)
            };
            let (old, new) = (read(&from)?, read(&to)?);
            // UTF-16 and binary data have NUL bytes; other encodings fail the UTF-8 check.
            if old.contains(&0) || new.contains(&0) {
                (None, Some(NoTextDiff::LooksBinary))
            } else {
                match (std::str::from_utf8(&old), std::str::from_utf8(&new)) {
                    (Ok(old), Ok(new)) => (Some(commonplace_history::diff(old, new)), None),
                    _ => (None, Some(NoTextDiff::NotUtf8)),
                }
            }
        };
        Ok(RevisionDiff {
            from: from_id,
            to: to_id,
            metadata,
            same_content,
            text,
            no_text_diff,
            from_size: from.size,
            to_size: to.size,
            from_media_type: from.media_type,
            to_media_type: to.media_type,
        })
    }

    /// Makes an old revision's content and metadata current again, as a new revision whose parent
    /// is the current head: the history keeps everything in between.
    pub fn restore_revision(&self, id: &str, revision: &str, author: &str) -> Result<ResourceDetails> {
        let current = self.resource(id)?;
        let (old_id, old) = self.revision_of(id, revision)?;
        let restored = Revision {
            parents: vec![current.head.clone()],
            created_at: now_ms(),
            author: author.to_owned(),
            message: format!("Restored the version of {}", short(&old_id)),
            ..old
        };
        let text = if restored.object != current.object {
            let path = self.store.path(restored.object);
            Some(crate::extract::extract(&path, &restored.file_name, &restored.media_type).text)
        } else {
            None
        };
        self.catalog.transaction(|transaction| set_head(transaction, id, &restored, text.as_deref()))?;
        self.resource(id)
    }

    /// Every revision in the history of `id`'s head, across the resources it was copied from,
    /// newest first, with the resource each was made in.
    fn revisions_of(&self, id: &str) -> Result<Vec<(String, String, Revision)>> {
        let rows = self.catalog.read(|connection| {
            let mut statement = connection.prepare_cached(
                "WITH RECURSIVE reach(id) AS (
                     SELECT head FROM resources WHERE id = ?1
                     UNION
                     SELECT p.parent_id FROM revision_parents p JOIN reach ON p.revision_id = reach.id
                 )
                 SELECT v.id, v.resource_id, v.encoded FROM revisions v JOIN reach ON reach.id = v.id
                 ORDER BY v.created_at DESC, v.id DESC",
            )?;
            let rows = statement.query_map([id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Vec<u8>>(2)?))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        rows.into_iter()
            .map(|(revision_id, resource_id, encoded)| {
                let revision = serde_json::from_slice(&encoded).map_err(|error| Error::InvalidField {
                    field: "revision".to_owned(),
                    value: revision_id.clone(),
                    reason: format!("its stored record is damaged: {error}"),
                })?;
                Ok((revision_id, resource_id, revision))
            })
            .collect()
    }

    /// The revision in the history of `id` whose id is, or starts with, `prefix`.
    pub(crate) fn revision_of(&self, id: &str, prefix: &str) -> Result<(String, Revision)> {
        let not_found = || Error::RevisionNotFound { resource: id.to_owned(), revision: prefix.to_owned() };
        if prefix.len() < 8 || !prefix.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(not_found());
        }
        let prefix = prefix.to_ascii_lowercase();
        let mut matching =
            self.revisions_of(id)?.into_iter().filter(|(revision_id, _, _)| revision_id.starts_with(&prefix));
        let (found_id, _, found) = matching.next().ok_or_else(not_found)?;
        if matching.next().is_some() {
            return Err(Error::InvalidField {
                field: "revision".to_owned(),
                value: prefix,
                reason: "more than one revision starts with it; give more digits".to_owned(),
            });
        }
        Ok((found_id, found))
    }
}

/// The first 12 digits of a revision id, as lists show it.
pub fn short(revision: &str) -> &str {
    revision.get(..12).unwrap_or(revision)
}

/// Orders revisions newest first, always a revision before its parents: by time where the clocks
/// agree, by the graph where they do not — two revisions made in the same millisecond, or on
/// machines whose clocks differ, still list a change after what it changed.
fn newest_first(revisions: Vec<(String, String, Revision)>) -> Vec<(String, String, Revision)> {
    use std::collections::{BinaryHeap, HashMap};
    let index: HashMap<&str, usize> =
        revisions.iter().enumerate().map(|(position, (id, _, _))| (id.as_str(), position)).collect();
    // How many children of each revision are still to be listed before it may be.
    let mut waiting = vec![0usize; revisions.len()];
    for (_, _, revision) in &revisions {
        for parent in &revision.parents {
            if let Some(&position) = index.get(parent.as_str()) {
                waiting[position] += 1;
            }
        }
    }
    let key = |position: usize| (revisions[position].2.created_at, revisions[position].0.clone(), position);
    let mut ready: BinaryHeap<(i64, String, usize)> =
        (0..revisions.len()).filter(|&position| waiting[position] == 0).map(key).collect();
    let mut order = Vec::with_capacity(revisions.len());
    while let Some((_, _, position)) = ready.pop() {
        order.push(position);
        for parent in &revisions[position].2.parents {
            if let Some(&parent_position) = index.get(parent.as_str()) {
                waiting[parent_position] -= 1;
                if waiting[parent_position] == 0 {
                    ready.push(key(parent_position));
                }
            }
        }
    }
    let mut slots: Vec<Option<(String, String, Revision)>> = revisions.into_iter().map(Some).collect();
    order.into_iter().filter_map(|position| slots[position].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(parents: &[&str], created_at: i64) -> Revision {
        Revision {
            parents: parents.iter().map(|parent| (*parent).to_owned()).collect(),
            object: blake3::hash(b"x").to_hex().parse().unwrap(),
            size: 1,
            file_name: "x.md".into(),
            media_type: "text/markdown".into(),
            metadata: crate::Metadata::default(),
            author: "ana".into(),
            created_at,
            message: String::new(),
        }
    }

    fn order(revisions: Vec<(&str, Revision)>) -> Vec<String> {
        let rows =
            revisions.into_iter().map(|(id, revision)| (id.to_owned(), "r".to_owned(), revision)).collect();
        newest_first(rows).into_iter().map(|(id, _, _)| id).collect()
    }

    #[test]
    fn a_change_made_in_the_same_millisecond_still_comes_before_what_it_changed() {
        // Ids sort the other way round from the graph, as hashes may.
        let listed = order(vec![("a-child", revision(&["z-parent"], 5)), ("z-parent", revision(&[], 5))]);
        assert_eq!(listed, ["a-child", "z-parent"]);
    }

    #[test]
    fn time_orders_branches_and_the_graph_wins_over_a_clock_that_was_behind() {
        let listed = order(vec![
            ("root", revision(&[], 10)),
            ("ours", revision(&["root"], 30)),
            ("theirs", revision(&["root"], 20)),
            // Made after "theirs" on a machine whose clock was behind.
            ("late", revision(&["theirs"], 15)),
            ("merge", revision(&["ours", "late"], 40)),
        ]);
        assert_eq!(listed, ["merge", "ours", "late", "theirs", "root"]);
    }
}
