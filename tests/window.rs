//! The real app in a real WebKit window: Xvfb gives it a display, WebKitWebDriver (Debian's
//! `webkit2gtk-driver`) drives it. These tests prove the wiring a person sees — navigation, the
//! first-run empty state, Settings reading the library path back from Rust, the locked-library
//! screen — and write screenshots under `target/tmp/screenshots/` for humans.
//!
//! WebKitWebDriver is started directly with `TAURI_WEBVIEW_AUTOMATION=true` (without it session
//! creation hangs); session creation is retried, assertions never are.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(30);

/// A child process killed when dropped, so a failing test leaves nothing running.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Xvfb on a display number it picks itself (`-displayfd`), so parallel runs never collide.
fn start_xvfb() -> Result<(Process, String)> {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting Xvfb (Debian package xvfb)")?;
    let stdout = child.stdout.take().context("Xvfb stdout")?;
    let process = Process(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let number = line.trim();
    if number.is_empty() {
        bail!("Xvfb did not report a display");
    }
    Ok((process, format!(":{number}")))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

struct Driver {
    _xvfb: Process,
    display: String,
    _driver: Process,
    base: String,
    http: reqwest::blocking::Client,
    data_home: tempfile::TempDir,
}

impl Driver {
    fn start() -> Result<Self> {
        let (xvfb, display) = start_xvfb()?;
        let port = free_port()?;
        let data_home = tempfile::tempdir()?;
        let driver = Command::new("WebKitWebDriver")
            .arg("--host=127.0.0.1")
            .arg(format!("--port={port}"))
            .env("DISPLAY", &display)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            // The app logs into the data folder: keep the tests' logs out of the user's.
            .env("XDG_DATA_HOME", data_home.path())
            .env_remove("COMMONPLACE_LIBRARY")
            // Messaging lives in the data folder above, behind a passphrase the test chooses.
            .env_remove("COMMONPLACE_DATA")
            .env_remove("COMMONPLACE_PICKLE_KEY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting WebKitWebDriver (Debian package webkit2gtk-driver)")?;
        let driver = Driver {
            _xvfb: xvfb,
            display: display.clone(),
            _driver: Process(driver),
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build()?,
            data_home,
        };
        let deadline = Instant::now() + WAIT;
        while driver.http.get(format!("{}/status", driver.base)).send().is_err() {
            if Instant::now() > deadline {
                bail!("WebKitWebDriver did not start listening");
            }
            sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// Starts the app on `library`, retrying session creation (never the assertions that follow).
    fn session(&self, library: &Path) -> Result<Session<'_>> {
        let capabilities = json!({"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {
            "binary": env!("CARGO_BIN_EXE_commonplace"),
            "args": ["--library", library],
        }}}});
        let mut last_error = anyhow!("no attempt");
        for _attempt in 0..3 {
            match self.http.post(format!("{}/session", self.base)).json(&capabilities).send() {
                Ok(response) => {
                    let body: Value = response.json()?;
                    if let Some(id) = body["value"]["sessionId"].as_str() {
                        return Ok(Session { driver: self, id: id.to_owned() });
                    }
                    last_error = anyhow!("session refused: {body}");
                }
                Err(error) => last_error = error.into(),
            }
            sleep(Duration::from_secs(1));
        }
        Err(last_error)
    }
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver.base, self.id)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        let response: Value = self.driver.http.post(self.url(path)).json(&body).send()?.json()?;
        Ok(response["value"].clone())
    }

    fn get(&self, path: &str) -> Result<Value> {
        let response: Value = self.driver.http.get(self.url(path)).send()?.json()?;
        Ok(response["value"].clone())
    }

    /// Waits for the element with `data-testid` to appear; the UI renders after its first IPC call.
    fn element(&self, test_id: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.post(
                "/element",
                json!({"using": "css selector", "value": format!("[data-testid='{test_id}']")}),
            )?;
            if let Some(id) = value[ELEMENT_KEY].as_str() {
                return Ok(id.to_owned());
            }
            if Instant::now() > deadline {
                bail!("no element [data-testid='{test_id}'] appeared: {value}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the element matching a CSS `selector`, for elements told apart by attributes.
    fn element_css(&self, selector: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.post("/element", json!({"using": "css selector", "value": selector}))?;
            if let Some(id) = value[ELEMENT_KEY].as_str() {
                return Ok(id.to_owned());
            }
            if Instant::now() > deadline {
                bail!("no element {selector} appeared: {value}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    fn click_css(&self, selector: &str) -> Result<()> {
        self.click_found(selector, || self.element_css(selector))
    }

    /// Clicks what `find` finds. The UI re-renders a list when the library changes (an import's
    /// last event, a thumbnail made), so the element found can be replaced before the click lands
    /// ("stale element reference"), or be covered for a moment while the page settles, as the
    /// import's progress panel leaves ("element not interactable"): nothing was clicked. Find it
    /// again and click what is there now, as a person would; any other error fails the test.
    fn click_found(&self, what: &str, find: impl Fn() -> Result<String>) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let element = find()?;
            let answer = self.post(&format!("/element/{element}/click"), json!({}))?;
            match answer.get("error").and_then(Value::as_str) {
                None => return Ok(()),
                Some("stale element reference" | "element not interactable") if Instant::now() < deadline => {
                    sleep(Duration::from_millis(100));
                }
                Some(_) => {
                    let shot = self.screenshot(&format!("click-failed-{what}"));
                    bail!("clicking {what} failed: {answer} (the window: {shot:?})")
                }
            }
        }
    }

    /// Calls one of the app's commands the way the UI's api layer does, for setting up what a test
    /// does not drive through the window, and for reading the result back.
    fn invoke(&self, command: &str, arguments: Value) -> Result<Value> {
        let script = "const [command, args, done] = arguments; \
            window.__TAURI_INTERNALS__.invoke(command, args).then(done, (error) => done({ failed: error }));";
        let result = self.execute_async(script, json!([command, arguments]))?;
        if let Some(error) = result.get("failed") {
            bail!("{command} failed: {error}");
        }
        Ok(result)
    }

    /// Answers the system's open or save dialog titled `title` with `path`, typing it the way a
    /// person would (GTK takes a whole path typed into its name field). The dialog is a native
    /// window outside the page, so this goes through the X display with xdotool.
    fn answer_dialog(&self, title: &str, path: &Path) -> Result<()> {
        self.answer_dialog_typing(title, &[], &[path.display().to_string()], path)
    }

    /// Answers the system's folder chooser titled `title` with `folder`. GTK's folder chooser
    /// starts in its list of recent files, where a typed folder is not taken: Alt+Home opens the
    /// home folder instead, then the typed folder is opened, and a Return with nothing typed
    /// chooses the folder open.
    fn answer_folder_dialog(&self, title: &str, folder: &Path) -> Result<()> {
        self.answer_dialog_typing(
            title,
            &["alt+Home"],
            &[folder.display().to_string(), String::new()],
            folder,
        )
    }

    /// Presses `keys` in the dialog titled `title`, then types each of `typed` into its location
    /// field (an empty one is typed as nothing), pressing Return after each, until the dialog
    /// closes.
    fn answer_dialog_typing(&self, title: &str, keys: &[&str], typed: &[String], path: &Path) -> Result<()> {
        let xdotool = |arguments: &[&str]| -> Result<String> {
            let output = Command::new("xdotool")
                .args(arguments)
                .env("DISPLAY", &self.driver.display)
                .output()
                .context("running xdotool (Debian package xdotool)")?;
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        };
        let deadline = Instant::now() + WAIT;
        let window = loop {
            let found = xdotool(&["search", "--onlyvisible", "--name", title])?;
            if let Some(window) = found.lines().last().filter(|window| !window.is_empty()) {
                break window.to_owned();
            }
            if Instant::now() > deadline {
                bail!("no dialog titled {title:?} appeared");
            }
            sleep(Duration::from_millis(200));
        };
        let closed = || -> Result<bool> {
            let visible = xdotool(&["search", "--onlyvisible", "--name", title])?;
            Ok(!visible.lines().any(|found| found == window))
        };
        // The dialog needs a moment to take keyboard input after it maps, and on a busy machine
        // the first keys can still be lost while GTK opens its location field. A person who sees
        // the dialog still open types the path again; so does this, a few times.
        for _attempt in 0..3 {
            sleep(Duration::from_millis(700));
            xdotool(&["windowfocus", "--sync", &window])?;
            for key in keys {
                xdotool(&["key", "--window", &window, key])?;
            }
            for text in typed {
                sleep(Duration::from_millis(700));
                xdotool(&["windowfocus", "--sync", &window])?;
                if text.is_empty() {
                    xdotool(&["key", "--window", &window, "Return"])?;
                    continue;
                }
                // Ctrl+L opens the location field of an open dialog; a save dialog's name field
                // has it.
                xdotool(&["key", "--window", &window, "ctrl+l"])?;
                sleep(Duration::from_millis(300));
                xdotool(&["key", "--window", &window, "ctrl+a"])?;
                xdotool(&["type", "--window", &window, "--delay", "20", text])?;
                sleep(Duration::from_millis(300));
                // GTK completes a folder's name with a slash, selected, which would open the
                // folder rather than choose it: Delete takes the completion away.
                xdotool(&["key", "--window", &window, "Delete"])?;
                xdotool(&["key", "--window", &window, "Return"])?;
            }
            let closing = Instant::now() + Duration::from_secs(5);
            while Instant::now() < closing {
                if closed()? {
                    return Ok(());
                }
                sleep(Duration::from_millis(200));
            }
        }
        bail!("the dialog titled {title:?} did not take the path {}", path.display())
    }

    fn text(&self, test_id: &str) -> Result<String> {
        // WebKitWebDriver's "Get Element Text" returned "" for the navigation's labels while
        // innerText held them, so read what a person sees through innerText — by selector inside
        // the page, so an element re-rendered between two WebDriver calls is never stale.
        self.element(test_id)?;
        let script = format!(
            "const found = document.querySelector(\"[data-testid='{test_id}']\"); \
             return found ? found.innerText.trim() : null;"
        );
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.execute(&script, json!([]))?;
            if let Some(text) = value.as_str() {
                return Ok(text.to_owned());
            }
            if Instant::now() > deadline {
                bail!("text of [data-testid='{test_id}']: {value}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Presses keys on whatever has the focus, through WebDriver's actions; each string is one
    /// chord (keys pressed together, e.g. Control+End as "\u{E009}\u{E010}") or a run of characters.
    fn keys(&self, chords: &[&str]) -> Result<()> {
        let mut actions = Vec::new();
        for chord in chords {
            let special = chord.chars().all(|key| ('\u{E000}'..='\u{E05D}').contains(&key));
            if special {
                actions.extend(chord.chars().map(|key| json!({"type": "keyDown", "value": key.to_string()})));
                actions.extend(
                    chord.chars().rev().map(|key| json!({"type": "keyUp", "value": key.to_string()})),
                );
            } else {
                for key in chord.chars() {
                    actions.push(json!({"type": "keyDown", "value": key.to_string()}));
                    actions.push(json!({"type": "keyUp", "value": key.to_string()}));
                }
            }
        }
        self.post("/actions", json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}))?;
        Ok(())
    }

    fn click(&self, test_id: &str) -> Result<()> {
        self.click_found(test_id, || self.element(test_id))
    }

    /// Runs `script` in the page with `arguments`, returning its result.
    fn execute(&self, script: &str, arguments: Value) -> Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": arguments}))
    }

    /// Runs an asynchronous `script`, which calls its last argument with the result.
    fn execute_async(&self, script: &str, arguments: Value) -> Result<Value> {
        self.post("/execute/async", json!({"script": script, "args": arguments}))
    }

    fn count(&self, test_id: &str) -> Result<u64> {
        let script = format!("return document.querySelectorAll(\"[data-testid='{test_id}']\").length;");
        Ok(self.execute(&script, json!([]))?.as_u64().unwrap_or(0))
    }

    /// Waits until `condition` holds; the UI updates after its IPC calls return.
    fn wait_until(&self, what: &str, condition: impl Fn() -> Result<bool>) -> Result<()> {
        self.wait_until_within(what, WAIT, condition)
    }

    /// Like `wait_until`, for work that may take longer than the usual wait.
    fn wait_until_within(
        &self,
        what: &str,
        limit: Duration,
        condition: impl Fn() -> Result<bool>,
    ) -> Result<()> {
        let deadline = Instant::now() + limit;
        while !condition()? {
            if Instant::now() > deadline {
                bail!("{what} did not happen");
            }
            sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Types into a field the way a person does, replacing what was there.
    fn type_into(&self, test_id: &str, text: &str) -> Result<()> {
        // Select the old text, then type over it (U+E003 is Backspace, for typing nothing):
        // WebDriver's "clear" does not fire the input events the UI listens to.
        let element = self.element(test_id)?;
        self.execute("arguments[0].focus(); arguments[0].select();", json!([{ELEMENT_KEY: element}]))?;
        let keys = if text.is_empty() { "\u{E003}" } else { text };
        self.post(&format!("/element/{element}/value"), json!({"text": keys}))?;
        Ok(())
    }

    /// Calls the UI's own import command with paths, as the file pickers and drag and drop do.
    fn import(&self, paths: &[&Path]) -> Result<Value> {
        let script = "const [paths, done] = arguments; \
            const internals = window.__TAURI_INTERNALS__; \
            const channel = internals.transformCallback(() => {}); \
            internals.invoke('library_import_paths', { request: { paths }, onProgress: '__CHANNEL__:' + channel }) \
              .then(done, (error) => done({ error }));";
        let report = self.execute_async(script, json!([paths]))?;
        if report.get("error").is_some() {
            bail!("import failed: {report}");
        }
        Ok(report)
    }

    /// Writes a PNG of the window for humans. Waits a moment first, or WebKit may return an older
    /// frame.
    fn screenshot(&self, name: &str) -> Result<PathBuf> {
        sleep(Duration::from_secs(1));
        let encoded = self.get("/screenshot")?;
        let bytes = base64_decode(encoded.as_str().context("screenshot is not a string")?)?;
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{name}.png"));
        std::fs::write(&path, bytes)?;
        Ok(path)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.http.delete(self.url("")).send();
    }
}

fn base64_decode(text: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    Ok(base64::engine::general_purpose::STANDARD.decode(text)?)
}

#[test]
fn main_window_shows_navigation_empty_state_and_the_library_path_in_settings() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Window Test Library");
    let session = driver.session(&library)?;

    for section in ["nav-library", "nav-collections", "nav-conversations", "nav-settings"] {
        assert!(!session.text(section)?.trim().is_empty(), "{section} has no label");
    }
    let empty_state = session.text("library-empty-state")?;
    assert!(empty_state.contains("empty"), "first-run empty state says what to do: {empty_state}");
    let shot = session.screenshot("library-empty-state")?;

    session.click("nav-settings")?;
    assert_eq!(session.text("settings-library-path")?, library.display().to_string());
    assert!(library.join("library.json").is_file(), "the app created the library on first start");
    session.screenshot("settings")?;

    session.click("nav-collections")?;
    assert!(!session.text("section-title")?.is_empty());
    eprintln!("screenshots in {}", shot.parent().unwrap_or(&shot).display());
    drop(session);
    drop(driver.data_home);
    Ok(())
}

#[test]
fn a_teacher_imports_searches_edits_and_trashes_from_the_window() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Library");
    let cells = temp.path().join("cells.md");
    std::fs::write(&cells, "---\ntitle: The cell\nlicense: CC-BY-4.0\n---\nMitochondria make energy.\n")?;
    let stars = temp.path().join("stars.html");
    // Content that tries to run script in the app's window: it must not.
    std::fs::write(
        &stars,
        "<html lang=\"fr\"><title>Les étoiles</title><body><p>Une étoile brille.</p>\
         <script>document.body.dataset.pwned = 'script'</script>\
         <img src=x onerror=\"document.body.dataset.pwned = 'onerror'\"></body></html>",
    )?;
    let empty = temp.path().join("empty.txt");
    std::fs::write(&empty, "")?;
    let leaf = temp.path().join("leaf.pdf");
    std::fs::write(&leaf, commonplace_testkit::one_page_pdf("Parts of a leaf"))?;
    let session = driver.session(&library)?;
    session.element("library-empty-state")?;

    let report = session.import(&[&cells, &stars, &empty, &leaf])?;
    let statuses: Vec<&str> = report["items"]
        .as_array()
        .context("items")?
        .iter()
        .filter_map(|item| item["status"].as_str())
        .collect();
    assert_eq!(statuses.iter().filter(|status| **status == "imported").count(), 3, "{report}");
    assert_eq!(statuses.iter().filter(|status| **status == "skipped").count(), 1, "{report}");
    session.wait_until("the list to show the three resources", || Ok(session.count("resource-row")? == 3))?;
    // The PDF shows its first page, drawn by the app started again as a helper.
    session.wait_until("the PDF's first page as its thumbnail", || {
        let script = "return [...document.querySelectorAll(\"[data-testid='resource-row']\")]\
            .some((row) => row.textContent.includes('leaf') && row.querySelector(\"[data-testid='resource-thumbnail']\"));";
        Ok(session.execute(script, json!([]))? == json!(true))
    })?;
    session.screenshot("library-with-a-pdf")?;

    session.type_into("library-search", "mitoch")?;
    session.wait_until("the search to narrow the list", || Ok(session.count("resource-row")? == 1))?;
    assert!(session.text("resource-row")?.contains("The cell"));
    session.screenshot("library-search")?;

    session.click("resource-row")?;
    session.element("resource-detail")?;
    session.wait_until("the preview", || {
        Ok(session.text("resource-preview")?.contains("Mitochondria make energy"))
    })?;
    session.click("resource-edit")?;
    session.type_into("field-title", "La cellule")?;
    session.screenshot("metadata-form")?;
    session.click("metadata-save")?;
    session.wait_until("the saved title to show", || {
        Ok(session.text("resource-detail-title")? == "La cellule")
    })?;
    session.screenshot("resource-detail")?;

    session.type_into("library-search", "étoile")?;
    session
        .wait_until("the page with script", || Ok(session.text("resource-row")?.contains("Les étoiles")))?;
    session.click("resource-row")?;
    session
        .wait_until("its preview", || Ok(session.text("resource-preview")?.contains("Une étoile brille")))?;
    let pwned = session.execute("return document.body.dataset.pwned || null;", json!([]))?;
    assert_eq!(pwned, Value::Null, "content ran script in the window");
    session.type_into("library-search", "mitoch")?;
    session.wait_until("the cell again", || Ok(session.text("resource-row")?.contains("La cellule")))?;
    session.click("resource-row")?;
    session.element("resource-detail")?;

    session.click("resource-trash")?;
    session.type_into("library-search", "")?;
    session
        .wait_until("the trashed resource to leave the list", || Ok(session.count("resource-row")? == 2))?;
    session.click("library-trash")?;
    session
        .wait_until("the trash to list it", || Ok(session.text("resource-row")?.contains("La cellule")))?;
    session.click("resource-restore")?;
    session.click("library-all")?;
    session.wait_until("the restored resource to be back", || Ok(session.count("resource-row")? == 3))?;
    Ok(())
}

/// Runs in the page while the window is idle for a moment (`"idle"`, calling back when done) or
/// while an import goes on (`"import"`, until its report shows): records the time between frames
/// the window draws, the import panel's counts, and searches a person types, over and over (one
/// that finds a resource, one that finds nothing), timed from the keystroke to the list showing
/// the answer; the search field waits 150 ms for typing to pause, which is in these times.
const RECORDER: &str = r#"
const [mode, callback] = arguments;
const recorded = { frames: [], counts: [], searches: [], done: false };
window.__recorded = recorded;
const importing = () => document.querySelector("[data-testid='import-progress']") !== null;
const finished = () => document.querySelector("[data-testid='import-report']") !== null;
const started = performance.now();
const active = () => (mode === "idle" ? performance.now() - started < 1500 : !finished());
const measuring = () => mode === "idle" || importing();
const rows = () => [...document.querySelectorAll("[data-testid='resource-row']")];
let last = performance.now();
const frame = (now) => {
  if (measuring()) recorded.frames.push(now - last);
  last = now;
  if (!recorded.done) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
const sampling = setInterval(() => {
  const counts = document.querySelector("[data-testid='import-counts']");
  if (counts) recorded.counts.push(counts.textContent);
}, 25);
// Types `text` into the search field and waits until the list shows `answered`.
const search = (text, answered) =>
  new Promise((resolve) => {
    const input = document.querySelector("[data-testid='library-search']");
    const typed = performance.now();
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const check = () => {
      if (answered()) resolve(performance.now() - typed);
      else if (performance.now() - typed > 20000) resolve(null);
      else setTimeout(check, 2);
    };
    check();
  });
const theCell = () => {
  const shown = rows();
  return shown.length === 1 && shown[0].textContent.includes("The cell");
};
const nothing = () =>
  rows().length === 0 && document.querySelector("[data-testid='library-no-results']") !== null;
(async () => {
  while (active()) {
    if (measuring()) {
      for (const [text, answered] of [["mitoch", theCell], ["zebra", nothing]]) {
        const during = measuring();
        const ms = await search(text, answered);
        recorded.searches.push({ text, ms, during: during && measuring() });
      }
    } else {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  clearInterval(sampling);
  recorded.done = true;
  if (callback) callback(recorded);
})();
"#;

#[test]
fn the_window_answers_a_search_while_ten_thousand_files_import() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Library");
    let cells = temp.path().join("cells.md");
    std::fs::write(&cells, "---\ntitle: The cell\n---\nMitochondria make energy.\n")?;
    let lessons = temp.path().join("Lessons");
    std::fs::create_dir(&lessons)?;
    for index in 0..10_000 {
        let text = format!("# Lesson {index}\n\nRivers carve valleys; volcanoes build islands ({index}).\n");
        std::fs::write(lessons.join(format!("lesson-{index:05}.md")), text)?;
    }
    let session = driver.session(&library)?;
    session.element("library-empty-state")?;
    session.import(&[&cells])?;
    session.wait_until("the first resource", || Ok(session.count("resource-row")? == 1))?;

    let idle = session.execute_async(RECORDER, json!(["idle"]))?;
    session.execute(RECORDER, json!(["import"]))?;
    let started = Instant::now();
    session.click("import-folder")?;
    session.answer_folder_dialog("Choose folders to import", &lessons)?;
    session.wait_until_within("the import to finish", Duration::from_secs(300), || {
        Ok(session.count("import-report")? == 1)
    })?;
    let elapsed = started.elapsed();
    session.wait_until("the recorder to stop", || {
        Ok(session.execute("return window.__recorded.done;", json!([]))? == json!(true))
    })?;
    let importing = session.execute("return window.__recorded;", json!([]))?;
    let summary = session.text("import-summary")?;
    assert!(summary.contains("10,000 imported"), "{summary}");

    // The window drew the import's progress as it went, not only at the end.
    let mut counts: Vec<&str> =
        importing["counts"].as_array().context("counts")?.iter().filter_map(Value::as_str).collect();
    counts.dedup();
    assert!(counts.len() >= 3, "the import panel's counts hardly moved: {counts:?}");
    // Searches typed during the import were answered during the import, every one of them.
    let searches = importing["searches"].as_array().context("searches")?;
    assert!(searches.iter().all(|search| search["ms"].is_number()), "a search went unanswered: {searches:?}");
    let during = |recorded: &Value| -> Result<Vec<f64>> {
        let searches = recorded["searches"].as_array().context("searches")?;
        Ok(searches
            .iter()
            .filter(|search| search["during"] == json!(true))
            .filter_map(|search| search["ms"].as_f64())
            .collect())
    };
    assert!(!during(&importing)?.is_empty(), "no search was answered while the import ran: {searches:?}");

    // How it felt, for the record, against the same window idle a moment before (timings vary
    // with the machine, so they are printed, not asserted).
    let feel = |recorded: &Value| -> Result<String> {
        let mut frames: Vec<f64> =
            recorded["frames"].as_array().context("frames")?.iter().filter_map(Value::as_f64).collect();
        let mut searches = during(recorded)?;
        if frames.is_empty() || searches.is_empty() {
            bail!("nothing was recorded: {recorded}");
        }
        frames.sort_by(f64::total_cmp);
        searches.sort_by(f64::total_cmp);
        let at = |sorted: &[f64], part: f64| sorted[((sorted.len() - 1) as f64 * part).round() as usize];
        Ok(format!(
            "frames p95 {:.0} ms apart, at most {:.0} ms; {} searches shown in p50 {:.0} ms, p95 {:.0} ms",
            at(&frames, 0.95),
            at(&frames, 1.0),
            searches.len(),
            at(&searches, 0.5),
            at(&searches, 0.95),
        ))
    };
    println!(
        "10,000 files imported from the window in {:.1} s (the folder dialog included). \
         During the import: {}. Idle: {}.",
        elapsed.as_secs_f64(),
        feel(&importing)?,
        feel(&idle)?,
    );
    session.screenshot("import-ten-thousand")?;
    Ok(())
}

#[test]
fn a_teacher_makes_a_collection_and_adds_a_resource_from_its_details() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Library");
    let volcanoes = temp.path().join("volcanoes.md");
    std::fs::write(&volcanoes, "# Volcanoes\n\nMagma rises through the crust.\n")?;
    let session = driver.session(&library)?;
    session.element("library-empty-state")?;
    let report = session.import(&[&volcanoes])?;
    let resource_id = report["items"][0]["resourceId"].as_str().context("imported id")?.to_owned();

    session.click("nav-collections")?;
    session.click("collection-new")?;
    session.type_into("collection-name-input", "Year 8 Geography")?;
    session.click("collection-create")?;
    session.wait_until("the new collection to open", || {
        Ok(session.text("collection-title")? == "Year 8 Geography")
    })?;

    session.click("nav-library")?;
    session.wait_until("the list", || Ok(session.count("resource-row")? == 1))?;
    session.click("resource-row")?;
    session.click("resource-add-to-collection")?;
    session.click("collection-choice")?;
    session.wait_until("the notice that it was added", || {
        Ok(session.text("notice")?.contains("Year 8 Geography"))
    })?;

    session.click("nav-collections")?;
    let entry = format!("[data-testid='collection-entry'][data-resource-id='{resource_id}']");
    let script = format!("return document.querySelectorAll(\"{entry}\").length;");
    session.wait_until("the resource to be listed in the collection", || {
        Ok(session.execute(&script, json!([]))?.as_u64() == Some(1))
    })?;
    assert_eq!(session.text("collection-entry-title")?, "Volcanoes");
    session.screenshot("collection")?;
    Ok(())
}

#[test]
fn a_library_open_elsewhere_shows_the_locked_screen_until_it_is_released() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Busy Library");
    let (held, _) = commonplace_library::Library::open_or_create(&library)?;

    let session = driver.session(&library)?;
    let message = session.text("startup-error")?;
    assert!(message.contains("already open"), "{message}");
    assert!(message.contains("Busy Library"), "the message names the library: {message}");
    session.screenshot("startup-error-locked")?;

    // Once the other holder lets go, "Try again" opens the library in the same window.
    drop(held);
    session.click("startup-retry")?;
    session.element("library-empty-state")?;
    Ok(())
}

/// The text of a resource as the library stores it now.
fn stored_text(session: &Session<'_>, id: &str) -> Result<String> {
    let editable = session.invoke("history_get_text", json!({"request": {"id": id}}))?;
    editable["text"].as_str().map(str::to_owned).context("text")
}

#[test]
fn a_teacher_copies_edits_and_brings_in_the_original_authors_fix() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let library = temp.path().join("Library");
    let sheet = temp.path().join("fractions.md");
    let original_text = "---\ntitle: Fractions\nauthor: Ana Souza\nlicense: CC-BY-SA-3.0\n---\n# Fractions\n\n1. Half of 8?\n2. A third of 9?\n";
    std::fs::write(&sheet, original_text)?;
    let session = driver.session(&library)?;
    session.element("library-empty-state")?;
    let report = session.import(&[&sheet])?;
    let original = report["items"][0]["resourceId"].as_str().context("imported id")?.to_owned();
    session.wait_until("the list", || Ok(session.count("resource-row")? == 1))?;
    session.click("resource-row")?;

    // Make my own copy: BY-SA 3.0 allows BY-SA 3.0 or later, never plain BY.
    session.click("fork-resource")?;
    session.element("fork-dialog")?;
    assert!(session.text("fork-attribution")?.contains("Ana Souza"));
    let offered = session.execute(
        "return [...document.querySelectorAll(\"[data-testid='fork-licence-option']\")].map((option) => option.dataset.licence);",
        json!([]),
    )?;
    let offered: Vec<&str> =
        offered.as_array().context("options")?.iter().filter_map(Value::as_str).collect();
    assert!(offered.contains(&"CC-BY-SA-4.0") && !offered.contains(&"CC-BY-4.0"), "{offered:?}");
    // The radio button itself is drawn small inside its label; choose it as a keyboard or label
    // click would, rather than by pointer coordinates.
    session.execute(
        "document.querySelector(\"[data-testid='fork-licence-option'][data-licence='CC-BY-SA-4.0']\").click();",
        json!([]),
    )?;
    session.screenshot("fork-dialog")?;
    session.click("fork-confirm")?;
    session.wait_until("the copy to open", || Ok(session.text("lineage")?.contains("Fractions")))?;
    session.wait_until("the list to show the copy", || Ok(session.count("resource-row")? == 2))?;
    let copies = session.invoke("history_get_lineage", json!({"request": {"id": original}}))?;
    let copy = copies["copies"][0]["id"].as_str().context("the copy is listed")?.to_owned();
    let details = session.invoke("library_get_resource", json!({"request": {"id": copy}}))?;
    assert_eq!(details["metadata"]["licence"], "CC-BY-SA-4.0");

    // Edit the copy in the editor: the last question changes.
    session.click("edit-resource")?;
    session.element("editor")?;
    // CodeMirror lives in the editor's shadow root (its styles need no inline <style> under the
    // CSP). Put the caret in it and type as a person does: to the end, take back "9?" and the
    // final line break, write "90?".
    session.execute(
        "const host = document.querySelector(\"[data-testid='editor']\"); \
         (host.shadowRoot || host).querySelector('.cm-content').focus();",
        json!([]),
    )?;
    session.keys(&["\u{E009}\u{E010}", "\u{E003}", "\u{E003}", "\u{E003}", "90?"])?;
    session
        .wait_until("the live preview", || Ok(session.text("editor-preview")?.contains("A third of 90?")))?;
    session.screenshot("editor")?;
    session.click("editor-save")?;
    session
        .wait_until("the saved text", || Ok(stored_text(&session, &copy)?.contains("2. A third of 90?")))?;
    session.click("editor-close")?;

    // Meanwhile the original's author fixes the same question differently.
    let editable = session.invoke("history_get_text", json!({"request": {"id": original}}))?;
    let fixed = original_text.replace("A third of 9?", "One third of 9?");
    session.invoke(
        "history_save_text",
        json!({"request": {"id": original, "baseHead": editable["head"], "text": fixed, "message": "fix"}}),
    )?;

    // Bring in changes: one conflict, settled in the merge view by keeping theirs.
    session.click("merge-from")?;
    let candidate = format!("[data-testid='merge-candidate'][data-from='{original}']");
    if session.element_css(&candidate).is_err() {
        session.screenshot("merge-menu-missing")?;
    }
    session.click_css(&candidate)?;
    session.element("merge-view")?;
    session.wait_until("one open conflict", || {
        Ok(session.execute(
            "return document.querySelector(\"[data-testid='merge-unresolved-count']\")?.dataset.count;",
            json!([]),
        )? == json!("1"))
    })?;
    session.screenshot("merge-view")?;
    session.click("conflict-theirs")?;
    session.wait_until("nothing left open", || {
        Ok(session.execute(
            "return document.querySelector(\"[data-testid='merge-unresolved-count']\")?.dataset.count;",
            json!([]),
        )? == json!("0"))
    })?;
    session.click("merge-finish")?;
    session
        .wait_until("the merged text", || Ok(stored_text(&session, &copy)?.contains("2. One third of 9?")))?;
    let history = session.invoke("history_list_revisions", json!({"request": {"id": copy}}))?;
    assert_eq!(history[0]["parents"].as_array().map(Vec::len), Some(2), "a merge has two parents");
    Ok(())
}

#[test]
fn a_teacher_combines_a_chosen_section_with_another_work_into_a_handout() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let unit = temp.path().join("unit.md");
    std::fs::write(
        &unit,
        "---\ntitle: Fractions unit\nauthor: Ana Souza\nlicense: CC-BY-4.0\n---\n# Halves\n\nFold the paper.\n\n# Quarters\n\nFold it again.\n",
    )?;
    let poem = temp.path().join("poem.md");
    std::fs::write(
        &poem,
        "---\ntitle: Counting poem\nauthor: Ben Okafor\nlicense: CC-BY-SA-4.0\n---\nOne, two, three.\n",
    )?;
    let session = driver.session(&temp.path().join("Library"))?;
    session.element("library-empty-state")?;
    let report = session.import(&[&unit, &poem])?;
    let id_of = |index: usize| report["items"][index]["resourceId"].as_str().map(str::to_owned);
    let (unit_id, poem_id) = (id_of(0).context("unit")?, id_of(1).context("poem")?);
    session.wait_until("the list", || Ok(session.count("resource-row")? == 2))?;
    session.click_css(&format!("[data-testid='resource-row'][data-resource-id='{unit_id}']"))?;

    // Combine the unit with the poem, quoting only the unit's "Halves".
    session.click("combine-resource")?;
    session.element("combine-dialog")?;
    session.type_into("combine-picker-search", "Counting")?;
    session.click_css(&format!("[data-testid='combine-picker-option'][data-resource-id='{poem_id}']"))?;
    let unit_source = format!("[data-testid='combine-source'][data-resource-id='{unit_id}']");
    // The sources' sections load once both are chosen, and the dialog grows as they come: choose
    // "only some sections" as a keyboard or a label click would, not by coordinates that move.
    session.element_css(&format!("{unit_source} [data-testid='combine-some']"))?;
    let sections_shown = session.wait_until("the unit's sections", || {
        session
            .execute(
                "const some = document.querySelector(arguments[0] + \" [data-testid='combine-some']\"); \
             if (some && !some.checked) some.click(); \
             return document.querySelectorAll(arguments[0] + \" [data-testid='combine-section']\").length;",
                json!([unit_source]),
            )
            .map(|count| count == json!(2))
    });
    if sections_shown.is_err() {
        session.screenshot("combine-sections-missing")?;
    }
    sections_shown?;
    // The first section is "Halves" (the unit has no text before its first heading).
    session.execute(
        "document.querySelectorAll(arguments[0] + \" [data-testid='combine-section']\")[0].click();",
        json!([unit_source]),
    )?;
    session.screenshot("combine-dialog")?;
    session.click("combine-confirm")?;

    // The handout opens in the editor; it quotes "Halves" and the poem, credits both, and
    // carries the licence both allow.
    session.element("editor")?;
    let made = std::cell::RefCell::new(None);
    session.wait_until("the combined resource in the library", || {
        let listed = session.invoke("library_search_resources", json!({"request": {"limit": 50}}))?;
        *made.borrow_mut() = listed
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|hit| hit["id"].as_str())
            .find(|id| *id != unit_id && *id != poem_id)
            .map(str::to_owned);
        Ok(made.borrow().is_some())
    })?;
    let made = made.into_inner().context("the combined resource")?;
    let text = stored_text(&session, &made)?;
    assert!(text.contains("Fold the paper.") && !text.contains("Fold it again."), "only Halves: {text}");
    assert!(text.contains("One, two, three.") && text.contains("Ben Okafor"), "{text}");
    let details = session.invoke("library_get_resource", json!({"request": {"id": made}}))?;
    assert_eq!(details["metadata"]["licence"], "CC-BY-SA-4.0");
    Ok(())
}

#[test]
fn a_bundle_carries_a_resource_and_its_history_to_another_library() -> Result<()> {
    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let sheet = temp.path().join("cells.md");
    std::fs::write(&sheet, "---\ntitle: Cells\nlicense: CC-BY-4.0\n---\n# Cells\n\nA cell is small.\n")?;
    let bundle = temp.path().join("cells.commonplace");
    let id = {
        let session = driver.session(&temp.path().join("First"))?;
        session.element("library-empty-state")?;
        let report = session.import(&[&sheet])?;
        let id = report["items"][0]["resourceId"].as_str().context("imported id")?.to_owned();
        let editable = session.invoke("history_get_text", json!({"request": {"id": id}}))?;
        session.invoke(
            "history_save_text",
            json!({"request": {"id": id, "baseHead": editable["head"], "text": "# Cells\n\nA cell is very small.\n", "message": "clearer"}}),
        )?;
        session.wait_until("the list", || Ok(session.count("resource-row")? == 1))?;
        session.click("resource-row")?;
        session.click("export-bundle")?;
        session.answer_dialog("Save a file to share", &bundle)?;
        let waited = session.wait_until("the bundle file", || Ok(bundle.is_file()));
        if waited.is_err() {
            session.screenshot("bundle-export-failed")?;
            eprintln!("notice: {:?}", session.execute("return document.body.innerText", json!([])));
        }
        waited?;
        id
    };

    let session = driver.session(&temp.path().join("Second"))?;
    session.element("library-empty-state")?;
    session.click("import-bundle")?;
    session.answer_dialog("Open a bundle someone shared", &bundle)?;
    if session.element("bundle-report").is_err() {
        bail!("no bundle report (the window: {:?})", session.screenshot("bundle-import-failed"));
    }
    session.element_css("[data-testid='bundle-item'][data-outcome='added']")?;
    session.screenshot("bundle-report")?;
    let history = session.invoke("history_list_revisions", json!({"request": {"id": id}}))?;
    assert_eq!(history.as_array().map(Vec::len), Some(2), "the history came along: {history}");
    assert!(stored_text(&session, &id)?.contains("very small"));
    Ok(())
}

#[test]
fn a_teacher_adds_an_account_and_talks_with_a_colleague_on_another_client() -> Result<()> {
    use commonplace_testkit::{NioPeer, Synapse, VerificationGoal};
    let patience = Duration::from_secs(40);
    let synapse = Synapse::start()?;
    let teacher = synapse.register("teacher", "teacher-password")?;
    let colleague = synapse.register("colleague", "colleague-password")?;
    // The colleague uses matrix-nio with libolm: an implementation nobody here wrote.
    let mut peer = NioPeer::start()?;
    peer.login(&synapse.base_url(), "colleague", &colleague.password)?;

    let driver = Driver::start()?;
    let temp = tempfile::tempdir()?;
    let session = driver.session(&temp.path().join("Library"))?;
    session.click("nav-conversations")?;
    session.type_into("messaging-passphrase", "our staff room passphrase")?;
    session.type_into("messaging-passphrase-confirm", "our staff room passphrase")?;
    session.click("messaging-unlock")?;

    session.click("account-add")?;
    session.type_into("account-homeserver", &synapse.base_url())?;
    session.type_into("account-user", "teacher")?;
    session.type_into("account-password", &teacher.password)?;
    session.click("account-submit")?;
    session.element_css(&format!("[data-testid='account-choice'][data-user-id='{}']", teacher.user_id))?;

    session.click("conversation-new")?;
    session.type_into("conversation-with", &colleague.user_id)?;
    session.click("conversation-start")?;
    session.wait_until("the new conversation to say it is encrypted", || {
        Ok(session.execute(
            "return document.querySelector(\"[data-testid='conversation-encryption']\")?.dataset.encrypted ?? null;",
            json!([]),
        )? == json!("true"))
    })?;
    let rooms = session.invoke("messaging_list_rooms", json!({"request": {"userId": teacher.user_id}}))?;
    let room_id = rooms
        .as_array()
        .context("rooms")?
        .iter()
        .find(|room| room["directWith"] == colleague.user_id.as_str())
        .and_then(|room| room["roomId"].as_str())
        .context("the direct conversation is listed")?
        .to_owned();
    peer.wait_for_invite(patience)?;
    peer.join(&room_id)?;

    session.type_into("composer", "Hello **colleague**, here is the plan")?;
    session.click("composer-send")?;
    let received = peer.wait_for_text(&room_id, "here is the plan", patience)?;
    assert!(received.encrypted && !received.decryption_failed, "{received:?}");
    assert_eq!(
        received.formatted_body.as_deref(),
        Some("Hello <strong>colleague</strong>, here is the plan")
    );

    peer.send_text(&room_id, "Thanks! I will adapt it for Year 9.", None)?;
    let reply = "[data-testid='message'][data-encrypted='true']";
    session.wait_until("the colleague's reply, decrypted", || {
        let script = format!(
            "return [...document.querySelectorAll(\"{reply}\")].some((message) => message.innerText.includes('adapt it for Year 9'));"
        );
        Ok(session.execute(&script, json!([]))? == json!(true))
    })?;
    session.screenshot("conversation")?;

    // Verify the colleague's device by comparing emoji: started in the window, accepted in nio,
    // the same seven emoji on both sides, both confirm.
    let colleague_device = peer.whoami()?.device_id;
    peer.query_keys(&teacher.user_id)?;
    session.click("conversation-readers")?;
    session
        .click_css(&format!("[data-testid='reader-device-verify'][data-device-id='{colleague_device}']"))?;
    let incoming = peer.wait_for_verification(patience)?;
    peer.accept_verification(&incoming.transaction_id)?;
    // nio handles to-device messages only while it syncs: it waits (syncing) for the keys first.
    let theirs = peer.wait_verification(&incoming.transaction_id, VerificationGoal::Emojis, patience)?;
    let step =
        "return document.querySelector(\"[data-testid='verification-dialog']\")?.dataset.step ?? null;";
    session
        .wait_until("the emoji to compare", || Ok(session.execute(step, json!([]))? == json!("compare")))?;
    let shown = session.execute(
        "return [...document.querySelectorAll(\"[data-testid='verification-emoji']\")].map((item) => item.innerText);",
        json!([]),
    )?;
    let shown: Vec<String> =
        shown.as_array().context("emoji")?.iter().filter_map(Value::as_str).map(str::to_lowercase).collect();
    let expected = theirs.emojis.clone().context("nio's emoji")?;
    assert_eq!(shown.len(), 7, "{shown:?}");
    // The emoji themselves are compared: their English names differ between implementations
    // (the spec's "Spanner" is nio's "Wrench"), and the variation selector may or may not be there.
    for (ours, theirs) in shown.iter().zip(&expected) {
        let symbol = theirs.emoji.trim_end_matches('\u{fe0f}');
        assert!(ours.contains(symbol), "the same emoji in the same order: {shown:?} / {expected:?}");
    }
    session.screenshot("verification")?;
    session.click("verification-match")?;
    peer.confirm_verification(&incoming.transaction_id)?;
    peer.wait_verification(&incoming.transaction_id, VerificationGoal::Verified, patience)?;
    session.element("verification-done")?;
    assert!(peer.device_verified(&teacher.user_id, &incoming.device_id)?, "nio verified the app's device");
    // Escape closes the verification, then the panel of people and devices.
    for dialog in ["verification-dialog", "readers-panel"] {
        session.keys(&["\u{E00C}"])?;
        session.wait_until(&format!("{dialog} to close"), || Ok(session.count(dialog)? == 0))?;
    }

    // Share a worksheet from the library into the conversation: the colleague gets the bundle
    // as an encrypted file, with the card other Commonplace clients show.
    let sheet = temp.path().join("fractions.md");
    std::fs::write(
        &sheet,
        "---\ntitle: Fractions\nauthor: Ana Souza\nlicense: CC-BY-4.0\n---\n# Fractions\n\n1. Half of 8?\n",
    )?;
    session.import(&[&sheet])?;
    session.click("nav-library")?;
    session.wait_until("the worksheet in the list", || Ok(session.count("resource-row")? == 1))?;
    session.click("resource-row")?;
    session.click("resource-share")?;
    session.click_css(&format!("[data-testid='share-target'][data-room-id='{room_id}']"))?;
    session.click("share-send")?;
    let shared = peer.wait_for_message(&room_id, patience, |message| {
        message.body.as_deref() == Some("Fractions.commonplace")
    })?;
    assert!(shared.encrypted, "{shared:?}");
    let card = shared.content.clone().context("the file message's content")?;
    assert_eq!(card["org.commonplace.resource"]["title"], "Fractions", "{card}");
    assert_eq!(card["org.commonplace.resource"]["licence"], "CC-BY-4.0", "{card}");
    assert!(peer.download(&shared)?.starts_with(b"PK"), "the attachment is the bundle (a zip)");

    // The colleague shares one of theirs back; the teacher sees its card and saves it.
    let (theirs, _) = commonplace_library::Library::open_or_create(&temp.path().join("Colleague's library"))?;
    let cells = temp.path().join("cells.md");
    std::fs::write(&cells, "---\ntitle: Cells\nauthor: Bo Chen\nlicense: CC-BY-SA-4.0\n---\n# Cells\n")?;
    let report = theirs.import(
        &[cells],
        &commonplace_library::ImportOptions { author: "Bo".into() },
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )?;
    let cells_id = match &report.items[0].outcome {
        commonplace_library::ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => bail!("the colleague's import: {other:?}"),
    };
    let ready = theirs.prepare_share(&cells_id, false)?;
    peer.send_file_with(&room_id, &ready.path(), serde_json::Value::Object(ready.card.content_fields()))?;
    session.click("nav-conversations")?;
    session.click_css(&format!("[data-testid='room-row'][data-room-id='{room_id}']"))?;
    let card = format!("[data-testid='resource-card'][data-resource-id='{cells_id}']");
    session.element_css(&card)?;
    session.screenshot("conversation-resource-card")?;
    session.click_css(&format!("{card} [data-testid='resource-card-save']"))?;
    session.wait_until("the resource to be in the library", || {
        Ok(session.invoke("library_get_resource", json!({"request": {"id": cells_id}})).is_ok())
    })?;
    let saved = session.invoke("library_get_resource", json!({"request": {"id": cells_id}}))?;
    assert_eq!(saved["metadata"]["licence"], "CC-BY-SA-4.0");
    Ok(())
}
