//! `check`: is the library whole? The catalog passes SQLite's integrity check, every revision's
//! object is in the store (and, deeply, still hashes to its name), and no staged file has been
//! left under a final name. Used after crashes and by tests that kill an import half-way.

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::library::Library;
use crate::store::ObjectId;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    /// SQLite's `PRAGMA integrity_check` said "ok".
    pub catalog_ok: bool,
    /// Objects that revisions refer to but the store does not have.
    pub missing_objects: Vec<String>,
    /// Objects whose content no longer hashes to their name, or that cannot be read, referenced or
    /// not (only with `deep`): a partial write under a final name would show here.
    pub damaged_objects: Vec<String>,
    pub objects_checked: u64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.catalog_ok && self.missing_objects.is_empty() && self.damaged_objects.is_empty()
    }
}

impl Library {
    /// Checks the library; with `deep`, rehashes every object (slow for large libraries).
    pub fn check(&self, deep: bool) -> Result<CheckReport> {
        let (integrity, objects) = self.catalog.call(|connection| {
            let integrity: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
            let mut statement = connection.prepare("SELECT DISTINCT object FROM revisions")?;
            let objects = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((integrity, objects))
        })?;
        let mut report = CheckReport { catalog_ok: integrity == "ok", ..CheckReport::default() };
        for text in objects {
            match text.parse::<ObjectId>() {
                Ok(id) if self.store.contains(id) => {}
                _ => report.missing_objects.push(text),
            }
        }
        for id in self.store.ids()? {
            report.objects_checked += 1;
            if !deep {
                continue;
            }
            // An object that cannot be read (a folder in its place, say) is as damaged as one
            // whose content changed.
            match self.store.rehash(id) {
                Ok(hash) if hash == id => {}
                Ok(_) => report.damaged_objects.push(id.to_hex()),
                Err(error) => {
                    tracing::warn!(object = %id, %error, "an object could not be read");
                    report.damaged_objects.push(id.to_hex());
                }
            }
        }
        Ok(report)
    }
}
