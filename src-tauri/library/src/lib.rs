//! The offline library: one self-contained folder that holds a teacher's resources.
//!
//! A library is a folder with a fixed layout (see [`layout`]): `library.json` names its format
//! version and id, `catalog.sqlite` indexes it, `objects/` will hold immutable content named by
//! hash, `thumbs/` holds derived images and `tmp/` stages writes on the same volume. One process at
//! a time may use a library; [`Library`] holds that lock for as long as it lives.
//!
//! This crate is deliberately free of any UI or IPC concern: the desktop shell and the command-line
//! tool are both thin layers over it. It does not know about tauri, HTTP or messaging.
//!
//! Main types: [`Library`] (an open library: import, search, resources, trash), [`Revision`] (an
//! immutable, content-addressed record of a resource), [`Metadata`], [`ObjectStore`] (content by
//! BLAKE3 hash), [`Error`].
//! Where a library lives by default, and how a flag or environment variable overrides it, is in
//! [`location`].

mod bundle;
mod catalog;
mod check;
mod collections;
mod combine;
mod editing;
mod error;
mod extract;
mod fsutil;
mod graph;
mod history;
mod import;
pub mod layout;
mod library;
mod licence;
mod lineage;
pub mod location;
mod lock;
mod manifest;
mod merging;
pub mod metadata;
pub mod pdfpage;
mod preview;
mod resources;
mod revision;
mod search;
mod share;
mod store;
mod thumbs;
mod watch;
mod working;

pub use bundle::{
    BUNDLE_EXTENSION, BUNDLE_FORMAT_VERSION, BundleContents, BundleExport, BundleImport, BundleImportItem,
    BundleManifest, BundleOutcome, Origin,
};
pub use check::CheckReport;
pub use collections::{Collection, CollectionEntry};
pub use combine::{CombinationCheck, Section, SourceOutline};
pub use editing::{Draft, EditableText, EditorMode, MAX_EDITABLE_BYTES, SaveOutcome};
pub use error::{Error, Result};
pub use history::{FieldDifference, NoTextDiff, RevisionDiff, RevisionSummary, short as short_revision};
pub use import::{ImportItem, ImportOptions, ImportOutcome, ImportProgress, ImportReport, throttled};
pub use library::{Library, LibraryInfo, Opened};
pub use lineage::{
    Arrival, AttributionLine, ForkCheck, ForkVerdict, LicenceChoice, LicenceTerms, Lineage, LineageSource,
    MergeCandidate, MergeRelation, NotShareableCode, RelatedResource,
};
pub use manifest::FORMAT_VERSION;
pub use merging::{FieldChoice, MergeOutcome, MergeState};
pub use metadata::{Field, FieldSource, Metadata};
pub use preview::{PREVIEW_BYTES, Preview, render_editor_preview};
pub use resources::{ImageSize, ResourceDetails};
pub use revision::Revision;
pub use search::{FacetValue, Facets, SearchHit, SearchQuery, SnippetPart, SortOrder};
pub use share::{SHARED_RESOURCE_KEY, SHARED_RESOURCE_VERSION, ShareReady, SharedResource, SharedSource};
pub use store::{ObjectId, ObjectStore, StoredObject};
pub use thumbs::{MAX_PIXELS, PREVIEW_IMAGE_SIZE, THUMBNAIL_SIZE, preview_image};
pub use watch::{MakeWatcher, ScanReport, ServiceOptions, WatchMode, WatchService, WatchedFolder};
