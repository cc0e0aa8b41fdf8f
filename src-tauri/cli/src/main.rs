//! `commonplace-cli`: the headless command-line tool over the same core crates as the desktop app,
//! for learning technologists who script bulk work and for our own tests.
//!
//! Every command takes `--library PATH` (or `COMMONPLACE_LIBRARY`, or the default library) and
//! `--json`. With `--json`, results are printed to stdout as JSON and failures to stderr as the same
//! `{ kind, message }` object the app's UI receives; the exit code is 0 on success, 1 on failure and
//! 2 for a usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commonplace_ipc::{IpcError, LibraryInfo};
use commonplace_library::{Library, Opened, location};
use serde::Serialize;

#[derive(Debug, Parser)]
#[command(name = "commonplace-cli", version, about = "Work with a Commonplace library from the command line")]
struct Cli {
    /// The library folder [default: the app's library in your data folder]
    #[arg(long, global = true, value_name = "PATH", env = location::LIBRARY_ENV)]
    library: Option<PathBuf>,

    /// Print results as JSON (errors go to stderr as {"kind", "message"})
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the library if it does not exist yet, and report it
    Init,
    /// Show the library's folder, format version, id and counts
    Info,
}

/// What `init --json` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct InitReport {
    /// False when the library already existed.
    created: bool,
    library: LibraryInfo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error, cli.json);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), IpcError> {
    let (root, _source) = location::resolve(cli.library.as_deref())?;
    match cli.command {
        Command::Init => {
            let (library, opened) = Library::open_or_create(&root)?;
            let report = InitReport { created: opened == Opened::Created, library: library.info()?.into() };
            print(cli.json, &report, |out| {
                let verb = if report.created { "Created" } else { "Already a library:" };
                writeln!(out, "{verb} {}", report.library.path)
            })
        }
        Command::Info => {
            let info: LibraryInfo = Library::open(&root)?.info()?.into();
            print(cli.json, &info, |out| {
                writeln!(out, "Library      {}", info.path)?;
                writeln!(out, "Format       {}", info.format_version)?;
                writeln!(out, "Id           {}", info.library_id)?;
                writeln!(out, "Resources    {}", info.resource_count)?;
                writeln!(out, "Collections  {}", info.collection_count)
            })
        }
    }
}

/// Prints `value` as JSON, or as text through `human`.
fn print<T: Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), IpcError> {
    let mut out = std::io::stdout().lock();
    let result = if json {
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        human(&mut out)
    };
    result.map_err(|error| {
        IpcError::new(commonplace_ipc::ErrorKind::Io, format!("could not write the output: {error}"))
    })
}

fn report_error(error: &IpcError, json: bool) {
    if json {
        eprintln!("{}", serde_json::to_string(error).unwrap_or_else(|_| error.message.clone()));
    } else {
        eprintln!("error: {}", error.message);
    }
}

/// Diagnostics go to stderr, quiet unless `RUST_LOG` asks for more, so stdout stays parseable.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
