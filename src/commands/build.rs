//! `weikan build`: run the pipeline and replace the output folder in one step.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::CommandError;
use crate::BuildError;
use crate::config::ConfigOverrides;
use crate::content::load::{CONTENT_DIR, ISSUES_DIR, STATIC_DIR};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::theme::{SITE_TEMPLATES_DIR, THEMES_DIR};
use crate::site::BuildOptions;
use crate::urls::BaseUrl;

/// What `weikan build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Replaces `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub output_dir: PathBuf,
    /// Issues built.
    pub issues: usize,
    /// Articles built.
    pub articles: usize,
    /// Files written (pages, feeds, copies).
    pub files: usize,
    /// Wall time from reading to the swap.
    pub elapsed: Duration,
    /// Warnings worth showing.
    pub warnings: Diagnostics,
}

/// Builds the site and writes it; on any error the output folder is as before.
pub fn run(args: &BuildArgs) -> Result<BuildReport, CommandError> {
    let start = Instant::now();
    super::require_folder(&args.root)?;
    let output_dir = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    check_output_dir(&args.root, &output_dir).map_err(CommandError::Usage)?;
    let base_url = match &args.base_url {
        Some(text) => Some(
            BaseUrl::parse(text).map_err(|e| CommandError::Usage(format!("--base-url: {e}")))?,
        ),
        None => None,
    };
    let overrides = ConfigOverrides { base_url };
    let options = BuildOptions {
        drafts: args.drafts,
        ..BuildOptions::default()
    };
    let (site, files, warnings) = crate::build_into(&args.root, &overrides, options, &output_dir)
        .map_err(|e| match e {
            BuildError::Content(problems) => CommandError::Content(problems),
            BuildError::Io(e) => {
                let beside = crate::output::staging_parent(&output_dir);
                CommandError::Content(
                    Diagnostic::file_error(&output_dir, format!("the site could not be written: {e}"))
                        .with_help(format!("weikan writes the new site beside the output folder, in {}, then swaps it in: that folder must be writable and the disk needs space. The previous output is unchanged", beside.display()))
                        .into(),
                )
            }
        })?;
    Ok(BuildReport {
        output_dir,
        issues: site.issues.len(),
        articles: site.issues.iter().map(|i| i.articles.len()).sum(),
        files,
        elapsed: start.elapsed(),
        warnings,
    })
}

/// The output folder is replaced whole, so it must not hold the site itself.
fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let root = std::path::absolute(root).map_err(|e| e.to_string())?;
    let root = root.canonicalize().unwrap_or(root);
    let output_abs = std::path::absolute(output).map_err(|e| e.to_string())?;
    // Resolve what exists of the output path, so `..` and links compare right.
    let output_abs = match output_abs.canonicalize() {
        Ok(resolved) => resolved,
        Err(_) => match (output_abs.parent(), output_abs.file_name()) {
            (Some(parent), Some(name)) => parent
                .canonicalize()
                .unwrap_or_else(|_| parent.to_path_buf())
                .join(name),
            _ => {
                return Err(format!(
                    "`{}` cannot be the output folder",
                    output.display()
                ));
            }
        },
    };
    let guarded = [
        ISSUES_DIR,
        CONTENT_DIR,
        STATIC_DIR,
        SITE_TEMPLATES_DIR,
        THEMES_DIR,
    ];
    if root.starts_with(&output_abs) || guarded.iter().any(|d| output_abs.starts_with(root.join(d)))
    {
        return Err(format!(
            "--output `{}` would replace the site's own files; choose a separate folder such as `public`",
            output.display()
        ));
    }
    match crate::output::replaceable(&output_abs) {
        Ok(true) => {}
        Ok(false) => {
            return Err(format!(
                "`{}` already holds files that weikan did not write; weikan replaces its output folder whole, so give it an empty or new folder, or delete this one first",
                output.display()
            ));
        }
        Err(e) => {
            return Err(format!(
                "cannot read the output folder `{}`: {e}",
                output.display()
            ));
        }
    }
    Ok(())
}
