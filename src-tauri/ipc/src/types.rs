//! Request and response types of the shell's commands. Field names are camelCase on the wire.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A summary of the open library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryInfo {
    /// The library folder, absolute.
    pub path: String,
    pub format_version: u32,
    pub library_id: String,
    pub resource_count: u64,
    pub collection_count: u64,
}

impl From<commonplace_library::LibraryInfo> for LibraryInfo {
    fn from(info: commonplace_library::LibraryInfo) -> Self {
        Self {
            path: info.root.display().to_string(),
            format_version: info.format_version,
            library_id: info.library_id,
            resource_count: info.resource_count,
            collection_count: info.collection_count,
        }
    }
}

/// Files and folders to import, as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPathsRequest {
    pub paths: Vec<String>,
}

/// Names one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequest {
    pub id: String,
}

/// A new value for one metadata field; lists are separated with `;`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: commonplace_library::Field,
    pub value: String,
}

/// Metadata edits to save together, as one new revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMetadataRequest {
    pub id: String,
    pub changes: Vec<FieldChange>,
}

/// What emptying the trash removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmptyTrashResponse {
    pub resources: u64,
    pub objects: u64,
}

/// A new collection: nested in `parentId` if given, smart (a saved search) if `query` is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateCollectionRequest {
    pub name: String,
    pub parent_id: Option<String>,
    pub query: Option<commonplace_library::SearchQuery>,
}

/// Names one collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionRequest {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenameCollectionRequest {
    pub id: String,
    pub name: String,
}

/// Nests a collection inside another, or at the top level with no `parentId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoveCollectionRequest {
    pub id: String,
    pub parent_id: Option<String>,
}

/// Resources to add to a manual collection, appended in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddToCollectionRequest {
    pub id: String,
    pub resource_ids: Vec<String>,
}

/// One resource in one collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionItemRequest {
    pub id: String,
    pub resource_id: String,
}

/// Moves a resource to `position` (0 is first) in the curator's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoveInCollectionRequest {
    pub id: String,
    pub resource_id: String,
    pub position: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionNoteRequest {
    pub id: String,
    pub resource_id: String,
    pub note: String,
}

/// Where the working copy handed to the system's app is; edits saved there come back as revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenResourceResponse {
    pub path: String,
}

/// A folder to watch or to stop watching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchedFolderRequest {
    pub path: String,
}

/// A licence as the UI shows it: names, the deed to link to, the CC icons to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LicenceInfo {
    /// The SPDX id stored in the catalog (`CC-BY-SA-4.0`, `public-domain`, `unknown`).
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub deed_url: Option<String>,
    /// `by`, `sa`, `nc`, `nd`, `zero`, `pd`, in the order the icons are drawn.
    pub icons: Vec<String>,
    /// False for `unknown` and `all-rights-reserved`: not to be shared as OER without checking.
    pub is_open: bool,
}

impl From<&commonplace_licence::Licence> for LicenceInfo {
    fn from(licence: &commonplace_licence::Licence) -> Self {
        Self {
            id: licence.spdx_id().into_owned(),
            name: licence.name().into_owned(),
            short_name: licence.short_name().into_owned(),
            deed_url: licence.deed_url(),
            icons: licence.icon_elements().iter().map(|icon| icon.name().to_owned()).collect(),
            is_open: licence.is_open(),
        }
    }
}

/// Why the library changed outside the view that is looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChangeCause {
    /// An import finished.
    Import,
    /// A watched folder was scanned.
    WatchedFolder,
    /// A working copy saved in another app came back as a revision.
    WorkingCopy,
}

/// The payload of the `library-changed` event: open views refresh when they hear it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryChanged {
    pub cause: ChangeCause,
    /// What a watched-folder scan did.
    pub scan: Option<commonplace_library::ScanReport>,
}

/// Facts about the running app, for Settings and bug reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The current log file, to attach to a bug report.
    pub log_file: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_info_wire_format() {
        let info = LibraryInfo {
            path: "/home/ana/.local/share/commonplace/Library".into(),
            format_version: 1,
            library_id: "0b6f4f5e-6c1e-4bb4-9d43-0c1b7d1f2a10".into(),
            resource_count: 3,
            collection_count: 1,
        };
        insta::assert_json_snapshot!(info, @r#"
        {
          "path": "/home/ana/.local/share/commonplace/Library",
          "formatVersion": 1,
          "libraryId": "0b6f4f5e-6c1e-4bb4-9d43-0c1b7d1f2a10",
          "resourceCount": 3,
          "collectionCount": 1
        }
        "#);
    }
}

/// An address from a message to open in the system's browser or mail program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenLinkRequest {
    pub url: String,
}
