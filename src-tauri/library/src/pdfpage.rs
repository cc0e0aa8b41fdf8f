//! The first page of a PDF, drawn as a thumbnail with hayro (pure Rust, no unsafe code).
//!
//! PDFs are untrusted, and a page can ask a renderer for more memory or time than a laptop has,
//! so pages are drawn in a helper process: this same program, started again with
//! [`HELPER_ARGUMENT`], reading the PDF on its standard input and writing the PNG on its standard
//! output. The helper's memory and processor time are capped (on Linux, with `setrlimit`), and it
//! is stopped when it takes longer than [`HELPER_WAIT`]; whatever goes wrong in it, the library
//! sees an error for that one resource, which then shows its typed icon.
//!
//! A program that wants PDF thumbnails calls [`serve_helper`] first thing in `main` and
//! [`use_helper`] once; without a helper, PDFs have no thumbnail.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{RenderCache, RenderSettings};

/// The argument that makes the program a helper that draws one PDF page.
pub const HELPER_ARGUMENT: &str = "--draw-pdf-first-page";
/// Larger PDFs are not drawn: reading one takes its whole size in memory.
const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;
/// The helper's address space: the PDF, the program's own libraries, and room to draw.
#[cfg(target_os = "linux")]
const HELPER_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// The helper's processor time.
#[cfg(target_os = "linux")]
const HELPER_CPU_SECONDS: u64 = 20;
/// How long the library waits for the helper before stopping it.
pub const HELPER_WAIT: Duration = Duration::from_secs(20);
/// More than any thumbnail needs.
const MAX_PNG_BYTES: u64 = 8 * 1024 * 1024;

static HELPER: OnceLock<PathBuf> = OnceLock::new();

/// Why a PDF's first page was not drawn; said in the helper's standard error and the log.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PageProblem {
    #[error("it cannot be read ({0})")]
    Unreadable(std::io::Error),
    #[error("it is too large to draw")]
    TooLarge,
    #[error("it is not a readable PDF ({0})")]
    NotAPdf(String),
    #[error("it has no pages")]
    NoPages,
    #[error("its first page measures {0} × {1}")]
    Unmeasurable(f32, f32),
    #[error("the page could not be encoded ({0})")]
    Encoding(String),
    #[error("the PDF reader failed on it")]
    ReaderFailed,
    #[error("the page drawer could not start ({0})")]
    HelperDidNotStart(std::io::Error),
    #[error("drawing its first page took too long")]
    TookTooLong,
    #[error("the page drawer was lost ({0})")]
    HelperLost(std::io::Error),
    #[error("the page drawer stopped before it finished")]
    HelperStopped,
    /// What the helper said on its standard error.
    #[error("{0}")]
    Helper(String),
}

/// Lets the library draw PDF pages by starting `program` with [`HELPER_ARGUMENT`]; `program` must
/// call [`serve_helper`] first thing. Usually the running program itself
/// (`std::env::current_exe()`). Only the first call counts.
pub fn use_helper(program: PathBuf) {
    let _ = HELPER.set(program);
}

/// When this process was started as the helper, draws the PDF on standard input and returns the
/// exit code to end with; otherwise `None`, and `main` goes on as usual.
pub fn serve_helper() -> Option<ExitCode> {
    if std::env::args_os().nth(1)? != HELPER_ARGUMENT {
        return None;
    }
    limit_this_process();
    let mut pdf = Vec::new();
    let drawn = match std::io::stdin().lock().take(MAX_PDF_BYTES + 1).read_to_end(&mut pdf) {
        Err(error) => Err(PageProblem::Unreadable(error)),
        Ok(_) if pdf.len() as u64 > MAX_PDF_BYTES => Err(PageProblem::TooLarge),
        Ok(_) => draw_first_page(pdf, crate::thumbs::THUMBNAIL_SIZE),
    };
    let written =
        drawn.and_then(|png| std::io::stdout().lock().write_all(&png).map_err(PageProblem::Unreadable));
    Some(match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprint!("{problem}");
            ExitCode::FAILURE
        }
    })
}

/// Caps the helper's memory and processor time, so that a hostile PDF ends the helper, not the
/// laptop's patience, and lowers its priority (nice 10), so that drawing a list's worth of pages
/// never slows the window. Elsewhere than Linux only [`HELPER_WAIT`] bounds it.
fn limit_this_process() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, Rlimit, setpriority_process, setrlimit};
        let cap = |limit: u64| Rlimit { current: Some(limit), maximum: Some(limit) };
        let _ = setrlimit(Resource::As, cap(HELPER_MEMORY_BYTES));
        let _ = setrlimit(Resource::Cpu, cap(HELPER_CPU_SECONDS));
        let _ = setpriority_process(None, crate::import::BACKGROUND_NICE);
    }
}

/// Draws the first page of `pdf` in this process, on white, as a PNG whose longest side is
/// `size` pixels. The helper's work; a panic in the reader is an error like any other.
pub(crate) fn draw_first_page(pdf: Vec<u8>, size: u32) -> Result<Vec<u8>, PageProblem> {
    let draw = move || -> Result<Vec<u8>, PageProblem> {
        let pdf = Pdf::new(pdf).map_err(|error| PageProblem::NotAPdf(format!("{error:?}")))?;
        let page = pdf.pages().first().ok_or(PageProblem::NoPages)?;
        let (width, height) = page.render_dimensions();
        let longest = width.max(height);
        if !(longest.is_finite() && width >= 1.0 && height >= 1.0) {
            return Err(PageProblem::Unmeasurable(width, height));
        }
        let scale = size as f32 / longest;
        let settings =
            RenderSettings { x_scale: scale, y_scale: scale, bg_color: WHITE, ..RenderSettings::default() };
        let pixmap = hayro::render(page, &RenderCache::new(), &InterpreterSettings::default(), &settings);
        pixmap.into_png().map_err(|error| PageProblem::Encoding(error.to_string()))
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw)).unwrap_or(Err(PageProblem::ReaderFailed))
}

/// The thumbnail of the PDF at `source`, drawn by the helper; `None` when no helper was set.
pub(crate) fn thumbnail(source: &Path) -> Result<Option<Vec<u8>>, PageProblem> {
    match HELPER.get() {
        Some(program) => draw_in_helper(program, source, HELPER_WAIT).map(Some),
        None => Ok(None),
    }
}

/// Starts `program` as the helper on the PDF at `source`, and stops it after `wait`.
fn draw_in_helper(program: &Path, source: &Path, wait: Duration) -> Result<Vec<u8>, PageProblem> {
    let input = std::fs::File::open(source).map_err(PageProblem::Unreadable)?;
    let size = input.metadata().map_err(PageProblem::Unreadable)?.len();
    if size > MAX_PDF_BYTES {
        return Err(PageProblem::TooLarge);
    }
    let mut child = Command::new(program)
        .arg(HELPER_ARGUMENT)
        .stdin(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(PageProblem::HelperDidNotStart)?;
    // Both pipes are read while the helper runs, so it never waits on a full one.
    let png = drain(child.stdout.take(), MAX_PNG_BYTES);
    let problem = drain(child.stderr.take(), 4096);
    let deadline = Instant::now() + wait;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            outcome => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(match outcome {
                    Err(error) => PageProblem::HelperLost(error),
                    Ok(_) => PageProblem::TookTooLong,
                });
            }
        }
    };
    let png = png.join().unwrap_or_default();
    let problem = String::from_utf8_lossy(&problem.join().unwrap_or_default()).trim().to_owned();
    if status.success() && !png.is_empty() {
        Ok(png)
    } else if problem.is_empty() {
        Err(PageProblem::HelperStopped)
    } else {
        Err(PageProblem::Helper(problem))
    }
}

/// Reads up to `limit` bytes of `pipe` on a thread of its own, until it closes.
fn drain(pipe: Option<impl Read + Send + 'static>, limit: u64) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = pipe {
            let _ = pipe.take(limit).read_to_end(&mut bytes);
        }
        bytes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_is_drawn_to_the_thumbnail_size() {
        let pdf = crate::extract::pdf_saying("Photosynthesis in green leaves");
        let png = draw_first_page(pdf, 256).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(image.width().max(image.height()), 256);
        assert!(image.pixels().any(|pixel| pixel.0 != [255, 255, 255]), "the page's text is drawn");
    }

    /// A stand-in for the helper: a shell script doing `body`.
    #[cfg(unix)]
    fn helper(folder: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = folder.join("helper.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn a_helper_that_takes_too_long_is_stopped_and_one_that_fails_says_why() {
        let temp = tempfile::tempdir().unwrap();
        let pdf = temp.path().join("lesson.pdf");
        std::fs::write(&pdf, crate::extract::pdf_saying("Volcanoes")).unwrap();

        let slow = helper(temp.path(), "exec sleep 30");
        let error = draw_in_helper(&slow, &pdf, Duration::from_millis(200)).unwrap_err();
        assert_eq!(error.to_string(), "drawing its first page took too long");

        let failing = helper(temp.path(), "echo 'it has no pages' >&2; exit 1");
        assert_eq!(draw_in_helper(&failing, &pdf, HELPER_WAIT).unwrap_err().to_string(), "it has no pages");

        let silent = helper(temp.path(), "exit 0");
        assert!(draw_in_helper(&silent, &pdf, HELPER_WAIT).is_err(), "an empty answer is no thumbnail");

        let drawing = helper(temp.path(), "cat > /dev/null; printf 'PNG'");
        assert_eq!(draw_in_helper(&drawing, &pdf, HELPER_WAIT).unwrap(), b"PNG");
    }

    #[test]
    fn a_broken_pdf_is_an_error_not_a_panic() {
        for bytes in [&b"%PDF-1.7\n1 0 obj << /Type /Catalog"[..], b"", b"not a pdf at all"] {
            assert!(draw_first_page(bytes.to_vec(), 256).is_err());
        }
    }
}
