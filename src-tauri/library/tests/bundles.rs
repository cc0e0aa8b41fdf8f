//! Bundles: a resource or collection with its history as one file, carried to another library;
//! later changes from the same origin recognised by revision id; tampered bundles refused whole.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::Fixture;
use commonplace_library::{
    BundleContents, BundleOutcome, Error, Field, ImportOutcome, MergeOutcome, MergeRelation,
};
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

fn import_text(fixture: &Fixture, name: &str, text: &str) -> String {
    let path = fixture.write(name, text);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

fn save(fixture: &Fixture, id: &str, text: &str) {
    let editable = fixture.library.editable_text(id).unwrap();
    fixture.library.save_text(id, &editable.head, text, "edit", "Ana").unwrap();
}

fn export(fixture: &Fixture, id: &str, name: &str) -> PathBuf {
    let path = fixture.temp.path().join(name);
    fixture.library.export_bundle(BundleContents::Resource(id), &path).unwrap();
    path
}

/// A worksheet with three revisions, copied once, in a library of its own.
fn shared_history() -> (Fixture, String, String) {
    let fixture = Fixture::new();
    let id = import_text(
        &fixture,
        "cells.md",
        "---\ntitle: Cells\nauthor: Ana\nlicense: CC-BY-4.0\n---\n# Cells\n\nA cell is small.\n",
    );
    save(
        &fixture,
        &id,
        "---\ntitle: Cells\nauthor: Ana\nlicense: CC-BY-4.0\n---\n# Cells\n\nA cell is very small.\n",
    );
    let copy = fixture.library.fork(&id, Some("CC-BY-SA-4.0"), "Bea").unwrap();
    (fixture, id, copy.id)
}

#[test]
fn a_copy_travels_with_its_history_and_provenance() {
    let (source, original, copy) = shared_history();
    let bundle = export(&source, &copy, "copy.commonplace");

    let target = Fixture::new();
    let report = target.library.import_bundle(&bundle).unwrap();
    assert_eq!(report.resources.len(), 1);
    assert_eq!(report.resources[0].outcome, BundleOutcome::Added);
    assert_eq!(report.new_revisions, 3, "the original's two revisions and the copy's first");
    let details = target.library.resource(&copy).unwrap();
    assert_eq!(details.metadata.licence, "CC-BY-SA-4.0");
    assert_eq!(target.library.history(&copy).unwrap().len(), 3);
    let lineage = target.library.lineage(&copy).unwrap();
    assert_eq!(lineage.sources[0].resource_id, original);
    assert!(!lineage.sources[0].available, "the original itself was not in the bundle");
    assert!(lineage.attributions[0].text.contains("\"Cells\" by Ana"));
    let arrival = lineage.arrival.expect("it remembers the bundle it came in");
    assert_eq!((arrival.origin.as_str(), arrival.origin_label.as_str()), ("bundle", "copy.commonplace"));
    assert!(source.library.lineage(&copy).unwrap().arrival.is_none(), "made there, not arrived");

    // Importing the same bundle again changes nothing.
    let again = target.library.import_bundle(&bundle).unwrap();
    assert_eq!((again.resources[0].outcome, again.new_revisions), (BundleOutcome::UpToDate, 0));
}

#[test]
fn later_changes_from_the_same_origin_update_or_wait_to_be_merged() {
    let (source, _, copy) = shared_history();
    let target = Fixture::new();
    target.library.import_bundle(&export(&source, &copy, "v1.commonplace")).unwrap();

    // Only the origin changed: the receiver simply moves on to the new version.
    save(&source, &copy, "# Cells\n\nA cell is very small.\n\nCells divide.\n");
    let report = target.library.import_bundle(&export(&source, &copy, "v2.commonplace")).unwrap();
    assert_eq!(report.resources[0].outcome, BundleOutcome::Updated);
    assert_eq!(target.library.resource(&copy).unwrap().head, source.library.resource(&copy).unwrap().head);

    // Both changed: the bundle's version waits as an incoming head, offered for merging.
    save(&source, &copy, "# Cells\n\nA cell is very small.\n\nCells divide in two.\n");
    save(&target, &copy, "# Cells (year 7)\n\nA cell is very small.\n\nCells divide.\n");
    let report = target.library.import_bundle(&export(&source, &copy, "v3.commonplace")).unwrap();
    assert_eq!(report.resources[0].outcome, BundleOutcome::Diverged);
    let lineage = target.library.lineage(&copy).unwrap();
    let incoming = lineage
        .merge_candidates
        .iter()
        .find(|candidate| candidate.relation == MergeRelation::Incoming)
        .expect("the bundle's version is offered");
    assert_eq!(incoming.title, "v3.commonplace");
    let outcome = target.library.merge(&copy, &incoming.from, "Cai").unwrap();
    let MergeOutcome::Merged { resource } = outcome else { panic!("{outcome:?}") };
    let text = std::fs::read_to_string(target.library.store().path(resource.object)).unwrap();
    assert_eq!(text, "# Cells (year 7)\n\nA cell is very small.\n\nCells divide in two.\n");
    assert!(
        target
            .library
            .lineage(&copy)
            .unwrap()
            .merge_candidates
            .iter()
            .all(|c| c.relation != MergeRelation::Incoming)
    );
}

#[test]
fn a_collection_travels_with_its_order_and_notes() {
    let fixture = Fixture::new();
    let first = import_text(&fixture, "a.md", "# A\n");
    let second = import_text(&fixture, "b.md", "# B\n");
    let collection = fixture.library.create_collection("Year 7 biology", None, None).unwrap();
    fixture.library.add_to_collection(&collection.id, &[second.clone(), first.clone()]).unwrap();
    fixture.library.set_collection_note(&collection.id, &first, "Start here").unwrap();
    let path = fixture.temp.path().join("biology.commonplace");
    let written = fixture.library.export_bundle(BundleContents::Collection(&collection.id), &path).unwrap();
    assert_eq!((written.resources, written.revisions, written.objects), (2, 2, 2));

    let target = Fixture::new();
    let report = target.library.import_bundle(&path).unwrap();
    assert_eq!(report.collection.as_deref(), Some(collection.id.as_str()));
    let entries = target.library.collection_entries(&collection.id).unwrap();
    let order: Vec<&str> = entries.iter().map(|entry| entry.resource.id.as_str()).collect();
    assert_eq!(order, [second.as_str(), first.as_str()]);
    assert_eq!(entries[1].note, "Start here");
}

#[test]
fn the_manifest_format_is_stable() {
    let (source, _, copy) = shared_history();
    let bundle = export(&source, &copy, "copy.commonplace");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap()).unwrap();
    let names: Vec<String> =
        (0..archive.len()).map(|index| archive.by_index(index).unwrap().name().to_owned()).collect();
    assert_eq!(names[0], "bundle.json");
    assert_eq!(names.iter().filter(|name| name.starts_with("revisions/")).count(), 3);
    assert_eq!(names.iter().filter(|name| name.starts_with("objects/")).count(), 2);
    let mut manifest = String::new();
    archive.by_name("bundle.json").unwrap().read_to_string(&mut manifest).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    insta::assert_json_snapshot!(manifest, {
        ".resources[].id" => "[resource]",
        ".resources[].head" => "[revision]",
        ".resources[].provenance[].sourceResourceId" => "[resource]",
        ".resources[].provenance[].sourceRevision" => "[revision]",
        ".resources[].provenance[].createdAt" => "[time]",
        ".revisions[].id" => "[revision]",
        ".revisions[].resourceId" => "[resource]",
    });
}

/// Rewrites a bundle, letting `change` alter, drop or add entries.
fn tamper(
    bundle: &Path,
    out: &Path,
    change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(bundle).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            writer.start_file(name, options).unwrap();
            writer.write_all(&bytes).unwrap();
        }
    }
    for (name, bytes) in extra {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

fn manifest_edit(edit: impl Fn(&mut serde_json::Value)) -> impl Fn(&str, Vec<u8>) -> Option<Vec<u8>> {
    move |name, bytes| {
        if name != "bundle.json" {
            return Some(bytes);
        }
        let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        edit(&mut manifest);
        Some(serde_json::to_vec(&manifest).unwrap())
    }
}

#[test]
fn tampered_bundles_are_refused_and_change_nothing() {
    let (source, _, copy) = shared_history();
    let bundle = export(&source, &copy, "copy.commonplace");
    let object = source.library.resource(&copy).unwrap().object.to_hex();

    type Change = Box<dyn Fn(&str, Vec<u8>) -> Option<Vec<u8>>>;
    type Extra = Vec<(&'static str, &'static [u8])>;
    let keep: Change = Box::new(|_, bytes| Some(bytes));
    let cases: Vec<(&str, Change, Extra, &str)> = vec![
        (
            "content changed",
            Box::new(move |name: &str, bytes: Vec<u8>| {
                Some(if name.ends_with(&object) { b"# Cells\n\nA cell is huge.\n".to_vec() } else { bytes })
            }),
            vec![],
            "does not match its hash",
        ),
        (
            "revision edited",
            Box::new(|name: &str, bytes: Vec<u8>| {
                Some(if name.starts_with("revisions/") {
                    String::from_utf8(bytes)
                        .unwrap()
                        .replace("\"author\":\"Ana\"", "\"author\":\"Eve\"")
                        .into_bytes()
                } else {
                    bytes
                })
            }),
            vec![],
            "does not match its id",
        ),
        (
            "forged parent",
            Box::new(manifest_edit(|manifest| {
                manifest["revisions"].as_array_mut().unwrap().remove(0);
            })),
            vec![],
            "neither in the bundle nor in this library",
        ),
        (
            "cycle",
            Box::new(manifest_edit(|manifest| {
                manifest["revisions"].as_array_mut().unwrap().reverse();
            })),
            vec![],
            "cycle",
        ),
        (
            "missing object",
            Box::new(|name: &str, bytes: Vec<u8>| (!name.starts_with("objects/")).then_some(bytes)),
            vec![],
            "is missing from the bundle",
        ),
        (
            "unknown format version",
            Box::new(manifest_edit(|manifest| manifest["version"] = 99.into())),
            vec![],
            "format 99",
        ),
        (
            "path escaping the library",
            keep,
            vec![("../../evil.sh", b"#!/bin/sh\n".as_slice())],
            "not part of a Commonplace bundle",
        ),
    ];
    let target = Fixture::new();
    let existing = import_text(&target, "mine.md", "# Mine\n");
    let catalog_before = target.library.search(&Default::default()).unwrap();
    for (case, change, extra, expected) in cases {
        let tampered = target.temp.path().join(format!("{case}.commonplace"));
        tamper(&bundle, &tampered, change, &extra);
        let error = target.library.import_bundle(&tampered).unwrap_err();
        assert!(matches!(error, Error::BundleRefused { .. }), "{case}: {error}");
        assert!(error.to_string().contains(expected), "{case}: {error}");
        assert_eq!(
            target.library.search(&Default::default()).unwrap(),
            catalog_before,
            "{case} changed the library"
        );
        assert!(matches!(target.library.resource(&copy), Err(Error::ResourceNotFound { .. })), "{case}");
    }
    assert!(!target.temp.path().join("evil.sh").exists());
    let objects = walk(&target.library.root().join("objects"));
    assert_eq!(objects, 1, "only the library's own object: nothing from a refused bundle was stored");
    assert!(target.library.resource(&existing).is_ok());

    let not_a_bundle = target.temp.path().join("notes.commonplace");
    std::fs::write(&not_a_bundle, "just text").unwrap();
    let error = target.library.import_bundle(&not_a_bundle).unwrap_err();
    assert!(error.to_string().contains("not a bundle file"), "{error}");
}

fn walk(folder: &Path) -> usize {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|entry| {
                    let path = entry.unwrap().path();
                    if path.is_dir() { walk(&path) } else { 1 }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn exporting_never_replaces_a_file() {
    let (source, _, copy) = shared_history();
    let path = export(&source, &copy, "copy.commonplace");
    let error = source.library.export_bundle(BundleContents::Resource(&copy), &path).unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
    let into_folder =
        source.library.export_bundle(BundleContents::Resource(&copy), source.temp.path()).unwrap();
    assert!(into_folder.path.ends_with("Cells.commonplace"), "{:?}", into_folder.path);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// export → import → export is byte-identical, whatever the history looks like.
    #[test]
    fn bundles_round_trip_byte_for_byte(
        edits in proptest::collection::vec("[a-z ]{0,12}", 0..4),
        copy_edits in proptest::collection::vec("[a-z ]{0,12}", 0..3),
        retitle in any::<bool>(),
    ) {
        let fixture = Fixture::new();
        let id = import_text(&fixture, "sheet.md", "---\nlicense: CC-BY-4.0\n---\n# Sheet\n");
        for edit in &edits {
            save(&fixture, &id, &format!("# Sheet\n\n{edit}\n"));
        }
        let copy = fixture.library.fork(&id, None, "Bea").unwrap();
        for edit in &copy_edits {
            save(&fixture, &copy.id, &format!("# Copy\n\n{edit}\n"));
        }
        if retitle {
            fixture.library.edit(&copy.id, &[(Field::Title, "Renamed".to_owned())], "Bea").unwrap();
        }
        let first = export(&fixture, &copy.id, "first.commonplace");
        let target = Fixture::new();
        target.library.import_bundle(&first).unwrap();
        let second = target.temp.path().join("second.commonplace");
        target.library.export_bundle(BundleContents::Resource(&copy.id), &second).unwrap();
        prop_assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    }
}
