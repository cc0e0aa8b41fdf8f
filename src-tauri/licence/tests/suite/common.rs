//! Fixtures and the compact notation the hand-written tables use.

use std::collections::BTreeMap;

use commonplace_licence::{AllowedLicence, Licence};

/// A licence from its id; panics on a typo in a test table, which is what a test should do.
pub fn id(text: &str) -> Licence {
    Licence::from_spdx_id(text).unwrap_or_else(|error| panic!("bad id in a test table: {error}"))
}

/// Every licence Commonplace can represent.
pub fn every_licence() -> Vec<Licence> {
    Licence::all().collect()
}

/// The licences that the exhaustive pair and triple checks run over: everything except most of the
/// other licences, which all behave alike; two of them stay, to show that they behave alike and
/// differ from each other.
pub fn representative_licences() -> Vec<Licence> {
    Licence::all()
        .filter(|licence| !matches!(licence, Licence::Other(_)))
        .chain([id("MIT"), id("GFDL-1.3-or-later")])
        .collect()
}

/// Expands the table notation into licences and their "recommended" flags:
///
/// - `BY BY-SA ~BY-ND @ 3.0 4.0`: each element code at each version; `~` marks a licence that is
///   allowed but not recommended;
/// - `CC0 + …`: CC0 as well;
/// - `MIT`: a licence by its id.
pub fn expand(notation: &str) -> BTreeMap<Licence, bool> {
    let (codes, versions) = match notation.split_once(" @ ") {
        Some((codes, versions)) => (codes, versions.split_whitespace().collect::<Vec<_>>()),
        None => (notation, Vec::new()),
    };
    let mut expanded = BTreeMap::new();
    for code in codes.split_whitespace().filter(|code| *code != "+") {
        let (code, recommended) = match code.strip_prefix('~') {
            Some(code) => (code, false),
            None => (code, true),
        };
        if code == "CC0" {
            expanded.insert(Licence::Cc0, recommended);
        } else if code.starts_with("BY") {
            assert!(!versions.is_empty(), "{notation}: element codes need versions");
            for version in &versions {
                expanded.insert(id(&format!("CC-{code}-{version}")), recommended);
            }
        } else {
            expanded.insert(id(code), recommended);
        }
    }
    expanded
}

/// The allowed licences as a map, to compare with [`expand`].
pub fn as_map(allowed: &[AllowedLicence]) -> BTreeMap<Licence, bool> {
    allowed.iter().map(|allowed| (allowed.licence, allowed.recommended)).collect()
}

/// A licence list the way a reviewer reads it: ids, `~` before those not recommended.
pub fn describe(allowed: &[AllowedLicence]) -> String {
    allowed
        .iter()
        .map(|allowed| format!("{}{}", if allowed.recommended { "" } else { "~" }, allowed.licence.spdx_id()))
        .collect::<Vec<_>>()
        .join(" ")
}
