//! H5P packages: `h5p.json` (title, authors, licence and its version, language, source, year) and
//! the words of `content/content.json` (questions, answers, feedback), with their HTML markup
//! removed.
//!
//! Not read: the libraries the package carries, media, and the content's structure; the content
//! is never run.

use std::path::Path;

use serde_json::Value;

use super::archive::{Archive, MAX_ENTRY_BYTES, MAX_METADATA_BYTES};
use super::{Body, Extracted, Problem, fill, fill_list, html};
use crate::metadata::{Field, Metadata};

pub(super) fn extract(path: &Path) -> Result<Extracted, Problem> {
    let mut archive = Archive::open(path, "H5P package")?;
    let manifest_part = "h5p.json";
    let manifest = archive.read(manifest_part, MAX_METADATA_BYTES)?;
    let manifest: Value = serde_json::from_slice(&manifest)
        .map_err(|source| Problem::Json { part: manifest_part.to_owned(), source })?;
    let mut extracted = Extracted::default();
    read_manifest(&manifest, &mut extracted.metadata);

    let content_part = "content/content.json";
    let mut body = Body::default();
    match archive.read(content_part, MAX_ENTRY_BYTES) {
        // serde_json refuses nesting deeper than 128 levels, so the walk below stays shallow.
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(content) => content_text(&content, None, &mut body),
            Err(source) => extracted.warn(Problem::Json { part: content_part.to_owned(), source }),
        },
        Err(problem) => extracted.warn(problem),
    }
    body.finish(&mut extracted);
    Ok(extracted)
}

fn read_manifest(manifest: &Value, metadata: &mut Metadata) {
    let text = |key: &str| match manifest.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    fill(metadata, Field::Title, &text("title"));
    let authors = manifest.get("authors").and_then(Value::as_array).into_iter().flatten();
    fill_list(metadata, Field::Creators, authors.filter_map(|author| author.get("name")?.as_str()));
    fill(metadata, Field::Licence, &licence(&text("license"), &text("licenseVersion")));
    // "und" is H5P's "undetermined", which says nothing.
    let language = text("language");
    if language != "und" {
        fill(metadata, Field::Language, &language);
    }
    fill(metadata, Field::SourceUrl, &text("source"));
    fill(metadata, Field::DateCreated, &text("yearFrom"));
}

/// H5P's licence codes as people write them: `CC BY-SA` with version `4.0` is "CC BY-SA 4.0".
/// "U" (undisclosed) says nothing; "C" is H5P's "copyright, all rights reserved".
fn licence(code: &str, version: &str) -> String {
    match code.trim() {
        "" | "U" => String::new(),
        "C" => "All rights reserved".to_owned(),
        "PD" => "Public domain".to_owned(),
        code if code.starts_with("CC BY") && !version.trim().is_empty() => {
            format!("{code} {}", version.trim())
        }
        code => code.to_owned(),
    }
}

/// Keys whose strings are machinery, not words a learner reads.
const NOT_TEXT: &[&str] =
    &["library", "subContentId", "path", "mime", "contentType", "copyright", "license", "metadata", "id"];

/// The strings of the content, one per line, in document order.
fn content_text(value: &Value, key: Option<&str>, body: &mut Body) {
    if body.is_full() || key.is_some_and(|key| NOT_TEXT.contains(&key)) {
        return;
    }
    match value {
        Value::String(text) => {
            let text = html::fragment_text(text);
            if !text.trim().is_empty() {
                body.push(text.trim());
                body.end_line();
            }
        }
        Value::Array(items) => items.iter().for_each(|item| content_text(item, None, body)),
        Value::Object(object) => object.iter().for_each(|(key, item)| content_text(item, Some(key), body)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{extract_file, zip_file};
    use super::*;

    #[test]
    fn manifest_and_content_strings_are_read() {
        let manifest = br#"{"title":"Photosynthesis quiz","language":"en","mainLibrary":"H5P.QuestionSet",
            "license":"CC BY-SA","licenseVersion":"4.0","authors":[{"name":"Ana Souza","role":"Author"},{"name":"Ben Okafor","role":"Editor"}],
            "source":"https://example.org/quiz","yearFrom":2021,"preloadedDependencies":[]}"#;
        let content = br#"{"questions":[{"library":"H5P.MultiChoice 1.16","params":{"question":"<p>What do plants need for <strong>photosynthesis</strong>?</p>",
            "answers":[{"text":"<div>Sunlight</div>","correct":true},{"text":"Salt &amp; sand","correct":false}]},"subContentId":"a1b2"}]}"#;
        let h5p = zip_file(&[("h5p.json", manifest), ("content/content.json", content)]);
        let extracted = extract_file("quiz.h5p", &h5p);
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Photosynthesis quiz");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.licence, "CC BY-SA 4.0");
        assert_eq!(metadata.language, "en");
        assert_eq!(metadata.source_url, "https://example.org/quiz");
        assert_eq!(metadata.date_created, "2021");
        // serde_json's map may be sorted or in document order depending on the build's features.
        for line in ["What do plants need for photosynthesis?", "Sunlight", "Salt & sand"] {
            assert!(extracted.text.lines().any(|text| text == line), "{line:?} in {:?}", extracted.text);
        }
        assert!(!extracted.text.contains("a1b2") && !extracted.text.contains("MultiChoice"));
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn h5p_licence_codes_read_as_people_write_them() {
        assert_eq!(licence("CC BY-NC", "3.0"), "CC BY-NC 3.0");
        assert_eq!(licence("CC0 1.0", ""), "CC0 1.0");
        assert_eq!(licence("U", ""), "");
        assert_eq!(licence("C", ""), "All rights reserved");
        assert_eq!(licence("GNU GPL", "v3"), "GNU GPL");
    }
}
