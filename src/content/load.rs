//! Walks the site folder and reads every content file, checking its front
//! matter. Problems are collected; a bad file is left out and reported, and
//! the walk goes on so one build shows every mistake.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::front_matter::{self, ArticleHead, IssueHead, PageHead};
use super::questionnaire::{self, QuestionnaireHead};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// Folder of issues.
pub const ISSUES_DIR: &str = "issues";
/// Folder of standing pages.
pub const CONTENT_DIR: &str = "content";
/// Folder copied as-is to the output root.
pub const STATIC_DIR: &str = "static";
/// The file of an issue folder that holds its front matter and editor's note.
pub const ISSUE_FILE: &str = "issue.md";
/// The standing page shown as the home page's intro.
pub const INTRO_FILE: &str = "index.md";

/// A content file whose front matter checked out.
#[derive(Debug)]
pub struct Parsed<H> {
    /// The whole file, for errors in the body.
    pub file: SourceFile,
    /// The checked front matter.
    pub head: H,
    /// Where the Markdown body starts in the file.
    pub body_offset: usize,
}

impl<H> Parsed<H> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// The file name without `.md`.
    pub fn stem(&self) -> String {
        self.file
            .rel_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// One issue folder.
#[derive(Debug)]
pub struct IssueSource {
    /// The folder, relative to the site root.
    pub dir: PathBuf,
    /// `issue.md`.
    pub issue: Parsed<IssueHead>,
    /// The articles, in file-name order.
    pub articles: Vec<Parsed<ArticleHead>>,
    /// Other files, relative to the issue folder, in name order.
    pub assets: Vec<PathBuf>,
}

/// Everything read from the site folder.
#[derive(Debug, Default)]
pub struct Sources {
    /// Issue folders, in folder-name order.
    pub issues: Vec<IssueSource>,
    /// Standing pages, in file-name order.
    pub pages: Vec<Parsed<PageHead>>,
    /// Self-check questionnaires from `content/selfcheck/`, in file-name order.
    pub questionnaires: Vec<Parsed<QuestionnaireHead>>,
    /// `content/index.md`, the home page's intro.
    pub intro: Option<Parsed<PageHead>>,
    /// Files copied to the output root: `(site-relative source, output path)`.
    pub root_files: Vec<(PathBuf, String)>,
    /// Content files that exist but could not be read or parsed.
    pub broken: Vec<PathBuf>,
}

/// Reads the whole site folder.
pub fn load(root: &Path, config: &SiteConfig, diagnostics: &mut Diagnostics) -> Sources {
    let mut sources = Sources::default();
    let issue_dirs = issue_folders(root, diagnostics);
    let loaded: Vec<Loaded> = issue_dirs
        .par_iter()
        .map(|dir| load_issue(root, dir, config))
        .collect();
    for loaded in loaded {
        diagnostics.extend(loaded.problems);
        sources.issues.extend(loaded.issue);
        sources.broken.extend(loaded.broken);
    }

    for rel in files_under(root, Path::new(CONTENT_DIR), diagnostics) {
        let inside = rel.strip_prefix(CONTENT_DIR).unwrap_or(&rel);
        if is_markdown(&rel) && inside.parent() == Some(Path::new(questionnaire::DIR)) {
            match read_parsed(root, &rel, |f, fm| questionnaire::parse(f, fm, config)) {
                Ok(q) => sources.questionnaires.push(q),
                Err(problems) => {
                    diagnostics.extend(problems);
                    sources.broken.push(rel);
                }
            }
        } else if is_markdown(&rel) {
            if inside.components().count() > 1 {
                diagnostics.push(
                    Diagnostic::file_error(
                        &rel,
                        "standing pages must sit directly in content/; this file is not used",
                    )
                    .as_warning(),
                );
                continue;
            }
            match read_parsed(root, &rel, front_matter::parse_page) {
                Ok(page) if inside == Path::new(INTRO_FILE) => sources.intro = Some(page),
                Ok(page) => sources.pages.push(page),
                Err(problems) => {
                    diagnostics.extend(problems);
                    sources.broken.push(rel);
                }
            }
        } else {
            sources.root_files.push((rel.clone(), site_path(inside)));
        }
    }
    for rel in files_under(root, Path::new(STATIC_DIR), diagnostics) {
        let inside = rel.strip_prefix(STATIC_DIR).unwrap_or(&rel);
        sources.root_files.push((rel.clone(), site_path(inside)));
    }
    sources
}

/// The folders under `issues/`, sorted; anything else there is reported.
fn issue_folders(root: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join(ISSUES_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let rel = Path::new(ISSUES_DIR).join(&name);
        if is_ignored(&name.to_string_lossy()) {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => dirs.push(rel),
            Ok(t) if t.is_symlink() => diagnostics.push(symlink_warning(&rel)),
            _ => diagnostics.push(
                Diagnostic::file_error(
                    &rel,
                    "only issue folders belong in issues/; this file is not used",
                )
                .as_warning()
                .with_help("move it into an issue folder, or into content/ or static/"),
            ),
        }
    }
    dirs.sort();
    dirs
}

/// What reading one issue folder gave.
struct Loaded {
    issue: Option<IssueSource>,
    problems: Vec<Diagnostic>,
    broken: Vec<PathBuf>,
}

fn load_issue(root: &Path, dir: &Path, config: &SiteConfig) -> Loaded {
    let mut problems = Diagnostics::new();
    let mut broken = Vec::new();
    let issue_file = dir.join(ISSUE_FILE);
    let issue = if root.join(&issue_file).is_file() {
        read_parsed(root, &issue_file, |f, fm| {
            front_matter::parse_issue(f, fm, config)
        })
    } else {
        Err(vec![
            Diagnostic::file_error(dir, format!("this issue folder has no {ISSUE_FILE}"))
                .with_help("add issue.md with the issue's number, title and date"),
        ])
    };
    let mut articles = Vec::new();
    let mut assets = Vec::new();
    for rel in files_under(root, dir, &mut problems) {
        let inside = rel.strip_prefix(dir).unwrap_or(&rel).to_path_buf();
        if inside == Path::new(ISSUE_FILE) {
            continue;
        }
        if !is_markdown(&rel) {
            assets.push(inside);
        } else if inside.components().count() > 1 {
            problems.push(
                Diagnostic::file_error(
                    &rel,
                    "articles must sit directly in the issue folder; this file is not used",
                )
                .as_warning(),
            );
        } else {
            match read_article(root, &rel, config) {
                Ok(article) => articles.push(article),
                Err(e) => {
                    problems.extend(e);
                    broken.push(rel);
                }
            }
        }
    }
    let issue = match issue {
        Ok(issue) => Some(IssueSource {
            dir: dir.to_path_buf(),
            issue,
            articles,
            assets,
        }),
        Err(e) => {
            problems.extend(e);
            // Without a valid issue.md the articles have no URL either.
            broken.push(issue_file);
            broken.extend(articles.into_iter().map(|a| a.file.rel_path));
            None
        }
    };
    Loaded {
        issue,
        problems: problems.into_iter().collect(),
        broken,
    }
}

/// Reads and checks one article's file, `rel` from the site folder.
pub fn read_article(
    root: &Path,
    rel: &Path,
    config: &SiteConfig,
) -> Result<Parsed<ArticleHead>, Vec<Diagnostic>> {
    read_parsed(root, rel, |f, fm| {
        front_matter::parse_article(f, fm, config)
    })
}

/// Reads and checks one standing page's file, `rel` from the site folder.
pub fn read_page(root: &Path, rel: &Path) -> Result<Parsed<PageHead>, Vec<Diagnostic>> {
    read_parsed(root, rel, front_matter::parse_page)
}

/// Reads and checks one questionnaire's file, `rel` from the site folder.
pub fn read_questionnaire(
    root: &Path,
    rel: &Path,
    config: &SiteConfig,
) -> Result<Parsed<QuestionnaireHead>, Vec<Diagnostic>> {
    read_parsed(root, rel, |f, fm| questionnaire::parse(f, fm, config))
}

/// Reads and checks one issue's `issue.md`, `rel` from the site folder.
pub fn read_issue(
    root: &Path,
    rel: &Path,
    config: &SiteConfig,
) -> Result<Parsed<IssueHead>, Vec<Diagnostic>> {
    read_parsed(root, rel, |f, fm| front_matter::parse_issue(f, fm, config))
}

fn read_parsed<H>(
    root: &Path,
    rel: &Path,
    parse: impl FnOnce(&SourceFile, &crate::source::FrontMatter<'_>) -> Result<H, Vec<Diagnostic>>,
) -> Result<Parsed<H>, Vec<Diagnostic>> {
    let file = SourceFile::read(root, rel).map_err(|d| vec![d])?;
    let fm = file.split_front_matter().map_err(|d| vec![d])?;
    let body_offset = fm.body_offset;
    let head = parse(&file, &fm)?;
    Ok(Parsed {
        file,
        head,
        body_offset,
    })
}

/// Regular files below `root/dir`, relative to `root`, in name order.
/// Symbolic links are reported and skipped, so nothing outside the site
/// folder is ever read or copied.
pub(crate) fn files_under(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(root) {
                    files.push(rel.to_path_buf());
                }
            }
            Ok(e) if e.path_is_symlink() => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diagnostics.push(symlink_warning(rel));
            }
            Ok(_) => {}
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(dir);
                diagnostics.push(Diagnostic::file_error(rel, format!("cannot read: {e}")));
            }
        }
    }
    files
}

fn symlink_warning(rel: &Path) -> Diagnostic {
    Diagnostic::file_error(
        rel,
        "symbolic links are not followed; this entry is not used",
    )
    .as_warning()
    .with_help("copy the file into the site folder instead of linking it")
}

/// Hidden files and editors' backup files are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// A relative path written with `/`, as used in URLs and link lookups.
pub fn site_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
