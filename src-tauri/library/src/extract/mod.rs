//! Metadata and full-text extraction, offline, from the formats teachers use.
//!
//! Extraction never fails an import: a file whose metadata cannot be read is still imported, with
//! its file name as title and a warning that says what went wrong ([`Problem`]). Input is
//! untrusted, so every read is bounded (text to [`MAX_TEXT_BYTES`], archive entries by
//! [`archive`]'s limits, PDFs by size and page count, images are never decoded), and the parsers
//! are ones that do not run content or fetch anything.
//!
//! Formats: plain text, Markdown (YAML front matter), HTML (`<meta>`, JSON-LD, …), PDF (Info
//! dictionary, XMP, page text), EPUB (OPF package, spine text), DOCX and PPTX (core and custom
//! properties, body and slide text), ODT and ODP (`meta.xml`, `content.xml`), H5P (`h5p.json`,
//! content strings) and PNG, JPEG, WebP and GIF (dimensions, XMP, EXIF). A plain ZIP archive gets
//! the names of its files as text. Everything else gets a title from its file name.
//!
//! This module reads; it does not normalise: a licence is returned as found ("CC BY-SA 4.0", a
//! deed URL, a rights statement) and import turns it into the catalog's form.

mod archive;
pub(crate) mod epub;
mod h5p;
mod html;
mod image;
pub(crate) mod markdown;
mod office;
mod opendocument;
mod pdf;
mod xml;
mod xmp;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::metadata::{Field, Metadata, clean};

/// How much text is read from a file, and kept for the search index from any format.
pub(crate) const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

const MB: u64 = 1024 * 1024;

/// What extraction found. `text` is what the search index holds for the resource's body.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub metadata: Metadata,
    pub text: String,
    pub warnings: Vec<String>,
}

impl Extracted {
    fn warn(&mut self, problem: Problem) {
        self.warnings.push(problem.to_string());
    }
}

/// Why metadata or text could not be read, or was read only in part. Each becomes one warning on
/// the import, so each names the part of the file and the reason in words a teacher can act on.
#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("the file could not be read: {0}")]
    Io(#[from] io::Error),

    #[error("the file is not a readable {format} ({source})")]
    Container { format: &'static str, source: zip::result::ZipError },

    #[error("the {format} holds {count} files, more than the {limit} that are read")]
    TooManyEntries { format: &'static str, count: usize, limit: usize },

    #[error("the {format} has no {part}")]
    MissingPart { format: &'static str, part: String },

    #[error("{part} could not be unpacked ({source})")]
    Entry { part: String, source: zip::result::ZipError },

    #[error("{part} could not be unpacked ({source})")]
    EntryIo { part: String, source: io::Error },

    #[error("{part} unpacks to more than {} MB, so it was not read", limit / MB)]
    EntryTooLarge { part: String, limit: u64 },

    #[error("{part} is not well-formed XML ({source})")]
    Xml { part: String, source: xml::XmlError },

    #[error("{part} is not valid JSON ({source})")]
    Json { part: String, source: serde_json::Error },

    #[error("the file is {} MB; {format} files are read up to {} MB", size / MB, limit / MB)]
    FileTooLarge { format: &'static str, size: u64, limit: u64 },

    #[error("the PDF could not be read ({0})")]
    Pdf(lopdf::Error),

    #[error("the PDF is too damaged to read (its reader stopped on malformed data)")]
    PdfReaderFailed,

    #[error("the PDF is protected by a password, so only its file name is known")]
    PdfEncrypted,

    #[error("the PDF is damaged and was read by scanning it, so some metadata or text may be missing")]
    PdfRebuilt,

    #[error("some of the PDF's text could not be decoded, as its fonts do not say which letters they draw")]
    PdfTextUndecoded,

    #[error("the PDF has no text to index (it may be a scan), so only its metadata is searchable")]
    PdfNoText,

    #[error("the image header could not be read ({0})")]
    ImageHeader(imagesize::ImageError),

    #[error(
        "the image declares {width} × {height} pixels, more than {} million, so it is never decoded",
        image::MAX_DECODED_PIXELS / 1_000_000
    )]
    ImageTooLarge { width: usize, height: usize },

    #[error("the image's {part} is larger than {} KB, so it was not read", limit / 1024)]
    ImagePartTooLarge { part: &'static str, limit: u64 },

    #[error("the image's EXIF data could not be read ({0})")]
    Exif(exif::Error),

    #[error("only the first {} MB of the text were indexed", MAX_TEXT_BYTES / MB)]
    TextTruncated,

    #[error("only the first {limit} {items} were indexed")]
    ItemsTruncated { limit: usize, items: &'static str },
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
        "docx" => DOCX,
        "pptx" => PPTX,
        "odt" => ODT,
        "odp" => ODP,
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

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const ODT: &str = "application/vnd.oasis.opendocument.text";
const ODP: &str = "application/vnd.oasis.opendocument.presentation";

/// Whether documents of `media_type` may carry a preview picture (see [`embedded_preview`]).
pub(crate) fn may_embed_preview(media_type: &str) -> bool {
    matches!(media_type, DOCX | PPTX | ODT | ODP)
}

/// The preview picture an office document carries inside it, by its type: OpenDocument always
/// saves one, Office when asked to. `None` for other types, and when there is none.
pub(crate) fn embedded_preview(path: &Path, media_type: &str) -> Option<Vec<u8>> {
    if !may_embed_preview(media_type) {
        None
    } else if matches!(media_type, ODT | ODP) {
        opendocument::thumbnail(path)
    } else {
        office::thumbnail(path)
    }
}

/// Extracts metadata and text from the content at `path`, stored under `file_name`.
pub(crate) fn extract(path: &Path, file_name: &str, media_type: &str) -> Extracted {
    let result = match media_type {
        "text/plain" | "text/markdown" | "text/html" | "text/csv" => text(path, media_type),
        "application/pdf" => pdf::extract(path),
        "application/epub+zip" => epub::extract(path),
        DOCX => office::extract(path, office::Kind::Document),
        PPTX => office::extract(path, office::Kind::Presentation),
        ODT | ODP => opendocument::extract(path),
        "application/zip+h5p" => h5p::extract(path),
        "application/zip" => archive::extract_names(path),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" => image::extract(path),
        _ => Ok(Extracted::default()),
    };
    let mut extracted = result.unwrap_or_else(|problem| {
        let mut extracted = Extracted::default();
        extracted.warn(problem);
        extracted
    });
    if extracted.metadata.title.is_empty() {
        extracted.metadata.title = title_from_file_name(file_name);
    }
    extracted
}

fn text(path: &Path, media_type: &str) -> Result<Extracted, Problem> {
    let (text, truncated) = read_text(path)?;
    let mut extracted = match media_type {
        "text/markdown" => markdown::extract(&text),
        "text/html" => html::extract(&text),
        _ => Extracted { text, ..Extracted::default() },
    };
    if truncated {
        extracted.warn(Problem::TextTruncated);
    }
    Ok(extracted)
}

/// Reads up to [`MAX_TEXT_BYTES`] as text: a UTF-8 BOM is dropped, invalid UTF-8 is replaced
/// rather than refused (old files are often Latin-1), and a cut in the middle of a character at
/// the limit is harmless.
fn read_text(path: &Path) -> io::Result<(String, bool)> {
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

/// Sets `field` unless an earlier, more deliberate source already did: each format reads its
/// sources from the most to the least specific and fills only what is still empty.
fn fill(metadata: &mut Metadata, field: Field, value: &str) {
    if metadata.get(field).is_empty() {
        metadata.put(field, value);
    }
}

/// Fills a list field from items; [`Metadata::put`] splits on `;`, so items are joined with it.
fn fill_list<'a>(metadata: &mut Metadata, field: Field, items: impl IntoIterator<Item = &'a str>) {
    let joined = items.into_iter().map(clean).filter(|item| !item.is_empty()).collect::<Vec<_>>().join("; ");
    fill(metadata, field, &joined);
}

/// Keywords as people type them into a document's properties: separated by semicolons, or by
/// commas when there is no semicolon.
fn fill_keywords(metadata: &mut Metadata, keywords: &str) {
    let separator = if keywords.contains(';') { ';' } else { ',' };
    fill_list(metadata, Field::Keywords, keywords.split(separator));
}

/// The text for the search index, kept to [`MAX_TEXT_BYTES`] however many parts it is read from.
#[derive(Debug, Default)]
struct Body {
    text: String,
    truncated: bool,
}

impl Body {
    /// Appends `piece`, cutting it at a character boundary when the limit is reached. Returns
    /// whether there is room for more, so readers can stop early.
    fn push(&mut self, piece: &str) -> bool {
        let room = (MAX_TEXT_BYTES as usize).saturating_sub(self.text.len());
        if piece.len() <= room {
            self.text.push_str(piece);
        } else {
            let mut end = room;
            while !piece.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&piece[..end]);
            self.truncated = true;
        }
        !self.truncated
    }

    fn is_full(&self) -> bool {
        self.truncated
    }

    /// Ends the current line, if there is one, so blocks from different parts do not run together.
    fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n");
        }
    }

    fn finish(self, extracted: &mut Extracted) {
        extracted.text = self.text;
        if self.truncated {
            extracted.warn(Problem::TextTruncated);
        }
    }
}

#[cfg(test)]
mod fixtures;
/// A one-page PDF saying a text in Helvetica, for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn pdf_saying(body: &str) -> Vec<u8> {
    pdf::tests::pdf(lopdf::Dictionary::new(), None, body)
}
#[cfg(test)]
mod tests;

/// The width and height of an image in pixels, from its header alone; `None` when it cannot be
/// read or does not fit in 32 bits.
pub(crate) fn image_size(path: &Path) -> Option<(u32, u32)> {
    let (width, height) = image::dimensions(path).ok()?;
    Some((u32::try_from(width).ok()?, u32::try_from(height).ok()?))
}
