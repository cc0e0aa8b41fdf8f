//! Fixtures shared by the library's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use commonplace_library::{ImportOptions, ImportReport, Library};

pub struct Fixture {
    pub temp: tempfile::TempDir,
    pub library: Library,
}

impl Fixture {
    pub fn new() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let (library, _) = Library::open_or_create(&temp.path().join("Library")).unwrap();
        Self { temp, library }
    }

    /// A folder of source files outside the library.
    pub fn sources(&self) -> PathBuf {
        let path = self.temp.path().join("sources");
        std::fs::create_dir_all(&path).unwrap();
        path
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.sources().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    pub fn import(&self, paths: &[&Path]) -> ImportReport {
        let paths: Vec<PathBuf> = paths.iter().map(|path| path.to_path_buf()).collect();
        let options = ImportOptions { author: "Ana".to_owned() };
        self.library.import(&paths, &options, &mut |_| {}, &AtomicBool::new(false)).unwrap()
    }
}
