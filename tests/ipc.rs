//! The shell's commands through real IPC on Tauri's mock runtime, with the app's real context:
//! its tauri.conf.json and its capability, so a command missing from the capability fails here.

use std::path::Path;

use commonplace_app::{AppPaths, KeyVault, LibraryState};
use commonplace_ipc::bindings::COMMANDS;
use serde_json::Value;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

fn app(library: LibraryState) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with(library, AppPaths { log_file: Some("/logs/commonplace.log".into()), messaging: None })
}

fn app_with(library: LibraryState, paths: AppPaths) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with_vault(library, paths, None)
}

fn app_with_vault(
    library: LibraryState,
    paths: AppPaths,
    vault: Option<std::sync::Arc<dyn commonplace_app::KeyVault>>,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = commonplace_app::builder(mock_builder(), library, paths, vault)
        .build(commonplace_app::context())
        .expect("the app builds on the mock runtime");
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap(),
    };
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, command: &str) -> Result<Value, Value> {
    invoke_with(window, command, serde_json::json!({}))
}

fn invoke_with(window: &WebviewWindow<MockRuntime>, command: &str, arguments: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(arguments),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

fn open(root: &Path) -> LibraryState {
    LibraryState::open(root)
}

#[test]
fn library_get_info_returns_the_open_library() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("Library");
    let (_app, window) = app(open(&root));

    let info = invoke(&window, "library_get_info").unwrap();
    assert_eq!(info["path"], root.to_str().unwrap());
    assert_eq!(info["formatVersion"], 1);
    assert_eq!(info["resourceCount"], 0);
    assert_eq!(info["collectionCount"], 0);
    assert!(root.join("library.json").is_file());
}

#[test]
fn a_locked_library_reaches_the_ui_as_a_locked_error_naming_the_folder() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("Library");
    let (holder, _) = commonplace_library::Library::open_or_create(&root).unwrap();
    let (_app, window) = app(open(&root));

    let error = invoke(&window, "library_get_info").unwrap_err();
    assert_eq!(error["kind"], "locked");
    assert!(error["message"].as_str().unwrap().contains(root.to_str().unwrap()), "{error}");
    assert_eq!(error.as_object().unwrap().len(), 2, "only kind and message cross IPC: {error}");

    drop(holder);
    let info = invoke(&window, "library_get_info").expect("opens once the other holder has let go");
    assert_eq!(info["path"], root.to_str().unwrap());
}

#[test]
fn the_library_commands_import_search_edit_and_trash_through_ipc() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("photosynthesis.md");
    std::fs::write(&source, "# Photosynthesis\n\nPlants turn light into sugar.\n").unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));

    let report = invoke_with(
        &window,
        "library_import_paths",
        serde_json::json!({"request": {"paths": [source, temp.path().join("missing.pdf")]}, "onProgress": "__CHANNEL__:7"}),
    )
    .unwrap();
    let items = report["items"].as_array().unwrap();
    let with_status = |status: &str| items.iter().find(|item| item["status"] == status).unwrap();
    assert!(with_status("skipped")["path"].as_str().unwrap().ends_with("missing.pdf"));
    let id = with_status("imported")["resourceId"].as_str().unwrap().to_owned();

    let hits =
        invoke_with(&window, "library_search_resources", serde_json::json!({"request": {"text": "sugar"}}))
            .unwrap();
    assert_eq!(hits[0]["id"], id.as_str());
    assert_eq!(hits[0]["title"], "Photosynthesis");

    let changes = serde_json::json!({"request": {"id": id, "changes": [{"field": "title", "value": "Light and sugar"}]}});
    let edited = invoke_with(&window, "library_update_metadata", changes).unwrap();
    assert_eq!(edited["metadata"]["title"], "Light and sugar");
    assert_eq!(edited["metadata"]["sources"]["title"], "user");

    let request = serde_json::json!({"request": {"id": id}});
    invoke_with(&window, "library_trash_resource", request.clone()).unwrap();
    assert_eq!(invoke(&window, "library_get_info").unwrap()["resourceCount"], 0);
    invoke_with(&window, "library_restore_resource", request.clone()).unwrap();
    assert_eq!(invoke_with(&window, "library_get_resource", request.clone()).unwrap()["revisionCount"], 2);

    invoke_with(&window, "library_trash_resource", request.clone()).unwrap();
    assert_eq!(
        invoke(&window, "library_empty_trash").unwrap(),
        serde_json::json!({"resources": 1, "objects": 1})
    );
    let error = invoke_with(&window, "library_get_resource", request).unwrap_err();
    assert_eq!(error["kind"], "notFound");
}

#[test]
fn collections_through_ipc() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("volcanoes.txt");
    std::fs::write(&source, "Volcanoes erupt.").unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    let report = invoke_with(
        &window,
        "library_import_paths",
        serde_json::json!({"request": {"paths": [source]}, "onProgress": "__CHANNEL__:3"}),
    )
    .unwrap();
    let resource = report["items"][0]["resourceId"].clone();

    let unit = invoke_with(
        &window,
        "library_create_collection",
        serde_json::json!({"request": {"name": "Geology"}}),
    )
    .unwrap();
    let id = unit["id"].clone();
    let added = invoke_with(
        &window,
        "library_add_to_collection",
        serde_json::json!({"request": {"id": id, "resourceIds": [resource]}}),
    )
    .unwrap();
    assert_eq!(added["itemCount"], 1);
    let note = serde_json::json!({"request": {"id": id, "resourceId": resource, "note": "Week 2"}});
    invoke_with(&window, "library_set_collection_note", note).unwrap();
    let entries =
        invoke_with(&window, "library_get_collection_entries", serde_json::json!({"request": {"id": id}}))
            .unwrap();
    assert_eq!(entries[0]["note"], "Week 2");
    assert_eq!(entries[0]["resource"]["title"], "volcanoes");
    assert_eq!(invoke(&window, "library_list_collections").unwrap()[0]["name"], "Geology");

    let error =
        invoke_with(&window, "library_delete_collection", serde_json::json!({"request": {"id": "ghost"}}))
            .unwrap_err();
    assert_eq!(error["kind"], "notFound");
}

#[test]
fn thumbnails_cross_ipc_as_data_urls_and_documents_have_none() {
    let temp = tempfile::tempdir().unwrap();
    let picture = temp.path().join("diagram.png");
    image_png(&picture);
    let text = temp.path().join("notes.txt");
    std::fs::write(&text, "notes").unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    let report = invoke_with(
        &window,
        "library_import_paths",
        serde_json::json!({"request": {"paths": [picture, text]}, "onProgress": "__CHANNEL__:5"}),
    )
    .unwrap();
    let id_of = |name: &str| {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["path"].as_str().unwrap().ends_with(name))
            .unwrap()["resourceId"]
            .clone()
    };
    let thumbnail = invoke_with(
        &window,
        "library_get_thumbnail",
        serde_json::json!({"request": {"id": id_of("diagram.png")}}),
    )
    .unwrap();
    assert!(thumbnail.as_str().unwrap().starts_with("data:image/png;base64,"), "{thumbnail}");
    let none = invoke_with(
        &window,
        "library_get_thumbnail",
        serde_json::json!({"request": {"id": id_of("notes.txt")}}),
    )
    .unwrap();
    assert_eq!(none, Value::Null);
}

#[test]
fn a_pdf_gets_its_first_page_drawn_by_the_app_started_again_as_a_helper() {
    // What `run` does with the running program; here the app's binary is the helper.
    commonplace_library::pdfpage::use_helper(env!("CARGO_BIN_EXE_commonplace").into());
    let temp = tempfile::tempdir().unwrap();
    let lesson = temp.path().join("leaf.pdf");
    std::fs::write(&lesson, commonplace_testkit::one_page_pdf("Parts of a leaf")).unwrap();
    let broken = temp.path().join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n").unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    let report = invoke_with(
        &window,
        "library_import_paths",
        serde_json::json!({"request": {"paths": [&lesson, &broken]}, "onProgress": "__CHANNEL__:5"}),
    )
    .unwrap();
    let thumbnail_of = |index: usize| {
        let id = report["items"][index]["resourceId"].clone();
        assert!(id.is_string(), "{report}");
        invoke_with(&window, "library_get_thumbnail", serde_json::json!({"request": {"id": id}}))
    };

    let thumbnail = thumbnail_of(0).unwrap();
    let png = base64_data_url(thumbnail.as_str().unwrap());
    assert_eq!(&png[1..4], b"PNG");
    // An A4 page (595 × 842 points) with its longest side at the thumbnail size.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (180, 256));

    // A PDF the reader cannot draw has no thumbnail, and the window shows its typed icon.
    assert_eq!(thumbnail_of(1).unwrap(), Value::Null);
}

/// The bytes of a `data:` URL.
fn base64_data_url(url: &str) -> Vec<u8> {
    use base64::Engine;
    let (_, encoded) = url.split_once(";base64,").expect("a base64 data URL");
    base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()
}

/// A small real PNG (a 2×2 image), written byte for byte.
fn image_png(path: &Path) {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A, 0x73, 0x00,
        0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x44, 0x0C, 0x10,
        0x0A, 0x00, 0x1F, 0xEE, 0x03, 0xFD, 0x8B, 0x5F, 0x14, 0xD4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
        0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    std::fs::write(path, PNG).unwrap();
}

#[test]
fn app_get_info_reports_the_version_and_log_file() {
    let temp = tempfile::tempdir().unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    let info = invoke(&window, "app_get_info").unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["logFile"], "/logs/commonplace.log");
}

#[test]
fn every_command_of_the_contract_is_registered_and_permitted() {
    let temp = tempfile::tempdir().unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    for command in COMMANDS {
        if let Err(error) = invoke(&window, command.name) {
            let text = error.to_string();
            assert!(!text.contains("not found") && !text.contains("not allowed"), "{}: {text}", command.name);
        }
    }
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let temp = tempfile::tempdir().unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    for command in ["plugin:fs|read_file", "plugin:shell|execute", "plugin:window|close", "no_such_command"] {
        let error = invoke(&window, command).unwrap_err();
        assert!(error.to_string().contains("not"), "{command} was not refused: {error}");
    }
}

#[test]
fn messaging_keys_are_protected_by_a_passphrase_chosen_once() {
    let temp = tempfile::tempdir().unwrap();
    let messaging = temp.path().join("Messaging");
    let paths = AppPaths { log_file: None, messaging: Some(messaging.clone()) };
    let (_app, window) = app_with(open(&temp.path().join("Library")), paths);

    let status = invoke(&window, "messaging_get_status").unwrap();
    assert_eq!(status, serde_json::json!({"lock": "notSetUp", "keyring": "unavailable", "accounts": []}));
    let unlock = |passphrase: &str| {
        invoke_with(
            &window,
            "messaging_unlock_keys",
            serde_json::json!({"request": {"passphrase": passphrase, "remember": false}}),
        )
    };
    let short = unlock("short").unwrap_err();
    assert_eq!(short["kind"], "invalidInput", "{short}");
    let locked =
        invoke_with(&window, "messaging_list_rooms", serde_json::json!({"request": {"userId": "@a:b"}}))
            .unwrap_err();
    assert_eq!(locked["kind"], "forbidden", "nothing opens while locked: {locked}");

    let status = unlock("a long enough passphrase").unwrap();
    assert_eq!(status["lock"], "unlocked");
    assert!(messaging.join("passphrase.json").is_file());
    let unknown =
        invoke_with(&window, "messaging_list_rooms", serde_json::json!({"request": {"userId": "@a:b"}}))
            .unwrap_err();
    assert_eq!(unknown["kind"], "notFound", "{unknown}");

    // The next start asks for the same passphrase, and refuses another.
    drop(window);
    let paths = AppPaths { log_file: None, messaging: Some(messaging.clone()) };
    let (_app, window) = app_with(open(&temp.path().join("Library Two")), paths);
    assert_eq!(invoke(&window, "messaging_get_status").unwrap()["lock"], "locked");
    let wrong = invoke_with(
        &window,
        "messaging_unlock_keys",
        serde_json::json!({"request": {"passphrase": "not the passphrase", "remember": false}}),
    )
    .unwrap_err();
    assert_eq!(wrong["kind"], "forbidden", "{wrong}");
}

#[test]
fn notification_settings_are_kept_per_conversation_with_one_do_not_disturb() {
    let temp = tempfile::tempdir().unwrap();
    let messaging = temp.path().join("Messaging");
    let paths = AppPaths { log_file: None, messaging: Some(messaging.clone()) };
    let (_app, window) = app_with(open(&temp.path().join("Library")), paths);
    let account = serde_json::json!({"request": {"userId": "@ana:example.org"}});

    let settings = invoke_with(&window, "messaging_get_notifications", account.clone()).unwrap();
    assert_eq!(settings, serde_json::json!({"doNotDisturb": false, "rooms": []}));
    invoke_with(
        &window,
        "messaging_set_room_notifications",
        serde_json::json!({"request": {"userId": "@ana:example.org", "roomId": "!staff:example.org", "level": "mentions"}}),
    )
    .unwrap();
    invoke_with(&window, "messaging_set_do_not_disturb", serde_json::json!({"request": {"enabled": true}}))
        .unwrap();
    let settings = invoke_with(&window, "messaging_get_notifications", account).unwrap();
    assert_eq!(
        settings,
        serde_json::json!({"doNotDisturb": true, "rooms": [{"roomId": "!staff:example.org", "level": "mentions"}]})
    );
    let other = invoke_with(
        &window,
        "messaging_get_notifications",
        serde_json::json!({"request": {"userId": "@bo:x"}}),
    )
    .unwrap();
    assert_eq!(other["rooms"], serde_json::json!([]), "levels belong to one account");
    assert!(messaging.join("notifications.json").is_file());
}

#[test]
fn only_web_and_mail_links_are_handed_to_the_system() {
    let temp = tempfile::tempdir().unwrap();
    let (_app, window) = app(open(&temp.path().join("Library")));
    for url in ["javascript:alert(1)", "file:///etc/passwd", "https://example.org/a b"] {
        let refused =
            invoke_with(&window, "app_open_link", serde_json::json!({"request": {"url": url}})).unwrap_err();
        assert_eq!(refused["kind"], "invalidInput", "{url}: {refused}");
    }
}

/// A keyring in memory, standing in for the system's (none runs in CI).
#[derive(Default)]
struct MemoryVault(std::sync::Mutex<Option<[u8; 32]>>);

impl commonplace_app::KeyVault for MemoryVault {
    fn load(&self) -> Option<[u8; 32]> {
        *self.0.lock().unwrap()
    }
    fn save(&self, key: &[u8; 32]) -> Result<(), commonplace_app::KeyringError> {
        *self.0.lock().unwrap() = Some(*key);
        Ok(())
    }
    fn forget(&self) {
        *self.0.lock().unwrap() = None;
    }
}

#[test]
fn a_remembered_key_unlocks_the_next_start_and_can_be_forgotten() {
    let temp = tempfile::tempdir().unwrap();
    let messaging = temp.path().join("Messaging");
    let vault = std::sync::Arc::new(MemoryVault::default());
    let start = |name: &str| {
        let paths = AppPaths { log_file: None, messaging: Some(messaging.clone()) };
        let vault: std::sync::Arc<dyn commonplace_app::KeyVault> = vault.clone();
        app_with_vault(open(&temp.path().join(name)), paths, Some(vault))
    };
    let unlock = |window: &WebviewWindow<MockRuntime>, remember: bool| {
        invoke_with(
            window,
            "messaging_unlock_keys",
            serde_json::json!({"request": {"passphrase": "our staff room passphrase", "remember": remember}}),
        )
        .unwrap()
    };

    let (_first, window) = start("One");
    assert_eq!(invoke(&window, "messaging_get_status").unwrap()["keyring"], "available");
    let status = unlock(&window, true);
    assert_eq!((status["lock"].as_str(), status["keyring"].as_str()), (Some("unlocked"), Some("remembered")));
    assert!(vault.load().is_some());

    // The next start opens without asking.
    let (_second, window) = start("Two");
    assert_eq!(invoke(&window, "messaging_get_status").unwrap()["lock"], "unlocked");

    // A remembered key that no longer fits is forgotten, and the passphrase is asked again.
    vault.save(&[9; 32]).unwrap();
    let (_third, window) = start("Three");
    let status = invoke(&window, "messaging_get_status").unwrap();
    assert_eq!((status["lock"].as_str(), status["keyring"].as_str()), (Some("locked"), Some("available")));

    // Unlocking without "remember" forgets it.
    let status = unlock(&window, true);
    assert_eq!(status["keyring"], "remembered");
    let status = unlock(&window, false);
    assert_eq!(status["keyring"], "available");
    assert!(vault.load().is_none());
}
