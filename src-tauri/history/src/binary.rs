//! Merging content that is not text (images, PDFs, office files, text in another encoding): a side
//! is picked, never mixed. [`merge_content`] decides between this and the line merge.
//!
//! A [`BinaryMerge`] names a side instead of holding bytes, so it can be stored next to the three
//! object hashes without copying the content.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::merge::merge;
use crate::regions::Merge;

/// One of the three versions taking part in a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    /// The common ancestor.
    Base,
    Ours,
    Theirs,
}

/// The result of [`merge_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BinaryMerge {
    /// The result is this side's content: the base when neither side changed it, the side that
    /// changed it when only one did, and ours when both made the same change.
    Clean { side: Side },
    /// Both sides changed the content differently; a person chooses. Choosing the base drops both
    /// changes.
    Conflict { resolution: Option<Side> },
}

impl BinaryMerge {
    /// The side the result is taken from, `None` while the conflict is open.
    pub fn side(&self) -> Option<Side> {
        match *self {
            BinaryMerge::Clean { side } => Some(side),
            BinaryMerge::Conflict { resolution } => resolution,
        }
    }

    /// Settles the conflict, replacing any earlier choice.
    pub fn resolve(&mut self, side: Side) -> Result<()> {
        match self {
            BinaryMerge::Clean { .. } => Err(Error::NothingToResolve),
            BinaryMerge::Conflict { resolution } => {
                *resolution = Some(side);
                Ok(())
            }
        }
    }

    /// The merged content, picked from the three versions. Fails while the conflict is open.
    pub fn pick<'a>(&self, base: &'a [u8], ours: &'a [u8], theirs: &'a [u8]) -> Result<&'a [u8]> {
        match self.side() {
            Some(Side::Base) => Ok(base),
            Some(Side::Ours) => Ok(ours),
            Some(Side::Theirs) => Ok(theirs),
            None => Err(Error::UnresolvedConflicts { unresolved: 1 }),
        }
    }
}

/// Merges content as a whole: a side that changed it wins over one that did not, and two different
/// changes are a conflict.
pub fn merge_bytes(base: &[u8], ours: &[u8], theirs: &[u8]) -> BinaryMerge {
    let side = if ours == theirs {
        if ours == base { Side::Base } else { Side::Ours }
    } else if theirs == base {
        Side::Ours
    } else if ours == base {
        Side::Theirs
    } else {
        return BinaryMerge::Conflict { resolution: None };
    };
    BinaryMerge::Clean { side }
}

/// Whether content is merged as text: valid UTF-8 without NUL bytes. UTF-16 text has NUL bytes in
/// nearly every other byte, and so counts as binary, as other legacy encodings fail the UTF-8 check;
/// a caller that knows the encoding converts to UTF-8 before merging.
pub fn is_text(content: &[u8]) -> bool {
    as_text(content).is_some()
}

fn as_text(content: &[u8]) -> Option<&str> {
    if content.contains(&0) { None } else { std::str::from_utf8(content).ok() }
}

/// The result of [`merge_content`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ContentMerge {
    Text { merge: Merge },
    Binary { merge: BinaryMerge },
}

/// Merges content line by line when all three versions are text ([`is_text`]), and as a whole
/// ([`merge_bytes`]) when any of them is not.
pub fn merge_content(base: &[u8], ours: &[u8], theirs: &[u8]) -> ContentMerge {
    match (as_text(base), as_text(ours), as_text(theirs)) {
        (Some(base), Some(ours), Some(theirs)) => ContentMerge::Text { merge: merge(base, ours, theirs) },
        _ => ContentMerge::Binary { merge: merge_bytes(base, ours, theirs) },
    }
}
