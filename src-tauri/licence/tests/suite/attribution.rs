//! Attribution text and HTML: TASL, missing fields, escaping of untrusted fields, chains.

use commonplace_licence::{Attribution, Licence};

use crate::common::id;

fn fractions() -> Attribution {
    Attribution {
        title: Some("Fractions worksheet".to_owned()),
        authors: vec!["Ana Souza".to_owned()],
        source_url: Some("https://example.org/fractions".to_owned()),
        licence: id("CC-BY-4.0"),
        changes_made: false,
    }
}

#[test]
fn title_author_source_licence() {
    assert_eq!(
        fractions().text(),
        "\"Fractions worksheet\" by Ana Souza, https://example.org/fractions, is licensed under CC BY 4.0 \
         (https://creativecommons.org/licenses/by/4.0/)."
    );
    assert_eq!(
        fractions().html(),
        "\"<a href=\"https://example.org/fractions\">Fractions worksheet</a>\" by Ana Souza is licensed under \
         <a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>."
    );
}

#[test]
fn an_adaptation_says_changes_were_made() {
    let attribution = Attribution { changes_made: true, ..fractions() };
    assert!(attribution.text().ends_with(
        "(https://creativecommons.org/licenses/by/4.0/). This is an adaptation: changes were made."
    ));
    assert!(attribution.html().ends_with("</a>. This is an adaptation: changes were made."));
}

#[test]
fn missing_fields_are_left_out() {
    let no_author = Attribution { authors: vec![], ..fractions() };
    assert_eq!(
        no_author.text(),
        "\"Fractions worksheet\", https://example.org/fractions, is licensed under CC BY 4.0 \
         (https://creativecommons.org/licenses/by/4.0/)."
    );
    let no_source = Attribution { source_url: None, ..fractions() };
    assert_eq!(
        no_source.text(),
        "\"Fractions worksheet\" by Ana Souza is licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
    );
    let no_title = Attribution { title: None, ..fractions() };
    assert!(no_title.text().starts_with("An untitled work by Ana Souza, https://example.org/fractions, is"));
    assert!(
        no_title
            .html()
            .starts_with("<a href=\"https://example.org/fractions\">An untitled work</a> by Ana Souza is")
    );
    let nothing = Attribution { licence: id("CC-BY-SA-4.0"), ..Attribution::default() };
    assert_eq!(
        nothing.text(),
        "An untitled work is licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)."
    );
}

#[test]
fn blank_fields_count_as_missing_and_whitespace_is_collapsed() {
    let blank = Attribution {
        title: Some("  \n ".to_owned()),
        authors: vec![" ".to_owned(), "Ana\n  Souza".to_owned(), String::new()],
        source_url: Some("\t".to_owned()),
        ..fractions()
    };
    assert_eq!(
        blank.text(),
        "An untitled work by Ana Souza is licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
    );
}

#[test]
fn several_authors() {
    let two = Attribution { authors: vec!["Ana Souza".into(), "Ben Lee".into()], ..fractions() };
    assert!(two.text().starts_with("\"Fractions worksheet\" by Ana Souza and Ben Lee, "));
    let three = Attribution {
        authors: vec!["Ana Souza".into(), "Ben Lee".into(), "Chloé Martin".into()],
        ..fractions()
    };
    assert!(three.text().starts_with("\"Fractions worksheet\" by Ana Souza, Ben Lee and Chloé Martin, "));
}

#[test]
fn a_script_in_any_field_comes_out_escaped() {
    let hostile = Attribution {
        title: Some("<script>alert('title')</script>".to_owned()),
        authors: vec!["<img src=x onerror=alert(1)>".to_owned(), "Ben & \"Co\"".to_owned()],
        source_url: Some("https://example.org/?q=\"><script>alert(2)</script>".to_owned()),
        licence: id("CC-BY-SA-4.0"),
        changes_made: true,
    };
    let html = hostile.html();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"), "{html}");
    assert!(html.contains("Ben &amp; &quot;Co&quot;"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/?q=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\""),
        "{html}"
    );
    insta::assert_snapshot!(html);
}

#[test]
fn only_web_addresses_become_links() {
    for source in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "JaVaScRiPt:alert(1)",
        "http://",
        "file:///etc/passwd",
    ] {
        let attribution = Attribution { source_url: Some(source.to_owned()), ..fractions() };
        let html = attribution.html();
        assert!(
            !html.contains("href=\"javascript")
                && !html.contains("href=\"data")
                && !html.contains("href=\"file"),
            "{html}"
        );
        assert!(!html.contains("<a href=\"http://\""), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }
    let upper_case = Attribution { source_url: Some("HTTPS://EXAMPLE.ORG/X".to_owned()), ..fractions() };
    assert!(upper_case.html().contains("<a href=\"HTTPS://EXAMPLE.ORG/X\">"));
}

#[test]
fn bidirectional_overrides_and_control_characters_are_dropped() {
    let tricky = Attribution {
        title: Some("Fractions\u{202E}txt.exe\u{0007}".to_owned()),
        authors: vec!["Ana\u{2066}Souza\u{2069}".to_owned()],
        ..fractions()
    };
    assert!(tricky.text().starts_with("\"Fractionstxt.exe\" by AnaSouza, "));
}

#[test]
fn every_kind_of_licence_reads_as_reviewed() {
    let licences = [
        id("CC-BY-NC-SA-3.0"),
        Licence::Cc0,
        Licence::PublicDomain,
        id("GFDL-1.3-or-later"),
        Licence::AllRightsReserved,
        Licence::Unknown,
    ];
    let mut lines = Vec::new();
    for licence in licences {
        let attribution = Attribution { licence, ..fractions() };
        lines.push(attribution.text());
        lines.push(attribution.html());
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn a_chain_renders_each_upstream_in_order() {
    let chain = [
        Attribution {
            title: Some("Fractions worksheet (Year 5)".to_owned()),
            authors: vec!["Ben Lee".to_owned()],
            source_url: Some("https://example.org/fractions-year-5".to_owned()),
            licence: id("CC-BY-SA-4.0"),
            changes_made: true,
        },
        fractions(),
    ];
    let text = Attribution::chain(&chain).text();
    assert_eq!(text.lines().count(), 2);
    assert_eq!(text.lines().nth(1), Some(fractions().text().as_str()));
    insta::assert_snapshot!("chain_text", text);
    insta::assert_snapshot!("chain_html", Attribution::chain(&chain).html());
    assert_eq!(Attribution::chain(&[]).text(), "");
    assert_eq!(Attribution::chain(&[]).html(), "");
}
