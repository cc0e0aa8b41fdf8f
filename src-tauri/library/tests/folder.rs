//! The library folder: creation, reopening, the one-process lock, and what bad folders get.

use std::fs;

use commonplace_library::{Error, FORMAT_VERSION, Library, Opened, layout};

fn new_root() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("Library");
    (temp, root)
}

#[test]
fn first_open_creates_the_layout_and_a_manifest() {
    let (_temp, root) = new_root();
    let (library, opened) = Library::open_or_create(&root).unwrap();
    assert_eq!(opened, Opened::Created);
    for name in [layout::MANIFEST, layout::CATALOG, layout::LOCK] {
        assert!(root.join(name).is_file(), "{name} missing");
    }
    for folder in layout::FOLDERS {
        assert!(root.join(folder).is_dir(), "{folder} missing");
    }
    let info = library.info().unwrap();
    assert_eq!(info.root, root);
    assert_eq!(info.format_version, FORMAT_VERSION);
    assert_eq!((info.resource_count, info.collection_count), (0, 0));
    assert_eq!(info.library_id, library.id());
}

#[test]
fn reopening_keeps_the_library_id() {
    let (_temp, root) = new_root();
    let id = Library::open_or_create(&root).unwrap().0.id().to_owned();
    let (library, opened) = Library::open_or_create(&root).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(library.id(), id);
    assert_eq!(Library::open(&root).map(|library| library.id().to_owned()).ok(), None, "still locked");
}

#[test]
fn a_second_opener_gets_a_clear_locked_error_until_the_first_closes() {
    let (_temp, root) = new_root();
    let (first, _) = Library::open_or_create(&root).unwrap();
    let error = Library::open(&root).unwrap_err();
    assert!(matches!(&error, Error::Locked { path } if *path == root), "{error}");
    assert!(error.to_string().contains("already open"), "{error}");
    drop(first);
    Library::open(&root).unwrap();
}

#[test]
fn opening_a_folder_that_is_not_a_library_fails_without_writing() {
    let (_temp, root) = new_root();
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("lesson-plan.docx"), b"a teacher's file").unwrap();

    let error = Library::open(&root).unwrap_err();
    assert!(matches!(error, Error::NoLibrary { .. }), "{error}");
    let error = Library::open_or_create(&root).unwrap_err();
    assert!(matches!(error, Error::NotALibrary { .. }), "{error}");

    let mut names: Vec<_> =
        fs::read_dir(&root).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    // The lock file is the only thing written, and it holds nothing.
    assert_eq!(names, ["lesson-plan.docx", "lock"]);
    assert_eq!(fs::read(root.join("lesson-plan.docx")).unwrap(), b"a teacher's file");
}

#[test]
fn an_interrupted_creation_can_be_completed() {
    let (_temp, root) = new_root();
    fs::create_dir_all(root.join(layout::OBJECTS)).unwrap();
    fs::create_dir_all(root.join(layout::TMP)).unwrap();
    fs::write(root.join(layout::CATALOG), b"").unwrap();
    let (_library, opened) = Library::open_or_create(&root).unwrap();
    assert_eq!(opened, Opened::Created);
}

#[test]
fn a_library_from_a_newer_format_is_refused_with_the_versions() {
    let (_temp, root) = new_root();
    drop(Library::open_or_create(&root).unwrap());
    let manifest = fs::read_to_string(root.join(layout::MANIFEST)).unwrap();
    let newer = manifest.replace("\"formatVersion\": 1", "\"formatVersion\": 99");
    assert_ne!(manifest, newer);
    fs::write(root.join(layout::MANIFEST), newer).unwrap();

    let error = Library::open(&root).unwrap_err();
    assert!(
        matches!(error, Error::UnsupportedFormat { found: 99, supported: FORMAT_VERSION, .. }),
        "{error}"
    );
}

#[test]
fn a_damaged_manifest_is_reported_by_name() {
    let (_temp, root) = new_root();
    drop(Library::open_or_create(&root).unwrap());
    fs::write(root.join(layout::MANIFEST), b"{ not json").unwrap();
    let error = Library::open(&root).unwrap_err();
    assert!(matches!(error, Error::ManifestInvalid { .. }), "{error}");
    assert!(error.to_string().contains("library.json"), "{error}");
}

#[test]
fn staging_left_by_a_crash_is_cleared_on_open() {
    let (_temp, root) = new_root();
    drop(Library::open_or_create(&root).unwrap());
    let leftover = root.join(layout::TMP).join(".staged-0123");
    fs::write(&leftover, b"half a file").unwrap();
    // An import thread's staging folder, kept between imports.
    let thread_folder = root.join(layout::TMP).join(".staged-import-0");
    fs::create_dir_all(&thread_folder).unwrap();
    fs::write(thread_folder.join(".staged-4567"), b"half a video").unwrap();
    let _library = Library::open(&root).unwrap();
    assert!(!leftover.exists());
    assert!(!thread_folder.exists());
}
