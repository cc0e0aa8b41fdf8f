//! Editing a resource's text inside the app (Markdown, HTML, plain text): the text to edit, saving
//! it as a new revision, and drafts autosaved while typing so that a crash loses nothing.
//!
//! A save names the revision the editing started from. If the resource moved on meanwhile (a
//! watched file changed, a merge finished in another window), the save is refused and the text
//! stays as a draft: silently replacing the newer version would lose someone's work.

use std::io::Cursor;
use std::path::Path;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::library::Library;
use crate::resources::{ResourceDetails, set_head};
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

    /// Saves `text` as a new revision of `id`, if `id` is still at `base_head`; otherwise keeps it as
    /// a draft and says so. Saving the same text again changes nothing. The draft is cleared.
    pub fn save_text(
        &self,
        id: &str,
        base_head: &str,
        text: &str,
        message: &str,
        author: &str,
    ) -> Result<ResourceDetails> {
        let current = self.resource(id)?;
        if current.head != base_head {
            self.save_draft(id, base_head, text)?;
            return Err(Error::EditedElsewhere { id: id.to_owned(), head: current.head });
        }
        let stored = self.store.put(Cursor::new(text.as_bytes()), Path::new(&current.file_name))?;
        if stored.id == current.object {
            self.discard_draft(id)?;
            return Ok(current);
        }
        let mut revision = Revision {
            parents: vec![current.head.clone()],
            object: stored.id,
            size: stored.size,
            file_name: current.file_name.clone(),
            media_type: current.media_type.clone(),
            metadata: current.metadata.clone(),
            author: author.to_owned(),
            created_at: now_ms(),
            message: if message.trim().is_empty() {
                "Edited the text".to_owned()
            } else {
                message.trim().to_owned()
            },
        };
        let extracted =
            crate::extract::extract(&self.store.path(stored.id), &current.file_name, &current.media_type);
        let mut fresh = extracted.metadata;
        // New content that says nothing about its licence keeps the licence the resource had.
        if !fresh.licence.trim().is_empty() {
            fresh.licence = crate::licence::normalise(&fresh.licence);
        }
        revision.metadata.refresh_from(&fresh);
        self.catalog.transaction(|transaction| {
            set_head(transaction, id, &revision, Some(&extracted.text))?;
            transaction.execute("DELETE FROM drafts WHERE resource_id = ?1", [id])?;
            Ok(())
        })?;
        self.resource(id)
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
