//! Bounded reading of the ZIP containers that EPUB, DOCX, PPTX, ODT, ODP and H5P are made of.
//!
//! A ZIP says how large each file inside is, but a hostile one can lie, and a few kilobytes can
//! inflate to gigabytes. So an entry is refused when its declared size is over the limit, and is
//! read through `take(limit + 1)` so that one that inflates past what it declared is caught
//! while reading, with never more than the limit in memory. The number of entries is capped too.
//! Entries are only read into memory by their names inside the archive, never written to disk,
//! so names with `..` or absolute paths cannot reach outside it.
//!
//! Not a general ZIP reader: no writing, no encryption, and only stored and deflated entries
//! (the only methods these formats use).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;
use zip::result::ZipError;

use super::{Body, Extracted, MB, Problem};

/// More files than any real document or package holds (large H5P packages carry a few thousand
/// library files), and few enough that listing them stays cheap.
pub(super) const MAX_ENTRIES: usize = 50_000;

/// The most any one entry may unpack to: far above real document parts, far below what would
/// strain memory.
pub(super) const MAX_ENTRY_BYTES: u64 = 64 * MB;

/// The most a metadata part (properties, package documents, manifests) may unpack to.
pub(super) const MAX_METADATA_BYTES: u64 = 4 * MB;

pub(super) struct Archive {
    zip: ZipArchive<BufReader<File>>,
    format: &'static str,
}

impl Archive {
    /// Opens the archive at `path`; `format` names it in warnings ("EPUB", "Word document").
    pub(super) fn open(path: &Path, format: &'static str) -> Result<Self, Problem> {
        let file = BufReader::new(File::open(path)?);
        let zip = ZipArchive::new(file).map_err(|source| Problem::Container { format, source })?;
        if zip.len() > MAX_ENTRIES {
            return Err(Problem::TooManyEntries { format, count: zip.len(), limit: MAX_ENTRIES });
        }
        Ok(Self { zip, format })
    }

    /// The names of the entries, in the order the archive stores them.
    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.zip.file_names()
    }

    /// Reads the entry `name`, refusing it when it is, or turns out to be, larger than `limit`.
    pub(super) fn read(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, Problem> {
        let part = || name.to_owned();
        let entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => {
                return Err(Problem::MissingPart { format: self.format, part: part() });
            }
            Err(source) => return Err(Problem::Entry { part: part(), source }),
        };
        if entry.size() > limit {
            return Err(Problem::EntryTooLarge { part: part(), limit });
        }
        let mut bytes = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| Problem::EntryIo { part: part(), source })?;
        if bytes.len() as u64 > limit {
            return Err(Problem::EntryTooLarge { part: part(), limit });
        }
        Ok(bytes)
    }
}

/// A plain ZIP: the names of the files inside are its text, so a search for "worksheet" finds the
/// archive that holds `fractions-worksheet.pdf`. Nothing inside is unpacked.
pub(super) fn extract_names(path: &Path) -> Result<Extracted, Problem> {
    let archive = Archive::open(path, "ZIP archive")?;
    let mut extracted = Extracted::default();
    let mut body = Body::default();
    for name in archive.names() {
        if !(body.push(name) && body.push("\n")) {
            break;
        }
    }
    body.finish(&mut extracted);
    Ok(extracted)
}
