//! The serialised forms. A conflicted merge is stored in the catalog as an unfinished merge, so its
//! format is snapshotted: a change shows up as a reviewed diff. Everything is camelCase JSON with a
//! `kind` tag on each enum.

use commonplace_history::{
    BinaryMerge, ContentMerge, FieldResolution, Merge, Metadata, MetadataMerge, Resolution, Side, diff,
    merge, merge_bytes, merge_content, merge_metadata,
};
use serde_json::json;

use crate::common::*;

fn reads_back<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let written = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&written).unwrap(), value);
}

fn conflicted_worksheet() -> Merge {
    merge(WORKSHEET, WORKSHEET_QUESTION_2_CIRCLES, WORKSHEET_QUESTION_2_BAR)
}

#[test]
fn a_conflicted_merge() {
    let merged = conflicted_worksheet();
    insta::assert_json_snapshot!(merged);
    reads_back(&merged);
}

#[test]
fn a_merge_with_every_kind_of_resolution() {
    let mut merged = merge(
        "\u{feff}one\r\ntwo\r\nthree\r\nfour\r\nfive\r\nsix\r\nseven",
        "\u{feff}ONE\r\ntwo\r\nTHREE\r\nfour\r\nFIVE\r\nsix\r\nSEVEN",
        "\u{feff}1\r\ntwo\r\n3\r\nfour\r\n5\r\nsix\r\n7",
    );
    merged.resolve(0, Resolution::Ours).unwrap();
    merged.resolve(2, Resolution::Theirs).unwrap();
    merged.resolve(4, Resolution::Both).unwrap();
    merged.resolve(6, Resolution::Custom { text: "seven (7)".to_owned() }).unwrap();
    insta::assert_json_snapshot!(merged);
    reads_back(&merged);
    assert_eq!(merged.render().unwrap(), "\u{feff}ONE\r\ntwo\r\n3\r\nfour\r\nFIVE\r\n5\r\nsix\r\nseven (7)");
}

#[test]
fn a_clean_merge() {
    let merged = merge("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n");
    insta::assert_json_snapshot!(merged, @r#"
    {
      "kind": "clean",
      "text": "A\nb\nC\n"
    }
    "#);
    reads_back(&merged);
}

#[test]
fn binary_and_content_merges() {
    let merges = [
        merge_bytes(b"\0base", b"\0ours", b"\0base"),
        merge_bytes(b"\0base", b"\0ours", b"\0theirs"),
        BinaryMerge::Conflict { resolution: Some(Side::Base) },
    ];
    insta::assert_json_snapshot!(merges);
    for merged in &merges {
        reads_back(merged);
    }
    let contents: [ContentMerge; 2] =
        [merge_content(b"a\n", b"b\n", b"a\n"), merge_content(b"\0a", b"\0b", b"\0c")];
    insta::assert_json_snapshot!("content_merges", contents);
    for merged in &contents {
        reads_back(merged);
    }
}

#[test]
fn a_metadata_merge() {
    let metadata = |value: serde_json::Value| -> Metadata { serde_json::from_value(value).unwrap() };
    let base = metadata(json!({"title": "Fractions", "language": "en", "description": "Adding fractions."}));
    let ours = metadata(json!({"title": "Fractions 3", "language": null, "subjects": ["mathematics"]}));
    let theirs = metadata(json!({"title": "Fractions: worksheet 3", "description": "Comparing fractions."}));
    let mut merged = merge_metadata(&base, &ours, &theirs);
    merged.resolve("title", FieldResolution::Custom { value: json!("Fractions, worksheet 3") }).unwrap();
    insta::assert_json_snapshot!(merged);
    reads_back(&merged);
    assert_eq!(
        serde_json::from_value::<MetadataMerge>(
            json!({"merged": {}, "conflicts": [{"field": "x", "ours": null, "resolution": null}]})
        )
        .unwrap()
        .conflicts[0]
            .ours,
        Some(json!(null))
    );
}

#[test]
fn a_text_diff() {
    let result = diff(WORKSHEET, &WORKSHEET_QUESTION_2_BAR.replace("biger", "bigger"));
    insta::assert_json_snapshot!(result);
    reads_back(&result);
}
