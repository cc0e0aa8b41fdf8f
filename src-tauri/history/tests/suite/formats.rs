//! Line endings, byte order marks, final line breaks and unusual sizes.

use commonplace_history::{LineEnding, Merge, Region, Resolution, TextFormat, merge};

use crate::common::*;

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn a_crlf_file_stays_crlf() {
    let merged = merge(&crlf(WORKSHEET), &crlf(WORKSHEET_TYPO_FIXED), &crlf(WORKSHEET_QUESTION_ADDED));
    assert_eq!(clean(&merged), crlf(WORKSHEET_BOTH));
}

#[test]
fn converting_line_endings_on_one_side_merges_with_edits_on_the_other() {
    // A teacher on Windows saved the worksheet, which turned it to CRLF; another fixed the typo.
    let merged = merge(WORKSHEET, &crlf(WORKSHEET_QUESTION_ADDED), WORKSHEET_TYPO_FIXED);
    assert_eq!(clean(&merged), crlf(WORKSHEET_BOTH));
    let merged = merge(&crlf(WORKSHEET), WORKSHEET_QUESTION_ADDED, &crlf(WORKSHEET_TYPO_FIXED));
    assert_eq!(clean(&merged), WORKSHEET_BOTH);
}

#[test]
fn lines_from_the_other_side_take_the_merged_line_ending() {
    // Theirs only converted to CRLF; ours added lines with LF. Everything comes out CRLF, with no
    // mixed endings.
    check("a\nb\nc\n", "a\nb\nb2\nc\n", "a\r\nb\r\nc\r\n", "a\r\nb\r\nb2\r\nc\r\n");
}

#[test]
fn a_file_with_mixed_endings_comes_back_unchanged_when_the_other_side_did_not_change() {
    let mixed = "a\r\nb\nc\r\n";
    assert_eq!(clean(&merge("a\nb\nc\n", mixed, "a\nb\nc\n")), mixed);
    assert_eq!(clean(&merge("a\nb\nc\n", "a\nb\nc\n", mixed)), mixed);
    assert_eq!(clean(&merge("x\n", mixed, mixed)), mixed);
}

#[test]
fn a_file_with_mixed_endings_is_written_in_its_majority_ending_when_both_sides_changed() {
    check("a\r\nb\nc\r\nd\r\n", "A\r\nb\nc\r\nd\r\n", "a\r\nb\nc\r\nD\r\n", "A\r\nb\r\nc\r\nD\r\n");
}

#[test]
fn a_conflicted_merge_keeps_the_format_beside_normalised_regions() {
    let base = crlf("\u{feff}Title\nQuestion\nAnswer\n");
    let merged = merge(
        &base,
        &crlf("\u{feff}Title\nQuestion one\nAnswer\n"),
        &crlf("\u{feff}Title\nQuestion 1\nAnswer\n"),
    );
    let Merge::Conflicted { format, regions } = &merged else { panic!("expected a conflict") };
    assert_eq!(
        *format,
        TextFormat { line_ending: LineEnding::Crlf, byte_order_mark: true, final_newline: true }
    );
    assert_eq!(regions[0], Region::Resolved { text: "Title\n".to_owned() });
    let mut merged = merged.clone();
    merged.resolve(1, Resolution::Custom { text: "Question 1 (one)\r\n".to_owned() }).unwrap();
    assert_eq!(merged.render().unwrap(), crlf("\u{feff}Title\nQuestion 1 (one)\nAnswer\n"));
}

#[test]
fn a_byte_order_mark_added_on_one_side_is_kept() {
    check("a\nb\nc\n", "\u{feff}a\nb\nc\n", "a\nb\nC\n", "\u{feff}a\nb\nC\n");
    check("\u{feff}a\nb\nc\n", "a\nb\nc\n", "\u{feff}a\nb\nC\n", "a\nb\nC\n");
}

#[test]
fn a_missing_final_line_break_is_kept_or_fixed_as_a_side_did() {
    // Neither side touched the final line break: it stays missing.
    check("a\nb\nc", "A\nb\nc", "a\nb\nC", "A\nb\nC");
    // Theirs added one at the end, ours edited the first line.
    check("a\nb\nc", "A\nb\nc", "a\nb\nc\n", "A\nb\nc\n");
    // Ours appended a line and left it without a line break, as the base's last line was.
    check("a\nb\nc", "a\nb\nc\nd", "A\nb\nc", "A\nb\nc\nd");
}

#[test]
fn a_missing_final_line_break_is_written_after_a_resolved_conflict() {
    let mut merged = merge("a\nb", "a\nB", "a\nbb");
    assert_eq!(describe(&merged), "a\n<<<<<<< ours\nB\n||||||| base\nb\n=======\nbb\n>>>>>>> theirs\n");
    merged.resolve(1, Resolution::Both).unwrap();
    assert_eq!(merged.render().unwrap(), "a\nB\nbb");
}

#[test]
fn empty_files_merge() {
    check("", "", "", "");
    check("", "Starter question\n", "", "Starter question\n");
    check("", "Starter question\n", "Starter question\n", "Starter question\n");
    check(
        "",
        "Starter question\n",
        "Plenary question\n",
        "<<<<<<< ours\nStarter question\n||||||| base\n=======\nPlenary question\n>>>>>>> theirs\n",
    );
}

#[test]
fn both_sides_write_into_an_empty_file_with_different_line_endings() {
    // Nothing decides between LF and CRLF, so LF is chosen whichever side is ours.
    let mut merged = merge("", "Starter\r\n", "Plenary\n");
    resolve_all(&mut merged, &Resolution::Both);
    assert_eq!(merged.render().unwrap(), "Starter\nPlenary\n");
    let mut merged = merge("", "Plenary\n", "Starter\r\n");
    resolve_all(&mut merged, &Resolution::Both);
    assert_eq!(merged.render().unwrap(), "Plenary\nStarter\n");
}

#[test]
fn deleting_everything_merges_when_the_other_side_made_no_change() {
    assert_eq!(clean(&merge(WORKSHEET, "", WORKSHEET)), "");
    assert_eq!(clean(&merge(WORKSHEET, WORKSHEET, "")), "");
}

#[test]
fn deleting_everything_conflicts_with_an_edit() {
    let mut merged = merge(WORKSHEET, "", WORKSHEET_TYPO_FIXED);
    assert_eq!(merged.conflict_count(), 1);
    let Region::Conflict(conflict) = &merged.regions()[0] else { panic!("expected a conflict") };
    assert_eq!((conflict.base.as_str(), conflict.ours.as_str()), (WORKSHEET, ""));
    assert_eq!(conflict.theirs, WORKSHEET_TYPO_FIXED);
    merged.resolve(0, Resolution::Ours).unwrap();
    assert_eq!(merged.render().unwrap(), "");
    merged.resolve(0, Resolution::Theirs).unwrap();
    assert_eq!(merged.render().unwrap(), WORKSHEET_TYPO_FIXED);
}

#[test]
fn deleting_everything_on_both_sides_merges() {
    check(WORKSHEET, "", "", "");
}

#[test]
fn a_single_five_megabyte_line_merges() {
    let line = "fraction ".repeat(5 * 1024 * 1024 / 9);
    let base = format!("Title\n{line}\nEnd\n");
    let ours = format!("Title (revised)\n{line}\nEnd\n");
    let theirs = format!("Title\n{line}\nEnd of worksheet\n");
    assert_eq!(clean(&merge(&base, &ours, &theirs)), format!("Title (revised)\n{line}\nEnd of worksheet\n"));

    let ours_line = format!("{line}!");
    let theirs_line = format!("{line}?");
    let merged = merge(&line, &ours_line, &theirs_line);
    let Region::Conflict(conflict) = &merged.regions()[0] else { panic!("expected a conflict") };
    assert_eq!(conflict.ours.len(), line.len() + 2);
}

#[test]
fn a_lone_carriage_return_is_an_ordinary_character() {
    check("a\rb\nc\n", "a\rB\nc\n", "a\rb\nC\n", "a\rB\nC\n");
    check(
        "a\rb\nc\n",
        "a\rB\nc\n",
        "a\rb!\nc\n",
        "<<<<<<< ours\na\rB\n||||||| base\na\rb\n=======\na\rb!\n>>>>>>> theirs\nc\n",
    );
}

#[test]
fn deleting_every_line_does_not_change_the_final_line_break() {
    // Found by the law on edits to different lines: an empty file counted as ending with a line
    // break, so deleting the only line "added" one to the other side's new last line.
    check("line 0", "", "line 0\nline 1", "line 1");
    check("a\r\nb\r\n", "", "a\r\nb\r\nc\r\n", "c\r\n");
}
