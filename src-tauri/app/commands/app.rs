//! Commands about the app itself.

use commonplace_ipc::AppInfo;
use tauri::{AppHandle, Runtime, State};

use crate::state::AppPaths;

#[tauri::command]
pub fn app_get_info<R: Runtime>(app: AppHandle<R>, paths: State<'_, AppPaths>) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        log_file: paths.log_file.as_ref().map(|path| path.display().to_string()).unwrap_or_default(),
    }
}
