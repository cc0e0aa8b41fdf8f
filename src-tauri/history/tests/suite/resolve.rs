//! Resolving conflicts and rendering the finished text.

use commonplace_history::{Error, Merge, Resolution, merge};

use crate::common::*;

fn worksheet_conflict() -> Merge {
    merge(WORKSHEET, WORKSHEET_QUESTION_2_CIRCLES, WORKSHEET_QUESTION_2_BAR)
}

#[test]
fn each_resolution_renders_as_it_says() {
    let cases = [
        (Resolution::Ours, WORKSHEET_QUESTION_2_CIRCLES.to_owned()),
        (Resolution::Theirs, WORKSHEET_QUESTION_2_BAR.to_owned()),
        (
            Resolution::Both,
            WORKSHEET_QUESTION_2_CIRCLES.replace(
                "2. Shade 3/4 of the circle below.\n",
                "2. Shade 3/4 of the circle below.\n2. Colour in 3/4 of the bar model below.\n",
            ),
        ),
        (
            Resolution::Custom { text: "2. Shade 3/4 of the shape below".to_owned() },
            WORKSHEET.replace("rectangle below.", "shape below"),
        ),
    ];
    for (resolution, expected) in cases {
        let mut merged = worksheet_conflict();
        merged.resolve(1, resolution.clone()).unwrap();
        assert!(merged.is_finished());
        assert_eq!(merged.render().unwrap(), expected, "{resolution:?}");
    }
}

#[test]
fn custom_text_is_stored_normalised() {
    let mut merged = worksheet_conflict();
    merged.resolve(1, Resolution::Custom { text: "2. Shade 3/4\r\nof the shape".to_owned() }).unwrap();
    assert!(describe(&merged).contains("(resolved: Custom { text: \"2. Shade 3/4\\nof the shape\\n\" })"));
}

#[test]
fn an_empty_custom_text_removes_the_lines() {
    let mut merged = worksheet_conflict();
    merged.resolve(1, Resolution::Custom { text: String::new() }).unwrap();
    assert_eq!(merged.render().unwrap(), WORKSHEET.replace("2. Shade 3/4 of the rectangle below.\n", ""));
}

#[test]
fn a_later_resolution_replaces_an_earlier_one() {
    let mut merged = worksheet_conflict();
    merged.resolve(1, Resolution::Ours).unwrap();
    merged.resolve(1, Resolution::Theirs).unwrap();
    assert_eq!(merged.render().unwrap(), WORKSHEET_QUESTION_2_BAR);
}

#[test]
fn rendering_with_open_conflicts_fails_and_counts_them() {
    let merged = merge("a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\n", "1\nb\nc\nd\n5\n");
    assert_eq!((merged.conflict_count(), merged.unresolved_count()), (2, 2));
    assert!(!merged.is_finished());
    assert_eq!(merged.render(), Err(Error::UnresolvedConflicts { unresolved: 2 }));
    let mut merged = merged;
    merged.resolve(0, Resolution::Ours).unwrap();
    assert_eq!(merged.render(), Err(Error::UnresolvedConflicts { unresolved: 1 }));
    merged.resolve(2, Resolution::Theirs).unwrap();
    assert_eq!(merged.render().unwrap(), "A\nb\nc\nd\n5\n");
    assert_eq!(merged.conflict_count(), 2);
}

#[test]
fn resolving_what_is_not_a_conflict_fails() {
    let mut merged = worksheet_conflict();
    assert_eq!(merged.regions().len(), 3);
    assert_eq!(merged.resolve(0, Resolution::Ours), Err(Error::NotAConflict { region: 0 }));
    assert_eq!(merged.resolve(3, Resolution::Ours), Err(Error::NoSuchRegion { region: 3, regions: 3 }));
    let mut clean_merge = merge("a\n", "b\n", "a\n");
    assert_eq!(clean_merge.resolve(0, Resolution::Ours), Err(Error::NothingToResolve));
    assert_eq!(clean_merge.render().unwrap(), "b\n");
    assert!(clean_merge.is_finished());
}

#[test]
fn errors_read_as_plain_english() {
    let messages: Vec<String> = [
        Error::NoSuchRegion { region: 3, regions: 3 },
        Error::NotAConflict { region: 0 },
        Error::NothingToResolve,
        Error::UnresolvedConflicts { unresolved: 2 },
        Error::NoFieldConflict { field: "title".to_owned() },
        Error::UnresolvedFields { fields: vec!["title".to_owned(), "subjects".to_owned()] },
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    insta::assert_json_snapshot!(messages);
}
