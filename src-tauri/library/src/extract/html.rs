//! HTML: `<title>`, `<meta>` (description, author, keywords, Dublin Core), `<link rel="license">`,
//! OpenGraph, and schema.org JSON-LD (CreativeWork, LearningResource); the visible text for the
//! index. The document is parsed, never rendered or run.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::{Extracted, fill};
use crate::metadata::{Field, Metadata, clean};

pub(super) fn extract(source: &str) -> Extracted {
    let document = Html::parse_document(source);
    let mut metadata = Metadata::default();
    // JSON-LD is the most deliberate description a page gives of itself, so it goes first; each
    // later source only fills what is still empty.
    for block in select(&document, r#"script[type="application/ld+json"]"#) {
        let json = block.text().collect::<String>();
        if let Ok(value) = serde_json::from_str::<Value>(&json) {
            json_ld(&value, &mut metadata, 0);
        }
    }
    for element in select(&document, "meta[content]") {
        let key = element
            .attr("name")
            .or_else(|| element.attr("property"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let content = element.attr("content").unwrap_or_default();
        if let Some(field) = meta_field(&key) {
            fill(&mut metadata, field, content);
        }
    }
    for link in select(&document, "link[rel][href], a[rel][href]") {
        let is_licence = link
            .attr("rel")
            .is_some_and(|rel| rel.split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("license")));
        if is_licence {
            fill(&mut metadata, Field::Licence, link.attr("href").unwrap_or_default());
        }
    }
    if let Some(title) = select(&document, "title").next() {
        fill(&mut metadata, Field::Title, &title.text().collect::<String>());
    }
    if let Some(heading) = select(&document, "h1").next() {
        fill(&mut metadata, Field::Title, &heading.text().collect::<String>());
    }
    if let Some(language) = select(&document, "html[lang]").next().and_then(|html| html.attr("lang")) {
        fill(&mut metadata, Field::Language, language);
    }
    let text = select(&document, "body").next().map(visible_text).unwrap_or_default();
    Extracted { metadata, text, warnings: Vec::new() }
}

/// The visible text of a whole page's body, for formats made of XHTML pages (EPUB).
pub(super) fn body_text(source: &str) -> String {
    let document = Html::parse_document(source);
    select(&document, "body").next().map(visible_text).unwrap_or_default()
}

/// The visible text of an HTML snippet, as metadata and H5P content often hold
/// (`<p>What is <em>osmosis</em>?</p>`).
pub(super) fn fragment_text(source: &str) -> String {
    if !source.contains(['<', '&']) {
        return source.to_owned();
    }
    let fragment = Html::parse_fragment(source);
    visible_text(fragment.root_element())
}

fn select<'a>(document: &'a Html, selector: &str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    // The selectors are constants of this module; a typo shows in the tests, not at a user's.
    let selector = Selector::parse(selector).ok();
    selector.into_iter().flat_map(move |selector| document.select(&selector).collect::<Vec<_>>())
}

fn meta_field(key: &str) -> Option<Field> {
    Some(match key {
        "og:title" | "dc.title" | "dcterms.title" => Field::Title,
        "description" | "og:description" | "dc.description" | "dcterms.description" => Field::Description,
        "author" | "dc.creator" | "dcterms.creator" | "article:author" => Field::Creators,
        "keywords" | "dc.subject" | "dcterms.subject" => Field::Keywords,
        "dc.rights" | "dcterms.license" | "dcterms.rights" | "license" => Field::Licence,
        "dc.language" | "dcterms.language" | "og:locale" => Field::Language,
        "og:url" | "dc.source" | "dcterms.source" => Field::SourceUrl,
        "dc.date" | "dcterms.created" | "article:published_time" => Field::DateCreated,
        "dcterms.modified" | "article:modified_time" => Field::DateModified,
        "dcterms.educationlevel" => Field::EducationalLevel,
        "dc.type" | "dcterms.type" => Field::ResourceType,
        _ => return None,
    })
}

const JSON_LD_FIELDS: &[(&str, Field)] = &[
    ("name", Field::Title),
    ("headline", Field::Title),
    ("description", Field::Description),
    ("author", Field::Creators),
    ("creator", Field::Creators),
    ("license", Field::Licence),
    ("inLanguage", Field::Language),
    ("keywords", Field::Keywords),
    ("about", Field::Keywords),
    ("educationalLevel", Field::EducationalLevel),
    ("learningResourceType", Field::ResourceType),
    ("url", Field::SourceUrl),
    ("dateCreated", Field::DateCreated),
    ("datePublished", Field::DateCreated),
    ("dateModified", Field::DateModified),
];

/// Reads the first creative work in a JSON-LD value (an object, an array, or an `@graph`).
fn json_ld(value: &Value, metadata: &mut Metadata, depth: usize) {
    // JSON-LD from the web can nest deeply; the description of a page is near the top.
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|item| json_ld(item, metadata, depth + 1)),
        Value::Object(object) => {
            if let Some(graph) = object.get("@graph") {
                return json_ld(graph, metadata, depth + 1);
            }
            if !object.get("@type").is_some_and(is_creative_work) {
                return;
            }
            for (key, field) in JSON_LD_FIELDS {
                if let Some(value) = object.get(*key) {
                    fill(metadata, *field, &json_text(value));
                }
            }
        }
        _ => {}
    }
}

fn is_creative_work(kind: &Value) -> bool {
    const KINDS: &[&str] = &[
        "CreativeWork",
        "LearningResource",
        "Article",
        "Book",
        "Course",
        "WebPage",
        "ScholarlyArticle",
        "PresentationDigitalDocument",
        "TextDigitalDocument",
        "Quiz",
        "Syllabus",
        "VideoObject",
    ];
    match kind {
        Value::String(kind) => KINDS.contains(&kind.as_str()),
        Value::Array(kinds) => kinds.iter().any(is_creative_work),
        _ => false,
    }
}

/// A JSON-LD value as text: strings as they are, lists joined with `; `, things by their `name`
/// (or `@id`/`url` for licences given as objects).
fn json_text(value: &Value) -> String {
    match value {
        Value::String(text) => clean(text),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => {
            items.iter().map(json_text).filter(|item| !item.is_empty()).collect::<Vec<_>>().join("; ")
        }
        Value::Object(object) => {
            ["name", "@id", "url"].iter().find_map(|key| object.get(*key).map(json_text)).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The text of `element` a reader sees: scripts, styles and templates are skipped, and block
/// elements end a line.
fn visible_text(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    collect_text(element, &mut text);
    text
}

fn collect_text(element: ElementRef<'_>, out: &mut String) {
    const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "br",
        "section",
        "article",
        "pre",
        "blockquote",
    ];
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(child) = ElementRef::wrap(child) {
            let name = child.value().name();
            if SKIPPED.contains(&name) {
                continue;
            }
            collect_text(child, out);
            if BLOCKS.contains(&name) && !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_comes_from_json_ld_then_meta_then_title() {
        let page = r#"<!doctype html><html lang="fr"><head>
            <title>Page title</title>
            <meta name="description" content="About cells">
            <meta name="author" content="Claire Dubois">
            <meta name="keywords" content="biology; cells">
            <link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"LearningResource",
              "name":"La cellule","educationalLevel":"Lycée","learningResourceType":"worksheet",
              "author":[{"@type":"Person","name":"Claire Dubois"},{"@type":"Person","name":"Marc Petit"}]}</script>
            </head><body><h1>Heading</h1><p>Le noyau <b>contient</b> l'ADN.</p><script>alert(1)</script></body></html>"#;
        let extracted = extract(page);
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "La cellule");
        assert_eq!(metadata.creators, ["Claire Dubois", "Marc Petit"]);
        assert_eq!(metadata.description, "About cells");
        assert_eq!(metadata.keywords, ["biology", "cells"]);
        assert_eq!(metadata.licence, "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(metadata.language, "fr");
        assert_eq!(metadata.educational_level, "Lycée");
        assert_eq!(metadata.resource_type, "worksheet");
        assert_eq!(extracted.text, "Heading\nLe noyau contient l'ADN.\n");
    }

    #[test]
    fn opengraph_and_title_fill_in_when_there_is_no_json_ld() {
        let page = r#"<html><head><meta property="og:title" content="OG title"><title>T</title></head><body>x</body></html>"#;
        assert_eq!(extract(page).metadata.title, "OG title");
        assert_eq!(extract("<title> Just  a title </title>").metadata.title, "Just a title");
    }

    #[test]
    fn malformed_html_and_json_ld_do_not_fail() {
        let extracted = extract(
            r#"<html><head><script type="application/ld+json">{not json</script><title>Ok</title><body><p>unclosed"#,
        );
        assert_eq!(extracted.metadata.title, "Ok");
        assert_eq!(extracted.text.trim(), "unclosed");
    }
}
