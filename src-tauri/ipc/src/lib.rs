//! The IPC contract between the desktop shell and its web UI, and the JSON the CLI prints.
//!
//! Every type that crosses IPC lives here, derives `serde` and `ts_rs::TS`, and is listed in
//! [`bindings::TYPES`]; every command is listed with its argument and response types in
//! [`bindings::COMMANDS`]. A test renders both into `ui/src/generated/ipc.ts` and fails when the
//! committed file has drifted, so the UI cannot call a command with the wrong shape.
//!
//! The one error type that crosses IPC is [`IpcError`], serialised as `{ kind, message }` with a
//! small closed set of [`ErrorKind`]s the UI switches on.
//!
//! This crate converts from the core crates' domain types; it holds no logic of its own and does
//! not depend on tauri.

pub mod bindings;
mod error;
mod history;
mod messaging;
mod types;

pub use error::{ErrorKind, IpcError};
pub use history::{
    ChooseSideRequest, CombineRequest, DiffRevisionsRequest, ExportBundleRequest, ForkRequest,
    ImportBundleRequest, MergeRequest, RenderPreviewRequest, ResolveConflictRequest, ResolveFieldRequest,
    ResourcesRequest, RevisionRequest, SaveDraftRequest, SaveTextRequest,
};
pub use messaging::{
    AccountInfo, AccountRequest, AcknowledgeDeviceRequest, AddAccountRequest, CancelVerificationRequest,
    Connection, CreateGroupRequest, InviteRequest, KeyringState, ListMessagesRequest, MessageInfo,
    MessageKind, MessageRequest, MessagingChanged, MessagingLock, MessagingStatus, NotificationLevel,
    NotificationSettingsInfo, OpenDirectRequest, ReaderDevice, ResourceCard, RoomInfo, RoomMembership,
    RoomNotificationLevel, RoomReader, RoomRequest, SasEmoji, SaveAttachmentRequest, SaveResourceRequest,
    SearchMessagesRequest, SendFileRequest, SendResult, SendStatus, SendTextRequest, SetDoNotDisturbRequest,
    SetRoomNotificationsRequest, ShareResourceRequest, StartVerificationRequest, UnlockMessagingRequest,
    VerificationInfo, VerificationRequest, VerificationStep, fingerprint,
};
pub use types::{
    AddToCollectionRequest, AppInfo, ChangeCause, CollectionItemRequest, CollectionNoteRequest,
    CollectionRequest, CreateCollectionRequest, EmptyTrashResponse, FieldChange, ImportPathsRequest,
    LibraryChanged, LibraryInfo, LicenceInfo, MoveCollectionRequest, MoveInCollectionRequest,
    OpenLinkRequest, OpenResourceResponse, RenameCollectionRequest, ResourceRequest, UpdateMetadataRequest,
    WatchedFolderRequest,
};
