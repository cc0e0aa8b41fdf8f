//! The serialised forms: a licence is its id string; an attribution is a camelCase object.

use commonplace_licence::{Attribution, Error, Licence};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as ValueError, StrDeserializer};

use crate::common::{every_licence, id};

fn deserialize(text: &str) -> Result<Licence, ValueError> {
    let deserializer: StrDeserializer<'_, ValueError> = text.into_deserializer();
    Licence::deserialize(deserializer)
}

#[test]
fn every_licence_serialises_as_its_id() {
    insta::assert_json_snapshot!(every_licence());
}

#[test]
fn every_licence_reads_back() {
    for licence in every_licence() {
        assert_eq!(deserialize(&licence.spdx_id()), Ok(licence));
    }
}

#[test]
fn ids_read_back_whatever_their_case() {
    assert_eq!(deserialize("cc-by-sa-4.0"), Ok(id("CC-BY-SA-4.0")));
    assert_eq!(deserialize("PUBLIC-DOMAIN"), Ok(Licence::PublicDomain));
    assert_eq!(deserialize("gfdl-1.3-OR-LATER"), Ok(id("GFDL-1.3-or-later")));
}

#[test]
fn free_text_is_not_an_id() {
    for text in ["CC BY 4.0", "", " CC-BY-4.0", "CC-BY-4", "CC-BY-2.1", "CC-BY-3.0-DE", "LicenseRef-mine"] {
        let error = deserialize(text).unwrap_err();
        assert!(error.to_string().contains("is not a licence id Commonplace knows"), "{text}: {error}");
    }
    assert_eq!(Licence::from_spdx_id("CC BY 4.0"), Err(Error::UnrecognisedId { id: "CC BY 4.0".to_owned() }));
}

#[test]
fn an_attribution_serialises_with_every_field() {
    let attribution = Attribution {
        title: Some("Fractions worksheet".to_owned()),
        authors: vec!["Ana Souza".to_owned(), "Ben Lee".to_owned()],
        source_url: Some("https://example.org/fractions".to_owned()),
        licence: id("CC-BY-SA-4.0"),
        changes_made: true,
    };
    insta::assert_json_snapshot!(attribution);
    insta::assert_json_snapshot!("empty_attribution", Attribution::default());
}
