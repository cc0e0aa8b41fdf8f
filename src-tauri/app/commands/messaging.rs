//! Commands over messaging: the accounts of this device, their conversations and messages. Each
//! unpacks its request and calls one method of the [`commonplace_matrix::Messenger`], which keeps
//! the accounts open and synced in the background.

use commonplace_ipc::{
    AccountInfo, AccountRequest, AcknowledgeDeviceRequest, AddAccountRequest, CancelVerificationRequest,
    CreateGroupRequest, InviteRequest, IpcError, KeyringState, ListMessagesRequest, MessageInfo,
    MessageRequest, MessagingStatus, NotificationSettingsInfo, OpenDirectRequest, RoomInfo, RoomReader,
    RoomRequest, SaveAttachmentRequest, SaveResourceRequest, SearchMessagesRequest, SendFileRequest,
    SendResult, SendTextRequest, SetDoNotDisturbRequest, SetRoomNotificationsRequest, ShareResourceRequest,
    StartVerificationRequest, UnlockMessagingRequest, VerificationInfo, VerificationRequest,
};
use commonplace_library::BundleImport;
use tauri::State;

use super::blocking;
use crate::state::{LibraryState, MessagingState, Remembering};

/// Whether the keys are unlocked, and every account with its connection (opening and syncing the
/// accounts once they are).
#[tauri::command]
pub async fn messaging_get_status(messaging: State<'_, MessagingState>) -> Result<MessagingStatus, IpcError> {
    messaging.unlock_from_vault();
    let messenger = messaging.get()?;
    let accounts = messenger.accounts().await?;
    Ok(MessagingStatus {
        lock: messenger.lock_state().into(),
        keyring: match messaging.remembering() {
            Remembering::Unavailable => KeyringState::Unavailable,
            Remembering::Available => KeyringState::Available,
            Remembering::Remembered => KeyringState::Remembered,
        },
        accounts: accounts.into_iter().map(AccountInfo::from).collect(),
    })
}

/// Unlocks the keys with the passphrase (choosing it the first time). The key derivation is slow
/// on purpose, so it runs on the blocking pool.
#[tauri::command]
pub async fn messaging_unlock_keys(
    messaging: State<'_, MessagingState>,
    request: UnlockMessagingRequest,
) -> Result<MessagingStatus, IpcError> {
    // Deriving the key is slow on purpose, and the keyring is a D-Bus call: off the async threads.
    let state = MessagingState::clone(&messaging);
    blocking(move || state.unlock(&request.passphrase, request.remember)).await?;
    messaging_get_status(messaging).await
}

#[tauri::command]
pub async fn messaging_add_account(
    messaging: State<'_, MessagingState>,
    request: AddAccountRequest,
) -> Result<AccountInfo, IpcError> {
    let messenger = messaging.get()?;
    Ok(messenger.add_account(&request.homeserver, &request.user, &request.password).await?.into())
}

/// Signs out and removes the account here; a homeserver that does not confirm is logged, since
/// the account is removed from this device either way.
#[tauri::command]
pub async fn messaging_remove_account(
    messaging: State<'_, MessagingState>,
    request: AccountRequest,
) -> Result<(), IpcError> {
    let messenger = messaging.get()?;
    if let Some(error) = messenger.remove_account(&request.user_id).await? {
        tracing::warn!(%error, "the homeserver did not confirm the sign-out; removed here anyway");
    }
    Ok(())
}

#[tauri::command]
pub async fn messaging_list_rooms(
    messaging: State<'_, MessagingState>,
    request: AccountRequest,
) -> Result<Vec<RoomInfo>, IpcError> {
    let rooms = messaging.get()?.rooms(&request.user_id).await?;
    Ok(rooms.into_iter().map(RoomInfo::from).collect())
}

#[tauri::command]
pub async fn messaging_list_messages(
    messaging: State<'_, MessagingState>,
    request: ListMessagesRequest,
) -> Result<Vec<MessageInfo>, IpcError> {
    let events = messaging.get()?.messages(&request.user_id, &request.room_id, request.limit).await?;
    Ok(events.into_iter().map(MessageInfo::from).collect())
}

#[tauri::command]
pub async fn messaging_open_direct(
    messaging: State<'_, MessagingState>,
    request: OpenDirectRequest,
) -> Result<RoomInfo, IpcError> {
    Ok(messaging.get()?.open_direct(&request.user_id, &request.with).await?.into())
}

#[tauri::command]
pub async fn messaging_create_group(
    messaging: State<'_, MessagingState>,
    request: CreateGroupRequest,
) -> Result<RoomInfo, IpcError> {
    Ok(messaging.get()?.create_group(&request.user_id, &request.name, &request.invite).await?.into())
}

#[tauri::command]
pub async fn messaging_invite_user(
    messaging: State<'_, MessagingState>,
    request: InviteRequest,
) -> Result<(), IpcError> {
    Ok(messaging.get()?.invite(&request.user_id, &request.room_id, &request.invitee).await?)
}

#[tauri::command]
pub async fn messaging_join_room(
    messaging: State<'_, MessagingState>,
    request: RoomRequest,
) -> Result<RoomInfo, IpcError> {
    Ok(messaging.get()?.accept_invite(&request.user_id, &request.room_id).await?.into())
}

#[tauri::command]
pub async fn messaging_leave_room(
    messaging: State<'_, MessagingState>,
    request: RoomRequest,
) -> Result<(), IpcError> {
    Ok(messaging.get()?.leave(&request.user_id, &request.room_id).await?)
}

#[tauri::command]
pub async fn messaging_send_text(
    messaging: State<'_, MessagingState>,
    request: SendTextRequest,
) -> Result<SendResult, IpcError> {
    Ok(messaging.get()?.send_text(&request.user_id, &request.room_id, &request.text).await?.into())
}

/// Shares a resource of the library, with its history, into a conversation.
#[tauri::command]
pub async fn messaging_share_resource(
    library: State<'_, LibraryState>,
    messaging: State<'_, MessagingState>,
    request: ShareResourceRequest,
) -> Result<SendResult, IpcError> {
    crate::sharing::share(library.get()?, messaging.get()?, request).await
}

/// Saves the resource a message carries into the library.
#[tauri::command]
pub async fn messaging_save_resource(
    library: State<'_, LibraryState>,
    messaging: State<'_, MessagingState>,
    request: SaveResourceRequest,
) -> Result<BundleImport, IpcError> {
    crate::sharing::save(library.get()?, messaging.get()?, request).await
}

/// Who can read what is sent in a conversation now: its members and their devices.
#[tauri::command]
pub async fn messaging_list_readers(
    messaging: State<'_, MessagingState>,
    request: RoomRequest,
) -> Result<Vec<RoomReader>, IpcError> {
    let readers = messaging.get()?.readers(&request.user_id, &request.room_id).await?;
    Ok(readers.into_iter().map(RoomReader::from).collect())
}

#[tauri::command]
pub async fn messaging_acknowledge_device(
    messaging: State<'_, MessagingState>,
    request: AcknowledgeDeviceRequest,
) -> Result<(), IpcError> {
    Ok(messaging.get()?.acknowledge_device(&request.user_id, &request.owner, &request.device_id).await?)
}

/// Fetches older messages of a conversation from its homeserver; answers how many arrived.
#[tauri::command]
pub async fn messaging_load_older(
    messaging: State<'_, MessagingState>,
    request: RoomRequest,
) -> Result<u32, IpcError> {
    let loaded = messaging.get()?.load_older(&request.user_id, &request.room_id, OLDER_PAGE).await?;
    Ok(u32::try_from(loaded).unwrap_or(u32::MAX))
}

/// How many older messages one "load older" asks for.
const OLDER_PAGE: u32 = 50;

#[tauri::command]
pub async fn messaging_search_messages(
    messaging: State<'_, MessagingState>,
    request: SearchMessagesRequest,
) -> Result<Vec<MessageInfo>, IpcError> {
    let found = messaging.get()?.search(&request.user_id, &request.query, request.limit).await?;
    Ok(found.into_iter().map(MessageInfo::from).collect())
}

/// The account's notification levels and do-not-disturb.
#[tauri::command]
pub fn messaging_get_notifications(
    messaging: State<'_, MessagingState>,
    request: AccountRequest,
) -> Result<NotificationSettingsInfo, IpcError> {
    let settings = messaging.get()?.notification_settings();
    Ok(commonplace_matrix::ipc::notification_settings_of(&settings, &request.user_id))
}

#[tauri::command]
pub fn messaging_set_room_notifications(
    messaging: State<'_, MessagingState>,
    request: SetRoomNotificationsRequest,
) -> Result<(), IpcError> {
    let level = request.level.into();
    Ok(messaging
        .get()?
        .change_notifications(|settings| settings.set_level(&request.user_id, &request.room_id, level))?)
}

#[tauri::command]
pub fn messaging_set_do_not_disturb(
    messaging: State<'_, MessagingState>,
    request: SetDoNotDisturbRequest,
) -> Result<(), IpcError> {
    Ok(messaging.get()?.change_notifications(|settings| settings.do_not_disturb = request.enabled)?)
}

/// Sends a file the person picked, encrypted in an encrypted conversation.
#[tauri::command]
pub async fn messaging_send_file(
    messaging: State<'_, MessagingState>,
    request: SendFileRequest,
) -> Result<SendResult, IpcError> {
    let path = std::path::PathBuf::from(&request.path);
    let outcome =
        messaging.get()?.send_file(&request.user_id, &request.room_id, &path, serde_json::Map::new()).await?;
    Ok(outcome.into())
}

/// Saves a message's attachment, decrypted, where the person chose.
#[tauri::command]
pub async fn messaging_save_attachment(
    messaging: State<'_, MessagingState>,
    request: SaveAttachmentRequest,
) -> Result<(), IpcError> {
    let destination = std::path::PathBuf::from(&request.destination);
    messaging.get()?.download(&request.user_id, &request.event_id, &destination).await?;
    Ok(())
}

/// An image message as a bounded PNG `data:` URL to show inline; `None` when it is no image this
/// can read.
#[tauri::command]
pub async fn messaging_get_image(
    messaging: State<'_, MessagingState>,
    request: MessageRequest,
) -> Result<Option<String>, IpcError> {
    crate::sharing::image_preview(messaging.get()?, request).await
}

/// Starts comparing emoji with a device of someone (or one's own other device).
#[tauri::command]
pub async fn messaging_start_verification(
    messaging: State<'_, MessagingState>,
    request: StartVerificationRequest,
) -> Result<VerificationInfo, IpcError> {
    let messenger = messaging.get()?;
    let transaction_id =
        messenger.start_verification(&request.user_id, &request.owner, Some(&request.device_id)).await?;
    verification_info(&messenger, &request.user_id, &transaction_id).await
}

#[tauri::command]
pub async fn messaging_accept_verification(
    messaging: State<'_, MessagingState>,
    request: VerificationRequest,
) -> Result<VerificationInfo, IpcError> {
    let messenger = messaging.get()?;
    messenger.accept_verification(&request.user_id, &request.transaction_id).await?;
    verification_info(&messenger, &request.user_id, &request.transaction_id).await
}

/// The person says the emoji match.
#[tauri::command]
pub async fn messaging_confirm_verification(
    messaging: State<'_, MessagingState>,
    request: VerificationRequest,
) -> Result<VerificationInfo, IpcError> {
    let messenger = messaging.get()?;
    messenger.confirm_verification(&request.user_id, &request.transaction_id).await?;
    verification_info(&messenger, &request.user_id, &request.transaction_id).await
}

#[tauri::command]
pub async fn messaging_cancel_verification(
    messaging: State<'_, MessagingState>,
    request: CancelVerificationRequest,
) -> Result<VerificationInfo, IpcError> {
    use commonplace_messaging::CancelCode;
    let messenger = messaging.get()?;
    let code = if request.mismatch { CancelCode::MismatchedSas } else { CancelCode::User };
    messenger.cancel_verification(&request.user_id, &request.transaction_id, code).await?;
    verification_info(&messenger, &request.user_id, &request.transaction_id).await
}

/// The account's verifications since the app started, incoming ones included.
#[tauri::command]
pub async fn messaging_list_verifications(
    messaging: State<'_, MessagingState>,
    request: AccountRequest,
) -> Result<Vec<VerificationInfo>, IpcError> {
    let verifications = messaging.get()?.verifications(&request.user_id).await?;
    Ok(verifications.into_iter().map(VerificationInfo::from).collect())
}

async fn verification_info(
    messenger: &commonplace_matrix::Messenger,
    user_id: &str,
    transaction_id: &str,
) -> Result<VerificationInfo, IpcError> {
    let verification = messenger.verification(user_id, transaction_id).await?.ok_or_else(|| {
        IpcError::new(
            commonplace_ipc::ErrorKind::NotFound,
            format!("there is no verification {transaction_id}"),
        )
    })?;
    Ok(verification.into())
}
