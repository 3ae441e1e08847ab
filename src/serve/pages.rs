//! The static files a rebuild puts in the output again when they were
//! changed in place: no page depends on them, so nothing is rendered.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::theme::ThemeFile;
use crate::render::{self, Theme};
use crate::site::Site;

/// The output files of static files changed in place (relative to the
/// site folder): (output path, bytes). A theme's file that the site's own
/// file of the same name hides, or that the site leaves out, is not put.
pub fn statics(
    site: &Site,
    theme: &Theme,
    changed: &[PathBuf],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let mut files = Vec::new();
    for rel in changed {
        let own = site.files.iter().find(|f| f.source == *rel);
        let output = match own {
            Some(file) => Some(file.path.clone()),
            None => theme_output(site, theme, rel),
        };
        if let Some(path) = output {
            files.push((path, read(&site.root, rel)?));
        }
    }
    Ok(files)
}

/// Where the theme's file `rel` goes, unless hidden or left out.
fn theme_output(site: &Site, theme: &Theme, rel: &Path) -> Option<String> {
    let (path, _) = theme
        .statics
        .iter()
        .find(|(_, f)| matches!(f, ThemeFile::Disk(_, r) if r == rel))?;
    let hidden = site.files.iter().any(|f| f.path == *path);
    (!hidden && !render::leaves_out(site, path)).then(|| path.clone())
}

fn read(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostics> {
    std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::file_error(rel, format!("cannot read the file: {e}"))
            .with_help("check that the file is readable")
            .into()
    })
}
