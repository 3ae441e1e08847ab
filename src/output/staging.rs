//! Writing a build into a fresh folder beside the output folder, file by
//! file as pages are rendered, and putting it in place of the output folder
//! in one step: the output is replaced whole or not at all.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::{Content, MARKER, MARKER_TEXT, OutputPath, PutError, Sink};

/// A build being written into `.<name>.weikan-new` beside the output
/// folder. [`Staging::finish`] puts it in place; dropped unfinished, it is
/// removed and the output folder stays as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// The output folder, when it holds an earlier build whose unchanged
    /// files can be linked instead of written again.
    previous: Option<PathBuf>,
    /// Which owner took each path.
    claims: Mutex<HashMap<OutputPath, String>>,
    /// Folders made so far, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
    finished: bool,
}

impl Staging {
    /// Starts a fresh staging folder for `out_dir`.
    pub fn begin(out_dir: &Path) -> io::Result<Staging> {
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
        let dir = parent.join(format!(".{name}.weikan-new"));
        // A build killed earlier may have left its staging folder behind.
        remove_if_present(&dir).map_err(at("remove", &dir))?;
        fs::create_dir(&dir).map_err(at("create", &dir))?;
        let staging = Staging {
            previous: out_dir
                .join(MARKER)
                .is_file()
                .then(|| out_dir.to_path_buf()),
            dir,
            out_dir: out_dir.to_path_buf(),
            parent,
            name,
            claims: Mutex::default(),
            folders: Mutex::default(),
            finished: false,
        };
        let marker = staging.dir.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(at("write", &marker))?;
        Ok(staging)
    }

    /// How many files were taken.
    pub fn len(&self) -> usize {
        lock(&self.claims).len()
    }

    /// Whether no file was taken.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts the written folder in place of the output folder.
    pub fn finish(mut self) -> io::Result<()> {
        swap_in(&self.dir, &self.out_dir, &self.parent, &self.name)
            .map_err(at("replace", &self.out_dir))?;
        self.finished = true;
        Ok(())
    }

    /// Makes `folder` (inside the staging folder) unless made already.
    fn make_folder(&self, folder: &Path) -> io::Result<()> {
        if lock(&self.folders).contains(folder) {
            return Ok(());
        }
        fs::create_dir_all(folder).map_err(at("create", folder))?;
        lock(&self.folders).insert(folder.to_path_buf());
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, path: OutputPath, content: Content, owner: String) -> Result<(), PutError> {
        let target = self.dir.join(path.as_str());
        {
            let mut claims = lock(&self.claims);
            if let Some(other) = claims.get(&path) {
                return Err(PutError::Taken(other.clone()));
            }
            claims.insert(path.clone(), owner);
        }
        if let Some(folder) = target.parent() {
            self.make_folder(folder).map_err(PutError::Io)?;
        }
        // Files the previous build wrote with the same bytes are linked, not
        // rewritten: they keep their inode and mtime, so rsync and CDNs see
        // no change, and the build skips the write.
        if let Some(old) = self.previous.as_ref().map(|p| p.join(path.as_str()))
            && holds(&old, &content)
            && fs::hard_link(&old, &target).is_ok()
        {
            return Ok(());
        }
        match content {
            Content::Bytes(bytes) => fs::write(&target, bytes),
            Content::Copy(source) => fs::copy(source, &target).map(|_| ()),
        }
        .map_err(at("write", &target))
        .map_err(PutError::Io)
    }

    fn contains(&self, path: &str) -> bool {
        OutputPath::new(path).is_ok_and(|p| lock(&self.claims).contains_key(&p))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_if_present(&self.dir);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
