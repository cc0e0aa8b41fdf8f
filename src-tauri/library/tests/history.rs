//! A resource's history: revisions newest first, diffs between any two, restoring an old one.

mod common;

use common::Fixture;
use commonplace_library::{Field, ImportOutcome};

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
