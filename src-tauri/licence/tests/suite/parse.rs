//! Licences as people write them in metadata.

use commonplace_licence::Licence;

use crate::common::{every_licence, id};

fn check(text: &str, expected: Option<&str>) {
    assert_eq!(Licence::parse(text), expected.map(id), "{text:?}");
}

#[test]
fn ids_in_any_case() {
    let cases = [
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("Cc-By-Nc-Nd-2.5", "CC-BY-NC-ND-2.5"),
        ("CC0-1.0", "CC0-1.0"),
        ("cc0-1.0", "CC0-1.0"),
        ("public-domain", "public-domain"),
        ("all-rights-reserved", "all-rights-reserved"),
        ("unknown", "unknown"),
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("GFDL-1.3-or-later", "GFDL-1.3-or-later"),
        ("gfdl-1.3-or-later", "GFDL-1.3-or-later"),
        ("Etalab-2.0", "etalab-2.0"),
        // Deprecated SPDX ids give their current form.
        ("GPL-3.0+", "GPL-3.0-or-later"),
        ("GFDL-1.3", "GFDL-1.3-only"),
        // SPDX ids of ported Creative Commons licences: the jurisdiction is dropped.
        ("CC-BY-3.0-DE", "CC-BY-3.0"),
        ("CC-BY-NC-SA-2.0-UK", "CC-BY-NC-SA-2.0"),
        ("CC-BY-SA-3.0-IGO", "CC-BY-SA-3.0"),
        ("CC-PDM-1.0", "public-domain"),
        ("CC-PDDC", "public-domain"),
    ];
    for (text, expected) in cases {
        check(text, Some(expected));
    }
}

#[test]
fn creative_commons_as_people_write_it() {
    let cases = [
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("CC-BY 4.0", "CC-BY-4.0"),
        ("CC BY 4", "CC-BY-4.0"),
        ("cc by nc sa 3.0", "CC-BY-NC-SA-3.0"),
        ("CC_BY_NC_3.0", "CC-BY-NC-3.0"),
        ("CC BY-NC-ND 4.0 International", "CC-BY-NC-ND-4.0"),
        ("CC BY-ND-NC 1.0", "CC-BY-NC-ND-1.0"),
        ("CC BY-SA v3.0", "CC-BY-SA-3.0"),
        ("BY-SA 4.0", "CC-BY-SA-4.0"),
        ("Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0"),
        ("Attribution 4.0 International", "CC-BY-4.0"),
        ("Attribution-NonCommercial-NoDerivs 3.0 Unported", "CC-BY-NC-ND-3.0"),
        ("Attribution-Noncommercial-No Derivative Works 3.0 Unported", "CC-BY-NC-ND-3.0"),
        ("Attribution-NoDerivs-NonCommercial 1.0 Generic", "CC-BY-NC-ND-1.0"),
        ("Attribution Non-Commercial Share-Alike 2.5", "CC-BY-NC-SA-2.5"),
        ("Creative Commons Attribution-ShareAlike 4.0 International License", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution 4.0 International (CC BY 4.0)", "CC-BY-4.0"),
        ("Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0)", "CC-BY-NC-SA-4.0"),
        ("Creative Commons BY-NC 2.0", "CC-BY-NC-2.0"),
        ("CC BY-SA 3.0 IGO", "CC-BY-SA-3.0"),
        ("Licensed under CC BY 4.0 by Ana Souza", "CC-BY-4.0"),
        ("Photo by Ana Souza, CC BY-SA 2.0", "CC-BY-SA-2.0"),
        ("© 2021 Ana Souza. Licensed under CC BY 4.0.", "CC-BY-4.0"),
        ("Copyright: CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("Some rights reserved: CC BY 3.0", "CC-BY-3.0"),
        ("Dual licensed: CC BY-SA 3.0 and GFDL", "CC-BY-SA-3.0"),
        (
            "This work is licensed under a Creative Commons Attribution 4.0 International License. To view \
             a copy of this license, visit http://creativecommons.org/licenses/by/4.0/ or send a letter to \
             Creative Commons, PO Box 1866, Mountain View, CA 94042, USA.",
            "CC-BY-4.0",
        ),
        (
            "This work is licensed under the Creative Commons Attribution-NonCommercial-ShareAlike 3.0 \
             Unported License. To view a copy of this license, visit \
             http://creativecommons.org/licenses/by-nc-sa/3.0/ or send a letter to Creative Commons, 171 \
             Second Street, Suite 300, San Francisco, California, 94105, USA.",
            "CC-BY-NC-SA-3.0",
        ),
        (
            r#"<a rel="license" href="http://creativecommons.org/licenses/by-nc/4.0/">Creative Commons Attribution-NonCommercial 4.0 International License</a>"#,
            "CC-BY-NC-4.0",
        ),
        ("https://creativecommons.org/licenses/by-sa/3.0/de/", "CC-BY-SA-3.0"),
        ("See https://creativecommons.org/licenses/by/2.5/.", "CC-BY-2.5"),
        ("(https://creativecommons.org/publicdomain/zero/1.0/)", "CC0-1.0"),
        ("© Ana Souza, https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("CC BY 4.0. Learn more at creativecommons.org", "CC-BY-4.0"),
        ("CC BY 3.0 AU", "CC-BY-3.0"),
        ("Attribution-NonCommercial 3.0 IGO (CC BY-NC 3.0 IGO)", "CC-BY-NC-3.0"),
        (
            "© 1999–2024 Rice University. Textbook content produced by OpenStax is licensed under a \
             Creative Commons Attribution License 4.0",
            "CC-BY-4.0",
        ),
    ];
    for (text, expected) in cases {
        check(text, Some(expected));
    }
}

#[test]
fn cc0_public_domain_and_other_licences() {
    let cases = [
        ("CC0", "CC0-1.0"),
        ("cc0", "CC0-1.0"),
        ("CC0 1.0", "CC0-1.0"),
        ("CC-0", "CC0-1.0"),
        ("CC Zero", "CC0-1.0"),
        ("Creative Commons Zero", "CC0-1.0"),
        ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
        ("Public Domain", "public-domain"),
        ("public domain", "public-domain"),
        ("PD", "public-domain"),
        ("Public Domain Mark 1.0", "public-domain"),
        ("Creative Commons Public Domain Mark 1.0", "public-domain"),
        ("This work is in the public domain.", "public-domain"),
        ("Domaine public", "public-domain"),
        ("Gemeinfrei", "public-domain"),
        ("MIT License", "MIT"),
        ("The MIT License", "MIT"),
        ("The Unlicense", "Unlicense"),
        ("Apache License 2.0", "Apache-2.0"),
        ("GNU Free Documentation License v1.3 or later", "GFDL-1.3-or-later"),
        ("Open Government Licence v3.0", "OGL-UK-3.0"),
        ("PDM 1.0", "public-domain"),
        (
            "Copyright (C) 2020 Free Software Foundation; GNU Free Documentation License v1.3 or later",
            "GFDL-1.3-or-later",
        ),
        ("Licensed under Apache-2.0.", "Apache-2.0"),
        ("Code: GPL-3.0+", "GPL-3.0-or-later"),
    ];
    for (text, expected) in cases {
        check(text, Some(expected));
    }
}

#[test]
fn copyright_notices_without_a_licence_reserve_all_rights() {
    let cases = [
        "All rights reserved",
        "ALL RIGHTS RESERVED.",
        "©",
        "© 2021 Ana Souza",
        "Copyright 2019 Springfield School District",
        "Copyright © Ana Souza",
        "(c) 2020 Ana",
        "copyrighted",
        "Tous droits réservés",
        "Alle Rechte vorbehalten",
        "Proprietary",
        "Todos los derechos reservados",
    ];
    for text in cases {
        check(text, Some("all-rights-reserved"));
    }
}

#[test]
fn unclear_text_is_not_recognised() {
    let cases = [
        "",
        "   ",
        "\n\t",
        "garbage",
        "asdfghjkl",
        "licence",
        "other",
        // No version: it decides the rules and the deed, so it is not guessed.
        "CC BY",
        "CC BY-SA",
        "Creative Commons Attribution-ShareAlike",
        "Creative Commons",
        "a Creative Commons licence",
        "© Ana Souza, Creative Commons",
        // Two licences, two versions, or elements no licence has.
        "CC BY-SA 4.0 / CC BY-NC 4.0",
        "CC BY 3.0 or 4.0",
        "CC BY-SA-ND 4.0",
        // The retired 1.0 licences without Attribution, and 2.1, which exists only as ports.
        "CC NC-SA 1.0",
        "CC BY-SA 2.1 JP",
        "CC-BY-SA-2.1-JP",
        // A byline, a grade, a university are not licences.
        "Photo by Ana Souza",
        "Grade 3 fractions by Ana",
        "Course from MIT OpenCourseWare",
        // Taglines and the opposite of a reservation.
        "Some rights reserved",
        "No rights reserved",
        "Copyright free",
        "copyright-free images",
        "Copyleft",
        "Not in the public domain",
        "No known copyright restrictions",
        "Copyright unknown",
        "© status unclear",
        // A URL and the words around it, or two URLs, that name different licences.
        "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/3.0/)",
        "https://creativecommons.org/licenses/by/4.0/ or https://creativecommons.org/licenses/by-nc/4.0/",
        // A URL that is not recognised keeps its words, which say "2.1".
        "See https://creativecommons.org/licenses/by/2.1/jp/ © Ana",
        // Two other licences.
        "Apache-2.0 and MPL-2.0",
        // Non-ASCII that is not a licence, or not one this crate reads.
        "Лицензия неизвестна",
        "版权所有",
        "🙂",
        "ＣＣ ＢＹ ４.０",
        "CC BY 4.0\u{0}garbage 3.0",
        "LicenseRef-my-school",
        "MIT OR Apache-2.0",
    ];
    for text in cases {
        check(text, None);
    }
}

#[test]
fn very_long_text_is_not_read() {
    check(&"CC BY 4.0 ".repeat(200), None);
    check(&"a".repeat(1_000_000), None);
    check(&"é".repeat(600), None);
    // Just under the limit, a long statement is still read.
    let statement = format!("{} CC BY-SA 4.0", "Lorem ipsum dolor sit amet. ".repeat(30));
    assert!(statement.len() < 1000);
    check(&statement, Some("CC-BY-SA-4.0"));
}

#[test]
fn every_id_short_name_and_name_reads_back() {
    for licence in every_licence() {
        assert_eq!(Licence::parse(&licence.spdx_id()), Some(licence), "id of {licence:?}");
        assert_eq!(
            Licence::parse(&licence.spdx_id().to_uppercase()),
            Some(licence),
            "upper-case id of {licence:?}"
        );
        if licence != Licence::Unknown {
            assert_eq!(Licence::parse(&licence.short_name()), Some(licence), "short name of {licence:?}");
            assert_eq!(Licence::parse(&licence.name()), Some(licence), "name of {licence:?}");
        }
    }
}
