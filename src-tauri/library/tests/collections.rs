//! Collections: membership, the curator's order and notes, nesting, smart collections.

mod common;

use common::Fixture;
use commonplace_library::{Error, ImportOutcome, SearchQuery};

fn import(fixture: &Fixture, names: &[&str]) -> Vec<String> {
    let paths: Vec<_> = names.iter().map(|name| fixture.write(name, format!("Content of {name}"))).collect();
    let paths: Vec<&std::path::Path> = paths.iter().map(|path| path.as_path()).collect();
    fixture
        .import(&paths)
        .items
        .into_iter()
        .map(|item| match item.outcome {
            ImportOutcome::Imported { resource_id, .. } => resource_id,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn titles(fixture: &Fixture, collection: &str) -> Vec<String> {
    fixture
        .library
        .collection_entries(collection)
        .unwrap()
        .into_iter()
        .map(|entry| entry.resource.title)
        .collect()
}

#[test]
fn a_manual_collection_keeps_the_curators_order_and_notes() {
    let fixture = Fixture::new();
    let ids = import(&fixture, &["alpha.txt", "beta.txt", "gamma.txt"]);
    let unit = fixture.library.create_collection("  Unit 1:  Fractions ", None, None).unwrap();
    assert_eq!(unit.name, "Unit 1: Fractions");

    fixture.library.add_to_collection(&unit.id, &[ids[2].clone(), ids[0].clone(), ids[1].clone()]).unwrap();
    assert_eq!(titles(&fixture, &unit.id), ["gamma", "alpha", "beta"]);

    fixture.library.move_in_collection(&unit.id, &ids[1], 0).unwrap();
    assert_eq!(titles(&fixture, &unit.id), ["beta", "gamma", "alpha"]);
    fixture.library.move_in_collection(&unit.id, &ids[1], 99).unwrap();
    assert_eq!(titles(&fixture, &unit.id), ["gamma", "alpha", "beta"]);

    fixture.library.set_collection_note(&unit.id, &ids[0], "Start the lesson with this").unwrap();
    let entries = fixture.library.collection_entries(&unit.id).unwrap();
    assert_eq!(entries[1].note, "Start the lesson with this");

    fixture.library.add_to_collection(&unit.id, &[ids[0].clone()]).unwrap();
    assert_eq!(fixture.library.collection(&unit.id).unwrap().item_count, 3, "adding twice keeps one entry");

    fixture.library.remove_from_collection(&unit.id, &ids[2]).unwrap();
    assert_eq!(titles(&fixture, &unit.id), ["alpha", "beta"]);
}

#[test]
fn a_resource_can_be_in_many_collections_and_trash_hides_it_from_all() {
    let fixture = Fixture::new();
    let ids = import(&fixture, &["shared.txt"]);
    let first = fixture.library.create_collection("First", None, None).unwrap();
    let second = fixture.library.create_collection("Second", None, None).unwrap();
    fixture.library.add_to_collection(&first.id, &ids).unwrap();
    fixture.library.add_to_collection(&second.id, &ids).unwrap();
    let filtered = SearchQuery { collection: Some(second.id.clone()), ..SearchQuery::default() };
    assert_eq!(fixture.library.search(&filtered).unwrap().len(), 1);

    let mut holding = vec![first.id.clone(), second.id.clone()];
    holding.sort();
    assert_eq!(
        fixture.library.resource(&ids[0]).unwrap().collections,
        holding,
        "the details name its collections"
    );

    fixture.library.trash(&ids[0]).unwrap();
    assert!(fixture.library.collection_entries(&first.id).unwrap().is_empty());
    assert_eq!(fixture.library.collection(&second.id).unwrap().item_count, 0);
    fixture.library.restore(&ids[0]).unwrap();
    assert_eq!(titles(&fixture, &first.id), ["shared"]);
}

#[test]
fn collections_nest_without_cycles_and_deleting_keeps_resources() {
    let fixture = Fixture::new();
    let ids = import(&fixture, &["kept.txt"]);
    let course = fixture.library.create_collection("Course", None, None).unwrap();
    let week = fixture.library.create_collection("Week 1", Some(&course.id), None).unwrap();
    let day = fixture.library.create_collection("Day 1", Some(&week.id), None).unwrap();
    fixture.library.add_to_collection(&day.id, &ids).unwrap();

    let order: Vec<String> = fixture.library.collections().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(order, ["Course", "Week 1", "Day 1"], "parents come before their children");

    let error = fixture.library.move_collection(&course.id, Some(&day.id)).unwrap_err();
    assert!(error.to_string().contains("inside itself"), "{error}");

    fixture.library.delete_collection(&course.id).unwrap();
    assert!(fixture.library.collections().unwrap().is_empty(), "nested collections go with their parent");
    assert_eq!(fixture.library.info().unwrap().resource_count, 1, "resources stay in the library");
}

#[test]
fn a_smart_collection_follows_the_library_live() {
    let fixture = Fixture::new();
    import(&fixture, &["volcano.txt"]);
    let query = SearchQuery { text: "content".into(), ..SearchQuery::default() };
    let smart = fixture.library.create_collection("Everything with content", None, Some(query)).unwrap();
    assert_eq!(smart.item_count, 1);

    import(&fixture, &["earthquake.txt"]);
    assert_eq!(fixture.library.collection(&smart.id).unwrap().item_count, 2);
    assert_eq!(fixture.library.collection_entries(&smart.id).unwrap().len(), 2);

    let ids = import(&fixture, &["tsunami.txt"]);
    let error = fixture.library.add_to_collection(&smart.id, &ids).unwrap_err();
    assert!(error.to_string().contains("smart collection"), "{error}");
}

#[test]
fn missing_collections_and_resources_are_named() {
    let fixture = Fixture::new();
    let unit = fixture.library.create_collection("Unit", None, None).unwrap();
    let error = fixture.library.add_to_collection(&unit.id, &["nope".to_owned()]).unwrap_err();
    assert!(matches!(&error, Error::ResourceNotFound { id } if id == "nope"), "{error}");
    let error = fixture.library.create_collection("Child", Some("ghost"), None).unwrap_err();
    assert!(matches!(&error, Error::CollectionNotFound { id } if id == "ghost"), "{error}");
    let error = fixture.library.create_collection("   ", None, None).unwrap_err();
    assert!(error.to_string().contains("needs a name"), "{error}");
}
