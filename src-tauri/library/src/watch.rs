//! Watched folders: files put into them are imported by themselves.
//!
//! The work is done by [`Library::scan_watched_folder`], an incremental scan that compares the
//! folder with what the catalog remembers of it (`watched_files`): new files are imported, changed
//! files become new revisions of their resource, a file moved or renamed inside the folder keeps its
//! resource (recognised by content), and a deleted file marks its resource "source removed" — it is
//! never removed from the library. Because the scan compares states rather than replaying events,
//! changes made while the app was closed are found by the scan at the next start.
//!
//! [`WatchService`] runs scans when the OS reports changes (through `notify`), after a quiet
//! period so a file being copied is imported once, whole. When a folder cannot be watched — most
//! often because the OS limit on watches is reached — it falls back to scanning every
//! [`POLL_INTERVAL`] and says so in [`WatchService::status`].
//!
//! Symbolic links are never followed, so nothing outside a watched folder is imported through it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, UNIX_EPOCH};

use notify::{RecursiveMode, Watcher};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::import::{ImportOptions, ImportOutcome, is_temporary_or_system};
use crate::library::Library;
use crate::store::ObjectId;

/// How long a folder must be quiet after a change before it is scanned.
pub const DEBOUNCE: Duration = Duration::from_millis(1500);
/// How often folders that cannot be watched are scanned.
pub const POLL_INTERVAL: Duration = Duration::from_secs(30);

/// What one scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanReport {
    pub folder: PathBuf,
    pub imported: u64,
    /// Changed files that became new revisions.
    pub revised: u64,
    /// Files moved or renamed inside the folder; their resources were kept.
    pub moved: u64,
    /// Files deleted from the folder; their resources are marked "source removed".
    pub removed: u64,
    pub unchanged: u64,
    /// Files that could not be imported, each with the reason.
    pub problems: Vec<String>,
}

impl ScanReport {
    pub fn changed_anything(&self) -> bool {
        self.imported + self.revised + self.moved + self.removed > 0
    }
}

/// How a watched folder is being followed right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WatchMode {
    /// The OS reports changes as they happen.
    Events,
    /// The OS could not watch it (for example, its watch limit was reached): scanned periodically.
    Polling,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchedFolder {
    pub path: PathBuf,
    /// `None` when no watch service is running (the CLI).
    pub mode: Option<WatchMode>,
    /// Why the folder is polled instead of watched.
    pub reason: Option<String>,
}

/// A file as the scan sees it.
struct FileState {
    size: u64,
    modified: i64,
}

struct Known {
    resource_id: String,
    size: u64,
    modified: i64,
    object: String,
}

impl Library {
    /// Starts watching `folder`. It must be an existing folder outside the library.
    pub fn add_watched_folder(&self, folder: &Path) -> Result<PathBuf> {
        let folder = fs::canonicalize(folder).at("open the folder", folder)?;
        if !folder.is_dir() {
            return Err(invalid_folder(&folder, "it is not a folder"));
        }
        let root = fs::canonicalize(self.root()).at("open", self.root())?;
        if folder.starts_with(&root) || root.starts_with(&folder) {
            return Err(invalid_folder(&folder, "it contains the library or is inside it"));
        }
        let text = folder_key(&folder);
        self.catalog.call(|connection| {
            connection.execute(
                "INSERT OR IGNORE INTO watched_folders (path, added_at) VALUES (?1, ?2)",
                params![text, now_ms()],
            )
        })?;
        Ok(folder)
    }

    /// Stops watching `folder`. Resources imported from it stay.
    pub fn remove_watched_folder(&self, folder: &Path) -> Result<()> {
        let key =
            fs::canonicalize(folder).map(|path| folder_key(&path)).unwrap_or_else(|_| folder_key(folder));
        let changed = self
            .catalog
            .call(|connection| connection.execute("DELETE FROM watched_folders WHERE path = ?1", [key]))?;
        if changed == 0 { Err(invalid_folder(folder, "it is not a watched folder")) } else { Ok(()) }
    }

    pub fn watched_folders(&self) -> Result<Vec<PathBuf>> {
        self.catalog.call(|connection| {
            let mut statement =
                connection.prepare_cached("SELECT path FROM watched_folders ORDER BY path")?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            rows.map(|row| row.map(PathBuf::from)).collect()
        })
    }

    /// Brings the library in step with `folder` (see the module documentation).
    pub fn scan_watched_folder(&self, folder: &Path) -> Result<ScanReport> {
        let key = folder_key(folder);
        let mut report = ScanReport { folder: folder.to_path_buf(), ..ScanReport::default() };
        let current = walk(folder, &mut report.problems);
        let mut known = self.known_files(&key)?;

        // Files that vanished from their old place are candidates for a move; only once new files
        // have been matched against them by content are the rest "removed".
        let vanished: Vec<String> =
            known.keys().filter(|path| !current.contains_key(*path)).cloned().collect();
        let mut vanished_by_object: HashMap<String, String> = HashMap::new();
        for path in &vanished {
            if let Some(entry) = known.get(path) {
                vanished_by_object.insert(entry.object.clone(), path.clone());
            }
        }

        let mut new_files = Vec::new();
        for (relative, state) in &current {
            let absolute = folder.join(relative);
            match known.get(relative) {
                Some(entry) if entry.size == state.size && entry.modified == state.modified => {
                    report.unchanged += 1;
                    self.set_source_removed(&entry.resource_id, false)?;
                }
                Some(entry) => {
                    let resource_id = entry.resource_id.clone();
                    match self.revise(
                        &resource_id,
                        &absolute,
                        &format!("Changed in {}", folder.display()),
                        &crate::location::user_name(),
                    ) {
                        Ok(resource) => {
                            if resource.object.to_hex() != entry.object {
                                report.revised += 1;
                            } else {
                                report.unchanged += 1;
                            }
                            self.remember(&key, relative, &resource_id, state, resource.object)?;
                            self.set_source_removed(&resource_id, false)?;
                        }
                        Err(error) => report.problems.push(format!("{}: {error}", absolute.display())),
                    }
                }
                None => new_files.push((relative.clone(), absolute)),
            }
        }

        let mut to_import = Vec::new();
        for (relative, absolute) in new_files {
            let object = match crate::store::hash_file(&absolute) {
                Ok(object) => object,
                Err(error) => {
                    report.problems.push(format!("{}: {error}", absolute.display()));
                    continue;
                }
            };
            if let Some(old_path) = vanished_by_object.remove(&object.to_hex())
                && let Some(entry) = known.remove(&old_path)
            {
                self.forget(&key, &old_path)?;
                self.remember(&key, &relative, &entry.resource_id, &current[&relative], object)?;
                self.set_source_removed(&entry.resource_id, false)?;
                report.moved += 1;
                continue;
            }
            to_import.push((relative, absolute));
        }

        if !to_import.is_empty() {
            let paths: Vec<PathBuf> = to_import.iter().map(|(_, absolute)| absolute.clone()).collect();
            let import =
                self.import(&paths, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false))?;
            for item in import.items {
                let relative = to_import
                    .iter()
                    .find(|(_, absolute)| *absolute == item.path)
                    .map(|(relative, _)| relative);
                match (&item.outcome, relative) {
                    (
                        ImportOutcome::Imported { resource_id, .. }
                        | ImportOutcome::Duplicate { resource_id, .. },
                        Some(relative),
                    ) => {
                        let object = self.resource(resource_id)?.object;
                        self.remember(&key, relative, resource_id, &current[relative], object)?;
                        if matches!(item.outcome, ImportOutcome::Imported { .. }) {
                            report.imported += 1;
                        } else {
                            report.unchanged += 1;
                        }
                    }
                    (ImportOutcome::Skipped { reason }, _) => {
                        report.problems.push(format!("{}: {reason}", item.path.display()));
                    }
                    _ => {}
                }
            }
        }

        for (path, entry) in &known {
            if !current.contains_key(path) && self.set_source_removed(&entry.resource_id, true)? {
                report.removed += 1;
            }
        }
        if report.changed_anything() || !report.problems.is_empty() {
            tracing::info!(
                folder = %folder.display(),
                imported = report.imported,
                revised = report.revised,
                moved = report.moved,
                removed = report.removed,
                problems = report.problems.len(),
                "watched folder scanned"
            );
        }
        Ok(report)
    }

    fn known_files(&self, folder: &str) -> Result<HashMap<String, Known>> {
        self.catalog.call(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT relative_path, resource_id, size, modified, object FROM watched_files WHERE folder = ?1",
            )?;
            let rows = statement.query_map([folder], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    Known {
                        resource_id: row.get(1)?,
                        size: row.get::<_, i64>(2)?.unsigned_abs(),
                        modified: row.get(3)?,
                        object: row.get(4)?,
                    },
                ))
            })?;
            rows.collect()
        })
    }

    fn remember(
        &self,
        folder: &str,
        relative: &str,
        resource_id: &str,
        state: &FileState,
        object: ObjectId,
    ) -> Result<()> {
        self.catalog.call(|connection| {
            connection.execute(
                "INSERT OR REPLACE INTO watched_files (folder, relative_path, resource_id, size, modified, object)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![folder, relative, resource_id, i64::try_from(state.size).unwrap_or(i64::MAX), state.modified, object.to_hex()],
            )
        })?;
        Ok(())
    }

    fn forget(&self, folder: &str, relative: &str) -> Result<()> {
        self.catalog.call(|connection| {
            connection.execute(
                "DELETE FROM watched_files WHERE folder = ?1 AND relative_path = ?2",
                params![folder, relative],
            )
        })?;
        Ok(())
    }

    /// Sets or clears "source removed"; true when it changed.
    fn set_source_removed(&self, resource_id: &str, removed: bool) -> Result<bool> {
        let changed = self.catalog.call(|connection| {
            connection.execute(
                "UPDATE resources SET source_removed = ?2 WHERE id = ?1 AND source_removed != ?2",
                params![resource_id, i64::from(removed)],
            )
        })?;
        Ok(changed > 0)
    }
}

fn invalid_folder(folder: &Path, reason: &str) -> Error {
    Error::InvalidField {
        field: "watched folder".to_owned(),
        value: folder.display().to_string(),
        reason: reason.to_owned(),
    }
}

/// The folder as the catalog names it.
fn folder_key(folder: &Path) -> String {
    folder.to_string_lossy().into_owned()
}

/// The files of a folder by path relative to it (with `/` separators), skipping hidden, temporary
/// and partial files, and never following symbolic links.
fn walk(folder: &Path, problems: &mut Vec<String>) -> HashMap<String, FileState> {
    let mut files = HashMap::new();
    let walker = walkdir::WalkDir::new(folder).follow_links(false).into_iter().filter_entry(|entry| {
        let name = entry.file_name().to_string_lossy();
        entry.depth() == 0 || !(name.starts_with('.') || is_temporary_or_system(&name))
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(error.to_string());
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(folder) else { continue };
        let relative: Vec<String> =
            relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
        match entry.metadata() {
            Ok(metadata) => {
                let modified = metadata
                    .modified()
                    .ok()
                    .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                    .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
                    .unwrap_or(0);
                files.insert(relative.join("/"), FileState { size: metadata.len(), modified });
            }
            Err(error) => problems.push(format!("{}: {error}", entry.path().display())),
        }
    }
    files
}

/// How each followed folder is watched, and why it is polled when it is.
type Status = Mutex<HashMap<PathBuf, (WatchMode, Option<String>)>>;

/// Makes the watcher that reports file system events to the handler it is given.
pub type MakeWatcher =
    Box<dyn FnOnce(Box<dyn Fn(notify::Event) + Send>) -> notify::Result<Box<dyn Watcher + Send>> + Send>;

/// How a [`WatchService`] follows folders.
pub struct ServiceOptions {
    /// The OS's watcher, by default.
    pub make_watcher: MakeWatcher,
    /// How often folders the OS cannot watch are scanned.
    pub poll_interval: Duration,
}

impl Default for ServiceOptions {
    fn default() -> Self {
        Self {
            make_watcher: Box::new(|handler| {
                let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                    if let Ok(event) = event {
                        handler(event);
                    }
                })?;
                Ok(Box::new(watcher))
            }),
            poll_interval: POLL_INTERVAL,
        }
    }
}

/// Messages to the service's thread.
enum Message {
    Changed(PathBuf),
    Refresh,
    Stop,
}

/// Follows the watched folders of a library in a background thread; see the module documentation.
/// Dropping it stops the thread.
pub struct WatchService {
    sender: mpsc::Sender<Message>,
    status: Arc<Status>,
    thread: Option<JoinHandle<()>>,
}

impl WatchService {
    /// Starts following the library's watched folders: each is scanned at once (to find what
    /// changed while the app was closed) and then whenever it changes. `on_scan` hears about every
    /// scan that changed something.
    pub fn start(library: Arc<Library>, on_scan: impl Fn(&ScanReport) + Send + 'static) -> Self {
        Self::start_with(library, on_scan, ServiceOptions::default())
    }

    /// Like [`WatchService::start`], with the OS watcher and the polling interval chosen: tests
    /// pass a watcher that fails as an OS out of watches does, which cannot be brought about here
    /// without changing the whole machine's limits.
    pub fn start_with(
        library: Arc<Library>,
        on_scan: impl Fn(&ScanReport) + Send + 'static,
        options: ServiceOptions,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let status = Arc::new(Mutex::new(HashMap::new()));
        let thread_status = Arc::clone(&status);
        let event_sender = sender.clone();
        let thread = std::thread::Builder::new()
            .name("watched-folders".to_owned())
            .spawn(move || run(&library, &receiver, event_sender, &thread_status, &on_scan, options))
            .ok();
        Self { sender, status, thread }
    }

    /// Picks up folders added or removed since the service started.
    pub fn refresh(&self) {
        let _ = self.sender.send(Message::Refresh);
    }

    /// How each followed folder is watched.
    pub fn status(&self, folders: Vec<PathBuf>) -> Vec<WatchedFolder> {
        let status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        folders
            .into_iter()
            .map(|path| {
                let (mode, reason) = status
                    .get(&path)
                    .map(|(mode, reason)| (Some(*mode), reason.clone()))
                    .unwrap_or((None, None));
                WatchedFolder { path, mode, reason }
            })
            .collect()
    }
}

impl Drop for WatchService {
    fn drop(&mut self) {
        let _ = self.sender.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    library: &Library,
    receiver: &mpsc::Receiver<Message>,
    sender: mpsc::Sender<Message>,
    status: &Status,
    on_scan: &dyn Fn(&ScanReport),
    options: ServiceOptions,
) {
    let event_sender = Mutex::new(sender.clone());
    let watcher = (options.make_watcher)(Box::new(move |event: notify::Event| {
        let sender = event_sender.lock().unwrap_or_else(PoisonError::into_inner);
        for path in event.paths {
            let _ = sender.send(Message::Changed(path));
        }
    }));
    let mut watcher = match watcher {
        Ok(watcher) => Some(watcher),
        Err(error) => {
            tracing::warn!(%error, "the OS cannot watch folders; watched folders will be scanned periodically");
            None
        }
    };
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut dirty: HashMap<PathBuf, Instant> = HashMap::new();
    let mut last_poll = Instant::now();
    let scan = |folder: &Path| match library.scan_watched_folder(folder) {
        Ok(report) if report.changed_anything() || !report.problems.is_empty() => on_scan(&report),
        Ok(_) => {}
        Err(error) => tracing::warn!(folder = %folder.display(), %error, "watched folder scan failed"),
    };
    // Working copies handed to other apps come back as revisions as soon as they are saved.
    let working = library.root().join(crate::layout::WORKING);
    if let Some(watcher) = watcher.as_mut()
        && let Err(error) = watcher.watch(&working, RecursiveMode::Recursive)
    {
        tracing::warn!(%error, "working copies cannot be watched; they are synchronised when reopened");
    }
    // Edits saved while the app was closed come back at once.
    dirty.insert(working.clone(), Instant::now() - DEBOUNCE);
    let mut refresh = true;
    loop {
        if refresh {
            refresh = false;
            let wanted = library.watched_folders().unwrap_or_default();
            let mut status = status.lock().unwrap_or_else(PoisonError::into_inner);
            for gone in folders.iter().filter(|folder| !wanted.contains(folder)) {
                if let Some(watcher) = watcher.as_mut() {
                    let _ = watcher.unwatch(gone);
                }
                status.remove(gone);
            }
            for folder in wanted.iter().filter(|folder| !folders.contains(folder)) {
                let watched = match watcher.as_mut() {
                    Some(watcher) => {
                        watcher.watch(folder, RecursiveMode::Recursive).map_err(|error| describe(&error))
                    }
                    None => Err("the OS cannot watch folders here".to_owned()),
                };
                let entry = match watched {
                    Ok(()) => (WatchMode::Events, None),
                    Err(reason) => {
                        tracing::warn!(folder = %folder.display(), %reason, "watching failed; scanning every 30 s instead");
                        (WatchMode::Polling, Some(reason))
                    }
                };
                status.insert(folder.clone(), entry);
                // Finds what changed while nobody was watching.
                dirty.insert(folder.clone(), Instant::now() - DEBOUNCE);
            }
            folders = wanted;
        }

        let timeout =
            dirty.values().map(|since| (*since + DEBOUNCE).saturating_duration_since(Instant::now())).min();
        let idle = Duration::from_secs(1).min(options.poll_interval);
        match receiver.recv_timeout(timeout.unwrap_or(idle).max(Duration::from_millis(50))) {
            Ok(Message::Changed(path)) => {
                if path.starts_with(&working) {
                    dirty.insert(working.clone(), Instant::now());
                } else if let Some(folder) = folders.iter().find(|folder| path.starts_with(folder)) {
                    dirty.insert(folder.clone(), Instant::now());
                }
            }
            Ok(Message::Refresh) => refresh = true,
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }

        let quiet: Vec<PathBuf> = dirty
            .iter()
            .filter(|(_, since)| since.elapsed() >= DEBOUNCE)
            .map(|(folder, _)| folder.clone())
            .collect();
        for folder in quiet {
            dirty.remove(&folder);
            if folder == working {
                match library.sync_working_copies() {
                    Ok(changed) if !changed.is_empty() => {
                        let report = ScanReport {
                            folder: working.clone(),
                            revised: changed.len() as u64,
                            ..ScanReport::default()
                        };
                        on_scan(&report);
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "working copies could not be synchronised"),
                }
            } else {
                scan(&folder);
            }
        }
        if last_poll.elapsed() >= options.poll_interval {
            last_poll = Instant::now();
            let polled: Vec<PathBuf> = {
                let status = status.lock().unwrap_or_else(PoisonError::into_inner);
                status
                    .iter()
                    .filter(|(_, (mode, _))| *mode == WatchMode::Polling)
                    .map(|(folder, _)| folder.clone())
                    .collect()
            };
            for folder in polled {
                scan(&folder);
            }
        }
    }
}

fn describe(error: &notify::Error) -> String {
    match &error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the system's limit on watched files was reached (on Linux: fs.inotify.max_user_watches)"
                .to_owned()
        }
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_limit_is_explained_in_plain_words() {
        let error = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        assert!(describe(&error).contains("limit on watched files"));
    }
}
