//! Combining works into one adaptation: the Creative Commons remix chart by hand, version pairs by
//! hand, then every pair and every triple checked against the laws that define a combination.

use std::collections::BTreeMap;

use commonplace_licence::{Combination, Conflict, Licence, NotShareableReason, adaptation, combine};

use crate::common::{as_map, describe, expand, id, representative_licences};

/// Checks one combination against the table notation of `common::expand`, or a conflict written as
/// `Kind first second`.
fn check(inputs: &[&str], expected: &str) {
    let inputs: Vec<Licence> = inputs.iter().map(|input| id(input)).collect();
    let actual = combine(&inputs);
    let described = match &actual {
        Combination::Possible { allowed } => describe(allowed),
        Combination::Impossible { conflict } => describe_conflict(conflict),
    };
    match &actual {
        Combination::Possible { allowed } if !is_conflict(expected) => {
            assert_eq!(as_map(allowed), expand(expected), "{inputs:?}: got {described}");
        }
        _ => assert_eq!(described, expected, "{inputs:?}"),
    }
}

fn is_conflict(expected: &str) -> bool {
    ["NotShareable", "ShareAlikeWithNonCommercial", "DifferentShareAlike", "NoCommonLicence"]
        .iter()
        .any(|kind| expected.starts_with(kind))
}

fn describe_conflict(conflict: &Conflict) -> String {
    match conflict {
        Conflict::NotShareable { licence, reason } => {
            format!("NotShareable {} {reason:?}", licence.spdx_id())
        }
        Conflict::ShareAlikeWithNonCommercial { share_alike, non_commercial } => {
            format!("ShareAlikeWithNonCommercial {} {}", share_alike.spdx_id(), non_commercial.spdx_id())
        }
        Conflict::DifferentShareAlike { first, second } => {
            format!("DifferentShareAlike {} {}", first.spdx_id(), second.spdx_id())
        }
        Conflict::NoCommonLicence { first, second } => {
            format!("NoCommonLicence {} {}", first.spdx_id(), second.spdx_id())
        }
    }
}

const EVERYTHING: &str = "CC0 + BY BY-SA BY-NC BY-NC-SA ~BY-ND ~BY-NC-ND @ 1.0 2.0 2.5 3.0 4.0";
const BY_4: &str = "BY BY-SA BY-NC BY-NC-SA ~BY-ND ~BY-NC-ND @ 4.0";
const BY_NC_4: &str = "BY-NC BY-NC-SA ~BY-NC-ND @ 4.0";

/// The Creative Commons remix chart at version 4.0: every pair of PD, CC0, BY, BY-SA, BY-NC,
/// BY-NC-SA, BY-ND and BY-NC-ND, both orders.
#[test]
fn the_remix_chart() {
    let chart: &[(&str, &str, &str)] = &[
        ("public-domain", "public-domain", EVERYTHING),
        ("public-domain", "CC0-1.0", EVERYTHING),
        ("public-domain", "CC-BY-4.0", BY_4),
        ("public-domain", "CC-BY-SA-4.0", "BY-SA @ 4.0"),
        ("public-domain", "CC-BY-NC-4.0", BY_NC_4),
        ("public-domain", "CC-BY-NC-SA-4.0", "BY-NC-SA @ 4.0"),
        ("public-domain", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("public-domain", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC0-1.0", "CC0-1.0", EVERYTHING),
        ("CC0-1.0", "CC-BY-4.0", BY_4),
        ("CC0-1.0", "CC-BY-SA-4.0", "BY-SA @ 4.0"),
        ("CC0-1.0", "CC-BY-NC-4.0", BY_NC_4),
        ("CC0-1.0", "CC-BY-NC-SA-4.0", "BY-NC-SA @ 4.0"),
        ("CC0-1.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC0-1.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC-BY-4.0", "CC-BY-4.0", BY_4),
        ("CC-BY-4.0", "CC-BY-SA-4.0", "BY-SA @ 4.0"),
        ("CC-BY-4.0", "CC-BY-NC-4.0", BY_NC_4),
        ("CC-BY-4.0", "CC-BY-NC-SA-4.0", "BY-NC-SA @ 4.0"),
        ("CC-BY-4.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC-BY-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0", "BY-SA @ 4.0"),
        ("CC-BY-SA-4.0", "CC-BY-NC-4.0", "ShareAlikeWithNonCommercial CC-BY-SA-4.0 CC-BY-NC-4.0"),
        ("CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "ShareAlikeWithNonCommercial CC-BY-SA-4.0 CC-BY-NC-SA-4.0"),
        ("CC-BY-SA-4.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC-BY-SA-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC-BY-NC-4.0", "CC-BY-NC-4.0", BY_NC_4),
        ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "BY-NC-SA @ 4.0"),
        ("CC-BY-NC-4.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC-BY-NC-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", "BY-NC-SA @ 4.0"),
        ("CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
        ("CC-BY-ND-4.0", "CC-BY-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        // Both refuse; the one named is the first in the licence order.
        ("CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-ND-4.0 NoDerivatives"),
        ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0", "NotShareable CC-BY-NC-ND-4.0 NoDerivatives"),
    ];
    assert_eq!(chart.len(), 36, "8 licences give 36 unordered pairs");
    for (first, second, expected) in chart {
        check(&[first, second], expected);
        check(&[second, first], expected);
    }
}

#[test]
fn versions_in_combinations() {
    let cases: &[(&[&str], &str)] = &[
        (&["CC-BY-SA-3.0", "CC-BY-SA-4.0"], "BY-SA @ 4.0"),
        (&["CC-BY-SA-2.0", "CC-BY-SA-2.5"], "BY-SA @ 2.5 3.0 4.0"),
        (&["CC-BY-SA-1.0", "CC-BY-SA-1.0"], "BY-SA @ 1.0"),
        (&["CC-BY-SA-1.0", "CC-BY-SA-2.0"], "DifferentShareAlike CC-BY-SA-1.0 CC-BY-SA-2.0"),
        (&["CC-BY-NC-SA-1.0", "CC-BY-NC-SA-4.0"], "DifferentShareAlike CC-BY-NC-SA-1.0 CC-BY-NC-SA-4.0"),
        (&["CC-BY-4.0", "CC-BY-SA-3.0"], "BY-SA @ 4.0"),
        (&["CC-BY-1.0", "CC-BY-SA-1.0"], "BY-SA @ 1.0"),
        (&["CC-BY-2.0", "CC-BY-SA-1.0"], "NoCommonLicence CC-BY-2.0 CC-BY-SA-1.0"),
        (&["CC-BY-NC-2.0", "CC-BY-NC-SA-3.0"], "BY-NC-SA @ 3.0 4.0"),
        (&["CC-BY-3.0", "CC-BY-NC-2.5"], "BY-NC BY-NC-SA ~BY-NC-ND @ 3.0 4.0"),
        (&["CC-BY-SA-2.0", "CC-BY-NC-4.0"], "ShareAlikeWithNonCommercial CC-BY-SA-2.0 CC-BY-NC-4.0"),
        (&["CC-BY-NC-1.0", "CC-BY-SA-3.0"], "ShareAlikeWithNonCommercial CC-BY-SA-3.0 CC-BY-NC-1.0"),
        (&["CC-BY-2.5", "CC-BY-NC-3.0", "CC-BY-NC-SA-2.0"], "BY-NC-SA @ 3.0 4.0"),
    ];
    for (inputs, expected) in cases {
        check(inputs, expected);
    }
}

#[test]
fn other_licences_combine_only_with_themselves_and_the_public_domain() {
    let cases: &[(&[&str], &str)] = &[
        (&["MIT", "MIT"], "MIT"),
        (&["MIT", "CC0-1.0"], "MIT"),
        (&["public-domain", "GFDL-1.3-or-later"], "GFDL-1.3-or-later"),
        (&["MIT", "CC-BY-4.0"], "NoCommonLicence CC-BY-4.0 MIT"),
        (&["GFDL-1.3-or-later", "CC-BY-SA-3.0"], "NoCommonLicence CC-BY-SA-3.0 GFDL-1.3-or-later"),
        (&["MIT", "GFDL-1.3-or-later"], "NoCommonLicence GFDL-1.3-or-later MIT"),
    ];
    for (inputs, expected) in cases {
        check(inputs, expected);
    }
}

#[test]
fn unknown_and_all_rights_reserved_inputs_stop_a_combination() {
    check(&["CC-BY-4.0", "unknown"], "NotShareable unknown Unknown");
    check(&["all-rights-reserved", "CC0-1.0"], "NotShareable all-rights-reserved AllRightsReserved");
    check(&["unknown", "all-rights-reserved"], "NotShareable all-rights-reserved AllRightsReserved");
    check(&["unknown", "CC-BY-NC-ND-3.0"], "NotShareable CC-BY-NC-ND-3.0 NoDerivatives");
}

#[test]
fn nothing_combined_allows_what_cc0_allows() {
    assert_eq!(combine(&[]), combine(&[Licence::Cc0]));
}

#[test]
fn the_conflict_named_is_the_same_whatever_the_order() {
    let inputs = [id("CC-BY-NC-4.0"), id("CC-BY-SA-1.0"), id("CC-BY-SA-4.0"), id("CC-BY-4.0")];
    let expected = combine(&inputs);
    let mut reversed = inputs;
    reversed.reverse();
    assert_eq!(combine(&reversed), expected);
    insta::assert_snapshot!(describe_conflict(match &expected {
        Combination::Impossible { conflict } => conflict,
        Combination::Possible { allowed } => panic!("expected a conflict, got {}", describe(allowed)),
    }));
}

/// What an adaptation of `original` may carry, where CC0 and the public domain also allow any other
/// licence among `inputs` (an adaptation of CC0 alone lists only Creative Commons targets, since no
/// other licence is in play).
fn allowed_with_others(original: Licence, inputs: &[Licence]) -> BTreeMap<Licence, bool> {
    let mut allowed = as_map(adaptation(&original).allowed());
    if matches!(original, Licence::Cc0 | Licence::PublicDomain) {
        for other in inputs.iter().filter(|input| matches!(input, Licence::Other(_))) {
            allowed.insert(*other, true);
        }
    }
    allowed
}

/// Every pair of licences: commutative, the intersection of the two adaptation sets, and a
/// conflict whose kind matches the pair.
#[test]
fn every_pair() {
    let licences = representative_licences();
    for first in &licences {
        for second in &licences {
            let combined = combine(&[*first, *second]);
            assert_eq!(combined, combine(&[*second, *first]), "{first} + {second} commutes");
            let inputs = [*first, *second];
            let first_allowed = allowed_with_others(*first, &inputs);
            let second_allowed = allowed_with_others(*second, &inputs);
            let intersection: BTreeMap<Licence, bool> = first_allowed
                .iter()
                .filter_map(|(licence, recommended)| {
                    second_allowed.get(licence).map(|other| (*licence, *recommended && *other))
                })
                .collect();
            assert_eq!(as_map(combined.allowed()), intersection, "{first} + {second}");
            if let Combination::Impossible { conflict } = combined {
                check_conflict_kind(*first, *second, conflict);
            }
        }
    }
}

fn check_conflict_kind(first: Licence, second: Licence, conflict: Conflict) {
    let elements = |licence: Licence| match licence {
        Licence::CreativeCommons { elements, .. } => Some(elements),
        _ => None,
    };
    let share_alike_only =
        |licence| elements(licence).is_some_and(|e| e.share_alike() && !e.non_commercial());
    let non_commercial = |licence| elements(licence).is_some_and(|e| e.non_commercial());
    let share_alike = |licence| elements(licence).is_some_and(|e| e.share_alike());
    let refused = |licence: Licence| !adaptation(&licence).is_shareable();
    match conflict {
        Conflict::NotShareable { licence, reason } => {
            assert!(licence == first || licence == second);
            assert!(refused(licence));
            let expected_reason = match licence {
                Licence::Unknown => NotShareableReason::Unknown,
                Licence::AllRightsReserved => NotShareableReason::AllRightsReserved,
                _ => NotShareableReason::NoDerivatives,
            };
            assert_eq!(reason, expected_reason);
        }
        Conflict::ShareAlikeWithNonCommercial { share_alike: sa, non_commercial: nc } => {
            assert!((sa, nc) == (first, second) || (sa, nc) == (second, first));
            assert!(share_alike_only(sa) && non_commercial(nc), "{sa} / {nc}");
        }
        Conflict::DifferentShareAlike { first: a, second: b } => {
            assert!((a, b) == (first.min(second), first.max(second)));
            assert!(share_alike(a) && share_alike(b) && a != b);
            let classic = |x, y| share_alike_only(x) && non_commercial(y);
            assert!(!classic(a, b) && !classic(b, a), "{a} / {b} should be ShareAlikeWithNonCommercial");
        }
        Conflict::NoCommonLicence { first: a, second: b } => {
            assert!((a, b) == (first.min(second), first.max(second)));
            assert!(!(share_alike(a) && share_alike(b)), "{a} / {b} should be a ShareAlike conflict");
            assert!(!refused(a) && !refused(b));
        }
    }
}

/// Every triple: the allowed set is what all three inputs allow, and a conflict names a
/// pair (or a single input) that conflicts on its own. This also checks the assumption in
/// `combine` that some pair is always to blame.
#[test]
fn every_triple() {
    let licences = representative_licences();
    for first in &licences {
        for second in &licences {
            for third in &licences {
                let inputs = [*first, *second, *third];
                let combined = combine(&inputs);
                let mut expected = allowed_with_others(*first, &inputs);
                for other in [second, third] {
                    let allowed = allowed_with_others(*other, &inputs);
                    expected = expected
                        .into_iter()
                        .filter_map(|(licence, recommended)| {
                            allowed.get(&licence).map(|this_one| (licence, recommended && *this_one))
                        })
                        .collect();
                }
                assert_eq!(as_map(combined.allowed()), expected, "{inputs:?}");
                match combined {
                    Combination::Possible { .. } => {}
                    Combination::Impossible { conflict: Conflict::NotShareable { licence, .. } } => {
                        assert!(inputs.contains(&licence));
                        assert!(!adaptation(&licence).is_shareable());
                    }
                    Combination::Impossible {
                        conflict:
                            Conflict::ShareAlikeWithNonCommercial { share_alike: a, non_commercial: b }
                            | Conflict::DifferentShareAlike { first: a, second: b }
                            | Conflict::NoCommonLicence { first: a, second: b },
                    } => {
                        assert!(inputs.contains(&a) && inputs.contains(&b), "{inputs:?}");
                        assert!(combine(&[a, b]).allowed().is_empty(), "{inputs:?}: {a} + {b}");
                    }
                }
            }
        }
    }
}

/// Every unordered pair, as a reviewed list: a change to any combination shows up as a diff.
#[test]
fn every_pair_reads_as_reviewed() {
    let licences = representative_licences();
    let mut lines = Vec::new();
    for (index, first) in licences.iter().enumerate() {
        for second in &licences[index..] {
            let outcome = match combine(&[*first, *second]) {
                Combination::Possible { allowed } => {
                    // The recommended choices are enough to review; the full sets are checked above.
                    let recommended: Vec<_> =
                        allowed.into_iter().filter(|allowed| allowed.recommended).collect();
                    describe(&recommended)
                }
                Combination::Impossible { conflict } => describe_conflict(&conflict),
            };
            lines.push(format!("{} + {} => {outcome}", first.spdx_id(), second.spdx_id()));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn conflicts_read_as_plain_english() {
    let conflicts = [
        combine(&[id("CC-BY-SA-4.0"), id("CC-BY-NC-4.0")]),
        combine(&[id("CC-BY-SA-1.0"), id("CC-BY-SA-2.0")]),
        combine(&[id("MIT"), id("CC-BY-4.0")]),
        combine(&[id("CC-BY-4.0"), id("CC-BY-ND-4.0")]),
        combine(&[id("CC-BY-4.0"), id("unknown")]),
        combine(&[id("CC-BY-4.0"), id("all-rights-reserved")]),
    ];
    let messages: Vec<String> = conflicts
        .iter()
        .map(|combination| match combination {
            Combination::Impossible { conflict } => conflict.message(),
            Combination::Possible { allowed } => panic!("expected a conflict, got {}", describe(allowed)),
        })
        .collect();
    insta::assert_snapshot!(messages.join("\n\n"));
}
