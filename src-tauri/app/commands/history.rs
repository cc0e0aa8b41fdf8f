//! Commands over a resource's history: revisions and diffs, copies and their lineage, merges, the
//! editor, combining and bundles. Each unpacks its request and calls one library function.

use std::path::PathBuf;

use commonplace_ipc::bindings::LIBRARY_CHANGED;
use commonplace_ipc::{
    ChangeCause, ChooseSideRequest, CombineRequest, DiffRevisionsRequest, ErrorKind, ExportBundleRequest,
    ForkRequest, ImportBundleRequest, IpcError, LibraryChanged, MergeRequest, RenderPreviewRequest,
    ResolveConflictRequest, ResolveFieldRequest, ResourceRequest, ResourcesRequest, RevisionRequest,
    SaveDraftRequest, SaveTextRequest,
};
use commonplace_library::{
    BundleContents, BundleExport, BundleImport, CombinationCheck, EditableText, ForkCheck, Lineage,
    MergeOutcome, MergeState, ResourceDetails, RevisionDiff, RevisionSummary, SaveOutcome, SourceOutline,
    location,
};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::blocking;
use crate::state::LibraryState;

#[tauri::command]
pub async fn history_list_revisions(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<Vec<RevisionSummary>, IpcError> {
    let library = library.get()?;
    blocking(move || library.history(&request.id)).await
}

#[tauri::command]
pub async fn history_diff_revisions(
    library: State<'_, LibraryState>,
    request: DiffRevisionsRequest,
) -> Result<RevisionDiff, IpcError> {
    let library = library.get()?;
    blocking(move || library.diff_revisions(&request.id, &request.from, &request.to)).await
}

/// The thumbnail of one revision of a resource, as a `data:` URL; `None` when its type has none.
#[tauri::command]
pub async fn history_revision_thumbnail(
    library: State<'_, LibraryState>,
    request: RevisionRequest,
) -> Result<Option<String>, IpcError> {
    let library = library.get()?;
    let png = blocking(move || library.revision_thumbnail(&request.id, &request.revision)).await?;
    Ok(png.map(super::library::png_data_url))
}

/// The thumbnail of one side of the unfinished merge into a resource, as a `data:` URL.
#[tauri::command]
pub async fn history_merge_thumbnail(
    library: State<'_, LibraryState>,
    request: ChooseSideRequest,
) -> Result<Option<String>, IpcError> {
    let library = library.get()?;
    let png = blocking(move || library.merge_thumbnail(&request.id, request.side)).await?;
    Ok(png.map(super::library::png_data_url))
}

#[tauri::command]
pub async fn history_restore_revision(
    library: State<'_, LibraryState>,
    request: RevisionRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    blocking(move || library.restore_revision(&request.id, &request.revision, &location::user_name())).await
}

#[tauri::command]
pub async fn history_get_lineage(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<Lineage, IpcError> {
    let library = library.get()?;
    blocking(move || library.lineage(&request.id)).await
}

#[tauri::command]
pub async fn history_check_fork(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<ForkCheck, IpcError> {
    let library = library.get()?;
    blocking(move || library.check_fork(&request.id)).await
}

/// Makes the user's own copy of a resource; the licence engine decides what it may carry.
#[tauri::command]
pub async fn history_fork_resource<R: Runtime>(
    app: AppHandle<R>,
    library: State<'_, LibraryState>,
    request: ForkRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    let copy =
        blocking(move || library.fork(&request.id, request.licence.as_deref(), &location::user_name()))
            .await?;
    changed(&app);
    Ok(copy)
}

/// Brings in changes from another head: applied at once when clean, saved when in conflict.
#[tauri::command]
pub async fn history_merge_heads(
    library: State<'_, LibraryState>,
    request: MergeRequest,
) -> Result<MergeOutcome, IpcError> {
    let library = library.get()?;
    blocking(move || library.merge(&request.id, &request.from, &location::user_name())).await
}

#[tauri::command]
pub async fn history_get_merge(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<Option<MergeState>, IpcError> {
    let library = library.get()?;
    blocking(move || library.merge_state(&request.id)).await
}

#[tauri::command]
pub async fn history_resolve_conflict(
    library: State<'_, LibraryState>,
    request: ResolveConflictRequest,
) -> Result<MergeState, IpcError> {
    let library = library.get()?;
    let region = usize::try_from(request.region).unwrap_or(usize::MAX);
    blocking(move || library.resolve_conflict(&request.id, region, request.resolution)).await
}

#[tauri::command]
pub async fn history_resolve_field(
    library: State<'_, LibraryState>,
    request: ResolveFieldRequest,
) -> Result<MergeState, IpcError> {
    let library = library.get()?;
    blocking(move || library.resolve_field(&request.id, request.field, request.choice)).await
}

#[tauri::command]
pub async fn history_choose_side(
    library: State<'_, LibraryState>,
    request: ChooseSideRequest,
) -> Result<MergeState, IpcError> {
    let library = library.get()?;
    blocking(move || library.choose_side(&request.id, request.side)).await
}

#[tauri::command]
pub async fn history_finish_merge(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    blocking(move || library.finish_merge(&request.id, &location::user_name())).await
}

#[tauri::command]
pub async fn history_abandon_merge(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.abandon_merge(&request.id)).await
}

#[tauri::command]
pub async fn history_get_text(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<EditableText, IpcError> {
    let library = library.get()?;
    blocking(move || library.editable_text(&request.id)).await
}

#[tauri::command]
pub async fn history_save_text(
    library: State<'_, LibraryState>,
    request: SaveTextRequest,
) -> Result<SaveOutcome, IpcError> {
    let library = library.get()?;
    blocking(move || {
        library.save_text(
            &request.id,
            &request.base_head,
            &request.text,
            &request.message,
            &location::user_name(),
        )
    })
    .await
}

#[tauri::command]
pub async fn history_save_draft(
    library: State<'_, LibraryState>,
    request: SaveDraftRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.save_draft(&request.id, &request.base_head, &request.text)).await
}

#[tauri::command]
pub async fn history_discard_draft(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.discard_draft(&request.id)).await
}

/// The editor's live preview, sanitised in Rust like every preview.
#[tauri::command]
pub async fn history_render_preview(request: RenderPreviewRequest) -> Result<String, IpcError> {
    blocking(move || {
        Ok::<_, IpcError>(commonplace_library::render_editor_preview(&request.text, request.mode))
    })
    .await
}

#[tauri::command]
pub async fn history_check_combination(
    library: State<'_, LibraryState>,
    request: ResourcesRequest,
) -> Result<CombinationCheck, IpcError> {
    let library = library.get()?;
    blocking(move || library.check_combination(&request.ids)).await
}

/// The sections each resource offers for quoting in a combination.
#[tauri::command]
pub async fn history_combination_outline(
    library: State<'_, LibraryState>,
    request: ResourcesRequest,
) -> Result<Vec<SourceOutline>, IpcError> {
    let library = library.get()?;
    blocking(move || library.combination_outline(&request.ids)).await
}

#[tauri::command]
pub async fn history_combine_resources<R: Runtime>(
    app: AppHandle<R>,
    library: State<'_, LibraryState>,
    request: CombineRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    let combined = blocking(move || {
        library.combine(
            &request.ids,
            &request.sections,
            &request.title,
            request.licence.as_deref(),
            &location::user_name(),
        )
    })
    .await?;
    changed(&app);
    Ok(combined)
}

#[tauri::command]
pub async fn history_export_bundle(
    library: State<'_, LibraryState>,
    request: ExportBundleRequest,
) -> Result<BundleExport, IpcError> {
    let library = library.get()?;
    let contents = match (request.id, request.collection_id) {
        (Some(id), None) => Contents::Resource(id),
        (None, Some(id)) => Contents::Collection(id),
        _ => {
            return Err(IpcError::new(
                ErrorKind::InvalidInput,
                "name either a resource or a collection to bundle",
            ));
        }
    };
    let path = PathBuf::from(request.path);
    blocking(move || library.export_bundle(contents.borrow(), &path)).await
}

#[tauri::command]
pub async fn history_import_bundle<R: Runtime>(
    app: AppHandle<R>,
    library: State<'_, LibraryState>,
    request: ImportBundleRequest,
) -> Result<BundleImport, IpcError> {
    let library = library.get()?;
    let path = PathBuf::from(request.path);
    let report = blocking(move || library.import_bundle(&path)).await?;
    changed(&app);
    Ok(report)
}

/// What to bundle, owned so it can move onto the blocking pool.
enum Contents {
    Resource(String),
    Collection(String),
}

impl Contents {
    fn borrow(&self) -> BundleContents<'_> {
        match self {
            Contents::Resource(id) => BundleContents::Resource(id),
            Contents::Collection(id) => BundleContents::Collection(id),
        }
    }
}

/// Tells other views that resources were added.
fn changed<R: Runtime>(app: &AppHandle<R>) {
    let _ = app.emit(LIBRARY_CHANGED, LibraryChanged { cause: ChangeCause::Import, scan: None });
}
