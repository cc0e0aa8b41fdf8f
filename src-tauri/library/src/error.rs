//! The library's error type. Every variant names the item it is about, so a message shown to a
//! teacher or printed by the CLI says which file or folder went wrong and why.

use std::io;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the library at {path} is already open in another Commonplace window or command; \
         close it there, or choose another library"
    )]
    Locked { path: PathBuf },

    #[error("there is no Commonplace library at {path}")]
    NoLibrary { path: PathBuf },

    #[error(
        "{path} already holds other files and is not a Commonplace library; \
         choose an empty or new folder"
    )]
    NotALibrary { path: PathBuf },

    #[error("{path} is damaged: {reason}")]
    ManifestInvalid { path: PathBuf, reason: String },

    #[error(
        "the library at {path} was written by a newer Commonplace (format {found}); \
         this version reads format {supported} — please update Commonplace"
    )]
    UnsupportedFormat { path: PathBuf, found: u32, supported: u32 },

    #[error(
        "the catalog at {path} has schema version {found}, newer than this Commonplace \
         supports ({supported}) — please update Commonplace"
    )]
    CatalogTooNew { path: PathBuf, found: u32, supported: u32 },

    #[error("the catalog at {path} could not be read or written: {source}")]
    Catalog { path: PathBuf, source: rusqlite::Error },

    #[error("migration {name} of the catalog failed: {source}")]
    Migration { name: &'static str, source: rusqlite::Error },

    #[error(
        "no home folder is known for this user, so there is no default library location; pass --library PATH"
    )]
    NoDefaultLocation,

    #[error("{text:?} is not an object id (64 lowercase hex digits)")]
    InvalidObjectId { text: String },

    #[error("the content {id} is missing from the library's objects folder")]
    ObjectMissing { id: crate::ObjectId },

    #[error("there is no resource {id} in this library")]
    ResourceNotFound { id: String },

    #[error("no thumbnail could be made for {id}: {reason}")]
    Thumbnail { id: String, reason: String },

    #[error("resource {resource} has no revision {revision}")]
    RevisionNotFound { resource: String, revision: String },

    #[error("there is no collection {id} in this library")]
    CollectionNotFound { id: String },

    #[error("{field} cannot be set to {value:?}: {reason}")]
    InvalidField { field: String, value: String, reason: String },

    #[error("no copy of \"{title}\" can be made for adapting: {reason}")]
    ForkRefused { title: String, reason: String },

    #[error(
        "\"{title}\" has no open licence ({licence}): share it only if you may, and say so to share it \
         anyway"
    )]
    ShareNeedsConfirmation { title: String, licence: String },

    #[error("{licence} cannot be chosen: {reason}")]
    LicenceNotAllowed { licence: String, reason: String },

    #[error("{label} ({other}) shares no history with resource {id}, so there are no changes to bring in")]
    NoCommonHistory { id: String, other: String, label: String },

    #[error(
        "resource {id} has an unfinished merge with {theirs}; finish or abandon it before bringing in other changes"
    )]
    MergeInProgress { id: String, theirs: String },

    #[error("resource {id} has no unfinished merge")]
    NoMergeInProgress { id: String },

    #[error("the merge into resource {id} still has {unresolved} conflicts to resolve")]
    MergeUnresolved { id: String, unresolved: u32 },

    #[error(
        "resource {id} changed after its merge was started; abandon the merge and bring in the changes again"
    )]
    MergeOutdated { id: String },

    #[error("the merge into resource {id}: {source}")]
    MergeStep { id: String, source: commonplace_history::Error },

    #[error("resource {id} cannot be edited as text: {reason}")]
    NotText { id: String, reason: String },

    #[error("these resources cannot be combined into one shared work: {reason}")]
    CombinationImpossible { reason: String },

    #[error("the bundle {path} was not imported: {reason}")]
    BundleRefused { path: PathBuf, reason: String },

    #[error("could not {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: io::Error },
}

/// Attaches the action and the path to an I/O error, so it reads as a sentence that names the item.
pub(crate) trait IoContext<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|source| Error::Io { action, path: path.into(), source })
    }
}
