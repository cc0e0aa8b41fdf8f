//! The shell's commands, one module per domain. A command unpacks its arguments, calls one core
//! function and returns; blocking work runs off the async runtime's threads through [`blocking`].
//! Every command is listed in `commonplace_ipc::bindings::COMMANDS`, which the UI's bindings are
//! generated from, and in build.rs, which makes its permission.

pub mod app;
pub mod collections;
pub mod history;
pub mod library;
pub mod licence;
pub mod messaging;

use commonplace_ipc::{ErrorKind, IpcError};
use tauri::Runtime;

pub(crate) fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_get_info,
        app::app_open_link,
        library::library_get_info,
        library::library_import_paths,
        library::library_cancel_import,
        library::library_search_resources,
        library::library_count_resources,
        library::library_list_facets,
        licence::licence_list_known,
        library::library_get_resource,
        library::library_update_metadata,
        library::library_trash_resource,
        library::library_restore_resource,
        library::library_empty_trash,
        collections::library_list_collections,
        collections::library_create_collection,
        collections::library_rename_collection,
        collections::library_move_collection,
        collections::library_delete_collection,
        collections::library_get_collection_entries,
        collections::library_add_to_collection,
        collections::library_remove_from_collection,
        collections::library_move_in_collection,
        collections::library_set_collection_note,
        library::library_open_resource,
        library::library_get_thumbnail,
        library::library_get_preview,
        library::library_list_watched_folders,
        library::library_add_watched_folder,
        library::library_remove_watched_folder,
        history::history_list_revisions,
        history::history_diff_revisions,
        history::history_revision_thumbnail,
        history::history_merge_thumbnail,
        history::history_restore_revision,
        history::history_get_lineage,
        history::history_check_fork,
        history::history_fork_resource,
        history::history_merge_heads,
        history::history_get_merge,
        history::history_resolve_conflict,
        history::history_resolve_field,
        history::history_choose_side,
        history::history_finish_merge,
        history::history_abandon_merge,
        history::history_get_text,
        history::history_save_text,
        history::history_save_draft,
        history::history_discard_draft,
        history::history_render_preview,
        history::history_check_combination,
        history::history_combination_outline,
        history::history_combine_resources,
        history::history_export_bundle,
        history::history_import_bundle,
        messaging::messaging_get_status,
        messaging::messaging_unlock_keys,
        messaging::messaging_add_account,
        messaging::messaging_remove_account,
        messaging::messaging_list_rooms,
        messaging::messaging_list_messages,
        messaging::messaging_open_direct,
        messaging::messaging_join_room,
        messaging::messaging_leave_room,
        messaging::messaging_send_text,
        messaging::messaging_send_file,
        messaging::messaging_save_attachment,
        messaging::messaging_get_image,
        messaging::messaging_share_resource,
        messaging::messaging_save_resource,
        messaging::messaging_list_readers,
        messaging::messaging_acknowledge_device,
        messaging::messaging_load_older,
        messaging::messaging_search_messages,
        messaging::messaging_start_verification,
        messaging::messaging_accept_verification,
        messaging::messaging_confirm_verification,
        messaging::messaging_cancel_verification,
        messaging::messaging_list_verifications,
        messaging::messaging_get_notifications,
        messaging::messaging_set_room_notifications,
        messaging::messaging_set_do_not_disturb,
        messaging::messaging_create_group,
        messaging::messaging_invite_user,
    ]
}

/// Runs blocking core work (SQLite, files) on the blocking pool, so a slow disk never stalls the
/// window or other commands.
pub(crate) async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, IpcError>
where
    T: Send + 'static,
    E: Into<IpcError> + Send + 'static,
{
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(error) => {
            tracing::error!(%error, "a command's work panicked or was cancelled");
            Err(IpcError::new(ErrorKind::Internal, format!("the operation stopped unexpectedly: {error}")))
        }
    }
}
