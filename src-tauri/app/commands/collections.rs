//! Commands over the library's collections.

use commonplace_ipc::{
    AddToCollectionRequest, CollectionItemRequest, CollectionNoteRequest, CollectionRequest,
    CreateCollectionRequest, IpcError, MoveCollectionRequest, MoveInCollectionRequest,
    RenameCollectionRequest,
};
use commonplace_library::{Collection, CollectionEntry};
use tauri::State;

use super::blocking;
use crate::state::LibraryState;

#[tauri::command]
pub async fn library_list_collections(library: State<'_, LibraryState>) -> Result<Vec<Collection>, IpcError> {
    let library = library.get()?;
    blocking(move || library.collections()).await
}

#[tauri::command]
pub async fn library_create_collection(
    library: State<'_, LibraryState>,
    request: CreateCollectionRequest,
) -> Result<Collection, IpcError> {
    let library = library.get()?;
    blocking(move || library.create_collection(&request.name, request.parent_id.as_deref(), request.query))
        .await
}

#[tauri::command]
pub async fn library_rename_collection(
    library: State<'_, LibraryState>,
    request: RenameCollectionRequest,
) -> Result<Collection, IpcError> {
    let library = library.get()?;
    blocking(move || library.rename_collection(&request.id, &request.name)).await
}

#[tauri::command]
pub async fn library_move_collection(
    library: State<'_, LibraryState>,
    request: MoveCollectionRequest,
) -> Result<Collection, IpcError> {
    let library = library.get()?;
    blocking(move || library.move_collection(&request.id, request.parent_id.as_deref())).await
}

#[tauri::command]
pub async fn library_delete_collection(
    library: State<'_, LibraryState>,
    request: CollectionRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.delete_collection(&request.id)).await
}

#[tauri::command]
pub async fn library_get_collection_entries(
    library: State<'_, LibraryState>,
    request: CollectionRequest,
) -> Result<Vec<CollectionEntry>, IpcError> {
    let library = library.get()?;
    blocking(move || library.collection_entries(&request.id)).await
}

#[tauri::command]
pub async fn library_add_to_collection(
    library: State<'_, LibraryState>,
    request: AddToCollectionRequest,
) -> Result<Collection, IpcError> {
    let library = library.get()?;
    blocking(move || library.add_to_collection(&request.id, &request.resource_ids)).await
}

#[tauri::command]
pub async fn library_remove_from_collection(
    library: State<'_, LibraryState>,
    request: CollectionItemRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.remove_from_collection(&request.id, &request.resource_id)).await
}

#[tauri::command]
pub async fn library_move_in_collection(
    library: State<'_, LibraryState>,
    request: MoveInCollectionRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    let position = usize::try_from(request.position).unwrap_or(usize::MAX);
    blocking(move || library.move_in_collection(&request.id, &request.resource_id, position)).await
}

#[tauri::command]
pub async fn library_set_collection_note(
    library: State<'_, LibraryState>,
    request: CollectionNoteRequest,
) -> Result<(), IpcError> {
    let library = library.get()?;
    blocking(move || library.set_collection_note(&request.id, &request.resource_id, &request.note)).await
}
