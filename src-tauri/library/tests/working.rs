//! Open and edit: working copies, never the stored objects, and saved edits as revisions.

mod common;

use std::fs;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Fixture;
use commonplace_library::{ImportOutcome, WatchService};

fn import_one(fixture: &Fixture) -> String {
    let path = fixture.write("story.md", "# Once\n\nupon a time\n");
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_saved_working_copy_becomes_a_revision_and_the_object_stays_untouched() {
    let fixture = Fixture::new();
    let id = import_one(&fixture);
    let original = fixture.library.resource(&id).unwrap();
    let object_path = fixture.library.store().path(original.object);

    let copy = fixture.library.working_copy(&id).unwrap();
    assert!(copy.starts_with(fixture.library.root()), "working copies stay inside the library");
    assert_ne!(copy, object_path);
    assert!(copy.ends_with("story.md"));
    fs::write(&copy, "# Once\n\nupon a time, in a school\n").unwrap();

    assert_eq!(fixture.library.sync_working_copies().unwrap(), std::slice::from_ref(&id));
    let revised = fixture.library.resource(&id).unwrap();
    assert_eq!(revised.revision_count, 2);
    assert_ne!(revised.object, original.object);
    assert_eq!(fs::read_to_string(&object_path).unwrap(), "# Once\n\nupon a time\n", "objects are immutable");
    assert!(fixture.library.sync_working_copies().unwrap().is_empty(), "nothing new to bring back");

    let reopened = fixture.library.working_copy(&id).unwrap();
    assert_eq!(fs::read_to_string(reopened).unwrap(), "# Once\n\nupon a time, in a school\n");
}

#[test]
fn the_watch_service_brings_saved_edits_back_by_itself() {
    let fixture = Fixture::new();
    let id = import_one(&fixture);
    let copy = fixture.library.working_copy(&id).unwrap();
    let Fixture { temp: _temp, library } = fixture;
    let library = Arc::new(library);
    let _service = WatchService::start(Arc::clone(&library), |_| {});
    fs::write(&copy, "# Once\n\nedited in the word processor\n").unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while library.resource(&id).unwrap().revision_count < 2 {
        assert!(Instant::now() < deadline, "the saved edit never came back");
        std::thread::sleep(Duration::from_millis(100));
    }
}
