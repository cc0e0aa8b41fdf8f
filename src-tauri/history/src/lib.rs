//! The logic behind a resource's history (DESIGN §5): what changed between two versions, and the
//! three-way merge that "bring in changes" runs on a common ancestor and two descendants.
//!
//! - [`diff`] compares two versions of a text line by line, then word by word inside changed lines,
//!   and returns a [`TextDiff`] for a side-by-side view.
//! - [`merge`] merges text line by line into a [`Merge`]: the clean text, or the file as
//!   [`Region`]s, some in [`Conflict`]. Conflicts are data, not errors: a conflicted merge is stored
//!   as an unfinished merge, resolved with [`Merge::resolve`] and written out with [`Merge::render`].
//! - [`merge_bytes`] merges content that is not text by picking a side ([`BinaryMerge`]);
//!   [`merge_content`] chooses between the two by [`is_text`].
//! - [`merge_metadata`] merges metadata field by field into a [`MetadataMerge`].
//!
//! This crate deliberately knows nothing of revisions, hashes, storage, IPC or the file system: it is
//! pure functions over strings, bytes and JSON values, so the library can run it inside a
//! transaction and the tests can check its laws directly. It does not find the common ancestor
//! either; the library walks the revision graph and passes the three versions in.
//!
//! Decisions the rest of Commonplace relies on:
//! - **Line endings.** Lines are compared without their line breaks (`\n` or `\r\n`; a lone `\r` is
//!   an ordinary character). The line ending, a leading byte order mark and the final line break are
//!   merged as properties of the file ([`TextFormat`]): a side that changed one wins over a side
//!   that did not. A file with mixed endings is read as the ending most of its lines use.
//! - **Exact identities.** When one side left the text unchanged, or both sides made the same
//!   change, [`merge`] returns the other side's text byte for byte, mixed line endings included.
//! - **Conflicts** are changes of both sides to the same base lines (or insertions at the same
//!   place, or inside lines the other side replaced) that are not the same change. Unlike git,
//!   changes on neighbouring lines merge: the base fixes their order. Where all three versions have
//!   the same number of lines in a conflicting stretch, it is merged line by line; otherwise the
//!   conflict keeps the base text of the whole stretch and is trimmed of the lines both sides agree
//!   on at its ends (git's `zdiff3`). Region texts are normalised to whole `\n`-terminated lines
//!   without a byte order mark; the format is applied when rendering.
//! - **Text or binary.** Content is text when it is valid UTF-8 without NUL bytes; anything else
//!   merges as a whole.
//!
//! Main types: [`TextDiff`] (with [`DiffHunk`], [`DiffLine`], [`Segment`]), [`Merge`] (with
//! [`Region`], [`Conflict`], [`Resolution`], [`TextFormat`]), [`BinaryMerge`], [`ContentMerge`],
//! [`MetadataMerge`], [`Error`].

// A merge must never lose a teacher's work by crashing half-way, so this code must not panic on any
// input.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::unimplemented
    )
)]

mod binary;
mod diff;
mod error;
mod lines;
mod merge;
mod metadata;
mod regions;
mod text;
mod words;

pub use binary::{BinaryMerge, ContentMerge, Side, is_text, merge_bytes, merge_content};
pub use diff::{DiffHunk, DiffLine, LineRange, Segment, TextDiff, diff};
pub use error::{Error, Result};
pub use merge::merge;
pub use metadata::{FieldConflict, FieldResolution, Metadata, MetadataMerge, merge_metadata};
pub use regions::{Conflict, Merge, Region, Resolution};
pub use text::{LineEnding, TextFormat};
