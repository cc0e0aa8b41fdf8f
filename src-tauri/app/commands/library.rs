//! Commands over the library crate.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use commonplace_ipc::bindings::LIBRARY_CHANGED;
use commonplace_ipc::{ChangeCause, LibraryChanged};
use commonplace_ipc::{
    EmptyTrashResponse, ErrorKind, ImportPathsRequest, IpcError, LibraryInfo, OpenResourceResponse,
    ResourceRequest, UpdateMetadataRequest, WatchedFolderRequest,
};
use commonplace_library::{
    Facets, ImportOptions, ImportProgress, ImportReport, Preview, ResourceDetails, SearchHit, SearchQuery,
    WatchedFolder, location,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Runtime, State};

use super::blocking;
use crate::state::{ImportControl, LibraryState};

#[tauri::command]
pub async fn library_get_info(library: State<'_, LibraryState>) -> Result<LibraryInfo, IpcError> {
    let library = library.get()?;
    blocking(move || library.info().map(LibraryInfo::from)).await
}

/// How often an import's progress reaches the window: smooth to the eye, light for the webview.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// Imports files and folders, streaming progress; `library_cancel_import` stops it after the
/// current file.
#[tauri::command]
pub async fn library_import_paths<R: Runtime>(
    app: AppHandle<R>,
    library: State<'_, LibraryState>,
    control: State<'_, ImportControl>,
    request: ImportPathsRequest,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, IpcError> {
    let library = library.get()?;
    let cancel = control.start();
    let paths: Vec<PathBuf> = request.paths.into_iter().map(PathBuf::from).collect();
    let report = blocking(move || {
        let mut report = commonplace_library::throttled(PROGRESS_INTERVAL, |progress: &ImportProgress| {
            // A closed window cannot take progress any more; the import itself goes on.
            let _ = on_progress.send(progress.clone());
        });
        library.import(&paths, &ImportOptions::default(), &mut report, &cancel)
    })
    .await?;
    // Other views (and other windows) refresh; the window that asked has the report too.
    let _ = app.emit(LIBRARY_CHANGED, LibraryChanged { cause: ChangeCause::Import, scan: None });
    Ok(report)
}

#[tauri::command]
pub fn library_cancel_import(control: State<'_, ImportControl>) {
    control.cancel.store(true, Ordering::Relaxed);
}

#[tauri::command]
pub async fn library_search_resources(
    library: State<'_, LibraryState>,
    request: SearchQuery,
) -> Result<Vec<SearchHit>, IpcError> {
    let library = library.get()?;
    blocking(move || library.search(&request)).await
}

#[tauri::command]
pub async fn library_get_resource(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    blocking(move || library.resource(&request.id)).await
}

#[tauri::command]
pub async fn library_update_metadata(
    library: State<'_, LibraryState>,
    request: UpdateMetadataRequest,
) -> Result<ResourceDetails, IpcError> {
    let library = library.get()?;
    let changes: Vec<_> = request.changes.into_iter().map(|change| (change.field, change.value)).collect();
    blocking(move || library.edit(&request.id, &changes, &location::user_name())).await
}

#[tauri::command]
pub async fn library_trash_resource(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.trash(&request.id)).await
}

#[tauri::command]
pub async fn library_restore_resource(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.restore(&request.id)).await
}

#[tauri::command]
pub async fn library_empty_trash(library: State<'_, LibraryState>) -> Result<EmptyTrashResponse, IpcError> {
    let library = library.get()?;
    let (resources, objects) = blocking(move || library.empty_trash()).await?;
    Ok(EmptyTrashResponse { resources, objects })
}

#[tauri::command]
pub async fn library_list_watched_folders(
    library: State<'_, LibraryState>,
) -> Result<Vec<WatchedFolder>, IpcError> {
    library.watched_folders(false)
}

/// Watches a folder: its files are imported now and whenever they change.
#[tauri::command]
pub async fn library_add_watched_folder(
    library: State<'_, LibraryState>,
    request: WatchedFolderRequest,
) -> Result<Vec<WatchedFolder>, IpcError> {
    let handle = library.get()?;
    blocking(move || handle.add_watched_folder(Path::new(&request.path))).await?;
    library.watched_folders(true)
}

#[tauri::command]
pub async fn library_remove_watched_folder(
    library: State<'_, LibraryState>,
    request: WatchedFolderRequest,
) -> Result<Vec<WatchedFolder>, IpcError> {
    let handle = library.get()?;
    blocking(move || handle.remove_watched_folder(Path::new(&request.path))).await?;
    library.watched_folders(true)
}

/// Opens a resource in the system's app for its type, through a working copy whose saved edits
/// come back as revisions.
#[tauri::command]
pub async fn library_open_resource(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<OpenResourceResponse, IpcError> {
    let library = library.get()?;
    let path = blocking(move || library.working_copy(&request.id)).await?;
    open::that_detached(&path).map_err(|error| {
        IpcError::new(
            ErrorKind::Io,
            format!("{} could not be opened in another app: {error}", path.display()),
        )
    })?;
    Ok(OpenResourceResponse { path: path.display().to_string() })
}

/// The resource's thumbnail as a `data:` URL (which the CSP allows for images), or `None` when its
/// type has none.
#[tauri::command]
pub async fn library_get_thumbnail(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<Option<String>, IpcError> {
    let library = library.get()?;
    let png = blocking(move || library.thumbnail(&request.id)).await?;
    Ok(png.map(png_data_url))
}

/// A PNG as a `data:` URL, the one way images reach the window.
pub(super) fn png_data_url(png: Vec<u8>) -> String {
    use base64::Engine;
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
}

/// How many resources a search finds, without a limit.
#[tauri::command]
pub async fn library_count_resources(
    library: State<'_, LibraryState>,
    request: SearchQuery,
) -> Result<u64, IpcError> {
    let library = library.get()?;
    blocking(move || library.count(&request)).await
}

/// The values the filter menus can offer, with counts.
#[tauri::command]
pub async fn library_list_facets(library: State<'_, LibraryState>) -> Result<Facets, IpcError> {
    let library = library.get()?;
    blocking(move || library.facets()).await
}

/// A preview to show in the window: text, or HTML already sanitised by the library.
#[tauri::command]
pub async fn library_get_preview(
    library: State<'_, LibraryState>,
    request: ResourceRequest,
) -> Result<Preview, IpcError> {
    let library = library.get()?;
    blocking(move || library.preview(&request.id)).await
}
