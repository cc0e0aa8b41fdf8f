//! creativecommons.org URLs as they appear in metadata.

use commonplace_licence::Licence;

use crate::common::{every_licence, id};

fn check(url: &str, expected: Option<&str>) {
    assert_eq!(Licence::from_url(url), expected.map(id), "{url:?}");
}

#[test]
fn deed_and_legal_code_urls_in_all_their_forms() {
    let cases = [
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by-sa/3.0/", "CC-BY-SA-3.0"),
        ("https://www.creativecommons.org/licenses/by-nc/4.0", "CC-BY-NC-4.0"),
        ("http://www.creativecommons.org/licenses/by-nc-sa/2.5/", "CC-BY-NC-SA-2.5"),
        ("creativecommons.org/licenses/by-nd/4.0/", "CC-BY-ND-4.0"),
        ("//creativecommons.org/licenses/by/2.0/", "CC-BY-2.0"),
        ("https://creativecommons.org/licenses/by/4.0/deed.fr", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/deed", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hans", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.pt_BR", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode", "CC-BY-NC-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode.de", "CC-BY-NC-SA-4.0"),
        ("http://creativecommons.org/licenses/by-nc-nd/3.0/legalcode.txt", "CC-BY-NC-ND-3.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/1.0/", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/licenses/by/4.0/?ref=chooser-v1", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/#summary", "CC-BY-4.0"),
        ("HTTPS://CreativeCommons.org/Licenses/BY-SA/4.0/", "CC-BY-SA-4.0"),
        ("  https://creativecommons.org/licenses/by/4.0/  ", "CC-BY-4.0"),
        // Ports: the jurisdiction is dropped.
        ("https://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0"),
        ("http://creativecommons.org/licenses/by-sa/3.0/igo/", "CC-BY-SA-3.0"),
        ("http://creativecommons.org/licenses/by-nc-sa/2.0/uk/deed.en_GB", "CC-BY-NC-SA-2.0"),
        ("http://creativecommons.org/licenses/by/2.5/scotland/", "CC-BY-2.5"),
        ("https://creativecommons.org/licenses/by-nc/3.0/es/legalcode.es", "CC-BY-NC-3.0"),
        // Public domain tools.
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.es", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "public-domain"),
        ("http://creativecommons.org/publicdomain/mark/1.0/deed.de", "public-domain"),
        ("http://creativecommons.org/licenses/publicdomain/", "public-domain"),
    ];
    for (url, expected) in cases {
        check(url, Some(expected));
    }
}

#[test]
fn anything_else_is_not_recognised() {
    let long = format!("https://creativecommons.org/licenses/by/4.0/{}", "a/".repeat(5000));
    let cases = [
        "",
        "   ",
        "creativecommons.org",
        "https://creativecommons.org/",
        "https://creativecommons.org/licenses/",
        "https://creativecommons.org/licenses/by/",
        // 2.1 exists only as ports (Japan, Spain, Australia); not guessed at.
        "https://creativecommons.org/licenses/by/2.1/jp/",
        // 4.0 has no ports.
        "https://creativecommons.org/licenses/by/4.0/de/",
        "https://creativecommons.org/licenses/by/5.0/",
        "https://creativecommons.org/licenses/by/4/",
        // The retired licences without Attribution.
        "https://creativecommons.org/licenses/sa/1.0/",
        "https://creativecommons.org/licenses/nc-sa/1.0/",
        "https://creativecommons.org/licenses/by-sa-nd/4.0/",
        "https://creativecommons.org/publicdomain/zero/2.0/",
        "https://creativecommons.org/licenses/by/4.0/deed.fr/extra",
        "https://creativecommons.org/licenses/by/4.0/legalcode/deed",
        "https://example.org/licenses/by/4.0/",
        "https://creativecommons.org.evil.example/licenses/by/4.0/",
        "https://evil.example/creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org@evil.example/licenses/by/4.0/",
        "https://creativecommons.org:8080/licenses/by/4.0/",
        "ftp://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/licenses/by/4.0/ and more",
        "https://creativecommons.org/licenses/bý/4.0/",
        "https://créativecommons.org/licenses/by/4.0/",
        "javascript:alert(1)",
        "CC BY 4.0",
        &long,
    ];
    for url in cases {
        check(url, None);
    }
}

#[test]
fn every_deed_url_reads_back() {
    for licence in every_licence() {
        if let Some(url) = licence.deed_url() {
            assert_eq!(Licence::from_url(&url), Some(licence), "{url}");
            assert_eq!(Licence::from_url(&url.replace("https://", "http://www.")), Some(licence), "{url}");
            assert_eq!(Licence::from_url(&format!("{url}legalcode")), Some(licence), "{url}");
        }
    }
}
