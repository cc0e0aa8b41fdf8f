//! How the diff and the merge read text: as lines without their line breaks, plus a [`TextFormat`]
//! that says how the file writes them.
//!
//! Line breaks are `\n` or `\r\n`; a `\r` on its own is an ordinary character, as it is for git (the
//! classic Mac convention of `\r` alone is long gone, and splitting on it would break lines that
//! merely contain one). A leading U+FEFF is a byte order mark and is not part of the first line.
//! Lines are compared without their line breaks, so a file that one side converted from LF to CRLF
//! still merges line by line with the other side's edits; the line ending, the byte order mark and
//! whether the last line ends with a line break are merged separately, as properties of the file
//! (see [`merge_format`]), and applied once, when the result is written out ([`render`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const BYTE_ORDER_MARK: char = '\u{feff}';

/// How a file ends its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LineEnding {
    /// `\n`, as on Linux and macOS.
    Lf,
    /// `\r\n`, as Windows editors write.
    Crlf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::Crlf => "\r\n",
        }
    }
}

/// The properties of a text file that are not in its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextFormat {
    /// The line break written between lines. A file with mixed line endings is read as the ending
    /// most of its lines use (LF on a tie), and LF is assumed for a file without any line break.
    pub line_ending: LineEnding,
    /// Whether the file starts with a UTF-8 byte order mark (U+FEFF).
    pub byte_order_mark: bool,
    /// Whether the last line ends with a line break. An empty file counts as ending with one, since
    /// it has no unfinished line.
    pub final_newline: bool,
}

/// A text split into lines, with what was taken off them.
pub(crate) struct Text<'a> {
    /// The lines without their line breaks.
    pub lines: Vec<&'a str>,
    /// The ending most line breaks use, `None` when there is no line break at all.
    pub line_ending: Option<LineEnding>,
    pub byte_order_mark: bool,
    /// Whether the last line ends with a line break, `None` when there are no lines.
    pub final_newline: Option<bool>,
}

impl<'a> Text<'a> {
    pub fn read(text: &'a str) -> Self {
        let (byte_order_mark, mut rest) = match text.strip_prefix(BYTE_ORDER_MARK) {
            Some(body) => (true, body),
            None => (false, text),
        };
        let mut lines = Vec::new();
        let (mut crlf_count, mut lf_count) = (0_usize, 0_usize);
        while let Some((line, after)) = rest.split_once('\n') {
            match line.strip_suffix('\r') {
                Some(line) => {
                    crlf_count += 1;
                    lines.push(line);
                }
                None => {
                    lf_count += 1;
                    lines.push(line);
                }
            }
            rest = after;
        }
        if !rest.is_empty() {
            lines.push(rest);
        }
        let final_newline = if lines.is_empty() { None } else { Some(rest.is_empty()) };
        let line_ending = match (crlf_count, lf_count) {
            (0, 0) => None,
            (crlf, lf) if crlf > lf => Some(LineEnding::Crlf),
            _ => Some(LineEnding::Lf),
        };
        Text { lines, line_ending, byte_order_mark, final_newline }
    }

    /// The format this text is written in, taking the line ending from `fallback` when the text
    /// has no line break of its own.
    pub fn format(&self, fallback: Option<LineEnding>) -> TextFormat {
        TextFormat {
            line_ending: self.line_ending.or(fallback).unwrap_or(LineEnding::Lf),
            byte_order_mark: self.byte_order_mark,
            final_newline: self.final_newline.unwrap_or(true),
        }
    }
}

/// Merges the three versions' formats, each property on its own: a side that changed it wins over
/// one that did not. A version without a line break says nothing about line endings, and an empty
/// one nothing about the final line break, so a side that deleted every line does not change them.
///
/// Two sides that both changed a yes-or-no property changed it to the same value, so the sides can
/// only disagree when the base has nothing to compare with: both wrote lines into an empty file, one
/// with LF and one with CRLF, or one with a final line break and one without. LF and a final line
/// break are chosen then, which keeps the answer the same whichever side is called "ours".
pub(crate) fn merge_format(base: &Text<'_>, ours: &Text<'_>, theirs: &Text<'_>) -> TextFormat {
    TextFormat {
        line_ending: merge_property(base.line_ending, ours.line_ending, theirs.line_ending)
            .unwrap_or(LineEnding::Lf),
        byte_order_mark: merge_property(
            Some(base.byte_order_mark),
            Some(ours.byte_order_mark),
            Some(theirs.byte_order_mark),
        )
        .unwrap_or(false),
        final_newline: merge_property(base.final_newline, ours.final_newline, theirs.final_newline)
            .unwrap_or(true),
    }
}

/// Three-way merge of a property that a version may not have (`None`), which counts as unchanged
/// from the base. `None` when nothing decides: no version has it, or both sides changed it
/// differently.
fn merge_property<T: PartialEq + Copy>(base: Option<T>, ours: Option<T>, theirs: Option<T>) -> Option<T> {
    let ours = ours.or(base);
    let theirs = theirs.or(base);
    if ours == base {
        theirs
    } else if theirs == base || ours == theirs {
        ours
    } else {
        None
    }
}

/// Appends lines to normalised text: each line followed by `\n`.
pub(crate) fn push_lines(normalised: &mut String, lines: &[&str]) {
    for line in lines {
        normalised.push_str(line);
        normalised.push('\n');
    }
}

/// Writes normalised text (whole lines, each ending in `\n`, no byte order mark) in a format.
pub(crate) fn render(normalised: &str, format: TextFormat) -> String {
    // The final line break comes off before `\n` becomes `\r\n`, so that a last line whose own text
    // ends in a lone `\r` keeps it.
    let body =
        if format.final_newline { normalised } else { normalised.strip_suffix('\n').unwrap_or(normalised) };
    let mut rendered = String::with_capacity(body.len() + body.len() / 32 + BYTE_ORDER_MARK.len_utf8());
    if format.byte_order_mark {
        rendered.push(BYTE_ORDER_MARK);
    }
    match format.line_ending {
        LineEnding::Lf => rendered.push_str(body),
        LineEnding::Crlf => {
            for piece in body.split_inclusive('\n') {
                match piece.strip_suffix('\n') {
                    Some(line) => {
                        rendered.push_str(line);
                        rendered.push_str("\r\n");
                    }
                    None => rendered.push_str(piece),
                }
            }
        }
    }
    rendered
}

/// Brings text a person typed into the normalised form: `\r\n` becomes `\n`, and text that does not
/// end with a line break gets one, because every region of a merge is made of whole lines.
pub(crate) fn normalise(typed: &str) -> String {
    let mut normalised = typed.replace("\r\n", "\n");
    if !normalised.is_empty() && !normalised.ends_with('\n') {
        normalised.push('\n');
    }
    normalised
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_and_rendering_a_uniform_file_gives_it_back() {
        for text in ["", "a", "a\n", "a\r\nb\r\n", "\u{feff}a\nb", "\n\n", "a\r", "\u{feff}"] {
            let read = Text::read(text);
            let mut normalised = String::new();
            push_lines(&mut normalised, &read.lines);
            assert_eq!(render(&normalised, read.format(None)), text, "{text:?}");
        }
    }

    #[test]
    fn a_lone_carriage_return_is_part_of_the_line() {
        assert_eq!(Text::read("a\rb\n").lines, ["a\rb"]);
    }

    #[test]
    fn mixed_endings_read_as_the_majority() {
        assert_eq!(Text::read("a\r\nb\r\nc\n").line_ending, Some(LineEnding::Crlf));
        assert_eq!(Text::read("a\r\nb\n").line_ending, Some(LineEnding::Lf));
        assert_eq!(Text::read("a").line_ending, None);
    }
}
