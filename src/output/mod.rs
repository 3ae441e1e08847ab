//! Where rendered files go. A [`Sink`] takes each file as soon as it is
//! rendered: [`Output`] keeps them in memory (for `serve` and `check`),
//! [`Staging`] writes them straight into a folder beside `public/` and puts
//! it in place in one step (for `build`), so a build never holds the whole
//! site's bytes at once.

mod staging;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use staging::{Staging, staging_parent};

/// A file every build leaves in its output folder. A later build replaces
/// the folder whole only when it finds this, so a folder of other files
/// given as `--output` by mistake is never wiped.
pub const MARKER: &str = ".weikan-output";

const MARKER_TEXT: &str =
    "This folder is written by `weikan build` and replaced whole by every build.\n";

/// Whether `dir` may be replaced by a build: missing, empty, or written by
/// an earlier build.
pub fn replaceable(dir: &Path) -> io::Result<bool> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    Ok(dir.join(MARKER).is_file() || fs::read_dir(dir)?.next().is_none())
}

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file copied from this absolute path (kept on disk, not in memory).
    Copy(PathBuf),
}

/// A relative output path that cannot leave the output folder: `/`-separated
/// normal segments only, no `.`/`..`, no backslashes, no empty segments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

impl OutputPath {
    /// Checks `path`.
    pub fn new(path: &str) -> Result<Self, String> {
        let ok = !path.is_empty()
            && path.split('/').all(|s| {
                !s.is_empty()
                    && s != "."
                    && s != ".."
                    && !s.contains(['\\', '\0'])
                    && !s.contains(':')
            });
        if ok {
            Ok(OutputPath(path.to_owned()))
        } else {
            Err(format!("`{path}` is not a safe output path"))
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The whole output of a build, in a stable order.
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<OutputPath, (Content, String)>,
}

impl Output {
    /// Adds a file made from `owner` (a source path or a description, for
    /// messages). Refuses a path already taken and names who took it.
    pub fn insert(
        &mut self,
        path: OutputPath,
        content: Content,
        owner: String,
    ) -> Result<(), String> {
        if let Some((_, other)) = self.files.get(&path) {
            return Err(other.clone());
        }
        self.files.insert(path, (content, owner));
        Ok(())
    }

    /// The rendered HTML pages: (output path, bytes).
    pub fn pages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter_map(|(path, (content, _))| match content {
                Content::Bytes(bytes) if path.as_str().ends_with(".html") => {
                    std::str::from_utf8(bytes)
                        .ok()
                        .map(|html| (path.as_str(), html))
                }
                _ => None,
            })
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The contents of `path`, if the output has it.
    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(&OutputPath(path.to_owned())).map(|(c, _)| c)
    }

    /// Puts `content` at `path`, replacing what was there (for `serve`,
    /// which patches the pages an edit touched).
    pub fn set(&mut self, path: OutputPath, content: Content) {
        let owner = self
            .files
            .remove(&path)
            .map(|(_, owner)| owner)
            .unwrap_or_default();
        self.files.insert(path, (content, owner));
    }

    /// Whether `path` is taken.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(&OutputPath(path.to_owned()))
    }
}

/// Why a file could not be taken.
#[derive(Debug)]
pub enum PutError {
    /// The path is taken already, by this owner.
    Taken(String),
    /// Writing failed.
    Io(io::Error),
}

/// Takes the files of one build, from several threads at once. Each path
/// may be taken once; the first owner keeps it.
pub trait Sink: Sync {
    /// Stores `content` at `path`, made from `owner` (a source path or a
    /// description, for messages).
    fn put(&self, path: OutputPath, content: Content, owner: String) -> Result<(), PutError>;
    /// Whether `path` is taken.
    fn contains(&self, path: &str) -> bool;
}

/// Collects files in memory into an [`Output`].
#[derive(Debug, Default)]
pub struct Collect(Mutex<Output>);

impl Collect {
    /// The collected output.
    pub fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn output(&self) -> std::sync::MutexGuard<'_, Output> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, path: OutputPath, content: Content, owner: String) -> Result<(), PutError> {
        self.output()
            .insert(path, content, owner)
            .map_err(PutError::Taken)
    }

    fn contains(&self, path: &str) -> bool {
        self.output().contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a/./b",
            "a\\..\\b",
            "c:/x",
        ] {
            assert!(OutputPath::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            OutputPath::new("issues/3/index.html").unwrap().as_str(),
            "issues/3/index.html"
        );
    }

    #[test]
    fn second_claim_on_a_path_names_the_first() {
        let mut out = Output::default();
        let p = OutputPath::new("a.css").unwrap();
        out.insert(p.clone(), Content::Bytes(vec![]), "static/a.css".into())
            .unwrap();
        assert_eq!(
            out.insert(p, Content::Bytes(vec![]), "content/a.css".into()),
            Err("static/a.css".into())
        );
    }

    #[test]
    fn replaces_the_folder_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = tmp.path().join("public");
        fs::create_dir_all(out_dir.join("old")).unwrap();
        fs::write(out_dir.join("old/stale.html"), "x").unwrap();
        let mut out = Output::default();
        out.insert(
            OutputPath::new("a/b.html").unwrap(),
            Content::Bytes(b"new".to_vec()),
            "t".into(),
        )
        .unwrap();
        let staging = Staging::begin(&out_dir).unwrap();
        for (path, (content, owner)) in out.files {
            staging.put(path, content, owner).unwrap();
        }
        staging.finish().unwrap();
        assert_eq!(fs::read(out_dir.join("a/b.html")).unwrap(), b"new");
        assert!(replaceable(&out_dir).unwrap());
        assert!(!out_dir.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
