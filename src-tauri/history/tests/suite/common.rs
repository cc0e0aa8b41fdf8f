//! Fixtures (teaching material as teachers write it) and the notation the merge tables use.

use commonplace_history::{Merge, Region, Resolution, merge};

/// A fractions worksheet as a teacher first shared it, with a typo in question 3.
pub const WORKSHEET: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Shade 3/4 of the rectangle below.
3. Which is biger, 2/3 or 3/5? Explain how you know.

Extension: write three fractions equal to 1/2.
";

/// The worksheet with the typo in question 3 fixed.
pub const WORKSHEET_TYPO_FIXED: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Shade 3/4 of the rectangle below.
3. Which is bigger, 2/3 or 3/5? Explain how you know.

Extension: write three fractions equal to 1/2.
";

/// The worksheet with a fourth question.
pub const WORKSHEET_QUESTION_ADDED: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Shade 3/4 of the rectangle below.
3. Which is biger, 2/3 or 3/5? Explain how you know.
4. Order from smallest to largest: 5/8, 1/2, 3/4.

Extension: write three fractions equal to 1/2.
";

/// Both teachers' changes.
pub const WORKSHEET_BOTH: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Shade 3/4 of the rectangle below.
3. Which is bigger, 2/3 or 3/5? Explain how you know.
4. Order from smallest to largest: 5/8, 1/2, 3/4.

Extension: write three fractions equal to 1/2.
";

/// The worksheet with question 2 reworded one way…
pub const WORKSHEET_QUESTION_2_CIRCLES: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Shade 3/4 of the circle below.
3. Which is biger, 2/3 or 3/5? Explain how you know.

Extension: write three fractions equal to 1/2.
";

/// …and another.
pub const WORKSHEET_QUESTION_2_BAR: &str = "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
2. Colour in 3/4 of the bar model below.
3. Which is biger, 2/3 or 3/5? Explain how you know.

Extension: write three fractions equal to 1/2.
";

/// The clean text of a merge; panics with the conflicts shown when there are some.
pub fn clean(merge: &Merge) -> &str {
    match merge {
        Merge::Clean { text } => text,
        Merge::Conflicted { .. } => panic!("expected a clean merge, got:\n{}", describe(merge)),
    }
}

/// A merge as a reviewer reads it: the clean text, or the regions with each conflict in git's
/// `diff3` marker style (with the resolution after the markers when there is one).
pub fn describe(merge: &Merge) -> String {
    match merge {
        Merge::Clean { text } => text.clone(),
        Merge::Conflicted { regions, .. } => {
            let mut described = String::new();
            for region in regions {
                match region {
                    Region::Resolved { text } => described.push_str(text),
                    Region::Conflict(conflict) => {
                        described.push_str("<<<<<<< ours\n");
                        described.push_str(&conflict.ours);
                        described.push_str("||||||| base\n");
                        described.push_str(&conflict.base);
                        described.push_str("=======\n");
                        described.push_str(&conflict.theirs);
                        described.push_str(">>>>>>> theirs\n");
                        if let Some(resolution) = &conflict.resolution {
                            described.push_str(&format!("(resolved: {resolution:?})\n"));
                        }
                    }
                }
            }
            described
        }
    }
}

/// Merges and compares with the expected text in [`describe`]'s notation, and checks that merging
/// the other way round gives the same with ours and theirs swapped.
#[track_caller]
pub fn check(base: &str, ours: &str, theirs: &str, expected: &str) {
    let merged = merge(base, ours, theirs);
    assert_eq!(describe(&merged), expected, "merging\n{base}\n---\n{ours}\n---\n{theirs}");
    assert_eq!(swapped(&merge(base, theirs, ours)), merged, "merging the other way round");
}

/// The merge as it would be with ours and theirs the other way round.
pub fn swapped(merge: &Merge) -> Merge {
    match merge {
        Merge::Clean { .. } => merge.clone(),
        Merge::Conflicted { format, regions } => Merge::Conflicted {
            format: *format,
            regions: regions
                .iter()
                .map(|region| match region {
                    Region::Resolved { .. } => region.clone(),
                    Region::Conflict(conflict) => {
                        let mut conflict = conflict.clone();
                        std::mem::swap(&mut conflict.ours, &mut conflict.theirs);
                        conflict.resolution = conflict.resolution.map(|resolution| match resolution {
                            Resolution::Ours => Resolution::Theirs,
                            Resolution::Theirs => Resolution::Ours,
                            other => other,
                        });
                        Region::Conflict(conflict)
                    }
                })
                .collect(),
        },
    }
}

/// Resolves every open conflict the same way.
pub fn resolve_all(merge: &mut Merge, resolution: &Resolution) {
    let conflicts: Vec<usize> = merge
        .regions()
        .iter()
        .enumerate()
        .filter(|(_, region)| matches!(region, Region::Conflict(_)))
        .map(|(index, _)| index)
        .collect();
    for index in conflicts {
        merge.resolve(index, resolution.clone()).unwrap();
    }
}
