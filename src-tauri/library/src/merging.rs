//! "Bring in changes": merging another head into a resource (DESIGN §5). The other head may be the
//! source a copy was made from, a copy of this resource, another copy of the same source, or a
//! version of this resource that arrived in a bundle — anything that shares history with it.
//!
//! A merge walks the revision graph ([`graph::relate`]) for the common ancestor, merges the content
//! (text line by line, anything else by picking a side) and the metadata field by field through
//! `commonplace-history`, and then either applies the result at once as a revision with two
//! parents, or stores it as an unfinished merge: the conflicts are data in the catalog, resolved one
//! at a time, maybe days later, and never lost.

use std::io::Cursor;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use commonplace_history::{BinaryMerge, ContentMerge, FieldResolution, MetadataMerge, Resolution, Side};

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::graph::{self, Relation};
use crate::history::short;
use crate::library::Library;
use crate::metadata::{Field, FieldSource, Metadata};
use crate::resources::{ResourceDetails, set_head};
use crate::revision::Revision;
use crate::store::ObjectId;

/// Contents up to this size are merged line by line when they are text; larger ones by side.
const MAX_TEXT_MERGE_BYTES: u64 = 32 * 1024 * 1024;

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum MergeOutcome {
    /// Everything from the other side is already in this resource.
    UpToDate { resource: ResourceDetails },
    /// This resource had not changed since the other side's history: it now simply has the other
    /// side's latest version.
    FastForward { resource: ResourceDetails },
    /// Both sides' changes merged without conflicts, as a new revision with two parents.
    Merged { resource: ResourceDetails },
    /// Some changes conflict; the merge is saved, to be resolved and finished.
    Conflicts { merge: MergeState },
}

/// An unfinished merge, as stored and as the merge view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeState {
    pub resource_id: String,
    /// This resource's head when the merge started.
    pub ours: String,
    /// The revision whose changes are brought in.
    pub theirs: String,
    /// Their common ancestor.
    pub base: String,
    /// What the other side is, for people: a title, a bundle's name.
    pub theirs_label: String,
    pub content: ContentMerge,
    /// Field conflicts; fields that merged cleanly are applied when the merge is finished.
    pub metadata: MetadataMerge,
    pub file_name: String,
    pub media_type: String,
    /// Sizes of the three contents, for a choice between binary versions.
    pub base_size: u64,
    pub ours_size: u64,
    pub theirs_size: u64,
    /// Conflicts still open, text regions, metadata fields and a binary choice together.
    pub unresolved: u32,
    pub started_at: i64,
}

/// How a metadata conflict is settled from the window or the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FieldChoice {
    Ours,
    Theirs,
    /// This text, read as the field is read when edited (lists separated by `;`).
    Custom {
        text: String,
    },
}

impl Library {
    /// Brings the changes of `from` into `id`. `from` is another resource's id (its current
    /// version), or a revision id or prefix (a version that arrived in a bundle, a version in some
    /// resource's history).
    pub fn merge(&self, id: &str, from: &str, author: &str) -> Result<MergeOutcome> {
        // Held through the merge: its result refers to objects of revisions read now.
        let _adding = self.adding_objects();
        let current = self.resource(id)?;
        let (theirs, label) = self.merge_source(id, from)?;
        if let Some(existing) = self.merge_state(id)? {
            if existing.theirs == theirs && existing.ours == current.head {
                return Ok(MergeOutcome::Conflicts { merge: existing });
            }
            return Err(Error::MergeInProgress { id: id.to_owned(), theirs: existing.theirs_label });
        }
        let relation = self.catalog.call(|connection| graph::relate(connection, &current.head, &theirs))?;
        match relation {
            Relation::AlreadyIncluded => {
                self.forget_incoming(id, &theirs)?;
                Ok(MergeOutcome::UpToDate { resource: current })
            }
            Relation::Unrelated => {
                Err(Error::NoCommonHistory { id: id.to_owned(), other: from.to_owned(), label })
            }
            Relation::FastForward => {
                let revision = self.load_revision(&theirs)?;
                let text = self.body_text(&revision);
                self.catalog.transaction(|transaction| {
                    set_head(transaction, id, &revision, Some(&text))?;
                    transaction.execute(
                        "DELETE FROM incoming_heads WHERE resource_id = ?1 AND revision_id = ?2",
                        params![id, theirs],
                    )?;
                    Ok(())
                })?;
                Ok(MergeOutcome::FastForward { resource: self.resource(id)? })
            }
            Relation::Diverged { base } => self.three_way(id, &current, &base, &theirs, label, author),
        }
    }

    /// The unfinished merge of `id`, if there is one.
    pub fn merge_state(&self, id: &str) -> Result<Option<MergeState>> {
        let stored: Option<String> = self.catalog.call(|connection| {
            connection
                .query_row("SELECT state FROM merges WHERE resource_id = ?1", [id], |row| row.get(0))
                .optional()
        })?;
        stored
            .map(|state| {
                serde_json::from_str::<MergeState>(&state).map_err(|error| Error::InvalidField {
                    field: "merge".to_owned(),
                    value: id.to_owned(),
                    reason: format!("the saved merge is damaged ({error}); abandon it and start again"),
                })
            })
            .transpose()
    }

    /// Settles the text conflict at `region` (an index into the merge's regions).
    pub fn resolve_conflict(&self, id: &str, region: usize, resolution: Resolution) -> Result<MergeState> {
        self.update_merge(id, |state| match &mut state.content {
            ContentMerge::Text { merge } => merge.resolve(region, resolution),
            ContentMerge::Binary { .. } => Err(commonplace_history::Error::NotAConflict { region }),
        })
    }

    /// Settles a metadata conflict.
    pub fn resolve_field(&self, id: &str, field: Field, choice: FieldChoice) -> Result<MergeState> {
        let resolution = match choice {
            FieldChoice::Ours => FieldResolution::Ours,
            FieldChoice::Theirs => FieldResolution::Theirs,
            FieldChoice::Custom { text } => {
                let text =
                    if field == Field::Licence { crate::licence::parse_user_value(&text)? } else { text };
                let mut metadata = Metadata::default();
                metadata.put(field, &text);
                let value = to_fields(&metadata).remove(field.name()).unwrap_or(Value::Null);
                FieldResolution::Custom { value }
            }
        };
        self.update_merge(id, |state| state.metadata.resolve(field.name(), resolution))
    }

    /// Chooses which version of content that cannot be merged line by line to keep.
    pub fn choose_side(&self, id: &str, side: Side) -> Result<MergeState> {
        self.update_merge(id, |state| match &mut state.content {
            ContentMerge::Binary { merge } => merge.resolve(side),
            ContentMerge::Text { .. } => Err(commonplace_history::Error::NothingToResolve),
        })
    }

    /// Writes the merged resource once every conflict is settled: a revision with two parents.
    pub fn finish_merge(&self, id: &str, author: &str) -> Result<ResourceDetails> {
        let _adding = self.adding_objects();
        let state = self.merge_state(id)?.ok_or_else(|| Error::NoMergeInProgress { id: id.to_owned() })?;
        if state.unresolved > 0 {
            return Err(Error::MergeUnresolved { id: id.to_owned(), unresolved: state.unresolved });
        }
        let current = self.resource(id)?;
        if current.head != state.ours {
            return Err(Error::MergeOutdated { id: id.to_owned() });
        }
        let ours = self.load_revision(&state.ours)?;
        let theirs = self.load_revision(&state.theirs)?;
        let base = self.load_revision(&state.base)?;
        let step = |source| Error::MergeStep { id: id.to_owned(), source };
        let (object, size) = match &state.content {
            ContentMerge::Text { merge } => {
                let text = merge.render().map_err(step)?;
                if text.as_bytes() == self.read_object(&ours)?.as_slice() {
                    (ours.object, ours.size)
                } else {
                    let stored = self
                        .store
                        .put(Cursor::new(text.into_bytes()), std::path::Path::new(&ours.file_name))?;
                    (stored.id, stored.size)
                }
            }
            ContentMerge::Binary { merge } => match merge.side() {
                Some(Side::Base) => (base.object, base.size),
                Some(Side::Theirs) => (theirs.object, theirs.size),
                Some(Side::Ours) => (ours.object, ours.size),
                None => return Err(Error::MergeUnresolved { id: id.to_owned(), unresolved: 1 }),
            },
        };
        let fields = state.metadata.finish().map_err(step)?;
        let metadata = from_fields(fields, &ours.metadata, &theirs.metadata);
        self.write_merge(id, &ours, &theirs, object, size, metadata, &state.theirs_label, author)?;
        self.resource(id)
    }

    /// Drops an unfinished merge; the resource stays as it was.
    pub fn abandon_merge(&self, id: &str) -> Result<()> {
        let removed = self
            .catalog
            .call(|connection| connection.execute("DELETE FROM merges WHERE resource_id = ?1", [id]))?;
        if removed == 0 { Err(Error::NoMergeInProgress { id: id.to_owned() }) } else { Ok(()) }
    }

    fn three_way(
        &self,
        id: &str,
        current: &ResourceDetails,
        base: &str,
        theirs: &str,
        label: String,
        author: &str,
    ) -> Result<MergeOutcome> {
        let ours = self.load_revision(&current.head)?;
        let theirs_revision = self.load_revision(theirs)?;
        let base_revision = self.load_revision(base)?;
        let content = if [&base_revision, &ours, &theirs_revision]
            .iter()
            .all(|revision| revision.size <= MAX_TEXT_MERGE_BYTES && merges_as_text(revision))
        {
            let (base_bytes, our_bytes, their_bytes) = (
                self.read_object(&base_revision)?,
                self.read_object(&ours)?,
                self.read_object(&theirs_revision)?,
            );
            commonplace_history::merge_content(&base_bytes, &our_bytes, &their_bytes)
        } else {
            // Not text by its type (a PDF can hold nothing but ASCII), or too large to merge line
            // by line: merged as a whole, which only compares the hashes.
            ContentMerge::Binary {
                merge: commonplace_history::merge_bytes(
                    base_revision.object.as_bytes(),
                    ours.object.as_bytes(),
                    theirs_revision.object.as_bytes(),
                ),
            }
        };
        let metadata = commonplace_history::merge_metadata(
            &to_fields(&base_revision.metadata),
            &to_fields(&ours.metadata),
            &to_fields(&theirs_revision.metadata),
        );
        let mut state = MergeState {
            resource_id: id.to_owned(),
            ours: current.head.clone(),
            theirs: theirs.to_owned(),
            base: base.to_owned(),
            theirs_label: label,
            content,
            metadata,
            file_name: ours.file_name.clone(),
            media_type: ours.media_type.clone(),
            base_size: base_revision.size,
            ours_size: ours.size,
            theirs_size: theirs_revision.size,
            unresolved: 0,
            started_at: now_ms(),
        };
        state.unresolved = unresolved(&state);
        if state.unresolved > 0 {
            self.save_merge(&state)?;
            tracing::info!(resource = id, conflicts = state.unresolved, "merge saved with conflicts");
            return Ok(MergeOutcome::Conflicts { merge: state });
        }
        let (object, size) = match &state.content {
            ContentMerge::Text { merge } => {
                let text = merge.render().map_err(|source| Error::MergeStep { id: id.to_owned(), source })?;
                let stored =
                    self.store.put(Cursor::new(text.into_bytes()), std::path::Path::new(&ours.file_name))?;
                (stored.id, stored.size)
            }
            ContentMerge::Binary { merge } => match merge.side() {
                Some(Side::Theirs) => (theirs_revision.object, theirs_revision.size),
                Some(Side::Base) => (base_revision.object, base_revision.size),
                _ => (ours.object, ours.size),
            },
        };
        let fields =
            state.metadata.finish().map_err(|source| Error::MergeStep { id: id.to_owned(), source })?;
        let metadata = from_fields(fields, &ours.metadata, &theirs_revision.metadata);
        self.write_merge(id, &ours, &theirs_revision, object, size, metadata, &state.theirs_label, author)?;
        Ok(MergeOutcome::Merged { resource: self.resource(id)? })
    }

    #[allow(clippy::too_many_arguments)]
    fn write_merge(
        &self,
        id: &str,
        ours: &Revision,
        theirs: &Revision,
        object: ObjectId,
        size: u64,
        metadata: Metadata,
        label: &str,
        author: &str,
    ) -> Result<()> {
        let (ours_id, theirs_id) = (ours.id(), theirs.id());
        let revision = Revision {
            parents: vec![ours_id, theirs_id.clone()],
            object,
            size,
            file_name: ours.file_name.clone(),
            media_type: ours.media_type.clone(),
            metadata,
            author: author.to_owned(),
            created_at: now_ms(),
            message: format!("Brought in changes from “{label}”"),
        };
        let text = (object != ours.object).then(|| self.body_text(&revision));
        self.catalog.transaction(|transaction| {
            set_head(transaction, id, &revision, text.as_deref())?;
            transaction.execute("DELETE FROM merges WHERE resource_id = ?1", [id])?;
            transaction.execute(
                "DELETE FROM incoming_heads WHERE resource_id = ?1 AND revision_id = ?2",
                params![id, theirs_id],
            )?;
            Ok(())
        })?;
        tracing::info!(resource = id, "merge finished");
        Ok(())
    }

    fn update_merge(
        &self,
        id: &str,
        change: impl FnOnce(&mut MergeState) -> commonplace_history::Result<()>,
    ) -> Result<MergeState> {
        let mut state =
            self.merge_state(id)?.ok_or_else(|| Error::NoMergeInProgress { id: id.to_owned() })?;
        change(&mut state).map_err(|source| Error::MergeStep { id: id.to_owned(), source })?;
        state.unresolved = unresolved(&state);
        self.save_merge(&state)?;
        Ok(state)
    }

    fn save_merge(&self, state: &MergeState) -> Result<()> {
        let encoded = serde_json::to_string(state).unwrap_or_default();
        let now = now_ms();
        self.catalog.call(|connection| {
            connection.execute(
                "INSERT INTO merges (resource_id, ours, theirs, base, state, started_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (resource_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                params![state.resource_id, state.ours, state.theirs, state.base, encoded, state.started_at, now],
            )
        })?;
        Ok(())
    }

    /// The revision `from` names, and what to call it in messages.
    fn merge_source(&self, id: &str, from: &str) -> Result<(String, String)> {
        if from == id {
            return Err(Error::InvalidField {
                field: "from".to_owned(),
                value: from.to_owned(),
                reason: "a resource cannot bring in changes from itself".to_owned(),
            });
        }
        let resource: Option<(String, String)> = self.catalog.call(|connection| {
            connection
                .query_row("SELECT head, title FROM resources WHERE id = ?1", [from], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()
        })?;
        if let Some((head, title)) = resource {
            return Ok((head, title));
        }
        let revision =
            self.catalog.call(|connection| graph::resolve_prefix(connection, from))?.into_result(id, from)?;
        let incoming: Option<String> = self.catalog.call(|connection| {
            connection
                .query_row(
                    "SELECT origin_label FROM incoming_heads WHERE resource_id = ?1 AND revision_id = ?2",
                    params![id, revision],
                    |row| row.get(0),
                )
                .optional()
        })?;
        let label = incoming.unwrap_or_else(|| format!("version {}", short(&revision)));
        Ok((revision, label))
    }

    fn forget_incoming(&self, id: &str, revision: &str) -> Result<()> {
        self.catalog.call(|connection| {
            connection.execute(
                "DELETE FROM incoming_heads WHERE resource_id = ?1 AND revision_id = ?2",
                params![id, revision],
            )
        })?;
        Ok(())
    }

    pub(crate) fn load_revision(&self, id: &str) -> Result<Revision> {
        self.catalog
            .call(|connection| graph::load(connection, id))?
            .ok_or_else(|| Error::RevisionNotFound { resource: String::new(), revision: id.to_owned() })
    }

    fn read_object(&self, revision: &Revision) -> Result<Vec<u8>> {
        let path = self.store.path(revision.object);
        std::fs::read(&path).at("read", &path)
    }

    /// The searchable text of a revision's content.
    pub(crate) fn body_text(&self, revision: &Revision) -> String {
        crate::extract::extract(&self.store.path(revision.object), &revision.file_name, &revision.media_type)
            .text
    }
}

fn unresolved(state: &MergeState) -> u32 {
    let content = match &state.content {
        ContentMerge::Text { merge } => merge.unresolved_count(),
        ContentMerge::Binary { merge: BinaryMerge::Conflict { resolution: None } } => 1,
        ContentMerge::Binary { .. } => 0,
    };
    let fields = state.metadata.conflicts.iter().filter(|conflict| conflict.resolution.is_none()).count();
    u32::try_from(content + fields).unwrap_or(u32::MAX)
}

/// Metadata as the merge sees it: one JSON value per field, named as on the wire. Where each
/// value came from is not merged; it follows the value (see [`from_fields`]).
pub(crate) fn to_fields(metadata: &Metadata) -> commonplace_history::Metadata {
    let mut fields = match serde_json::to_value(metadata) {
        Ok(Value::Object(object)) => object.into_iter().collect::<commonplace_history::Metadata>(),
        _ => commonplace_history::Metadata::new(),
    };
    fields.remove("sources");
    fields
}

/// Metadata from merged fields. A value that is ours keeps our record of where it came from, a
/// value that is theirs keeps theirs, and a value typed while resolving counts as the user's.
pub(crate) fn from_fields(
    fields: commonplace_history::Metadata,
    ours: &Metadata,
    theirs: &Metadata,
) -> Metadata {
    let mut object: serde_json::Map<String, Value> = fields.into_iter().collect();
    object.insert("sources".to_owned(), Value::Object(serde_json::Map::new()));
    let mut merged: Metadata = serde_json::from_value(Value::Object(object)).unwrap_or_else(|_| ours.clone());
    for field in Field::ALL {
        let value = merged.get(field);
        let source = if value == ours.get(field) {
            ours.sources.get(&field).copied()
        } else if value == theirs.get(field) {
            theirs.sources.get(&field).copied()
        } else {
            Some(FieldSource::User)
        };
        if let Some(source) = source {
            merged.sources.insert(field, source);
        }
    }
    merged
}

/// Whether a revision's type is text that merges line by line. The bytes alone cannot tell: a PDF
/// or a PostScript file can be nothing but ASCII, and merging one line-wise would break it.
pub(crate) fn merges_as_text(revision: &Revision) -> bool {
    let media_type = revision.media_type.as_str();
    media_type.starts_with("text/")
        || matches!(
            media_type,
            "application/json"
                | "application/xml"
                | "application/xhtml+xml"
                | "image/svg+xml"
                | "application/x-tex"
        )
        || crate::editing::editor_mode(media_type, &revision.file_name).is_some()
}
