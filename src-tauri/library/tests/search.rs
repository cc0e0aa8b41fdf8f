//! Search in a library large enough for a word to be "common": ranked in tiers that stop early
//! (matches in titles, creators and keywords first, then the rest, newest first), consistent
//! across pages, with filters.

mod common;

use common::Fixture;
use commonplace_library::SearchQuery;

/// 1,150 lessons that all mention "fraction" in their text; every 100th has it in its title too.
fn large_library() -> Fixture {
    let fixture = Fixture::new();
    let folder = fixture.sources().join("lessons");
    std::fs::create_dir_all(&folder).unwrap();
    for index in 0..1150 {
        let title =
            if index % 100 == 0 { format!("Fraction walls {index}") } else { format!("Lesson {index}") };
        let licence = if index % 2 == 0 { "CC-BY-4.0" } else { "CC0-1.0" };
        let text = format!(
            "---\ntitle: {title}\nlicense: {licence}\n---\nA fraction is part of a whole. Lesson {index}.\n"
        );
        std::fs::write(folder.join(format!("lesson-{index:04}.md")), text).unwrap();
    }
    fixture.import(&[&folder]);
    fixture
}

fn titles(fixture: &Fixture, query: SearchQuery) -> Vec<String> {
    fixture.library.search(&query).unwrap().into_iter().map(|hit| hit.title).collect()
}

#[test]
fn a_common_word_lists_title_matches_first_then_the_rest_across_pages() {
    let fixture = large_library();
    let query = |offset| SearchQuery { text: "fraction".into(), limit: 20, offset, ..SearchQuery::default() };
    let first = titles(&fixture, query(0));
    assert_eq!(first.len(), 20);
    assert!(first[..12].iter().all(|title| title.starts_with("Fraction walls")), "{first:?}");
    assert!(first[12..].iter().all(|title| title.starts_with("Lesson")), "{first:?}");

    let second = titles(&fixture, query(20));
    let all = titles(&fixture, SearchQuery { text: "fraction".into(), limit: 40, ..SearchQuery::default() });
    assert_eq!([first, second].concat(), all, "pages follow one order, without gaps or repeats");
    assert_eq!(
        fixture.library.count(&SearchQuery { text: "fraction".into(), ..SearchQuery::default() }).unwrap(),
        1150
    );

    let search =
        |text: &str| fixture.library.search(&SearchQuery { text: text.into(), ..SearchQuery::default() });
    let snippet: String =
        search("fraction").unwrap()[0].snippet.iter().map(|part| part.text.as_str()).collect();
    assert!(snippet.contains("fraction is part"), "{snippet}");
    // A short last word still matches as a prefix; a rare query is ranked by relevance.
    assert_eq!(search("fra").unwrap().len(), 50);
    assert_eq!(
        titles(&fixture, SearchQuery { text: "lesson 1149".into(), ..SearchQuery::default() }),
        ["Lesson 1149"]
    );
}

#[test]
fn a_common_word_with_a_filter_keeps_only_matching_resources() {
    let fixture = large_library();
    let hits = fixture
        .library
        .search(&SearchQuery {
            text: "fraction".into(),
            licence: Some("CC0-1.0".into()),
            limit: 100,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 100);
    assert!(hits.iter().all(|hit| hit.licence == "CC0-1.0"));
    // The title matches all have even numbers, so CC-BY-4.0: none qualify here.
    assert!(hits.iter().all(|hit| hit.title.starts_with("Lesson")));

    fixture.library.trash(&hits[0].id).unwrap();
    let after = fixture
        .library
        .search(&SearchQuery {
            text: "fraction".into(),
            licence: Some("CC0-1.0".into()),
            limit: 100,
            ..SearchQuery::default()
        })
        .unwrap();
    assert!(after.iter().all(|hit| hit.id != hits[0].id), "the trash is left out");
}
