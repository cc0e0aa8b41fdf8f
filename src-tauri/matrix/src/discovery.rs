//! Server discovery: from what a person types — `example.org`, `@alice:example.org` or an address
//! like `https://matrix.example.org` — to the client-server API's base URL, the way the spec's
//! "Well-known URIs" section describes: read `/.well-known/matrix/client` on the server name, use
//! its `m.homeserver.base_url` (or the server itself when there is none), and check the result
//! answers `/_matrix/client/versions`.

use reqwest::Method;
use serde_json::Value;
use url::Url;

use crate::client::parse_homeserver;
use crate::{Client, Error, Result, Versions};

/// Where a server's client-server API is, and what it speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// The base URL to give [`Client::new`].
    pub homeserver: Url,
    /// Whether a `.well-known/matrix/client` document pointed there.
    pub from_well_known: bool,
    pub versions: Versions,
}

/// Finds the homeserver for a server name, a user id or an address.
pub async fn discover(server: &str) -> Result<Discovery> {
    let origin = server_origin(server)?;
    let (homeserver, from_well_known) = match well_known_base_url(server, &origin).await? {
        Some(base_url) => (base_url, true),
        None => (origin, false),
    };
    let versions = Client::new(homeserver.as_str())?.versions().await?;
    Ok(Discovery { homeserver, from_well_known, versions })
}

/// The URL that a server name, user id or address stands for: `https://` unless an address says
/// otherwise.
pub(crate) fn server_origin(server: &str) -> Result<Url> {
    let input = server.trim();
    if input.contains("://") {
        return parse_homeserver(input);
    }
    // A user id's server name is everything after the first colon: it may carry a port.
    let server_name = match input.strip_prefix('@') {
        Some(user_id) => user_id.split_once(':').map(|(_, server_name)| server_name).unwrap_or_default(),
        None => input,
    };
    if server_name.is_empty() || server_name.contains(['/', '?', '#', '@']) {
        return Err(Error::InvalidHomeserver { input: server.to_owned(), reason: "it names no server" });
    }
    parse_homeserver(&format!("https://{server_name}"))
}

/// The base URL from the server's discovery document; `None` when it has none (a 404).
async fn well_known_base_url(server: &str, origin: &Url) -> Result<Option<Url>> {
    const ENDPOINT: &str = "GET /.well-known/matrix/client";
    let invalid =
        |reason: &str| Error::InvalidWellKnown { server: server.to_owned(), reason: reason.to_owned() };
    let mut root = origin.clone();
    root.set_path("/");
    let client = Client::new(root.as_str())?;
    let url = client.url(&[".well-known", "matrix", "client"]);
    let document: Value =
        match client.send_json(ENDPOINT, client.request(Method::GET, url, ENDPOINT, false)?).await {
            Ok(document) => document,
            Err(Error::NotFound { .. } | Error::Http { status: 404, .. }) => return Ok(None),
            Err(Error::InvalidResponse { .. }) => return Err(invalid("it is not JSON")),
            Err(error) => return Err(error),
        };
    let Some(base_url) = document.pointer("/m.homeserver/base_url").and_then(Value::as_str) else {
        return Err(invalid("it has no m.homeserver.base_url"));
    };
    let base_url = base_url.trim_end_matches('/');
    parse_homeserver(base_url).map(Some).map_err(|_| invalid(&format!("{base_url:?} is not an http(s) URL")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_person_types_becomes_an_origin() {
        let check = |input: &str, expected: &str| {
            assert_eq!(server_origin(input).unwrap().as_str(), expected, "{input}");
        };
        check("example.org", "https://example.org/");
        check(" example.org:8448 ", "https://example.org:8448/");
        check("@alice:example.org", "https://example.org/");
        check("@alice:example.org:8448", "https://example.org:8448/");
        check("http://127.0.0.1:8008", "http://127.0.0.1:8008/");
        check("https://matrix.example.org/base", "https://matrix.example.org/base");
    }

    #[test]
    fn inputs_without_a_server_are_refused() {
        for input in ["", "@alice", "example.org/path", "ftp://example.org"] {
            assert!(matches!(server_origin(input), Err(Error::InvalidHomeserver { .. })), "{input:?}");
        }
    }
}
