//! Watched folders: new, changed, moved and deleted files, changes while closed, and the service.

mod common;

use std::fs;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Fixture;
use commonplace_library::{Library, SearchQuery, ServiceOptions, WatchMode, WatchService};

fn all_titles(library: &Library) -> Vec<String> {
    let mut titles: Vec<String> =
        library.search(&SearchQuery::default()).unwrap().into_iter().map(|hit| hit.title).collect();
    titles.sort();
    titles
}

#[test]
fn a_scan_imports_revises_follows_moves_and_marks_deletions() {
    let fixture = Fixture::new();
    let folder = fixture.sources().join("Inbox");
    fs::create_dir_all(folder.join("unit 2")).unwrap();
    fs::write(folder.join("rivers.txt"), "Rivers flow to the sea.").unwrap();
    fs::write(folder.join(".hidden.txt"), "hidden").unwrap();
    fs::write(folder.join("draft.txt.part"), "downloading").unwrap();
    let folder = fixture.library.add_watched_folder(&folder).unwrap();

    let report = fixture.library.scan_watched_folder(&folder).unwrap();
    assert_eq!((report.imported, report.revised, report.moved, report.removed), (1, 0, 0, 0));
    assert_eq!(all_titles(&fixture.library), ["rivers"]);
    let id = fixture.library.search(&SearchQuery::default()).unwrap()[0].id.clone();

    let again = fixture.library.scan_watched_folder(&folder).unwrap();
    assert!(!again.changed_anything(), "a second scan finds nothing new: {again:?}");

    fs::write(folder.join("rivers.txt"), "Rivers flow to the sea, mostly.").unwrap();
    bump_mtime(&folder.join("rivers.txt"));
    let report = fixture.library.scan_watched_folder(&folder).unwrap();
    assert_eq!(report.revised, 1);
    assert_eq!(fixture.library.resource(&id).unwrap().revision_count, 2);

    fs::rename(folder.join("rivers.txt"), folder.join("unit 2").join("rivers and seas.txt")).unwrap();
    let report = fixture.library.scan_watched_folder(&folder).unwrap();
    assert_eq!((report.moved, report.imported, report.removed), (1, 0, 0), "{report:?}");
    assert_eq!(fixture.library.info().unwrap().resource_count, 1, "a move keeps the resource");

    fs::remove_file(folder.join("unit 2").join("rivers and seas.txt")).unwrap();
    let report = fixture.library.scan_watched_folder(&folder).unwrap();
    assert_eq!(report.removed, 1);
    let resource = fixture.library.resource(&id).unwrap();
    assert!(resource.source_removed);
    assert_eq!(fixture.library.info().unwrap().resource_count, 1, "a deletion never removes the resource");
}

/// Some file systems keep modification times in whole seconds; make a rewrite visible.
fn bump_mtime(path: &std::path::Path) {
    let file = fs::File::options().write(true).open(path).unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(5);
    file.set_modified(later).unwrap();
}

#[cfg(unix)]
#[test]
fn symbolic_links_leading_out_of_the_folder_are_not_followed() {
    let fixture = Fixture::new();
    let outside = fixture.write("private/diary.txt", "not for the library");
    let folder = fixture.sources().join("Inbox");
    fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("diary.txt")).unwrap();
    std::os::unix::fs::symlink(outside.parent().unwrap(), folder.join("private")).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("loop")).unwrap();
    let folder = fixture.library.add_watched_folder(&folder).unwrap();
    let report = fixture.library.scan_watched_folder(&folder).unwrap();
    assert_eq!(report.imported, 0, "{report:?}");
    assert!(all_titles(&fixture.library).is_empty());
}

#[test]
fn the_library_itself_cannot_be_watched() {
    let fixture = Fixture::new();
    let error = fixture.library.add_watched_folder(fixture.library.root()).unwrap_err();
    assert!(error.to_string().contains("library"), "{error}");
    let error = fixture.library.add_watched_folder(fixture.temp.path()).unwrap_err();
    assert!(error.to_string().contains("contains the library"), "{error}");
}

#[test]
fn the_service_finds_changes_made_while_closed_and_new_files_as_they_arrive() {
    let fixture = Fixture::new();
    let folder = fixture.sources().join("Inbox");
    fs::create_dir_all(&folder).unwrap();
    let folder = fixture.library.add_watched_folder(&folder).unwrap();
    fs::write(folder.join("while-closed.txt"), "added while the app was closed").unwrap();

    let Fixture { temp: _temp, library } = fixture;
    let library = Arc::new(library);
    let scans = Arc::new(Mutex::new(0u32));
    let counter = Arc::clone(&scans);
    let service = WatchService::start(Arc::clone(&library), move |_| *counter.lock().unwrap() += 1);

    wait_for(|| library.info().unwrap().resource_count == 1, "the start-up scan");
    fs::write(folder.join("new.txt"), "arrived while watching").unwrap();
    wait_for(|| library.info().unwrap().resource_count == 2, "the watched change");
    assert!(*scans.lock().unwrap() >= 2);
    let status = service.status(library.watched_folders().unwrap());
    assert_eq!(status[0].mode, Some(WatchMode::Events));
    drop(service);
}

/// A watcher that fails as the OS does once its limit on watches is reached. (Reaching the real
/// limit would mean lowering `fs.inotify.max_user_watches` for the whole machine.)
struct OutOfWatches;

impl notify::Watcher for OutOfWatches {
    fn new<F: notify::EventHandler>(_: F, _: notify::Config) -> notify::Result<Self> {
        Ok(OutOfWatches)
    }

    fn watch(&mut self, _: &std::path::Path, _: notify::RecursiveMode) -> notify::Result<()> {
        Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch))
    }

    fn unwatch(&mut self, _: &std::path::Path) -> notify::Result<()> {
        Ok(())
    }

    fn kind() -> notify::WatcherKind {
        notify::WatcherKind::NullWatcher
    }
}

#[test]
fn a_folder_the_os_cannot_watch_is_scanned_periodically_and_says_why() {
    let fixture = Fixture::new();
    let folder = fixture.sources().join("Inbox");
    fs::create_dir_all(&folder).unwrap();
    let folder = fixture.library.add_watched_folder(&folder).unwrap();
    fs::write(folder.join("before.txt"), "there before the app started").unwrap();
    let Fixture { temp: _temp, library } = fixture;
    let library = Arc::new(library);
    let options = ServiceOptions {
        make_watcher: Box::new(|_| Ok(Box::new(OutOfWatches))),
        poll_interval: Duration::from_millis(300),
    };
    let service = WatchService::start_with(Arc::clone(&library), |_| {}, options);

    wait_for(
        || service.status(library.watched_folders().unwrap())[0].mode == Some(WatchMode::Polling),
        "the fallback to scanning",
    );
    let status = service.status(library.watched_folders().unwrap());
    let reason = status[0].reason.as_deref().unwrap_or_default();
    assert!(reason.contains("limit on watched files"), "the reason is given in plain words: {reason}");

    // The start-up scan, then one file more: no event will ever come, so only a periodic scan
    // can find it.
    wait_for(|| library.info().unwrap().resource_count == 1, "the start-up scan");
    fs::write(folder.join("new.txt"), "arrived while only scanning").unwrap();
    wait_for(|| library.info().unwrap().resource_count == 2, "the periodic scan");
    drop(service);
}

/// Waits for a condition the background thread brings about. The limit is generous because this
/// machine is shared; the test asserts the outcome, not the time it took.
fn wait_for(condition: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "{what} did not happen");
        std::thread::sleep(Duration::from_millis(100));
    }
}
