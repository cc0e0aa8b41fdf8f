//! OpenDocument text and presentations (ODT, ODP): `meta.xml` (title, author, subject, keywords,
//! description, language, dates, and a licence among the user-defined fields) and the text of
//! `content.xml`'s paragraphs and headings, which in a presentation are the slides' text boxes
//! and notes.
//!
//! Not read: flat XML files (`.fodt`), styles, and the text of tracked deletions and comments.

use std::path::Path;

use super::archive::{Archive, MAX_ENTRY_BYTES, MAX_METADATA_BYTES};
use super::xml::{self, DC, Element, Role};
use super::{Body, Extracted, Problem, fill, fill_list};
use crate::metadata::{Field, Metadata};

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

pub(super) fn extract(path: &Path) -> Result<Extracted, Problem> {
    let mut archive = Archive::open(path, "OpenDocument file")?;
    let mut extracted = Extracted::default();
    match archive.read("meta.xml", MAX_METADATA_BYTES) {
        Ok(bytes) => match xml::parse(&xml::decode(&bytes)) {
            Ok(root) => {
                if let Some(meta) = root.find(OFFICE, "meta") {
                    read_meta(meta, &mut extracted.metadata);
                }
            }
            Err(source) => extracted.warn(Problem::Xml { part: "meta.xml".to_owned(), source }),
        },
        // Documents written by some converters have no meta.xml; that is not a fault.
        Err(Problem::MissingPart { .. }) => {}
        Err(problem) => extracted.warn(problem),
    }
    let mut body = Body::default();
    match archive.read("content.xml", MAX_ENTRY_BYTES) {
        Ok(bytes) => {
            if let Err(source) = xml::collect_text(&xml::decode(&bytes), classify, &mut body) {
                extracted.warn(Problem::Xml { part: "content.xml".to_owned(), source });
            }
        }
        Err(problem) => extracted.warn(problem),
    }
    body.finish(&mut extracted);
    Ok(extracted)
}

/// The preview picture an OpenDocument file carries (`Thumbnails/thumbnail.png`, the first page
/// or slide), to be decoded within the thumbnail limits; `None` when there is none.
pub(crate) fn thumbnail(path: &Path) -> Option<Vec<u8>> {
    let mut archive = Archive::open(path, "OpenDocument file").ok()?;
    archive.read("Thumbnails/thumbnail.png", MAX_METADATA_BYTES).ok()
}

fn read_meta(meta: &Element, metadata: &mut Metadata) {
    let text =
        |namespace: &str, name: &str| meta.child(namespace, name).map(Element::text).unwrap_or_default();
    fill(metadata, Field::Title, &text(DC, "title"));
    // dc:creator is whoever saved the file last; the author is the initial creator.
    fill(metadata, Field::Creators, &text(META, "initial-creator"));
    fill(metadata, Field::Creators, &text(DC, "creator"));
    fill(metadata, Field::Description, &text(DC, "description"));
    fill(metadata, Field::Description, &text(DC, "subject"));
    let keywords = meta.children_named(META, "keyword").map(Element::text).collect::<Vec<_>>();
    fill_list(metadata, Field::Keywords, keywords.iter().map(String::as_str));
    fill(metadata, Field::Language, &text(DC, "language"));
    fill(metadata, Field::DateCreated, &text(META, "creation-date"));
    fill(metadata, Field::DateModified, &text(DC, "date"));
    for field in meta.children_named(META, "user-defined") {
        let name = field.attribute(META, "name").unwrap_or_default().to_lowercase();
        let target = match name.as_str() {
            "license" | "licence" | "rights" | "copyright" | "dc.rights" | "dcterms.license" => {
                Field::Licence
            }
            "source" | "url" | "dc.source" => Field::SourceUrl,
            _ => continue,
        };
        fill(metadata, target, &field.text());
    }
}

fn classify(namespace: &str, name: &str) -> Role {
    if namespace == OFFICE && name == "annotation" {
        return Role::Skip;
    }
    if namespace != TEXT {
        return Role::Other;
    }
    match name {
        "p" | "h" => Role::Paragraph,
        "s" => Role::Insert(" "),
        "tab" => Role::Insert("\t"),
        "line-break" => Role::Insert("\n"),
        "tracked-changes" => Role::Skip,
        _ => Role::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{extract_file, zip_file};

    const META_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <office:meta>
  <dc:title>Volcanoes</dc:title><dc:subject>Plate tectonics</dc:subject>
  <meta:keyword>geology</meta:keyword><meta:keyword>earth</meta:keyword>
  <meta:initial-creator>Kofi Mensah</meta:initial-creator><dc:creator>Someone Else</dc:creator>
  <dc:language>en-GH</dc:language><meta:creation-date>2020-10-11T12:13:14</meta:creation-date>
  <meta:user-defined meta:name="Licence">CC BY 4.0</meta:user-defined>
 </office:meta>
</office:document-meta>"#;

    const CONTENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">
 <office:body><office:text>
  <text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes>
  <text:h text:outline-level="1">Volcanoes</text:h>
  <text:p>Magma<text:s/>rises <text:span>through</text:span> the crust.<office:annotation><text:p>check</text:p></office:annotation></text:p>
  <draw:frame><draw:text-box><text:p>Lava<text:tab/>cools</text:p></draw:text-box></draw:frame>
 </office:text></office:body>
</office:document-content>"#;

    #[test]
    fn meta_and_paragraph_text_are_read() {
        let odt = zip_file(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("meta.xml", META_XML.as_bytes()),
            ("content.xml", CONTENT_XML.as_bytes()),
        ]);
        let extracted = extract_file("volcanoes.odt", &odt);
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Volcanoes");
        assert_eq!(metadata.creators, ["Kofi Mensah"]);
        assert_eq!(metadata.description, "Plate tectonics");
        assert_eq!(metadata.keywords, ["geology", "earth"]);
        assert_eq!(metadata.language, "en-GH");
        assert_eq!(metadata.licence, "CC BY 4.0");
        assert_eq!(metadata.date_created, "2020-10-11T12:13:14");
        assert_eq!(extracted.text, "Volcanoes\nMagma rises through the crust.\nLava\tcools\n");
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn a_presentation_reads_the_same_way() {
        let content = CONTENT_XML.replace("office:text>", "office:presentation>");
        let odp = zip_file(&[("meta.xml", META_XML.as_bytes()), ("content.xml", content.as_bytes())]);
        let extracted = extract_file("volcanoes.odp", &odp);
        assert_eq!(extracted.metadata.title, "Volcanoes");
        assert!(extracted.text.contains("Magma rises"));
    }
}
