//! What extraction does with bad input, across formats: damaged and truncated files, archives
//! that lie about their sizes, images that declare absurd dimensions, XML that tries to expand
//! entities, and text that is not UTF-8. Each must give the file-name title and a warning naming
//! the reason, never a panic and never unbounded memory. The per-format happy paths are tested
//! beside each format.

use zip::CompressionMethod;

use super::fixtures::{deflate_bomb, extract_file, patch_entry, zip_file, zip_with};
use super::*;

/// Extraction of `bytes` as `file_name` keeps the file-name title and warns with `reason`.
#[track_caller]
fn check_refused(file_name: &str, bytes: &[u8], reason: &str) -> Extracted {
    let extracted = extract_file(file_name, bytes);
    assert_eq!(extracted.metadata.title, title_from_file_name(file_name), "{:?}", extracted.warnings);
    assert!(
        extracted.warnings.iter().any(|warning| warning.contains(reason)),
        "a warning containing {reason:?} in {:?}",
        extracted.warnings
    );
    extracted
}

fn half(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len() / 2]
}

#[test]
fn titles_from_file_names_read_like_titles() {
    assert_eq!(title_from_file_name("fractions_worksheet-v2.pdf"), "fractions worksheet v2");
    assert_eq!(title_from_file_name(".hidden"), ".hidden");
    assert_eq!(title_from_file_name("report\u{202E}fdp.exe"), "report fdp");
}

#[test]
fn media_types_follow_the_extension_case_insensitively() {
    assert_eq!(media_type("Lesson.MD"), "text/markdown");
    assert_eq!(media_type("slides.pptx"), PPTX);
    assert_eq!(media_type("no-extension"), "application/octet-stream");
}

#[test]
fn non_utf8_text_and_boms_are_read_without_failing() {
    let extracted = extract_file("latin1.txt", b"\xEF\xBB\xBFcaf\xE9 cr\xE8me");
    assert_eq!(extracted.text, "caf\u{FFFD} cr\u{FFFD}me");
    assert!(extracted.warnings.is_empty());
}

#[test]
fn non_utf8_xml_parts_are_read_with_replacement_characters() {
    let mut core =
        super::office::tests::CORE_XML.replace("The water cycle", "Le @ycle de l'eau").into_bytes();
    let at = core.iter().position(|byte| *byte == b'@').unwrap();
    core[at] = 0xE7; // "ç" in Latin-1, which is not UTF-8.
    let docx = zip_file(&[
        ("docProps/core.xml", &core),
        ("word/document.xml", super::office::tests::DOCUMENT_XML.as_bytes()),
    ]);
    let extracted = extract_file("eau.docx", &docx);
    assert_eq!(extracted.metadata.title, "Le \u{FFFD}ycle de l'eau");
    assert!(extracted.text.contains("evaporates"));
    assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
}

#[test]
fn a_plain_zip_lists_its_files_as_text() {
    let zip = zip_file(&[("fractions/worksheet.pdf", b"%PDF"), ("fractions/answers.pdf", b"%PDF")]);
    let extracted = extract_file("unit 3.zip", &zip);
    assert_eq!(extracted.metadata.title, "unit 3");
    assert_eq!(extracted.text, "fractions/worksheet.pdf\nfractions/answers.pdf\n");
}

#[test]
fn truncated_and_corrupt_archives_keep_the_file_name_and_say_why() {
    let docx = super::office::tests::docx(super::office::tests::DOCUMENT_XML.as_bytes());
    let epub = super::epub::tests::epub("<package/>");
    let zip = zip_file(&[("a.txt", b"a")]);
    for (file_name, bytes) in [("lesson.docx", &docx), ("book.epub", &epub), ("bundle.zip", &zip)] {
        check_refused(file_name, half(bytes), "is not a readable");
        check_refused(file_name, b"PK\x03\x04 not really a zip", "is not a readable");
    }
    // The container reads, but the part inside is damaged.
    let mut damaged = zip_with(
        &[("docProps/core.xml", super::office::tests::CORE_XML.as_bytes())],
        CompressionMethod::Deflated,
    );
    let middle = damaged.len() / 4;
    damaged[middle..middle + 40].fill(0xAA);
    check_refused("lesson.docx", &damaged, "docProps/core.xml");
    // An EPUB whose package document is not XML at all.
    check_refused("book.epub", &super::epub::tests::epub("<package><metadata>"), "OEBPS/content.opf");
}

#[test]
fn truncated_and_corrupt_pdfs_keep_the_file_name_and_say_why() {
    let info = lopdf::dictionary! { "Title" => super::pdf::tests::info_string("Fractions") };
    let pdf = super::pdf::tests::pdf(info, None, "Halves");
    // Lenient reading may rebuild what is left of a truncated PDF: it then says it did.
    check_refused("fractions.pdf", half(&pdf), "PDF");
    check_refused(
        "fractions.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer",
        "PDF",
    );
    check_refused("fractions.pdf", b"not a pdf at all", "the PDF could not be read");
    check_refused(
        "fractions.pdf",
        b"%PDF-1.4\n1 0 obj <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "PDF",
    );
}

/// A bomb in the body leaves the properties readable: the title comes from them, and the body is
/// refused with a warning.
#[track_caller]
fn check_bomb_refused(docx: &[u8]) {
    let extracted = extract_file("lesson.docx", docx);
    assert_eq!(extracted.metadata.title, "The water cycle");
    assert!(
        extracted
            .warnings
            .iter()
            .any(|warning| warning.contains("word/document.xml unpacks to more than 64 MB")),
        "{:?}",
        extracted.warnings
    );
    assert!(extracted.text.is_empty());
}

#[test]
fn a_zip_bomb_inside_a_docx_is_refused_by_its_declared_size() {
    let mut docx = super::office::tests::docx(super::office::tests::DOCUMENT_XML.as_bytes());
    patch_entry(&mut docx, "word/document.xml", None, Some(3_000_000_000));
    check_bomb_refused(&docx);
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_is_stopped_while_inflating() {
    // Written stored, then relabelled as deflated: the headers declare the few kilobytes of the
    // stream, which inflates to 65 MB.
    let bomb = deflate_bomb(65);
    let mut docx = zip_with(
        &[("docProps/core.xml", super::office::tests::CORE_XML.as_bytes()), ("word/document.xml", &bomb)],
        CompressionMethod::Stored,
    );
    patch_entry(&mut docx, "word/document.xml", Some(8), None);
    check_bomb_refused(&docx);
}

#[test]
fn an_archive_with_too_many_entries_is_refused() {
    let names = (0..=archive::MAX_ENTRIES).map(|index| index.to_string()).collect::<Vec<_>>();
    let entries = names.iter().map(|name| (name.as_str(), &b""[..])).collect::<Vec<_>>();
    check_refused("many.zip", &zip_with(&entries, CompressionMethod::Stored), "more than the 50000");
}

#[test]
fn an_image_declaring_60000_by_60000_pixels_is_reported_and_never_decoded() {
    let png = super::image::tests::png_bytes(60_000, 60_000, &[]);
    let extracted = check_refused("mural.png", &png, "60000 × 60000 pixels");
    assert_eq!(extracted.warnings.len(), 1, "{:?}", extracted.warnings);
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("mural.png");
    std::fs::write(&path, &png).unwrap();
    assert_eq!(image::dimensions(&path).unwrap(), (60_000, 60_000));
}

#[test]
fn corrupt_images_keep_the_file_name_and_say_why() {
    check_refused("photo.jpg", b"\xFF\xD8\xFF\xE0\x00", "the image header could not be read");
    check_refused("photo.png", b"\x89PNG\r\n", "the image header could not be read");
    // A readable header followed by an EXIF chunk that declares four gigabytes.
    let mut png = super::image::tests::png_bytes(10, 10, &[(b"eXIf", b"MM")]);
    let exif = png.windows(4).position(|window| window == b"eXIf").unwrap();
    png[exif - 4..exif].copy_from_slice(&u32::MAX.to_be_bytes());
    check_refused("photo.png", &png, "EXIF data is larger than 1024 KB");
}

#[test]
fn xml_entities_are_never_expanded() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE cp:coreProperties [
 <!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
  xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&lol3;</dc:title><dc:creator>&xxe;</dc:creator></cp:coreProperties>"#;
    let document = r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>safe &xxe; text</w:t></w:r></w:p></w:body></w:document>"#;
    let docx =
        zip_file(&[("docProps/core.xml", laughs.as_bytes()), ("word/document.xml", document.as_bytes())]);
    let extracted = check_refused("laughs.docx", &docx, "it uses the entity &lol3;, which is never expanded");
    assert!(extracted.metadata.creators.is_empty());
    assert!(
        extracted
            .warnings
            .iter()
            .any(|warning| warning.starts_with("word/document.xml") && warning.contains("&xxe;")),
        "{:?}",
        extracted.warnings
    );
    assert_eq!(extracted.text, "safe ");
}
