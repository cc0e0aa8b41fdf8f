//! Editing a resource's text inside the app (Markdown, HTML, plain text): the text to edit, saving
//! it as a new revision, and drafts autosaved while typing so that a crash loses nothing.
//!
//! A save names the revision the editing started from. If the resource moved on meanwhile (a
//! watched file changed, a merge finished in another window, a draft from last week is restored),
//! silently replacing the newer version would lose someone's work, and refusing the save would
//! leave the text stuck: it is saved as a version of its own and merged with the newer one.

use std::io::Cursor;
use std::path::Path;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::graph;
use crate::library::Library;
use crate::merging::{MergeOutcome, MergeState};
use crate::resources::{ResourceDetails, insert_revision, set_head};
use crate::revision::Revision;

/// Text larger than this is not opened in the editor (the system's own app still can).
pub const MAX_EDITABLE_BYTES: u64 = 16 * 1024 * 1024;

/// What the editor opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditableText {
    pub resource_id: String,
    /// The revision the text is from; pass it back when saving.
    pub head: String,
    pub text: String,
    /// `markdown`, `html` or `text`: which editor mode and preview to use.
    pub mode: EditorMode,
    pub file_name: String,
    /// Unsaved work from an earlier session, if any.
    pub draft: Option<Draft>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EditorMode {
    Markdown,
    Html,
    Text,
}

/// What saving the editor's text did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SaveOutcome {
    /// The text is the resource's new version.
    Saved { resource: ResourceDetails },
    /// The resource had changed since editing started; the text's changes and the newer ones were
    /// combined into its new version.
    Merged { resource: ResourceDetails },
    /// The resource had changed since editing started and some changes overlap: the merge is
    /// saved, to be resolved in the merge view.
    Conflicts { merge: MergeState },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// The revision the draft was started from.
    pub base_head: String,
    pub text: String,
    pub saved_at: i64,
}

impl Library {
    /// The current text of `id` for the editor, with any autosaved draft.
    pub fn editable_text(&self, id: &str) -> Result<EditableText> {
        let resource = self.resource(id)?;
        let mode = editor_mode(&resource.media_type, &resource.file_name).ok_or_else(|| Error::NotText {
            id: id.to_owned(),
            reason: format!("{} files are opened in their own app", resource.media_type),
        })?;
        if resource.size > MAX_EDITABLE_BYTES {
            return Err(Error::NotText {
                id: id.to_owned(),
                reason: format!("it is larger than {} MB; open it in its own app", MAX_EDITABLE_BYTES >> 20),
            });
        }
        let path = self.store.path(resource.object);
        let bytes = std::fs::read(&path).at("read", &path)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::NotText {
            id: id.to_owned(),
            reason: "it is not UTF-8 text; open it in its own app".to_owned(),
        })?;
        let draft = self.draft(id)?;
        Ok(EditableText {
            resource_id: id.to_owned(),
            head: resource.head,
            text,
            mode,
            file_name: resource.file_name,
            draft,
        })
    }

    /// Saves `text` as a new revision of `id`, edited from `base_head`. Saving the same text again
    /// changes nothing. The draft is cleared.
    ///
    /// When `id` moved on after `base_head` (its file was edited in another app, a merge finished,
    /// a draft from an earlier session is being saved), the text becomes a version of its own,
    /// parented on `base_head`, and is brought in with a three-way merge: changes that do not
    /// overlap are combined at once, overlapping ones open as an unfinished merge. Nothing is
    /// replaced and nothing is lost; if the merge cannot start, the version waits among the
    /// resource's incoming versions.
    pub fn save_text(
        &self,
        id: &str,
        base_head: &str,
        text: &str,
        message: &str,
        author: &str,
    ) -> Result<SaveOutcome> {
        let current = self.resource(id)?;
        if current.head == base_head {
            return self.save_on_head(id, current, text, message, author);
        }
        let base = self.catalog.call(|connection| graph::load(connection, base_head))?.ok_or_else(|| {
            Error::RevisionNotFound { resource: id.to_owned(), revision: base_head.to_owned() }
        })?;
        if let Some(merge) = self.merge_state(id)? {
            self.save_draft(id, base_head, text)?;
            return Err(Error::MergeInProgress { id: id.to_owned(), theirs: merge.theirs_label });
        }
        let revision_id = {
            // Let go of before the merge, which stores objects of its own.
            let _adding = self.adding_objects();
            let Some((revision, _)) = self.text_revision(id, &base, base_head, text, message, author)? else {
                // Nothing was changed since `base_head`: the newer version already is the whole story.
                self.discard_draft(id)?;
                return Ok(SaveOutcome::Saved { resource: current });
            };
            let label = "your edits made in the editor".to_owned();
            self.catalog.transaction(|transaction| {
                let revision_id = insert_revision(transaction, id, &revision)?;
                transaction.execute(
                    "INSERT OR REPLACE INTO incoming_heads (resource_id, revision_id, origin_label, received_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, revision_id, label, now_ms()],
                )?;
                transaction.execute("DELETE FROM drafts WHERE resource_id = ?1", [id])?;
                Ok(revision_id)
            })?
        };
        tracing::info!(resource = id, "saving an edit made from an older version as a merge");
        Ok(match self.merge(id, &revision_id, author)? {
            MergeOutcome::Conflicts { merge } => SaveOutcome::Conflicts { merge },
            MergeOutcome::UpToDate { resource }
            | MergeOutcome::FastForward { resource }
            | MergeOutcome::Merged { resource } => SaveOutcome::Merged { resource },
        })
    }

    fn save_on_head(
        &self,
        id: &str,
        current: ResourceDetails,
        text: &str,
        message: &str,
        author: &str,
    ) -> Result<SaveOutcome> {
        let base = self.load_revision(&current.head)?;
        let _adding = self.adding_objects();
        let Some((revision, body)) = self.text_revision(id, &base, &current.head, text, message, author)?
        else {
            self.discard_draft(id)?;
            return Ok(SaveOutcome::Saved { resource: current });
        };
        self.catalog.transaction(|transaction| {
            set_head(transaction, id, &revision, Some(&body))?;
            transaction.execute("DELETE FROM drafts WHERE resource_id = ?1", [id])?;
            Ok(())
        })?;
        Ok(SaveOutcome::Saved { resource: self.resource(id)? })
    }

    /// The revision that `text` makes in `id` on top of `base` (whose id is `base_id`), with its searchable
    /// text; `None` when the text is what `base` already holds.
    fn text_revision(
        &self,
        id: &str,
        base: &Revision,
        base_id: &str,
        text: &str,
        message: &str,
        author: &str,
    ) -> Result<Option<(Revision, String)>> {
        let stored = self.store.put(Cursor::new(text.as_bytes()), Path::new(&base.file_name))?;
        if stored.id == base.object {
            return Ok(None);
        }
        let (metadata, text) =
            self.metadata_for_content(id, &base.metadata, stored.id, &base.file_name, &base.media_type)?;
        let revision = Revision {
            parents: vec![base_id.to_owned()],
            object: stored.id,
            size: stored.size,
            file_name: base.file_name.clone(),
            media_type: base.media_type.clone(),
            metadata,
            author: author.to_owned(),
            created_at: now_ms(),
            message: if message.trim().is_empty() {
                "Edited the text".to_owned()
            } else {
                message.trim().to_owned()
            },
        };
        Ok(Some((revision, text)))
    }

    /// Keeps unsaved editor text. Called every few seconds while typing; the last one wins.
    pub fn save_draft(&self, id: &str, base_head: &str, text: &str) -> Result<()> {
        self.resource(id)?;
        self.catalog.call(|connection| {
            connection.execute(
                "INSERT INTO drafts (resource_id, base_head, text, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (resource_id) DO UPDATE SET base_head = excluded.base_head, text = excluded.text,
                     saved_at = excluded.saved_at",
                params![id, base_head, text, now_ms()],
            )
        })?;
        Ok(())
    }

    pub fn discard_draft(&self, id: &str) -> Result<()> {
        self.catalog
            .call(|connection| connection.execute("DELETE FROM drafts WHERE resource_id = ?1", [id]))?;
        Ok(())
    }

    pub fn draft(&self, id: &str) -> Result<Option<Draft>> {
        self.catalog.call(|connection| {
            connection
                .query_row(
                    "SELECT base_head, text, saved_at FROM drafts WHERE resource_id = ?1",
                    [id],
                    |row| Ok(Draft { base_head: row.get(0)?, text: row.get(1)?, saved_at: row.get(2)? }),
                )
                .optional()
        })
    }
}

/// Which editor a file opens in, if any.
pub(crate) fn editor_mode(media_type: &str, file_name: &str) -> Option<EditorMode> {
    let lower = file_name.to_ascii_lowercase();
    match media_type {
        "text/markdown" => Some(EditorMode::Markdown),
        "text/html" | "application/xhtml+xml" => Some(EditorMode::Html),
        "text/plain" | "text/csv" => Some(EditorMode::Text),
        _ if lower.ends_with(".md") || lower.ends_with(".markdown") => Some(EditorMode::Markdown),
        _ if lower.ends_with(".txt") => Some(EditorMode::Text),
        _ => None,
    }
}
