//! Licences as the catalog stores them: the SPDX identifier of a [`Licence`] (`CC-BY-SA-4.0`), or
//! `public-domain`, `all-rights-reserved` and `unknown`.

use commonplace_licence::Licence;

use crate::error::{Error, Result};

/// Turns a licence as found in a file (an SPDX id, a deed URL, "CC BY-SA 4.0") into the catalog's
/// form. What cannot be recognised is `unknown`: a guess could let someone share what they may not.
pub(crate) fn normalise(raw: &str) -> String {
    let raw = raw.trim();
    Licence::from_url(raw).or_else(|| Licence::parse(raw)).unwrap_or(Licence::Unknown).spdx_id().into_owned()
}

/// Like [`normalise`], for a value a person typed: refused, with the reason, when it names no
/// licence, rather than silently stored as `unknown`.
pub(crate) fn parse_user_value(raw: &str) -> Result<String> {
    let recognised = Licence::from_url(raw.trim()).or_else(|| Licence::parse(raw));
    recognised.map(|licence| licence.spdx_id().into_owned()).ok_or_else(|| Error::InvalidField {
        field: "licence".to_owned(),
        value: raw.to_owned(),
        reason: "it is not a licence Commonplace knows; use an SPDX id such as CC-BY-4.0, or unknown"
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_from_files_become_spdx_ids_or_unknown() {
        assert_eq!(normalise("https://creativecommons.org/licenses/by-sa/4.0/"), "CC-BY-SA-4.0");
        assert_eq!(normalise("CC BY-NC 3.0"), "CC-BY-NC-3.0");
        assert_eq!(normalise("CC0"), "CC0-1.0");
        assert_eq!(normalise(""), "unknown");
        assert_eq!(normalise("do what you like"), "unknown");
    }

    #[test]
    fn a_typed_licence_must_be_recognised() {
        assert_eq!(parse_user_value("cc-by-4.0").unwrap(), "CC-BY-4.0");
        assert_eq!(parse_user_value("unknown").unwrap(), "unknown");
        assert!(parse_user_value("my own licence").unwrap_err().to_string().contains("SPDX"));
    }
}
