//! Line and word diffs for the side-by-side view, in a compact notation: a hunk is
//! `@@ old-range new-range`, then `-` old lines and `+` new lines with changed text in `[…]`.

use commonplace_history::{DiffHunk, DiffLine, LineEnding, TextDiff, diff};

use crate::common::*;

fn describe_line(line: &DiffLine) -> String {
    line.segments
        .iter()
        .map(|segment| if segment.changed { format!("[{}]", segment.text) } else { segment.text.clone() })
        .collect()
}

fn describe_hunk(hunk: &DiffHunk) -> String {
    let mut described =
        format!("@@ {}..{} {}..{}\n", hunk.old.start, hunk.old.end, hunk.new.start, hunk.new.end);
    for line in &hunk.old_lines {
        described.push_str(&format!("-{}\n", describe_line(line)));
    }
    for line in &hunk.new_lines {
        described.push_str(&format!("+{}\n", describe_line(line)));
    }
    described
}

fn describe(diff: &TextDiff) -> String {
    diff.hunks.iter().map(describe_hunk).collect()
}

#[track_caller]
fn check(old: &str, new: &str, expected: &str) {
    assert_eq!(describe(&diff(old, new)), expected);
}

#[test]
fn a_typo_fix_highlights_the_word() {
    check(
        WORKSHEET,
        WORKSHEET_TYPO_FIXED,
        "@@ 6..7 6..7\n-3. Which is [biger], 2/3 or 3/5? Explain how you know.\n+3. Which is [bigger], 2/3 or 3/5? Explain how you know.\n",
    );
}

#[test]
fn an_added_question_is_a_pure_insertion() {
    check(
        WORKSHEET,
        WORKSHEET_QUESTION_ADDED,
        "@@ 7..7 7..8\n+[4. Order from smallest to largest: 5/8, 1/2, 3/4.]\n",
    );
}

#[test]
fn a_reworded_phrase_is_one_highlight() {
    check(
        WORKSHEET,
        WORKSHEET_QUESTION_2_BAR,
        "@@ 5..6 5..6\n-2. [Shade] 3/4 of the [rectangle] below.\n+2. [Colour in] 3/4 of the [bar model] below.\n",
    );
}

#[test]
fn text_moving_to_the_next_line_is_not_marked_changed() {
    check(
        "Explain how you know, using a diagram.\n",
        "Explain how you know,\nusing a diagram.\n",
        "@@ 0..1 0..2\n-Explain how you know,[ ]using a diagram.\n+Explain how you know,\n+using a diagram.\n",
    );
}

#[test]
fn deleted_and_empty_lines() {
    check("a\n\nb\nc\n", "a\nc\n", "@@ 1..3 1..1\n-\n-[b]\n");
}

#[test]
fn a_one_character_edit_in_a_script_without_spaces_highlights_one_character() {
    check(
        "3/4 を塗りましょう。\n",
        "3/4 を描きましょう。\n",
        "@@ 0..1 0..1\n-3/4 を[塗り]ましょう。\n+3/4 を[描き]ましょう。\n",
    );
}

#[test]
fn identical_texts_have_no_hunks() {
    let same = diff(WORKSHEET, WORKSHEET);
    assert!(same.hunks.is_empty());
    assert_eq!((same.old_line_count, same.new_line_count), (9, 9));
}

#[test]
fn a_line_ending_conversion_is_a_format_change_not_a_line_change() {
    let converted = diff(WORKSHEET, &WORKSHEET.replace('\n', "\r\n"));
    assert!(converted.hunks.is_empty());
    assert_eq!(converted.old_format.line_ending, LineEnding::Lf);
    assert_eq!(converted.new_format.line_ending, LineEnding::Crlf);
    // Adding a second line to a one-line CRLF file is not reported as a conversion.
    let grown = diff("one", "one\r\ntwo\r\n");
    assert_eq!(grown.old_format.line_ending, grown.new_format.line_ending);
    assert!(!grown.old_format.final_newline && grown.new_format.final_newline);
    assert!(!converted.line_breaks_changed && !grown.line_breaks_changed, "the formats say it");
}

#[test]
fn evening_out_mixed_line_endings_is_reported() {
    // Mostly CRLF before and after, so the formats agree; only the second line's break changed.
    let evened = diff("one\r\ntwo\nthree\r\n", "one\r\ntwo\r\nthree\r\n");
    assert!(evened.hunks.is_empty());
    assert_eq!(evened.old_format, evened.new_format);
    assert!(evened.line_breaks_changed);
    assert!(!diff(WORKSHEET, WORKSHEET).line_breaks_changed, "identical texts changed nothing");
    assert!(!diff("a\n", "b\n").line_breaks_changed, "a changed line is a hunk, not a line break");
}

#[test]
fn a_small_edit_in_a_very_long_line_is_still_highlighted() {
    let line = "word ".repeat(200_000);
    let edited = format!("{line}changed {line}");
    let result = diff(&format!("{line}{line}"), &edited);
    let changed: Vec<&str> = result.hunks[0].new_lines[0]
        .segments
        .iter()
        .filter(|segment| segment.changed)
        .map(|segment| segment.text.as_str())
        .collect();
    assert_eq!(changed.concat().trim(), "changed");
}

#[test]
fn two_unrelated_long_lines_are_marked_changed_whole() {
    let old: String = (0..30_000).map(|number| format!("a{number} ")).collect();
    let new: String = (0..30_000).map(|number| format!("b{number} ")).collect();
    let result = diff(&old, &new);
    // Everything but the final space, which the two lines share.
    let segments = &result.hunks[0].old_lines[0].segments;
    assert_eq!(segments.len(), 2);
    assert!(segments[0].changed);
    assert_eq!(segments[0].text, old.trim_end());
    assert_eq!(result.hunks[0].new_lines[0].text(), new);
}
