//! XML as the packaged formats use it (EPUB packages, Office Open XML, OpenDocument, XMP), read
//! with quick-xml's namespace-aware reader.
//!
//! Safe on hostile input by construction: quick-xml never reads a document type declaration's
//! entity definitions, so only XML's five predefined entities and character references are
//! turned into text here, and any other `&name;` is an error ([`XmlError::Entity`]): no external
//! entity is fetched and no "billion laughs" can grow. The formats read here never need one.
//! Trees are capped in depth and size, and body text is streamed into a bounded [`Body`] without
//! building a tree.
//!
//! Not a general XML library: [`parse`] builds a small element tree for metadata parts, which are
//! small; [`collect_text`] streams the text of body parts, which may be large.

use quick_xml::NsReader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::Body;

pub(super) const DC: &str = "http://purl.org/dc/elements/1.1/";
pub(super) const DCTERMS: &str = "http://purl.org/dc/terms/";
pub(super) const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub(super) const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Deeper than any real metadata part nests; the limit also keeps the recursive drop of a tree
/// from exhausting the stack.
const MAX_DEPTH: usize = 256;

/// Elements in one tree; metadata parts have hundreds.
const MAX_NODES: usize = 200_000;

#[derive(Debug, thiserror::Error)]
pub(super) enum XmlError {
    #[error("{0}")]
    Syntax(#[from] quick_xml::Error),
    #[error("it nests deeper than {MAX_DEPTH} elements")]
    TooDeep,
    #[error("it has more than {MAX_NODES} elements")]
    TooLarge,
    #[error("it has no root element")]
    Empty,
    #[error("it ends before its root element is closed")]
    Unfinished,
    #[error("it uses the entity &{name};, which is never expanded")]
    Entity { name: String },
}

/// Bytes of an XML part as text. UTF-8 is what these formats require, but a UTF-16 part (which
/// starts with a byte order mark) is decoded too, and invalid bytes are replaced, not refused.
pub(super) fn decode(bytes: &[u8]) -> String {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|pair| from([pair[0], pair[1]])).collect::<Vec<_>>();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

#[derive(Debug, Default)]
pub(super) struct Element {
    /// The namespace URI, empty when the name has none.
    pub namespace: String,
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub(super) struct Attribute {
    pub namespace: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug)]
pub(super) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub(super) fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace == namespace && self.name == name
    }

    /// The value of an attribute; `namespace` is empty for the usual unprefixed attributes.
    pub(super) fn attribute(&self, namespace: &str, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|attribute| attribute.namespace == namespace && attribute.name == name)
            .map(|attribute| attribute.value.as_str())
    }

    pub(super) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|child| match child {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    pub(super) fn children_named<'a>(
        &'a self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |element| element.is(namespace, name))
    }

    pub(super) fn child(&self, namespace: &str, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.is(namespace, name))
    }

    /// The first element named so at any depth, this one included, in document order.
    pub(super) fn find(&self, namespace: &str, name: &str) -> Option<&Element> {
        if self.is(namespace, name) {
            return Some(self);
        }
        self.elements().find_map(|element| element.find(namespace, name))
    }

    /// All the text inside, as written (whitespace included). Recursion is bounded by the tree's
    /// [`MAX_DEPTH`].
    pub(super) fn text(&self) -> String {
        let mut text = String::new();
        self.push_text(&mut text);
        text
    }

    fn push_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Text(piece) => out.push_str(piece),
                Node::Element(element) => element.push_text(out),
            }
        }
    }
}

/// Parses a whole (small) XML document into its root element.
pub(super) fn parse(source: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(source);
    // Formats written by office suites are well-formed; a tolerant reading of a damaged part
    // would only guess.
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut nodes = 0usize;
    loop {
        let (namespace, event) = reader.read_resolved_event()?;
        let namespace = namespace_of(namespace);
        match event {
            Event::Start(_) if stack.len() >= MAX_DEPTH => return Err(XmlError::TooDeep),
            Event::Start(start) => {
                let element = element_of(&reader, namespace, &start);
                stack.push(element);
                nodes += 1;
            }
            Event::Empty(start) => {
                let element = element_of(&reader, namespace, &start);
                nodes += 1;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else { return Err(XmlError::Empty) };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => return Ok(element),
                }
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference)?;
                push_text(&mut stack, resolved.encode_utf8(&mut [0; 4]));
            }
            Event::Eof if stack.is_empty() => return Err(XmlError::Empty),
            Event::Eof => return Err(XmlError::Unfinished),
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
        if nodes > MAX_NODES {
            return Err(XmlError::TooLarge);
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(element) = stack.last_mut() {
        match element.children.last_mut() {
            Some(Node::Text(previous)) => previous.push_str(text),
            _ => element.children.push(Node::Text(text.to_owned())),
        }
    }
}

fn namespace_of(resolved: ResolveResult<'_>) -> String {
    match resolved {
        ResolveResult::Bound(namespace) => namespace.into_inner().to_owned(),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => String::new(),
    }
}

fn element_of(reader: &NsReader<&[u8]>, namespace: String, start: &BytesStart<'_>) -> Element {
    let name = start.local_name().into_inner().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes().with_checks(false).flatten() {
        let (attribute_namespace, local) = reader.resolver().resolve_attribute(attribute.key);
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|value| value.into_owned())
            .unwrap_or_else(|_| attribute.value.clone().into_owned());
        attributes.push(Attribute {
            namespace: namespace_of(attribute_namespace),
            name: local.into_inner().to_owned(),
            value,
        });
    }
    Element { namespace, name, attributes, children: Vec::new() }
}

/// XML's five predefined entities and character references; anything else is not expanded.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, XmlError> {
    let resolved = if reference.is_char_ref() {
        reference.resolve_char_ref().ok().flatten()
    } else {
        match reference.as_ref() {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => None,
        }
    };
    resolved.ok_or_else(|| XmlError::Entity { name: reference.as_ref().to_owned() })
}

/// What an element means for the text a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Nothing special: its text is kept only inside a `Text` or `Paragraph`.
    Other,
    /// Text inside is kept (a Word run's `w:t`).
    Text,
    /// Text inside is kept, and it ends a line (an OpenDocument paragraph or heading).
    Paragraph,
    /// Ends a line, but its own text is not kept (a Word paragraph, whose runs hold the text).
    LineEnd,
    /// Stands for this text (a tab, a line break).
    Insert(&'static str),
    /// Nothing inside is kept (deleted text, field codes, formatting properties).
    Skip,
}

/// Streams the text of `source` into `body`, asking `classify(namespace, name)` what each element
/// means. On malformed XML the text read so far stays in `body` and the error is returned.
pub(super) fn collect_text(
    source: &str,
    classify: impl Fn(&str, &str) -> Role,
    body: &mut Body,
) -> Result<(), XmlError> {
    let mut reader = NsReader::from_str(source);
    reader.config_mut().check_end_names = true;
    let mut roles: Vec<Role> = Vec::new();
    let mut keeping = 0usize;
    let mut skipping = 0usize;
    while !body.is_full() {
        let (namespace, event) = reader.read_resolved_event()?;
        let namespace = namespace_of(namespace);
        match event {
            Event::Start(start) => {
                let role = classify(&namespace, start.local_name().into_inner());
                match role {
                    Role::Skip => skipping += 1,
                    Role::Text | Role::Paragraph => keeping += 1,
                    Role::Insert(text) if skipping == 0 => {
                        body.push(text);
                    }
                    _ => {}
                }
                roles.push(role);
            }
            Event::Empty(start) => match classify(&namespace, start.local_name().into_inner()) {
                Role::Insert(text) if skipping == 0 => {
                    body.push(text);
                }
                Role::Paragraph | Role::LineEnd if skipping == 0 => body.end_line(),
                _ => {}
            },
            Event::End(_) => match roles.pop() {
                Some(Role::Skip) => skipping = skipping.saturating_sub(1),
                Some(Role::Text) => keeping = keeping.saturating_sub(1),
                Some(Role::Paragraph) => {
                    keeping = keeping.saturating_sub(1);
                    if skipping == 0 {
                        body.end_line();
                    }
                }
                Some(Role::LineEnd) if skipping == 0 => body.end_line(),
                _ => {}
            },
            Event::Text(text) if keeping > 0 && skipping == 0 => {
                body.push(&text.xml10_content());
            }
            Event::CData(data) if keeping > 0 && skipping == 0 => {
                body.push(&data.xml10_content());
            }
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference)?;
                if keeping > 0 && skipping == 0 {
                    body.push(resolved.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_resolve_whatever_the_prefix() {
        let root = parse(
            r#"<?xml version="1.0"?><meta xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:x="urn:x">
               <d:title x:lang="fr">Les  fractions &amp; les d&#233;cimaux</d:title><d:title/></meta>"#,
        )
        .unwrap();
        let title = root.child(DC, "title").unwrap();
        assert_eq!(title.text(), "Les  fractions & les décimaux");
        assert_eq!(title.attribute("urn:x", "lang"), Some("fr"));
        assert_eq!(root.children_named(DC, "title").count(), 2);
    }

    #[test]
    fn entities_from_a_doctype_are_never_expanded() {
        let laughs = r#"<?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <root><p>a&lol2;b&xxe;c</p></root>"#;
        assert!(matches!(parse(laughs), Err(XmlError::Entity { name }) if name == "lol2"));
        let mut body = Body::default();
        let result = collect_text(
            laughs,
            |_, name| if name == "p" { Role::Paragraph } else { Role::Other },
            &mut body,
        );
        assert!(matches!(result, Err(XmlError::Entity { name }) if name == "lol2"));
        assert_eq!(body.text, "a");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "<a>".repeat(100_000);
        assert!(matches!(parse(&deep), Err(XmlError::TooDeep)));
        // The streaming reader keeps no tree, so depth costs it nothing; it must simply finish.
        let mut body = Body::default();
        let _ = collect_text(&deep, |_, _| Role::Text, &mut body);
        assert!(body.text.is_empty());
    }

    #[test]
    fn text_is_kept_up_to_malformed_markup() {
        let mut body = Body::default();
        let result = collect_text("<r><p>kept</p><p>also</q></r>", |_, _| Role::Paragraph, &mut body);
        assert!(result.is_err());
        assert_eq!(body.text, "kept\nalso");
    }

    #[test]
    fn utf16_and_invalid_utf8_decode() {
        let utf16: Vec<u8> =
            b"\xFF\xFE".iter().copied().chain("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16), "<a>é</a>");
        assert_eq!(decode(b"<a>caf\xE9</a>"), "<a>caf\u{FFFD}</a>");
    }
}
