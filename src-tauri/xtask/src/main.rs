//! `cargo xtask`: the two commands of the README, for a fresh Debian or Ubuntu machine.
//!
//! - `cargo xtask run [-- APP ARGS]` installs what is missing, builds the UI and the app, and starts
//!   it on the default library (or the one given with `--library PATH`).
//! - `cargo xtask test` installs what is missing and runs every check CI runs: formatting, clippy,
//!   the UI's type check and unit tests, all cargo tests including the real-window tests. It ends
//!   with one summary line.
//! - `cargo xtask matrix-env` installs the Python virtualenv with Synapse and matrix-nio that the
//!   Matrix tests start (`target/matrix-venv`, pinned in `tests/peers/requirements.txt`); `test`
//!   does this too.
//! - `cargo xtask bench` installs the baselines' tools (b3sum, calibre) and runs the benchmarks,
//!   which print each budget as a ratio against a baseline measured in the same run.
//!
//! "What is missing" means Debian packages (through apt-get, with sudo when not root) and the UI's
//! npm packages (`npm ci` when `ui/node_modules` is older than the lock file). On other systems the
//! package step only says what it expects to find. Standard library only, so it compiles at once.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs, io};

mod matrix_env;

/// What building the app needs (Tauri's Linux prerequisites).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "wget",
    "file",
    "libssl-dev",
    "libxdo-dev",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];

/// What the real-window tests need on top: a virtual display, WebKit's WebDriver, xdotool to
/// answer the system's file dialogs, which are native windows outside the page, and an emoji font
/// so the screenshots show verification emoji as a person sees them.
const WINDOW_TEST_PACKAGES: &[&str] =
    &["xvfb", "xauth", "webkit2gtk-driver", "xdotool", "fonts-noto-color-emoji"];

/// What the Matrix tests' virtualenv needs from the system (Debian splits venv out of python3), and
/// the Secret Service the keyring's test keeps a key in (GNOME Keyring on a private D-Bus).
const MATRIX_TEST_PACKAGES: &[&str] = &["python3", "python3-venv", "dbus", "gnome-keyring"];

fn main() -> ExitCode {
    let arguments: Vec<String> = env::args().skip(1).collect();
    let result = match arguments.first().map(String::as_str) {
        Some("run") => run_app(&arguments[1..]),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("matrix-env") => matrix_env::ensure().map(drop),
        _ => {
            eprintln!(
                "usage: cargo xtask run [-- APP ARGUMENTS] | cargo xtask test | cargo xtask bench | cargo xtask matrix-env"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn root() -> PathBuf {
    // src-tauri/xtask → the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_app(app_arguments: &[String]) -> Result {
    install_system_packages(BUILD_PACKAGES)?;
    install_ui_packages()?;
    step("build the UI", &mut npm(&["run", "build"]))?;
    let app_arguments = app_arguments.strip_prefix(&["--".to_owned()]).unwrap_or(app_arguments);
    step("build and start the app", cargo(&["run", "--package", "commonplace", "--"]).args(app_arguments))
}

fn bench() -> Result {
    install_system_packages(&["b3sum", "calibre"])?;
    install_system_packages(MATRIX_TEST_PACKAGES)?;
    let matrix_venv = matrix_env::ensure()?;
    step(
        "library benchmarks (against cat | b3sum and calibredb)",
        &mut cargo(&["bench", "--locked", "--package", "commonplace-library", "--bench", "library"]),
    )?;
    step(
        "merge benchmark (against git merge-file)",
        &mut cargo(&["bench", "--locked", "--package", "commonplace-history", "--bench", "merge"]),
    )?;
    step(
        "encrypted backfill benchmark",
        &mut cargo(&["bench", "--locked", "--package", "commonplace-messaging", "--bench", "backfill"]),
    )?;
    step(
        "message latency benchmark (against matrix-nio, through a local Synapse)",
        cargo(&["bench", "--locked", "--package", "commonplace-matrix", "--bench", "latency"])
            .env(matrix_env::VENV_VARIABLE, &matrix_venv),
    )
}

fn test() -> Result {
    let started = Instant::now();
    let packages: Vec<&str> =
        BUILD_PACKAGES.iter().chain(WINDOW_TEST_PACKAGES).chain(MATRIX_TEST_PACKAGES).copied().collect();
    install_system_packages(&packages)?;
    install_ui_packages()?;
    // The Matrix tests start Synapse and a matrix-nio peer from this virtualenv.
    let matrix_venv = matrix_env::ensure()?;

    let mut report = Report::default();
    report.check("cargo fmt --check", &mut cargo(&["fmt", "--all", "--", "--check"]));
    if let Err(error) = check_layers() {
        println!("{error}");
        report.failed.push("layering".to_owned());
    }
    report.check("UI format check", &mut npm(&["run", "--silent", "format:check"]));
    // The app embeds ui/dist at compile time, so the UI is built before any cargo build.
    let ui_built = report.check("UI build", &mut npm(&["run", "build"]));
    report.check("UI type check", &mut npm(&["run", "check"]));
    report.tests("UI unit tests", &mut npm(&["test"]));
    if ui_built {
        report.check(
            "cargo clippy",
            &mut cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]),
        );
        check_other_systems(&mut report);
        report.tests(
            "cargo test",
            cargo(&["test", "--workspace", "--locked", "--no-fail-fast"])
                .env(matrix_env::VENV_VARIABLE, &matrix_venv),
        );
    } else {
        report.failed.push("cargo clippy and cargo test (skipped: the UI did not build)".to_owned());
    }
    report.finish(started.elapsed())
}

/// The one code written for macOS and Windows only — the keyring — is checked for their targets,
/// so it cannot rot where nobody builds it. The targets' standard libraries come from rustup; on a
/// machine that cannot reach it the check is skipped, and says so.
const OTHER_SYSTEMS: &[&str] = &["aarch64-apple-darwin", "x86_64-pc-windows-gnu"];

fn check_other_systems(report: &mut Report) {
    let added = Command::new("rustup")
        .args(["target", "add"])
        .args(OTHER_SYSTEMS)
        .current_dir(root())
        .status()
        .is_ok_and(|status| status.success());
    if !added {
        println!(
            "note: the keyring for macOS and Windows was not checked (rustup could not add their targets)"
        );
        return;
    }
    for target in OTHER_SYSTEMS {
        report.check(
            &format!("cargo clippy of the keyring for {target}"),
            &mut cargo(&[
                "clippy",
                "--package",
                "commonplace-keyring",
                "--target",
                target,
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        );
    }
}

/// Core crates never depend on tauri, and none of them talks HTTP: only the transport crate may.
const CORE_CRATES: &[&str] = &[
    "commonplace-library",
    "commonplace-licence",
    "commonplace-history",
    "commonplace-keyring",
    "commonplace-messaging",
    "commonplace-ipc",
    "commonplace-testkit",
];
const FORBIDDEN_IN_CORE: &[&str] = &["tauri", "wry", "reqwest", "hyper"];
/// The transport crate talks HTTP, and the CLI reaches instances through it; neither knows anything
/// of the window.
const HEADLESS_CRATES: &[&str] = &["commonplace-matrix", "commonplace-cli"];
const FORBIDDEN_IN_HEADLESS: &[&str] = &["tauri", "wry"];

fn check_layers() -> Result {
    announce(
        "layering: core crates depend on no tauri and no HTTP client; the transport and CLI on no tauri",
    );
    let checks = CORE_CRATES
        .iter()
        .map(|krate| (*krate, FORBIDDEN_IN_CORE))
        .chain(HEADLESS_CRATES.iter().map(|krate| (*krate, FORBIDDEN_IN_HEADLESS)));
    for (krate, forbidden_here) in checks {
        let output =
            cargo(&["tree", "--locked", "--package", krate, "--edges", "normal", "--prefix", "none"])
                .output()
                .map_err(|error| format!("cargo tree: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo tree --package {krate} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let offending: Vec<&str> = tree
            .lines()
            .filter(|line| {
                let name = line.split_whitespace().next().unwrap_or_default();
                forbidden_here
                    .iter()
                    .any(|forbidden| name == *forbidden || name.starts_with(&format!("{forbidden}-")))
            })
            .collect();
        if !offending.is_empty() {
            return Err(format!("{krate} depends on {}", offending.join(", ")));
        }
    }
    println!("ok: {}; and without tauri: {}", CORE_CRATES.join(", "), HEADLESS_CRATES.join(", "));
    Ok(())
}

/// The outcome of the checks, and the counts of the test runners' own summaries.
#[derive(Default)]
struct Report {
    failed: Vec<String>,
    tests_passed: u64,
    tests_failed: u64,
}

impl Report {
    fn check(&mut self, name: &str, command: &mut Command) -> bool {
        let ok = step(name, command).is_ok();
        if !ok {
            self.failed.push(name.to_owned());
        }
        ok
    }

    /// Runs a test runner, passing its output through while adding up its summary lines.
    fn tests(&mut self, name: &str, command: &mut Command) {
        announce(name);
        let output = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().and_then(|mut child| {
            let mut text = String::new();
            if let Some(stdout) = child.stdout.take() {
                for line in io::BufRead::lines(io::BufReader::new(stdout)) {
                    let line = line?;
                    println!("{line}");
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            Ok((child.wait()?, text))
        });
        match output {
            Ok((status, text)) => {
                let (passed, failed) = count_results(&text);
                self.tests_passed += passed;
                self.tests_failed += failed;
                if !status.success() {
                    self.failed.push(name.to_owned());
                }
            }
            Err(error) => self.failed.push(format!("{name} (could not run: {error})")),
        }
    }

    fn finish(self, elapsed: Duration) -> Result {
        println!();
        if self.failed.is_empty() {
            println!("xtask test: every check passed in {}s", elapsed.as_secs());
        } else {
            println!("xtask test: FAILED: {}", self.failed.join("; "));
        }
        // A failed check that is not a test (formatting, clippy) still counts as a failure.
        let failed = self.tests_failed.max(u64::from(!self.failed.is_empty()));
        println!("summary: {} passed, {} failed", self.tests_passed, failed);
        if self.failed.is_empty() { Ok(()) } else { Err("some checks failed".to_owned()) }
    }
}

/// Adds up the test runners' own summary lines: cargo's `test result: ok. 12 passed; 0 failed; …`
/// and vitest's `Tests  1 failed | 11 passed (12)`.
fn count_results(output: &str) -> (u64, u64) {
    let mut totals = (0, 0);
    let plain = strip_ansi(output);
    let summaries = plain
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("test result:") || line.starts_with("Tests "));
    for line in summaries {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || ";|.".contains(c))
            .filter(|word| !word.is_empty())
            .collect();
        for pair in words.windows(2) {
            match (pair[0].parse::<u64>(), pair[1]) {
                (Ok(count), "passed") => totals.0 += count,
                (Ok(count), "failed") => totals.1 += count,
                _ => {}
            }
        }
    }
    totals
}

/// Removes terminal colour codes (`ESC [ … m`), which some runners print even into a pipe.
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character == '\u{1b}' {
            characters.by_ref().find(|next| next.is_ascii_alphabetic());
        } else {
            plain.push(character);
        }
    }
    plain
}

fn announce(name: &str) {
    println!("\n==> {name}");
}

fn step(name: &str, command: &mut Command) -> Result {
    announce(name);
    let status = command.status().map_err(|error| format!("{name}: could not start {command:?}: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{name} failed ({status})")) }
}

fn cargo(arguments: &[&str]) -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.args(arguments).current_dir(root());
    command
}

fn npm(arguments: &[&str]) -> Command {
    let mut command = Command::new("npm");
    command.args(arguments).current_dir(root().join("ui"));
    command
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains("install ok installed"))
}

fn install_system_packages(packages: &[&str]) -> Result {
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        println!("xtask: not a Debian-based system; make sure these are installed: {}", packages.join(" "));
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|package| !installed(package)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    announce(&format!("install system packages: {}", missing.join(" ")));
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|output| output.stdout.starts_with(b"0\n"));
    let apt = |arguments: &[&str]| {
        let mut command = if is_root { Command::new("apt-get") } else { Command::new("sudo") };
        if !is_root {
            command.arg("apt-get");
        }
        command.args(arguments).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    // apt's lock is sometimes held for a moment by another apt process: retry, then give up.
    let mut last_error = String::new();
    for attempt in 1..=5 {
        let updated = step("apt-get update", &mut apt(&["-q", "update"]));
        let result = updated.and_then(|()| {
            step("apt-get install", apt(&["-q", "install", "-y", "--no-install-recommends"]).args(&missing))
        });
        match result {
            Ok(()) => return Ok(()),
            Err(error) => last_error = error,
        }
        println!("xtask: apt-get failed (attempt {attempt} of 5); retrying in 10 s");
        std::thread::sleep(Duration::from_secs(10));
    }
    Err(format!("could not install {}: {last_error}", missing.join(" ")))
}

fn install_ui_packages() -> Result {
    let ui = root().join("ui");
    let modified = |path: &Path| fs::metadata(path).and_then(|metadata| metadata.modified()).ok();
    let lock = modified(&ui.join("package-lock.json"));
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    if matches!((lock, installed), (Some(lock), Some(installed)) if installed >= lock) {
        return Ok(());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        return Err("npm is missing: install Node.js 20.19 or newer (see README.md)".to_owned());
    }
    step("install UI packages (npm ci)", &mut npm(&["ci", "--no-audit", "--no-fund"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_summaries_are_added_up() {
        let output = "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s\n\
                      noise 7 passed\n\
                      test result: FAILED. 3 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n\
                      \x20     \u{1b}[2m Tests \u{1b}[22m \u{1b}[1m\u{1b}[31m1 failed\u{1b}[39m | 11 passed (12)\n";
        assert_eq!(count_results(output), (26, 3));
    }
}
