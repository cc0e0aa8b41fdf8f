//! The crate's error type. Diffing and merging never fail: a merge that cannot be finished comes back
//! as data with its conflicts in it. Errors are for the steps after that, when a caller resolves a
//! conflict that is not there or asks for the result before every conflict has been resolved.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A text merge was asked to resolve a region index past its last region.
    #[error("region {region} does not exist: the merge has {regions} regions")]
    NoSuchRegion { region: usize, regions: usize },

    /// A text merge was asked to resolve a region that merged cleanly.
    #[error("region {region} is not a conflict")]
    NotAConflict { region: usize },

    /// A clean merge, text or binary, was asked to resolve a conflict.
    #[error("the merge is clean: there is no conflict to resolve")]
    NothingToResolve,

    /// The result of a text or binary merge was asked for while conflicts are still open.
    #[error("{unresolved} conflicts are not resolved yet")]
    UnresolvedConflicts { unresolved: usize },

    /// A metadata merge was asked to resolve a field that merged cleanly or is not in any version.
    #[error("metadata field {field:?} has no conflict")]
    NoFieldConflict { field: String },

    /// The result of a metadata merge was asked for while these fields are still in conflict.
    #[error("metadata fields {fields:?} are not resolved yet")]
    UnresolvedFields { fields: Vec<String> },
}
