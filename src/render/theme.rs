//! Templates and theme files: the default theme compiled into the binary,
//! overridden file by file by a theme folder on disk and then by the site's
//! own `templates/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::load;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::words::{WORDS_FILE, Words};

/// The site's folder of template overrides.
pub const SITE_TEMPLATES_DIR: &str = "templates";
/// The folder of themes on disk.
pub const THEMES_DIR: &str = "themes";

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, built in so a site needs no theme folder,
/// and its words table.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "index.html",
    "issues.html",
    "issue.html",
    "article.html",
    "audience.html",
    "page.html",
    "404.html",
    "qr.html",
    "print.html",
    "selfcheck.html",
    "selfchecks.html",
    "partials/selfcheck-card.html",
    "partials/selfcheck-hotlines.html",
    "lessons.html",
    "search.html",
    "partials/card.html",
    "partials/pager.html",
    "wechat.html",
    "wechat-list.html",
    "words.toml",
];

/// The default theme's static files, copied to the output root.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "weikan.css",
        include_bytes!("../../themes/default/static/weikan.css"),
    ),
    (
        "weikan.js",
        include_bytes!("../../themes/default/static/weikan.js"),
    ),
    (
        "print.css",
        include_bytes!("../../themes/default/static/print.css"),
    ),
    (
        "print.js",
        include_bytes!("../../themes/default/static/print.js"),
    ),
    (
        "selfcheck.css",
        include_bytes!("../../themes/default/static/selfcheck.css"),
    ),
    (
        "selfcheck.js",
        include_bytes!("../../themes/default/static/selfcheck.js"),
    ),
    (
        "readaloud.js",
        include_bytes!("../../themes/default/static/readaloud.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "search.css",
        include_bytes!("../../themes/default/static/search.css"),
    ),
    (
        "wechat.css",
        include_bytes!("../../themes/default/static/wechat.css"),
    ),
    (
        "wechat.js",
        include_bytes!("../../themes/default/static/wechat.js"),
    ),
];

const TEMPLATE_HELP: &str = "fix the template, or delete the override to use the default theme's";

/// Where a template came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The file, relative to the site folder, or the built-in theme's path.
    pub path: PathBuf,
    /// Its text, for showing the offending line.
    pub text: String,
}

/// The templates and static files a build renders with.
#[derive(Debug)]
pub struct Theme {
    /// Template name → where it came from and what it says.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Theme static files: output path → bytes or a file on disk.
    pub statics: BTreeMap<String, ThemeFile>,
    /// The words readers see that Rust writes.
    pub words: Words,
}

/// A theme static file.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    /// Built into the binary.
    Embedded(&'static [u8]),
    /// On disk: (absolute path, path relative to the site folder).
    Disk(PathBuf, PathBuf),
}

impl Theme {
    /// Gathers the theme named in `site.toml` with the site's overrides.
    pub fn load(root: &Path, theme: &str) -> Result<Theme, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
        // The words files of the theme and the site, each over the last.
        let mut word_layers = Vec::new();
        for (name, text) in DEFAULT_TEMPLATES {
            let path = PathBuf::from(format!("themes/default/templates/{name} (built in)"));
            templates.insert(
                (*name).to_owned(),
                TemplateSource {
                    path,
                    text: (*text).to_owned(),
                },
            );
        }
        for (name, bytes) in DEFAULT_STATIC {
            statics.insert((*name).to_owned(), ThemeFile::Embedded(bytes));
        }

        let theme_dir = Path::new(THEMES_DIR).join(theme);
        if theme != "default" && !root.join(&theme_dir).is_dir() {
            diagnostics.push(
                Diagnostic::file_error(
                    crate::config::CONFIG_FILE,
                    format!(
                        "theme `{theme}` not found: there is no folder {}",
                        theme_dir.display()
                    ),
                )
                .with_help("set theme = \"default\", or add the theme's folder"),
            );
            return Err(diagnostics);
        }
        for dir in [
            theme_dir.join("templates"),
            PathBuf::from(SITE_TEMPLATES_DIR),
        ] {
            for (name, rel) in files(root, &dir, &mut diagnostics) {
                match SourceFile::read(root, &rel) {
                    Ok(file) => {
                        if name == WORDS_FILE {
                            word_layers.push(SourceFile::new(rel.clone(), file.text.clone()));
                        }
                        templates.insert(
                            name,
                            TemplateSource {
                                path: rel,
                                text: file.text,
                            },
                        );
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        for (name, rel) in files(root, &theme_dir.join("static"), &mut diagnostics) {
            statics.insert(name, ThemeFile::Disk(root.join(&rel), rel));
        }
        let words = Words::load(&word_layers).unwrap_or_else(|d| {
            diagnostics.push(d);
            Words::default()
        });
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(Theme {
                templates,
                statics,
                words,
            })
        }
    }

    /// Compiles every template into one engine, reporting template errors
    /// with the template's file, line and column.
    pub fn compile(&self) -> Result<tera::Tera, Diagnostic> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(
            self.templates
                .iter()
                .filter(|(name, _)| name.as_str() != WORDS_FILE)
                .map(|(name, t)| (name.as_str(), t.text.as_str())),
        )
        .map_err(|e| self.diagnostic(&e))?;
        Ok(tera)
    }

    /// Turns a template error into a diagnostic pointing into the template.
    pub fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        if let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) =
            error.kind()
            && let Some(source) = self.templates.get(report.filename())
        {
            let file = SourceFile::new(source.path.clone(), source.text.clone());
            let range = report.span().range.clone();
            return file
                .error(range, format!("template: {}", report.message()))
                .with_help(TEMPLATE_HELP);
        }
        self.report_to_diagnostic(&error.to_string())
            .unwrap_or_else(|| Diagnostic::error(format!("template: {error}")))
    }

    /// Tera reports some load-time errors (an unknown filter, a missing
    /// include) as text only: `error: …` then ` --> name:line:col`.
    fn report_to_diagnostic(&self, text: &str) -> Option<Diagnostic> {
        let message = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("error: "))?;
        let place = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
        let (rest, col) = place.rsplit_once(':')?;
        let (name, line) = rest.rsplit_once(':')?;
        let source = self.templates.get(name)?;
        let file = SourceFile::new(source.path.clone(), source.text.clone());
        let offset = file.offset(line.parse().ok()?, col.parse().ok()?);
        Some(
            file.error(offset..offset, format!("template: {message}"))
                .with_help(TEMPLATE_HELP),
        )
    }
}

/// Files under `root/dir` as (name relative to `dir` with `/`, path
/// relative to `root`), by the same rules as content: hidden files and
/// editors' backups are skipped, symbolic links reported.
fn files(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    load::files_under(root, dir, diagnostics)
        .into_iter()
        .map(|rel| (load::site_path(rel.strip_prefix(dir).unwrap_or(&rel)), rel))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut diagnostics = Diagnostics::new();
        let on_disk: Vec<String> = files(&dir, Path::new(""), &mut diagnostics)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let built_in: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        let mut sorted = built_in.clone();
        sorted.sort();
        assert_eq!(on_disk, sorted);
    }

    #[test]
    fn default_theme_compiles() {
        let dir = tempfile::tempdir().unwrap();
        Theme::load(dir.path(), "default")
            .unwrap()
            .compile()
            .unwrap();
    }
}
