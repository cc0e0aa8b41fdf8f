//! The TypeScript bindings of the IPC contract, rendered into one file for the UI.

use ts_rs::{Config, TS};

use commonplace_history::{
    BinaryMerge, Conflict, ContentMerge, DiffHunk, DiffLine, FieldConflict, FieldResolution, LineEnding,
    LineRange, Merge, MetadataMerge, Region, Resolution, Segment, Side, TextDiff, TextFormat,
};
use commonplace_library::{
    Arrival, AttributionLine, BundleExport, BundleImport, BundleImportItem, BundleOutcome, Collection,
    CollectionEntry, CombinationCheck, Draft, EditableText, EditorMode, FacetValue, Facets, Field,
    FieldChoice, FieldDifference, FieldSource, ForkCheck, ForkVerdict, ImageSize, ImportItem, ImportOutcome,
    ImportProgress, ImportReport, LicenceChoice, LicenceTerms, Lineage, LineageSource, MergeCandidate,
    MergeOutcome, MergeRelation, MergeState, Metadata, NoTextDiff, NotShareableCode, Preview,
    RelatedResource, ResourceDetails, RevisionDiff, RevisionSummary, SaveOutcome, ScanReport, SearchHit,
    SearchQuery, Section, SnippetPart, SortOrder, SourceOutline, WatchMode, WatchedFolder,
};

use crate::{
    AccountInfo, AccountRequest, AcknowledgeDeviceRequest, AddAccountRequest, CancelVerificationRequest,
    Connection, CreateGroupRequest, InviteRequest, KeyringState, ListMessagesRequest, MessageInfo,
    MessageKind, MessageRequest, MessagingChanged, MessagingLock, MessagingStatus, NotificationLevel,
    NotificationSettingsInfo, OpenDirectRequest, ReaderDevice, ResourceCard, RoomInfo, RoomMembership,
    RoomNotificationLevel, RoomReader, RoomRequest, SasEmoji, SaveAttachmentRequest, SaveResourceRequest,
    SearchMessagesRequest, SendFileRequest, SendResult, SendStatus, SendTextRequest, SetDoNotDisturbRequest,
    SetRoomNotificationsRequest, ShareResourceRequest, StartVerificationRequest, UnlockMessagingRequest,
    VerificationInfo, VerificationRequest, VerificationStep,
};
use crate::{
    AddToCollectionRequest, AppInfo, ChangeCause, ChooseSideRequest, CollectionItemRequest,
    CollectionNoteRequest, CollectionRequest, CombineRequest, CreateCollectionRequest, DiffRevisionsRequest,
    EmptyTrashResponse, ErrorKind, ExportBundleRequest, FieldChange, ForkRequest, ImportBundleRequest,
    ImportPathsRequest, IpcError, LibraryChanged, LibraryInfo, LicenceInfo, MergeRequest,
    MoveCollectionRequest, MoveInCollectionRequest, OpenLinkRequest, OpenResourceResponse,
    RenameCollectionRequest, RenderPreviewRequest, ResolveConflictRequest, ResolveFieldRequest,
    ResourceRequest, ResourcesRequest, RevisionRequest, SaveDraftRequest, SaveTextRequest,
    UpdateMetadataRequest, WatchedFolderRequest,
};

type Render = fn(&Config) -> String;

/// A type that crosses IPC: its declaration and its doc comment.
pub struct TypeSpec {
    pub declaration: Render,
    pub docs: fn() -> Option<String>,
}

const fn type_spec<T: TS>() -> TypeSpec {
    TypeSpec { declaration: T::decl, docs: T::docs }
}

/// Every type the UI can see, in the order the file declares them.
pub const TYPES: &[TypeSpec] = &[
    type_spec::<ErrorKind>(),
    type_spec::<IpcError>(),
    type_spec::<AppInfo>(),
    type_spec::<OpenLinkRequest>(),
    type_spec::<LibraryInfo>(),
    type_spec::<Field>(),
    type_spec::<FieldSource>(),
    type_spec::<Metadata>(),
    type_spec::<ImageSize>(),
    type_spec::<ResourceDetails>(),
    type_spec::<ResourceRequest>(),
    type_spec::<FieldChange>(),
    type_spec::<UpdateMetadataRequest>(),
    type_spec::<ImportPathsRequest>(),
    type_spec::<ImportProgress>(),
    type_spec::<ImportOutcome>(),
    type_spec::<ImportItem>(),
    type_spec::<ImportReport>(),
    type_spec::<SortOrder>(),
    type_spec::<SearchQuery>(),
    type_spec::<SnippetPart>(),
    type_spec::<SearchHit>(),
    type_spec::<EmptyTrashResponse>(),
    type_spec::<Collection>(),
    type_spec::<CollectionEntry>(),
    type_spec::<CreateCollectionRequest>(),
    type_spec::<CollectionRequest>(),
    type_spec::<RenameCollectionRequest>(),
    type_spec::<MoveCollectionRequest>(),
    type_spec::<AddToCollectionRequest>(),
    type_spec::<CollectionItemRequest>(),
    type_spec::<MoveInCollectionRequest>(),
    type_spec::<CollectionNoteRequest>(),
    type_spec::<WatchMode>(),
    type_spec::<WatchedFolder>(),
    type_spec::<WatchedFolderRequest>(),
    type_spec::<ScanReport>(),
    type_spec::<OpenResourceResponse>(),
    type_spec::<FacetValue>(),
    type_spec::<Facets>(),
    type_spec::<LicenceInfo>(),
    type_spec::<ChangeCause>(),
    type_spec::<LibraryChanged>(),
    type_spec::<Preview>(),
    // History: revisions and diffs.
    type_spec::<RevisionSummary>(),
    type_spec::<FieldDifference>(),
    type_spec::<LineRange>(),
    type_spec::<Segment>(),
    type_spec::<DiffLine>(),
    type_spec::<DiffHunk>(),
    type_spec::<TextDiff>(),
    type_spec::<NoTextDiff>(),
    type_spec::<RevisionDiff>(),
    type_spec::<DiffRevisionsRequest>(),
    type_spec::<RevisionRequest>(),
    // Copies and lineage.
    type_spec::<ForkVerdict>(),
    type_spec::<NotShareableCode>(),
    type_spec::<LicenceChoice>(),
    type_spec::<AttributionLine>(),
    type_spec::<ForkCheck>(),
    type_spec::<ForkRequest>(),
    type_spec::<LineageSource>(),
    type_spec::<RelatedResource>(),
    type_spec::<MergeRelation>(),
    type_spec::<MergeCandidate>(),
    type_spec::<LicenceTerms>(),
    type_spec::<Arrival>(),
    type_spec::<Lineage>(),
    // Merges.
    type_spec::<LineEnding>(),
    type_spec::<TextFormat>(),
    type_spec::<Resolution>(),
    type_spec::<Conflict>(),
    type_spec::<Region>(),
    type_spec::<Merge>(),
    type_spec::<Side>(),
    type_spec::<BinaryMerge>(),
    type_spec::<ContentMerge>(),
    type_spec::<FieldResolution>(),
    type_spec::<FieldConflict>(),
    type_spec::<MetadataMerge>(),
    type_spec::<MergeState>(),
    type_spec::<MergeOutcome>(),
    type_spec::<SaveOutcome>(),
    type_spec::<FieldChoice>(),
    type_spec::<MergeRequest>(),
    type_spec::<ResolveConflictRequest>(),
    type_spec::<ResolveFieldRequest>(),
    type_spec::<ChooseSideRequest>(),
    // The editor.
    type_spec::<EditorMode>(),
    type_spec::<Draft>(),
    type_spec::<EditableText>(),
    type_spec::<SaveTextRequest>(),
    type_spec::<SaveDraftRequest>(),
    type_spec::<RenderPreviewRequest>(),
    // Combining and bundles.
    type_spec::<ResourcesRequest>(),
    type_spec::<Section>(),
    type_spec::<SourceOutline>(),
    type_spec::<CombinationCheck>(),
    type_spec::<CombineRequest>(),
    type_spec::<BundleExport>(),
    type_spec::<BundleOutcome>(),
    type_spec::<BundleImportItem>(),
    type_spec::<BundleImport>(),
    type_spec::<ExportBundleRequest>(),
    type_spec::<ImportBundleRequest>(),
    type_spec::<MessagingLock>(),
    type_spec::<Connection>(),
    type_spec::<AccountInfo>(),
    type_spec::<KeyringState>(),
    type_spec::<MessagingStatus>(),
    type_spec::<UnlockMessagingRequest>(),
    type_spec::<AddAccountRequest>(),
    type_spec::<AccountRequest>(),
    type_spec::<RoomRequest>(),
    type_spec::<ListMessagesRequest>(),
    type_spec::<OpenDirectRequest>(),
    type_spec::<CreateGroupRequest>(),
    type_spec::<InviteRequest>(),
    type_spec::<SendTextRequest>(),
    type_spec::<SendFileRequest>(),
    type_spec::<MessageRequest>(),
    type_spec::<SaveAttachmentRequest>(),
    type_spec::<SendStatus>(),
    type_spec::<SendResult>(),
    type_spec::<RoomMembership>(),
    type_spec::<RoomInfo>(),
    type_spec::<MessageKind>(),
    type_spec::<ReaderDevice>(),
    type_spec::<RoomReader>(),
    type_spec::<AcknowledgeDeviceRequest>(),
    type_spec::<SearchMessagesRequest>(),
    type_spec::<NotificationLevel>(),
    type_spec::<RoomNotificationLevel>(),
    type_spec::<NotificationSettingsInfo>(),
    type_spec::<SetRoomNotificationsRequest>(),
    type_spec::<SetDoNotDisturbRequest>(),
    type_spec::<ShareResourceRequest>(),
    type_spec::<SaveResourceRequest>(),
    type_spec::<ResourceCard>(),
    type_spec::<MessageInfo>(),
    type_spec::<VerificationStep>(),
    type_spec::<SasEmoji>(),
    type_spec::<VerificationInfo>(),
    type_spec::<StartVerificationRequest>(),
    type_spec::<VerificationRequest>(),
    type_spec::<CancelVerificationRequest>(),
    type_spec::<MessagingChanged>(),
];

/// The event the shell emits when the library changed outside the view looking at it (an import
/// finished, a watched folder was scanned, a working copy came back); its payload is a
/// [`LibraryChanged`].
pub const LIBRARY_CHANGED: &str = "library-changed";

/// An account's conversations or connection changed (a sync brought news, or the homeserver went
/// away or came back).
pub const MESSAGING_CHANGED: &str = "messaging-changed";

/// Every event the shell emits, with the TypeScript name of its payload.
pub const EVENTS: &[(&str, Render)] =
    &[(LIBRARY_CHANGED, LibraryChanged::name), (MESSAGING_CHANGED, MessagingChanged::name)];

/// A command of the shell: its name as registered with tauri, the TypeScript names of its
/// `request` argument and of the messages of its `onProgress` channel (if it takes them), and of
/// its response.
pub struct CommandSpec {
    pub name: &'static str,
    pub request: Option<Render>,
    pub progress: Option<Render>,
    pub response: Render,
}

const fn command(name: &'static str, request: Option<Render>, response: Render) -> CommandSpec {
    CommandSpec { name, request, progress: None, response }
}

/// Every command the shell registers. The shell's tests check that this list, the registered
/// handlers and the capability's permissions agree.
pub const COMMANDS: &[CommandSpec] = &[
    command("app_get_info", None, AppInfo::name),
    command("app_open_link", Some(OpenLinkRequest::name), <()>::name),
    command("library_get_info", None, LibraryInfo::name),
    CommandSpec {
        name: "library_import_paths",
        request: Some(ImportPathsRequest::name),
        progress: Some(ImportProgress::name),
        response: ImportReport::name,
    },
    command("library_cancel_import", None, <()>::name),
    command("library_search_resources", Some(SearchQuery::name), <Vec<SearchHit>>::name),
    command("library_count_resources", Some(SearchQuery::name), <u64>::name),
    command("library_list_facets", None, Facets::name),
    command("licence_list_known", None, <Vec<LicenceInfo>>::name),
    command("library_get_resource", Some(ResourceRequest::name), ResourceDetails::name),
    command("library_update_metadata", Some(UpdateMetadataRequest::name), ResourceDetails::name),
    command("library_trash_resource", Some(ResourceRequest::name), <()>::name),
    command("library_restore_resource", Some(ResourceRequest::name), <()>::name),
    command("library_empty_trash", None, EmptyTrashResponse::name),
    command("library_list_collections", None, <Vec<Collection>>::name),
    command("library_create_collection", Some(CreateCollectionRequest::name), Collection::name),
    command("library_rename_collection", Some(RenameCollectionRequest::name), Collection::name),
    command("library_move_collection", Some(MoveCollectionRequest::name), Collection::name),
    command("library_delete_collection", Some(CollectionRequest::name), <()>::name),
    command("library_get_collection_entries", Some(CollectionRequest::name), <Vec<CollectionEntry>>::name),
    command("library_add_to_collection", Some(AddToCollectionRequest::name), Collection::name),
    command("library_remove_from_collection", Some(CollectionItemRequest::name), <()>::name),
    command("library_move_in_collection", Some(MoveInCollectionRequest::name), <()>::name),
    command("library_set_collection_note", Some(CollectionNoteRequest::name), <()>::name),
    command("library_open_resource", Some(ResourceRequest::name), OpenResourceResponse::name),
    command("library_get_preview", Some(ResourceRequest::name), Preview::name),
    command("library_get_thumbnail", Some(ResourceRequest::name), <Option<String>>::name),
    command("library_list_watched_folders", None, <Vec<WatchedFolder>>::name),
    command("library_add_watched_folder", Some(WatchedFolderRequest::name), <Vec<WatchedFolder>>::name),
    command("library_remove_watched_folder", Some(WatchedFolderRequest::name), <Vec<WatchedFolder>>::name),
    command("history_list_revisions", Some(ResourceRequest::name), <Vec<RevisionSummary>>::name),
    command("history_diff_revisions", Some(DiffRevisionsRequest::name), RevisionDiff::name),
    command("history_restore_revision", Some(RevisionRequest::name), ResourceDetails::name),
    command("history_get_lineage", Some(ResourceRequest::name), Lineage::name),
    command("history_check_fork", Some(ResourceRequest::name), ForkCheck::name),
    command("history_fork_resource", Some(ForkRequest::name), ResourceDetails::name),
    command("history_merge_heads", Some(MergeRequest::name), MergeOutcome::name),
    command("history_get_merge", Some(ResourceRequest::name), <Option<MergeState>>::name),
    command("history_resolve_conflict", Some(ResolveConflictRequest::name), MergeState::name),
    command("history_resolve_field", Some(ResolveFieldRequest::name), MergeState::name),
    command("history_choose_side", Some(ChooseSideRequest::name), MergeState::name),
    command("history_finish_merge", Some(ResourceRequest::name), ResourceDetails::name),
    command("history_abandon_merge", Some(ResourceRequest::name), <()>::name),
    command("history_revision_thumbnail", Some(RevisionRequest::name), <Option<String>>::name),
    command("history_merge_thumbnail", Some(ChooseSideRequest::name), <Option<String>>::name),
    command("history_get_text", Some(ResourceRequest::name), EditableText::name),
    command("history_save_text", Some(SaveTextRequest::name), SaveOutcome::name),
    command("history_save_draft", Some(SaveDraftRequest::name), <()>::name),
    command("history_discard_draft", Some(ResourceRequest::name), <()>::name),
    command("history_render_preview", Some(RenderPreviewRequest::name), <String>::name),
    command("history_check_combination", Some(ResourcesRequest::name), CombinationCheck::name),
    command("history_combination_outline", Some(ResourcesRequest::name), <Vec<SourceOutline>>::name),
    command("history_combine_resources", Some(CombineRequest::name), ResourceDetails::name),
    command("history_export_bundle", Some(ExportBundleRequest::name), BundleExport::name),
    command("history_import_bundle", Some(ImportBundleRequest::name), BundleImport::name),
    command("messaging_get_status", None, MessagingStatus::name),
    command("messaging_unlock_keys", Some(UnlockMessagingRequest::name), MessagingStatus::name),
    command("messaging_add_account", Some(AddAccountRequest::name), AccountInfo::name),
    command("messaging_remove_account", Some(AccountRequest::name), <()>::name),
    command("messaging_list_rooms", Some(AccountRequest::name), <Vec<RoomInfo>>::name),
    command("messaging_list_messages", Some(ListMessagesRequest::name), <Vec<MessageInfo>>::name),
    command("messaging_open_direct", Some(OpenDirectRequest::name), RoomInfo::name),
    command("messaging_create_group", Some(CreateGroupRequest::name), RoomInfo::name),
    command("messaging_invite_user", Some(InviteRequest::name), <()>::name),
    command("messaging_join_room", Some(RoomRequest::name), RoomInfo::name),
    command("messaging_leave_room", Some(RoomRequest::name), <()>::name),
    command("messaging_send_text", Some(SendTextRequest::name), SendResult::name),
    command("messaging_send_file", Some(SendFileRequest::name), SendResult::name),
    command("messaging_save_attachment", Some(SaveAttachmentRequest::name), <()>::name),
    command("messaging_get_image", Some(MessageRequest::name), <Option<String>>::name),
    command("messaging_share_resource", Some(ShareResourceRequest::name), SendResult::name),
    command("messaging_save_resource", Some(SaveResourceRequest::name), BundleImport::name),
    command("messaging_list_readers", Some(RoomRequest::name), <Vec<RoomReader>>::name),
    command("messaging_acknowledge_device", Some(AcknowledgeDeviceRequest::name), <()>::name),
    command("messaging_load_older", Some(RoomRequest::name), u32::name),
    command("messaging_get_notifications", Some(AccountRequest::name), NotificationSettingsInfo::name),
    command("messaging_set_room_notifications", Some(SetRoomNotificationsRequest::name), <()>::name),
    command("messaging_set_do_not_disturb", Some(SetDoNotDisturbRequest::name), <()>::name),
    command("messaging_start_verification", Some(StartVerificationRequest::name), VerificationInfo::name),
    command("messaging_accept_verification", Some(VerificationRequest::name), VerificationInfo::name),
    command("messaging_confirm_verification", Some(VerificationRequest::name), VerificationInfo::name),
    command("messaging_cancel_verification", Some(CancelVerificationRequest::name), VerificationInfo::name),
    command("messaging_list_verifications", Some(AccountRequest::name), <Vec<VerificationInfo>>::name),
    command("messaging_search_messages", Some(SearchMessagesRequest::name), <Vec<MessageInfo>>::name),
];

/// Where the rendered file lives, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/generated/ipc.ts";

/// Renders the whole bindings file.
pub fn render() -> String {
    // Counts and sizes stay far below 2^53, so JavaScript numbers hold them exactly.
    let config = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated by `cargo test -p commonplace-ipc` from the Rust types in src-tauri/ipc.\n\
         // Do not edit: change the Rust types and run `UPDATE_BINDINGS=1 cargo test -p commonplace-ipc`.\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n",
    );
    for spec in TYPES {
        out.push('\n');
        if let Some(docs) = (spec.docs)() {
            out.push_str(&docs);
        }
        out.push_str("export ");
        out.push_str(&(spec.declaration)(&config));
        out.push('\n');
    }
    out.push_str("\n/** Every command the shell exposes: its arguments and its response. */\nexport type Commands = {\n");
    for command in COMMANDS {
        let mut fields = Vec::new();
        if let Some(request) = command.request {
            fields.push(format!("request: {}", request(&config)));
        }
        if let Some(progress) = command.progress {
            fields.push(format!("onProgress: Channel<{}>", progress(&config)));
        }
        let args = if fields.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; response: {} }};\n",
            command.name,
            (command.response)(&config)
        ));
    }
    out.push_str("};\n");
    out.push_str("\n/** Every event the shell emits, with its payload. */\nexport type Events = {\n");
    for (name, payload) in EVENTS {
        out.push_str(&format!("  \"{name}\": {};\n", payload(&config)));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn committed_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(BINDINGS_PATH)
    }

    #[test]
    fn committed_bindings_match_the_rust_types() {
        let rendered = render();
        let path = committed_path();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &rendered).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == rendered,
            "{} is out of date with the Rust types; run `UPDATE_BINDINGS=1 cargo test -p commonplace-ipc` \
             and commit the result.\n--- rendered ---\n{rendered}",
            path.display()
        );
    }

    #[test]
    fn command_names_are_unique_and_follow_domain_verb_object() {
        let mut names: Vec<_> = COMMANDS.iter().map(|command| command.name).collect();
        for name in &names {
            assert!(
                name.split('_').count() >= 3 && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name} is not domain_verb_object"
            );
        }
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "duplicate command names");
    }
}
