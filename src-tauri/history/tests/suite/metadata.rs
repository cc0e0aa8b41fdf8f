//! Field-by-field merges of resource metadata.

use commonplace_history::{Error, FieldConflict, FieldResolution, Metadata, merge_metadata};
use serde_json::json;

fn metadata(value: serde_json::Value) -> Metadata {
    serde_json::from_value(value).unwrap()
}

fn base() -> Metadata {
    metadata(json!({
        "title": "Fractions: worksheet 3",
        "subjects": ["mathematics"],
        "gradeLevels": ["year 4"],
        "language": "en",
        "description": "Adding and comparing fractions."
    }))
}

#[test]
fn changes_to_different_fields_merge() {
    let mut ours = base();
    ours.insert("title".to_owned(), json!("Fractions: worksheet 3 (revised)"));
    let mut theirs = base();
    theirs.insert("gradeLevels".to_owned(), json!(["year 4", "year 5"]));
    theirs.remove("description");
    let merged = merge_metadata(&base(), &ours, &theirs);
    assert!(merged.conflicts.is_empty() && merged.is_finished());
    let mut expected = base();
    expected.insert("title".to_owned(), json!("Fractions: worksheet 3 (revised)"));
    expected.insert("gradeLevels".to_owned(), json!(["year 4", "year 5"]));
    expected.remove("description");
    assert_eq!(merged.finish().unwrap(), expected);
}

#[test]
fn the_same_field_changed_differently_is_a_conflict() {
    let mut ours = base();
    ours.insert("title".to_owned(), json!("Fractions 3"));
    ours.insert("subjects".to_owned(), json!(["mathematics", "numeracy"]));
    let mut theirs = base();
    theirs.insert("title".to_owned(), json!("Worksheet 3: fractions"));
    theirs.insert("subjects".to_owned(), json!(["mathematics", "numeracy"]));
    let mut merged = merge_metadata(&base(), &ours, &theirs);
    assert_eq!(
        merged.conflicts,
        [FieldConflict {
            field: "title".to_owned(),
            base: Some(json!("Fractions: worksheet 3")),
            ours: Some(json!("Fractions 3")),
            theirs: Some(json!("Worksheet 3: fractions")),
            resolution: None,
        }]
    );
    assert!(!merged.merged.contains_key("title"));
    assert_eq!(merged.merged["subjects"], json!(["mathematics", "numeracy"]));
    assert_eq!(merged.finish(), Err(Error::UnresolvedFields { fields: vec!["title".to_owned()] }));

    merged.resolve("title", FieldResolution::Theirs).unwrap();
    assert_eq!(merged.finish().unwrap()["title"], json!("Worksheet 3: fractions"));
    merged.resolve("title", FieldResolution::Custom { value: json!("Fractions, worksheet 3") }).unwrap();
    assert_eq!(merged.finish().unwrap()["title"], json!("Fractions, worksheet 3"));
    assert_eq!(
        merged.resolve("language", FieldResolution::Ours),
        Err(Error::NoFieldConflict { field: "language".to_owned() })
    );
}

#[test]
fn a_deletion_against_an_edit_is_a_conflict_and_either_can_win() {
    let mut ours = base();
    ours.remove("description");
    let mut theirs = base();
    theirs.insert("description".to_owned(), json!("Adding, comparing and ordering fractions."));
    let mut merged = merge_metadata(&base(), &ours, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].ours, None);
    merged.resolve("description", FieldResolution::Ours).unwrap();
    assert!(!merged.finish().unwrap().contains_key("description"));
    merged.resolve("description", FieldResolution::Theirs).unwrap();
    assert_eq!(merged.finish().unwrap()["description"], json!("Adding, comparing and ordering fractions."));
}

#[test]
fn a_field_added_on_both_sides_alike_merges_and_differently_conflicts() {
    let mut ours = base();
    ours.insert("licence".to_owned(), json!("CC-BY-4.0"));
    let mut theirs = base();
    theirs.insert("licence".to_owned(), json!("CC-BY-4.0"));
    assert_eq!(merge_metadata(&base(), &ours, &theirs).finish().unwrap(), ours);
    theirs.insert("licence".to_owned(), json!("CC-BY-SA-4.0"));
    let merged = merge_metadata(&base(), &ours, &theirs);
    assert_eq!(merged.conflicts[0].base, None);
}

#[test]
fn null_is_a_value_not_a_missing_field() {
    let mut ours = base();
    ours.insert("language".to_owned(), json!(null));
    let mut theirs = base();
    theirs.remove("language");
    let merged = merge_metadata(&base(), &ours, &theirs);
    assert_eq!(merged.conflicts[0].ours, Some(json!(null)));
    assert_eq!(merged.conflicts[0].theirs, None);
}
