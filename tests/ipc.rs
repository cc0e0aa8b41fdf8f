//! The shell's commands through real IPC on Tauri's mock runtime, with the app's real context:
//! its tauri.conf.json and its capability, so a command missing from the capability fails here.

use std::path::Path;

use commonplace_app::{AppPaths, LibraryState};
use commonplace_ipc::bindings::COMMANDS;
use serde_json::Value;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

fn app(library: LibraryState) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let paths = AppPaths { log_file: Some("/logs/commonplace.log".into()) };
    let app = commonplace_app::builder(mock_builder(), library, paths)
        .build(commonplace_app::context())
        .expect("the app builds on the mock runtime");
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap(),
    };
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, command: &str) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::default(),
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
