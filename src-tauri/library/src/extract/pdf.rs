//! PDF: the document's XMP metadata (title, creators, subjects, licence URL), its Info dictionary
//! (Title, Author, Subject, Keywords, dates), its `/Lang`, and the text of its pages, read with
//! lopdf.
//!
//! Text extraction is approximate: it follows the fonts' encodings, so text drawn with fonts that
//! do not say which characters they draw comes out missing, and a scan has no text at all (both
//! are reported). Bounded: files over [`MAX_PDF_BYTES`] are not parsed, streams inflate to at most
//! [`MAX_STREAM_BYTES`], and at most [`MAX_PAGES`] pages are read. Not a renderer and not a
//! validator; password-protected PDFs are not opened.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use lopdf::xref::XrefRecovery;
use lopdf::{Dictionary, Document, LoadOptions, Object};

use super::{Body, Extracted, MB, Problem, fill, fill_keywords, xmp};
use crate::metadata::{Field, Metadata};

/// lopdf holds the whole file and its parsed objects in memory, so larger files (whole scanned
/// textbooks) keep only their file name as title.
pub(super) const MAX_PDF_BYTES: u64 = 256 * MB;

/// Far above a real page's content stream or an object stream, far below what would strain memory.
const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Enough for any teaching document; a longer PDF is searchable by its first pages.
const MAX_PAGES: usize = 2_000;

/// lopdf walks the page tree once per call, so pages are asked for a few dozen at a time.
const PAGES_PER_CALL: usize = 32;

const MAX_XMP_BYTES: usize = 4 * 1024 * 1024;

pub(super) fn extract(path: &Path) -> Result<Extracted, Problem> {
    let size = fs::metadata(path)?.len();
    if size > MAX_PDF_BYTES {
        return Err(Problem::FileTooLarge { format: "PDF", size, limit: MAX_PDF_BYTES });
    }
    // lopdf has panicked on crafted files before (an unwrap on inline images, out-of-range slices
    // in object streams: J-F-Liu/lopdf issues 287 and 532, fixed in later releases), and a
    // teacher's download folder is exactly where the next such file turns up. A panic is caught
    // here and reported like any unreadable PDF. This relies on the workspace's default
    // `panic = "unwind"`; a stack overflow would still abort, which lopdf's own nesting limits
    // prevent.
    panic::catch_unwind(AssertUnwindSafe(|| read(path))).unwrap_or(Err(Problem::PdfReaderFailed))
}

fn read(path: &Path) -> Result<Extracted, Problem> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_STREAM_BYTES), ..LoadOptions::default() };
    let document = Document::load_with_options(path, options).map_err(|error| match error {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => Problem::PdfEncrypted,
        error => Problem::Pdf(error),
    })?;
    let mut extracted = Extracted::default();
    if document.xref_recovery == Some(XrefRecovery::Reconstructed) {
        extracted.warn(Problem::PdfRebuilt);
    }
    // XMP is the newer, richer description, and what PDF 2.0 keeps; the Info dictionary fills in
    // what it does not say.
    if let Some(packet) = xmp_packet(&document)
        && let Err(source) = xmp::read(&packet, &mut extracted.metadata)
    {
        extracted.warn(Problem::Xml { part: "the PDF's XMP metadata".to_owned(), source });
    }
    info(&document, &mut extracted.metadata);
    if let Some(language) = document.catalog().ok().and_then(|catalog| text(&document, catalog, b"Lang")) {
        fill(&mut extracted.metadata, Field::Language, &language);
    }
    page_text(&document, &mut extracted);
    Ok(extracted)
}

fn xmp_packet(document: &Document) -> Option<Vec<u8>> {
    let catalog = document.catalog().ok()?;
    let (_, metadata) = document.dereference(catalog.get(b"Metadata").ok()?).ok()?;
    metadata.as_stream().ok()?.get_plain_content_with_limit(MAX_XMP_BYTES).ok()
}

fn info(document: &Document, metadata: &mut Metadata) {
    let Some(info) = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|info| document.dereference(info).ok())
        .and_then(|(_, info)| info.as_dict().ok())
    else {
        return;
    };
    let get = |key: &[u8]| text(document, info, key).unwrap_or_default();
    fill(metadata, Field::Title, without_producer_prefix(&get(b"Title")));
    fill(metadata, Field::Creators, &get(b"Author"));
    // PDF's Subject is a sentence about the document, which XMP maps to dc:description.
    fill(metadata, Field::Description, &get(b"Subject"));
    fill_keywords(metadata, &get(b"Keywords"));
    // Not in the standard, but some publishers of open material add one of these keys.
    for key in [&b"License"[..], b"Licence", b"Rights", b"Copyright"] {
        fill(metadata, Field::Licence, &get(key));
    }
    fill(metadata, Field::DateCreated, &iso_date(&get(b"CreationDate")));
    fill(metadata, Field::DateModified, &iso_date(&get(b"ModDate")));
}

/// A text string from `dictionary` (PDFDocEncoding, UTF-16 or UTF-8), following a reference.
fn text(document: &Document, dictionary: &Dictionary, key: &[u8]) -> Option<String> {
    let (_, object) = document.dereference(dictionary.get(key).ok()?).ok()?;
    match object {
        Object::String(..) => lopdf::decode_text_string(object).ok(),
        _ => None,
    }
}

/// Office's "print to PDF" titles a document "Microsoft Word - fractions.docx"; the name of the
/// program is not part of the title.
fn without_producer_prefix(title: &str) -> &str {
    const PREFIXES: &[&str] = &["Microsoft Word - ", "Microsoft PowerPoint - ", "Microsoft Excel - "];
    PREFIXES.iter().find_map(|prefix| title.strip_prefix(prefix)).unwrap_or(title)
}

/// A PDF date (`D:20230115103000+01'00'`, every part after the year optional) as ISO 8601
/// (`2023-01-15T10:30:00+01:00`); anything else is kept as found.
fn iso_date(date: &str) -> String {
    let raw = date.trim();
    let digits = raw.strip_prefix("D:").unwrap_or(raw);
    let numbers: String = digits.chars().take_while(char::is_ascii_digit).collect();
    if numbers.len() < 4 {
        return raw.to_owned();
    }
    let part = |range: std::ops::Range<usize>| numbers.get(range).filter(|part| !part.is_empty());
    let (year, month, day) = (&numbers[..4], part(4..6), part(6..8));
    let (Some(month), Some(day)) = (month, day) else {
        return month.map_or_else(|| year.to_owned(), |month| format!("{year}-{month}"));
    };
    let (Some(hour), Some(minute)) = (part(8..10), part(10..12)) else {
        return format!("{year}-{month}-{day}");
    };
    let second = part(12..14).unwrap_or("00");
    let zone = &digits[numbers.len()..];
    let offset = match zone.chars().next() {
        Some('Z') => "Z".to_owned(),
        Some(sign @ ('+' | '-')) => {
            let zone_digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            match (zone_digits.get(0..2), zone_digits.get(2..4)) {
                (Some(hours), Some(minutes)) => format!("{sign}{hours}:{minutes}"),
                (Some(hours), None) => format!("{sign}{hours}:00"),
                _ => String::new(),
            }
        }
        _ => String::new(),
    };
    format!("{year}-{month}-{day}T{hour}:{minute}:{second}{offset}")
}

fn page_text(document: &Document, extracted: &mut Extracted) {
    let page_count = document.get_pages().len();
    let read = page_count.min(MAX_PAGES);
    let numbers = (1..=read).filter_map(|number| u32::try_from(number).ok()).collect::<Vec<_>>();
    let mut body = Body::default();
    let mut undecoded = false;
    for batch in numbers.chunks(PAGES_PER_CALL) {
        for chunk in document.extract_text_chunks_with_limit(batch, MAX_STREAM_BYTES) {
            match chunk {
                Ok(text) => {
                    body.push(&text);
                }
                Err(_) => undecoded = true,
            }
        }
        if body.is_full() {
            break;
        }
    }
    if undecoded {
        extracted.warn(Problem::PdfTextUndecoded);
    }
    if page_count > 0 && body.text.trim().is_empty() {
        extracted.warn(Problem::PdfNoText);
    }
    if page_count > MAX_PAGES && !body.is_full() {
        extracted.warn(Problem::ItemsTruncated { limit: MAX_PAGES, items: "pages" });
    }
    body.finish(extracted);
}

#[cfg(test)]
pub(super) mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{Stream, StringFormat, dictionary};

    use super::*;

    /// A one-page PDF saying `body` in Helvetica, with an Info dictionary and optionally XMP.
    pub(crate) fn pdf(info: Dictionary, xmp: Option<&str>, body: &str) -> Vec<u8> {
        let mut document = Document::with_version("1.7");
        let pages_id = document.new_object_id();
        let font_id = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 720.into()]),
                Operation::new("Tj", vec![Object::string_literal(body)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = document.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        document.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
            ),
        );
        let mut catalog = dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Lang" => Object::string_literal("fr-CA"),
        };
        if let Some(xmp) = xmp {
            let xmp_id = document.add_object(Stream::new(
                dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
                xmp.as_bytes().to_vec(),
            ));
            catalog.set("Metadata", xmp_id);
        }
        let catalog_id = document.add_object(catalog);
        let info_id = document.add_object(info);
        document.trailer.set("Root", catalog_id);
        document.trailer.set("Info", info_id);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }

    pub(in super::super) fn info_string(text: &str) -> Object {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    }

    fn extract_bytes(bytes: &[u8]) -> Extracted {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("lesson.pdf");
        fs::write(&path, bytes).unwrap();
        extract(&path).unwrap()
    }

    #[test]
    fn the_info_dictionary_and_page_text_are_read() {
        let info = dictionary! {
            "Title" => info_string("Microsoft Word - Fractions for grade 5"),
            "Author" => info_string("Ana Souza; Ben Okafor"),
            "Subject" => info_string("Adding fractions with unlike denominators"),
            "Keywords" => info_string("maths, fractions"),
            "License" => info_string("CC BY 4.0"),
            "CreationDate" => info_string("D:20230115103000+01'00'"),
        };
        let extracted = extract_bytes(&pdf(info, None, "Halves and quarters"));
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Fractions for grade 5");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.description, "Adding fractions with unlike denominators");
        assert_eq!(metadata.keywords, ["maths", "fractions"]);
        assert_eq!(metadata.licence, "CC BY 4.0");
        assert_eq!(metadata.language, "fr-CA");
        assert_eq!(metadata.date_created, "2023-01-15T10:30:00+01:00");
        assert!(extracted.text.contains("quarters"), "{:?}", extracted.text);
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn xmp_comes_before_the_info_dictionary() {
        let info = dictionary! { "Title" => info_string("Old title"), "Author" => info_string("Someone") };
        let extracted = extract_bytes(&pdf(info, Some(xmp::tests::PACKET), "Chlorophyll"));
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Photosynthesis");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.licence, "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(metadata.language, "en-GB");
        assert!(extracted.text.contains("Chlorophyll"));
    }

    #[test]
    fn pdf_dates_become_iso_dates() {
        assert_eq!(iso_date("D:20230115103000+01'00'"), "2023-01-15T10:30:00+01:00");
        assert_eq!(iso_date("D:20230115103000Z"), "2023-01-15T10:30:00Z");
        assert_eq!(iso_date("D:199812231952-08'00"), "1998-12-23T19:52:00-08:00");
        assert_eq!(iso_date("D:20230115"), "2023-01-15");
        assert_eq!(iso_date("D:2023"), "2023");
        assert_eq!(iso_date("15 January 2023"), "15 January 2023");
        assert_eq!(iso_date(""), "");
    }
}
