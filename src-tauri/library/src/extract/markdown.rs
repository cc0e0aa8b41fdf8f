//! Markdown: YAML front matter for metadata, the first heading as a fallback title, and the text
//! without markup for the index.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use yaml_rust2::{Yaml, YamlLoader};

use super::Extracted;
use crate::metadata::{Field, Metadata, clean};

pub(super) fn extract(source: &str) -> Extracted {
    let mut extracted = Extracted::default();
    let body = match split_front_matter(source) {
        Some((front_matter, body)) => {
            match YamlLoader::load_from_str(front_matter) {
                Ok(documents) => {
                    if let Some(document) = documents.first() {
                        extracted.metadata = front_matter_metadata(document);
                    }
                }
                Err(error) => extracted.warnings.push(format!("the front matter is not valid YAML: {error}")),
            }
            body
        }
        None => source,
    };
    let (text, first_heading) = plain_text(body);
    if extracted.metadata.title.is_empty() {
        extracted.metadata.title = first_heading;
    }
    extracted.text = text;
    extracted
}

/// The front matter between a leading `---` line and the next `---` (or `...`) line.
pub(crate) fn split_front_matter(source: &str) -> Option<(&str, &str)> {
    let rest = source.strip_prefix("---\n").or_else(|| source.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Keys as people write them in front matter, for each field.
const KEYS: &[(Field, &[&str])] = &[
    (Field::Title, &["title", "name"]),
    (Field::Description, &["description", "summary", "abstract"]),
    (Field::Creators, &["author", "authors", "creator", "creators"]),
    (Field::Licence, &["license", "licence", "rights"]),
    (Field::Language, &["lang", "language", "inlanguage"]),
    (Field::Keywords, &["keywords", "tags", "subject", "subjects"]),
    (
        Field::EducationalLevel,
        &["level", "educational_level", "educationallevel", "educationlevel", "audience", "grade"],
    ),
    (Field::ResourceType, &["type", "resource_type", "learningresourcetype"]),
    (Field::SourceUrl, &["source", "url", "source_url"]),
    (Field::DateCreated, &["date", "created", "datecreated"]),
    (Field::DateModified, &["modified", "updated", "lastmod", "datemodified"]),
];

fn front_matter_metadata(document: &Yaml) -> Metadata {
    let mut metadata = Metadata::default();
    let Some(map) = document.as_hash() else {
        return metadata;
    };
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_ascii_lowercase) else { continue };
        let Some((field, _)) = KEYS.iter().find(|(_, names)| names.contains(&key.as_str())) else { continue };
        let text = yaml_text(value);
        if !text.is_empty() && metadata.get(*field).is_empty() {
            metadata.put(*field, &text);
        }
    }
    metadata
}

/// A scalar as text, a list as `a; b`, a map by its `name` (authors are often `{name: …}`).
fn yaml_text(value: &Yaml) -> String {
    match value {
        Yaml::String(text) | Yaml::Real(text) => clean(text),
        Yaml::Integer(number) => number.to_string(),
        Yaml::Boolean(flag) => flag.to_string(),
        Yaml::Array(items) => {
            items.iter().map(yaml_text).filter(|item| !item.is_empty()).collect::<Vec<_>>().join("; ")
        }
        Yaml::Hash(map) => map
            .iter()
            .find(|(key, _)| key.as_str() == Some("name"))
            .map(|(_, name)| yaml_text(name))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The text a reader sees, one block per line, and the first heading's text.
fn plain_text(markdown: &str) -> (String, String) {
    let mut text = String::with_capacity(markdown.len());
    let mut heading = String::new();
    let mut in_first_heading = false;
    let mut seen_heading = false;
    for event in
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_MATH | Options::ENABLE_FOOTNOTES)
    {
        match event {
            Event::Start(Tag::Heading { level, .. }) if !seen_heading && level <= HeadingLevel::H2 => {
                in_first_heading = true;
            }
            Event::End(TagEnd::Heading(_)) if in_first_heading => {
                in_first_heading = false;
                seen_heading = true;
                text.push('\n');
            }
            Event::Text(content)
            | Event::Code(content)
            | Event::InlineMath(content)
            | Event::DisplayMath(content) => {
                if in_first_heading {
                    heading.push_str(&content);
                }
                text.push_str(&content);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow | TagEnd::CodeBlock,
            ) => {
                text.push('\n');
            }
            _ => {}
        }
    }
    (text, clean(&heading))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_the_metadata() {
        let source = "---\ntitle: Fractions, part 1\nauthor:\n  - name: Ana Souza\n  - Ben Okafor\nlicense: CC BY-SA 4.0\nlang: pt-BR\ntags: [maths, fractions]\nlevel: Grade 5\n---\n# Heading\n\nHalves and *quarters*.\n";
        let extracted = extract(source);
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Fractions, part 1");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.licence, "CC BY-SA 4.0");
        assert_eq!(metadata.language, "pt-BR");
        assert_eq!(metadata.keywords, ["maths", "fractions"]);
        assert_eq!(metadata.educational_level, "Grade 5");
        assert_eq!(extracted.text, "Heading\nHalves and quarters.\n");
        assert!(extracted.warnings.is_empty());
    }

    #[test]
    fn without_front_matter_the_first_heading_is_the_title() {
        let extracted = extract("Intro line\n\n## Photosynthesis `basics`\n\nText.\n");
        assert_eq!(extracted.metadata.title, "Photosynthesis basics");
    }

    #[test]
    fn broken_front_matter_is_a_warning_not_a_failure() {
        let extracted = extract("---\ntitle: [unclosed\n---\n# Still here\n");
        assert_eq!(extracted.metadata.title, "Still here");
        assert_eq!(extracted.warnings.len(), 1, "{:?}", extracted.warnings);
    }

    #[test]
    fn a_lone_rule_at_the_top_is_not_front_matter() {
        let extracted = extract("---\n# Title\nno closing rule");
        assert_eq!(extracted.metadata.title, "Title");
    }
}
