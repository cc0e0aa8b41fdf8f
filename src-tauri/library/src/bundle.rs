//! Bundles: a resource or a whole collection, with its history, metadata, provenance and
//! attributions, as one file to carry on a USB stick or send by e-mail (DESIGN §2, §5).
//!
//! A bundle is a zip archive with stored (uncompressed) entries and fixed timestamps, so the same
//! history always exports to the same bytes:
//!
//! ```text
//! bundle.json                 the manifest (BundleManifest): format version, resources, collection,
//!                             and every revision in parents-first order with the resource it was made in
//! revisions/<revision id>     each revision's canonical encoding, whose hash is its id
//! objects/<BLAKE3 hash>       each content object once
//! ```
//!
//! Importing checks everything before it writes anything: the format version, that every entry is
//! one of those three kinds (names never become paths), that each revision's bytes hash to its id,
//! that every parent comes earlier in the bundle or is already in the library (which rules out
//! cycles and forged parents), and that every object is present and hashes to its name. A bundle
//! that fails any check is refused with the reason and changes nothing. Shared revisions are
//! recognised by id, so a later bundle from the same origin fast-forwards a resource or offers its
//! changes to merge.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use commonplace_licence::Attribution;

use crate::catalog::now_ms;
use crate::error::{Error, IoContext, Result};
use crate::fsutil;
use crate::graph::{self, Relation};
use crate::library::Library;
use crate::lineage::{Provenance, insert_provenance, provenance_of};
use crate::resources::{index_text, write_head};
use crate::revision::{DOMAIN, Revision};
use crate::store::ObjectId;

/// What this version writes, and the newest it reads.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "commonplace-bundle";
/// The file name extension bundles are saved with.
pub const BUNDLE_EXTENSION: &str = "commonplace";

const MANIFEST: &str = "bundle.json";
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
const MAX_REVISION_BYTES: u64 = 4 * 1024 * 1024;
const MAX_ENTRIES: usize = 2_000_000;

/// The manifest, `bundle.json`. Persisted and sent on the wire: snapshot-tested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleManifest {
    pub format: String,
    pub version: u32,
    pub resources: Vec<BundleResource>,
    pub collection: Option<BundleCollection>,
    /// Parents before children.
    pub revisions: Vec<BundleRevision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleResource {
    pub id: String,
    pub head: String,
    pub provenance: Vec<BundleProvenance>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleProvenance {
    pub source_resource_id: String,
    pub source_revision: String,
    pub origin: String,
    pub origin_label: String,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleCollection {
    pub id: String,
    pub name: String,
    pub items: Vec<BundleCollectionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleCollectionItem {
    pub resource_id: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleRevision {
    pub id: String,
    /// The resource the revision was made in.
    pub resource_id: String,
}

/// What a bundle export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleExport {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub resources: u32,
    pub revisions: u32,
    pub objects: u32,
    pub bytes: u64,
}

/// What a bundle import did, resource by resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleImport {
    pub resources: Vec<BundleImportItem>,
    /// The collection created or added to, if the bundle had one.
    pub collection: Option<String>,
    pub new_revisions: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleImportItem {
    pub id: String,
    pub title: String,
    pub outcome: BundleOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BundleOutcome {
    /// New to this library.
    Added,
    /// Known here and not changed since: it now has the bundle's newer version.
    Updated,
    /// Everything in the bundle was already here.
    UpToDate,
    /// Both this library and the bundle changed it: the bundle's version waits to be merged.
    Diverged,
}

/// What to put in a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleContents<'a> {
    Resource(&'a str),
    Collection(&'a str),
}

impl Library {
    /// Writes a bundle of a resource or a manual collection to `destination` (a file path, or a
    /// folder to write into under a name made from the title). An existing file is never replaced.
    pub fn export_bundle(&self, contents: BundleContents<'_>, destination: &Path) -> Result<BundleExport> {
        let (resource_ids, collection, name) = match contents {
            BundleContents::Resource(id) => {
                let resource = self.resource(id)?;
                (vec![resource.id], None, resource.metadata.title)
            }
            BundleContents::Collection(id) => {
                let collection = self.collection(id)?;
                let entries = self.collection_entries(id)?;
                let items: Vec<BundleCollectionItem> = entries
                    .iter()
                    .map(|entry| BundleCollectionItem {
                        resource_id: entry.resource.id.clone(),
                        note: entry.note.clone(),
                    })
                    .collect();
                let ids = items.iter().map(|item| item.resource_id.clone()).collect();
                (
                    ids,
                    Some(BundleCollection { id: collection.id, name: collection.name.clone(), items }),
                    collection.name,
                )
            }
        };
        let manifest = self.manifest_for(&resource_ids, collection)?;
        let target = if destination.is_dir() {
            let stem = crate::resources::portable_file_name(&name);
            destination.join(format!("{stem}.{BUNDLE_EXTENSION}"))
        } else {
            destination.to_path_buf()
        };
        if std::fs::symlink_metadata(&target).is_ok() {
            return Err(Error::Io {
                action: "write the bundle to",
                path: target,
                source: io::Error::new(io::ErrorKind::AlreadyExists, "a file with this name already exists"),
            });
        }
        let staging =
            target.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let staged = fsutil::staged_file(staging)?;
        let (file, objects) =
            self.write_bundle(staged.as_file().try_clone().at("write", staged.path())?, &manifest)?;
        file.sync_all().at("write", staged.path())?;
        let bytes = file.metadata().at("write", staged.path())?.len();
        drop(file);
        fsutil::persist_new(staged, &target)?;
        tracing::info!(bundle = %target.display(), revisions = manifest.revisions.len(), "bundle written");
        Ok(BundleExport {
            path: target,
            resources: count(manifest.resources.len()),
            revisions: count(manifest.revisions.len()),
            objects,
            bytes,
        })
    }

    /// Reads a bundle into this library, after checking all of it.
    pub fn import_bundle(&self, path: &Path) -> Result<BundleImport> {
        let label = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        self.import_bundle_from(path, Origin::Bundle, &label)
    }

    /// Like [`Library::import_bundle`], saying where the bundle came from (for example who shared
    /// it in a conversation): new resources remember it, and a version that waits to be merged is
    /// offered under `label`.
    pub fn import_bundle_from(&self, path: &Path, origin: Origin, label: &str) -> Result<BundleImport> {
        let refused = |reason: String| Error::BundleRefused { path: path.to_path_buf(), reason };
        let file = File::open(path).at("open", path)?;
        let mut archive =
            ZipArchive::new(file).map_err(|error| refused(format!("it is not a bundle file ({error})")))?;
        // Held from checking which objects the store already has, which it then relies on.
        let _adding = self.adding_objects();
        let checked = self.check_bundle(&mut archive).map_err(refused)?;

        // Objects first, renamed into place before any row refers to them.
        for (object, size) in &checked.new_objects {
            let name = format!("objects/{}", object.to_hex());
            let entry = archive.by_name(&name).map_err(|error| refused(format!("{name}: {error}")))?;
            let stored = self.store.put(entry.take(*size), Path::new(&name))?;
            if stored.id != *object {
                return Err(refused(format!("{name} changed while it was read")));
            }
        }
        let manifest = checked.manifest;
        let revisions = checked.revisions;
        let now = now_ms();
        let mut texts: HashMap<String, String> = HashMap::new();
        for resource in &manifest.resources {
            if let Some(revision) = revisions.get(&resource.head) {
                texts.insert(resource.id.clone(), self.body_text(revision));
            }
        }
        let (items, new_revisions, collection) = self.catalog.transaction(|transaction| {
            let mut new_revisions = 0u32;
            for entry in &manifest.revisions {
                let Some(revision) = revisions.get(&entry.id) else { continue };
                let known: bool = transaction
                    .query_row("SELECT EXISTS (SELECT 1 FROM revisions WHERE id = ?1)", [&entry.id], |row| row.get(0))?;
                if !known {
                    crate::resources::insert_revision(transaction, &entry.resource_id, revision)?;
                    new_revisions += 1;
                }
            }
            let mut items = Vec::new();
            // Texts are indexed after every row is written (see `resources::write_head`).
            let mut to_index = Vec::new();
            for resource in &manifest.resources {
                let Some(head) = revisions.get(&resource.head) else { continue };
                let current: Option<String> = transaction
                    .query_row("SELECT head FROM resources WHERE id = ?1", [&resource.id], |row| row.get(0))
                    .optional()?;
                let text = texts.get(&resource.id).map(String::as_str);
                let outcome = match current {
                    None => {
                        to_index.push((write_head(transaction, &resource.id, head)?, head, text));
                        for row in &resource.provenance {
                            insert_provenance(transaction, &resource.id, &from_bundle(row))?;
                        }
                        transaction.execute(
                            "INSERT OR IGNORE INTO arrivals (resource_id, origin, origin_label, arrived_at)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![resource.id, origin.as_str(), label, now],
                        )?;
                        BundleOutcome::Added
                    }
                    Some(current) => match graph::relate(transaction, &current, &resource.head)? {
                        Relation::AlreadyIncluded => BundleOutcome::UpToDate,
                        Relation::FastForward => {
                            to_index.push((write_head(transaction, &resource.id, head)?, head, text));
                            BundleOutcome::Updated
                        }
                        Relation::Diverged { .. } | Relation::Unrelated => {
                            transaction.execute(
                                "INSERT OR REPLACE INTO incoming_heads (resource_id, revision_id, origin_label, received_at)
                                 VALUES (?1, ?2, ?3, ?4)",
                                params![resource.id, resource.head, label, now],
                            )?;
                            BundleOutcome::Diverged
                        }
                    },
                };
                items.push(BundleImportItem { id: resource.id.clone(), title: head.metadata.title.clone(), outcome });
            }
            for (key, head, text) in to_index {
                index_text(transaction, key, &head.metadata, text)?;
            }
            let collection = match &manifest.collection {
                Some(collection) => Some(import_collection(transaction, collection, now)?),
                None => None,
            };
            Ok((items, new_revisions, collection))
        })?;
        tracing::info!(bundle = %path.display(), resources = items.len(), new_revisions, "bundle imported");
        Ok(BundleImport { resources: items, collection, new_revisions })
    }

    fn manifest_for(
        &self,
        resource_ids: &[String],
        collection: Option<BundleCollection>,
    ) -> Result<BundleManifest> {
        self.catalog.call(|connection| {
            let mut resources = Vec::new();
            let mut heads = Vec::new();
            for id in resource_ids {
                let head: String =
                    connection
                        .query_row("SELECT head FROM resources WHERE id = ?1", [id], |row| row.get(0))?;
                let provenance = provenance_of(connection, id)?
                    .into_iter()
                    .map(|row| BundleProvenance {
                        source_resource_id: row.source_resource_id,
                        source_revision: row.source_revision,
                        origin: row.origin,
                        origin_label: row.origin_label,
                        attributions: row.attributions,
                        position: row.position,
                        created_at: row.created_at,
                    })
                    .collect();
                heads.push(head.clone());
                resources.push(BundleResource { id: id.clone(), head, provenance });
            }
            let starts: Vec<&str> = heads.iter().map(String::as_str).collect();
            let parents = graph::parents_reachable_from(connection, &starts)?;
            let mut all: HashSet<String> = HashSet::new();
            for head in &heads {
                all.extend(graph::ancestors(&parents, head));
            }
            let mut info: HashMap<String, (i64, String)> = HashMap::new();
            let mut statement =
                connection.prepare_cached("SELECT created_at, resource_id FROM revisions WHERE id = ?1")?;
            for id in &all {
                let row =
                    statement.query_row([id], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?;
                info.insert(id.clone(), row);
            }
            let order = parents_first(&all, &parents, &info);
            let revisions = order
                .into_iter()
                .map(|id| {
                    let resource_id = info.get(&id).map(|(_, resource)| resource.clone()).unwrap_or_default();
                    BundleRevision { id, resource_id }
                })
                .collect();
            Ok(BundleManifest {
                format: FORMAT_NAME.to_owned(),
                version: BUNDLE_FORMAT_VERSION,
                resources,
                collection,
                revisions,
            })
        })
    }

    fn write_bundle<W: Write + Seek>(&self, out: W, manifest: &BundleManifest) -> Result<(W, u32)> {
        let zip_error = |error: zip::result::ZipError| Error::Io {
            action: "write the bundle",
            path: PathBuf::from(MANIFEST),
            source: io::Error::other(error),
        };
        let options =
            SimpleFileOptions::DEFAULT.compression_method(CompressionMethod::Stored).unix_permissions(0o644);
        let mut zip = ZipWriter::new(out);
        let encoded = serde_json::to_vec_pretty(manifest).unwrap_or_default();
        zip.start_file(MANIFEST, options).map_err(zip_error)?;
        zip.write_all(&encoded).at("write", MANIFEST)?;
        let mut objects: Vec<(ObjectId, u64)> = Vec::new();
        let mut seen = HashSet::new();
        for entry in &manifest.revisions {
            let encoded: Vec<u8> = self.catalog.call(|connection| {
                connection
                    .query_row("SELECT encoded FROM revisions WHERE id = ?1", [&entry.id], |row| row.get(0))
            })?;
            let revision = graph::decode(&entry.id, &encoded)
                .map_err(|source| Error::Catalog { path: self.root().join("catalog.sqlite"), source })?;
            if seen.insert(revision.object) {
                objects.push((revision.object, revision.size));
            }
            zip.start_file(format!("revisions/{}", entry.id), options).map_err(zip_error)?;
            zip.write_all(&encoded).at("write", &entry.id)?;
        }
        for (object, size) in &objects {
            let name = format!("objects/{}", object.to_hex());
            zip.start_file(name.clone(), options.large_file(*size >= u64::from(u32::MAX)))
                .map_err(zip_error)?;
            let mut source = self.store.open(*object)?;
            io::copy(&mut source, &mut zip).at("write", name)?;
        }
        let out = zip.finish().map_err(zip_error)?;
        Ok((out, count(objects.len())))
    }

    /// Every check, before anything is written. Errors are the reason, for [`Error::BundleRefused`].
    fn check_bundle<R: Read + Seek>(
        &self,
        archive: &mut ZipArchive<R>,
    ) -> std::result::Result<Checked, String> {
        if archive.len() > MAX_ENTRIES {
            return Err(format!("it has {} entries, more than any bundle Commonplace writes", archive.len()));
        }
        let mut names = HashSet::new();
        for index in 0..archive.len() {
            let entry = archive.by_index_raw(index).map_err(|error| format!("entry {index}: {error}"))?;
            let name = entry.name().to_owned();
            let valid = name == MANIFEST
                || name.strip_prefix("revisions/").is_some_and(is_hash)
                || name.strip_prefix("objects/").is_some_and(is_hash);
            if !valid {
                return Err(format!("it contains {name:?}, which is not part of a Commonplace bundle"));
            }
            if !names.insert(name.clone()) {
                return Err(format!("it contains {name} twice"));
            }
        }
        let manifest: BundleManifest = {
            let entry = archive
                .by_name(MANIFEST)
                .map_err(|_| "it has no bundle.json: it is not a Commonplace bundle".to_owned())?;
            if entry.size() > MAX_MANIFEST_BYTES {
                return Err("its bundle.json is too large".to_owned());
            }
            let mut bytes = Vec::new();
            entry
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|error| format!("bundle.json: {error}"))?;
            let probe: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|error| format!("its bundle.json is damaged: {error}"))?;
            if probe.get("format").and_then(|format| format.as_str()) != Some(FORMAT_NAME) {
                return Err("its bundle.json does not describe a Commonplace bundle".to_owned());
            }
            let version = probe.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
            if version != u64::from(BUNDLE_FORMAT_VERSION) {
                return Err(format!(
                    "it is in bundle format {version}, and this Commonplace reads format {BUNDLE_FORMAT_VERSION}{}",
                    if version > u64::from(BUNDLE_FORMAT_VERSION) {
                        " — please update Commonplace"
                    } else {
                        ""
                    }
                ));
            }
            serde_json::from_value(probe).map_err(|error| format!("its bundle.json is damaged: {error}"))?
        };

        // The structure first: every parent earlier in the bundle or already here. A cycle always
        // has a revision whose parent comes later, so it is caught here too.
        let position: HashMap<&str, usize> =
            manifest.revisions.iter().enumerate().map(|(index, entry)| (entry.id.as_str(), index)).collect();
        if position.len() != manifest.revisions.len() {
            return Err("its bundle.json lists a revision twice".to_owned());
        }
        let mut revisions: HashMap<String, Revision> = HashMap::new();
        for (index, entry) in manifest.revisions.iter().enumerate() {
            let name = format!("revisions/{}", entry.id);
            if !is_hash(&entry.id) {
                return Err(format!("{:?} is not a revision id", entry.id));
            }
            let encoded = {
                let file = archive
                    .by_name(&name)
                    .map_err(|_| format!("revision {} is listed but missing", short(&entry.id)))?;
                if file.size() > MAX_REVISION_BYTES {
                    return Err(format!("revision {} is too large", short(&entry.id)));
                }
                let mut bytes = Vec::new();
                file.take(MAX_REVISION_BYTES)
                    .read_to_end(&mut bytes)
                    .map_err(|error| format!("{name}: {error}"))?;
                bytes
            };
            let revision: Revision = serde_json::from_slice(&encoded)
                .map_err(|error| format!("revision {} is damaged: {error}", short(&entry.id)))?;
            for parent in &revision.parents {
                match position.get(parent.as_str()) {
                    Some(&parent_index) if parent_index < index => {}
                    Some(_) => {
                        return Err(format!(
                            "revision {} comes before its parent {} — the history has a cycle or was reordered",
                            short(&entry.id),
                            short(parent)
                        ));
                    }
                    None if self.has_revision(parent).map_err(|error| error.to_string())? => {}
                    None => {
                        return Err(format!(
                            "revision {} names a parent {} that is neither in the bundle nor in this library",
                            short(&entry.id),
                            short(parent)
                        ));
                    }
                }
            }
            let mut hasher = blake3::Hasher::new();
            hasher.update(DOMAIN);
            hasher.update(&encoded);
            if hasher.finalize().to_hex().as_str() != entry.id || revision.encode() != encoded {
                return Err(format!(
                    "revision {} does not match its id: the bundle was altered after it was made",
                    short(&entry.id)
                ));
            }
            revisions.insert(entry.id.clone(), revision);
        }
        for resource in &manifest.resources {
            if !revisions.contains_key(&resource.head) {
                return Err(format!(
                    "resource {} names a latest version that is not in the bundle",
                    resource.id
                ));
            }
            if uuid::Uuid::parse_str(&resource.id).is_err() {
                return Err(format!("{:?} is not a resource id", resource.id));
            }
        }
        if let Some(collection) = &manifest.collection {
            let listed: HashSet<&str> =
                manifest.resources.iter().map(|resource| resource.id.as_str()).collect();
            if let Some(item) =
                collection.items.iter().find(|item| !listed.contains(item.resource_id.as_str()))
            {
                return Err(format!(
                    "the collection lists a resource {} that is not in the bundle",
                    item.resource_id
                ));
            }
        }

        // Then the content: each object present here or in the library, and equal to its hash.
        let mut new_objects = Vec::new();
        let mut checked = HashSet::new();
        for revision in manifest.revisions.iter().filter_map(|entry| revisions.get(&entry.id)) {
            if !checked.insert(revision.object) {
                continue;
            }
            let name = format!("objects/{}", revision.object.to_hex());
            match archive.by_name(&name) {
                Ok(entry) => {
                    let mut hasher = blake3::Hasher::new();
                    let read = io::copy(&mut entry.take(revision.size.saturating_add(1)), &mut hasher)
                        .map_err(|error| format!("{name}: {error}"))?;
                    if read != revision.size || *hasher.finalize().as_bytes() != *revision.object.as_bytes() {
                        return Err(format!(
                            "the content of \"{}\" does not match its hash: the bundle was altered or damaged",
                            revision.metadata.title
                        ));
                    }
                    if !self.store.contains(revision.object) {
                        new_objects.push((revision.object, revision.size));
                    }
                }
                Err(_) if self.store.contains(revision.object) => {}
                Err(_) => {
                    return Err(format!(
                        "the content of \"{}\" (revision {}) is missing from the bundle",
                        revision.metadata.title,
                        short(&revision.id())
                    ));
                }
            }
        }
        Ok(Checked { manifest, revisions, new_objects })
    }

    fn has_revision(&self, id: &str) -> Result<bool> {
        self.catalog.call(|connection| {
            connection
                .query_row("SELECT EXISTS (SELECT 1 FROM revisions WHERE id = ?1)", [id], |row| row.get(0))
        })
    }
}

/// How a bundle reached this library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A bundle file, imported from disk.
    Bundle,
    /// A bundle shared in a conversation.
    Conversation,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Bundle => "bundle",
            Origin::Conversation => "conversation",
        }
    }
}

struct Checked {
    manifest: BundleManifest,
    revisions: HashMap<String, Revision>,
    new_objects: Vec<(ObjectId, u64)>,
}

fn from_bundle(row: &BundleProvenance) -> Provenance {
    Provenance {
        source_resource_id: row.source_resource_id.clone(),
        source_revision: row.source_revision.clone(),
        origin: row.origin.clone(),
        origin_label: row.origin_label.clone(),
        attributions: row.attributions.clone(),
        position: row.position,
        created_at: row.created_at,
    }
}

/// Creates the bundle's collection under its own id, or adds what is missing to it when it exists.
fn import_collection(
    transaction: &rusqlite::Transaction<'_>,
    collection: &BundleCollection,
    now: i64,
) -> rusqlite::Result<String> {
    transaction.execute(
        "INSERT OR IGNORE INTO collections (id, parent_id, name, query, created_at) VALUES (?1, NULL, ?2, NULL, ?3)",
        params![collection.id, collection.name, now],
    )?;
    let mut next: i64 = transaction.query_row(
        "SELECT coalesce(max(position) + 1, 0) FROM collection_items WHERE collection_id = ?1",
        [&collection.id],
        |row| row.get(0),
    )?;
    for item in &collection.items {
        let added = transaction.execute(
            "INSERT OR IGNORE INTO collection_items (collection_id, resource_id, position, note, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![collection.id, item.resource_id, next, item.note, now],
        )?;
        next += i64::try_from(added).unwrap_or(0);
    }
    Ok(collection.id.clone())
}

/// Orders revisions so that parents come first; among revisions that are ready, the oldest, then
/// the smallest id — so the order depends only on the history, not on the library it is read from.
fn parents_first(
    all: &HashSet<String>,
    parents: &HashMap<String, Vec<String>>,
    info: &HashMap<String, (i64, String)>,
) -> Vec<String> {
    let key = |id: &String| (info.get(id).map_or(0, |(time, _)| *time), id.clone());
    let mut waiting: HashMap<&String, usize> = HashMap::new();
    let mut children: HashMap<&String, Vec<&String>> = HashMap::new();
    for id in all {
        let inside: Vec<&String> =
            parents.get(id).into_iter().flatten().filter(|parent| all.contains(*parent)).collect();
        waiting.insert(id, inside.len());
        for parent in inside {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut ready: BTreeSet<(i64, String)> =
        waiting.iter().filter(|(_, count)| **count == 0).map(|(id, _)| key(id)).collect();
    let mut order = Vec::with_capacity(all.len());
    while let Some(next) = ready.pop_first() {
        let id = next.1;
        if let Some(list) = children.get(&id) {
            for child in list {
                if let Some(count) = waiting.get_mut(*child) {
                    *count -= 1;
                    if *count == 0 {
                        ready.insert(key(child));
                    }
                }
            }
        }
        order.push(id);
    }
    order
}

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

fn short(id: &str) -> &str {
    crate::history::short(id)
}

fn count(length: usize) -> u32 {
    u32::try_from(length).unwrap_or(u32::MAX)
}
