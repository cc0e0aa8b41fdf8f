//! Sharing a resource into a conversation. What travels is a bundle of the resource with its
//! history (so the receiver's library recognises shared revisions and offers to bring in changes
//! instead of keeping a duplicate), and beside it in the message a [`SharedResource`] card under
//! [`SHARED_RESOURCE_KEY`]: the metadata, licence, attribution and lineage a receiving Commonplace
//! shows before anything is saved. Other Matrix clients ignore the key and show a file.
//!
//! What it is not: the sending (the transport does that) nor the saving, which is a bundle import
//! labelled with where it came from ([`Library::import_bundle_from`]).

use serde::{Deserialize, Serialize};

use crate::bundle::BUNDLE_EXTENSION;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::lineage::{attribution_of, provenance_of, stored_licence};
use crate::{BundleContents, fsutil, layout};

/// The key of the card in an `m.file` message's content, namespaced as the Matrix spec asks for
/// custom fields.
pub const SHARED_RESOURCE_KEY: &str = "org.commonplace.resource";
/// The card's format version; a receiver shows a card of a newer version as a plain file.
pub const SHARED_RESOURCE_VERSION: u32 = 1;

/// The card that travels with a shared resource. Field names follow the Matrix convention
/// (snake_case), since this is part of an event's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedResource {
    pub version: u32,
    pub resource_id: String,
    /// The revision shared: the bundle's head.
    pub revision_id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub creators: Vec<String>,
    /// An SPDX id, or `unknown`, `all-rights-reserved`, `public-domain`.
    pub licence: String,
    #[serde(default)]
    pub language: String,
    /// The TASL credit, as a sentence.
    pub attribution: String,
    /// What it was copied from, nearest first.
    #[serde(default)]
    pub sources: Vec<SharedSource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSource {
    pub resource_id: String,
    pub revision_id: String,
    /// The credit owed to it.
    pub attribution: String,
}

impl SharedResource {
    /// The card as the extra field of a message's content.
    pub fn content_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = serde_json::Map::new();
        // A struct of strings and lists always serialises.
        if let Ok(card) = serde_json::to_value(self) {
            fields.insert(SHARED_RESOURCE_KEY.to_owned(), card);
        }
        fields
    }

    /// The card in a message's content, when there is one this version reads.
    pub fn from_content(content: &serde_json::Value) -> Option<Self> {
        let card: SharedResource = serde_json::from_value(content.get(SHARED_RESOURCE_KEY)?.clone()).ok()?;
        (card.version == SHARED_RESOURCE_VERSION).then_some(card)
    }
}

/// A resource ready to share: its bundle in the library's staging folder (removed when this is
/// dropped) and its card.
#[derive(Debug)]
pub struct ShareReady {
    pub bundle: tempfile::TempDir,
    pub file_name: String,
    pub card: SharedResource,
}

impl ShareReady {
    pub fn path(&self) -> std::path::PathBuf {
        self.bundle.path().join(&self.file_name)
    }
}

impl Library {
    /// A new folder in the library's staging area (same volume, cleared at the next start if a
    /// crash leaves it), removed when dropped: for a file on its way in or out, such as a bundle
    /// being shared or downloaded.
    pub fn staging_folder(&self) -> Result<tempfile::TempDir> {
        let staging = self.root().join(layout::TMP);
        tempfile::Builder::new()
            .prefix(fsutil::STAGED_PREFIX)
            .tempdir_in(&staging)
            .map_err(|source| Error::Io { action: "create a folder in", path: staging, source })
    }

    /// Prepares resource `id` for sharing. Content whose licence is unknown or reserves all rights
    /// is not open: it is shared only when `confirmed` says the person chose to anyway.
    pub fn prepare_share(&self, id: &str, confirmed: bool) -> Result<ShareReady> {
        let resource = self.resource(id)?;
        let licence = stored_licence(&resource.metadata.licence);
        if !licence.is_open() && !confirmed {
            return Err(Error::ShareNeedsConfirmation {
                title: resource.metadata.title.clone(),
                licence: resource.metadata.licence.clone(),
            });
        }
        let sources = self.catalog.call(|connection| provenance_of(connection, id))?;
        let changes_made = self.lineage(id)?.changes_made;
        let card = SharedResource {
            version: SHARED_RESOURCE_VERSION,
            resource_id: resource.id.clone(),
            revision_id: resource.head.clone(),
            title: resource.metadata.title.clone(),
            description: resource.metadata.description.clone(),
            creators: resource.metadata.creators.clone(),
            licence: resource.metadata.licence.clone(),
            language: resource.metadata.language.clone(),
            attribution: attribution_of(&resource.metadata, changes_made).text(),
            sources: sources
                .iter()
                .map(|source| SharedSource {
                    resource_id: source.source_resource_id.clone(),
                    revision_id: source.source_revision.clone(),
                    attribution: source.attributions.first().map(|credit| credit.text()).unwrap_or_default(),
                })
                .collect(),
        };
        // A folder of its own, so the bundle keeps its readable name (the receiver sees it) and
        // two shares never collide.
        let folder = self.staging_folder()?;
        let file_name =
            format!("{}.{BUNDLE_EXTENSION}", crate::resources::portable_file_name(&resource.metadata.title));
        self.export_bundle(BundleContents::Resource(id), &folder.path().join(&file_name))?;
        Ok(ShareReady { bundle: folder, file_name, card })
    }
}
