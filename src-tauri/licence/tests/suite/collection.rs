//! Collections of unmodified works: each keeps its licence; NC anywhere makes the whole NC.

use commonplace_licence::{CollectionSummary, Licence, collection_licence};

use crate::common::id;

fn ids(licences: &[&str]) -> Vec<Licence> {
    licences.iter().map(|licence| id(licence)).collect()
}

#[test]
fn an_empty_collection_is_shareable_and_commercial_use_is_fine() {
    assert_eq!(
        collection_licence(&[]),
        CollectionSummary { licences: vec![], non_commercial: false, not_shareable: vec![] }
    );
}

#[test]
fn one_non_commercial_part_makes_the_collection_non_commercial() {
    for non_commercial in ["CC-BY-NC-4.0", "CC-BY-NC-SA-3.0", "CC-BY-NC-ND-2.0"] {
        let summary = collection_licence(&ids(&["CC-BY-4.0", "CC0-1.0", non_commercial]));
        assert!(summary.non_commercial, "{non_commercial}");
        assert!(summary.is_shareable());
    }
    assert!(!collection_licence(&ids(&["CC-BY-4.0", "CC-BY-SA-4.0", "MIT", "public-domain"])).non_commercial);
}

#[test]
fn no_derivatives_parts_may_be_collected_unchanged() {
    let summary = collection_licence(&ids(&["CC-BY-ND-4.0", "CC-BY-SA-4.0"]));
    assert!(summary.is_shareable());
    assert!(!summary.non_commercial);
}

#[test]
fn unknown_and_all_rights_reserved_parts_are_listed_once() {
    let summary = collection_licence(&ids(&["unknown", "CC-BY-4.0", "all-rights-reserved", "unknown"]));
    assert_eq!(summary.not_shareable, ids(&["all-rights-reserved", "unknown"]));
    assert!(!summary.is_shareable());
}

#[test]
fn each_licence_is_listed_once_whatever_the_order() {
    let forwards = collection_licence(&ids(&["CC-BY-SA-4.0", "CC0-1.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0"]));
    let backwards = collection_licence(&ids(&["CC-BY-NC-4.0", "CC-BY-SA-4.0", "CC0-1.0"]));
    assert_eq!(forwards, backwards);
    assert_eq!(forwards.licences, ids(&["CC0-1.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0"]));
}
