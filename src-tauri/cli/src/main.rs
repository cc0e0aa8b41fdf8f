//! `commonplace-cli`: the headless command-line tool over the same core crates as the desktop app,
//! for learning technologists who script bulk work and for our own tests.
//!
//! Every command takes `--library PATH` (or `COMMONPLACE_LIBRARY`, or the default library) and
//! `--json`. With `--json`, results are printed to stdout as JSON and failures to stderr as the same
//! `{ kind, message }` object the app's UI receives; the exit code is 0 on success, 1 on failure
//! (for `import`: when any item was skipped, after printing the whole report) and 2 for a usage
//! error.
//!
//! Messaging (module `messaging`): `account add HOMESERVER USER --password-stdin`, `account list`,
//! `account remove USER`, `sync [--timeout SECONDS] [--accept-invites]`, `rooms`,
//! `send TARGET TEXT`, `send-file TARGET PATH` and `read TARGET`, where TARGET is a room id or a
//! user id (whose direct-message room is opened or reused), and `verify USER [--device ID]` /
//! `verify --incoming` to verify another device by comparing emoji (exit code 1 unless it ends
//! verified; `--yes` confirms without asking). They take `--data PATH` (or
//! `COMMONPLACE_DATA`; default: `Messaging` in the OS data folder) instead of `--library`, and
//! `--account USER` to pick the identity (default: the first account added). End-to-end
//! encryption keys are stored encrypted with the pickle key in `COMMONPLACE_PICKLE_KEY` (64 hex
//! digits, e.g. from `openssl rand -hex 32`, or base64 of 32 bytes); the commands that open an
//! account refuse to run without it. Keep the key: without it the stored keys cannot be read.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use commonplace_ipc::{ErrorKind, IpcError, LibraryInfo};
use commonplace_library::{
    BundleContents, BundleOutcome, Field, ImportOptions, ImportOutcome, ImportReport, Library, MergeOutcome,
    Opened, ResourceDetails, SearchQuery, location, short_revision,
};
use serde::Serialize;

mod messaging;

const AFTER_HELP: &str = "Messaging commands keep their data under --data (or COMMONPLACE_DATA; default: \
Messaging in the OS data folder). Their encryption keys are stored encrypted with the pickle key in \
COMMONPLACE_PICKLE_KEY: 64 hex digits (e.g. `openssl rand -hex 32`) or base64 of 32 bytes. It must be \
set, and be the same key every time, for every command that opens an account.";

#[derive(Debug, Parser)]
#[command(
    name = "commonplace-cli",
    version,
    about = "Work with a Commonplace library, and encrypted Matrix conversations, from the command line",
    after_help = AFTER_HELP
)]
struct Cli {
    /// The library folder [default: the app's library in your data folder]
    #[arg(long, global = true, value_name = "PATH", env = location::LIBRARY_ENV)]
    library: Option<PathBuf>,

    /// The messaging data folder, where accounts live [default: Messaging in your data folder]
    #[arg(long, global = true, value_name = "PATH", env = messaging::DATA_ENV)]
    data: Option<PathBuf>,

    /// The messaging account to use (@name:server, or name) [default: the first one added]
    #[arg(long, global = true, value_name = "USER")]
    account: Option<String>,

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
    /// Import files and folders (recursively); prints what happened to each item
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Search titles, creators, keywords, descriptions and full text
    Search {
        /// Words to find; the last one also matches as a prefix. Empty lists everything
        #[arg(default_value = "")]
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Only resources with this licence (SPDX id, e.g. CC-BY-4.0)
        #[arg(long)]
        licence: Option<String>,
        /// Only resources of this learning-resource type
        #[arg(long = "type")]
        resource_type: Option<String>,
        /// Only resources in this language (BCP 47, e.g. fr)
        #[arg(long)]
        language: Option<String>,
        /// Search the trash instead
        #[arg(long)]
        trashed: bool,
    },
    /// Show all metadata of a resource
    Show { id: String },
    /// Change metadata; each call makes one new revision
    Edit {
        id: String,
        /// FIELD=VALUE, e.g. title="Fractions" or keywords="maths; fractions"; repeatable
        #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
        changes: Vec<String>,
    },
    /// List a resource's revisions, newest first
    History { id: String },
    /// What changed between two revisions (ids or their first 8+ digits)
    Diff { id: String, from: String, to: String },
    /// Make FILE's content the resource's new revision
    Revise {
        id: String,
        file: PathBuf,
        #[arg(long, short, default_value = "Revised from the command line")]
        message: String,
    },
    /// Write a resource's current content to PATH (a folder: under its file name)
    Export { id: String, path: PathBuf },
    /// Make your own copy of a resource; its licence decides what the copy may carry
    Fork {
        id: String,
        /// The copy's licence (SPDX id); by default the source's own when it allows that
        #[arg(long)]
        licence: Option<String>,
    },
    /// Bring in changes from another resource or revision that shares history. Conflicts are
    /// saved for the app's merge view; the exit code is 3 while any remain
    Merge {
        id: String,
        /// A resource id (its current version) or a revision id (8+ digits)
        #[arg(long, required_unless_present = "abandon")]
        from: Option<String>,
        /// Drop the unfinished merge of ID
        #[arg(long, conflicts_with = "from")]
        abandon: bool,
    },
    /// Combine resources into a new Markdown handout, under a licence they all allow
    Combine {
        #[arg(required = true, num_args = 2.., value_name = "ID")]
        ids: Vec<String>,
        #[arg(long, default_value = "Combined handout")]
        title: String,
        #[arg(long)]
        licence: Option<String>,
        /// Quote only this section of a source, as ID:N (N from --outline); repeat for more.
        /// Sources without one are quoted whole
        #[arg(long = "section", value_name = "ID:N")]
        sections: Vec<String>,
        /// List the sections each source offers, and combine nothing
        #[arg(long)]
        outline: bool,
    },
    /// Resources and collections with their history, as one file
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Move resources to the trash, or empty it
    Trash {
        #[arg(value_name = "ID", required_unless_present = "empty")]
        ids: Vec<String>,
        /// Delete everything in the trash for good, and content nothing else uses
        #[arg(long, conflicts_with = "ids")]
        empty: bool,
    },
    /// Bring resources back from the trash
    Restore {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Check that the library is whole: the catalog, and every revision's stored content
    Check {
        /// Also rehash every stored file (slow for large libraries)
        #[arg(long)]
        deep: bool,
    },
    /// Group resources into collections
    #[command(subcommand)]
    Collection(CollectionCommand),
    /// What a licence allows: which licences an adaptation may carry, or whether works combine
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// Folders whose files are imported by themselves (while the app runs, or with `watch scan`)
    #[command(subcommand)]
    Watch(WatchCommand),
    /// Matrix accounts on this device (add and remove need COMMONPLACE_PICKLE_KEY)
    #[command(subcommand)]
    Account(messaging::AccountCommand),
    /// Fetch what is new for the account: messages (decrypted), invitations, keys; send what waits
    Sync {
        /// How long to wait for something new, in seconds
        #[arg(long, default_value_t = 0)]
        timeout: u64,
        /// Accept the invitations that arrive
        #[arg(long)]
        accept_invites: bool,
    },
    /// The account's conversations
    Rooms,
    /// Send an encrypted message (Markdown) to a room id or a user id (whose DM is opened or reused)
    Send {
        #[arg(value_name = "TARGET")]
        target: String,
        text: String,
    },
    /// Send a file, encrypted, to a room id or a user id
    SendFile {
        #[arg(value_name = "TARGET")]
        target: String,
        path: PathBuf,
    },
    /// Sync, then show a conversation's latest messages: sender, text, and whether it was encrypted
    Read {
        #[arg(value_name = "TARGET")]
        target: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Verify someone's device by comparing emoji with them: starts with USER's device (their only
    /// one, or --device), or with --incoming accepts a verification started with this device. The
    /// exit code is 1 unless the device ends verified
    Verify {
        /// The person (@name:server); with --incoming, only their verification is accepted
        #[arg(value_name = "USER", required_unless_present = "incoming")]
        user: Option<String>,
        /// Which of their devices, when they have several
        #[arg(long, value_name = "ID", conflicts_with = "incoming")]
        device: Option<String>,
        /// Wait for a verification someone else starts with this device, and accept it
        #[arg(long)]
        incoming: bool,
        /// Confirm that the emoji match without asking (for scripts)
        #[arg(long)]
        yes: bool,
        /// How long to wait for the other side at each step, in seconds
        #[arg(long, default_value_t = 120, value_name = "SECONDS")]
        timeout: u64,
    },
}

#[derive(Debug, Subcommand)]
enum BundleCommand {
    /// Write a resource with its history to FILE: `bundle export ID FILE`, or a collection with
    /// its resources: `bundle export --collection ID FILE`
    Export {
        /// ID FILE, or just FILE with --collection
        #[arg(required = true, num_args = 1..=2, value_name = "ID FILE")]
        arguments: Vec<String>,
        #[arg(long, value_name = "ID")]
        collection: Option<String>,
    },
    /// Read a bundle into the library, after checking all of it
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum LicenceCommand {
    /// For one licence: the licences an adaptation may carry. With --combine: whether works under
    /// all the given licences can be combined into one, and under which licences
    Check {
        #[arg(required = true, value_name = "LICENCE")]
        licences: Vec<String>,
        #[arg(long)]
        combine: bool,
    },
}

#[derive(Debug, Subcommand)]
enum WatchCommand {
    /// Watch a folder: its files are imported now and whenever they change
    Add { path: PathBuf },
    /// List the watched folders
    List,
    /// Stop watching a folder (what was imported from it stays)
    Remove { path: PathBuf },
    /// Bring the library in step with every watched folder now
    Scan,
}

#[derive(Debug, Subcommand)]
enum CollectionCommand {
    /// Create a collection (smart with --smart: it holds whatever the search finds)
    New {
        name: String,
        /// Nest it inside this collection
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
        /// A search whose results the collection holds, kept up to date
        #[arg(long, value_name = "QUERY")]
        smart: Option<String>,
    },
    /// Add resources at the end of a collection
    Add {
        id: String,
        #[arg(required = true, value_name = "RESOURCE")]
        resources: Vec<String>,
    },
    /// Take a resource out of a collection (it stays in the library)
    Remove { id: String, resource: String },
    /// Move a resource to a position (0 is first)
    Move { id: String, resource: String, position: usize },
    /// Set the curator's note on a resource in a collection
    Note { id: String, resource: String, note: String },
    /// List all collections
    List,
    /// Show a collection's resources in order, with notes
    Show { id: String },
    /// Delete a collection and those nested in it (the resources stay)
    Delete { id: String },
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
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::FAILURE,
        Ok(Outcome::Unresolved) => ExitCode::from(3),
        Err(error) => {
            report_error(&error, cli.json);
            ExitCode::FAILURE
        }
    }
}

/// A command that ran can still have left items undone (an import with skipped files, a merge
/// with conflicts to resolve).
enum Outcome {
    Success,
    Partial,
    Unresolved,
}

fn run(cli: &Cli) -> Result<Outcome, IpcError> {
    if let Some(result) = run_messaging(cli) {
        return result;
    }
    let (root, _source) = location::resolve(cli.library.as_deref())?;
    match &cli.command {
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
        Command::Import { paths } => {
            let library = Library::open(&root)?;
            let report =
                library.import(paths, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false))?;
            print(cli.json, &report, |out| print_import(out, &report))?;
            let skipped = report.count(|outcome| matches!(outcome, ImportOutcome::Skipped { .. }));
            return Ok(if skipped > 0 { Outcome::Partial } else { Outcome::Success });
        }
        Command::Search { query, limit, licence, resource_type, language, trashed } => {
            let query = SearchQuery {
                text: query.clone(),
                licence: licence.clone(),
                resource_type: resource_type.clone(),
                language: language.clone(),
                trashed: *trashed,
                limit: *limit,
                ..SearchQuery::default()
            };
            let hits = Library::open(&root)?.search(&query)?;
            print(cli.json, &hits, |out| {
                for hit in &hits {
                    let snippet: String = hit.snippet.iter().map(|part| part.text.as_str()).collect();
                    writeln!(out, "{}  {}  [{}]", hit.id, hit.title, hit.licence)?;
                    if !snippet.is_empty() {
                        writeln!(out, "    {}", snippet.replace('\n', " "))?;
                    }
                }
                Ok(())
            })
        }
        Command::Show { id } => {
            let resource = Library::open(&root)?.resource(id)?;
            print(cli.json, &flat(&resource), |out| print_resource(out, &resource))
        }
        Command::Edit { id, changes } => {
            let changes = changes.iter().map(|change| parse_change(change)).collect::<Result<Vec<_>, _>>()?;
            let resource = Library::open(&root)?.edit(id, &changes, &location::user_name())?;
            print(cli.json, &flat(&resource), |out| print_resource(out, &resource))
        }
        Command::History { id } => {
            let history = Library::open(&root)?.history(id)?;
            print(cli.json, &history, |out| {
                for revision in &history {
                    writeln!(
                        out,
                        "{}  {}  {}  {}",
                        commonplace_library::short_revision(&revision.id),
                        revision.author,
                        revision.created_at,
                        revision.message
                    )?;
                }
                Ok(())
            })
        }
        Command::Diff { id, from, to } => {
            let diff = Library::open(&root)?.diff_revisions(id, from, to)?;
            print(cli.json, &diff, |out| {
                for field in &diff.metadata {
                    writeln!(out, "{}: {:?} → {:?}", field.field.name(), field.before, field.after)?;
                }
                match &diff.text {
                    Some(text) => {
                        for change in format_changes(text) {
                            writeln!(out, "{change}")?;
                        }
                        for hunk in &text.hunks {
                            writeln!(out, "@@ -{} +{} @@", hunk.old.start + 1, hunk.new.start + 1)?;
                            for line in &hunk.old_lines {
                                writeln!(out, "-{}", line.text())?;
                            }
                            for line in &hunk.new_lines {
                                writeln!(out, "+{}", line.text())?;
                            }
                        }
                    }
                    None if diff.same_content => writeln!(out, "The content is the same.")?,
                    None => {
                        writeln!(
                            out,
                            "The content changed: {} ({} bytes) → {} ({} bytes)",
                            diff.from_media_type, diff.from_size, diff.to_media_type, diff.to_size
                        )?;
                        if let Some(reason) = diff.no_text_diff {
                            writeln!(out, "{}", no_text_diff_reason(reason))?;
                        }
                    }
                }
                Ok(())
            })
        }
        Command::Revise { id, file, message } => {
            let resource = Library::open(&root)?.revise(id, file, message, &location::user_name())?;
            print(cli.json, &flat(&resource), |out| print_resource(out, &resource))
        }
        Command::Export { id, path } => {
            let written = Library::open(&root)?.export(id, path)?;
            let report = serde_json::json!({ "id": id, "path": written });
            print(cli.json, &report, |out| writeln!(out, "Exported {}", written.display()))
        }
        Command::Fork { id, licence } => {
            let copy = Library::open(&root)?.fork(id, licence.as_deref(), &location::user_name())?;
            print(cli.json, &flat(&copy), |out| {
                writeln!(out, "Made your own copy: {}", copy.id)?;
                print_resource(out, &copy)
            })
        }
        Command::Merge { id, from, abandon } => {
            let library = Library::open(&root)?;
            if *abandon {
                library.abandon_merge(id)?;
                let report = serde_json::json!({ "id": id, "abandoned": true });
                return print(cli.json, &report, |out| {
                    writeln!(out, "Abandoned the unfinished merge of {id}")
                })
                .map(|()| Outcome::Success);
            }
            let from = from.as_deref().unwrap_or_default();
            let outcome = library.merge(id, from, &location::user_name())?;
            print(cli.json, &outcome, |out| match &outcome {
                MergeOutcome::UpToDate { .. } => writeln!(out, "Already up to date: nothing to bring in"),
                MergeOutcome::FastForward { resource } => {
                    writeln!(out, "Brought in the changes (now at {})", short_revision(&resource.head))
                }
                MergeOutcome::Merged { resource } => {
                    writeln!(
                        out,
                        "Brought in the changes, merged with yours ({})",
                        short_revision(&resource.head)
                    )
                }
                MergeOutcome::Conflicts { merge } => writeln!(
                    out,
                    "{} conflicts to resolve; they are saved — open the resource in Commonplace to finish",
                    merge.unresolved
                ),
            })?;
            return Ok(match outcome {
                MergeOutcome::Conflicts { .. } => Outcome::Unresolved,
                _ => Outcome::Success,
            });
        }
        Command::Combine { ids, title, licence, sections, outline } => {
            let library = Library::open(&root)?;
            if *outline {
                let outlines = library.combination_outline(ids)?;
                return print(cli.json, &outlines, |out| {
                    for source in &outlines {
                        writeln!(out, "{}  {}", source.id, source.title)?;
                        if source.sections.is_empty() {
                            writeln!(out, "    (not text: it is named, not quoted)")?;
                        }
                        for section in &source.sections {
                            let heading = if section.heading.is_empty() {
                                "(before the first heading)"
                            } else {
                                &section.heading
                            };
                            let indent = "  ".repeat(usize::from(section.level.max(1)));
                            writeln!(out, "  {:>3}{indent}{heading}", section.index)?;
                        }
                    }
                    Ok(())
                })
                .map(|()| Outcome::Success);
            }
            let mut chosen: HashMap<String, Vec<u32>> = HashMap::new();
            for section in sections {
                let parsed = section
                    .rsplit_once(':')
                    .and_then(|(id, index)| Some((id.to_owned(), index.parse::<u32>().ok()?)));
                let Some((id, index)) = parsed else {
                    return Err(IpcError::new(
                        ErrorKind::InvalidInput,
                        format!("--section {section}: give a resource and a section number, as ID:N"),
                    ));
                };
                chosen.entry(id).or_default().push(index);
            }
            let combined =
                library.combine(ids, &chosen, title, licence.as_deref(), &location::user_name())?;
            print(cli.json, &flat(&combined), |out| {
                writeln!(out, "Combined into {}", combined.id)?;
                print_resource(out, &combined)
            })
        }
        Command::Bundle(BundleCommand::Export { arguments, collection }) => {
            let (contents, file) = match (arguments.as_slice(), collection) {
                ([file], Some(collection)) => (BundleContents::Collection(collection), file),
                ([id, file], None) => (BundleContents::Resource(id), file),
                _ => {
                    return Err(IpcError::new(
                        ErrorKind::InvalidInput,
                        "give a resource and a file (bundle export ID FILE) or a collection and a file \
                         (bundle export --collection ID FILE)",
                    ));
                }
            };
            let written = Library::open(&root)?.export_bundle(contents, std::path::Path::new(file))?;
            print(cli.json, &written, |out| {
                writeln!(
                    out,
                    "Wrote {} ({} resources, {} revisions, {} bytes)",
                    written.path.display(),
                    written.resources,
                    written.revisions,
                    written.bytes
                )
            })
        }
        Command::Bundle(BundleCommand::Import { file }) => {
            let report = Library::open(&root)?.import_bundle(file)?;
            print(cli.json, &report, |out| {
                for item in &report.resources {
                    let outcome = match item.outcome {
                        BundleOutcome::Added => "added",
                        BundleOutcome::Updated => "updated to the bundle's version",
                        BundleOutcome::UpToDate => "already up to date",
                        BundleOutcome::Diverged => {
                            "changed here and in the bundle: bring in the changes to merge"
                        }
                    };
                    writeln!(out, "{}  {}  {outcome}", item.id, item.title)?;
                }
                Ok(())
            })
        }
        Command::Trash { ids, empty } => {
            let library = Library::open(&root)?;
            if *empty {
                let (resources, objects) = library.empty_trash()?;
                let report = serde_json::json!({ "resources": resources, "objects": objects });
                return print(cli.json, &report, |out| {
                    writeln!(out, "Deleted {resources} resources and {objects} stored files for good")
                })
                .map(|()| Outcome::Success);
            }
            for id in ids {
                library.trash(id)?;
            }
            print(cli.json, &serde_json::json!({ "trashed": ids }), |out| {
                writeln!(out, "Moved {} to the trash", ids.len())
            })
        }
        Command::Collection(command) => collection(cli.json, &Library::open(&root)?, command),
        Command::Check { deep } => {
            let report = Library::open(&root)?.check(*deep)?;
            print(cli.json, &report, |out| {
                let verdict =
                    if report.is_ok() { "The library is whole" } else { "The library has problems" };
                writeln!(out, "{verdict}: {} stored files checked", report.objects_checked)?;
                for missing in &report.missing_objects {
                    writeln!(out, "  missing: {missing}")?;
                }
                for damaged in &report.damaged_objects {
                    writeln!(out, "  damaged: {damaged}")?;
                }
                if !report.catalog_ok {
                    writeln!(out, "  the catalog failed SQLite's integrity check")?;
                }
                Ok(())
            })?;
            return Ok(if report.is_ok() { Outcome::Success } else { Outcome::Partial });
        }
        Command::Watch(command) => watch(cli.json, &Library::open(&root)?, command),
        // Answered by `run_messaging` before the library is resolved.
        Command::Account(_)
        | Command::Sync { .. }
        | Command::Rooms
        | Command::Send { .. }
        | Command::SendFile { .. }
        | Command::Read { .. }
        | Command::Verify { .. } => Ok(()),
        Command::Licence(LicenceCommand::Check { licences, combine }) => {
            licence_check(cli.json, licences, *combine)
        }
        Command::Restore { ids } => {
            let library = Library::open(&root)?;
            for id in ids {
                library.restore(id)?;
            }
            print(cli.json, &serde_json::json!({ "restored": ids }), |out| {
                writeln!(out, "Restored {}", ids.len())
            })
        }
    }
    .map(|()| Outcome::Success)
}

fn collection(json: bool, library: &Library, command: &CollectionCommand) -> Result<(), IpcError> {
    let show_collection = |collection: &commonplace_library::Collection| {
        print(json, collection, |out| {
            writeln!(out, "{}  {}  ({} items)", collection.id, collection.name, collection.item_count)
        })
    };
    match command {
        CollectionCommand::New { name, parent, smart } => {
            let query =
                smart.as_ref().map(|text| SearchQuery { text: text.clone(), ..SearchQuery::default() });
            show_collection(&library.create_collection(name, parent.as_deref(), query)?)
        }
        CollectionCommand::Add { id, resources } => {
            show_collection(&library.add_to_collection(id, resources)?)
        }
        CollectionCommand::Remove { id, resource } => {
            library.remove_from_collection(id, resource)?;
            show_collection(&library.collection(id)?)
        }
        CollectionCommand::Move { id, resource, position } => {
            library.move_in_collection(id, resource, *position)?;
            show_collection(&library.collection(id)?)
        }
        CollectionCommand::Note { id, resource, note } => {
            library.set_collection_note(id, resource, note)?;
            show_collection(&library.collection(id)?)
        }
        CollectionCommand::List => {
            let collections = library.collections()?;
            print(json, &collections, |out| {
                for collection in &collections {
                    let depth = ancestors(&collections, collection);
                    let kind = if collection.query.is_some() { " (smart)" } else { "" };
                    writeln!(
                        out,
                        "{}{}  {}{kind}  ({} items)",
                        "  ".repeat(depth),
                        collection.id,
                        collection.name,
                        collection.item_count
                    )?;
                }
                Ok(())
            })
        }
        CollectionCommand::Show { id } => {
            let collection = library.collection(id)?;
            let entries = library.collection_entries(id)?;
            let report = serde_json::json!({ "collection": collection, "entries": entries });
            print(json, &report, |out| {
                writeln!(out, "{}  ({} items)", collection.name, entries.len())?;
                for (position, entry) in entries.iter().enumerate() {
                    writeln!(out, "{position:>4}. {}  {}", entry.resource.id, entry.resource.title)?;
                    if !entry.note.is_empty() {
                        writeln!(out, "      note: {}", entry.note)?;
                    }
                }
                Ok(())
            })
        }
        CollectionCommand::Delete { id } => {
            library.delete_collection(id)?;
            print(json, &serde_json::json!({ "deleted": id }), |out| writeln!(out, "Deleted collection {id}"))
        }
    }
}

fn licence_check(json: bool, names: &[String], combine: bool) -> Result<(), IpcError> {
    use commonplace_licence::{Adaptation, Combination, Licence};
    let licences = names
        .iter()
        .map(|name| {
            Licence::parse(name).or_else(|| Licence::from_url(name)).ok_or_else(|| {
                IpcError::new(ErrorKind::InvalidInput, format!("{name:?} is not a licence Commonplace knows"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let allowed_json = |allowed: &[commonplace_licence::AllowedLicence]| -> Vec<serde_json::Value> {
        allowed
            .iter()
            .map(|choice| serde_json::json!({ "licence": choice.licence.spdx_id(), "recommended": choice.recommended }))
            .collect()
    };
    let (possible, allowed, reason) = if combine || licences.len() > 1 {
        match commonplace_licence::combine(&licences) {
            Combination::Possible { allowed } => (true, allowed, None),
            Combination::Impossible { conflict } => (false, Vec::new(), Some(conflict.message())),
        }
    } else {
        match commonplace_licence::adaptation(&licences[0]) {
            Adaptation::Shareable { allowed } => (true, allowed, None),
            Adaptation::NotShareable { reason } => (false, Vec::new(), Some(reason.message().to_owned())),
        }
    };
    let report = serde_json::json!({
        "licences": licences.iter().map(|licence| licence.spdx_id()).collect::<Vec<_>>(),
        "combine": combine || licences.len() > 1,
        "possible": possible,
        "allowed": allowed_json(&allowed),
        "reason": reason,
    });
    print(json, &report, |out| {
        match &reason {
            Some(reason) => writeln!(out, "Not possible: {reason}")?,
            None => {
                writeln!(out, "May be shared as:")?;
                for choice in &allowed {
                    let note = if choice.recommended { "" } else { "  (allowed, not recommended)" };
                    writeln!(out, "  {}  {}{note}", choice.licence.spdx_id(), choice.licence.name())?;
                }
            }
        }
        Ok(())
    })
}

fn watch(json: bool, library: &Library, command: &WatchCommand) -> Result<(), IpcError> {
    let list = |library: &Library| -> Result<(), IpcError> {
        let folders = library.watched_folders()?;
        print(json, &folders, |out| {
            folders.iter().try_for_each(|folder| writeln!(out, "{}", folder.display()))
        })
    };
    match command {
        WatchCommand::Add { path } => {
            library.add_watched_folder(path)?;
            list(library)
        }
        WatchCommand::Remove { path } => {
            library.remove_watched_folder(path)?;
            list(library)
        }
        WatchCommand::List => list(library),
        WatchCommand::Scan => {
            let reports = library
                .watched_folders()?
                .iter()
                .map(|folder| library.scan_watched_folder(folder))
                .collect::<Result<Vec<_>, _>>()?;
            print(json, &reports, |out| {
                for report in &reports {
                    writeln!(
                        out,
                        "{}: {} imported, {} changed, {} moved, {} removed, {} unchanged",
                        report.folder.display(),
                        report.imported,
                        report.revised,
                        report.moved,
                        report.removed,
                        report.unchanged
                    )?;
                    for problem in &report.problems {
                        writeln!(out, "  problem: {problem}")?;
                    }
                }
                Ok(())
            })
        }
    }
}

/// How deeply `collection` is nested, for indenting the list.
fn ancestors(all: &[commonplace_library::Collection], collection: &commonplace_library::Collection) -> usize {
    let mut depth = 0;
    let mut parent = collection.parent_id.as_deref();
    while let Some(id) = parent {
        depth += 1;
        parent = all.iter().find(|candidate| candidate.id == id).and_then(|found| found.parent_id.as_deref());
        if depth > all.len() {
            break;
        }
    }
    depth
}

/// A resource as scripts want it: the metadata fields beside `id`, `fileName` and the rest, so
/// `jq .licence` works.
fn flat(resource: &ResourceDetails) -> serde_json::Value {
    let mut value = serde_json::to_value(resource).unwrap_or_default();
    if let Some(object) = value.as_object_mut()
        && let Some(serde_json::Value::Object(metadata)) = object.remove("metadata")
    {
        object.extend(metadata);
    }
    value
}

/// `field=value` from `--set`.
fn parse_change(change: &str) -> Result<(Field, String), IpcError> {
    let (name, value) = change.split_once('=').ok_or_else(|| {
        IpcError::new(
            ErrorKind::InvalidInput,
            format!("{change:?} is not FIELD=VALUE (for example title=Fractions)"),
        )
    })?;
    let field = Field::from_name(name.trim()).ok_or_else(|| {
        let known: Vec<&str> = Field::ALL.iter().map(|field| field.name()).collect();
        IpcError::new(
            ErrorKind::InvalidInput,
            format!("{name:?} is not a field; the fields are {}", known.join(", ")),
        )
    })?;
    Ok((field, value.to_owned()))
}

fn print_import(out: &mut dyn Write, report: &ImportReport) -> std::io::Result<()> {
    for item in &report.items {
        let path = item.path.display();
        match &item.outcome {
            ImportOutcome::Imported { resource_id, title } => {
                writeln!(out, "imported   {path}  → {resource_id}  {title}")?
            }
            ImportOutcome::Duplicate { resource_id, title } => {
                writeln!(out, "duplicate  {path}  = {resource_id}  {title}")?;
            }
            ImportOutcome::Skipped { reason } => writeln!(out, "skipped    {path}: {reason}")?,
        }
        for warning in &item.warnings {
            writeln!(out, "           warning: {warning}")?;
        }
    }
    let count = |matches: fn(&ImportOutcome) -> bool| report.count(matches);
    writeln!(
        out,
        "{} imported, {} already in the library, {} skipped{}",
        count(|outcome| matches!(outcome, ImportOutcome::Imported { .. })),
        count(|outcome| matches!(outcome, ImportOutcome::Duplicate { .. })),
        count(|outcome| matches!(outcome, ImportOutcome::Skipped { .. })),
        if report.cancelled { " (cancelled)" } else { "" }
    )
}

fn print_resource(out: &mut dyn Write, resource: &ResourceDetails) -> std::io::Result<()> {
    writeln!(out, "{:<18}{}", "id", resource.id)?;
    for field in Field::ALL {
        let value = resource.metadata.get(field);
        if !value.is_empty() {
            writeln!(out, "{:<18}{value}", field.name())?;
        }
    }
    writeln!(out, "{:<18}{}", "fileName", resource.file_name)?;
    writeln!(out, "{:<18}{}", "mediaType", resource.media_type)?;
    writeln!(out, "{:<18}{}", "size", resource.size)?;
    if let Some(image) = resource.image_size {
        writeln!(out, "{:<18}{} × {} px", "imageSize", image.width, image.height)?;
    }
    writeln!(out, "{:<18}{}", "revisions", resource.revision_count)?;
    if resource.trashed_at.is_some() {
        writeln!(out, "{:<18}yes", "inTrash")?;
    }
    Ok(())
}

/// Runs a messaging command, or returns `None` for the library's commands.
fn run_messaging(cli: &Cli) -> Option<Result<Outcome, IpcError>> {
    let data = || messaging::resolve_data(cli.data.as_deref());
    let user = cli.account.as_deref();
    let json = cli.json;
    if let Command::Verify { user: other, device, incoming, yes, timeout } = &cli.command {
        let options = messaging::VerifyOptions {
            user: other.as_deref(),
            device: device.as_deref(),
            incoming: *incoming,
            yes: *yes,
            timeout: std::time::Duration::from_secs(*timeout),
        };
        return Some(data().and_then(|data| messaging::verify(json, &data, user, &options)).map(
            |verified| {
                if verified { Outcome::Success } else { Outcome::Partial }
            },
        ));
    }
    let result = match &cli.command {
        Command::Account(command) => data().and_then(|data| messaging::account(json, &data, command)),
        Command::Sync { timeout, accept_invites } => {
            data().and_then(|data| messaging::sync(json, &data, user, *timeout, *accept_invites))
        }
        Command::Rooms => data().and_then(|data| messaging::rooms(json, &data, user)),
        Command::Send { target, text } => {
            data().and_then(|data| messaging::send(json, &data, user, target, text))
        }
        Command::SendFile { target, path } => {
            data().and_then(|data| messaging::send_file(json, &data, user, target, path))
        }
        Command::Read { target, limit } => {
            data().and_then(|data| messaging::read(json, &data, user, target, *limit))
        }
        _ => return None,
    };
    Some(result.map(|()| Outcome::Success))
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
    result.map_err(|error| IpcError::new(ErrorKind::Io, format!("could not write the output: {error}")))
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

/// What changed in a text besides its lines, in words.
fn format_changes(diff: &commonplace_history::TextDiff) -> Vec<String> {
    use commonplace_history::LineEnding;
    let ending = |ending| match ending {
        LineEnding::Lf => "LF (Linux, macOS)",
        LineEnding::Crlf => "CRLF (Windows)",
    };
    let (old, new) = (diff.old_format, diff.new_format);
    let mut changes = Vec::new();
    if old.line_ending != new.line_ending {
        changes.push(format!("Line endings: {} → {}", ending(old.line_ending), ending(new.line_ending)));
    }
    if old.byte_order_mark != new.byte_order_mark {
        changes.push(
            if new.byte_order_mark { "Byte order mark added" } else { "Byte order mark removed" }.to_owned(),
        );
    }
    if old.final_newline != new.final_newline {
        changes.push(
            if new.final_newline { "Line break added at the end" } else { "Line break removed at the end" }
                .to_owned(),
        );
    }
    if diff.line_breaks_changed {
        changes.push("Only line breaks changed: some lines end differently (CRLF or LF)".to_owned());
    }
    changes
}

fn no_text_diff_reason(reason: commonplace_library::NoTextDiff) -> &'static str {
    use commonplace_library::NoTextDiff;
    match reason {
        NoTextDiff::NotText => "It is not a text format, so it is compared by type and size.",
        NoTextDiff::TooLarge => "It is too large to compare line by line.",
        NoTextDiff::NotUtf8 => "It is text in an encoding other than UTF-8, so it is compared as a whole.",
        NoTextDiff::LooksBinary => "It holds binary data, so it is compared as a whole.",
    }
}
