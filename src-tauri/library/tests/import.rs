//! Import of files and folders: what is imported, what is a duplicate, what is skipped and why.

mod common;

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};

use common::Fixture;
use commonplace_library::{ImportOptions, ImportOutcome, SearchQuery};

fn imported_id(outcome: &ImportOutcome) -> &str {
    match outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id,
        other => panic!("expected an import, got {other:?}"),
    }
}

#[test]
fn a_markdown_file_becomes_a_resource_with_its_metadata() {
    let fixture = Fixture::new();
    let source = "---\ntitle: Fractions\nauthor: Ana Souza\nlicense: CC-BY-4.0\nlang: en\n---\n# Halves\n\nA half is one of two equal parts.\n";
    let path = fixture.write("fractions.md", source);
    let report = fixture.import(&[&path]);
    assert_eq!(report.items.len(), 1);
    let id = imported_id(&report.items[0].outcome);

    let resource = fixture.library.resource(id).unwrap();
    assert_eq!(resource.metadata.title, "Fractions");
    assert_eq!(resource.metadata.creators, ["Ana Souza"]);
    assert_eq!(resource.metadata.licence, "CC-BY-4.0");
    assert_eq!(resource.file_name, "fractions.md");
    assert_eq!(resource.media_type, "text/markdown");
    assert_eq!(resource.revision_count, 1);
    assert_eq!(fs::read(fixture.library.store().path(resource.object)).unwrap(), source.as_bytes());
    assert_eq!(fs::read_to_string(&path).unwrap(), source, "the user's file is never changed");
    assert_eq!(fixture.library.info().unwrap().resource_count, 1);
}

#[test]
fn folders_are_imported_recursively_without_hidden_or_temporary_files() {
    let fixture = Fixture::new();
    fixture.write("unit/one.txt", "first");
    fixture.write("unit/deeper/two.html", "<title>Two</title><p>second</p>");
    fixture.write("unit/.git/config", "hidden");
    fixture.write("unit/~$draft.docx", "lock file");
    fixture.write("unit/video.mp4.part", "partial");
    let report = fixture.import(&[&fixture.sources().join("unit")]);
    let mut names: Vec<String> = report
        .items
        .iter()
        .map(|item| item.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["one.txt", "two.html"]);
    assert_eq!(report.count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })), 2);
}

#[test]
fn identical_content_is_one_resource_and_later_copies_are_duplicates() {
    let fixture = Fixture::new();
    let first = fixture.write("a/worksheet.txt", "same words");
    let second = fixture.write("b/copy of worksheet.txt", "same words");
    let report = fixture.import(&[&first, &second]);
    let id = imported_id(&report.items[0].outcome).to_owned();
    assert!(
        matches!(&report.items[1].outcome, ImportOutcome::Duplicate { resource_id, .. } if *resource_id == id)
    );

    let again = fixture.import(&[&first]);
    assert!(
        matches!(&again.items[0].outcome, ImportOutcome::Duplicate { resource_id, .. } if *resource_id == id)
    );
    assert_eq!(fixture.library.info().unwrap().resource_count, 1);
    assert_eq!(staged_files(&fixture), Vec::<std::path::PathBuf>::new(), "the duplicates' copies are gone");
}

/// Files left in the library's staging folder, however deep.
fn staged_files(fixture: &Fixture) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![fixture.library.root().join("tmp")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files
}

#[test]
fn content_that_cannot_be_stored_is_reported_by_name_and_the_rest_of_the_batch_is_imported() {
    let fixture = Fixture::new();
    let blocked = "Content whose place in the store is taken.";
    let first = fixture.write("notes/first.txt", "The first note.");
    let refused = fixture.write("notes/refused.txt", blocked);
    let last = fixture.write("notes/last.txt", "The last note.");
    let copy = fixture.write("notes/copy of refused.txt", blocked);
    // A folder stands where the content's object belongs, so the staged copy cannot be renamed
    // into place: the store's commit refuses this object after flushing the whole chunk.
    let id: commonplace_library::ObjectId = blake3::hash(blocked.as_bytes()).to_hex().parse().unwrap();
    let object = fixture.library.store().path(id);
    fs::create_dir_all(object.join("in the way")).unwrap();

    let report = fixture.import(&[&first, &refused, &last, &copy]);
    // The refused file, and its copy, which is not a duplicate of anything the library has.
    for item in [&report.items[1], &report.items[3]] {
        let reason = match &item.outcome {
            ImportOutcome::Skipped { reason } => reason,
            other => panic!("expected {} to be skipped, got {other:?}", item.path.display()),
        };
        assert!(reason.contains("could not be stored") && reason.contains(&id.to_hex()), "{reason}");
    }
    imported_id(&report.items[0].outcome);
    imported_id(&report.items[2].outcome);
    assert_eq!(fixture.library.info().unwrap().resource_count, 2, "nothing of the refused file is written");
    assert_eq!(staged_files(&fixture), Vec::<std::path::PathBuf>::new(), "nothing is left in staging");
    // Every row has its object; the deep check points at what stands in the object's place.
    let check = fixture.library.check(true).unwrap();
    assert!(check.catalog_ok && check.missing_objects.is_empty(), "{check:?}");
    assert_eq!(check.damaged_objects, [id.to_hex()]);

    // Once the way is clear, importing again stores it.
    fs::remove_dir_all(&object).unwrap();
    imported_id(&fixture.import(&[&refused]).items[0].outcome);
    assert!(fixture.library.check(true).unwrap().is_ok());
}

#[test]
fn a_large_file_imported_again_is_recognised_without_being_copied() {
    let fixture = Fixture::new();
    let video: Vec<u8> = (0..9 * 1024 * 1024u32).map(|index| (index % 251) as u8).collect();
    let first = fixture.write("term 1/lesson.mp4", &video);
    let again = fixture.write("term 2/lesson (copy).mp4", &video);
    let mut edited = video.clone();
    edited[0] ^= 1;
    let same_size = fixture.write("term 2/another lesson.mp4", &edited);
    let id = imported_id(&fixture.import(&[&first]).items[0].outcome).to_owned();

    // Nothing can be staged any more: a file stands where the staging folder was.
    let staging = fixture.library.root().join("tmp");
    fs::remove_dir_all(&staging).unwrap();
    fs::write(&staging, "not a folder").unwrap();
    let report = fixture.import(&[&again, &same_size]);
    fs::remove_file(&staging).unwrap();
    fs::create_dir(&staging).unwrap();

    assert!(
        matches!(&report.items[0].outcome, ImportOutcome::Duplicate { resource_id, .. } if *resource_id == id),
        "recognised without a copy: {:?}",
        report.items[0]
    );
    // Other content of the same size is copied as usual, which fails here.
    assert!(matches!(&report.items[1].outcome, ImportOutcome::Skipped { .. }), "{:?}", report.items[1]);
    assert_eq!(fixture.library.info().unwrap().resource_count, 1);
}

#[test]
fn emptying_the_trash_during_an_import_removes_nothing_the_import_stores() {
    let fixture = Fixture::new();
    for index in 0..1200 {
        fixture
            .write(&format!("notes/{index:04}.md"), format!("# Note {index}\n\nFractions, part {index}.\n"));
    }
    // Emptying the trash removes the objects no revision refers to. Over and over while the
    // import runs, so it comes between a chunk's objects being stored and its rows being written
    // (without the library's objects gate, hundreds of the imported resources lost their content).
    let importing = AtomicBool::new(true);
    let emptied = std::thread::scope(|scope| {
        let emptying = scope.spawn(|| {
            let mut times = 0;
            while importing.load(Ordering::Relaxed) {
                fixture.library.empty_trash().unwrap();
                times += 1;
                // A person empties the trash now and then, not in a loop that never lets go.
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            times
        });
        fixture.import(&[&fixture.sources().join("notes")]);
        importing.store(false, Ordering::Relaxed);
        emptying.join().unwrap()
    });
    assert!(emptied > 1, "the trash was emptied during the import");
    let check = fixture.library.check(false).unwrap();
    assert!(
        check.missing_objects.is_empty(),
        "every resource keeps its content, but {} lost theirs",
        check.missing_objects.len()
    );
    assert_eq!(fixture.library.info().unwrap().resource_count, 1200);
}

#[test]
fn duplicates_within_large_imports_leave_no_staged_copies() {
    let fixture = Fixture::new();
    // Over the size at which files are copied by the kernel or in a pipeline, half of them copies
    // of the other half.
    let content: Vec<Vec<u8>> = (0..3u8).map(|seed| vec![seed; 9 * 1024 * 1024]).collect();
    let mut paths = Vec::new();
    for copy in 0..2 {
        for (index, bytes) in content.iter().enumerate() {
            paths.push(fixture.write(&format!("videos/{copy}/clip-{index}.mp4"), bytes));
        }
    }
    let paths: Vec<&std::path::Path> = paths.iter().map(std::path::PathBuf::as_path).collect();
    let report = fixture.import(&paths);
    assert_eq!(report.count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })), 3, "{report:?}");
    assert_eq!(report.count(|outcome| matches!(outcome, ImportOutcome::Duplicate { .. })), 3, "{report:?}");
    assert_eq!(fixture.import(&paths).count(|outcome| matches!(outcome, ImportOutcome::Duplicate { .. })), 6);
    assert_eq!(staged_files(&fixture), Vec::<std::path::PathBuf>::new(), "nothing is left in staging");
}

#[test]
fn bad_items_are_reported_by_name_and_the_batch_goes_on() {
    let fixture = Fixture::new();
    let empty = fixture.write("empty.txt", "");
    let missing = fixture.sources().join("vanished.pdf");
    let good = fixture.write("good.txt", "content");
    let report = fixture.import(&[&empty, &missing, &good]);

    let outcome_of = |name: &str| {
        report.items.iter().find(|item| item.path.ends_with(name)).map(|item| item.outcome.clone()).unwrap()
    };
    assert!(matches!(outcome_of("empty.txt"), ImportOutcome::Skipped { reason } if reason.contains("empty")));
    assert!(
        matches!(outcome_of("vanished.pdf"), ImportOutcome::Skipped { reason } if reason.contains("cannot be read"))
    );
    assert!(matches!(outcome_of("good.txt"), ImportOutcome::Imported { .. }));
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_non_utf8_names_are_handled() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;

    let fixture = Fixture::new();
    let locked = fixture.write("locked.txt", "secret");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let odd_name = fixture.sources().join(std::ffi::OsStr::from_bytes(b"caf\xE9.txt"));
    fs::write(&odd_name, "latin-1 name").unwrap();

    let report = fixture.import(&[&locked, &odd_name]);
    // Root can read anything, so only check the unreadable file when the test is not run as root.
    if fs::read(&locked).is_err() {
        assert!(
            matches!(&report.items[0].outcome, ImportOutcome::Skipped { reason } if reason.contains("locked.txt"))
        );
    }
    let id = imported_id(&report.items[1].outcome);
    assert_eq!(fixture.library.resource(id).unwrap().file_name, "caf\u{FFFD}.txt");
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_folders_are_not_followed() {
    let fixture = Fixture::new();
    let outside = fixture.write("outside/secret.txt", "not for the library");
    let folder = fixture.sources().join("unit");
    fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("loop")).unwrap();
    fixture.write("unit/real.txt", "real");

    let report = fixture.import(&[&folder]);
    assert_eq!(report.count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })), 1);
    assert!(report.items.iter().all(|item| !item.path.ends_with("secret.txt")));
}

#[test]
fn cancelling_keeps_what_was_imported_and_reports_it() {
    let fixture = Fixture::new();
    let paths: Vec<_> = (0..400)
        .map(|index| fixture.write(&format!("file{index}.txt"), format!("content {index}")))
        .collect();
    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let report = fixture
        .library
        .import(
            &paths,
            &ImportOptions { author: "Ana".into() },
            &mut |progress| {
                seen += 1;
                assert_eq!(progress.items_total, 400);
                if progress.items_done == 3 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(report.cancelled);
    // Files already being copied on other threads when the cancel came are finished and kept.
    let done = report.items.len();
    // Threads never run more than a few files ahead of what was reported.
    assert!((3..100).contains(&done), "it stopped within a few files of the cancel: {done} of 400");
    assert_eq!(seen, done, "every file reported was announced once");
    assert_eq!(fixture.library.info().unwrap().resource_count as usize, done, "and is in the library");
}

#[test]
fn imported_text_is_searchable_with_highlights_and_filters() {
    let fixture = Fixture::new();
    let cells = fixture.write(
        "cells.md",
        "---\ntitle: The cell\nlicense: CC-BY-4.0\n---\nMitochondria are the powerhouse of the cell.\n",
    );
    let stars = fixture.write(
        "stars.html",
        "<html lang=\"fr\"><title>Les étoiles</title><body><p>Une étoile brille.</p></body></html>",
    );
    fixture.import(&[&cells, &stars]);

    let hits =
        fixture.library.search(&SearchQuery { text: "mitochon".into(), ..SearchQuery::default() }).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "The cell");
    assert!(
        hits[0].snippet.iter().any(|part| part.matched && part.text == "Mitochondria"),
        "{:?}",
        hits[0].snippet
    );

    let folded =
        fixture.library.search(&SearchQuery { text: "etoile".into(), ..SearchQuery::default() }).unwrap();
    assert_eq!(folded.len(), 1, "diacritics are folded");

    let filtered = |licence: &str| {
        let query = SearchQuery { licence: Some(licence.into()), ..SearchQuery::default() };
        fixture.library.search(&query).unwrap().len()
    };
    assert_eq!((filtered("CC-BY-4.0"), filtered("unknown")), (1, 1));

    let everything = fixture.library.search(&SearchQuery::default()).unwrap();
    assert_eq!(everything.len(), 2);
}

/// How many times the full-text index has written out a segment: the write counter of FTS5's
/// structure record (row 10 of its data table: a 4-byte cookie, an optional 4-byte version
/// marker, then the varints levels, segments and writes).
fn index_writes(library: &commonplace_library::Library) -> u64 {
    let catalog = rusqlite::Connection::open(library.root().join("catalog.sqlite")).unwrap();
    let record: Vec<u8> = catalog
        .query_row("SELECT block FROM resource_text_data WHERE id = 10", [], |row| row.get(0))
        .unwrap();
    let mut rest = &record[4..];
    if rest.starts_with(&[0xff, 0x00, 0x00, 0x01]) {
        rest = &rest[4..];
    }
    let mut varint = || {
        let mut value = 0u64;
        for (index, &byte) in rest.iter().enumerate() {
            if index == 8 {
                value = (value << 8) | u64::from(byte);
                rest = &rest[9..];
                return value;
            }
            value = (value << 7) | u64::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                rest = &rest[index + 1..];
                return value;
            }
        }
        panic!("a truncated varint in the index structure");
    };
    let (_levels, _segments, writes) = (varint(), varint(), varint());
    writes
}

#[test]
fn an_import_writes_the_full_text_index_once_not_once_per_file() {
    let fixture = Fixture::new();
    let files: Vec<_> = (0..200)
        .map(|index| {
            fixture
                .write(&format!("notes/lesson-{index}.md"), format!("# Lesson {index}\n\nrivers {index}\n"))
        })
        .collect();
    let report = fixture.import(&[&fixture.sources().join("notes")]);
    assert_eq!(report.count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })), files.len());
    // Interleaving each file's rows with its text made the index write a segment per file and
    // merge them all, which cost most of an import's time in the catalog.
    // Now it writes when its buffer fills (a megabyte, a few times for these 200 files).
    let writes = index_writes(&fixture.library);
    assert!(writes <= 5, "the index wrote {writes} segments for {} files", files.len());
    let query = SearchQuery { text: "rivers".into(), limit: 500, ..SearchQuery::default() };
    assert_eq!(fixture.library.search(&query).unwrap().len(), files.len());
}

/// The nice value of every thread of this process, from Linux's /proc.
#[cfg(target_os = "linux")]
fn thread_nice_values() -> Vec<i64> {
    let mut values = Vec::new();
    for task in fs::read_dir("/proc/self/task").unwrap().flatten() {
        // After the command name, in parentheses: state is the first field, nice the 17th.
        let Ok(stat) = fs::read_to_string(task.path().join("stat")) else { continue };
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
        if let Some(nice) = fields.get(16).and_then(|field| field.parse().ok()) {
            values.push(nice);
        }
    }
    values
}

/// This thread's nice value, from Linux's /proc.
#[cfg(target_os = "linux")]
fn own_nice() -> i64 {
    let stat = fs::read_to_string("/proc/thread-self/stat").unwrap();
    stat.rsplit(')').next().unwrap().split_whitespace().nth(16).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn import_threads_run_at_background_priority_and_the_caller_does_not() {
    let before = own_nice();
    if before >= 10 {
        eprintln!("skipped: the tests already run at nice {before}");
        return;
    }
    let fixture = Fixture::new();
    for index in 0..200 {
        fixture.write(&format!("unit/note-{index}.md"), format!("# Note {index}\n"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let report = fixture
        .library
        .import(
            &[fixture.sources().join("unit")],
            &ImportOptions { author: "Ana".to_owned() },
            // Called while the import's threads are at work.
            &mut |_| seen.extend(thread_nice_values()),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.items.len(), 200);
    assert!(seen.contains(&10), "no import thread ran at nice 10: {seen:?}");
    assert_eq!(own_nice(), before, "the caller's own priority is left alone");
}
