//! Which files a rebuild that does not render everything puts in the
//! output again, written in render's [`Job`]s: the pages an article's edit
//! touches, and static files changed in place.

use std::path::{Path, PathBuf};

use crate::content::Article;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::theme::ThemeFile;
use crate::render::{self, Job, Theme, selfcheck};
use crate::site::{ArticleRef, Lists, Site};

/// The files to render again after article `at` was edited in place, given
/// the article as it was and the lists `before` the edit; `None` when
/// everything must be rendered again.
pub fn after_article_edit(
    before: &Lists,
    previous: &Article,
    site: &Site,
    at: ArticleRef,
) -> Option<Vec<Job>> {
    if same_card(previous, site.article(at).1) {
        Some(after_body_edit(site, at))
    } else {
        render::jobs_after_article_edit(before, site, at)
    }
}

/// Whether every list and neighbour shows the article as before: all that
/// changed is its text, seen only on its own page, in its issue's booklet,
/// in the feeds and in the search index.
fn same_card(old: &Article, new: &Article) -> bool {
    old.title == new.title
        && old.path == new.path
        && old.summary == new.summary
        && old.date == new.date
        && old.audiences == new.audiences
        && old.authors == new.authors
        && old.draft == new.draft
        && old.weight == new.weight
        && old.reading_minutes == new.reading_minutes
        && old.media == new.media
}

/// The pages that show an article's text: its own page, its issue's
/// booklet, the feeds that carry it (each holds its list's newest
/// `[feeds] limit` articles, text included) and the search index.
fn after_body_edit(site: &Site, at: ArticleRef) -> Vec<Job> {
    let limit = site.config.feed_limit.get();
    let carries = |list: &[ArticleRef]| list.iter().take(limit).any(|r| *r == at);
    let mut jobs = vec![Job::Article(at), Job::Print(at.issue), Job::SearchIndex];
    if carries(&site.newest) {
        jobs.push(Job::Feed(None));
    }
    jobs.extend(
        (0..site.by_audience.len())
            .filter(|&i| carries(&site.by_audience[i]))
            .map(|i| Job::Feed(Some(i))),
    );
    jobs
}

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
    (!hidden && !selfcheck::leaves_out(site, path)).then(|| path.clone())
}

fn read(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostics> {
    std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::file_error(rel, format!("cannot read the file: {e}"))
            .with_help("check that the file is readable")
            .into()
    })
}
