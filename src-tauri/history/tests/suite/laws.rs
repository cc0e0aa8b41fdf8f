//! Properties that hold for all inputs, checked with proptest.

use commonplace_history::{
    BinaryMerge, FieldConflict, Merge, Metadata, Region, Resolution, diff, merge, merge_bytes, merge_metadata,
};
use proptest::prelude::*;
use serde_json::json;

use crate::common::swapped;

/// A document as the generators build it: lines and how they are written.
#[derive(Debug, Clone)]
struct Document {
    lines: Vec<String>,
    /// Whether each line break is CRLF, used cyclically: one element for a uniform file.
    crlf: Vec<bool>,
    final_newline: bool,
    byte_order_mark: bool,
}

impl Document {
    fn write(&self) -> String {
        let mut text = String::new();
        if self.byte_order_mark {
            text.push('\u{feff}');
        }
        for (index, line) in self.lines.iter().enumerate() {
            text.push_str(line);
            if index + 1 < self.lines.len() || self.final_newline {
                let crlf = self.crlf.get(index % self.crlf.len().max(1)).copied().unwrap_or(false);
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
        }
        text
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Keep,
    Delete,
    Replace(String),
    InsertBefore(String),
}

/// Applies one edit per position (the last position is past the last line, where only insertions
/// do anything).
fn apply(lines: &[String], edits: &[Edit]) -> Vec<String> {
    let mut edited = Vec::new();
    for (position, edit) in edits.iter().enumerate() {
        let line = lines.get(position);
        match edit {
            Edit::Keep => edited.extend(line.cloned()),
            Edit::Delete => {}
            Edit::Replace(new) => edited.extend(line.map(|_| new.clone())),
            Edit::InsertBefore(new) => {
                edited.push(new.clone());
                edited.extend(line.cloned());
            }
        }
    }
    edited
}

/// Lines from a small vocabulary, so that versions share and repeat lines as real texts do, and
/// now and then something awkward: a lone `\r`, a byte order mark, other scripts.
fn any_line() -> BoxedStrategy<String> {
    prop_oneof![
        4 => proptest::sample::select(vec!["a", "b", "c", "", "d e", "    indented", "}"]).prop_map(str::to_owned),
        1 => "[ab\r\u{feff}é中 ]{0,4}",
    ]
    .boxed()
}

/// Lines that read back as written: no `\r` at the end, no byte order mark to be taken for the
/// file's.
fn plain_line() -> BoxedStrategy<String> {
    proptest::sample::select(vec!["a", "b", "c", "", "d e", "    indented", "}", "é中"])
        .prop_map(str::to_owned)
        .boxed()
}

fn any_crlf() -> impl Strategy<Value = Vec<bool>> {
    prop_oneof![Just(vec![false]), Just(vec![true]), proptest::collection::vec(any::<bool>(), 1..5)]
}

fn document(line: impl Strategy<Value = String>) -> impl Strategy<Value = Document> {
    document_of(line, 0..10)
}

fn document_of(
    line: impl Strategy<Value = String>,
    line_count: std::ops::Range<usize>,
) -> impl Strategy<Value = Document> {
    (proptest::collection::vec(line, line_count), any_crlf(), any::<bool>(), proptest::bool::weighted(0.2))
        .prop_map(|(lines, crlf, final_newline, byte_order_mark)| Document {
            lines,
            crlf,
            final_newline,
            byte_order_mark,
        })
}

fn edit(line: BoxedStrategy<String>) -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => Just(Edit::Keep),
        1 => Just(Edit::Delete),
        1 => line.clone().prop_map(Edit::Replace),
        1 => line.prop_map(Edit::InsertBefore),
    ]
}

/// A descendant of `base`: edited lines, and sometimes a different format.
fn descendant(base: Document) -> impl Strategy<Value = Document> {
    let positions = base.lines.len() + 1;
    (
        proptest::collection::vec(edit(any_line()), positions),
        prop_oneof![3 => Just(None), 1 => any_crlf().prop_map(Some)],
        proptest::bool::weighted(0.15),
        proptest::bool::weighted(0.15),
    )
        .prop_map(move |(edits, crlf, flip_final_newline, flip_byte_order_mark)| Document {
            lines: apply(&base.lines, &edits),
            crlf: crlf.unwrap_or_else(|| base.crlf.clone()),
            final_newline: base.final_newline ^ flip_final_newline,
            byte_order_mark: base.byte_order_mark ^ flip_byte_order_mark,
        })
}

/// A base and two descendants, written out.
fn family() -> impl Strategy<Value = (String, String, String)> {
    document(any_line()).prop_flat_map(|base| {
        let written = base.write();
        (Just(written), descendant(base.clone()), descendant(base))
            .prop_map(|(base, ours, theirs)| (base, ours.write(), theirs.write()))
    })
}

/// Either a family, or three unrelated texts.
fn three_texts() -> impl Strategy<Value = (String, String, String)> {
    let unrelated = (document(any_line()), document(any_line()), document(any_line()))
        .prop_map(|(base, ours, theirs)| (base.write(), ours.write(), theirs.write()));
    prop_oneof![3 => family(), 1 => unrelated]
}

/// Distinct numbered lines and, for each side, edits on positions the other side leaves alone, so
/// that no change of one side overlaps the other's (they may be neighbours).
fn edits_on_different_lines() -> impl Strategy<Value = (Document, Vec<Edit>, Vec<Edit>)> {
    (1_usize..30, any::<bool>(), any::<bool>()).prop_flat_map(|(length, crlf, final_newline)| {
        let base = Document {
            lines: (0..length).map(|number| format!("line {number}")).collect(),
            crlf: vec![crlf],
            final_newline,
            byte_order_mark: false,
        };
        let kinds = proptest::collection::vec(0_u8..4, length + 1);
        (Just(base), proptest::collection::vec(0_u8..3, length + 1), kinds.clone(), kinds).prop_map(
            |(base, owners, ours_kinds, theirs_kinds)| {
                let edits = |owner: u8, kinds: &[u8], name: &str| -> Vec<Edit> {
                    (0..owners.len())
                        .map(|position| match (owners[position] == owner, kinds[position]) {
                            (false, _) | (true, 0) => Edit::Keep,
                            (true, 1) => Edit::Delete,
                            (true, 2) => Edit::Replace(format!("{name} replaced {position}")),
                            (true, _) => Edit::InsertBefore(format!("{name} inserted {position}")),
                        })
                        .collect()
                };
                let ours = edits(1, &ours_kinds, "ours");
                let theirs = edits(2, &theirs_kinds, "theirs");
                (base, ours, theirs)
            },
        )
    })
}

fn clean(text: &str) -> Merge {
    Merge::Clean { text: text.to_owned() }
}

fn conflicts(merge: &Merge) -> Vec<&commonplace_history::Conflict> {
    merge
        .regions()
        .iter()
        .filter_map(|region| match region {
            Region::Conflict(conflict) => Some(conflict),
            Region::Resolved { .. } => None,
        })
        .collect()
}

/// Lines as the crate documents reading them.
fn read_lines(text: &str) -> Vec<String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<String> =
        body.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line).to_owned()).collect();
    // The piece after the last line break is a line only if it is not empty; the `\r` stripped from
    // it above was not a line break.
    let last = body.rsplit('\n').next().unwrap_or_default();
    lines.pop();
    if !last.is_empty() {
        lines.push(last.to_owned());
    }
    lines
}

fn any_metadata() -> impl Strategy<Value = Metadata> {
    let value =
        proptest::sample::select(vec![json!(null), json!(1), json!("x"), json!(["x"]), json!({"a": 1})]);
    proptest::collection::btree_map(
        proptest::sample::select(vec!["title", "subjects", "licence"]),
        value,
        0..4,
    )
    .prop_map(|map| map.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
}

fn swapped_fields(conflicts: &[FieldConflict]) -> Vec<FieldConflict> {
    conflicts
        .iter()
        .map(|conflict| FieldConflict {
            ours: conflict.theirs.clone(),
            theirs: conflict.ours.clone(),
            ..conflict.clone()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_side_that_did_not_change_gives_the_other((base, ours, _) in three_texts()) {
        prop_assert_eq!(merge(&base, &ours, &base), clean(&ours));
        prop_assert_eq!(merge(&base, &base, &ours), clean(&ours));
    }

    #[test]
    fn the_same_change_on_both_sides_is_that_change((base, ours, _) in three_texts()) {
        prop_assert_eq!(merge(&base, &ours, &ours), clean(&ours));
    }

    #[test]
    fn swapping_the_sides_swaps_the_conflicts((base, ours, theirs) in three_texts()) {
        prop_assert_eq!(merge(&base, &ours, &theirs), swapped(&merge(&base, &theirs, &ours)));
    }

    #[test]
    fn edits_on_different_lines_merge_cleanly_into_both((base, ours_edits, theirs_edits) in edits_on_different_lines()) {
        let with = |edits: &[Edit]| Document { lines: apply(&base.lines, edits), ..base.clone() }.write();
        let both: Vec<Edit> = ours_edits
            .iter()
            .zip(&theirs_edits)
            .map(|(ours, theirs)| if matches!(ours, Edit::Keep) { theirs.clone() } else { ours.clone() })
            .collect();
        let merged = merge(&base.write(), &with(&ours_edits), &with(&theirs_edits));
        prop_assert_eq!(merged, clean(&with(&both)));
    }

    #[test]
    fn converting_line_endings_merges_with_any_edit(
        // At least two lines, so that the base has a line break to convert.
        (base, ours) in document_of(plain_line(), 2..10).prop_flat_map(|mut base| {
            base.crlf = vec![false];
            let plain = (
                proptest::collection::vec(edit(plain_line()), base.lines.len() + 1),
                proptest::bool::weighted(0.2),
                proptest::bool::weighted(0.2),
            );
            (Just(base.clone()), plain.prop_map(move |(edits, flip_final_newline, flip_byte_order_mark)| Document {
                lines: apply(&base.lines, &edits),
                crlf: vec![false],
                final_newline: base.final_newline ^ flip_final_newline,
                byte_order_mark: base.byte_order_mark ^ flip_byte_order_mark,
            }))
        })
    ) {
        let converted = Document { crlf: vec![true], ..base.clone() };
        let expected = Document { crlf: vec![true], ..ours.clone() };
        prop_assert_eq!(merge(&base.write(), &ours.write(), &converted.write()), clean(&expected.write()));
    }

    #[test]
    fn conflicts_are_real_and_made_of_whole_lines((base, ours, theirs) in three_texts()) {
        let merged = merge(&base, &ours, &theirs);
        for conflict in conflicts(&merged) {
            prop_assert_ne!(&conflict.ours, &conflict.theirs);
            for text in [&conflict.base, &conflict.ours, &conflict.theirs] {
                prop_assert!(text.is_empty() || text.ends_with('\n'), "{:?}", text);
            }
        }
        for region in merged.regions() {
            if let Region::Resolved { text } = region {
                prop_assert!(!text.is_empty() && text.ends_with('\n'));
            }
        }
    }

    #[test]
    fn every_resolution_renders((base, ours, theirs) in three_texts()) {
        for resolution in [Resolution::Ours, Resolution::Theirs, Resolution::Both, Resolution::Custom { text: "x".to_owned() }] {
            let mut merged = merge(&base, &ours, &theirs);
            crate::common::resolve_all(&mut merged, &resolution);
            prop_assert!(merged.render().is_ok());
        }
    }

    #[test]
    fn a_merge_reads_back_as_it_was_written((base, ours, theirs) in three_texts()) {
        let merged = merge(&base, &ours, &theirs);
        let written = serde_json::to_string(&merged).unwrap();
        prop_assert_eq!(serde_json::from_str::<Merge>(&written).unwrap(), merged);
    }

    #[test]
    fn a_diff_spliced_into_the_old_lines_gives_the_new((old, new, _) in three_texts()) {
        let result = diff(&old, &new);
        let old_lines = read_lines(&old);
        prop_assert_eq!(result.old_line_count, old_lines.len());
        let mut spliced: Vec<String> = Vec::new();
        let mut position = 0;
        for hunk in &result.hunks {
            prop_assert!(hunk.old.start >= position && !(hunk.old.is_empty() && hunk.new.is_empty()));
            spliced.extend(old_lines[position..hunk.old.start].iter().cloned());
            prop_assert_eq!(spliced.len(), hunk.new.start);
            let removed: Vec<String> = hunk.old_lines.iter().map(|line| line.text()).collect();
            prop_assert_eq!(&removed[..], &old_lines[hunk.old.start..hunk.old.end]);
            spliced.extend(hunk.new_lines.iter().map(|line| line.text()));
            prop_assert_eq!(spliced.len(), hunk.new.end);
            position = hunk.old.end;
            for line in hunk.old_lines.iter().chain(&hunk.new_lines) {
                for pair in line.segments.windows(2) {
                    prop_assert_ne!(pair[0].changed, pair[1].changed);
                }
                prop_assert!(line.segments.iter().all(|segment| !segment.text.is_empty()));
            }
        }
        spliced.extend(old_lines[position..].iter().cloned());
        prop_assert_eq!(spliced, read_lines(&new));
    }

    #[test]
    fn a_text_has_no_diff_with_itself((text, _, _) in three_texts()) {
        prop_assert!(diff(&text, &text).hunks.is_empty());
    }

    #[test]
    fn binary_merges_obey_the_same_laws(
        base in proptest::collection::vec(0_u8..3, 0..4),
        ours in proptest::collection::vec(0_u8..3, 0..4),
        theirs in proptest::collection::vec(0_u8..3, 0..4),
    ) {
        let pick = |merge: BinaryMerge, ours: &[u8], theirs: &[u8]| merge.pick(&base, ours, theirs).map(<[u8]>::to_vec);
        prop_assert_eq!(pick(merge_bytes(&base, &ours, &base), &ours, &base), Ok(ours.clone()));
        prop_assert_eq!(pick(merge_bytes(&base, &base, &ours), &base, &ours), Ok(ours.clone()));
        prop_assert_eq!(pick(merge_bytes(&base, &ours, &ours), &ours, &ours), Ok(ours.clone()));
        prop_assert_eq!(
            pick(merge_bytes(&base, &ours, &theirs), &ours, &theirs),
            pick(merge_bytes(&base, &theirs, &ours), &theirs, &ours)
        );
        let conflicted = matches!(merge_bytes(&base, &ours, &theirs), BinaryMerge::Conflict { .. });
        prop_assert_eq!(conflicted, ours != base && theirs != base && ours != theirs);
    }

    #[test]
    fn metadata_merges_obey_the_same_laws(base in any_metadata(), ours in any_metadata(), theirs in any_metadata()) {
        prop_assert_eq!(merge_metadata(&base, &ours, &base).finish(), Ok(ours.clone()));
        prop_assert_eq!(merge_metadata(&base, &base, &ours).finish(), Ok(ours.clone()));
        prop_assert_eq!(merge_metadata(&base, &ours, &ours).finish(), Ok(ours.clone()));
        let forward = merge_metadata(&base, &ours, &theirs);
        let backward = merge_metadata(&base, &theirs, &ours);
        prop_assert_eq!(&forward.merged, &backward.merged);
        prop_assert_eq!(forward.conflicts, swapped_fields(&backward.conflicts));
    }

    #[test]
    fn a_metadata_merge_reads_back_as_it_was_written(base in any_metadata(), ours in any_metadata(), theirs in any_metadata()) {
        let merged = merge_metadata(&base, &ours, &theirs);
        let written = serde_json::to_string(&merged).unwrap();
        prop_assert_eq!(serde_json::from_str::<commonplace_history::MetadataMerge>(&written).unwrap(), merged);
    }
}

#[test]
fn the_law_helpers_read_lines_as_documented() {
    assert_eq!(read_lines(""), Vec::<String>::new());
    assert_eq!(read_lines("a\r\nb"), ["a", "b"]);
    assert_eq!(read_lines("\u{feff}a\n\n"), ["a", ""]);
    assert_eq!(read_lines("a\r"), ["a\r"]);
}
