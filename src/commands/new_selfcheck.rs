//! `weikan new selfcheck --title T`: a starter questionnaire that builds,
//! with every key in place and notes on what to replace.

use std::path::{Path, PathBuf};

use super::CommandError;
use super::new::{file_name_part, toml_string, write_new};
use crate::content::load::CONTENT_DIR;
use crate::content::questionnaire::DIR;

/// The starter's text; `{title}` is replaced.
const STARTER: &str = include_str!("selfcheck_starter.md");

/// Writes `content/selfcheck/<name>.md` and returns its path relative to
/// the site folder. A Latin title names the file (and so the URL); any
/// other title gets the next free `selfcheck-N`, as URLs stay ASCII.
pub fn run(root: &Path, title: &str) -> Result<PathBuf, CommandError> {
    super::require_folder(root)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(CommandError::Usage("--title is empty".into()));
    }
    let dir = Path::new(CONTENT_DIR).join(DIR);
    let name = if title.is_ascii() {
        file_name_part(title)
    } else {
        (1..)
            .map(|n| format!("selfcheck-{n}"))
            .find(|name| !root.join(&dir).join(format!("{name}.md")).exists())
            .unwrap_or_default()
    };
    let path = dir.join(format!("{name}.md"));
    write_new(
        root,
        &path,
        &STARTER.replace("{title}", &toml_string(title)),
    )?;
    Ok(path)
}
