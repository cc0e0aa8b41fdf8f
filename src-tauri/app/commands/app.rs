//! Commands about the app itself.

use commonplace_ipc::{AppInfo, ErrorKind, IpcError, OpenLinkRequest};
use tauri::{AppHandle, Runtime, State};

use crate::state::AppPaths;

#[tauri::command]
pub fn app_get_info<R: Runtime>(app: AppHandle<R>, paths: State<'_, AppPaths>) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        log_file: paths.log_file.as_ref().map(|path| path.display().to_string()).unwrap_or_default(),
    }
}

/// Opens an address from a message in the system's browser or mail program — only http(s) and
/// mailto, the schemes the message sanitiser keeps; anything else is refused, never opened.
#[tauri::command]
pub fn app_open_link(request: OpenLinkRequest) -> Result<(), IpcError> {
    let url = commonplace_messaging::content::external_link(&request.url).ok_or_else(|| {
        IpcError::new(
            ErrorKind::InvalidInput,
            format!("{:?} is not a web or mail address and is not opened", request.url),
        )
    })?;
    open::that_detached(url)
        .map_err(|error| IpcError::new(ErrorKind::Io, format!("{url} could not be opened: {error}")))
}
