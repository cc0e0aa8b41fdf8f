//! Where the library lives: an explicit path (the `--library` flag) wins, then the
//! `COMMONPLACE_LIBRARY` environment variable, then the default under the OS data folder.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use crate::error::{Error, Result};

/// The environment variable that points the app and the CLI at another library, for tests and
/// portable installs.
pub const LIBRARY_ENV: &str = "COMMONPLACE_LIBRARY";

fn project_dirs() -> Result<ProjectDirs> {
    ProjectDirs::from("org", "Commonplace", "Commonplace").ok_or(Error::NoDefaultLocation)
}

/// The default library: `Library` inside the OS data folder (for example
/// `~/.local/share/commonplace/Library` on Linux).
pub fn default_library() -> Result<PathBuf> {
    Ok(project_dirs()?.data_dir().join("Library"))
}

/// The environment variable that points the app and the CLI at another messaging folder (the
/// accounts and their encrypted stores), for tests and portable installs.
pub const MESSAGING_ENV: &str = "COMMONPLACE_DATA";

/// The messaging folder: `flag`, else `COMMONPLACE_DATA`, else `Messaging` inside the OS data
/// folder (beside the default library; messaging belongs to the person, not to a library). Made
/// absolute.
pub fn messaging_dir(flag: Option<&Path>) -> Result<PathBuf> {
    let path = match flag {
        Some(path) => path.to_path_buf(),
        None => match std::env::var_os(MESSAGING_ENV).filter(|value| !value.is_empty()) {
            Some(value) => PathBuf::from(value),
            None => project_dirs()?.data_dir().join("Messaging"),
        },
    };
    std::path::absolute(&path).map_err(|source| Error::Io { action: "resolve", path, source })
}

/// Where the app writes its log files: machine-local data, outside any library.
pub fn log_dir() -> Result<PathBuf> {
    Ok(project_dirs()?.data_local_dir().join("logs"))
}

/// The name revisions made on this computer are signed with, until the user sets one: the OS
/// account name.
pub fn user_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
        .unwrap_or_else(|| "Commonplace user".to_owned())
}

/// Where a library was chosen from; the app uses this to decide whether it is the one default
/// instance or an explicitly separate one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Environment,
    Default,
}

/// Resolves the library path from an optional flag value, the environment, then the default.
/// Relative paths are made absolute against the current directory, so the path shown to the user
/// and stored in logs is unambiguous.
pub fn resolve(flag: Option<&Path>) -> Result<(PathBuf, Source)> {
    let environment = std::env::var_os(LIBRARY_ENV).filter(|value| !value.is_empty());
    let (path, source) = match (flag, environment) {
        (Some(path), _) => (path.to_path_buf(), Source::Flag),
        (None, Some(value)) => (PathBuf::from(value), Source::Environment),
        (None, None) => (default_library()?, Source::Default),
    };
    let path = std::path::absolute(&path).map_err(|source| Error::Io {
        action: "resolve",
        path: path.clone(),
        source,
    })?;
    Ok((path, source))
}
