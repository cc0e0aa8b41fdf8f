//! Where the library and messaging meet: sharing a resource into a conversation, and saving one
//! received there. Each step is a core call — the library prepares or imports the bundle, the
//! messenger sends or downloads it — and this module only hands the file from one to the other,
//! so the commands stay one call each.

use std::sync::Arc;

use commonplace_ipc::{IpcError, SaveResourceRequest, SendResult, ShareResourceRequest};
use commonplace_library::{BundleImport, Library};
use commonplace_matrix::Messenger;

use crate::commands::blocking;

/// Sends the resource's bundle, with its card, as an (encrypted) file message.
pub async fn share(
    library: Arc<Library>,
    messenger: Arc<Messenger>,
    request: ShareResourceRequest,
) -> Result<SendResult, IpcError> {
    let id = request.resource_id.clone();
    let ready = blocking(move || library.prepare_share(&id, request.confirmed)).await?;
    let outcome = messenger
        .send_file(&request.user_id, &request.room_id, &ready.path(), ready.card.content_fields())
        .await?;
    Ok(outcome.into())
}

/// Downloads the bundle a message carries into the library's staging area and imports it,
/// labelled with who shared it, so a version that waits to be merged says where it came from.
pub async fn save(
    library: Arc<Library>,
    messenger: Arc<Messenger>,
    request: SaveResourceRequest,
) -> Result<BundleImport, IpcError> {
    let message = messenger.message(&request.user_id, &request.event_id).await?;
    let staging_library = Arc::clone(&library);
    let folder = blocking(move || staging_library.staging_folder()).await?;
    let path = folder.path().join("shared.commonplace");
    messenger.download(&request.user_id, &request.event_id, &path).await?;
    let label = format!("shared by {}", message.sender);
    blocking(move || {
        let imported = library.import_bundle_labelled(&path, &label);
        drop(folder);
        imported
    })
    .await
}
