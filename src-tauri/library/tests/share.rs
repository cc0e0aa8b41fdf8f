//! Sharing into a conversation: the bundle and the card that travel in the message, the licence
//! gate, and saving a received resource with where it came from — including one that shares
//! history with a resource already here, which waits to be merged rather than becoming a copy.

mod common;

use common::Fixture;
use commonplace_library::{
    BundleOutcome, Error, ImportOutcome, MergeRelation, Origin, SHARED_RESOURCE_KEY, SharedResource,
};

fn import_text(fixture: &Fixture, name: &str, text: &str) -> String {
    let path = fixture.write(name, text);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

const FRACTIONS: &str =
    "---\ntitle: Fractions\nauthor: Ana Souza\nlicense: CC-BY-4.0\nlang: pt\n---\n# Fractions\n";

#[test]
fn an_open_resource_is_shared_as_a_bundle_with_its_card() {
    let fixture = Fixture::new();
    let id = import_text(&fixture, "fractions.md", FRACTIONS);
    let ready = fixture.library.prepare_share(&id, false).unwrap();
    assert_eq!(ready.file_name, "Fractions.commonplace");
    assert!(ready.path().is_file());
    insta::assert_json_snapshot!(ready.card, { ".resource_id" => "[id]", ".revision_id" => "[revision]" }, @r#"
    {
      "version": 1,
      "resource_id": "[id]",
      "revision_id": "[revision]",
      "title": "Fractions",
      "description": "",
      "creators": [
        "Ana Souza"
      ],
      "licence": "CC-BY-4.0",
      "language": "pt",
      "attribution": "\"Fractions\" by Ana Souza is licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
      "sources": []
    }
    "#);
    let content = serde_json::json!({ "msgtype": "m.file", SHARED_RESOURCE_KEY: ready.card.clone() });
    assert_eq!(SharedResource::from_content(&content), Some(ready.card.clone()));
    let staged = ready.path();
    drop(ready);
    assert!(!staged.exists(), "the staged bundle goes when the share is done");
}

#[test]
fn content_without_an_open_licence_needs_the_persons_confirmation() {
    let fixture = Fixture::new();
    let id = import_text(&fixture, "notes.md", "# Notes without a licence\n");
    let refused = fixture.library.prepare_share(&id, false).unwrap_err();
    assert!(matches!(refused, Error::ShareNeedsConfirmation { .. }), "{refused}");
    assert!(refused.to_string().contains("Notes without a licence"), "{refused}");
    assert!(fixture.library.prepare_share(&id, true).is_ok());
}

#[test]
fn a_card_of_a_newer_version_is_shown_as_a_plain_file() {
    let content = serde_json::json!({ SHARED_RESOURCE_KEY: {
        "version": 2, "resource_id": "r", "revision_id": "v", "title": "t", "licence": "CC0-1.0", "attribution": "a"
    }});
    assert_eq!(SharedResource::from_content(&content), None);
}

#[test]
fn a_received_resource_is_saved_with_its_origin_and_a_later_version_waits_to_be_merged() {
    let sender = Fixture::new();
    let id = import_text(&sender, "fractions.md", FRACTIONS);
    let receiver = Fixture::new();
    let first = sender.library.prepare_share(&id, false).unwrap();
    let saved =
        receiver.library.import_bundle_from(&first.path(), Origin::Conversation, "@ana:example.org").unwrap();
    assert_eq!(saved.resources[0].outcome, BundleOutcome::Added);
    assert_eq!(saved.resources[0].id, id, "the same resource, recognised by id");
    let arrival = receiver.library.lineage(&id).unwrap().arrival.expect("it remembers where it came from");
    assert_eq!(
        (arrival.origin.as_str(), arrival.origin_label.as_str()),
        ("conversation", "@ana:example.org")
    );
    // A copy made of it says where its source came from.
    let copy = receiver.library.fork(&id, None, "Bea").unwrap();
    let source = &receiver.library.lineage(&copy.id).unwrap().sources[0];
    assert_eq!((source.origin.as_str(), source.origin_label.as_str()), ("conversation", "@ana:example.org"));

    // Both change it; the next share arrives as a version to bring in, not as a second copy.
    for (fixture, text) in
        [(&sender, "# Fractions\n\nAna's fix.\n"), (&receiver, "# Fractions\n\nMy change.\n")]
    {
        let editable = fixture.library.editable_text(&id).unwrap();
        fixture.library.save_text(&id, &editable.head, text, "edit", "someone").unwrap();
    }
    let second = sender.library.prepare_share(&id, false).unwrap();
    let again = receiver
        .library
        .import_bundle_from(&second.path(), Origin::Conversation, "@ana:example.org")
        .unwrap();
    assert_eq!(again.resources[0].outcome, BundleOutcome::Diverged);
    let lineage = receiver.library.lineage(&id).unwrap();
    let incoming =
        lineage.merge_candidates.iter().find(|candidate| candidate.relation == MergeRelation::Incoming);
    assert!(incoming.is_some_and(|candidate| candidate.title.contains("@ana:example.org")), "{lineage:?}");
}

#[test]
fn a_shared_copy_carries_what_it_was_copied_from() {
    let fixture = Fixture::new();
    let original = import_text(&fixture, "fractions.md", FRACTIONS);
    let copy = fixture.library.fork(&original, Some("CC-BY-SA-4.0"), "Bea").unwrap();
    let card = fixture.library.prepare_share(&copy.id, false).unwrap().card;
    assert_eq!(card.licence, "CC-BY-SA-4.0");
    assert_eq!(card.sources.len(), 1, "{card:?}");
    assert_eq!(card.sources[0].resource_id, original);
    assert!(card.sources[0].attribution.contains("Ana Souza"), "{card:?}");
}
