//! Request types of the history commands: revisions and diffs, copies, merges, the editor,
//! combining and bundles. Responses are the library's own types.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use commonplace_history::{Resolution, Side};
use commonplace_library::{EditorMode, Field, FieldChoice};

/// Two revisions of a resource to compare (ids or prefixes of at least 8 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffRevisionsRequest {
    pub id: String,
    pub from: String,
    pub to: String,
}

/// One revision of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionRequest {
    pub id: String,
    pub revision: String,
}

/// Make my own copy of `id`, under `licence` (the suggested one when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForkRequest {
    pub id: String,
    pub licence: Option<String>,
}

/// Bring the changes of `from` (a resource id, or a revision id) into `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeRequest {
    pub id: String,
    pub from: String,
}

/// Settle the text conflict at `region` (an index into the merge's regions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveConflictRequest {
    pub id: String,
    pub region: u32,
    pub resolution: Resolution,
}

/// Settle a metadata conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveFieldRequest {
    pub id: String,
    pub field: Field,
    pub choice: FieldChoice,
}

/// Choose which version of content that cannot be merged line by line to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChooseSideRequest {
    pub id: String,
    pub side: Side,
}

/// Save the editor's text as a new revision; `baseHead` is the revision editing started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveTextRequest {
    pub id: String,
    pub base_head: String,
    pub text: String,
    pub message: String,
}

/// Keep the editor's unsaved text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDraftRequest {
    pub id: String,
    pub base_head: String,
    pub text: String,
}

/// Text to render for the editor's live preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderPreviewRequest {
    pub text: String,
    pub mode: EditorMode,
}

/// Several resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesRequest {
    pub ids: Vec<String>,
}

/// Combine `ids` into a new Markdown resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CombineRequest {
    pub ids: Vec<String>,
    /// The sections to quote of some sources, by id (indexes from the outline); the sources not
    /// listed are quoted whole.
    #[serde(default)]
    pub sections: std::collections::HashMap<String, Vec<u32>>,
    pub title: String,
    pub licence: Option<String>,
}

/// Write a bundle of a resource (`id`) or a collection (`collectionId`) to `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportBundleRequest {
    pub id: Option<String>,
    pub collection_id: Option<String>,
    pub path: String,
}

/// Read the bundle at `path` into the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportBundleRequest {
    pub path: String,
}
