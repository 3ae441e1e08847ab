//! The rendered site as a map of output path → contents, and writing it so
//! that `public/` is replaced in one step or not at all.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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

    /// Writes everything to a fresh folder beside `out_dir`, then puts it in
    /// place of `out_dir` in one step. On any error `out_dir` is untouched
    /// and the half-written folder is removed.
    pub fn write_atomically(&self, out_dir: &Path) -> io::Result<()> {
        let parent = staging_parent(out_dir);
        let name = out_dir
            .file_name()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the output folder needs a name",
                )
            })?
            .to_string_lossy()
            .into_owned();
        if out_dir.exists() && !out_dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the output path exists and is not a folder",
            ));
        }
        fs::create_dir_all(&parent).map_err(at("create", &parent))?;
        let staging = parent.join(format!(".{name}.weikan-new"));
        // A build killed earlier may have left its staging folder behind.
        remove_if_present(&staging).map_err(at("remove", &staging))?;
        // Files the previous build wrote with the same bytes are linked, not
        // rewritten: they keep their inode and mtime, so rsync and CDNs see
        // no change, and the build skips the write.
        let previous = out_dir.join(MARKER).is_file().then_some(out_dir);
        let written = self.write_into(&staging, previous).and_then(|()| {
            swap_in(&staging, out_dir, &parent, &name).map_err(at("replace", out_dir))
        });
        if written.is_err() {
            let _ = remove_if_present(&staging);
        }
        written
    }

    fn write_into(&self, dir: &Path, previous: Option<&Path>) -> io::Result<()> {
        fs::create_dir(dir).map_err(at("create", dir))?;
        let marker = dir.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(at("write", &marker))?;
        let mut folders: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| Path::new(p.as_str()).parent().map(|d| dir.join(d)))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            fs::create_dir_all(&folder).map_err(at("create", &folder))?;
        }
        self.files.par_iter().try_for_each(|(path, (content, _))| {
            let target = dir.join(path.as_str());
            if let Some(old) = previous.map(|p| p.join(path.as_str()))
                && holds(&old, content)
                && fs::hard_link(&old, &target).is_ok()
            {
                return Ok(());
            }
            match content {
                Content::Bytes(bytes) => fs::write(&target, bytes),
                Content::Copy(source) => fs::copy(source, &target).map(|_| ()),
            }
            .map_err(at("write", &target))
        })
    }
}

/// The folder the new site is written into first, beside `out_dir`: it
/// must be writable for a build to succeed.
pub fn staging_parent(out_dir: &Path) -> PathBuf {
    match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Adds what was being done, and to which path, to an I/O error: "Permission
/// denied" alone does not tell an editor which folder to fix.
fn at(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> io::Error {
    let path = path.display().to_string();
    move |e| io::Error::new(e.kind(), format!("cannot {action} {path}: {e}"))
}

/// Whether the file at `old` (not a link) already holds exactly `content`.
/// Sizes are compared first, so most changed files are never read.
fn holds(old: &Path, content: &Content) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match content {
        Content::Bytes(bytes) => {
            meta.len() == bytes.len() as u64 && fs::read(old).is_ok_and(|b| b == *bytes)
        }
        Content::Copy(source) => {
            fs::metadata(source).is_ok_and(|m| m.len() == meta.len())
                && matches!((fs::read(old), fs::read(source)), (Ok(a), Ok(b)) if a == b)
        }
    }
}

/// Puts `staging` in place of `out_dir`: an atomic exchange where the system
/// has one, so `out_dir` never goes missing; otherwise two renames.
fn swap_in(staging: &Path, out_dir: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !out_dir.exists() {
        return fs::rename(staging, out_dir);
    }
    if exchange(staging, out_dir).is_ok() {
        // `staging` now holds the previous build.
        return remove_if_present(staging);
    }
    let old = parent.join(format!(".{name}.weikan-old"));
    remove_if_present(&old)?;
    fs::rename(out_dir, &old)?;
    if let Err(e) = fs::rename(staging, out_dir) {
        let _ = fs::rename(&old, out_dir);
        return Err(e);
    }
    remove_if_present(&old)
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange here",
    ))
}

fn remove_if_present(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
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
        out.write_atomically(&out_dir).unwrap();
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
