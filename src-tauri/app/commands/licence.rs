//! Commands over the licence crate.

use commonplace_ipc::LicenceInfo;
use commonplace_licence::Licence;

/// Every licence Commonplace knows, for pickers and badges.
#[tauri::command]
pub fn licence_list_known() -> Vec<LicenceInfo> {
    Licence::all().map(|licence| LicenceInfo::from(&licence)).collect()
}
