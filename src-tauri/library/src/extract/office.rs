//! Office Open XML documents and presentations (DOCX, PPTX): the core properties
//! (`docProps/core.xml`), a licence or source among the custom properties
//! (`docProps/custom.xml`), and the text of the document body or of the slides in presentation
//! order.
//!
//! Not read: headers, footers, comments, speaker notes, embedded objects, and text inside charts
//! and SmartArt, which live in other parts.

use std::collections::HashMap;
use std::path::Path;

use super::archive::{Archive, MAX_ENTRY_BYTES, MAX_METADATA_BYTES};
use super::xml::{self, DC, DCTERMS, Element, Role};
use super::{Body, Extracted, Problem, fill, fill_keywords};
use crate::metadata::{Field, Metadata};

const CORE: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const CUSTOM: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORD: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const DRAWING: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PRESENTATION: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";

/// More slides than any lesson has; a longer deck is searchable by its first slides.
const MAX_SLIDES: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    Presentation,
}

pub(super) fn extract(path: &Path, kind: Kind) -> Result<Extracted, Problem> {
    let format = match kind {
        Kind::Document => "Word document",
        Kind::Presentation => "PowerPoint presentation",
    };
    let mut archive = Archive::open(path, format)?;
    let mut extracted = Extracted::default();
    // A document saved without properties is still a document: missing parts are not warned about.
    match read_xml(&mut archive, "docProps/core.xml", MAX_METADATA_BYTES) {
        Ok(Some(core)) => core_properties(&core, &mut extracted.metadata),
        Ok(None) => {}
        Err(problem) => extracted.warn(problem),
    }
    match read_xml(&mut archive, "docProps/custom.xml", MAX_METADATA_BYTES) {
        Ok(Some(custom)) => custom_properties(&custom, &mut extracted.metadata),
        Ok(None) => {}
        Err(problem) => extracted.warn(problem),
    }
    let mut body = Body::default();
    match kind {
        Kind::Document => document_text(&mut archive, &mut body, &mut extracted),
        Kind::Presentation => slides_text(&mut archive, &mut body, &mut extracted),
    }
    body.finish(&mut extracted);
    Ok(extracted)
}

/// Reads and parses a part; `None` when the archive does not have it.
fn read_xml(archive: &mut Archive, part: &str, limit: u64) -> Result<Option<Element>, Problem> {
    let bytes = match archive.read(part, limit) {
        Ok(bytes) => bytes,
        Err(Problem::MissingPart { .. }) => return Ok(None),
        Err(problem) => return Err(problem),
    };
    xml::parse(&xml::decode(&bytes))
        .map(Some)
        .map_err(|source| Problem::Xml { part: part.to_owned(), source })
}

fn core_properties(core: &Element, metadata: &mut Metadata) {
    let text =
        |namespace: &str, name: &str| core.child(namespace, name).map(Element::text).unwrap_or_default();
    fill(metadata, Field::Title, &text(DC, "title"));
    fill(metadata, Field::Creators, &text(DC, "creator"));
    // Office's "Comments" is dc:description; its "Subject" is a one-line summary, used when there
    // are no comments.
    fill(metadata, Field::Description, &text(DC, "description"));
    fill(metadata, Field::Description, &text(DC, "subject"));
    fill_keywords(metadata, &text(CORE, "keywords"));
    fill(metadata, Field::Language, &text(DC, "language"));
    fill(metadata, Field::DateCreated, &text(DCTERMS, "created"));
    fill(metadata, Field::DateModified, &text(DCTERMS, "modified"));
}

/// Custom properties that publishers of open material use for the licence and the source.
fn custom_properties(custom: &Element, metadata: &mut Metadata) {
    for property in custom.children_named(CUSTOM, "property") {
        let name = property.attribute("", "name").unwrap_or_default().to_lowercase();
        let field = match name.as_str() {
            "license" | "licence" | "rights" | "copyright" | "dc.rights" | "dcterms.license" => {
                Field::Licence
            }
            "source" | "url" | "source url" | "dc.source" => Field::SourceUrl,
            _ => continue,
        };
        fill(metadata, field, &property.text());
    }
}

/// The archive path of the package's main part, as `_rels/.rels` names it.
fn main_part(archive: &mut Archive, default: &str) -> String {
    package_part(archive, "/officeDocument").unwrap_or_else(|| default.to_owned())
}

/// The archive path of the package-level part whose relationship type ends with `kind`.
fn package_part(archive: &mut Archive, kind: &str) -> Option<String> {
    let relationships = read_xml(archive, "_rels/.rels", MAX_METADATA_BYTES).ok().flatten();
    relationships
        .iter()
        .flat_map(|relationships| relationships.children_named(RELATIONSHIPS, "Relationship"))
        .find(|relationship| relationship.attribute("", "Type").is_some_and(|found| found.ends_with(kind)))
        .and_then(|relationship| relationship.attribute("", "Target"))
        .map(|target| target.trim_start_matches('/').to_owned())
}

/// The preview picture Office saves in a document (`docProps/thumbnail.jpeg`, as `_rels/.rels`
/// names it), to be decoded within the thumbnail limits; `None` when there is none.
pub(crate) fn thumbnail(path: &Path) -> Option<Vec<u8>> {
    let mut archive = Archive::open(path, "Office document").ok()?;
    let part = package_part(&mut archive, "/metadata/thumbnail")?;
    archive.read(&part, MAX_METADATA_BYTES).ok()
}

fn document_text(archive: &mut Archive, body: &mut Body, extracted: &mut Extracted) {
    let part = main_part(archive, "word/document.xml");
    let source = match archive.read(&part, MAX_ENTRY_BYTES) {
        Ok(bytes) => xml::decode(&bytes),
        Err(problem) => return extracted.warn(problem),
    };
    let classify = |namespace: &str, name: &str| match (namespace == WORD, name) {
        (true, "t") => Role::Text,
        (true, "p") => Role::LineEnd,
        (true, "tab") => Role::Insert("\t"),
        (true, "br" | "cr") => Role::Insert("\n"),
        // Paragraph and run properties hold tab stops (`w:tab` again) and no text; deleted text
        // and field codes are not what a reader sees.
        (true, "pPr" | "rPr" | "sectPr" | "delText" | "instrText") => Role::Skip,
        _ => Role::Other,
    };
    if let Err(source) = xml::collect_text(&source, classify, body) {
        extracted.warn(Problem::Xml { part, source });
    }
}

fn slides_text(archive: &mut Archive, body: &mut Body, extracted: &mut Extracted) {
    let mut slides = slides_in_order(archive);
    if slides.len() > MAX_SLIDES {
        slides.truncate(MAX_SLIDES);
        extracted.warn(Problem::ItemsTruncated { limit: MAX_SLIDES, items: "slides" });
    }
    let classify = |namespace: &str, name: &str| match (namespace == DRAWING, name) {
        (true, "t") => Role::Text,
        (true, "p") => Role::LineEnd,
        (true, "br") => Role::Insert("\n"),
        _ => Role::Other,
    };
    for part in slides {
        let source = match archive.read(&part, MAX_ENTRY_BYTES) {
            Ok(bytes) => xml::decode(&bytes),
            Err(problem) => {
                extracted.warn(problem);
                continue;
            }
        };
        if let Err(source) = xml::collect_text(&source, classify, body) {
            extracted.warn(Problem::Xml { part, source });
        }
        body.end_line();
        if body.is_full() {
            break;
        }
    }
}

/// The slide parts in the order the presentation shows them (`p:sldIdLst` through the
/// presentation's relationships). When that cannot be read, the slides by the number in their
/// names, which is the order PowerPoint creates them in.
fn slides_in_order(archive: &mut Archive) -> Vec<String> {
    let presentation_part = main_part(archive, "ppt/presentation.xml");
    let folder = presentation_part.rsplit_once('/').map_or("", |(folder, _)| folder).to_owned();
    let relationships_part = format!("{folder}/_rels/presentation.xml.rels");
    let presentation = read_xml(archive, &presentation_part, MAX_METADATA_BYTES).ok().flatten();
    let relationships = read_xml(archive, &relationships_part, MAX_METADATA_BYTES).ok().flatten();
    if let (Some(presentation), Some(relationships)) = (presentation, relationships) {
        let targets: HashMap<&str, &str> = relationships
            .children_named(RELATIONSHIPS, "Relationship")
            .filter_map(|relationship| {
                Some((relationship.attribute("", "Id")?, relationship.attribute("", "Target")?))
            })
            .collect();
        let ordered: Vec<String> = presentation
            .child(PRESENTATION, "sldIdLst")
            .into_iter()
            .flat_map(|list| list.children_named(PRESENTATION, "sldId"))
            .filter_map(|slide| targets.get(slide.attribute(OFFICE_RELATIONSHIPS, "id")?))
            .map(|target| match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => super::epub::resolve(&folder, target),
            })
            .collect();
        if !ordered.is_empty() {
            return ordered;
        }
    }
    let mut numbered: Vec<(u32, String)> = archive
        .names()
        .filter_map(|name| {
            let number = name.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?.parse().ok()?;
            Some((number, name.to_owned()))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, name)| name).collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::fixtures::{extract_file, zip_file};

    pub(in super::super) const CORE_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <dc:title>The water cycle</dc:title><dc:subject>Evaporation and rain</dc:subject>
  <dc:creator>Priya Nair</dc:creator><cp:keywords>water, weather, science</cp:keywords>
  <dc:language>en-IN</dc:language>
  <dcterms:created xsi:type="dcterms:W3CDTF">2024-05-06T07:08:09Z</dcterms:created>
</cp:coreProperties>"#;

    const CUSTOM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
  xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
  <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="License"><vt:lpwstr>CC BY-SA 4.0</vt:lpwstr></property>
</Properties>"#;

    pub(in super::super) const DOCUMENT_XML: &str = r#"<?xml version="1.0"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
  <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Water</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> evaporates</w:t></w:r></w:p>
  <w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>Clouds &amp; rain</w:t></w:r></w:p>
</w:body></w:document>"#;

    pub(in super::super) fn docx(document: &[u8]) -> Vec<u8> {
        zip_file(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("docProps/core.xml", CORE_XML.as_bytes()),
            ("docProps/custom.xml", CUSTOM_XML.as_bytes()),
            ("word/document.xml", document),
        ])
    }

    fn slide(text: &str) -> Vec<u8> {
        format!(
            r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
        .into_bytes()
    }

    #[test]
    fn word_core_and_custom_properties_and_body_text() {
        let extracted = extract_file("water.docx", &docx(DOCUMENT_XML.as_bytes()));
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "The water cycle");
        assert_eq!(metadata.creators, ["Priya Nair"]);
        assert_eq!(metadata.description, "Evaporation and rain");
        assert_eq!(metadata.keywords, ["water", "weather", "science"]);
        assert_eq!(metadata.language, "en-IN");
        assert_eq!(metadata.licence, "CC BY-SA 4.0");
        assert_eq!(metadata.date_created, "2024-05-06T07:08:09Z");
        assert_eq!(extracted.text, "Water\t evaporates\nClouds & rain\n");
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn slides_are_read_in_presentation_order() {
        let presentation = br#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>"#;
        let relationships = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide2.xml"/></Relationships>"#;
        let (first, second) = (slide("Igneous rocks"), slide("Sedimentary rocks"));
        let pptx = zip_file(&[
            ("docProps/core.xml", CORE_XML.as_bytes()),
            ("ppt/presentation.xml", presentation),
            ("ppt/_rels/presentation.xml.rels", relationships),
            ("ppt/slides/slide1.xml", &second),
            ("ppt/slides/slide2.xml", &first),
        ]);
        let extracted = extract_file("rocks.pptx", &pptx);
        assert_eq!(extracted.metadata.title, "The water cycle");
        assert_eq!(extracted.metadata.creators, ["Priya Nair"]);
        assert_eq!(extracted.text, "Igneous rocks\nSedimentary rocks\n");

        let (tenth, second) = (slide("Ten"), slide("Two"));
        let numbered = zip_file(&[("ppt/slides/slide10.xml", &tenth), ("ppt/slides/slide2.xml", &second)]);
        assert_eq!(extract_file("numbered.pptx", &numbered).text, "Two\nTen\n");
    }
}
