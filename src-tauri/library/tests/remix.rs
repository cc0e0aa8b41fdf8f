//! Fork–merge–share in the library: "make my own copy" with the licence gate and attribution,
//! bringing in changes between copies, the editor's saves and drafts, and combining resources.

mod common;

use std::collections::HashMap;

use proptest::prelude::*;

use common::Fixture;
use commonplace_library::{
    Error, Field, FieldChoice, ForkVerdict, ImportOutcome, LicenceTerms, MergeOutcome, MergeRelation,
    NotShareableCode, SaveOutcome,
};

fn import_text(fixture: &Fixture, name: &str, text: &str) -> String {
    let path = fixture.write(name, text);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

fn worksheet(fixture: &Fixture, licence: &str) -> String {
    let text = format!(
        "---\ntitle: Fractions\nauthor: Ana Souza\nlicense: {licence}\n---\n# Fractions\n\n1. Half of 8?\n2. A third of 9?\n3. A quarter of 12?\n"
    );
    import_text(fixture, &format!("fractions-{}.md", licence.to_lowercase()), &text)
}

fn content(fixture: &Fixture, id: &str) -> String {
    let resource = fixture.library.resource(id).unwrap();
    std::fs::read_to_string(fixture.library.store().path(resource.object)).unwrap()
}

fn edit_text(fixture: &Fixture, id: &str, change: impl FnOnce(&str) -> String) {
    let editable = fixture.library.editable_text(id).unwrap();
    let text = change(&editable.text);
    fixture.library.save_text(id, &editable.head, &text, "edit", "Ana").unwrap();
}

#[test]
fn the_licence_decides_what_a_copy_may_be() {
    let fixture = Fixture::new();
    let by = worksheet(&fixture, "CC-BY-4.0");
    let check = fixture.library.check_fork(&by).unwrap();
    assert_eq!(check.verdict, ForkVerdict::Shareable);
    assert_eq!(check.suggested.as_deref(), Some("CC-BY-4.0"));
    let allowed: Vec<&str> =
        check.allowed.iter().filter(|choice| choice.recommended).map(|c| c.id.as_str()).collect();
    assert!(allowed.contains(&"CC-BY-SA-4.0") && allowed.contains(&"CC-BY-NC-4.0"), "{allowed:?}");
    assert!(check.attribution.text.contains("\"Fractions\" by Ana Souza"), "{}", check.attribution.text);

    let share_alike = worksheet(&fixture, "CC-BY-SA-3.0");
    let error = fixture.library.fork(&share_alike, Some("CC-BY-4.0"), "Bea").unwrap_err();
    assert!(matches!(error, Error::LicenceNotAllowed { .. }), "{error}");
    assert!(error.to_string().contains("CC-BY-SA-4.0"), "the message lists what is allowed: {error}");
    let copy = fixture.library.fork(&share_alike, Some("CC-BY-SA-4.0"), "Bea").unwrap();
    assert_eq!(copy.metadata.licence, "CC-BY-SA-4.0");

    let no_derivatives = worksheet(&fixture, "CC-BY-ND-4.0");
    let check = fixture.library.check_fork(&no_derivatives).unwrap();
    assert_eq!(
        (check.verdict, check.reason_code),
        (ForkVerdict::Refused, Some(NotShareableCode::NoDerivatives))
    );
    let error = fixture.library.fork(&no_derivatives, None, "Bea").unwrap_err();
    assert!(error.to_string().contains("only unchanged"), "a plain-language reason: {error}");

    let unknown = import_text(&fixture, "notes.txt", "Some notes\n");
    assert_eq!(fixture.library.check_fork(&unknown).unwrap().verdict, ForkVerdict::PrivateOnly);
    let error = fixture.library.fork(&unknown, Some("CC-BY-4.0"), "Bea").unwrap_err();
    assert!(error.to_string().contains("only be private"), "{error}");
    let private = fixture.library.fork(&unknown, None, "Bea").unwrap();
    assert_eq!(private.metadata.licence, "unknown");
}

#[test]
fn a_copy_records_where_it_came_from_and_credits_the_whole_chain() {
    let fixture = Fixture::new();
    let original = worksheet(&fixture, "CC-BY-4.0");
    let copy = fixture.library.fork(&original, Some("CC-BY-SA-4.0"), "Bea").unwrap();
    fixture.library.edit(&copy.id, &[(Field::Title, "Fractions, adapted".to_owned())], "Bea").unwrap();

    let lineage = fixture.library.lineage(&copy.id).unwrap();
    assert_eq!(lineage.sources.len(), 1);
    assert_eq!(lineage.sources[0].resource_id, original);
    assert!(lineage.sources[0].available);
    assert!(!lineage.changes_made, "only the title changed, not the content");
    assert!(!lineage.attributions[0].text.contains("changes were made"));

    edit_text(&fixture, &copy.id, |text| text.replace("Half of 8?", "Half of 10?"));
    let lineage = fixture.library.lineage(&copy.id).unwrap();
    assert!(lineage.changes_made);
    assert!(lineage.attributions[0].text.contains("changes were made"), "{}", lineage.attributions[0].text);

    let copy_of_copy = fixture.library.fork(&copy.id, None, "Cai").unwrap();
    let lineage = fixture.library.lineage(&copy_of_copy.id).unwrap();
    let titles: Vec<&str> = lineage.attributions.iter().map(|line| line.title.as_str()).collect();
    assert_eq!(titles, ["Fractions, adapted", "Fractions"], "the chain goes back to the original");

    let original_lineage = fixture.library.lineage(&original).unwrap();
    assert_eq!(
        original_lineage.copies.iter().map(|copy| copy.id.as_str()).collect::<Vec<_>>(),
        [copy.id.as_str()]
    );

    // The history of a copy runs into its source's.
    let history = fixture.library.history(&copy_of_copy.id).unwrap();
    assert_eq!(history.last().unwrap().resource_id, original);

    // Deleting the original for good keeps the copies' history whole.
    fixture.library.trash(&original).unwrap();
    fixture.library.empty_trash().unwrap();
    let history_after = fixture.library.history(&copy_of_copy.id).unwrap();
    assert_eq!(history_after.len(), history.len());
    let lineage = fixture.library.lineage(&copy.id).unwrap();
    assert!(!lineage.sources[0].available);
    assert_eq!(lineage.sources[0].title, "Fractions");
    let report = fixture.library.check(false).unwrap();
    assert!(report.catalog_ok && report.missing_objects.is_empty(), "{report:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The law: making a copy and bringing changes in either way without editing changes nothing,
    /// whatever the content (text or bytes), its history and its licence.
    #[test]
    fn fork_then_merge_without_edits_changes_nothing(
        content in prop_oneof![
            "[a-z \n]{1,80}".prop_map(String::into_bytes),
            proptest::collection::vec(any::<u8>(), 1..80),
        ],
        binary in any::<bool>(),
        edits in proptest::collection::vec("[a-z \n]{1,20}", 0..3),
        licence in prop_oneof![Just("CC-BY-4.0"), Just("CC-BY-SA-4.0"), Just("CC0-1.0"), Just("all-rights-reserved")],
    ) {
        let fixture = Fixture::new();
        let name = if binary { "thing.bin" } else { "thing.txt" };
        let original = import_bytes(&fixture, name, &content);
        fixture.library.edit(&original, &[(Field::Licence, licence.to_owned())], "Ana").unwrap();
        for (number, edit) in edits.iter().enumerate() {
            let path = fixture.write(&format!("edit-{number}-{name}"), edit);
            fixture.library.revise(&original, &path, "edit", "Ana").unwrap();
        }
        let before = fixture.library.resource(&original).unwrap();
        let copy = fixture.library.fork(&original, None, "Bea").unwrap();

        let outcome = fixture.library.merge(&copy.id, &original, "Bea").unwrap();
        prop_assert!(matches!(&outcome, MergeOutcome::UpToDate { resource } if *resource == copy), "{outcome:?}");
        let back = fixture.library.merge(&original, &copy.id, "Ana").unwrap();
        let MergeOutcome::FastForward { resource } = back else { panic!("{back:?}") };
        prop_assert_eq!(&resource.head, &copy.head, "the original takes the copy's version as it is");
        prop_assert_eq!(resource.object, before.object, "the same content");
        prop_assert_eq!(&resource.metadata.licence, &before.metadata.licence);
        prop_assert_eq!(&resource.metadata.title, &before.metadata.title);
    }
}

fn import_bytes(fixture: &Fixture, name: &str, content: &[u8]) -> String {
    let path = fixture.write(name, content);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn upstream_fixes_come_into_a_copy_without_losing_its_changes() {
    let fixture = Fixture::new();
    let original = worksheet(&fixture, "CC-BY-4.0");
    let copy = fixture.library.fork(&original, Some("CC-BY-SA-4.0"), "Bea").unwrap();
    edit_text(&fixture, &copy.id, |text| text.replace("1. Half of 8?", "1. Half of 8 apples?"));
    edit_text(&fixture, &original, |text| text.replace("3. A quarter of 12?", "3. A quarter of 16?"));
    fixture
        .library
        .edit(&original, &[(Field::Description, "Fractions for year 5".to_owned())], "Ana")
        .unwrap();

    let lineage = fixture.library.lineage(&copy.id).unwrap();
    assert!(
        lineage
            .merge_candidates
            .iter()
            .any(|candidate| candidate.from == original && candidate.relation == MergeRelation::Source)
    );

    let outcome = fixture.library.merge(&copy.id, &original, "Bea").unwrap();
    let MergeOutcome::Merged { resource } = outcome else { panic!("{outcome:?}") };
    let text = content(&fixture, &copy.id);
    assert!(text.contains("Half of 8 apples?") && text.contains("A quarter of 16?"), "{text}");
    assert_eq!(resource.metadata.licence, "CC-BY-SA-4.0", "the copy keeps its own licence");
    assert_eq!(resource.metadata.description, "Fractions for year 5");
    let history = fixture.library.history(&copy.id).unwrap();
    assert_eq!(history[0].parents.len(), 2, "a merge has two parents");
    assert_eq!(
        fixture.library.merge(&copy.id, &original, "Bea").unwrap(),
        MergeOutcome::UpToDate { resource: fixture.library.resource(&copy.id).unwrap() }
    );

    // And the copy's improvements go back to the original.
    let back = fixture.library.merge(&original, &copy.id, "Ana").unwrap();
    assert!(matches!(back, MergeOutcome::FastForward { .. }), "{back:?}");
    assert!(content(&fixture, &original).contains("Half of 8 apples?"));
}

#[test]
fn conflicts_are_saved_resolved_one_by_one_and_finished() {
    let fixture = Fixture::new();
    let original = worksheet(&fixture, "CC-BY-4.0");
    let first = fixture.library.fork(&original, None, "Bea").unwrap();
    let second = fixture.library.fork(&original, None, "Cai").unwrap();
    edit_text(&fixture, &first.id, |text| text.replace("2. A third of 9?", "2. A third of 12?"));
    edit_text(&fixture, &second.id, |text| text.replace("2. A third of 9?", "2. One third of 27?"));
    fixture.library.edit(&first.id, &[(Field::Keywords, "fractions; year 5".to_owned())], "Bea").unwrap();
    fixture.library.edit(&second.id, &[(Field::Keywords, "maths".to_owned())], "Cai").unwrap();

    let lineage = fixture.library.lineage(&first.id).unwrap();
    assert!(
        lineage.merge_candidates.iter().any(|c| c.from == second.id && c.relation == MergeRelation::Sibling)
    );
    let MergeOutcome::Conflicts { merge } = fixture.library.merge(&first.id, &second.id, "Bea").unwrap()
    else {
        panic!("two different changes to one line conflict")
    };
    assert_eq!(merge.unresolved, 2, "one text conflict and the keywords");

    // The merge is stored: it survives reopening the library.
    let root = fixture.library.root().to_path_buf();
    let Fixture { temp, library } = fixture;
    drop(library);
    let fixture = Fixture { library: commonplace_library::Library::open(&root).unwrap(), temp };
    let merge = fixture.library.merge_state(&first.id).unwrap().expect("the merge was saved");
    let region = match &merge.content {
        commonplace_history::ContentMerge::Text { merge } => merge
            .regions()
            .iter()
            .position(|region| matches!(region, commonplace_history::Region::Conflict(_)))
            .unwrap(),
        other => panic!("{other:?}"),
    };
    let error = fixture.library.finish_merge(&first.id, "Bea").unwrap_err();
    assert!(matches!(error, Error::MergeUnresolved { unresolved: 2, .. }), "{error}");
    let merge =
        fixture.library.resolve_conflict(&first.id, region, commonplace_history::Resolution::Theirs).unwrap();
    assert_eq!(merge.unresolved, 1);
    let merge = fixture
        .library
        .resolve_field(
            &first.id,
            Field::Keywords,
            FieldChoice::Custom { text: "fractions; maths".to_owned() },
        )
        .unwrap();
    assert_eq!(merge.unresolved, 0);
    let finished = fixture.library.finish_merge(&first.id, "Bea").unwrap();
    assert!(content(&fixture, &first.id).contains("2. One third of 27?"));
    assert_eq!(finished.metadata.keywords, ["fractions", "maths"]);
    assert!(fixture.library.merge_state(&first.id).unwrap().is_none());
}

#[test]
fn an_abandoned_merge_leaves_the_resource_as_it_was() {
    let fixture = Fixture::new();
    let original = worksheet(&fixture, "CC-BY-4.0");
    let copy = fixture.library.fork(&original, None, "Bea").unwrap();
    edit_text(&fixture, &copy.id, |_| String::new());
    edit_text(&fixture, &original, |text| text.replace("Half", "One half"));
    let before = fixture.library.resource(&copy.id).unwrap();
    let outcome = fixture.library.merge(&copy.id, &original, "Bea").unwrap();
    assert!(
        matches!(outcome, MergeOutcome::Conflicts { .. }),
        "deleting everything against an edit conflicts"
    );
    fixture.library.abandon_merge(&copy.id).unwrap();
    assert_eq!(fixture.library.resource(&copy.id).unwrap(), before);
    assert!(matches!(fixture.library.abandon_merge(&copy.id), Err(Error::NoMergeInProgress { .. })));
}

#[test]
fn unrelated_resources_have_nothing_to_merge() {
    let fixture = Fixture::new();
    let first = worksheet(&fixture, "CC-BY-4.0");
    let second = import_text(&fixture, "other.md", "# Other\n");
    let error = fixture.library.merge(&first, &second, "Ana").unwrap_err();
    assert!(error.to_string().contains("shares no history"), "{error}");
}

#[test]
fn binary_content_is_merged_by_choosing_a_side() {
    let fixture = Fixture::new();
    let id = import_text(&fixture, "photo.png", "\u{89}PNG\r\n\u{1a}\n\0original");
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    let ours = fixture.write("ours.png", b"\x89PNG\r\n\x1a\n\0ours");
    let theirs = fixture.write("theirs.png", b"\x89PNG\r\n\x1a\n\0theirs!");
    fixture.library.revise(&copy.id, &ours, "ours", "Bea").unwrap();
    fixture.library.revise(&id, &theirs, "theirs", "Ana").unwrap();
    let MergeOutcome::Conflicts { merge } = fixture.library.merge(&copy.id, &id, "Bea").unwrap() else {
        panic!("two different images conflict")
    };
    assert_eq!((merge.ours_size, merge.theirs_size), (13, 16));
    fixture.library.choose_side(&copy.id, commonplace_history::Side::Theirs).unwrap();
    let merged = fixture.library.finish_merge(&copy.id, "Bea").unwrap();
    assert_eq!(merged.object, fixture.library.resource(&id).unwrap().object);
}

#[test]
fn a_binary_file_of_plain_ascii_is_never_merged_line_by_line() {
    // A PDF can be nothing but ASCII, with no NUL byte: its type, not its bytes, says it is binary.
    let pdf = |body: &str| format!("%PDF-1.4\n1 0 obj\n<< /Title ({body}) >>\nendobj\ntrailer\n%%EOF\n");
    let fixture = Fixture::new();
    let id = import_text(&fixture, "notes.pdf", &pdf("original"));
    let copy = fixture.library.fork(&id, None, "Bea").unwrap();
    let ours = fixture.write("ours.pdf", pdf("ours"));
    let theirs = fixture.write("theirs.pdf", format!("{}% a trailing comment\n", pdf("original")));
    fixture.library.revise(&copy.id, &ours, "ours", "Bea").unwrap();
    fixture.library.revise(&id, &theirs, "theirs", "Ana").unwrap();
    let outcome = fixture.library.merge(&copy.id, &id, "Bea").unwrap();
    let MergeOutcome::Conflicts { merge } = outcome else {
        panic!("a line-wise merge would have combined both edits into a broken PDF: {outcome:?}")
    };
    assert!(matches!(merge.content, commonplace_history::ContentMerge::Binary { .. }), "{merge:?}");
    let history = fixture.library.history(&id).unwrap();
    let diff = fixture.library.diff_revisions(&id, &history[1].id, &history[0].id).unwrap();
    assert!(diff.text.is_none(), "no line diff of a PDF");
}

#[test]
fn the_editor_saves_revisions_and_keeps_drafts() {
    let fixture = Fixture::new();
    let id = worksheet(&fixture, "CC-BY-4.0");
    let editable = fixture.library.editable_text(&id).unwrap();
    assert_eq!(editable.mode, commonplace_library::EditorMode::Markdown);
    assert!(editable.draft.is_none());

    fixture.library.save_draft(&id, &editable.head, "# Draft\n").unwrap();
    let reopened = fixture.library.editable_text(&id).unwrap();
    assert_eq!(reopened.draft.as_ref().map(|draft| draft.text.as_str()), Some("# Draft\n"));

    let SaveOutcome::Saved { resource: saved } =
        fixture.library.save_text(&id, &editable.head, "# Fractions\n\nNew text\n", "", "Ana").unwrap()
    else {
        panic!("a save on the current version is a plain save")
    };
    assert_ne!(saved.head, editable.head);
    assert_eq!(saved.metadata.licence, "CC-BY-4.0", "text without a licence keeps the one it had");
    assert!(fixture.library.draft(&id).unwrap().is_none(), "saving clears the draft");
    assert_eq!(fixture.library.history(&id).unwrap()[0].message, "Edited the text");

    // Saving the same text again makes no revision.
    let again = fixture.library.save_text(&id, &saved.head, "# Fractions\n\nNew text\n", "", "Ana").unwrap();
    assert_eq!(again, SaveOutcome::Saved { resource: saved.clone() });
    let image = import_text(&fixture, "x.png", "\u{89}PNG\r\n\u{1a}\n\0x");
    assert!(matches!(fixture.library.editable_text(&image), Err(Error::NotText { .. })));
}

#[test]
fn text_saved_from_an_older_version_is_merged_with_the_newer_one() {
    let fixture = Fixture::new();
    let id = worksheet(&fixture, "CC-BY-4.0");
    let opened = fixture.library.editable_text(&id).unwrap();
    // Someone changes the last question (in the system's app, say) while the editor is open.
    edit_text(&fixture, &id, |text| text.replace("A quarter of 12?", "A quarter of 16?"));
    let elsewhere = fixture.library.resource(&id).unwrap().head;
    // The editor's text changed the first question, from the version it opened.
    let mine = opened.text.replace("Half of 8?", "Half of 10?");
    fixture.library.save_draft(&id, &opened.head, &mine).unwrap();

    let outcome = fixture.library.save_text(&id, &opened.head, &mine, "first question", "Bea").unwrap();
    let SaveOutcome::Merged { resource } = outcome else { panic!("both edits merge cleanly: {outcome:?}") };
    let merged = content(&fixture, &id);
    assert!(merged.contains("Half of 10?") && merged.contains("A quarter of 16?"), "{merged}");
    let history = fixture.library.history(&id).unwrap();
    assert_eq!(history[0].id, resource.head);
    assert_eq!(history[0].parents.len(), 2, "a merge of the two versions: {:?}", history[0]);
    assert!(history[0].parents.contains(&elsewhere));
    assert!(
        history.iter().any(|revision| revision.message == "first question"),
        "the edit keeps its message"
    );
    assert!(fixture.library.draft(&id).unwrap().is_none(), "the draft is saved, so it is gone");
    let candidates = fixture.library.lineage(&id).unwrap().merge_candidates;
    assert!(
        candidates.iter().all(|candidate| candidate.relation != MergeRelation::Incoming),
        "nothing left waiting: {candidates:?}"
    );
}

#[test]
fn overlapping_text_saved_from_an_older_version_opens_a_merge() {
    let fixture = Fixture::new();
    let id = worksheet(&fixture, "CC-BY-4.0");
    let opened = fixture.library.editable_text(&id).unwrap();
    edit_text(&fixture, &id, |text| text.replace("Half of 8?", "Half of 12?"));
    let mine = opened.text.replace("Half of 8?", "Half of 10?");

    let outcome = fixture.library.save_text(&id, &opened.head, &mine, "", "Bea").unwrap();
    let SaveOutcome::Conflicts { merge } = outcome else {
        panic!("the same line changed twice: {outcome:?}")
    };
    assert_eq!(merge.unresolved, 1);
    assert_eq!(merge.theirs_label, "your edits made in the editor");
    assert!(fixture.library.draft(&id).unwrap().is_none(), "the text is a version now, not a draft");

    // While that merge is open, another stale save waits as a draft and says why.
    let error = fixture.library.save_text(&id, &opened.head, "# Other\n", "", "Bea").unwrap_err();
    assert!(matches!(error, Error::MergeInProgress { .. }), "{error}");
    assert_eq!(fixture.library.draft(&id).unwrap().unwrap().text, "# Other\n");

    // Abandoning the merge loses nothing: the edit waits to be brought in later.
    fixture.library.abandon_merge(&id).unwrap();
    let candidates = fixture.library.lineage(&id).unwrap().merge_candidates;
    assert!(
        candidates.iter().any(|candidate| candidate.relation == MergeRelation::Incoming
            && candidate.from == merge.theirs
            && candidate.title == "your edits made in the editor"),
        "{candidates:?}"
    );
}

#[test]
fn combining_resources_checks_licences_and_credits_every_source() {
    let fixture = Fixture::new();
    let by = worksheet(&fixture, "CC-BY-4.0");
    let sa = worksheet(&fixture, "CC-BY-SA-4.0");
    let nc = worksheet(&fixture, "CC-BY-NC-4.0");

    let check = fixture.library.check_combination(&[sa.clone(), nc.clone()]).unwrap();
    assert!(!check.possible);
    assert!(check.reason.contains("forbids commercial use"), "{}", check.reason);
    let error = fixture
        .library
        .combine(&[sa.clone(), nc.clone()], &HashMap::new(), "Handout", None, "Ana")
        .unwrap_err();
    assert!(matches!(error, Error::CombinationImpossible { .. }), "{error}");

    let check = fixture.library.check_combination(&[by.clone(), sa.clone()]).unwrap();
    assert!(check.possible);
    assert_eq!(check.suggested.as_deref(), Some("CC-BY-SA-4.0"));
    assert_eq!(check.attributions.len(), 2);
    let combined = fixture
        .library
        .combine(&[by.clone(), sa.clone()], &HashMap::new(), "Fractions handout", None, "Ana")
        .unwrap();
    assert_eq!(combined.metadata.licence, "CC-BY-SA-4.0");
    assert_eq!(combined.media_type, "text/markdown");
    let text = content(&fixture, &combined.id);
    assert!(text.starts_with("# Fractions handout\n"));
    assert!(text.contains("> 1. Half of 8?"), "sources are quoted: {text}");
    assert_eq!(text.matches("\"Fractions\" by Ana Souza").count(), 2, "{text}");
    assert!(!text.contains("license: CC-BY"), "front matter is not quoted: {text}");
    let lineage = fixture.library.lineage(&combined.id).unwrap();
    assert_eq!(lineage.sources.len(), 2);
}

#[test]
fn a_combination_quotes_only_the_sections_chosen() {
    let fixture = Fixture::new();
    let unit = import_text(
        &fixture,
        "unit.md",
        "---\ntitle: Unit\nlicense: CC-BY-4.0\n---\nWelcome.\n\n# Fractions\n\nHalves.\n\n## Practice\n\nHalf of 8?\n\n# Decimals\n\nTenths.\n",
    );
    let poem = import_text(&fixture, "poem.md", "---\nlicense: CC0-1.0\n---\nRoses are red.\n");
    let picture = import_text(&fixture, "x.png", "\u{89}PNG\r\n\u{1a}\n\0x");
    let outline =
        fixture.library.combination_outline(&[unit.clone(), poem.clone(), picture.clone()]).unwrap();
    let headings: Vec<(u32, &str, u8)> = outline[0]
        .sections
        .iter()
        .map(|section| (section.index, section.heading.as_str(), section.level))
        .collect();
    assert_eq!(headings, [(0, "", 0), (1, "Fractions", 1), (2, "Practice", 2), (3, "Decimals", 1)]);
    assert_eq!(outline[1].sections.len(), 1, "text without headings is one section");
    assert!(outline[2].sections.is_empty(), "an image is named, not quoted");

    // "Fractions" brings its "Practice" with it; choosing both quotes it once.
    let sections = HashMap::from([(unit.clone(), vec![1, 2])]);
    let combined =
        fixture.library.combine(&[unit.clone(), poem.clone()], &sections, "Mix", None, "Ana").unwrap();
    let text = content(&fixture, &combined.id);
    assert!(text.contains("> # Fractions") && text.contains("> Half of 8?"), "{text}");
    assert_eq!(text.matches("Half of 8?").count(), 1, "{text}");
    assert!(!text.contains("Tenths.") && !text.contains("Welcome."), "only what was chosen: {text}");
    assert!(text.contains("> Roses are red."), "the source without a choice is whole: {text}");

    let wrong = HashMap::from([(unit.clone(), vec![9])]);
    let error = fixture.library.combine(&[unit, poem], &wrong, "Mix", None, "Ana").unwrap_err();
    assert!(error.to_string().contains("has 4 sections"), "{error}");
}

#[test]
fn a_private_copy_stays_private() {
    let fixture = Fixture::new();
    let reserved = worksheet(&fixture, "all-rights-reserved");
    let copy = fixture.library.fork(&reserved, None, "Bea").unwrap();
    assert_eq!(copy.metadata.licence, "all-rights-reserved");
    let terms = fixture.library.lineage(&copy.id).unwrap().terms;
    assert!(
        matches!(&terms, LicenceTerms::Private { licence, reason } if licence == "all-rights-reserved" && !reason.is_empty()),
        "{terms:?}"
    );

    // Its licence cannot be edited into an open one…
    let error =
        fixture.library.edit(&copy.id, &[(Field::Licence, "CC-BY-4.0".to_owned())], "Bea").unwrap_err();
    assert!(matches!(error, Error::LicenceNotAllowed { .. }), "{error}");
    assert!(error.to_string().contains("private copy"), "{error}");
    // …nor made one by writing a licence into its text.
    edit_text(&fixture, &copy.id, |text| text.replace("license: all-rights-reserved", "license: CC-BY-4.0"));
    let revised = fixture.library.resource(&copy.id).unwrap();
    assert!(content(&fixture, &copy.id).contains("license: CC-BY-4.0"), "the text is the user's to write");
    assert_eq!(revised.metadata.licence, "all-rights-reserved", "but the licence stays");

    // When the source turns out to be open after all, its copies are freed with it.
    fixture.library.edit(&reserved, &[(Field::Licence, "CC-BY-4.0".to_owned())], "Ana").unwrap();
    let freed =
        fixture.library.edit(&copy.id, &[(Field::Licence, "CC-BY-SA-4.0".to_owned())], "Bea").unwrap();
    assert_eq!(freed.metadata.licence, "CC-BY-SA-4.0");
}

#[test]
fn a_copy_keeps_to_the_licences_its_source_allows() {
    let fixture = Fixture::new();
    let share_alike = worksheet(&fixture, "CC-BY-SA-4.0");
    let copy = fixture.library.fork(&share_alike, None, "Bea").unwrap();
    let LicenceTerms::Limited { allowed } = fixture.library.lineage(&copy.id).unwrap().terms else {
        panic!("a copy of a BY-SA work is limited")
    };
    assert!(allowed.iter().any(|choice| choice.id == "CC-BY-SA-4.0"));
    let error =
        fixture.library.edit(&copy.id, &[(Field::Licence, "CC-BY-4.0".to_owned())], "Bea").unwrap_err();
    assert!(matches!(error, Error::LicenceNotAllowed { .. }), "{error}");
    // An original's licence is its author's to set.
    assert_eq!(fixture.library.lineage(&share_alike).unwrap().terms, LicenceTerms::Original);
    fixture.library.edit(&share_alike, &[(Field::Licence, "CC0-1.0".to_owned())], "Ana").unwrap();
}

#[test]
fn a_copy_of_a_copy_can_bring_in_changes_from_the_whole_family() {
    let fixture = Fixture::new();
    let original = worksheet(&fixture, "CC-BY-4.0");
    let first = fixture.library.fork(&original, None, "Bea").unwrap().id;
    let second = fixture.library.fork(&first, None, "Cai").unwrap().id;
    let other = fixture.library.fork(&original, None, "Dan").unwrap().id;
    let relations = |id: &str| -> Vec<(String, MergeRelation)> {
        let candidates = fixture.library.lineage(id).unwrap().merge_candidates;
        candidates.into_iter().map(|candidate| (candidate.from, candidate.relation)).collect()
    };

    let of_second = relations(&second);
    assert!(of_second.contains(&(first.clone(), MergeRelation::Source)), "{of_second:?}");
    assert!(of_second.contains(&(original.clone(), MergeRelation::Ancestor)), "{of_second:?}");
    assert!(of_second.contains(&(other.clone(), MergeRelation::Sibling)), "{of_second:?}");
    let of_original = relations(&original);
    assert!(
        of_original.contains(&(second.clone(), MergeRelation::Copy)),
        "copies of copies: {of_original:?}"
    );
    assert!(relations(&other).contains(&(second.clone(), MergeRelation::Sibling)));
    assert!(!of_second.iter().any(|(id, _)| id == &second), "never itself");

    // And the original's fix does come in, two copies down.
    edit_text(&fixture, &original, |text| text.replace("A quarter of 12?", "A quarter of 16?"));
    let outcome = fixture.library.merge(&second, &original, "Cai").unwrap();
    assert!(matches!(outcome, MergeOutcome::FastForward { .. } | MergeOutcome::Merged { .. }), "{outcome:?}");
    assert!(content(&fixture, &second).contains("A quarter of 16?"));
}
