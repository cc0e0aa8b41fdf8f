//! After import: metadata edits as revisions, export, and the trash.

mod common;

use std::fs;

use common::Fixture;
use commonplace_library::{Error, Field, FieldSource, ImportOutcome, SearchQuery};

fn import_one(fixture: &Fixture, name: &str, content: &str) -> String {
    let path = fixture.write(name, content);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn editing_metadata_makes_a_revision_marked_as_set_by_the_user() {
    let fixture = Fixture::new();
    let id = import_one(&fixture, "plants.txt", "Plants need light.");
    let before = fixture.library.resource(&id).unwrap();

    let changes =
        [(Field::Title, "Plants and light".to_owned()), (Field::Keywords, "biology; light".to_owned())];
    let after = fixture.library.edit(&id, &changes, "Ana").unwrap();
    assert_eq!(after.metadata.title, "Plants and light");
    assert_eq!(after.metadata.keywords, ["biology", "light"]);
    assert_eq!(after.metadata.sources[&Field::Title], FieldSource::User);
    assert_eq!(after.revision_count, 2);
    assert_ne!(after.head, before.head);
    assert_eq!(after.object, before.object, "the content is unchanged");

    let hits =
        fixture.library.search(&SearchQuery { text: "biology".into(), ..SearchQuery::default() }).unwrap();
    assert_eq!(hits.len(), 1, "the index follows the edit");
    let hits =
        fixture.library.search(&SearchQuery { text: "light".into(), ..SearchQuery::default() }).unwrap();
    assert_eq!(hits.len(), 1, "the body is still indexed after a metadata edit");

    let unchanged = fixture.library.edit(&id, &changes, "Ana").unwrap();
    assert_eq!(unchanged.revision_count, 2, "an edit that changes nothing makes no revision");
}

#[test]
fn export_writes_the_content_under_its_file_name_and_never_overwrites() {
    let fixture = Fixture::new();
    let id = import_one(&fixture, "poem.md", "# Ode\n");
    let out = fixture.temp.path().join("out");
    fs::create_dir_all(&out).unwrap();

    let written = fixture.library.export(&id, &out).unwrap();
    assert_eq!(written, out.join("poem.md"));
    assert_eq!(fs::read_to_string(&written).unwrap(), "# Ode\n");

    let error = fixture.library.export(&id, &out).unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1, "no staged file left behind");

    let renamed = fixture.library.export(&id, &out.join("copy.md")).unwrap();
    assert_eq!(fs::read_to_string(renamed).unwrap(), "# Ode\n");
}

#[test]
fn trash_hides_restore_returns_and_emptying_removes_unreferenced_objects() {
    let fixture = Fixture::new();
    let kept = import_one(&fixture, "kept.txt", "kept");
    let gone = import_one(&fixture, "gone.txt", "gone");
    let gone_object = fixture.library.resource(&gone).unwrap().object;

    fixture.library.trash(&gone).unwrap();
    assert_eq!(fixture.library.info().unwrap().resource_count, 1);
    assert!(
        fixture
            .library
            .search(&SearchQuery { text: "gone".into(), ..SearchQuery::default() })
            .unwrap()
            .is_empty()
    );
    fixture.library.restore(&gone).unwrap();
    assert_eq!(fixture.library.info().unwrap().resource_count, 2);

    fixture.library.trash(&gone).unwrap();
    // An object folder an import made and never used, as a cancelled import leaves behind.
    let unused = fixture.library.root().join("objects").join("00").join("00");
    fs::create_dir_all(&unused).unwrap();
    assert_eq!(fixture.library.empty_trash().unwrap(), (1, 1));
    assert!(!fixture.library.store().contains(gone_object));
    assert!(matches!(fixture.library.resource(&gone), Err(Error::ResourceNotFound { .. })));
    let kept_object = fixture.library.store().path(fixture.library.resource(&kept).unwrap().object);
    assert!(kept_object.is_file());
    // No folder is left empty: not the removed object's, not the unused one.
    let objects = fixture.library.root().join("objects");
    let mut folders: Vec<_> = walk_folders(&objects);
    folders.sort();
    let mut expected = vec![
        kept_object.parent().unwrap().to_owned(),
        kept_object.parent().unwrap().parent().unwrap().to_owned(),
    ];
    expected.sort();
    assert_eq!(folders, expected);
}

/// The folders under `root`, however deep.
fn walk_folders(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut folders = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                folders.push(entry.path());
                pending.push(entry.path());
            }
        }
    }
    folders
}

#[test]
fn unknown_resources_are_named_in_the_error() {
    let fixture = Fixture::new();
    let error = fixture.library.trash("no-such-id").unwrap_err();
    assert_eq!(error.to_string(), "there is no resource no-such-id in this library");
}

#[test]
fn a_full_page_of_results_comes_back_even_when_the_best_matches_are_in_the_trash() {
    let fixture = Fixture::new();
    let mut ids = Vec::new();
    for index in 0..6 {
        // The earlier files mention the word more often, so they rank higher.
        let repeats = "tide ".repeat(6 - index);
        ids.push(import_one(&fixture, &format!("tides-{index}.txt"), &format!("{repeats} notes {index}")));
    }
    let query = SearchQuery { text: "tide".into(), limit: 3, ..SearchQuery::default() };
    let best: Vec<String> = fixture.library.search(&query).unwrap().into_iter().map(|hit| hit.id).collect();
    assert_eq!(best.len(), 3);
    for id in &best[..2] {
        fixture.library.trash(id).unwrap();
    }
    let after: Vec<String> = fixture.library.search(&query).unwrap().into_iter().map(|hit| hit.id).collect();
    assert_eq!(after.len(), 3, "the page is still full");
    assert!(after.iter().all(|id| !best[..2].contains(id)), "nothing from the trash");
    assert_eq!(after[0], best[2], "the order of the rest is kept");
    let second_page = SearchQuery { offset: 3, ..query };
    assert_eq!(fixture.library.search(&second_page).unwrap().len(), 1);
}

#[test]
fn previews_are_text_or_sanitised_html_and_bounded() {
    use commonplace_library::{PREVIEW_BYTES, Preview};
    let fixture = Fixture::new();
    let markdown =
        import_one(&fixture, "lesson.md", "# Lesson\n\n<img src=x onerror=alert(1)> Read **this**.\n");
    let page =
        import_one(&fixture, "page.html", "<title>T</title><body><p onmouseover=\"x()\">Hello</p></body>");
    let long = import_one(&fixture, "long.txt", &"all work and no play ".repeat(20_000));

    match fixture.library.preview(&markdown).unwrap() {
        Preview::Html { html, truncated: false } => {
            assert!(html.contains("<strong>this</strong>") && !html.contains("onerror"), "{html}");
        }
        other => panic!("{other:?}"),
    }
    match fixture.library.preview(&page).unwrap() {
        Preview::Html { html, .. } => {
            assert!(html.contains("Hello") && !html.contains("onmouseover"), "{html}")
        }
        other => panic!("{other:?}"),
    }
    match fixture.library.preview(&long).unwrap() {
        Preview::Text { text, truncated: true } => assert_eq!(text.len() as u64, PREVIEW_BYTES),
        other => panic!("{other:?}"),
    }
}

#[test]
fn books_get_their_cover_as_a_thumbnail_and_documents_none() {
    let fixture = Fixture::new();
    let cover = picture(600, 900, image::ImageFormat::Png);
    let book = zip_of(&[
        (
            "META-INF/container.xml",
            br#"<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>"#,
        ),
        (
            "content.opf",
            br#"<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Red Book</dc:title></metadata><manifest><item id="c" href="cover.png" media-type="image/png" properties="cover-image"/></manifest></package>"#,
        ),
        ("cover.png", &cover),
    ]);
    let book = import_bytes(&fixture, "red.epub", &book);
    let notes = import_one(&fixture, "notes.txt", "plain notes");

    let thumbnail = fixture.library.thumbnail(&book).unwrap().expect("a cover thumbnail");
    let decoded = image::load_from_memory(&thumbnail).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (171, 256));
    assert_eq!(fixture.library.resource(&book).unwrap().metadata.title, "Red Book");
    assert!(fixture.library.thumbnail(&notes).unwrap().is_none());
}

/// A zip of `entries`, stored as they are.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::{Cursor, Write};
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A `width` × `height` picture in `format`.
fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([30, 90, 160]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

#[test]
fn office_documents_show_the_preview_picture_saved_inside_them() {
    let fixture = Fixture::new();
    let size = |thumbnail: Option<Vec<u8>>| {
        let decoded = image::load_from_memory(&thumbnail.expect("a thumbnail")).unwrap();
        (decoded.width(), decoded.height())
    };
    // LibreOffice saves the first slide or page as Thumbnails/thumbnail.png.
    let slides = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.presentation"),
        ("Thumbnails/thumbnail.png", &picture(256, 192, image::ImageFormat::Png)),
    ]);
    let slides = import_bytes(&fixture, "volcanoes.odp", &slides);
    assert_eq!(size(fixture.library.thumbnail(&slides).unwrap()), (256, 192));

    // Office names its picture in the package's relationships.
    let relationships = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>"#;
    let deck = zip_of(&[
        ("_rels/.rels", relationships),
        ("docProps/thumbnail.jpeg", &picture(400, 300, image::ImageFormat::Jpeg)),
    ]);
    let deck = import_bytes(&fixture, "rivers.pptx", &deck);
    assert_eq!(size(fixture.library.thumbnail(&deck).unwrap()), (256, 192));

    // Without a picture, or with one this decoder cannot read, the typed icon shows.
    let plain = zip_of(&[("word/document.xml", b"<w:document/>")]);
    let plain = import_bytes(&fixture, "plain.docx", &plain);
    assert!(fixture.library.thumbnail(&plain).unwrap().is_none());
    let unreadable = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("Thumbnails/thumbnail.png", b"\xd7\xcd\xc6\x9a a metafile, not a PNG"),
    ]);
    let unreadable = import_bytes(&fixture, "essay.odt", &unreadable);
    assert!(fixture.library.thumbnail(&unreadable).unwrap().is_none());
}

fn import_bytes(fixture: &Fixture, name: &str, bytes: &[u8]) -> String {
    let path = fixture.write(name, bytes);
    match &fixture.import(&[&path]).items[0].outcome {
        ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    }
}
