//! Descriptive metadata of a resource, modelled on Dublin Core and LRMI, and where each field
//! came from: extracted from the file, or set by the user (a user's value is never overwritten by a
//! later extraction).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The metadata fields a teacher sees and edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    Title,
    Description,
    Creators,
    Licence,
    Language,
    Keywords,
    EducationalLevel,
    ResourceType,
    SourceUrl,
    DateCreated,
    DateModified,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Title,
        Field::Description,
        Field::Creators,
        Field::Licence,
        Field::Language,
        Field::Keywords,
        Field::EducationalLevel,
        Field::ResourceType,
        Field::SourceUrl,
        Field::DateCreated,
        Field::DateModified,
    ];

    /// The name used on the command line and on the wire (`educationalLevel`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Creators => "creators",
            Field::Licence => "licence",
            Field::Language => "language",
            Field::Keywords => "keywords",
            Field::EducationalLevel => "educationalLevel",
            Field::ResourceType => "resourceType",
            Field::SourceUrl => "sourceUrl",
            Field::DateCreated => "dateCreated",
            Field::DateModified => "dateModified",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        let wanted = name.replace(['-', '_'], "").to_ascii_lowercase();
        Field::ALL.into_iter().find(|field| {
            field.name().to_ascii_lowercase() == wanted || (wanted == "license" && *field == Field::Licence)
        })
    }
}

/// Where a field's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldSource {
    Extracted,
    User,
}

/// A resource's metadata. Empty strings and lists mean "not known".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub title: String,
    pub description: String,
    pub creators: Vec<String>,
    /// An SPDX identifier (`CC-BY-SA-4.0`), or `public-domain`, `all-rights-reserved`, `unknown`.
    pub licence: String,
    /// A BCP 47 language tag (`en`, `pt-BR`).
    pub language: String,
    pub keywords: Vec<String>,
    pub educational_level: String,
    pub resource_type: String,
    pub source_url: String,
    pub date_created: String,
    pub date_modified: String,
    /// Fields whose value did not come from extraction.
    pub sources: BTreeMap<Field, FieldSource>,
}

pub const UNKNOWN_LICENCE: &str = "unknown";

impl Metadata {
    /// The field's value as text; lists are joined with `; `.
    pub fn get(&self, field: Field) -> String {
        match field {
            Field::Title => self.title.clone(),
            Field::Description => self.description.clone(),
            Field::Creators => self.creators.join("; "),
            Field::Licence => self.licence.clone(),
            Field::Language => self.language.clone(),
            Field::Keywords => self.keywords.join("; "),
            Field::EducationalLevel => self.educational_level.clone(),
            Field::ResourceType => self.resource_type.clone(),
            Field::SourceUrl => self.source_url.clone(),
            Field::DateCreated => self.date_created.clone(),
            Field::DateModified => self.date_modified.clone(),
        }
    }

    /// Sets a field from text (lists split on `;`), without changing where it came from.
    pub(crate) fn put(&mut self, field: Field, value: &str) {
        let value = clean(value);
        let list = || value.split(';').map(clean).filter(|item| !item.is_empty()).collect::<Vec<_>>();
        match field {
            Field::Title => self.title = value,
            Field::Description => self.description = value,
            Field::Creators => self.creators = list(),
            Field::Licence => self.licence = value,
            Field::Language => self.language = value,
            Field::Keywords => self.keywords = list(),
            Field::EducationalLevel => self.educational_level = value,
            Field::ResourceType => self.resource_type = value,
            Field::SourceUrl => self.source_url = value,
            Field::DateCreated => self.date_created = value,
            Field::DateModified => self.date_modified = value,
        }
    }
}

impl Metadata {
    /// Takes the values read from new content for every field the user has not set, where the
    /// new content has one; the user's own values always stay.
    pub(crate) fn refresh_from(&mut self, extracted: &Metadata) {
        for field in Field::ALL {
            let value = extracted.get(field);
            if self.sources.get(&field) != Some(&FieldSource::User) && !value.is_empty() {
                self.put(field, &value);
                self.sources.insert(field, FieldSource::Extracted);
            }
        }
    }
}

/// Trims and collapses runs of whitespace, and drops control characters (including the
/// right-to-left override), which have no place in a title and can disguise a file name.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control() || is_bidi_control(c)) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace_and_removes_direction_overrides() {
        assert_eq!(clean("  Fractions\n\t worksheet "), "Fractions worksheet");
        assert_eq!(clean("invoice\u{202E}fdp.exe"), "invoice fdp.exe");
    }

    #[test]
    fn refreshing_from_new_content_keeps_what_the_user_set() {
        let mut metadata =
            Metadata { title: "My title".into(), language: "en".into(), ..Metadata::default() };
        metadata.sources.insert(Field::Title, FieldSource::User);
        let extracted =
            Metadata { title: "From the file".into(), language: "fr".into(), ..Metadata::default() };
        metadata.refresh_from(&extracted);
        assert_eq!(metadata.title, "My title");
        assert_eq!(metadata.language, "fr");
        assert_eq!(metadata.sources[&Field::Language], FieldSource::Extracted);
    }

    #[test]
    fn field_names_round_trip_and_accept_common_spellings() {
        for field in Field::ALL {
            assert_eq!(Field::from_name(field.name()), Some(field));
        }
        assert_eq!(Field::from_name("educational-level"), Some(Field::EducationalLevel));
        assert_eq!(Field::from_name("license"), Some(Field::Licence));
        assert_eq!(Field::from_name("colour"), None);
    }
}
