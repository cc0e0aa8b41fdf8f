//! EPUB 2 and 3: the package document's Dublin Core metadata (found through
//! `META-INF/container.xml`), and the visible text of the spine's XHTML pages in reading order.
//!
//! Not read: navigation documents, refinements beyond the main title, and fixed-layout or
//! scripted content (pages are parsed, never rendered or run).

use std::collections::HashMap;
use std::path::Path;

use super::archive::{Archive, MAX_ENTRY_BYTES, MAX_METADATA_BYTES};
use super::xml::{self, DC, Element};
use super::{Body, Extracted, Problem, fill, fill_list, html};
use crate::metadata::{Field, Metadata};

const CONTAINER: &str = "urn:oasis:names:tc:opendocument:xmlns:container";
const OPF: &str = "http://www.idpf.org/2007/opf";

/// Books are split into chapters or smaller; more spine items than this is not a book.
const MAX_SPINE_ITEMS: usize = 5_000;

pub(super) fn extract(path: &Path) -> Result<Extracted, Problem> {
    let mut archive = Archive::open(path, "EPUB")?;
    let container_part = "META-INF/container.xml";
    let container = parse(&mut archive, container_part, MAX_METADATA_BYTES)?;
    let package_path = container
        .find(CONTAINER, "rootfile")
        .and_then(|rootfile| rootfile.attribute("", "full-path"))
        .map(str::to_owned)
        .ok_or_else(|| Problem::MissingPart { format: "EPUB", part: "package document".to_owned() })?;
    let package = parse(&mut archive, &package_path, MAX_METADATA_BYTES)?;

    let mut extracted = Extracted::default();
    if let Some(metadata) = opf_children(&package, "metadata").next() {
        read_metadata(metadata, &mut extracted.metadata);
    }
    spine_text(&mut archive, &package, &package_path, &mut extracted);
    Ok(extracted)
}

/// The bytes of the book's cover image, as the package document names it: the manifest item with
/// the `cover-image` property (EPUB 3), or the one `<meta name="cover">` points at (EPUB 2).
/// `None` when the book names no cover or it cannot be read.
pub(crate) fn cover(path: &Path) -> Option<Vec<u8>> {
    let mut archive = Archive::open(path, "EPUB").ok()?;
    let container = parse(&mut archive, "META-INF/container.xml", MAX_METADATA_BYTES).ok()?;
    let package_path = container
        .find(CONTAINER, "rootfile")
        .and_then(|rootfile| rootfile.attribute("", "full-path"))?
        .to_owned();
    let package = parse(&mut archive, &package_path, MAX_METADATA_BYTES).ok()?;
    let manifest = opf_children(&package, "manifest").next()?;
    let items: Vec<&Element> = opf_children(manifest, "item").collect();
    let by_property = items.iter().find(|item| {
        item.attribute("", "properties")
            .is_some_and(|properties| properties.split_whitespace().any(|p| p == "cover-image"))
    });
    let by_meta = || {
        let metadata = opf_children(&package, "metadata").next()?;
        let id = opf_children(metadata, "meta")
            .find(|meta| meta.attribute("", "name") == Some("cover"))
            .and_then(|meta| meta.attribute("", "content"))?;
        items.iter().find(|item| item.attribute("", "id") == Some(id))
    };
    let item = by_property.or_else(by_meta)?;
    let is_image = item.attribute("", "media-type").is_some_and(|kind| kind.starts_with("image/"));
    let href = item.attribute("", "href").filter(|_| is_image)?;
    let base = package_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    archive.read(&resolve(base, href), MAX_ENTRY_BYTES).ok()
}

fn parse(archive: &mut Archive, part: &str, limit: u64) -> Result<Element, Problem> {
    let bytes = archive.read(part, limit)?;
    xml::parse(&xml::decode(&bytes)).map_err(|source| Problem::Xml { part: part.to_owned(), source })
}

fn read_metadata(opf: &Element, metadata: &mut Metadata) {
    let texts = |name: &'static str| opf.children_named(DC, name).map(Element::text).collect::<Vec<_>>();
    fill(metadata, Field::Title, &main_title(opf));
    // Every dc:creator is taken whatever its EPUB 2 `opf:role`: reading systems list them all as
    // the book's authors.
    fill_list(metadata, Field::Creators, texts("creator").iter().map(String::as_str));
    fill_list(metadata, Field::Keywords, texts("subject").iter().map(String::as_str));
    if let Some(description) = texts("description").first() {
        // Calibre and others store the blurb as escaped HTML.
        fill(metadata, Field::Description, &html::fragment_text(description));
    }
    fill(metadata, Field::Language, texts("language").first().map_or("", String::as_str));
    fill(metadata, Field::Licence, &property(opf, "dcterms:license"));
    fill(metadata, Field::Licence, texts("rights").first().map_or("", String::as_str));
    fill(metadata, Field::SourceUrl, texts("source").first().map_or("", String::as_str));
    fill(metadata, Field::DateCreated, texts("date").first().map_or("", String::as_str));
    fill(metadata, Field::DateModified, &property(opf, "dcterms:modified"));
}

/// EPUB 3 may give several titles and say which is the main one with a refinement
/// (`<meta refines="#t1" property="title-type">main</meta>`); otherwise the first is the title.
fn main_title(opf: &Element) -> String {
    let titles = opf.children_named(DC, "title").collect::<Vec<_>>();
    let is_main = |title: &&Element| {
        title.attribute("", "id").is_some_and(|id| {
            opf_children(opf, "meta").any(|meta| {
                meta.attribute("", "refines") == Some(&format!("#{id}"))
                    && meta.attribute("", "property") == Some("title-type")
                    && meta.text().trim() == "main"
            })
        })
    };
    titles.iter().copied().find(is_main).or(titles.first().copied()).map(Element::text).unwrap_or_default()
}

/// An EPUB 3 `<meta property="…">` value, or a `<link rel="…" href="…">` target.
fn property(opf: &Element, name: &str) -> String {
    let meta = opf_children(opf, "meta")
        .find(|meta| meta.attribute("", "property") == Some(name) && meta.attribute("", "refines").is_none())
        .map(Element::text);
    let link = || {
        opf_children(opf, "link")
            .find(|link| {
                link.attribute("", "rel").is_some_and(|rel| rel.split_whitespace().any(|rel| rel == name))
            })
            .and_then(|link| link.attribute("", "href"))
            .map(str::to_owned)
    };
    meta.or_else(link).unwrap_or_default()
}

/// The package's own elements. Their namespace is required, but some tools leave it out, and
/// nothing else in a package document has these names.
fn opf_children<'a>(element: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
    element
        .elements()
        .filter(move |child| child.name == name && (child.namespace == OPF || child.namespace.is_empty()))
}

fn spine_text(archive: &mut Archive, package: &Element, package_path: &str, extracted: &mut Extracted) {
    let (Some(manifest), Some(spine)) =
        (opf_children(package, "manifest").next(), opf_children(package, "spine").next())
    else {
        return;
    };
    let base = package_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let manifest: HashMap<&str, &Element> =
        opf_children(manifest, "item").filter_map(|item| Some((item.attribute("", "id")?, item))).collect();
    let items = opf_children(spine, "itemref").filter_map(|itemref| itemref.attribute("", "idref"));
    let mut body = Body::default();
    for (index, idref) in items.enumerate() {
        if index == MAX_SPINE_ITEMS {
            extracted.warn(Problem::ItemsTruncated { limit: MAX_SPINE_ITEMS, items: "chapters" });
            break;
        }
        let Some(item) = manifest.get(idref) else { continue };
        let is_page = matches!(item.attribute("", "media-type"), Some("application/xhtml+xml" | "text/html"));
        let Some(href) = item.attribute("", "href").filter(|_| is_page) else { continue };
        let part = resolve(base, href);
        match archive.read(&part, MAX_ENTRY_BYTES) {
            Ok(bytes) => {
                body.push(&html::body_text(&xml::decode(&bytes)));
                body.end_line();
            }
            Err(problem) => extracted.warn(problem),
        }
        if body.is_full() {
            break;
        }
    }
    body.finish(extracted);
}

/// The archive path of `href` (a relative URL, percent-encoded, maybe with a fragment) from the
/// package document's folder. `..` cannot climb above the archive's root.
pub(super) fn resolve(base: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or_default();
    let mut segments: Vec<String> =
        base.split('/').filter(|segment| !segment.is_empty()).map(str::to_owned).collect();
    if href.starts_with('/') {
        segments.clear();
    }
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(percent_decode(segment)),
        }
    }
    segments.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::fixtures::{extract_file, zip_file};
    use super::*;

    const CONTAINER_XML: &str = r#"<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

    fn cover_of(package: &str) -> Option<Vec<u8>> {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("book.epub");
        let zip = zip_file(&[
            ("META-INF/container.xml", CONTAINER_XML.as_bytes()),
            ("OEBPS/content.opf", package.as_bytes()),
            ("OEBPS/images/cover.png", b"the cover's bytes"),
        ]);
        std::fs::write(&path, zip).unwrap();
        cover(&path)
    }

    #[test]
    fn the_cover_is_found_by_epub3_property_or_epub2_meta() {
        let epub3 = r#"<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest>
            <item id="c" href="images/cover.png" media-type="image/png" properties="cover-image"/></manifest></package>"#;
        assert_eq!(cover_of(epub3).as_deref(), Some(&b"the cover's bytes"[..]));
        let epub2 = r#"<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata><meta name="cover" content="pic"/></metadata>
            <manifest><item id="pic" href="images/cover.png" media-type="image/png"/></manifest></package>"#;
        assert_eq!(cover_of(epub2).as_deref(), Some(&b"the cover's bytes"[..]));
        let none = r#"<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest>
            <item id="x" href="text.xhtml" media-type="application/xhtml+xml"/></manifest></package>"#;
        assert_eq!(cover_of(none), None);
    }

    const PACKAGE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title id="sub">A short course</dc:title>
    <dc:title id="main">Introduction to Ecology</dc:title>
    <meta refines="#main" property="title-type">main</meta>
    <dc:creator>Mei Lin</dc:creator><dc:creator>Tomás García</dc:creator>
    <dc:language>es</dc:language>
    <dc:subject>ecology</dc:subject><dc:subject>biology</dc:subject>
    <dc:description>&lt;p&gt;Food webs &lt;b&gt;and&lt;/b&gt; habitats.&lt;/p&gt;</dc:description>
    <dc:rights>This work is licensed under CC BY-NC-SA 4.0</dc:rights>
    <dc:date>2022-09-01</dc:date>
    <dc:source>https://example.org/ecology</dc:source>
    <meta property="dcterms:modified">2023-02-03T04:05:06Z</meta>
  </metadata>
  <manifest>
    <item id="c2" href="Text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
    <item id="c1" href="Text/chapter1.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine><itemref idref="c1"/><itemref idref="css"/><itemref idref="c2"/><itemref idref="missing"/></spine>
</package>"##;

    pub(in super::super) fn epub(package: &str) -> Vec<u8> {
        zip_file(&[
            ("mimetype", b"application/epub+zip"),
            (
                "META-INF/container.xml",
                br#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#,
            ),
            ("OEBPS/content.opf", package.as_bytes()),
            ("OEBPS/Text/chapter1.xhtml", b"<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>One</title></head><body><h1>Producers</h1><p>Plants make food.</p></body></html>"),
            ("OEBPS/Text/chapter 2.xhtml", b"<html><body><p>Decomposers recycle nutrients.</p><script>x()</script></body></html>"),
        ])
    }

    #[test]
    fn package_metadata_and_spine_text_are_read_in_reading_order() {
        let extracted = extract_file("ecology.epub", &epub(PACKAGE));
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Introduction to Ecology");
        assert_eq!(metadata.creators, ["Mei Lin", "Tomás García"]);
        assert_eq!(metadata.language, "es");
        assert_eq!(metadata.keywords, ["ecology", "biology"]);
        assert_eq!(metadata.description, "Food webs and habitats.");
        assert_eq!(metadata.licence, "This work is licensed under CC BY-NC-SA 4.0");
        assert_eq!(metadata.date_created, "2022-09-01");
        assert_eq!(metadata.date_modified, "2023-02-03T04:05:06Z");
        assert_eq!(metadata.source_url, "https://example.org/ecology");
        assert_eq!(extracted.text, "Producers\nPlants make food.\nDecomposers recycle nutrients.\n");
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn hrefs_resolve_inside_the_archive() {
        assert_eq!(resolve("OEBPS", "Text/chapter%202.xhtml#p3"), "OEBPS/Text/chapter 2.xhtml");
        assert_eq!(resolve("OEBPS/Text", "../Images/../Text/a.xhtml"), "OEBPS/Text/a.xhtml");
        assert_eq!(resolve("", "../../../etc/passwd"), "etc/passwd");
        assert_eq!(resolve("OEBPS", "%E9t%C3%A9.xhtml"), "OEBPS/\u{FFFD}t\u{e9}.xhtml");
    }
}
