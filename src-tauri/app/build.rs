//! Build script of the desktop shell: tauri-build reads tauri.conf.json beside the root manifest and
//! the capabilities in src-tauri/app/capabilities, and makes a permission per app command.

/// The shell's commands; `tests/security.rs` checks this list against the IPC contract.
const COMMANDS: &[&str] = &[
    "app_get_info",
    "app_open_link",
    "library_get_info",
    "library_import_paths",
    "library_cancel_import",
    "library_search_resources",
    "library_count_resources",
    "library_list_facets",
    "licence_list_known",
    "messaging_get_status",
    "messaging_unlock_keys",
    "messaging_add_account",
    "messaging_remove_account",
    "messaging_list_rooms",
    "messaging_list_messages",
    "messaging_open_direct",
    "messaging_join_room",
    "messaging_leave_room",
    "messaging_send_text",
    "messaging_send_file",
    "messaging_save_attachment",
    "messaging_get_image",
    "messaging_share_resource",
    "messaging_save_resource",
    "messaging_list_readers",
    "messaging_acknowledge_device",
    "messaging_load_older",
    "messaging_search_messages",
    "messaging_start_verification",
    "messaging_accept_verification",
    "messaging_confirm_verification",
    "messaging_cancel_verification",
    "messaging_list_verifications",
    "messaging_get_notifications",
    "messaging_set_room_notifications",
    "messaging_set_do_not_disturb",
    "messaging_create_group",
    "messaging_invite_user",
    "library_get_resource",
    "library_update_metadata",
    "library_trash_resource",
    "library_restore_resource",
    "library_empty_trash",
    "library_list_collections",
    "library_create_collection",
    "library_rename_collection",
    "library_move_collection",
    "library_delete_collection",
    "library_get_collection_entries",
    "library_add_to_collection",
    "library_remove_from_collection",
    "library_move_in_collection",
    "library_set_collection_note",
    "library_open_resource",
    "library_get_thumbnail",
    "library_get_preview",
    "library_list_watched_folders",
    "library_add_watched_folder",
    "library_remove_watched_folder",
    "history_list_revisions",
    "history_diff_revisions",
    "history_revision_thumbnail",
    "history_merge_thumbnail",
    "history_restore_revision",
    "history_get_lineage",
    "history_check_fork",
    "history_fork_resource",
    "history_merge_heads",
    "history_get_merge",
    "history_resolve_conflict",
    "history_resolve_field",
    "history_choose_side",
    "history_finish_merge",
    "history_abandon_merge",
    "history_get_text",
    "history_save_text",
    "history_save_draft",
    "history_discard_draft",
    "history_render_preview",
    "history_check_combination",
    "history_combination_outline",
    "history_combine_resources",
    "history_export_bundle",
    "history_import_bundle",
];

fn main() {
    println!("cargo:rerun-if-changed=icons");
    // tauri-build watches only its default capabilities folder.
    println!("cargo:rerun-if-changed=src-tauri/app/capabilities");
    // Lets the shell's tests check this list against the IPC contract.
    println!("cargo:rustc-env=COMMONPLACE_COMMANDS={}", COMMANDS.join(","));
    println!("cargo:rerun-if-changed=ui/dist");
    let attributes = tauri_build::Attributes::new()
        // Keeps the package root to the design card's layout; the shell owns its capabilities.
        .capabilities_path_pattern("src-tauri/app/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed to prepare the app");
}
