//! The full adaptation table: every source licence against every licence an adaptation could be
//! given, versions included, written out by hand from DESIGN §6 (the Creative Commons FAQ and
//! remix chart) so that one wrong cell fails.

use commonplace_licence::{
    Adaptation, AllowedLicence, Error, Licence, NotShareableReason, adaptation, check_adaptation,
};

use crate::common::{as_map, describe, every_licence, expand, id};

const ALL_ELEMENTS: &str = "BY BY-SA BY-NC BY-NC-SA ~BY-ND ~BY-NC-ND";
const NON_COMMERCIAL: &str = "BY-NC BY-NC-SA ~BY-NC-ND";

/// Each source and what its adaptations may carry, in the notation of `common::expand`, or
/// `not shareable: <reason>`.
fn table() -> Vec<(String, String)> {
    let versions_from = |first: &str| {
        let all = ["1.0", "2.0", "2.5", "3.0", "4.0"];
        let start = all.iter().position(|version| *version == first).unwrap();
        all[start..].join(" ")
    };
    let row = |elements: &str, from: &str| format!("{elements} @ {}", versions_from(from));
    let share_alike = |code: &str, from: &str| match from {
        // Version 1.0 has no "or a later version" clause.
        "1.0" => format!("{code} @ 1.0"),
        _ => row(code, from),
    };
    let mut table: Vec<(String, String)> = vec![
        ("CC0-1.0".into(), format!("CC0 + {ALL_ELEMENTS} @ 1.0 2.0 2.5 3.0 4.0")),
        ("public-domain".into(), format!("CC0 + {ALL_ELEMENTS} @ 1.0 2.0 2.5 3.0 4.0")),
        ("all-rights-reserved".into(), "not shareable: AllRightsReserved".into()),
        ("unknown".into(), "not shareable: Unknown".into()),
    ];
    for version in ["1.0", "2.0", "2.5", "3.0", "4.0"] {
        table.push((format!("CC-BY-{version}"), row(ALL_ELEMENTS, version)));
        table.push((format!("CC-BY-SA-{version}"), share_alike("BY-SA", version)));
        table.push((format!("CC-BY-NC-{version}"), row(NON_COMMERCIAL, version)));
        table.push((format!("CC-BY-NC-SA-{version}"), share_alike("BY-NC-SA", version)));
        table.push((format!("CC-BY-ND-{version}"), "not shareable: NoDerivatives".into()));
        table.push((format!("CC-BY-NC-ND-{version}"), "not shareable: NoDerivatives".into()));
    }
    table
}

#[test]
fn the_table_covers_every_licence_except_the_other_licences() {
    let mut in_table: Vec<Licence> = table().iter().map(|(source, _)| id(source)).collect();
    in_table.sort();
    let mut expected: Vec<Licence> =
        every_licence().into_iter().filter(|licence| !matches!(licence, Licence::Other(_))).collect();
    expected.sort();
    assert_eq!(in_table, expected);
}

#[test]
fn every_source_against_every_target() {
    let targets = every_licence();
    for (source, expected) in table() {
        let source = id(&source);
        let actual = adaptation(&source);
        if let Some(reason) = expected.strip_prefix("not shareable: ") {
            match actual {
                Adaptation::NotShareable { reason: actual_reason } => {
                    assert_eq!(format!("{actual_reason:?}"), reason, "reason for {source}");
                }
                Adaptation::Shareable { allowed } => {
                    panic!("{source}: expected not shareable, got {}", describe(&allowed))
                }
            }
            continue;
        }
        let expected = expand(&expected);
        let actual = as_map(actual.allowed());
        for target in &targets {
            assert_eq!(
                actual.get(target),
                expected.get(target),
                "adapting {source} into {target}: Some(recommended) or None for not allowed"
            );
        }
    }
}

#[test]
fn every_other_licence_allows_only_itself() {
    for other in every_licence().into_iter().filter(|licence| matches!(licence, Licence::Other(_))) {
        assert_eq!(
            adaptation(&other),
            Adaptation::Shareable { allowed: vec![AllowedLicence { licence: other, recommended: true }] },
        );
    }
}

#[test]
fn the_whole_table_reads_as_reviewed() {
    let mut lines = Vec::new();
    for licence in every_licence().into_iter().filter(|licence| !matches!(licence, Licence::Other(_))) {
        let outcome = match adaptation(&licence) {
            Adaptation::Shareable { allowed } => describe(&allowed),
            Adaptation::NotShareable { reason } => format!("not shareable ({reason:?})"),
        };
        lines.push(format!("{} => {outcome}", licence.spdx_id()));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn by_sa_3_0_may_become_by_sa_4_0() {
    assert!(check_adaptation(&id("CC-BY-SA-3.0"), &id("CC-BY-SA-4.0")).is_ok());
}

#[test]
fn by_sa_4_0_may_not_go_back_to_by_sa_3_0() {
    assert_eq!(
        check_adaptation(&id("CC-BY-SA-4.0"), &id("CC-BY-SA-3.0")),
        Err(Error::TargetNotAllowed { original: id("CC-BY-SA-4.0"), target: id("CC-BY-SA-3.0") })
    );
}

#[test]
fn by_nc_sa_follows_the_same_version_rule() {
    assert!(check_adaptation(&id("CC-BY-NC-SA-3.0"), &id("CC-BY-NC-SA-4.0")).is_ok());
    assert!(check_adaptation(&id("CC-BY-NC-SA-4.0"), &id("CC-BY-NC-SA-3.0")).is_err());
}

#[test]
fn share_alike_1_0_allows_only_1_0() {
    assert!(check_adaptation(&id("CC-BY-SA-1.0"), &id("CC-BY-SA-1.0")).is_ok());
    assert!(check_adaptation(&id("CC-BY-SA-1.0"), &id("CC-BY-SA-2.0")).is_err());
    assert!(check_adaptation(&id("CC-BY-NC-SA-1.0"), &id("CC-BY-NC-SA-4.0")).is_err());
}

#[test]
fn by_allows_no_derivatives_but_does_not_recommend_it() {
    let checked = check_adaptation(&id("CC-BY-4.0"), &id("CC-BY-ND-4.0")).unwrap();
    assert!(!checked.recommended);
    let checked = check_adaptation(&id("CC-BY-NC-4.0"), &id("CC-BY-NC-ND-4.0")).unwrap();
    assert!(!checked.recommended);
}

#[test]
fn by_nc_may_not_drop_non_commercial() {
    assert!(check_adaptation(&id("CC-BY-NC-4.0"), &id("CC-BY-4.0")).is_err());
    assert!(check_adaptation(&id("CC-BY-NC-4.0"), &id("CC-BY-SA-4.0")).is_err());
}

#[test]
fn the_public_domain_mark_and_all_rights_reserved_are_never_targets() {
    for original in every_licence() {
        for target in [Licence::PublicDomain, Licence::AllRightsReserved, Licence::Unknown] {
            assert!(!adaptation(&original).allows(&target), "{original} → {target}");
        }
    }
}

#[test]
fn no_derivatives_unknown_and_all_rights_reserved_are_refused_for_their_own_reasons() {
    let refusal = |licence: &str| match check_adaptation(&id(licence), &id("CC-BY-4.0")) {
        Err(Error::AdaptationNotShareable { reason, .. }) => reason,
        other => panic!("{licence}: {other:?}"),
    };
    assert_eq!(refusal("CC-BY-ND-4.0"), NotShareableReason::NoDerivatives);
    assert_eq!(refusal("CC-BY-NC-ND-2.0"), NotShareableReason::NoDerivatives);
    assert_eq!(refusal("unknown"), NotShareableReason::Unknown);
    assert_eq!(refusal("all-rights-reserved"), NotShareableReason::AllRightsReserved);
}

#[test]
fn allowed_licences_come_newest_first_with_cc0_in_front() {
    let allowed = adaptation(&Licence::Cc0);
    let ids: Vec<String> =
        allowed.allowed().iter().take(8).map(|allowed| allowed.licence.spdx_id().into()).collect();
    assert_eq!(
        ids,
        [
            "CC0-1.0",
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "CC-BY-NC-4.0",
            "CC-BY-NC-SA-4.0",
            "CC-BY-ND-4.0",
            "CC-BY-NC-ND-4.0",
            "CC-BY-3.0"
        ]
    );
}

#[test]
fn reasons_read_as_plain_english() {
    let messages = [
        NotShareableReason::NoDerivatives,
        NotShareableReason::Unknown,
        NotShareableReason::AllRightsReserved,
    ]
    .map(|reason| format!("{reason:?}: {}", reason.message()));
    insta::assert_snapshot!(messages.join("\n\n"));
}

#[test]
fn errors_name_the_licences() {
    let error = check_adaptation(&id("CC-BY-SA-4.0"), &id("CC-BY-4.0")).unwrap_err();
    assert_eq!(error.to_string(), "an adaptation of material under CC BY-SA 4.0 may not carry CC BY 4.0");
    let error = check_adaptation(&id("CC-BY-ND-4.0"), &id("CC-BY-4.0")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("an adaptation of material under CC BY-ND 4.0 cannot be shared: The author")
    );
}
