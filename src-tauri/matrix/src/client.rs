//! The client: one homeserver, optionally one logged-in session, and the request plumbing every
//! endpoint shares — building URLs with percent-encoded segments, attaching the access token,
//! time limits, and turning error responses into [`Error`]s.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::Endpoint;
use crate::{Error, Result, Session};

/// How long an ordinary request may take. Long polls (sync) and media set their own limits.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An async client for one homeserver's client-server API. Cheap to clone: clones share one
/// connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    homeserver: Url,
    session: Option<Arc<Session>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("homeserver", &self.homeserver.as_str())
            .field("user_id", &self.session.as_ref().map(|session| &session.user_id))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the homeserver whose client-server API is at `homeserver` (an `http` or
    /// `https` URL, as found by [`crate::discover`]), not logged in.
    pub fn new(homeserver: &str) -> Result<Self> {
        Ok(Client { http: http_client()?, homeserver: parse_homeserver(homeserver)?, session: None })
    }

    /// A client that continues a session saved earlier.
    pub fn restore(session: Session) -> Result<Self> {
        let homeserver = parse_homeserver(session.homeserver.as_str())?;
        Ok(Client { http: http_client()?, homeserver, session: Some(Arc::new(session)) })
    }

    /// The same homeserver and connection pool, logged in as `session`.
    pub fn with_session(&self, session: Session) -> Client {
        Client {
            http: self.http.clone(),
            homeserver: self.homeserver.clone(),
            session: Some(Arc::new(session)),
        }
    }

    pub fn homeserver(&self) -> &Url {
        &self.homeserver
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_deref()
    }

    pub(crate) fn require_session(&self, endpoint: Endpoint) -> Result<&Session> {
        self.session.as_deref().ok_or(Error::NotLoggedIn { endpoint })
    }

    /// The URL of an API path. Every segment is percent-encoded on its own, so a room id, user id,
    /// event type or transaction id can never change the path's shape (`/`, `?`, `#`, `%`).
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.homeserver.clone();
        // `parse_homeserver` only accepts http(s) URLs, which can always be a base.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// A request with the default time limit and, when `authenticated`, the access token.
    pub(crate) fn request(
        &self,
        method: Method,
        url: Url,
        endpoint: Endpoint,
        authenticated: bool,
    ) -> Result<RequestBuilder> {
        let request = self.http.request(method, url).timeout(REQUEST_TIMEOUT);
        if authenticated {
            let session = self.require_session(endpoint)?;
            Ok(request.bearer_auth(session.access_token.expose()))
        } else {
            Ok(request)
        }
    }

    /// Sends a request and returns the response when its status is a success.
    pub(crate) async fn send(&self, endpoint: Endpoint, request: RequestBuilder) -> Result<Response> {
        let response = request.send().await.map_err(|source| self.transport_error(endpoint, source))?;
        let status = response.status();
        tracing::debug!(endpoint, status = status.as_u16(), "homeserver answered");
        if status.is_success() {
            return Ok(response);
        }
        let retry_after_header = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(|seconds| seconds.saturating_mul(1000));
        // A body that cannot be read still leaves the status to report.
        let body = response.bytes().await.unwrap_or_default();
        Err(classify_error(endpoint, status, &body, retry_after_header))
    }

    /// Sends a request and reads a JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<T> {
        let response = self.send(endpoint, request).await?;
        let body = response.bytes().await.map_err(|source| self.body_error(endpoint, source))?;
        serde_json::from_slice(&body).map_err(|source| Error::InvalidResponse { endpoint, source })
    }

    pub(crate) fn transport_error(&self, endpoint: Endpoint, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::TimedOut { endpoint, homeserver: self.homeserver.clone() }
        } else {
            // reqwest's error names the URL, which holds no secret: tokens travel in a header.
            Error::Unreachable { endpoint, homeserver: self.homeserver.clone(), source }
        }
    }

    pub(crate) fn body_error(&self, endpoint: Endpoint, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::TimedOut { endpoint, homeserver: self.homeserver.clone() }
        } else {
            Error::ResponseBody { endpoint, source }
        }
    }
}

pub(crate) fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("Commonplace/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| Error::ClientSetup { source })
}

pub(crate) fn parse_homeserver(input: &str) -> Result<Url> {
    let url = Url::parse(input.trim())
        .map_err(|_| Error::InvalidHomeserver { input: input.to_owned(), reason: "it is not a URL" })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::InvalidHomeserver { input: input.to_owned(), reason: "it is not an http(s) URL" });
    }
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(Error::InvalidHomeserver { input: input.to_owned(), reason: "it names no host" });
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::InvalidHomeserver {
            input: input.to_owned(),
            reason: "a homeserver address has no query, fragment or credentials",
        });
    }
    Ok(url)
}

/// The standard error body (`{"errcode": …, "error": …}`) and the fields some codes add.
#[derive(Deserialize)]
struct ErrorBody {
    errcode: String,
    #[serde(default)]
    error: String,
    retry_after_ms: Option<u64>,
    #[serde(default)]
    soft_logout: bool,
}

/// Turns an error response into an [`Error`]. The Matrix `errcode` decides the variant; the
/// status only matters when the body is not a Matrix error.
pub(crate) fn classify_error(
    endpoint: Endpoint,
    status: StatusCode,
    body: &[u8],
    retry_after_header_ms: Option<u64>,
) -> Error {
    let status_code = status.as_u16();
    let Ok(body) = serde_json::from_slice::<ErrorBody>(body) else {
        return match status {
            StatusCode::TOO_MANY_REQUESTS => {
                Error::RateLimited { endpoint, retry_after_ms: retry_after_header_ms }
            }
            _ => Error::Http { endpoint, status: status_code },
        };
    };
    let message = body.error;
    match body.errcode.as_str() {
        "M_FORBIDDEN" => Error::Forbidden { endpoint, message },
        "M_UNKNOWN_TOKEN" => Error::UnknownToken { endpoint, soft_logout: body.soft_logout, message },
        "M_LIMIT_EXCEEDED" => {
            Error::RateLimited { endpoint, retry_after_ms: body.retry_after_ms.or(retry_after_header_ms) }
        }
        "M_NOT_FOUND" => Error::NotFound { endpoint, errcode: body.errcode, message },
        _ => Error::Matrix { endpoint, status: status_code, errcode: body.errcode, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    fn client(homeserver: &str) -> Client {
        Client::new(homeserver).unwrap()
    }

    #[test]
    fn path_segments_are_percent_encoded_one_by_one() {
        let client = client("https://matrix.example.org");
        let url = client.url(&["_matrix", "client", "v3", "rooms", "!room/../x?y#z%:example.org", "send"]);
        assert_eq!(
            url.as_str(),
            "https://matrix.example.org/_matrix/client/v3/rooms/!room%2F..%2Fx%3Fy%23z%25:example.org/send"
        );
    }

    #[test]
    fn a_homeserver_below_a_path_keeps_its_path() {
        for base in ["https://example.org/matrix", "https://example.org/matrix/"] {
            let url = client(base).url(&["_matrix", "client", "versions"]);
            assert_eq!(url.as_str(), "https://example.org/matrix/_matrix/client/versions", "{base}");
        }
    }

    #[test]
    fn homeserver_addresses_that_cannot_be_used_are_refused() {
        for input in
            ["example.org", "ftp://example.org", "https://example.org/?a=b", "https://user:pw@example.org"]
        {
            assert!(matches!(Client::new(input), Err(Error::InvalidHomeserver { .. })), "{input}");
        }
    }

    #[test]
    fn matrix_error_codes_choose_the_variant() {
        let check = |status: u16, body: &str, header: Option<u64>, expected: &str| {
            let error =
                classify_error("GET /test", StatusCode::from_u16(status).unwrap(), body.as_bytes(), header);
            assert_eq!(format!("{error:?}"), expected, "{body}");
        };
        check(
            403,
            r#"{"errcode":"M_FORBIDDEN","error":"Invalid password"}"#,
            None,
            r#"Forbidden { endpoint: "GET /test", message: "Invalid password" }"#,
        );
        check(
            401,
            r#"{"errcode":"M_UNKNOWN_TOKEN","error":"Gone","soft_logout":true}"#,
            None,
            r#"UnknownToken { endpoint: "GET /test", soft_logout: true, message: "Gone" }"#,
        );
        check(
            429,
            r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Slow down","retry_after_ms":1500}"#,
            Some(3000),
            r#"RateLimited { endpoint: "GET /test", retry_after_ms: Some(1500) }"#,
        );
        check(
            429,
            "<html>busy</html>",
            Some(2000),
            r#"RateLimited { endpoint: "GET /test", retry_after_ms: Some(2000) }"#,
        );
        check(
            404,
            r#"{"errcode":"M_NOT_FOUND","error":"No such room"}"#,
            None,
            r#"NotFound { endpoint: "GET /test", errcode: "M_NOT_FOUND", message: "No such room" }"#,
        );
        check(
            400,
            r#"{"errcode":"M_BAD_JSON"}"#,
            None,
            r#"Matrix { endpoint: "GET /test", status: 400, errcode: "M_BAD_JSON", message: "" }"#,
        );
        check(502, "Bad Gateway", None, r#"Http { endpoint: "GET /test", status: 502 }"#);
    }

    #[test]
    fn debug_output_never_shows_the_access_token() {
        let session = Session {
            homeserver: Url::parse("https://example.org").unwrap(),
            user_id: "@alice:example.org".to_owned(),
            device_id: "DEVICE".to_owned(),
            access_token: Secret::new("syt_very_secret_token"),
        };
        let client = Client::restore(session.clone()).unwrap();
        for text in [format!("{session:?}"), format!("{client:?}"), format!("{:?}", client.session())] {
            assert!(!text.contains("very_secret"), "{text}");
        }
    }
}
