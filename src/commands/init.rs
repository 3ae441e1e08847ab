//! `weikan init DIR`: a small working site to start from.

use std::fs;
use std::path::{Path, PathBuf};

use super::CommandError;

macro_rules! starter {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("starter/", $path)))),*]
    };
}

/// The starter site: settings with four audiences and a hotline, one issue
/// with two articles, and the standing pages.
const STARTER: &[(&str, &str)] = starter![
    "site.toml",
    "issues/001/issue.md",
    "issues/001/01-sleep.md",
    "issues/001/02-worry.md",
    "content/about.md",
    "content/hotlines.md",
    // Written as `.gitignore`: a dot file would be left out of the crate.
    "gitignore",
];

/// Writes the starter site into `dir`. A folder that already holds files is
/// refused unless `force`; even then only the starter's own files are
/// written and nothing else in the folder is touched.
pub fn run(dir: &Path, force: bool) -> Result<Vec<PathBuf>, CommandError> {
    let usage = |message: String| CommandError::Usage(message);
    if dir.exists() {
        if !dir.is_dir() {
            return Err(usage(format!(
                "`{}` exists and is not a folder",
                dir.display()
            )));
        }
        let occupied = fs::read_dir(dir)
            .map_err(|e| usage(format!("cannot read `{}`: {e}", dir.display())))?
            .next()
            .is_some();
        if occupied && !force {
            return Err(usage(format!(
                "`{}` is not empty; choose a new folder, or pass --force to write the starter files into it (files of the same name are replaced)",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (source, text) in STARTER {
        let rel = match *source {
            "gitignore" => ".gitignore",
            other => other,
        };
        let path = dir.join(rel);
        let io = |e: std::io::Error| usage(format!("cannot write `{}`: {e}", path.display()));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(io)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}
