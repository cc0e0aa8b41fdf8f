//! Content that is not text: picking a side, and deciding what is text.

use commonplace_history::{BinaryMerge, ContentMerge, Error, Side, is_text, merge_bytes, merge_content};

const BASE: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR base";
const OURS: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR ours";
const THEIRS: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR theirs";

#[test]
fn a_side_is_picked_when_only_one_changed() {
    assert_eq!(merge_bytes(BASE, OURS, BASE), BinaryMerge::Clean { side: Side::Ours });
    assert_eq!(merge_bytes(BASE, BASE, THEIRS), BinaryMerge::Clean { side: Side::Theirs });
    assert_eq!(merge_bytes(BASE, BASE, BASE), BinaryMerge::Clean { side: Side::Base });
    assert_eq!(merge_bytes(BASE, OURS, OURS), BinaryMerge::Clean { side: Side::Ours });
}

#[test]
fn two_different_changes_are_a_conflict_until_a_side_is_chosen() {
    let mut merged = merge_bytes(BASE, OURS, THEIRS);
    assert_eq!(merged, BinaryMerge::Conflict { resolution: None });
    assert_eq!(merged.side(), None);
    assert_eq!(merged.pick(BASE, OURS, THEIRS), Err(Error::UnresolvedConflicts { unresolved: 1 }));
    merged.resolve(Side::Theirs).unwrap();
    assert_eq!(merged.pick(BASE, OURS, THEIRS), Ok(THEIRS));
    merged.resolve(Side::Base).unwrap();
    assert_eq!(merged.pick(BASE, OURS, THEIRS), Ok(BASE));
}

#[test]
fn a_clean_binary_merge_has_nothing_to_resolve() {
    let mut merged = merge_bytes(BASE, OURS, BASE);
    assert_eq!(merged.resolve(Side::Theirs), Err(Error::NothingToResolve));
    assert_eq!(merged.pick(BASE, OURS, THEIRS), Ok(OURS));
}

#[test]
fn text_is_utf8_without_nul_bytes() {
    assert!(is_text(b""));
    assert!(is_text("Fractions: ½ + ¼\r\n".as_bytes()));
    assert!(is_text("\u{feff}BOM first".as_bytes()));
    assert!(!is_text(BASE));
    assert!(!is_text(b"caf\xe9")); // Latin-1
    assert!(!is_text(b"\xff\xfeh\0i\0")); // UTF-16 with its byte order mark
}

#[test]
fn content_merges_as_text_only_when_all_three_versions_are_text() {
    let ContentMerge::Text { merge } = merge_content(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n") else {
        panic!("expected a text merge");
    };
    assert_eq!(merge.render().unwrap(), "A\nb\nC\n");
    assert_eq!(
        merge_content(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\n\xffC\n"),
        ContentMerge::Binary { merge: BinaryMerge::Conflict { resolution: None } }
    );
    // A text file replaced by an image on one side: the image wins, as the only change.
    assert_eq!(
        merge_content(b"a\n", OURS, b"a\n"),
        ContentMerge::Binary { merge: BinaryMerge::Clean { side: Side::Ours } }
    );
}
