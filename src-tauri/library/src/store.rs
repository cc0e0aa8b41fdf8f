//! The content store: immutable objects named by their BLAKE3 hash under
//! `objects/ab/cd/<hash>`. Content is hashed while it is copied (bounded memory, one pass), staged
//! in `tmp/`, flushed, and renamed into place, so an object under its final name is always whole.
//! Identical content is stored once.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use crate::fsutil;

/// Large enough to keep the disk and the hasher busy, small enough to bound memory per import.
const COPY_BUFFER: usize = 1024 * 1024;
/// Files from this size on are hashed on a second thread while they are copied.
const PIPELINE_THRESHOLD: u64 = 8 * 1024 * 1024;
/// Buffers in flight between the copying and the hashing thread.
const PIPELINE_BUFFERS: usize = 4;
/// How much the kernel copies at a time before the hashing thread is told; the hasher follows at
/// most a few of these behind, reading what was just written from the page cache.
#[cfg(target_os = "linux")]
const KERNEL_COPY_CHUNK: usize = 4 * 1024 * 1024;

/// The BLAKE3 hash of an object's content, shown and stored as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ObjectId([u8; 32]);

impl ObjectId {
    pub fn to_hex(self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl FromStr for ObjectId {
    type Err = Error;

    /// Accepts exactly 64 lowercase hex digits: the id becomes a path, so nothing else may pass.
    fn from_str(text: &str) -> Result<Self> {
        let valid = text.len() == 64 && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
        let hash = valid.then(|| blake3::Hash::from_hex(text).ok()).flatten();
        hash.map(|hash| Self(*hash.as_bytes()))
            .ok_or_else(|| Error::InvalidObjectId { text: text.to_owned() })
    }
}

impl TryFrom<String> for ObjectId {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl From<ObjectId> for String {
    fn from(id: ObjectId) -> Self {
        id.to_hex()
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "ObjectId({})", self.to_hex())
    }
}

/// Content copied into the staging folder and hashed, not yet stored under its final name.
pub(crate) struct StagedObject {
    staged: Staged,
    pub id: ObjectId,
    pub size: u64,
    /// A large object's flush to disk, started as soon as it was written so that it overlaps the
    /// copying of whatever comes next; [`ObjectStore::commit`] waits for it.
    flushing: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl StagedObject {
    /// The staged copy, to read (for extraction) before it is committed.
    pub(crate) fn path(&self) -> &Path {
        match &self.staged {
            Staged::Open(file) => file.path(),
            Staged::Closed(path) => path,
        }
    }
}

/// A staged copy, removed when dropped unless renamed into place. On Linux it is closed as soon as
/// it is written: one `syncfs` flushes every staged file without their descriptors, so an import
/// can stage thousands of files between flushes without running into the open-file limit.
/// Elsewhere each file is flushed through its own descriptor, so it stays open until committed.
enum Staged {
    Open(tempfile::NamedTempFile),
    Closed(tempfile::TempPath),
}

impl Staged {
    fn written(file: tempfile::NamedTempFile) -> Self {
        if cfg!(target_os = "linux") { Staged::Closed(file.into_temp_path()) } else { Staged::Open(file) }
    }
}

/// The id the content of the file at `path` would have, read in bounded memory without copying it.
pub(crate) fn hash_file(path: &Path) -> Result<ObjectId> {
    hash_read(File::open(path).at("open", path)?, path)
}

/// The id of everything `file` (at `path`, for errors) holds from where it is.
fn hash_read(file: File, path: &Path) -> Result<ObjectId> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file).at("read", path)?;
    Ok(ObjectId(*hasher.finalize().as_bytes()))
}

/// What the objects folder holds.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    pub objects: Vec<ObjectId>,
    /// Folders for objects (`objects/ab/cd`) that hold nothing: left by objects staged but never
    /// stored, those of a cancelled import, say.
    pub empty_folders: Vec<PathBuf>,
}

/// A staged object [`ObjectStore::commit`] could not give its final name; its staged copy is gone.
#[derive(Debug)]
pub(crate) struct Refused {
    pub id: ObjectId,
    pub error: Error,
}

/// What [`ObjectStore::put`] stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredObject {
    pub id: ObjectId,
    pub size: u64,
    /// False when identical content was already in the store.
    pub newly_stored: bool,
}

#[derive(Debug, Clone)]
pub struct ObjectStore {
    objects: PathBuf,
    staging: PathBuf,
}

impl ObjectStore {
    pub(crate) fn new(objects: PathBuf, staging: PathBuf) -> Self {
        Self { objects, staging }
    }

    /// Where the object lives. The id is validated on construction, so this path is always inside
    /// the objects folder.
    pub fn path(&self, id: ObjectId) -> PathBuf {
        let hex = id.to_hex();
        self.objects.join(&hex[0..2]).join(&hex[2..4]).join(hex)
    }

    pub fn contains(&self, id: ObjectId) -> bool {
        self.path(id).is_file()
    }

    pub fn open(&self, id: ObjectId) -> Result<File> {
        let path = self.path(id);
        File::open(&path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => Error::ObjectMissing { id },
            _ => Error::Io { action: "open", path, source },
        })
    }

    /// Stores the content of the file at `source`, durably. `source` is only read.
    pub(crate) fn put_file(&self, source: &Path) -> Result<StoredObject> {
        let staged = self.stage_file(source)?;
        self.commit_one(staged)
    }

    /// Copies the file at `source` into the staging folder, hashing it in the same pass (bounded
    /// memory), without yet flushing it to disk or giving it its final name: many files are then
    /// made durable together by [`commit`](Self::commit), which is what makes importing many
    /// small files fast.
    pub(crate) fn stage_file(&self, source: &Path) -> Result<StagedObject> {
        self.stage_file_in(source, &self.staging)
    }

    /// Like [`stage_file`](Self::stage_file), staging in `folder`, a folder inside the staging
    /// folder.
    pub(crate) fn stage_file_in(&self, source: &Path, folder: &Path) -> Result<StagedObject> {
        let file = File::open(source).at("open", source)?;
        let size = file.metadata().at("read", source)?.len();
        if size < PIPELINE_THRESHOLD {
            // A buffer the size of the file, not a megabyte zeroed for each of a thousand notes.
            let buffer =
                usize::try_from(size).unwrap_or(COPY_BUFFER).saturating_add(1).clamp(4096, COPY_BUFFER);
            return self.stage(file, source, buffer, folder);
        }
        #[cfg(target_os = "linux")]
        if let Some(staged) = self.stage_in_kernel(&file, source, folder)? {
            return Ok(staged);
        }
        self.stage_pipelined(file, source, folder)
    }

    /// Copies a large file inside the kernel (`copy_file_range`: no copy through this process, and
    /// a shared extent on file systems that can reflink) while a second thread hashes what has been
    /// copied so far, reading it back from the staged file, so the id is the hash of exactly what
    /// is stored. `None` when the kernel cannot copy between these two files (another file system
    /// on an old kernel, a special file); nothing was staged then and the caller copies itself.
    #[cfg(target_os = "linux")]
    fn stage_in_kernel(&self, source: &File, name: &Path, folder: &Path) -> Result<Option<StagedObject>> {
        use std::os::unix::fs::FileExt;

        let staged = fsutil::staged_file(folder)?;
        let target = staged.as_file();
        let (progress, copied_up_to) = mpsc::sync_channel::<u64>(PIPELINE_BUFFERS);
        let outcome = std::thread::scope(|scope| -> Result<Option<(u64, ObjectId)>> {
            let hashing = scope.spawn(move || -> io::Result<ObjectId> {
                let mut hasher = blake3::Hasher::new();
                let mut buffer = vec![0; COPY_BUFFER];
                let mut hashed = 0u64;
                for copied in copied_up_to {
                    let from = hashed;
                    while hashed < copied {
                        let want = usize::try_from(copied - hashed).unwrap_or(usize::MAX).min(COPY_BUFFER);
                        let count = target.read_at(&mut buffer[..want], hashed)?;
                        if count == 0 {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "the staged copy is short",
                            ));
                        }
                        hasher.update(&buffer[..count]);
                        hashed += count as u64;
                    }
                    // Hands what has been hashed to the disk now, rather than all at the flush:
                    // the kernel starts writing the range out and lets go of the pages it has
                    // written, so writing overlaps copying and the cache does not fill up.
                    let written = std::num::NonZeroU64::new(hashed - from);
                    let _ = rustix::fs::fadvise(target, from, written, rustix::fs::Advice::DontNeed);
                }
                Ok(ObjectId(*hasher.finalize().as_bytes()))
            });
            let mut copied = 0u64;
            loop {
                match rustix::fs::copy_file_range(source, None, target, None, KERNEL_COPY_CHUNK) {
                    Ok(0) => break,
                    Ok(count) => {
                        copied += count as u64;
                        if progress.send(copied).is_err() {
                            break;
                        }
                    }
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(
                        rustix::io::Errno::XDEV
                        | rustix::io::Errno::NOSYS
                        | rustix::io::Errno::OPNOTSUPP
                        | rustix::io::Errno::INVAL,
                    ) if copied == 0 => {
                        drop(progress);
                        let _ = hashing.join();
                        return Ok(None);
                    }
                    Err(error) => {
                        drop(progress);
                        let _ = hashing.join();
                        return Err(Error::Io {
                            action: "copy",
                            path: name.to_path_buf(),
                            source: error.into(),
                        });
                    }
                }
            }
            drop(progress);
            let id = hashing
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the hashing thread stopped")))
                .at("read", staged.path())?;
            Ok(Some((copied, id)))
        })?;
        let Some((size, id)) = outcome else { return Ok(None) };
        // Writing a large file to disk takes about as long as copying it: start now, in the
        // background, rather than in one flush at the end of the batch.
        let file = target.try_clone().at("flush", staged.path())?;
        let flushing = Some(std::thread::spawn(move || file.sync_data()));
        self.staged(staged, id, size, flushing).map(Some)
    }

    /// Like `stage`, with hashing on a second thread while this one reads and writes, so a large
    /// file costs about the longer of the two rather than their sum. Buffers go round between the
    /// threads, so memory stays at a few buffers whatever the size.
    fn stage_pipelined(&self, mut reader: File, name: &Path, folder: &Path) -> Result<StagedObject> {
        let mut staged = fsutil::staged_file(folder)?;
        let (full_sender, full_receiver) = mpsc::sync_channel::<(Vec<u8>, usize)>(PIPELINE_BUFFERS);
        let (empty_sender, empty_receiver) = mpsc::sync_channel::<Vec<u8>>(PIPELINE_BUFFERS);
        for _ in 0..PIPELINE_BUFFERS {
            let _ = empty_sender.send(vec![0; COPY_BUFFER]);
        }
        let (size, id) = std::thread::scope(|scope| -> Result<(u64, ObjectId)> {
            let hashing = scope.spawn(move || {
                let mut hasher = blake3::Hasher::new();
                for (buffer, count) in full_receiver {
                    hasher.update(&buffer[..count]);
                    let _ = empty_sender.send(buffer);
                }
                ObjectId(*hasher.finalize().as_bytes())
            });
            let mut size = 0u64;
            while let Ok(mut buffer) = empty_receiver.recv() {
                let count = match reader.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(count) => count,
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {
                        let _ = full_sender.send((buffer, 0));
                        continue;
                    }
                    Err(source) => {
                        return Err(Error::Io { action: "read", path: name.to_path_buf(), source });
                    }
                };
                staged.write_all(&buffer[..count]).at("write", staged.path())?;
                size += count as u64;
                if full_sender.send((buffer, count)).is_err() {
                    break;
                }
            }
            drop(full_sender);
            let id = hashing.join().map_err(|_| Error::Io {
                action: "hash",
                path: name.to_path_buf(),
                source: io::Error::other("the hashing thread stopped"),
            })?;
            Ok((size, id))
        })?;
        // Writing a large file to disk takes about as long as copying it: start now, in the
        // background, rather than in one flush at the end of the batch.
        let file = staged.as_file().try_clone().at("flush", staged.path())?;
        let flushing = Some(std::thread::spawn(move || file.sync_data()));
        self.staged(staged, id, size, flushing)
    }

    /// Copies `reader` into a staged file, hashing it on the way, `buffer` bytes at a time.
    fn stage(
        &self,
        mut reader: impl Read,
        name: &Path,
        buffer: usize,
        folder: &Path,
    ) -> Result<StagedObject> {
        let mut staged = fsutil::staged_file(folder)?;
        let mut hasher = blake3::Hasher::new();
        let mut buffer = vec![0; buffer];
        let mut size = 0u64;
        loop {
            let count = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(count) => count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => return Err(Error::Io { action: "read", path: name.to_path_buf(), source }),
            };
            hasher.update(&buffer[..count]);
            staged.write_all(&buffer[..count]).at("write", staged.path())?;
            size += count as u64;
        }
        self.staged(staged, ObjectId(*hasher.finalize().as_bytes()), size, None)
    }

    /// A staged copy, with the folder it will be stored in made ready. Creating a folder costs
    /// about as much as creating a file, and nearly every new object needs one of its own, so this
    /// is done here, on whichever thread staged the object, rather than one after the other when
    /// a batch is committed. An empty folder is all that is left if the object is never stored.
    fn staged(
        &self,
        staged: tempfile::NamedTempFile,
        id: ObjectId,
        size: u64,
        flushing: Option<std::thread::JoinHandle<io::Result<()>>>,
    ) -> Result<StagedObject> {
        let destination = self.path(id);
        if let Some(folder) = destination.parent() {
            fs::create_dir_all(folder).at("create", folder)?;
        }
        Ok(StagedObject { staged: Staged::written(staged), id, size, flushing })
    }

    /// Commits one staged object, failing if it cannot be stored.
    fn commit_one(&self, staged: StagedObject) -> Result<StoredObject> {
        let stored =
            StoredObject { id: staged.id, size: staged.size, newly_stored: !self.contains(staged.id) };
        match self.commit(vec![staged])?.pop() {
            Some(Refused { error, .. }) => Err(error),
            None => Ok(stored),
        }
    }

    /// Makes staged objects durable under their final names: one flush of the file system for
    /// the content, the renames, and one more flush for the renames. Content already stored is
    /// kept as it is and its staged copy discarded. An object that cannot be given its final name
    /// is returned as [`Refused`] and the others are stored; an error means the flushes failed,
    /// and none of the objects may be counted on.
    pub(crate) fn commit(&self, objects: Vec<StagedObject>) -> Result<Vec<Refused>> {
        let mut fresh: Vec<StagedObject> =
            objects.into_iter().filter(|object| !self.contains(object.id)).collect();
        if fresh.is_empty() {
            return Ok(Vec::new());
        }
        let mut unflushed = false;
        for object in &mut fresh {
            match object.flushing.take() {
                Some(flushing) => flushing
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("the flushing thread stopped")))
                    .at("flush", object.path())?,
                None => unflushed = true,
            }
        }
        if unflushed {
            let open = fresh.iter().filter_map(|object| match &object.staged {
                Staged::Open(file) => Some(file.as_file()),
                Staged::Closed(_) => None,
            });
            fsutil::flush_all(&self.staging, open)?;
        }
        let mut folders = Vec::new();
        let mut refused = Vec::new();
        for object in fresh {
            let id = object.id;
            match self.rename_into_place(object) {
                Ok(folder) => folders.push(folder),
                Err(error) => refused.push(Refused { id, error }),
            }
        }
        fsutil::flush_folders(&self.objects, &folders)?;
        Ok(refused)
    }

    /// Gives a flushed staged object its final name, and returns the folder it is now in.
    fn rename_into_place(&self, object: StagedObject) -> Result<PathBuf> {
        let destination = self.path(object.id);
        let folder = destination.parent().unwrap_or(&self.objects).to_path_buf();
        // Made when the object was staged (see `staged`); made again if it went since.
        if !folder.is_dir() {
            fs::create_dir_all(&folder).at("create", &folder)?;
        }
        match object.staged {
            Staged::Open(file) => fsutil::rename_into_place(file, &destination)?,
            Staged::Closed(path) => path.persist(&destination).map_err(|error| Error::Io {
                action: "store",
                path: destination.clone(),
                source: error.error,
            })?,
        }
        Ok(folder)
    }

    /// Stores everything `reader` yields, durably, hashing it on the way. `name` is used in
    /// error messages.
    pub(crate) fn put(&self, reader: impl Read, name: &Path) -> Result<StoredObject> {
        let staged = self.stage(reader, name, COPY_BUFFER, &self.staging)?;
        self.commit_one(staged)
    }
}

impl ObjectStore {
    /// Every object in the store.
    pub(crate) fn ids(&self) -> Result<Vec<ObjectId>> {
        Ok(self.inventory()?.objects)
    }

    /// What the objects folder holds, in one walk.
    pub(crate) fn inventory(&self) -> Result<Inventory> {
        let mut inventory = Inventory::default();
        // The walk goes depth first, each folder followed by what is in it: a folder counts as
        // empty until an entry inside it comes.
        let mut last_folder_empty = false;
        for entry in walkdir::WalkDir::new(&self.objects).min_depth(2).max_depth(3).follow_links(false) {
            let entry = entry.map_err(|error| Error::Io {
                action: "list",
                path: self.objects.clone(),
                source: error.into(),
            })?;
            if entry.depth() == 2 {
                last_folder_empty = entry.file_type().is_dir();
                if last_folder_empty {
                    inventory.empty_folders.push(entry.into_path());
                }
                continue;
            }
            if last_folder_empty {
                inventory.empty_folders.pop();
                last_folder_empty = false;
            }
            // Whatever is named like an object, so that a deep check also finds a folder or a
            // link standing in an object's place.
            if let Ok(id) = entry.file_name().to_string_lossy().parse::<ObjectId>() {
                inventory.objects.push(id);
            }
        }
        Ok(inventory)
    }

    /// Hashes an object's content again, to find damage.
    pub(crate) fn rehash(&self, id: ObjectId) -> Result<ObjectId> {
        hash_read(self.open(id)?, &self.path(id))
    }

    /// Deletes those of `candidates` (from [`inventory`](Self::inventory)) whose id is not in `referenced`,
    /// returning how many were deleted. Only files are deleted: whatever else stands in an
    /// object's place is left for `check` to report.
    pub(crate) fn remove_unreferenced(
        &self,
        candidates: Vec<ObjectId>,
        referenced: &std::collections::HashSet<String>,
    ) -> Result<u64> {
        let mut removed = 0;
        for id in candidates.into_iter().filter(|id| !referenced.contains(&id.to_hex())) {
            let path = self.path(id);
            if fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_file()) {
                fs::remove_file(&path).at("remove", &path)?;
                removed += 1;
                if let Some(folder) = path.parent() {
                    self.remove_if_empty(folder);
                }
            }
        }
        Ok(removed)
    }

    /// Removes `folder`, an object's folder (`objects/ab/cd`), and the one above it, if they hold
    /// nothing. A folder that is in use again by now is not empty, and is left.
    pub(crate) fn remove_if_empty(&self, folder: &Path) {
        if folder.parent().and_then(Path::parent) != Some(self.objects.as_path()) {
            return;
        }
        if fs::remove_dir(folder).is_ok()
            && let Some(above) = folder.parent()
        {
            let _ = fs::remove_dir(above);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, ObjectStore) {
        let temp = tempfile::tempdir().unwrap();
        let store = ObjectStore::new(temp.path().join("objects"), temp.path().join("tmp"));
        fs::create_dir_all(temp.path().join("tmp")).unwrap();
        (temp, store)
    }

    #[test]
    fn objects_are_named_by_their_blake3_hash_and_stored_once() {
        let (temp, store) = store();
        let first = store.put(&b"fractions worksheet"[..], Path::new("a")).unwrap();
        let second = store.put(&b"fractions worksheet"[..], Path::new("b")).unwrap();
        assert_eq!(first.id.to_hex(), blake3::hash(b"fractions worksheet").to_hex().to_string());
        assert!(first.newly_stored && !second.newly_stored);
        assert_eq!(first.id, second.id);
        assert_eq!(fs::read(store.path(first.id)).unwrap(), b"fractions worksheet");
        assert_eq!(fs::read_dir(temp.path().join("tmp")).unwrap().count(), 0, "nothing left in staging");
        let hex = first.id.to_hex();
        assert!(store.path(first.id).ends_with(format!("objects/{}/{}/{hex}", &hex[..2], &hex[2..4])));
    }

    #[test]
    fn large_files_hash_the_same_through_the_pipeline() {
        let (temp, store) = store();
        let path = temp.path().join("large.bin");
        let content: Vec<u8> =
            (0..(PIPELINE_THRESHOLD as usize * 2 + 12345)).map(|index| (index % 251) as u8).collect();
        fs::write(&path, &content).unwrap();
        let stored = store.put_file(&path).unwrap();
        assert_eq!(stored.id.to_hex(), blake3::hash(&content).to_hex().to_string());
        assert_eq!(stored.size, content.len() as u64);
        assert_eq!(fs::read(store.path(stored.id)).unwrap(), content);
        assert_eq!(fs::read_dir(temp.path().join("tmp")).unwrap().count(), 0, "nothing left in staging");

        // The copy through this process, used where the kernel cannot copy, agrees.
        let staging = temp.path().join("tmp");
        let staged = store.stage_pipelined(File::open(&path).unwrap(), &path, &staging).unwrap();
        assert_eq!((staged.id, staged.size), (stored.id, stored.size));
        #[cfg(target_os = "linux")]
        {
            let kernel = store.stage_in_kernel(&File::open(&path).unwrap(), &path, &staging).unwrap();
            let kernel = kernel.expect("the kernel copies within one file system");
            assert_eq!((kernel.id, kernel.size), (stored.id, stored.size));
            assert_eq!(fs::read(kernel.path()).unwrap(), content, "the staged copy is whole");
        }
    }

    #[test]
    fn a_read_error_leaves_nothing_behind() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("the disk went away"))
            }
        }
        let (temp, store) = store();
        let error = store.put(Failing, Path::new("lesson.pdf")).unwrap_err();
        assert!(error.to_string().contains("lesson.pdf"), "{error}");
        assert_eq!(fs::read_dir(temp.path().join("tmp")).unwrap().count(), 0);
        assert!(!temp.path().join("objects").exists());
    }

    #[test]
    fn object_ids_from_outside_must_be_exact_hex() {
        let valid = blake3::hash(b"x").to_hex().to_string();
        assert!(valid.parse::<ObjectId>().is_ok());
        for bad in [
            "",
            "../../etc/passwd",
            &valid.to_uppercase(),
            &valid[1..],
            &format!("{valid}0"),
            &valid.replace('a', "/"),
        ] {
            assert!(bad.parse::<ObjectId>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_missing_object_is_named() {
        let (_temp, store) = store();
        let id: ObjectId = blake3::hash(b"never stored").to_hex().parse().unwrap();
        assert!(matches!(store.open(id), Err(Error::ObjectMissing { id: missing }) if missing == id));
    }
}
