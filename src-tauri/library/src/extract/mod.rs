//! Metadata and full-text extraction, offline, from the formats teachers use.
//!
//! Extraction never fails an import: a file whose metadata cannot be read is still imported, with
//! its file name as title and a warning that says what went wrong. Input is untrusted, so reads are
//! bounded ([`MAX_TEXT_BYTES`]) and parsers are ones that do not run content.
//!
//! Supported so far: plain text, Markdown (with YAML front matter) and HTML (`<title>`, `<meta>`,
//! `<link rel="license">`, OpenGraph, JSON-LD). Other formats are recognised by type and get a
//! title from their file name until their extractors land.

mod html;
mod markdown;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::metadata::{Metadata, clean};

/// How much of a text file is read for metadata and the search index.
pub(crate) const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// What extraction found. `text` is what the search index holds for the resource's body.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub metadata: Metadata,
    pub text: String,
    pub warnings: Vec<String>,
}

/// The media type of a file, from its name. Content sniffing would be more robust, but the name is
/// what a teacher sees and what the system app opens it by.
pub(crate) fn media_type(file_name: &str) -> &'static str {
    let extension = Path::new(file_name)
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "txt" | "text" => "text/plain",
        "md" | "markdown" => "text/markdown",
        "html" | "htm" | "xhtml" => "text/html",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "h5p" => "application/zip+h5p",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Extracts metadata and text from the content at `path`, stored under `file_name`.
pub(crate) fn extract(path: &Path, file_name: &str, media_type: &str) -> Extracted {
    let mut extracted = match media_type {
        "text/plain" | "text/markdown" | "text/html" | "text/csv" => match read_text(path) {
            Ok((text, truncated)) => {
                let mut extracted = match media_type {
                    "text/markdown" => markdown::extract(&text),
                    "text/html" => html::extract(&text),
                    _ => Extracted { text, ..Extracted::default() },
                };
                if truncated {
                    extracted.warnings.push(format!(
                        "only the first {} MB of the text were indexed",
                        MAX_TEXT_BYTES / (1024 * 1024)
                    ));
                }
                extracted
            }
            Err(error) => Extracted {
                warnings: vec![format!("the text could not be read: {error}")],
                ..Extracted::default()
            },
        },
        _ => Extracted::default(),
    };
    if extracted.metadata.title.is_empty() {
        extracted.metadata.title = title_from_file_name(file_name);
    }
    extracted
}

/// Reads up to [`MAX_TEXT_BYTES`] as text: a UTF-8 BOM is dropped, invalid UTF-8 is replaced
/// rather than refused (old files are often Latin-1), and a cut in the middle of a character at
/// the limit is harmless.
fn read_text(path: &Path) -> std::io::Result<(String, bool)> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes)?;
    let truncated = bytes.len() as u64 > MAX_TEXT_BYTES;
    bytes.truncate(MAX_TEXT_BYTES as usize);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok((String::from_utf8_lossy(bytes).into_owned(), truncated))
}

/// `fractions_worksheet-v2.pdf` → `fractions worksheet v2`.
pub(crate) fn title_from_file_name(file_name: &str) -> String {
    let stem = Path::new(file_name).file_stem().and_then(|stem| stem.to_str()).unwrap_or(file_name);
    clean(&stem.replace(['_', '-'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names_read_like_titles() {
        assert_eq!(title_from_file_name("fractions_worksheet-v2.pdf"), "fractions worksheet v2");
        assert_eq!(title_from_file_name(".hidden"), ".hidden");
        assert_eq!(title_from_file_name("report\u{202E}fdp.exe"), "report fdp");
    }

    #[test]
    fn media_types_follow_the_extension_case_insensitively() {
        assert_eq!(media_type("Lesson.MD"), "text/markdown");
        assert_eq!(
            media_type("slides.pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        );
        assert_eq!(media_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn non_utf8_text_and_boms_are_read_without_failing() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("latin1.txt");
        std::fs::write(&path, b"\xEF\xBB\xBFcaf\xE9 cr\xE8me").unwrap();
        let extracted = extract(&path, "latin1.txt", "text/plain");
        assert_eq!(extracted.text, "caf\u{FFFD} cr\u{FFFD}me");
        assert!(extracted.warnings.is_empty());
    }
}
