//! Where the library and messaging meet: sharing a resource into a conversation, saving one
//! received there, and previewing a received image with the library's bounded decoder. Each step is a core call — the library prepares or imports the bundle, the
//! messenger sends or downloads it — and this module only hands the file from one to the other,
//! so the commands stay one call each.

use std::sync::Arc;

use commonplace_ipc::{
    ErrorKind, IpcError, MessageRequest, SaveResourceRequest, SendResult, ShareResourceRequest,
};
use commonplace_library::{BundleImport, Library, Origin};
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
    let label = message.sender.clone();
    blocking(move || {
        let imported = library.import_bundle_from(&path, Origin::Conversation, &label);
        drop(folder);
        imported
    })
    .await
}

/// The largest image downloaded for an inline preview.
const IMAGE_PREVIEW_LIMIT: u64 = 20 * 1024 * 1024;

/// A received image as a PNG `data:` URL (which the CSP allows), re-encoded by the library's
/// bounded decoder so the window never decodes what someone sent; `None` for a message that is
/// not an image.
pub async fn image_preview(
    messenger: Arc<Messenger>,
    request: MessageRequest,
) -> Result<Option<String>, IpcError> {
    let message = messenger.message(&request.user_id, &request.event_id).await?;
    if message.msgtype.as_deref() != Some("m.image") {
        return Ok(None);
    }
    let (_, bytes) = messenger.attachment(&request.user_id, &request.event_id, IMAGE_PREVIEW_LIMIT).await?;
    let png = blocking(move || {
        commonplace_library::preview_image(&bytes).map_err(|reason| {
            IpcError::new(
                ErrorKind::InvalidInput,
                format!("the image in this message cannot be shown: {reason}"),
            )
        })
    })
    .await?;
    use base64::Engine;
    Ok(Some(format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))))
}
