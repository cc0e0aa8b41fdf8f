//! The difference between two versions of a text, as data for a side-by-side view: the changed
//! stretches of lines ([`DiffHunk`]), each line cut into [`Segment`]s that say which words changed.
//!
//! Lines are compared without their line breaks (see the `text` module), so converting a file
//! from LF to CRLF does not mark every line as changed; the two versions' [`TextFormat`]s are
//! returned beside the hunks, so the view can say that the line endings, the byte order mark or the
//! final line break changed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lines::LineTokens;
use crate::text::{Text, TextFormat};
use crate::words::highlight;

/// The difference between two versions of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextDiff {
    pub old_format: TextFormat,
    pub new_format: TextFormat,
    pub old_line_count: usize,
    pub new_line_count: usize,
    /// The versions have the same lines and the same [`TextFormat`] but still differ: some lines
    /// end with `\r\n` and others with `\n`, differently in each (a file with mixed line endings
    /// was evened out, or mixed another way). Nothing else can be told apart once lines are read.
    #[serde(default)]
    pub line_breaks_changed: bool,
    /// The changed stretches, in order, each separated from the next by at least one unchanged line.
    /// Lines outside them are the same in both versions, in the same order, so the view can take
    /// them from either text.
    pub hunks: Vec<DiffHunk>,
}

/// Lines `old` of the old version were replaced by lines `new` of the new version. One of the two
/// ranges may be empty: lines only added, or only removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffHunk {
    pub old: LineRange,
    pub new: LineRange,
    /// One entry per line of `old`, in order.
    pub old_lines: Vec<DiffLine>,
    /// One entry per line of `new`, in order.
    pub new_lines: Vec<DiffLine>,
}

/// Lines `start` to `end` of a version: zero-based, `end` excluded, so an empty range marks the
/// place between two lines where the other version has lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineRange {
    pub start: usize,
    pub end: usize,
}

impl LineRange {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<std::ops::Range<usize>> for LineRange {
    fn from(range: std::ops::Range<usize>) -> Self {
        LineRange { start: range.start, end: range.end }
    }
}

/// One line of a hunk: its text, without the line break, cut into segments. An empty line has no
/// segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    pub segments: Vec<Segment>,
}

impl DiffLine {
    /// The whole line.
    pub fn text(&self) -> String {
        self.segments.iter().map(|segment| segment.text.as_str()).collect()
    }
}

/// A piece of a line. Consecutive segments of a line always differ in `changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub text: String,
    /// In an old line: the text is not in the new version. In a new line: it is not in the old one.
    pub changed: bool,
}

/// Compares two versions of a text line by line, then word by word inside the changed lines.
pub fn diff(old: &str, new: &str) -> TextDiff {
    // A version without a line break takes the other's line ending (see `TextDiff`'s formats), so
    // that adding a second line to a one-line file is not reported as a change of line endings.
    let old_text = Text::read(old);
    let new_text = Text::read(new);
    let mut tokens = LineTokens::with_capacity(old_text.lines.len() + new_text.lines.len());
    let old_tokens = tokens.intern(&old_text.lines);
    let new_tokens = tokens.intern(&new_text.lines);
    let hunks = tokens
        .changes(&old_tokens, &new_tokens)
        .into_iter()
        .map(|change| {
            let old_lines = old_text.lines.get(change.before.clone()).unwrap_or_default();
            let new_lines = new_text.lines.get(change.after.clone()).unwrap_or_default();
            let (old_lines, new_lines) = highlight(old_lines, new_lines);
            DiffHunk { old: change.before.into(), new: change.after.into(), old_lines, new_lines }
        })
        .collect::<Vec<_>>();
    let old_format = old_text.format(new_text.line_ending);
    let new_format = new_text.format(old_text.line_ending);
    TextDiff {
        line_breaks_changed: hunks.is_empty() && old_format == new_format && old != new,
        old_format,
        new_format,
        old_line_count: old_text.lines.len(),
        new_line_count: new_text.lines.len(),
        hunks,
    }
}
