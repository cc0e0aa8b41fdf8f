//! Import of files and folders: each file becomes a resource with a first revision, or is reported
//! as a duplicate of an existing resource, or skipped with a reason. One bad file never stops the
//! batch.
//!
//! Work per file happens outside the catalog lock (hashing into the store, extraction); rows are
//! written in one transaction per chunk of files. A crash mid-import leaves at most objects that no
//! row points at yet, which the next import of the same files reuses and emptying the trash
//! removes: no row ever points at a missing object, and no partial object has a final name.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::Result;
use crate::extract::{self, Extracted};
use crate::library::Library;
use crate::metadata::clean;
use crate::revision::Revision;
use crate::store::{ObjectId, Refused, StagedObject};
use crate::{fsutil, layout, licence, resources, store};

/// Files made durable and written to the catalog together: each chunk costs a flush of the file
/// system and a transaction, and is committed while the next one is staged, so chunks are small
/// enough for the two to overlap, and bounded in time and bytes so that the library view fills in
/// as an import goes and a crash loses little work. Where staged files stay open until flushed
/// (not on Linux, see `store::Staged`), the two chunks in flight also stay well under the
/// open-file limits of every desktop system (macOS allows 256 by default).
const CHUNK_FILES: usize = if cfg!(target_os = "linux") { 256 } else { 64 };
const CHUNK_BYTES: u64 = 256 * 1024 * 1024;
const CHUNK_TIME: std::time::Duration = std::time::Duration::from_secs(2);
/// Files at least this large are hashed before they are copied when the library had a resource of
/// the same size when the import began (see `stage_one`). Below it, copying a duplicate costs about
/// as much as reading it.
const HASH_FIRST: u64 = 8 * 1024 * 1024;
/// Threads that copy, hash and read files at once.
const MAX_WORKERS: usize = 4;
/// Files the threads may finish before they are reported: enough that they rarely wait.
const AHEAD: usize = 32;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Recorded as the author of the first revisions.
    pub author: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { author: crate::location::user_name() }
    }
}

/// Progress of an import, in items and bytes, reported after every file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub items_done: u64,
    pub items_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "status")]
pub enum ImportOutcome {
    Imported { resource_id: String, title: String },
    Duplicate { resource_id: String, title: String },
    Skipped { reason: String },
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportItem {
    pub path: PathBuf,
    #[serde(flatten)]
    pub outcome: ImportOutcome,
    /// Problems that did not stop the import, such as unreadable metadata.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub items: Vec<ImportItem>,
    /// True when the import was cancelled; `items` then lists what was done before.
    pub cancelled: bool,
}

impl ImportReport {
    pub fn count(&self, matches: impl Fn(&ImportOutcome) -> bool) -> usize {
        self.items.iter().filter(|item| matches(&item.outcome)).count()
    }
}

impl ImportProgress {
    /// Whether every item has been done.
    pub fn finished(&self) -> bool {
        self.items_done >= self.items_total
    }
}

/// Passes progress on to `report` at most once every `interval`, and always the last: a message
/// for each of 10,000 small files would keep a window busy drawing them.
pub fn throttled(
    interval: std::time::Duration,
    mut report: impl FnMut(&ImportProgress),
) -> impl FnMut(&ImportProgress) {
    let mut last_sent: Option<std::time::Instant> = None;
    move |progress| {
        if progress.finished() || last_sent.is_none_or(|sent| sent.elapsed() >= interval) {
            last_sent = Some(std::time::Instant::now());
            report(progress);
        }
    }
}

/// A file found by the walk, with its size for progress.
struct Candidate {
    path: PathBuf,
    size: u64,
}

/// A file ready to be written to the catalog.
struct Prepared {
    resource_id: String,
    revision: Revision,
    text: String,
    /// The content, until the chunk is committed.
    staged: Option<StagedObject>,
}

impl Library {
    /// Imports `paths` (files, and folders recursively). `progress` is called after each file;
    /// setting `cancel` stops the import after the current file, keeping what was done.
    pub fn import(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let candidates = collect(paths, &mut report.items);
        let mut state = ImportProgress {
            items_total: candidates.len() as u64,
            bytes_total: candidates.iter().map(|candidate| candidate.size).sum(),
            ..ImportProgress::default()
        };
        // Content seen earlier in this import, so two copies in one batch become one resource.
        let mut seen: HashMap<ObjectId, (String, String)> = HashMap::new();
        // Files are copied, hashed and read on a few threads: creating a file costs the kernel
        // about as much as hashing a small one, and both cores can do it.
        let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, MAX_WORKERS);
        let folders = self.import_folders(workers);
        let sizes = self.large_sizes()?;
        let folders: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
        // A chunk is committed (flushed, renamed into place, written to the catalog) on a thread
        // of its own while the next chunk is staged, so the disk's flush and the catalog's
        // transaction overlap the copying instead of stopping it.
        let unstored = std::thread::scope(|scope| -> Result<Vec<Unstored>> {
            // A rendezvous: one chunk is committed while the next is staged, and no more are in
            // flight (see `CHUNK_FILES`).
            let (to_commit, chunks) = mpsc::sync_channel::<Admitted>(0);
            let committer = scope.spawn(move || -> Result<Vec<Unstored>> {
                in_background();
                let mut unstored = Vec::new();
                for admitted in chunks {
                    unstored.extend(self.commit_chunk(admitted)?);
                }
                Ok(unstored)
            });
            let mut position = 0;
            while position < candidates.len() {
                let chunk = &candidates[position..chunk_end(&candidates, position)];
                let staged = self.stage_chunk(chunk, &folders, &sizes, cancel, &mut |candidate| {
                    state.items_done += 1;
                    state.bytes_done += candidate.size;
                    progress(&state);
                });
                report.cancelled = staged.len() < chunk.len() && cancel.load(Ordering::Relaxed);
                position += staged.len();
                let admitted = admit_chunk(chunk, staged, options, &mut seen, &mut report.items);
                // Sending fails only when the committer stopped on an error, which `join` gives.
                if to_commit.send(admitted).is_err() || report.cancelled {
                    break;
                }
            }
            drop(to_commit);
            committer.join().unwrap_or_else(|_| {
                Err(crate::error::Error::Io {
                    action: "import",
                    path: self.root().join(layout::TMP),
                    source: std::io::Error::other("the committing thread stopped"),
                })
            })
        })?;
        for Unstored { resource_ids, reason } in unstored {
            // Later copies of the same content were counted as its duplicates: they are not
            // imported either.
            for item in &mut report.items {
                if matches!(&item.outcome, ImportOutcome::Imported { resource_id, .. } | ImportOutcome::Duplicate { resource_id, .. } if resource_ids.contains(resource_id))
                {
                    item.outcome = ImportOutcome::Skipped { reason: reason.clone() };
                }
            }
        }
        tracing::info!(
            imported = report.count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })),
            duplicates = report.count(|outcome| matches!(outcome, ImportOutcome::Duplicate { .. })),
            skipped = report.count(|outcome| matches!(outcome, ImportOutcome::Skipped { .. })),
            cancelled = report.cancelled,
            "import finished"
        );
        Ok(report)
    }

    /// The folders the import's threads stage in, one each, inside the staging folder: making a
    /// file takes its folder's lock, so threads sharing one take turns, and on a busy disk making
    /// the file is most of the work. They are kept from one import to the next, because removing
    /// a folder waits for the disk to finish what it is writing, and are cleared with the rest of
    /// the staging folder when the library is opened. A thread whose folder could not be made
    /// stages in the staging folder itself.
    fn import_folders(&self, count: usize) -> Vec<PathBuf> {
        let staging = self.root().join(layout::TMP);
        (0..count)
            .map(|index| {
                let folder = staging.join(format!("{}import-{index}", fsutil::STAGED_PREFIX));
                if fs::create_dir_all(&folder).is_ok() { folder } else { staging.clone() }
            })
            .collect()
    }

    /// Makes a chunk's content durable in one go, then writes its rows. A file whose content
    /// could not be stored is left out and returned as [`Unstored`]; when flushing failed (a full
    /// disk, say), nothing of the chunk is written, and all of it is returned.
    fn commit_chunk(&self, admitted: Admitted) -> Result<Vec<Unstored>> {
        let Admitted { mut prepared, redundant } = admitted;
        // Removed before the flush, which would otherwise write them out too. The chunk before is
        // stored by now, so the disk is not busy with it.
        drop(redundant);
        if prepared.is_empty() {
            return Ok(Vec::new());
        }
        let staged: Vec<StagedObject> = prepared.iter_mut().filter_map(|file| file.staged.take()).collect();
        let _adding = self.adding_objects();
        let mut unstored = Vec::new();
        match self.store.commit(staged) {
            Ok(refused) => {
                for Refused { id, error } in refused {
                    let (left_out, kept) = prepared.into_iter().partition(|file| file.revision.object == id);
                    prepared = kept;
                    unstored.push(Unstored::new(left_out, &error));
                }
            }
            Err(error) => return Ok(vec![Unstored::new(prepared, &error)]),
        }
        if !prepared.is_empty() {
            self.catalog.transaction(|transaction| insert(transaction, &prepared))?;
        }
        Ok(unstored)
    }

    /// Stages and reads the files of `chunk` on a thread per staging folder, in order of the chunk, until
    /// they are all done, [`CHUNK_TIME`] has passed, or `cancel` is set: the results are for the
    /// first files of the chunk, and the rest start the next one. `done` hears of each file as it
    /// is finished.
    fn stage_chunk(
        &self,
        chunk: &[Candidate],
        folders: &[&Path],
        sizes: &HashSet<u64>,
        cancel: &AtomicBool,
        done: &mut dyn FnMut(&Candidate),
    ) -> Vec<std::result::Result<Staged, Skip>> {
        let started = std::time::Instant::now();
        // Files are taken one at a time under this lock, so once one thread finds the time is up
        // every later file is left for the next chunk, and the results form a prefix.
        let next = Mutex::new(0usize);
        let take = || {
            let mut next = next.lock().unwrap_or_else(PoisonError::into_inner);
            // The first file is always taken, so every chunk makes progress.
            let out_of_time = *next > 0 && started.elapsed() >= CHUNK_TIME;
            if *next >= chunk.len() || out_of_time || cancel.load(Ordering::Relaxed) {
                return None;
            }
            *next += 1;
            Some(*next - 1)
        };
        let mut results: Vec<Option<std::result::Result<Staged, Skip>>> = Vec::new();
        results.resize_with(chunk.len(), || None);
        std::thread::scope(|scope| {
            // Bounded, so threads never run far ahead of what has been reported: a cancel stops the
            // import within a few files, whatever the threads' speed.
            let (sender, receiver) = mpsc::sync_channel(AHEAD);
            for &folder in folders.iter().take(chunk.len()) {
                let sender = sender.clone();
                let take = &take;
                scope.spawn(move || {
                    in_background();
                    while let Some(index) = take() {
                        if sender.send((index, self.stage_one(&chunk[index], folder, sizes))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            for (index, result) in receiver {
                done(&chunk[index]);
                results[index] = Some(result);
            }
        });
        // Threads take files in order and finish what they take, so the results are a prefix.
        results.into_iter().map_while(|result| result).collect()
    }

    /// The work on one file that needs no other file: copying it into the store (staged in
    /// `folder`) while hashing it, and, when its content is new to the library, reading its
    /// metadata and text. `sizes` are those of the large resources the library had when the
    /// import began.
    fn stage_one(
        &self,
        candidate: &Candidate,
        folder: &Path,
        sizes: &HashSet<u64>,
    ) -> std::result::Result<Staged, Skip> {
        if candidate.size == 0 {
            return Err(Skip::Empty);
        }
        // A large file the size of a resource the library has may well be that resource again
        // (a folder imported a second time): it is hashed before it is copied, and when it is,
        // nothing is written at all, rather than a copy written out only to be thrown away.
        // Copies of a file earlier in the same import are found after staging, through `seen`.
        if candidate.size >= HASH_FIRST && sizes.contains(&candidate.size) {
            let id = store::hash_file(&candidate.path)?;
            if let Some((resource_id, title)) = self.resource_with_content(id)? {
                return Ok(Staged::Known { resource_id, title, copy: None });
            }
        }
        let stored = self.store.stage_file_in(&candidate.path, folder)?;
        if stored.size == 0 {
            return Err(Skip::Empty);
        }
        if let Some((resource_id, title)) = self.resource_with_content(stored.id)? {
            return Ok(Staged::Known { resource_id, title, copy: Some(stored) });
        }
        let file_name = file_name_of(&candidate.path);
        let media_type = extract::media_type(&file_name);
        let extracted = extract::extract(stored.path(), &file_name, media_type);
        Ok(Staged::New(Box::new(NewFile { stored, file_name, media_type, extracted })))
    }

    /// The id and title of a resource (not in the trash) whose current content is `id`.
    fn resource_with_content(&self, id: ObjectId) -> Result<Option<(String, String)>> {
        self.catalog.read(|connection| {
            connection
                .prepare_cached(
                    "SELECT id, title FROM resources WHERE object = ?1 AND trashed_at IS NULL LIMIT 1",
                )?
                .query_row([id.to_hex()], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
    }

    /// The sizes of the resources (not in the trash) whose current content is at least
    /// [`HASH_FIRST`] bytes: few, even in a large library, and read from an index.
    fn large_sizes(&self) -> Result<HashSet<u64>> {
        self.catalog.read(|connection| {
            connection
                .prepare_cached(
                    "SELECT DISTINCT size FROM resources WHERE size >= ?1 AND trashed_at IS NULL",
                )?
                .query_map([HASH_FIRST as i64], |row| row.get::<_, i64>(0))?
                .map(|size| size.map(|size| u64::try_from(size).unwrap_or(0)))
                .collect()
        })
    }
}

/// Why a file was not imported, shown beside its path in the report.
#[derive(Debug, thiserror::Error)]
enum Skip {
    #[error("the file is empty")]
    Empty,
    #[error(transparent)]
    Failed(#[from] crate::error::Error),
}

/// A file read (and, unless the library already had its content, copied into staging), before it
/// is known whether an earlier file of the same import had the same content.
enum Staged {
    /// Its content is already a resource of the library.
    Known {
        resource_id: String,
        title: String,
        /// The copy just staged, not needed; none when the file was recognised before copying.
        copy: Option<StagedObject>,
    },
    New(Box<NewFile>),
}

/// A file whose content the library does not have yet.
struct NewFile {
    stored: StagedObject,
    file_name: String,
    media_type: &'static str,
    extracted: Extracted,
}

/// Makes a staged file a resource to write, or a duplicate of one earlier in the import (`seen`).
fn admit(staged: Staged, options: &ImportOptions, seen: &mut HashMap<ObjectId, (String, String)>) -> Step {
    let NewFile { stored, file_name, media_type, extracted } = match staged {
        Staged::Known { resource_id, title, copy } => return Step::Duplicate { resource_id, title, copy },
        Staged::New(file) => *file,
    };
    if let Some((resource_id, title)) = seen.get(&stored.id) {
        return Step::Duplicate {
            resource_id: resource_id.clone(),
            title: title.clone(),
            copy: Some(stored),
        };
    }
    let Extracted { mut metadata, text, warnings } = extracted;
    metadata.licence = licence::normalise(&metadata.licence);
    let revision = Revision {
        parents: Vec::new(),
        object: stored.id,
        size: stored.size,
        file_name: file_name.clone(),
        media_type: media_type.to_owned(),
        metadata,
        author: options.author.clone(),
        created_at: now_ms(),
        message: format!("Imported {file_name}"),
    };
    let resource_id = uuid::Uuid::new_v4().to_string();
    seen.insert(stored.id, (resource_id.clone(), revision.metadata.title.clone()));
    Step::Ready(Box::new(Prepared { resource_id, revision, text, staged: Some(stored) }), warnings)
}

enum Step {
    Ready(Box<Prepared>, Vec<String>),
    /// `copy` is the staged copy of the content, if one was made, not needed.
    Duplicate {
        resource_id: String,
        title: String,
        copy: Option<StagedObject>,
    },
}

/// A chunk on its way to be committed.
struct Admitted {
    /// The new resources, to store and write to the catalog.
    prepared: Vec<Prepared>,
    /// Staged copies of content the library has, or that an earlier file of the import had, to
    /// remove. Removing a file waits while the disk flushes the chunk before, so the thread that
    /// commits removes them once that flush is done, and the staging threads go on copying.
    redundant: Vec<StagedObject>,
}

/// Lowers the calling thread's scheduling priority (nice 10), and that of the threads it starts,
/// so that on a busy machine the window, and whatever else the person is doing, comes before an
/// import's copying and hashing; when nothing else wants the processor the import runs as fast.
/// Best effort, and only on Linux, where a thread's id names just that thread to `setpriority`.
fn in_background() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), BACKGROUND_NICE);
    }
}

/// The nice value of the library's background work: imports, and the PDF page drawer.
#[cfg(target_os = "linux")]
pub(crate) const BACKGROUND_NICE: i32 = 10;

/// Files whose content could not be stored (a full disk, say): nothing of them reached the
/// catalog, so they are reported as not imported, and the other files go on.
struct Unstored {
    resource_ids: Vec<String>,
    reason: String,
}

impl Unstored {
    fn new(files: Vec<Prepared>, error: &crate::error::Error) -> Self {
        let resource_ids = files.into_iter().map(|file| file.resource_id).collect();
        Self { resource_ids, reason: format!("it could not be stored: {error}") }
    }
}

/// Where the chunk starting at `start` ends: at [`CHUNK_FILES`] files, or once it holds
/// [`CHUNK_BYTES`] (but never before its first file).
fn chunk_end(candidates: &[Candidate], start: usize) -> usize {
    let mut end = start;
    let mut bytes = 0u64;
    while end < candidates.len() && end - start < CHUNK_FILES && (end == start || bytes < CHUNK_BYTES) {
        bytes += candidates[end].size;
        end += 1;
    }
    end
}

/// Reports what became of each staged file of `chunk` (whose first files `staged` holds the
/// results of) in `items`, and returns what is left to commit.
fn admit_chunk(
    chunk: &[Candidate],
    staged: Vec<std::result::Result<Staged, Skip>>,
    options: &ImportOptions,
    seen: &mut HashMap<ObjectId, (String, String)>,
    items: &mut Vec<ImportItem>,
) -> Admitted {
    let mut admitted = Admitted { prepared: Vec::new(), redundant: Vec::new() };
    for (candidate, result) in chunk.iter().zip(staged) {
        let (outcome, warnings) = match result.map(|staged| admit(staged, options, seen)) {
            Ok(Step::Ready(file, warnings)) => {
                let outcome = ImportOutcome::Imported {
                    resource_id: file.resource_id.clone(),
                    title: file.revision.metadata.title.clone(),
                };
                admitted.prepared.push(*file);
                (outcome, warnings)
            }
            Ok(Step::Duplicate { resource_id, title, copy }) => {
                admitted.redundant.extend(copy);
                (ImportOutcome::Duplicate { resource_id, title }, Vec::new())
            }
            Err(skip) => (ImportOutcome::Skipped { reason: skip.to_string() }, Vec::new()),
        };
        items.push(ImportItem { path: candidate.path.clone(), outcome, warnings });
    }
    admitted
}

/// Writes a chunk's resources: all their rows, then all their texts (see `resources::write_head`).
fn insert(transaction: &Transaction<'_>, files: &[Prepared]) -> rusqlite::Result<()> {
    let mut keys = Vec::with_capacity(files.len());
    for file in files {
        keys.push(resources::write_head(transaction, &file.resource_id, &file.revision)?);
    }
    for (file, key) in files.iter().zip(keys) {
        resources::index_text(transaction, key, &file.revision.metadata, Some(&file.text))?;
    }
    Ok(())
}

/// The file name to keep and export under: the original name with anything that could disguise
/// or misplace it removed (control and direction-override characters, separators).
fn file_name_of(path: &Path) -> String {
    let raw = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let cleaned = clean(&raw.replace(['/', '\\'], "_"));
    if cleaned.is_empty() { "untitled".to_owned() } else { cleaned }
}

/// Names that are never teaching material: editors' lock and swap files, partial downloads, and
/// the system's folder metadata.
pub(crate) fn is_temporary_or_system(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("~$")
        || lower.starts_with(".~lock.")
        || [".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".swx", "~"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
        || ["thumbs.db", "desktop.ini", ".ds_store"].contains(&lower.as_str())
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Expands `paths` into the files to import. Folders are walked without following symbolic links
/// (no loops, nothing outside the folder); hidden, temporary and system files inside folders are
/// passed over silently. Paths named explicitly are reported when they cannot be imported.
fn collect(paths: &[PathBuf], report: &mut Vec<ImportItem>) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    let mut skip = |path: &Path, reason: String| {
        report.push(ImportItem {
            path: path.to_path_buf(),
            outcome: ImportOutcome::Skipped { reason },
            warnings: Vec::new(),
        });
    };
    for path in paths {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                skip(path, format!("it cannot be read: {error}"));
                continue;
            }
        };
        if metadata.is_file() {
            candidates.push(Candidate { path: path.clone(), size: metadata.len() });
            continue;
        }
        if !metadata.is_dir() {
            skip(path, "it is not a file or a folder".to_owned());
            continue;
        }
        let walk =
            walkdir::WalkDir::new(path).follow_links(false).sort_by_file_name().into_iter().filter_entry(
                |entry| {
                    let name = entry.file_name().to_string_lossy();
                    entry.depth() == 0 || !(is_hidden(&name) || is_temporary_or_system(&name))
                },
            );
        for entry in walk {
            match entry {
                Ok(entry) if entry.file_type().is_file() => match entry.metadata() {
                    Ok(metadata) => {
                        candidates.push(Candidate { path: entry.into_path(), size: metadata.len() })
                    }
                    Err(error) => skip(entry.path(), format!("it cannot be read: {error}")),
                },
                Ok(entry) if entry.path_is_symlink() => {
                    skip(
                        entry.path(),
                        "it is a symbolic link, which is not followed inside folders".to_owned(),
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                    skip(&path, format!("it cannot be read: {error}"));
                }
            }
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_progress_passes_the_first_and_the_last() {
        let mut heard = Vec::new();
        {
            let mut report = throttled(std::time::Duration::from_secs(3600), |progress: &ImportProgress| {
                heard.push(progress.items_done);
            });
            for done in 1..=1000 {
                report(&ImportProgress { items_done: done, items_total: 1000, ..ImportProgress::default() });
            }
        }
        assert_eq!(heard, [1, 1000]);
    }

    #[test]
    fn temporary_and_system_files_are_recognised() {
        for name in [
            "~$lesson.docx",
            ".~lock.slides.odp#",
            "video.mp4.part",
            "book.pdf.crdownload",
            "Thumbs.db",
            ".DS_Store",
            "notes.txt~",
        ] {
            assert!(is_temporary_or_system(name), "{name}");
        }
        for name in ["lesson.docx", "partial-fractions.pdf", "temperature.csv"] {
            assert!(!is_temporary_or_system(name), "{name}");
        }
    }

    #[test]
    fn file_names_lose_direction_overrides_and_separators() {
        assert_eq!(file_name_of(Path::new("/x/invoice\u{202E}fdp.exe")), "invoice fdp.exe");
        assert_eq!(file_name_of(Path::new("/")), "untitled");
    }
}
