//! weikan: a static-site generator for community psychological self-help
//! micro-journals.
//!
//! One pipeline serves every command:
//! site folder → [`config::SiteConfig`] + [`content`] sources → validated
//! [`site::Site`] → [`render::render`] (pure, parallel) → [`output::Output`]
//! → one-step write. Problems at any stage are [`diagnostics::Diagnostic`]s,
//! collected and reported together.

pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feed;
pub mod markdown;
pub mod names;
pub mod output;
pub mod qr;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod source;
pub mod urls;

use std::path::Path;

use config::{ConfigOverrides, SiteConfig};
use diagnostics::Diagnostics;
use output::Output;
use render::Theme;
use site::{BuildOptions, Site};

/// Runs the pipeline in memory: loads and checks the site at `root` and
/// renders it. Returns the output with the warnings, or every problem found.
pub fn build_in_memory(
    root: &Path,
    overrides: &ConfigOverrides,
    options: BuildOptions,
) -> Result<(Site, Output, Diagnostics), Diagnostics> {
    let config = SiteConfig::load(root, overrides)?;
    let theme = Theme::load(root, &config.theme);
    let built = Site::build(root, config, options, None);
    // Report theme and content problems together.
    let (theme, (site, warnings)) = match (theme, built) {
        (Ok(theme), Ok(built)) => (theme, built),
        (theme, built) => {
            let mut all = Diagnostics::new();
            all.extend(theme.err().into_iter().flatten());
            all.extend(built.err().into_iter().flatten());
            return Err(all);
        }
    };
    let output = render::render(&site, &theme).map_err(|mut e| {
        e.extend(warnings.iter().cloned());
        e
    })?;
    Ok((site, output, warnings))
}
