//! Media: upload to the content repository and authenticated download (`/_matrix/client/v1/media`,
//! the default on current homeservers). Downloads stream to a writer and stop at a size limit, so
//! a large or hostile file never has to fit in memory. Encrypted attachments are encrypted and
//! decrypted by the caller; here they are opaque bytes.

use std::fmt;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde::Deserialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::{Client, Error, Result};

/// Uploads and downloads may be large and connections slow.
const MEDIA_TIMEOUT: Duration = Duration::from_secs(600);

/// An `mxc://server/media-id` content URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentUri {
    pub server_name: String,
    pub media_id: String,
}

impl ContentUri {
    pub fn parse(uri: &str) -> Result<Self> {
        let invalid = || Error::InvalidContentUri { uri: uri.to_owned() };
        let rest = uri.strip_prefix("mxc://").ok_or_else(invalid)?;
        let (server_name, media_id) = rest.split_once('/').ok_or_else(invalid)?;
        // The spec's media ids are [A-Za-z0-9_-]; anything else in either part is refused.
        let valid_media_id = !media_id.is_empty()
            && media_id
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "_-".contains(character));
        let valid_server = !server_name.is_empty()
            && server_name
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || ".-:[]".contains(character));
        if !valid_media_id || !valid_server {
            return Err(invalid());
        }
        Ok(ContentUri { server_name: server_name.to_owned(), media_id: media_id.to_owned() })
    }
}

impl fmt::Display for ContentUri {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "mxc://{}/{}", self.server_name, self.media_id)
    }
}

/// What a download delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadedMedia {
    pub content_type: Option<String>,
    pub size: u64,
}

impl Client {
    /// `POST /_matrix/media/v3/upload`. Returns the content URI.
    pub async fn upload(
        &self,
        content_type: &str,
        file_name: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> Result<ContentUri> {
        const ENDPOINT: &str = "POST /_matrix/media/v3/upload";
        #[derive(Deserialize)]
        struct Uploaded {
            content_uri: String,
        }
        let mut url = self.url(&["_matrix", "media", "v3", "upload"]);
        if let Some(file_name) = file_name {
            url.query_pairs_mut().append_pair("filename", file_name);
        }
        let request = self
            .request(Method::POST, url, ENDPOINT, true)?
            .timeout(MEDIA_TIMEOUT)
            .header(CONTENT_TYPE, content_type)
            .body(body);
        let uploaded: Uploaded = self.send_json(ENDPOINT, request).await?;
        ContentUri::parse(&uploaded.content_uri)
    }

    /// `GET /_matrix/client/v1/media/download/{serverName}/{mediaId}`, streamed into `writer`.
    /// Fails with [`Error::MediaTooLarge`] as soon as the content (announced or received) passes
    /// `limit` bytes; what was written by then is the caller's to discard.
    pub async fn download<W: AsyncWrite + Unpin>(
        &self,
        uri: &ContentUri,
        writer: &mut W,
        limit: u64,
    ) -> Result<DownloadedMedia> {
        const ENDPOINT: &str = "GET /_matrix/client/v1/media/download/{serverName}/{mediaId}";
        let url =
            self.url(&["_matrix", "client", "v1", "media", "download", &uri.server_name, &uri.media_id]);
        let request = self.request(Method::GET, url, ENDPOINT, true)?.timeout(MEDIA_TIMEOUT);
        let mut response = self.send(ENDPOINT, request).await?;
        let announced = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit) {
            return Err(Error::MediaTooLarge { endpoint: ENDPOINT, limit });
        }
        let content_type =
            response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
        let mut size: u64 = 0;
        while let Some(chunk) = response.chunk().await.map_err(|source| self.body_error(ENDPOINT, source))? {
            size = size.saturating_add(chunk.len() as u64);
            if size > limit {
                return Err(Error::MediaTooLarge { endpoint: ENDPOINT, limit });
            }
            writer
                .write_all(&chunk)
                .await
                .map_err(|source| Error::WriteMedia { endpoint: ENDPOINT, source })?;
        }
        writer.flush().await.map_err(|source| Error::WriteMedia { endpoint: ENDPOINT, source })?;
        Ok(DownloadedMedia { content_type, size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_uris_parse_and_print_back() {
        let uri = ContentUri::parse("mxc://localhost:8448/AbC_12-x").unwrap();
        assert_eq!(uri.server_name, "localhost:8448");
        assert_eq!(uri.media_id, "AbC_12-x");
        assert_eq!(uri.to_string(), "mxc://localhost:8448/AbC_12-x");
    }

    #[test]
    fn content_uris_that_could_escape_their_path_are_refused() {
        for uri in [
            "https://x/y",
            "mxc://",
            "mxc://server",
            "mxc://server/",
            "mxc://server/../../x",
            "mxc://a/b/c",
            "mxc://s%2F/x",
        ] {
            assert!(matches!(ContentUri::parse(uri), Err(Error::InvalidContentUri { .. })), "{uri}");
        }
    }
}
