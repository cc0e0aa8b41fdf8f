//! XMP, the RDF/XML metadata packet that PDFs and images carry: Dublin Core (`dc:title`,
//! `dc:creator`, …), the licence as Creative Commons (`cc:license`) and Adobe's rights schema
//! (`xmpRights:WebStatement`) write it, and the XMP basic dates.
//!
//! Properties may be written as attributes of `rdf:Description` or as child elements, and their
//! values as text, as an `rdf:resource`, or as an `rdf:Alt` (language alternatives, of which the
//! default is taken), `rdf:Seq` or `rdf:Bag` (lists). Structured values are not read. Finding the
//! packet inside a file is the caller's job.

use super::xml::{self, DC, Element, RDF, XML, XmlError};
use super::{fill, fill_keywords, fill_list};
use crate::metadata::{Field, Metadata};

const CC: &str = "http://creativecommons.org/ns#";
const XMP_RIGHTS: &str = "http://ns.adobe.com/xap/1.0/rights/";
const XMP_BASIC: &str = "http://ns.adobe.com/xap/1.0/";
const PDF: &str = "http://ns.adobe.com/pdf/1.3/";

/// Fills what is still empty in `metadata` from the XMP `packet`.
pub(super) fn read(packet: &[u8], metadata: &mut Metadata) -> Result<(), XmlError> {
    let root = xml::parse(&xml::decode(packet))?;
    let properties = properties(&root);
    let values = |namespace: &str, name: &str| -> Vec<&str> {
        properties
            .iter()
            .filter(|property| property.namespace == namespace && property.name == name)
            .flat_map(|property| property.values.iter().map(String::as_str))
            .collect()
    };
    let first = |namespace: &str, name: &str| values(namespace, name).first().copied().unwrap_or_default();

    fill(metadata, Field::Title, first(DC, "title"));
    fill_list(metadata, Field::Creators, values(DC, "creator"));
    fill(metadata, Field::Description, first(DC, "description"));
    fill_list(metadata, Field::Keywords, values(DC, "subject"));
    fill_keywords(metadata, first(PDF, "Keywords"));
    // A licence URL says exactly which licence; the web statement is usually the same deed; the
    // rights statement is free text ("© 2021 …, CC BY 4.0") that normalisation may still read.
    for (namespace, name) in [(CC, "license"), (XMP_RIGHTS, "WebStatement"), (DC, "rights")] {
        fill(metadata, Field::Licence, first(namespace, name));
    }
    fill(metadata, Field::Language, first(DC, "language"));
    fill(metadata, Field::DateCreated, first(XMP_BASIC, "CreateDate"));
    fill(metadata, Field::DateCreated, first(DC, "date"));
    fill(metadata, Field::DateModified, first(XMP_BASIC, "ModifyDate"));
    fill(metadata, Field::SourceUrl, first(DC, "source"));
    Ok(())
}

struct Property {
    namespace: String,
    name: String,
    values: Vec<String>,
}

/// Every simple property of every `rdf:Description`, wherever the packet puts them.
fn properties(root: &Element) -> Vec<Property> {
    let Some(rdf) = root.find(RDF, "RDF") else { return Vec::new() };
    let mut properties = Vec::new();
    for description in rdf.children_named(RDF, "Description") {
        for attribute in &description.attributes {
            if attribute.namespace != RDF && attribute.namespace != XML && !attribute.namespace.is_empty() {
                properties.push(Property {
                    namespace: attribute.namespace.clone(),
                    name: attribute.name.clone(),
                    values: vec![attribute.value.clone()],
                });
            }
        }
        for element in description.elements() {
            properties.push(Property {
                namespace: element.namespace.clone(),
                name: element.name.clone(),
                values: values(element),
            });
        }
    }
    properties
}

fn values(property: &Element) -> Vec<String> {
    if let Some(resource) = property.attribute(RDF, "resource") {
        return vec![resource.to_owned()];
    }
    if let Some(alternatives) = property.child(RDF, "Alt") {
        let items = alternatives.children_named(RDF, "li").collect::<Vec<_>>();
        let chosen = items
            .iter()
            .find(|item| item.attribute(XML, "lang") == Some("x-default"))
            .or_else(|| items.first());
        return chosen.map(|item| vec![item.text()]).unwrap_or_default();
    }
    if let Some(list) = property.child(RDF, "Seq").or_else(|| property.child(RDF, "Bag")) {
        return list.children_named(RDF, "li").map(Element::text).collect();
    }
    if property.elements().next().is_some() {
        // A structure (rdf:parseType="Resource" or a nested description): not a simple value.
        return Vec::new();
    }
    vec![property.text()]
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An XMP packet as Adobe and Creative Commons tools write one, for the PDF and image tests.
    pub(in super::super) const PACKET: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:cc="http://creativecommons.org/ns#"
      xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmpRights:Marked="True"
      xmpRights:WebStatement="https://creativecommons.org/licenses/by-sa/4.0/" xmp:CreateDate="2021-03-04T05:06:07Z">
   <dc:title><rdf:Alt><rdf:li xml:lang="fr">La photosynthèse</rdf:li><rdf:li xml:lang="x-default">Photosynthesis</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Ana Souza</rdf:li><rdf:li>Ben Okafor</rdf:li></rdf:Seq></dc:creator>
   <dc:subject><rdf:Bag><rdf:li>biology</rdf:li><rdf:li>plants</rdf:li></rdf:Bag></dc:subject>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© 2021 Ana Souza</rdf:li></rdf:Alt></dc:rights>
   <dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>
   <cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

    #[test]
    fn dublin_core_and_licence_come_from_either_form_of_property() {
        let mut metadata = Metadata::default();
        read(PACKET.as_bytes(), &mut metadata).unwrap();
        assert_eq!(metadata.title, "Photosynthesis");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.keywords, ["biology", "plants"]);
        assert_eq!(metadata.licence, "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(metadata.language, "en-GB");
        assert_eq!(metadata.date_created, "2021-03-04T05:06:07Z");
    }

    #[test]
    fn the_web_statement_is_the_licence_when_there_is_no_cc_license() {
        let packet = PACKET
            .replace(r#"<cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>"#, "");
        let mut metadata = Metadata::default();
        read(packet.as_bytes(), &mut metadata).unwrap();
        assert_eq!(metadata.licence, "https://creativecommons.org/licenses/by-sa/4.0/");
    }
}
