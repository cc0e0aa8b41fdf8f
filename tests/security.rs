//! The security baseline, read from the files that ship: the webview may call Commonplace's own
//! commands and nothing else, and the content security policy stays strict. A change that widens
//! either fails here and has to be argued for in review.

use std::collections::BTreeSet;
use std::path::Path;

use commonplace_ipc::bindings::COMMANDS;
use serde_json::Value;

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_only_capability_grants_exactly_our_commands_to_the_main_window() {
    let files: Vec<_> = std::fs::read_dir(root().join("src-tauri/app/capabilities"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one capability file expected: {files:?}");
    let capability = read_json(&files[0]);

    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(capability.get("remote").is_none(), "no remote URL may reach the commands");
    assert!(capability.get("webviews").is_none());

    let granted: BTreeSet<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|permission| permission.as_str().unwrap())
        .collect();
    // Beyond our commands: the open and save dialogs (they return the paths a person picked, nothing more)
    // and listening to events (files dropped on the window, import progress).
    const PLATFORM: [&str; 4] =
        ["core:event:allow-listen", "core:event:allow-unlisten", "dialog:allow-open", "dialog:allow-save"];
    let expected: BTreeSet<String> = COMMANDS
        .iter()
        .map(|command| format!("allow-{}", command.name.replace('_', "-")))
        .chain(PLATFORM.map(str::to_owned))
        .collect();
    assert_eq!(granted, expected.iter().map(String::as_str).collect());
}

#[test]
fn build_script_makes_a_permission_for_every_command_of_the_contract() {
    let from_build: BTreeSet<&str> = env!("COMMONPLACE_COMMANDS").split(',').collect();
    let from_contract: BTreeSet<&str> = COMMANDS.iter().map(|command| command.name).collect();
    assert_eq!(from_build, from_contract);
}

#[test]
fn the_content_security_policy_is_strict() {
    let config = read_json(&root().join("tauri.conf.json"));
    let csp = &config["app"]["security"]["csp"];
    let directive =
        |name: &str| csp[name].as_str().unwrap_or_else(|| panic!("no {name} directive")).to_owned();

    assert_eq!(directive("default-src"), "'self'");
    assert_eq!(directive("script-src"), "'self'");
    assert_eq!(directive("object-src"), "'none'");
    assert_eq!(directive("base-uri"), "'none'");
    assert_eq!(directive("frame-ancestors"), "'none'");
    for (name, value) in csp.as_object().unwrap() {
        for source in value.as_str().unwrap().split_whitespace() {
            assert!(!source.starts_with("'unsafe-"), "{name} allows {source}");
            assert!(!["*", "http:", "https:"].contains(&source), "{name} allows any {source} origin");
        }
    }
    assert!(config["app"]["security"].get("dangerousDisableAssetCspModification").is_none());
    assert_eq!(config["app"]["withGlobalTauri"], false);
}

#[test]
fn no_plugin_that_reaches_files_or_processes_is_a_dependency_of_the_shell() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    for plugin in ["tauri-plugin-fs", "tauri-plugin-shell", "tauri-plugin-http"] {
        assert!(
            !manifest.contains(plugin),
            "{plugin} must not be added: file access goes through our commands"
        );
    }
}
