//! weikan: a static-site generator for community psychological self-help
//! micro-journals.
//!
//! One pipeline serves every command:
//! site folder → [`config::SiteConfig`] + [`content`] sources → validated
//! [`site::Site`] → [`render::render_to`] (pure, parallel) → an
//! [`output::Sink`]: memory, or a staging folder swapped in in one step.
//! Problems at any stage are [`diagnostics::Diagnostic`]s, collected and
//! reported together.

pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feed;
pub mod html;
pub mod markdown;
pub mod media;
pub mod names;
pub mod output;
pub mod paths;
pub mod plan;
pub mod qr;
pub mod render;
pub mod search;
pub mod selfcheck;
pub mod serve;
pub mod site;
pub mod source;
pub mod urls;
pub mod wechat;
pub mod words;

use std::path::Path;

use config::{ConfigOverrides, SiteConfig};
use diagnostics::Diagnostics;
use markdown::MarkdownCache;
use output::{Output, Staging};
use render::{RenderError, Theme};
use site::{BuildOptions, Site};
use words::Words;

/// Runs the pipeline in memory: loads and checks the site at `root` and
/// renders it. Returns the output with the warnings, or every problem found.
pub fn build_in_memory(
    root: &Path,
    overrides: &ConfigOverrides,
    options: BuildOptions,
) -> Result<(Site, Output, Diagnostics), Diagnostics> {
    let (site, theme, warnings) = load(root, overrides, options, None)?;
    let output = render::render(&site, &theme).map_err(|mut e| {
        e.extend(warnings.iter().cloned());
        e
    })?;
    Ok((site, output, warnings))
}

/// Why a build into a folder failed.
#[derive(Debug)]
pub enum BuildError {
    /// The site has problems; nothing was written.
    Content(Diagnostics),
    /// Writing failed; the output folder is as it was.
    Io(std::io::Error),
}

/// Runs the pipeline and writes the site into `out_dir`: each page goes to
/// a staging folder beside it as soon as it is rendered, and the staging
/// folder replaces `out_dir` in one step when every page is written. On any
/// problem `out_dir` is untouched. Returns the site, the number of files
/// written and the warnings.
pub fn build_into(
    root: &Path,
    overrides: &ConfigOverrides,
    options: BuildOptions,
    out_dir: &Path,
) -> Result<(Site, usize, Diagnostics), BuildError> {
    let (site, theme, warnings) =
        load(root, overrides, options, None).map_err(BuildError::Content)?;
    let staging = Staging::begin(out_dir).map_err(BuildError::Io)?;
    match render::render_to(&site, &theme, &staging) {
        Ok(()) => {}
        Err(RenderError::Content(mut problems)) => {
            problems.extend(warnings.iter().cloned());
            return Err(BuildError::Content(problems));
        }
        Err(RenderError::Io(e)) => return Err(BuildError::Io(e)),
    }
    let files = staging.len();
    staging.finish().map_err(BuildError::Io)?;
    Ok((site, files, warnings))
}

/// Loads the settings, the theme and the site, reporting the theme's and
/// the content's problems together: the one load path of `build`, `check`
/// and `serve`. `cache`, kept by `serve` between loads, spares rendering
/// unchanged Markdown again.
pub fn load(
    root: &Path,
    overrides: &ConfigOverrides,
    options: BuildOptions,
    cache: Option<&MarkdownCache>,
) -> Result<(Site, Theme, Diagnostics), Diagnostics> {
    let config = SiteConfig::load(root, overrides)?;
    let theme = Theme::load(root, &config.theme);
    // Players in the bodies are written in the theme's words; with a broken
    // theme the built-in words still let every content problem be found.
    let words = theme
        .as_ref()
        .map_or_else(|_| Words::built_in(), |t| t.words.clone());
    let built = Site::build(root, config, &words, options, cache);
    match (theme, built) {
        (Ok(theme), Ok((site, warnings))) => Ok((site, theme, warnings)),
        (theme, built) => {
            let mut all = Diagnostics::new();
            all.extend(theme.err().into_iter().flatten());
            all.extend(built.err().into_iter().flatten());
            Err(all)
        }
    }
}
