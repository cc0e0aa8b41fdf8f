//! Names, ids, deed links and icons for every licence, as one reviewed table.

use commonplace_licence::{IconElement, Licence};

use crate::common::{every_licence, id};

#[test]
fn every_licence_reads_as_reviewed() {
    let lines: Vec<String> = every_licence()
        .iter()
        .map(|licence| {
            let icons: Vec<&str> = licence.icon_elements().iter().map(|icon| icon.name()).collect();
            format!(
                "{} | {} | {} | {} | icons: {} | open: {}",
                licence.spdx_id(),
                licence.short_name(),
                licence.name(),
                licence.deed_url().unwrap_or_else(|| "-".to_owned()),
                icons.join(" "),
                licence.is_open()
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn names_follow_each_version_s_wording() {
    assert_eq!(id("CC-BY-SA-4.0").name(), "Creative Commons Attribution-ShareAlike 4.0 International");
    assert_eq!(id("CC-BY-ND-3.0").name(), "Creative Commons Attribution-NoDerivs 3.0 Unported");
    assert_eq!(
        id("CC-BY-NC-ND-4.0").name(),
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International"
    );
    assert_eq!(id("CC-BY-2.5").name(), "Creative Commons Attribution 2.5 Generic");
    assert_eq!(
        id("CC-BY-NC-ND-1.0").name(),
        "Creative Commons Attribution-NoDerivs-NonCommercial 1.0 Generic"
    );
    assert_eq!(id("CC-BY-NC-ND-1.0").short_name(), "CC BY-ND-NC 1.0");
    assert_eq!(
        id("CC-BY-NC-ND-1.0").deed_url().as_deref(),
        Some("https://creativecommons.org/licenses/by-nd-nc/1.0/")
    );
    assert_eq!(id("CC-BY-SA-4.0").short_name(), "CC BY-SA 4.0");
    assert_eq!(id("CC-BY-SA-4.0").to_string(), "CC BY-SA 4.0");
}

#[test]
fn deed_urls_are_canonical_https() {
    assert_eq!(id("CC-BY-4.0").deed_url().as_deref(), Some("https://creativecommons.org/licenses/by/4.0/"));
    assert_eq!(
        Licence::Cc0.deed_url().as_deref(),
        Some("https://creativecommons.org/publicdomain/zero/1.0/")
    );
    assert_eq!(
        Licence::PublicDomain.deed_url().as_deref(),
        Some("https://creativecommons.org/publicdomain/mark/1.0/")
    );
    for licence in [id("MIT"), Licence::AllRightsReserved, Licence::Unknown] {
        assert_eq!(licence.deed_url(), None, "{licence}");
    }
}

#[test]
fn icons_in_creative_commons_order() {
    use IconElement::{By, Nc, Nd, Pd, Sa, Zero};
    assert_eq!(id("CC-BY-NC-SA-4.0").icon_elements(), [By, Nc, Sa]);
    assert_eq!(id("CC-BY-NC-ND-1.0").icon_elements(), [By, Nc, Nd]);
    assert_eq!(Licence::Cc0.icon_elements(), [Zero]);
    assert_eq!(Licence::PublicDomain.icon_elements(), [Pd]);
    assert!(Licence::Unknown.icon_elements().is_empty());
}

#[test]
fn only_unknown_and_all_rights_reserved_are_not_open() {
    let not_open: Vec<Licence> = every_licence().into_iter().filter(|licence| !licence.is_open()).collect();
    assert_eq!(not_open, [Licence::AllRightsReserved, Licence::Unknown]);
}

#[test]
fn the_default_licence_is_unknown() {
    assert_eq!(Licence::default(), Licence::Unknown);
}

#[test]
fn there_are_thirty_creative_commons_licences() {
    let count =
        every_licence().iter().filter(|licence| matches!(licence, Licence::CreativeCommons { .. })).count();
    assert_eq!(count, 30);
}
