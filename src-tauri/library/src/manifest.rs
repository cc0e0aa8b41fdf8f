//! `library.json`: the library's format version and its stable id. It is written last when a
//! library is created, so its presence means the library is complete.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use crate::{fsutil, layout};

/// The library folder format this version of Commonplace reads and writes.
pub const FORMAT_VERSION: u32 = 1;

const FORMAT_NAME: &str = "commonplace-library";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    /// Always `commonplace-library`; tells this file apart from any other `library.json`.
    pub format: String,
    pub format_version: u32,
    /// Stable across moves and copies of the folder; identifies the library in provenance.
    pub library_id: String,
}

impl Manifest {
    pub(crate) fn new() -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            format_version: FORMAT_VERSION,
            library_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub(crate) fn read(root: &Path) -> Result<Self> {
        let path = root.join(layout::MANIFEST);
        let bytes = fs::read(&path).at("read", &path)?;
        let manifest: Self = serde_json::from_slice(&bytes)
            .map_err(|error| Error::ManifestInvalid { path: path.clone(), reason: error.to_string() })?;
        if manifest.format != FORMAT_NAME {
            return Err(Error::ManifestInvalid {
                path,
                reason: format!("it names the format {:?}, not {FORMAT_NAME:?}", manifest.format),
            });
        }
        if manifest.format_version > FORMAT_VERSION {
            return Err(Error::UnsupportedFormat {
                path: root.to_path_buf(),
                found: manifest.format_version,
                supported: FORMAT_VERSION,
            });
        }
        Ok(manifest)
    }

    pub(crate) fn write(&self, root: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|error| Error::ManifestInvalid {
            path: root.join(layout::MANIFEST),
            reason: error.to_string(),
        })?;
        bytes.push(b'\n');
        fsutil::write_atomic(&root.join(layout::TMP), &root.join(layout::MANIFEST), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_format_is_stable() {
        let manifest = Manifest {
            format: FORMAT_NAME.to_owned(),
            format_version: FORMAT_VERSION,
            library_id: "0b6f4f5e-6c1e-4bb4-9d43-0c1b7d1f2a10".to_owned(),
        };
        insta::assert_snapshot!(serde_json::to_string_pretty(&manifest).unwrap());
    }
}
