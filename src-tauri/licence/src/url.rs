//! Recognising creativecommons.org deed and legal code URLs. Only the host and path are read; the
//! URL is never fetched.

use crate::licence::{Elements, Licence, Version};

/// Longer input is not a licence URL.
const MAX_URL_LEN: usize = 2048;

/// See [`Licence::from_url`].
pub(crate) fn from_url(url: &str) -> Option<Licence> {
    let url = url.trim();
    if url.is_empty() || url.len() > MAX_URL_LEN || url.contains(char::is_whitespace) {
        return None;
    }
    let without_scheme = ["https://", "http://", "//"]
        .iter()
        .find_map(|scheme| strip_prefix_ignoring_case(url, scheme))
        .unwrap_or(url);
    let without_query = without_scheme.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = without_query.split_once('/').unwrap_or((without_query, ""));
    // Anything else, including "creativecommons.org@elsewhere.example" or a port, is another site
    // or an unusual enough URL not to trust.
    if !host.eq_ignore_ascii_case("creativecommons.org")
        && !host.eq_ignore_ascii_case("www.creativecommons.org")
    {
        return None;
    }
    let path = path.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    match segments.as_slice() {
        ["licenses", "publicdomain", page @ ..] if is_page(page) => Some(Licence::PublicDomain),
        ["licenses", elements, version, rest @ ..] => creative_commons(elements, version, rest),
        ["publicdomain", "zero", "1.0", page @ ..] if is_page(page) => Some(Licence::Cc0),
        ["publicdomain", "mark", "1.0", page @ ..] if is_page(page) => Some(Licence::PublicDomain),
        _ => None,
    }
}

/// `/licenses/<elements>/<version>/[<jurisdiction>/][<page>]`.
fn creative_commons(elements: &str, version: &str, rest: &[&str]) -> Option<Licence> {
    let elements = match elements {
        "by" => Elements::By,
        "by-sa" => Elements::BySa,
        "by-nc" => Elements::ByNc,
        "by-nc-sa" => Elements::ByNcSa,
        "by-nd" => Elements::ByNd,
        // Version 1.0 wrote the element codes in this order, and creativecommons.org still answers to
        // both orders for the later versions.
        "by-nc-nd" | "by-nd-nc" => Elements::ByNcNd,
        _ => return None,
    };
    // Only the dotted form: the site has no `/licenses/by/4/`.
    let version = Version::ALL.into_iter().find(|known| known.as_str() == version)?;
    let page = match rest {
        // A port to a jurisdiction (`/3.0/de/`, `/2.5/scotland/`) is read as the unported licence of
        // that version; see `Licence::CreativeCommons`. Version 4.0 has no ports.
        [jurisdiction, page @ ..] if version < Version::V4_0 && is_jurisdiction(jurisdiction) => page,
        page => page,
    };
    is_page(page).then_some(Licence::CreativeCommons { elements, version })
}

/// What may follow a licence's path: nothing, the deed (`deed`, `deed.fr`, `deed.zh-hant`), the
/// legal code (`legalcode`, `legalcode.de`, `legalcode.txt`) or its RDF.
fn is_page(rest: &[&str]) -> bool {
    fn is_language_tag(tag: &str) -> bool {
        !tag.is_empty()
            && tag.len() <= 16
            && tag.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    }
    match rest {
        [] => true,
        [page] => {
            let (name, suffix) =
                page.split_once('.').map_or((*page, None), |(name, suffix)| (name, Some(suffix)));
            matches!(name, "deed" | "legalcode" | "rdf") && suffix.is_none_or(is_language_tag)
        }
        _ => false,
    }
}

/// A port's path segment: a country or region code such as `de`, `igo` or `scotland`.
fn is_jurisdiction(segment: &str) -> bool {
    (2..=10).contains(&segment.len())
        && segment.bytes().all(|byte| byte.is_ascii_lowercase())
        && !matches!(segment, "deed" | "legalcode" | "rdf")
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| text.get(prefix.len()..)).flatten()
}
