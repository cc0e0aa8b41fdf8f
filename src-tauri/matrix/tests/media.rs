//! Media against a real Synapse: upload, then an authenticated, streamed download with a limit.

mod common;

use commonplace_matrix::{ContentUri, Error};
use commonplace_testkit::Synapse;

use common::account;

#[tokio::test]
async fn upload_and_authenticated_download_round_trip() {
    let synapse = Synapse::start().expect("start Synapse");
    let alice = account(&synapse, "alice").await;
    let content: Vec<u8> = (0..200_000u32).map(|number| (number * 7 % 251) as u8).collect();

    let uri = alice
        .client
        .upload("application/octet-stream", Some("worksheet 1.bin"), content.clone())
        .await
        .expect("upload");
    assert_eq!(uri.server_name, "localhost");

    let mut downloaded = Vec::new();
    let media = alice.client.download(&uri, &mut downloaded, 1_000_000).await.expect("download");
    assert_eq!(media.size, content.len() as u64);
    assert_eq!(media.content_type.as_deref(), Some("application/octet-stream"));
    assert!(downloaded == content, "the downloaded bytes differ");

    let mut too_small = Vec::new();
    let limited = alice.client.download(&uri, &mut too_small, 1000).await;
    assert!(matches!(limited, Err(Error::MediaTooLarge { limit: 1000, .. })), "{limited:?}");

    let missing = ContentUri::parse("mxc://localhost/NoSuchMedia").unwrap();
    let result = alice.client.download(&missing, &mut Vec::new(), 1000).await;
    assert!(matches!(result, Err(Error::NotFound { .. })), "{result:?}");
}
