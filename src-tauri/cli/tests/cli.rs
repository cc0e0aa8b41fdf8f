//! The CLI as a script would use it: real processes on temporary libraries.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn cli(library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commonplace-cli"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env_remove("COMMONPLACE_LIBRARY")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn init_then_info_reports_the_new_empty_library() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("lib");

    let init = json(&cli(&library, &["init", "--json"]));
    assert_eq!(init["created"], true);
    let info = json(&cli(&library, &["info", "--json"]));
    assert_eq!(info["path"], library.to_str().unwrap());
    assert_eq!(info["libraryId"], init["library"]["libraryId"]);

    insta::assert_json_snapshot!(info, {".path" => "[path]", ".libraryId" => "[id]"}, @r#"
    {
      "collectionCount": 0,
      "formatVersion": 1,
      "libraryId": "[id]",
      "path": "[path]",
      "resourceCount": 0
    }
    "#);
}

#[test]
fn init_twice_reports_the_existing_library() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("lib");
    let first = json(&cli(&library, &["init", "--json"]));
    let second = json(&cli(&library, &["--json", "init"]));
    assert_eq!(second["created"], false);
    assert_eq!(second["library"]["libraryId"], first["library"]["libraryId"]);
}

#[test]
fn info_on_a_missing_library_fails_with_a_json_error_naming_the_folder() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("nowhere");
    let output = cli(&library, &["info", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let error: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["kind"], "notFound");
    assert!(error["message"].as_str().unwrap().contains(library.to_str().unwrap()), "{error}");
    assert!(!library.exists(), "info must not create anything");
}

#[test]
fn human_output_names_the_library_and_errors_say_error() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("lib");
    let output = cli(&library, &["init"]);
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("Created "));

    let output = cli(&temp.path().join("missing"), &["info"]);
    assert!(String::from_utf8(output.stderr).unwrap().starts_with("error: there is no Commonplace library"));
}

#[test]
fn the_environment_variable_selects_the_library_when_no_flag_is_given() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("from-env");
    let output = Command::new(env!("CARGO_BIN_EXE_commonplace-cli"))
        .args(["init", "--json"])
        .env("COMMONPLACE_LIBRARY", &library)
        .output()
        .unwrap();
    assert_eq!(json(&output)["library"]["path"], library.to_str().unwrap());
}

#[test]
fn a_folder_with_other_files_is_not_turned_into_a_library() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.txt"), "mine").unwrap();
    let output = cli(temp.path(), &["init", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["kind"], "invalidInput");
    assert!(!temp.path().join("library.json").exists());
}

#[test]
fn usage_errors_exit_with_two() {
    let temp = tempfile::tempdir().unwrap();
    let output = cli(temp.path(), &["no-such-command"]);
    assert_eq!(output.status.code(), Some(2));
}

/// A new, empty library in a temporary folder, which also holds the test's source files.
fn new_library() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("lib");
    cli_ok(&library, &["init", "--json"]);
    (temp, library)
}

fn cli_ok(library: &Path, args: &[&str]) -> Value {
    json(&cli(library, args))
}

#[test]
fn import_search_show_edit_export_trash_restore() {
    let (temp, library) = new_library();
    let sources = temp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(
        sources.join("cells.md"),
        "---\ntitle: The cell\nauthor: [Claire Dubois, Marc Petit]\nlicense: CC-BY-4.0\nlang: fr\ntags: biology; cells\n---\nMitochondria make energy.\n",
    )
    .unwrap();
    std::fs::write(sources.join("empty.txt"), "").unwrap();

    let output = cli(&library, &["import", sources.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(1), "a skipped item makes the exit code 1");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = report["items"].as_array().unwrap();
    let imported = items.iter().find(|item| item["status"] == "imported").unwrap();
    let skipped = items.iter().find(|item| item["status"] == "skipped").unwrap();
    assert!(skipped["path"].as_str().unwrap().ends_with("empty.txt"));
    assert_eq!(skipped["reason"], "the file is empty");
    let id = imported["resourceId"].as_str().unwrap().to_owned();

    let hits = cli_ok(&library, &["search", "mitoch", "--limit", "5", "--json"]);
    assert_eq!(hits[0]["id"], id.as_str());
    assert_eq!(hits[0]["title"], "The cell");
    assert!(hits[0]["snippet"].as_array().unwrap().iter().any(|part| part["matched"] == true));

    let shown = cli_ok(&library, &["show", &id, "--json"]);
    assert_eq!(shown["licence"], "CC-BY-4.0");
    assert_eq!(shown["creators"], serde_json::json!(["Claire Dubois", "Marc Petit"]));
    assert_eq!(shown["language"], "fr");
    assert_eq!(shown["keywords"], serde_json::json!(["biology", "cells"]));

    let edited = cli_ok(
        &library,
        &["edit", &id, "--set", "title=La cellule", "--set", "keywords=biologie; cellules", "--json"],
    );
    assert_eq!(edited["title"], "La cellule");
    assert_eq!(edited["keywords"], serde_json::json!(["biologie", "cellules"]));
    assert_eq!(edited["revisionCount"], 2);

    let out = temp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let exported = cli_ok(&library, &["export", &id, out.to_str().unwrap(), "--json"]);
    assert!(exported["path"].as_str().unwrap().ends_with("out/cells.md"));
    assert!(std::fs::read_to_string(out.join("cells.md")).unwrap().contains("Mitochondria"));

    cli_ok(&library, &["trash", &id, "--json"]);
    assert_eq!(cli_ok(&library, &["search", "--json"]), serde_json::json!([]));
    assert_eq!(cli_ok(&library, &["search", "--trashed", "--json"])[0]["id"], id.as_str());
    cli_ok(&library, &["restore", &id, "--json"]);
    assert_eq!(cli_ok(&library, &["info", "--json"])["resourceCount"], 1);
}

#[test]
fn edit_names_an_unknown_field_and_lists_the_known_ones() {
    let (_temp, library) = new_library();
    let output = cli(&library, &["edit", "some-id", "--set", "colour=blue", "--json"]);
    let error: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["kind"], "invalidInput");
    assert!(error["message"].as_str().unwrap().contains("\"colour\" is not a field"), "{error}");
}

#[test]
fn collections_from_the_command_line() {
    let (temp, library) = new_library();
    let sources = temp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for name in ["a.txt", "b.txt"] {
        std::fs::write(sources.join(name), format!("text of {name}")).unwrap();
    }
    let report = cli_ok(&library, &["import", sources.to_str().unwrap(), "--json"]);
    let ids: Vec<String> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["resourceId"].as_str().unwrap().to_owned())
        .collect();

    let unit = cli_ok(&library, &["collection", "new", "Unit 1", "--json"]);
    let unit_id = unit["id"].as_str().unwrap();
    let week = cli_ok(&library, &["collection", "new", "Week 1", "--parent", unit_id, "--json"]);
    assert_eq!(week["parentId"], unit_id);
    let added = cli_ok(&library, &["collection", "add", unit_id, &ids[1], &ids[0], "--json"]);
    assert_eq!(added["itemCount"], 2);
    cli_ok(&library, &["collection", "note", unit_id, &ids[0], "Homework", "--json"]);

    let shown = cli_ok(&library, &["collection", "show", unit_id, "--json"]);
    let entries = shown["entries"].as_array().unwrap();
    assert_eq!(entries[0]["resource"]["id"], ids[1].as_str());
    assert_eq!(entries[1]["note"], "Homework");

    let smart = cli_ok(&library, &["collection", "new", "Texts", "--smart", "text", "--json"]);
    assert_eq!(smart["itemCount"], 2);
    let listed = cli_ok(&library, &["collection", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert_eq!(cli_ok(&library, &["info", "--json"])["collectionCount"], 3);
}

#[test]
fn watched_folders_from_the_command_line() {
    let (temp, library) = new_library();
    let inbox = temp.path().join("Inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("tides.txt"), "The moon pulls the tides.").unwrap();

    let folders = cli_ok(&library, &["watch", "add", inbox.to_str().unwrap(), "--json"]);
    assert_eq!(folders.as_array().unwrap().len(), 1);
    let reports = cli_ok(&library, &["watch", "scan", "--json"]);
    assert_eq!(reports[0]["imported"], 1);
    std::fs::remove_file(inbox.join("tides.txt")).unwrap();
    let reports = cli_ok(&library, &["watch", "scan", "--json"]);
    assert_eq!(reports[0]["removed"], 1);
    let hits = cli_ok(&library, &["search", "tides", "--json"]);
    let shown = cli_ok(&library, &["show", hits[0]["id"].as_str().unwrap(), "--json"]);
    assert_eq!(shown["sourceRemoved"], true);

    let folders = cli_ok(&library, &["watch", "remove", inbox.to_str().unwrap(), "--json"]);
    assert_eq!(folders, serde_json::json!([]));
}

#[test]
fn licence_check_lists_what_an_adaptation_may_carry_and_explains_conflicts() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("unused");
    let by_sa = cli_ok(&library, &["licence", "check", "CC-BY-SA-3.0", "--json"]);
    let allowed: Vec<&str> = by_sa["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|choice| choice["licence"].as_str().unwrap())
        .collect();
    assert!(allowed.contains(&"CC-BY-SA-4.0") && allowed.contains(&"CC-BY-SA-3.0"), "{allowed:?}");
    assert!(!allowed.contains(&"CC-BY-4.0"));

    let output = cli(&library, &["licence", "check", "CC-BY-ND-4.0", "--json"]);
    let nd: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(nd["possible"], false);
    assert!(!nd["reason"].as_str().unwrap().is_empty());

    let clash =
        cli_ok(&library, &["licence", "check", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "--combine", "--json"]);
    assert_eq!(clash["possible"], false);
    let output = cli(&library, &["licence", "check", "made-up-licence"]);
    assert_eq!(output.status.code(), Some(1));
}

/// A crash in the middle of a large import: after `kill -9`, the library is whole and the same
/// import can simply be run again.
#[cfg(unix)]
#[test]
fn an_import_killed_half_way_leaves_a_whole_library_that_imports_again() {
    let (temp, library) = new_library();
    let sources = temp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for index in 0..1000 {
        std::fs::write(
            sources.join(format!("lesson-{index:04}.md")),
            format!("# Lesson {index}\n\nText {index}.\n"),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_commonplace-cli"))
        .arg("--library")
        .arg(&library)
        .args(["import", sources.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import has visibly begun (objects are being written), then kill it.
    let objects = library.join("objects");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_dir(&objects).map(|entries| entries.count()).unwrap_or(0) < 5 {
        assert!(std::time::Instant::now() < deadline, "the import never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let check = cli_ok(&library, &["check", "--deep", "--json"]);
    assert_eq!(check["catalogOk"], true, "{check}");
    assert_eq!(check["missingObjects"], serde_json::json!([]), "{check}");
    assert_eq!(check["damagedObjects"], serde_json::json!([]), "{check}");

    let again = cli(&library, &["import", sources.to_str().unwrap(), "--json"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(cli_ok(&library, &["info", "--json"])["resourceCount"], 1000);
    assert_eq!(cli_ok(&library, &["check", "--json"])["catalogOk"], true);
}

#[test]
fn history_revise_and_diff_from_the_command_line() {
    let (temp, library) = new_library();
    let first = temp.path().join("poem.txt");
    std::fs::write(&first, "Roses are red\nViolets are blue\n").unwrap();
    let report = cli_ok(&library, &["import", first.to_str().unwrap(), "--json"]);
    let id = report["items"][0]["resourceId"].as_str().unwrap().to_owned();
    let second = temp.path().join("poem-2.txt");
    std::fs::write(&second, "Roses are red\nViolets are violet\n").unwrap();

    let revised =
        cli_ok(&library, &["revise", &id, second.to_str().unwrap(), "-m", "Truer colours", "--json"]);
    assert_eq!(revised["revisionCount"], 2);
    let history = cli_ok(&library, &["history", &id, "--json"]);
    assert_eq!(history[0]["message"], "Truer colours");
    let (newest, oldest) = (history[0]["id"].as_str().unwrap(), history[1]["id"].as_str().unwrap());

    let diff = cli_ok(&library, &["diff", &id, &oldest[..10], &newest[..10], "--json"]);
    assert_eq!(diff["sameContent"], false);
    assert_eq!(diff["text"]["hunks"].as_array().unwrap().len(), 1);
    let human = cli(&library, &["diff", &id, &oldest[..10], &newest[..10]]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("-Violets are blue") && text.contains("+Violets are violet"), "{text}");
}

/// Imports one file and returns the new resource's id.
fn import_one(library: &Path, file: &Path) -> String {
    let report = json(&cli(library, &["import", file.to_str().unwrap(), "--json"]));
    report["items"][0]["resourceId"].as_str().unwrap().to_owned()
}

#[test]
fn fork_merge_and_bundles_from_the_command_line() {
    let (temp, library) = new_library();
    let sheet = temp.path().join("sheet.md");
    std::fs::write(&sheet, "---\nlicense: CC-BY-SA-4.0\n---\n# Sheet\n\none\ntwo\nthree\n").unwrap();
    let original = import_one(&library, &sheet);

    // The licence gate: BY-SA may not become BY.
    let refused = cli(&library, &["fork", &original, "--licence", "CC-BY-4.0", "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(error["kind"], "forbidden");
    let copy = json(&cli(&library, &["fork", &original, "--json"]));
    let copy_id = copy["id"].as_str().unwrap().to_owned();
    assert_eq!(copy["licence"], "CC-BY-SA-4.0");

    // Both change the same line differently: the merge is saved and the exit code says so.
    let ours = temp.path().join("ours.md");
    std::fs::write(&ours, "---\nlicense: CC-BY-SA-4.0\n---\n# Sheet\n\none\nTWO\nthree\n").unwrap();
    let theirs = temp.path().join("theirs.md");
    std::fs::write(&theirs, "---\nlicense: CC-BY-SA-4.0\n---\n# Sheet\n\none\n2\nthree\n").unwrap();
    json(&cli(&library, &["revise", &copy_id, ours.to_str().unwrap(), "--json"]));
    json(&cli(&library, &["revise", &original, theirs.to_str().unwrap(), "--json"]));
    let merge = cli(&library, &["merge", &copy_id, "--from", &original, "--json"]);
    assert_eq!(merge.status.code(), Some(3), "{}", String::from_utf8_lossy(&merge.stderr));
    let outcome: Value = serde_json::from_slice(&merge.stdout).unwrap();
    assert_eq!(
        (outcome["status"].as_str(), outcome["merge"]["unresolved"].as_u64()),
        (Some("conflicts"), Some(1))
    );
    let busy = cli(&library, &["merge", &copy_id, "--from", &original]);
    assert_eq!(busy.status.code(), Some(3), "asking again shows the saved merge");
    json(&cli(&library, &["merge", &copy_id, "--abandon", "--json"]));

    // The copy's history runs into the original's: its edit, the copy, the original's import.
    let history = json(&cli(&library, &["history", &copy_id, "--json"]));
    let made_in: Vec<&str> =
        history.as_array().unwrap().iter().map(|revision| revision["resourceId"].as_str().unwrap()).collect();
    assert_eq!(made_in, [copy_id.as_str(), copy_id.as_str(), original.as_str()]);

    // Bundles: export the copy, import it into a second library.
    let bundle = temp.path().join("copy.commonplace");
    let written = json(&cli(&library, &["bundle", "export", &copy_id, bundle.to_str().unwrap(), "--json"]));
    assert_eq!(written["resources"], 1);
    let other = temp.path().join("other");
    json(&cli(&other, &["init", "--json"]));
    let imported = json(&cli(&other, &["bundle", "import", bundle.to_str().unwrap(), "--json"]));
    assert_eq!(imported["resources"][0]["outcome"], "added");
    let shown = json(&cli(&other, &["show", &copy_id, "--json"]));
    assert_eq!(shown["licence"], "CC-BY-SA-4.0");

    let garbage = temp.path().join("garbage.commonplace");
    std::fs::write(&garbage, "not a zip").unwrap();
    let refused = cli(&other, &["bundle", "import", garbage.to_str().unwrap(), "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert!(error["message"].as_str().unwrap().contains("garbage.commonplace"), "{error}");
}

#[test]
fn diff_names_changes_a_line_diff_cannot_show() {
    let (temp, library) = new_library();
    let notes = temp.path().join("notes.txt");
    std::fs::write(&notes, "one\ntwo\n").unwrap();
    let id = import_one(&library, &notes);
    let windows = temp.path().join("notes-windows.txt");
    std::fs::write(&windows, "\u{feff}one\r\ntwo").unwrap();
    cli_ok(&library, &["revise", &id, windows.to_str().unwrap(), "--json"]);
    let history = cli_ok(&library, &["history", &id, "--json"]);
    let (newest, oldest) = (history[0]["id"].as_str().unwrap(), history[1]["id"].as_str().unwrap());

    let human = cli(&library, &["diff", &id, oldest, newest]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("Line endings: LF (Linux, macOS) → CRLF (Windows)"), "{text}");
    assert!(text.contains("Byte order mark added"), "{text}");
    assert!(text.contains("Line break removed at the end"), "{text}");

    let latin = temp.path().join("latin.txt");
    std::fs::write(&latin, b"caf\xe9\n").unwrap();
    cli_ok(&library, &["revise", &id, latin.to_str().unwrap(), "--json"]);
    let diff = cli_ok(&library, &["diff", &id, newest, &history_head(&library, &id), "--json"]);
    assert_eq!(diff["noTextDiff"], "notUtf8", "{diff}");
    let human = cli(&library, &["diff", &id, newest, &history_head(&library, &id)]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("encoding other than UTF-8"), "{text}");
}

fn history_head(library: &Path, id: &str) -> String {
    cli_ok(library, &["history", id, "--json"])[0]["id"].as_str().unwrap().to_owned()
}

#[test]
fn combine_from_the_command_line_credits_every_source_or_says_why_not() {
    let (temp, library) = new_library();
    let write = |name: &str, licence: &str, body: &str| {
        let path = temp.path().join(name);
        std::fs::write(&path, format!("---\ntitle: {name}\nauthor: Ana\nlicense: {licence}\n---\n{body}\n"))
            .unwrap();
        import_one(&library, &path)
    };
    let by = write("fractions.md", "CC-BY-4.0", "# Fractions\n\nHalves.");
    let share_alike = write("decimals.md", "CC-BY-SA-4.0", "# Decimals\n\nTenths.");
    let no_derivatives = write("poem.md", "CC-BY-ND-4.0", "# Poem\n\nVerse.");

    let combined = cli_ok(&library, &["combine", &by, &share_alike, "--title", "Numbers", "--json"]);
    assert_eq!(combined["title"], "Numbers");
    assert_eq!(combined["licence"], "CC-BY-SA-4.0", "the one licence both allow");
    let id = combined["id"].as_str().unwrap();
    let out = temp.path().join("out");
    let exported = cli_ok(&library, &["export", id, out.to_str().unwrap(), "--json"]);
    let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
    assert!(text.contains("Halves.") && text.contains("Tenths."), "{text}");
    assert!(text.contains("fractions.md") && text.contains("decimals.md"), "both credited: {text}");

    // Only a chosen section of one source.
    let outline = cli_ok(&library, &["combine", &by, &share_alike, "--outline", "--json"]);
    assert_eq!(outline[0]["sections"][0]["heading"], "Fractions", "{outline}");
    let section = format!("{share_alike}:0");
    let chosen =
        cli_ok(&library, &["combine", &by, &share_alike, "--section", &section, "--title", "Part", "--json"]);
    assert_eq!(chosen["title"], "Part");
    let bad = cli(&library, &["combine", &by, &share_alike, "--section", "nonsense"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ID:N"));

    let refused = cli(&library, &["combine", &by, &no_derivatives, "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(error["kind"], "forbidden", "{error}");
}

#[test]
fn a_collection_travels_as_one_bundle_from_the_command_line() {
    let (temp, library) = new_library();
    let sources = temp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(sources.join(name), format!("text of {name}\n")).unwrap();
    }
    let report = cli_ok(&library, &["import", sources.to_str().unwrap(), "--json"]);
    let ids: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|item| item["resourceId"].as_str().unwrap()).collect();
    let unit = cli_ok(&library, &["collection", "new", "Unit 1", "--json"]);
    let unit_id = unit["id"].as_str().unwrap();
    cli_ok(&library, &["collection", "add", unit_id, ids[0], ids[1], "--json"]);

    let bundle = temp.path().join("unit.commonplace");
    let written =
        cli_ok(&library, &["bundle", "export", "--collection", unit_id, bundle.to_str().unwrap(), "--json"]);
    assert_eq!(written["resources"], 2, "only the collection's resources: {written}");
    let usage = cli(&library, &["bundle", "export", bundle.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(1), "a file alone names nothing to export");

    let other = temp.path().join("other");
    cli_ok(&other, &["init", "--json"]);
    let imported = cli_ok(&other, &["bundle", "import", bundle.to_str().unwrap(), "--json"]);
    assert_eq!(imported["resources"].as_array().unwrap().len(), 2, "{imported}");
    let collections = cli_ok(&other, &["collection", "list", "--json"]);
    assert_eq!(collections[0]["name"], "Unit 1", "the collection comes too: {collections}");
    assert_eq!(collections[0]["itemCount"], 2);
}

/// A disk that fills up mid-import, brought about for real: the import runs with a limit on the
/// size of any file it writes (RLIMIT_FSIZE, as `ulimit -f` sets it), so writing a large file
/// fails as on a full disk while small ones still fit.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_skips_what_does_not_fit_names_it_and_keeps_the_library_whole() {
    let (temp, library) = new_library();
    let sources = temp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for index in 0..20 {
        std::fs::write(sources.join(format!("note-{index:02}.txt")), format!("Note {index}\n")).unwrap();
    }
    let film: Vec<u8> = (0..48u32 * 1024 * 1024).map(|index| (index % 253) as u8).collect();
    std::fs::write(sources.join("film.mp4"), film).unwrap();

    // `ulimit -f` counts blocks of 512 bytes in dash and of 1,024 in bash: 16,384 is 8 or 16 MB,
    // far from both the notes and the film either way. SIGXFSZ is ignored so the write fails with
    // an error instead of killing the process, as a full disk's writes do.
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 16384 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_commonplace-cli"))
        .arg("--library")
        .arg(&library)
        .args(["import", sources.to_str().unwrap(), "--json"])
        .env_remove("COMMONPLACE_LIBRARY")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("stderr: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(output.status.code(), Some(1), "some items were skipped: {report}");
    let items = report["items"].as_array().unwrap();
    let film = items.iter().find(|item| item["path"].as_str().unwrap().ends_with("film.mp4")).unwrap();
    assert_eq!(film["status"], "skipped", "{film}");
    let reason = film["reason"].as_str().unwrap();
    assert!(
        reason.contains("film.mp4") || reason.contains("File too large"),
        "the reason says what failed: {reason}"
    );
    let imported = items.iter().filter(|item| item["status"] == "imported").count();
    assert_eq!(imported, 20, "the rest of the batch goes on: {report}");

    // Nothing half-written: nothing is left in staging (counted before `check` opens the library,
    // which clears staging), and the library checks whole.
    let staged: Vec<_> = walkdir::WalkDir::new(library.join("tmp"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| entry.path().to_owned())
        .collect();
    assert_eq!(staged, Vec::<std::path::PathBuf>::new(), "no partial file is left behind");
    let check = cli_ok(&library, &["check", "--deep", "--json"]);
    assert_eq!(check["catalogOk"], true, "{check}");
    assert_eq!(check["missingObjects"], serde_json::json!([]), "{check}");
    assert_eq!(check["damagedObjects"], serde_json::json!([]), "{check}");
    assert_eq!(cli_ok(&library, &["info", "--json"])["resourceCount"], 20);
}
