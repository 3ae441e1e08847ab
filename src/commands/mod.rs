//! The commands of the CLI, each a thin driver of the shared pipeline.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod new_selfcheck;

use std::path::Path;

use crate::diagnostics::Diagnostics;

/// Why a command failed; the CLI turns it into an exit code.
#[derive(Debug)]
pub enum CommandError {
    /// The command was used wrongly (exit code 2).
    Usage(String),
    /// The site has errors (exit code 1); nothing was written.
    Content(Diagnostics),
}

/// Refuses a site folder that does not exist.
pub(crate) fn require_folder(root: &Path) -> Result<(), CommandError> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(CommandError::Usage(format!(
            "the site folder `{}` does not exist",
            root.display()
        )))
    }
}
