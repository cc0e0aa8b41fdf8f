//! Commands over the library crate.

use commonplace_ipc::{IpcError, LibraryInfo};
use tauri::State;

use super::blocking;
use crate::state::LibraryState;

#[tauri::command]
pub async fn library_get_info(library: State<'_, LibraryState>) -> Result<LibraryInfo, IpcError> {
    let library = library.get()?;
    blocking(move || library.info().map(LibraryInfo::from)).await
}
