//! Open and edit in the system's app: a resource is handed out as a working copy in
//! `working/<resource id>/<file name>` — never the stored object, which must stay immutable — and
//! whatever the user saves there comes back as a new revision when the copies are synchronised
//! (by the watch service as soon as the file changes, or explicitly).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};
use crate::library::Library;
use crate::resources::portable_file_name;
use crate::{fsutil, layout};

impl Library {
    /// The working copy of a resource, written from its current content if there is none yet. An
    /// existing copy is synchronised first, so unsaved-to-library edits are never overwritten.
    pub fn working_copy(&self, id: &str) -> Result<PathBuf> {
        let resource = self.resource(id)?;
        let folder = self.root().join(layout::WORKING).join(&resource.id);
        let path = folder.join(portable_file_name(&resource.file_name));
        if path.is_file() {
            self.sync_working_copy(id, &path)?;
            return Ok(path);
        }
        fs::create_dir_all(&folder).at("create", &folder)?;
        let mut staged = fsutil::staged_file(&self.root().join(layout::TMP))?;
        let mut object = self.store.open(resource.object)?;
        io::copy(&mut object, &mut staged).at("write", staged.path())?;
        fsutil::persist(staged, &path)?;
        Ok(path)
    }

    /// Turns every saved change in a working copy into a new revision. Returns the ids of the
    /// resources that changed.
    pub fn sync_working_copies(&self) -> Result<Vec<String>> {
        let working = self.root().join(layout::WORKING);
        let mut changed = Vec::new();
        for entry in fs::read_dir(&working).at("list", &working)? {
            let entry = entry.at("list", &working)?;
            let id = entry.file_name().to_string_lossy().into_owned();
            let Ok(resource) = self.resource(&id) else { continue };
            let path = entry.path().join(portable_file_name(&resource.file_name));
            if path.is_file() && self.sync_working_copy(&id, &path)? {
                changed.push(id);
            }
        }
        Ok(changed)
    }

    fn sync_working_copy(&self, id: &str, path: &Path) -> Result<bool> {
        let before = self.resource(id)?.head;
        let after = self.revise(id, path, "Edited in another app", &crate::location::user_name())?.head;
        Ok(before != after)
    }
}
