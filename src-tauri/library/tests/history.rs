//! A resource's history: revisions newest first, diffs between any two, restoring an old one.

mod common;

use common::Fixture;
use commonplace_history::{ContentMerge, LineEnding, Region, Resolution, Side};
use commonplace_library::{Field, ImportOutcome, MergeOutcome, NoTextDiff, SaveOutcome};

#[test]
fn history_lists_revisions_and_diffs_show_text_and_metadata_changes() {
    let fixture = Fixture::new();
    let path = fixture.write("quiz.md", "# Quiz\n\n1. What is 2 + 2?\n2. Name a mammal.\n");
    let id = match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    };
    let edited =
        fixture.write("quiz-v2.md", "# Quiz\n\n1. What is 2 + 3?\n2. Name a mammal.\n3. Name a bird.\n");
    fixture.library.revise(&id, &edited, "Harder sums", "Ana").unwrap();
    fixture.library.edit(&id, &[(Field::Title, "Maths quiz".to_owned())], "Ana").unwrap();

    let history = fixture.library.history(&id).unwrap();
    let messages: Vec<&str> = history.iter().map(|revision| revision.message.as_str()).collect();
    assert_eq!(messages, ["Edited title", "Harder sums", "Imported quiz.md"]);
    assert_eq!(history[0].parents, [history[1].id.clone()]);
    assert!(history[2].parents.is_empty());

    let first = &history[2].id[..12];
    let last = &history[0].id[..12];
    let diff = fixture.library.diff_revisions(&id, first, last).unwrap();
    assert!(!diff.same_content);
    let text = diff.text.expect("both versions are text");
    assert_eq!(text.hunks.len(), 2, "a changed line and an added one: {text:?}");
    let changed: Vec<&str> = text.hunks[0].new_lines[0]
        .segments
        .iter()
        .filter(|part| part.changed)
        .map(|part| part.text.as_str())
        .collect();
    assert_eq!(changed, ["3"], "the word-level highlight is the changed number");
    assert_eq!(text.hunks[1].new_lines[0].text(), "3. Name a bird.");
    assert_eq!(diff.metadata.len(), 1);
    assert_eq!((diff.metadata[0].before.as_str(), diff.metadata[0].after.as_str()), ("Quiz", "Maths quiz"));

    let restored = fixture.library.restore_revision(&id, first, "Ana").unwrap();
    assert_eq!(restored.revision_count, 4, "restoring adds a revision; nothing is lost");
    assert_eq!(restored.metadata.title, "Quiz");
    assert_eq!(
        std::fs::read_to_string(fixture.library.store().path(restored.object)).unwrap(),
        "# Quiz\n\n1. What is 2 + 2?\n2. Name a mammal.\n"
    );

    let error = fixture.library.diff_revisions(&id, "0000000000", last).unwrap_err();
    assert!(error.to_string().contains("has no revision 0000000000"), "{error}");
}

fn import(fixture: &Fixture, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = fixture.write(name, content);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

fn revise(fixture: &Fixture, id: &str, name: &str, content: impl AsRef<[u8]>) {
    let path = fixture.write(name, content);
    fixture.library.revise(id, &path, "revised", "Ana").unwrap();
}

/// The diff between the two newest revisions of `id`.
fn last_change(fixture: &Fixture, id: &str) -> commonplace_library::RevisionDiff {
    let history = fixture.library.history(id).unwrap();
    fixture.library.diff_revisions(id, &history[1].id, &history[0].id).unwrap()
}

#[test]
fn a_change_of_line_endings_bom_or_final_newline_is_shown_not_hidden() {
    let fixture = Fixture::new();
    let id = import(&fixture, "notes.txt", "one\ntwo\n");
    assert_eq!(fixture.library.resource(&id).unwrap().image_size, None, "not an image");
    revise(&fixture, &id, "notes-windows.txt", "\u{feff}one\r\ntwo");
    let diff = last_change(&fixture, &id);
    let text = diff.text.expect("both are text");
    assert!(text.hunks.is_empty(), "no line changed: {text:?}");
    assert_eq!(text.old_format.line_ending, LineEnding::Lf);
    assert_eq!(text.new_format.line_ending, LineEnding::Crlf);
    assert!(!text.old_format.byte_order_mark && text.new_format.byte_order_mark);
    assert!(text.old_format.final_newline && !text.new_format.final_newline);

    // Mixed endings evened out: same lines, same majority ending, different bytes.
    let mixed = import(&fixture, "mixed.txt", "a\r\nb\nc\r\n");
    revise(&fixture, &mixed, "mixed-evened.txt", "a\r\nb\r\nc\r\n");
    let text = last_change(&fixture, &mixed).text.expect("both are text");
    assert!(text.hunks.is_empty() && text.line_breaks_changed, "{text:?}");
}

#[test]
fn text_that_cannot_be_diffed_line_by_line_says_why() {
    let fixture = Fixture::new();
    // Latin-1, as old Windows editors save.
    let latin = import(&fixture, "cafe.txt", b"caf\xe9 au lait\n".as_slice());
    revise(&fixture, &latin, "cafe-2.txt", b"caf\xe9 cr\xe8me\n".as_slice());
    let diff = last_change(&fixture, &latin);
    assert_eq!((diff.text.is_none(), diff.no_text_diff), (true, Some(NoTextDiff::NotUtf8)));
    let error = fixture.library.editable_text(&latin).unwrap_err();
    assert!(error.to_string().contains("not UTF-8"), "{error}");

    // A .txt that is really binary data.
    let binary = import(&fixture, "data.txt", b"looks\0like\0text".as_slice());
    revise(&fixture, &binary, "data-2.txt", b"looks\0like\0more".as_slice());
    assert_eq!(last_change(&fixture, &binary).no_text_diff, Some(NoTextDiff::LooksBinary));

    // Identical content needs no reason.
    let history = fixture.library.history(&latin).unwrap();
    let same = fixture.library.diff_revisions(&latin, &history[0].id, &history[0].id).unwrap();
    assert_eq!((same.same_content, same.no_text_diff), (true, None));
}

#[test]
fn non_utf8_text_is_merged_by_choosing_a_side() {
    let fixture = Fixture::new();
    let id = import(&fixture, "cafe.txt", b"caf\xe9\n".as_slice());
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    revise(&fixture, &id, "ours.txt", b"caf\xe9 noir\n".as_slice());
    revise(&fixture, &copy.id, "theirs.txt", b"caf\xe9 cr\xe8me\n".as_slice());
    let MergeOutcome::Conflicts { merge } = fixture.library.merge(&copy.id, &id, "Bea").unwrap() else {
        panic!("two changes to text that is not UTF-8 cannot be combined line by line")
    };
    assert!(matches!(merge.content, ContentMerge::Binary { .. }), "{merge:?}");
    fixture.library.choose_side(&copy.id, Side::Theirs).unwrap();
    let merged = fixture.library.finish_merge(&copy.id, "Bea").unwrap();
    let bytes = std::fs::read(fixture.library.store().path(merged.object)).unwrap();
    assert_eq!(bytes, b"caf\xe9 noir\n", "the bytes are kept exactly");
}

#[test]
fn a_five_megabyte_line_is_diffed_edited_and_merged() {
    let fixture = Fixture::new();
    let line: String = (0..1_400_000).map(|number| format!("w{} ", number % 97)).collect();
    assert!(line.len() > 5_000_000);
    let id = import(&fixture, "long.txt", format!("{line}\n"));
    let edited = line.replacen("w5 ", "CHANGED ", 1);
    revise(&fixture, &id, "long-2.txt", format!("{edited}\n"));
    let text = last_change(&fixture, &id).text.expect("both are text");
    assert_eq!(text.hunks.len(), 1);
    let highlighted: Vec<&str> = text.hunks[0].new_lines[0]
        .segments
        .iter()
        .filter(|segment| segment.changed)
        .map(|segment| segment.text.as_str())
        .collect();
    assert!(!highlighted.is_empty(), "the change is marked");
    assert!(highlighted.iter().all(|part| part.len() < 100), "only the change is marked, not the line");

    let editable = fixture.library.editable_text(&id).unwrap();
    assert_eq!(editable.text.len(), edited.len() + 1);
    let saved = fixture.library.save_text(&id, &editable.head, &format!("{edited}more\n"), "", "Ana");
    assert!(matches!(saved, Ok(SaveOutcome::Saved { .. })), "{saved:?}");

    // Both sides change the one line: a conflict, not a broken file.
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    revise(&fixture, &id, "ours.txt", format!("ours {edited}\n"));
    revise(&fixture, &copy.id, "theirs.txt", format!("{edited} theirs\n"));
    let outcome = fixture.library.merge(&copy.id, &id, "Bea").unwrap();
    assert!(matches!(outcome, MergeOutcome::Conflicts { merge } if merge.unresolved == 1));
}

#[test]
fn a_merge_where_one_side_emptied_the_content_keeps_both_choices_open() {
    let fixture = Fixture::new();
    let id = import(&fixture, "plan.md", "# Plan\n\nWeek 1: fractions\n");
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    revise(&fixture, &id, "empty.md", "");
    revise(&fixture, &copy.id, "plan-bea.md", "# Plan\n\nWeek 1: fractions and decimals\n");

    let MergeOutcome::Conflicts { merge } = fixture.library.merge(&copy.id, &id, "Bea").unwrap() else {
        panic!("emptying and editing the same lines conflict")
    };
    let ContentMerge::Text { merge: text } = &merge.content else { panic!("{merge:?}") };
    let region = text.regions().iter().position(|region| matches!(region, Region::Conflict(_))).unwrap();
    fixture.library.resolve_conflict(&copy.id, region, Resolution::Theirs).unwrap();
    let finished = fixture.library.finish_merge(&copy.id, "Bea").unwrap();
    assert_eq!(finished.size, 0, "their choice, the empty content, is a valid result");
    let history = fixture.library.history(&copy.id).unwrap();
    assert_eq!(history[0].parents.len(), 2);
    // And the copy's own text is still in its history, to restore: the merge's first parent.
    // (Not "the second in the history": both parents may carry the same millisecond.)
    let restored = fixture.library.restore_revision(&copy.id, &history[0].parents[0], "Bea").unwrap();
    assert!(restored.size > 0);
}

#[test]
fn each_revision_of_an_image_has_its_own_thumbnail() {
    let fixture = Fixture::new();
    let png = |red: u8| {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([red, 0, 0]))
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    };
    let id = import(&fixture, "red.png", png(255));
    let size = fixture.library.resource(&id).unwrap().image_size;
    assert_eq!(size.map(|size| (size.width, size.height)), Some((8, 8)), "read from the header");
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    revise(&fixture, &id, "dark.png", png(90));
    revise(&fixture, &copy.id, "light.png", png(200));
    let history = fixture.library.history(&id).unwrap();
    let (new, old) = (
        fixture.library.revision_thumbnail(&id, &history[0].id).unwrap(),
        fixture.library.revision_thumbnail(&id, &history[1].id[..12]).unwrap(),
    );
    assert!(new.is_some() && old.is_some() && new != old, "two pictures, two thumbnails");
    assert_eq!(last_change(&fixture, &id).no_text_diff, Some(NoTextDiff::NotText));

    let error = fixture.library.merge_thumbnail(&copy.id, Side::Ours).unwrap_err();
    assert!(matches!(error, commonplace_library::Error::NoMergeInProgress { .. }), "{error}");
    let MergeOutcome::Conflicts { .. } = fixture.library.merge(&copy.id, &id, "Bea").unwrap() else {
        panic!("two changed pictures conflict")
    };
    let sides: Vec<_> = [Side::Base, Side::Ours, Side::Theirs]
        .into_iter()
        .map(|side| fixture.library.merge_thumbnail(&copy.id, side).unwrap().expect("an image"))
        .collect();
    assert!(sides[0] != sides[1] && sides[1] != sides[2] && sides[0] != sides[2]);
    assert_eq!(sides[1], fixture.library.thumbnail(&copy.id).unwrap().unwrap(), "ours is the copy's");
}
