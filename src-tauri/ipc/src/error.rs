//! [`IpcError`]: the one error shape that crosses IPC and that the CLI prints with `--json`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure this is: the UI chooses its behaviour from the kind, and shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The item asked for does not exist.
    NotFound,
    /// The request itself is wrong: a bad value, a path outside what is allowed.
    InvalidInput,
    /// Another process holds the library.
    Locked,
    /// The request collides with the current state.
    Conflict,
    /// Not allowed, for example by a licence.
    Forbidden,
    /// Written by a newer version of Commonplace, or a format it does not read.
    Unsupported,
    /// Reading or writing files failed.
    Io,
    /// A bug: the message is for a bug report.
    Internal,
}

/// The one error type that crosses IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub kind: ErrorKind,
    /// A full sentence for a person, naming the item and the reason.
    pub message: String,
}

impl IpcError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

impl From<commonplace_library::Error> for IpcError {
    fn from(error: commonplace_library::Error) -> Self {
        use commonplace_library::Error;
        let kind = match &error {
            Error::Locked { .. } => ErrorKind::Locked,
            Error::NoLibrary { .. } => ErrorKind::NotFound,
            Error::NotALibrary { .. } | Error::NoDefaultLocation => ErrorKind::InvalidInput,
            Error::UnsupportedFormat { .. } | Error::CatalogTooNew { .. } => ErrorKind::Unsupported,
            Error::ManifestInvalid { .. } | Error::Catalog { .. } | Error::Io { .. } => ErrorKind::Io,
            Error::Migration { .. } => ErrorKind::Internal,
            Error::ResourceNotFound { .. }
            | Error::CollectionNotFound { .. }
            | Error::RevisionNotFound { .. }
            | Error::ObjectMissing { .. } => ErrorKind::NotFound,
            Error::InvalidObjectId { .. }
            | Error::InvalidField { .. }
            | Error::Thumbnail { .. }
            | Error::NotText { .. }
            | Error::NoCommonHistory { .. }
            | Error::BundleRefused { .. } => ErrorKind::InvalidInput,
            Error::ForkRefused { .. }
            | Error::ShareNeedsConfirmation { .. }
            | Error::LicenceNotAllowed { .. }
            | Error::CombinationImpossible { .. } => ErrorKind::Forbidden,
            Error::MergeInProgress { .. }
            | Error::NoMergeInProgress { .. }
            | Error::MergeUnresolved { .. }
            | Error::MergeOutdated { .. }
            | Error::MergeStep { .. } => ErrorKind::Conflict,
        };
        Self::new(kind, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_crosses_ipc_as_kind_and_message() {
        let error = IpcError::new(ErrorKind::NotFound, "there is no Commonplace library at /tmp/x");
        insta::assert_json_snapshot!(error, @r#"
        {
          "kind": "notFound",
          "message": "there is no Commonplace library at /tmp/x"
        }
        "#);
    }

    #[test]
    fn a_locked_library_maps_to_the_locked_kind_and_names_the_folder() {
        let error: IpcError = commonplace_library::Error::Locked { path: "/data/Library".into() }.into();
        assert_eq!(error.kind, ErrorKind::Locked);
        assert!(error.message.contains("/data/Library"), "{}", error.message);
    }
}
