//! One standing page, the home page's intro, a questionnaire or an issue's
//! `issue.md` edited in place, read again alone: what `serve` does when the
//! rest of the site folder is as it was. The new model is made here, its
//! Markdown rendered with the site's link index; whether the other pages
//! still show the same of it is for the render stage to say
//! (`render::after_edit`), and only then is it put in place
//! ([`Site::put`]).

use std::path::Path;

use super::questionnaires::{self, Planned};
use super::{Bodies, Site, issue_from, page_from, page_slug, render_intro};
use crate::content::load::{self, CONTENT_DIR, INTRO_FILE};
use crate::content::{Intro, Issue, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{MarkdownCache, MarkdownContext};
use crate::paths;
use crate::selfcheck::Questionnaire;

/// A file of the site read again: its new model, with its place in the
/// site's list, not yet put in place.
#[derive(Debug)]
pub enum SourceEdit {
    /// Standing page `.0` of the site's pages.
    Page(usize, Page),
    /// Questionnaire `.0` of the site's questionnaires.
    Questionnaire(usize, Questionnaire),
    /// The home page's intro, `content/index.md`.
    Intro(Intro),
    /// Issue `.0` of the site's issues, from its `issue.md`: its articles
    /// stay those of the site.
    Issue(usize, Issue),
}

impl Site {
    /// Reads the standing page, home-page intro, questionnaire or
    /// `issue.md` at `rel` (from the site folder) again, rendering its
    /// Markdown with the site's link index through `cache`; with its
    /// warnings. `None` when the site has no such file (a new or removed
    /// one, or a draft left out) or the file has errors: the site must be
    /// loaded again, which reports them.
    pub fn reread(&self, rel: &Path, cache: &MarkdownCache) -> Option<(SourceEdit, Diagnostics)> {
        if !self.root.join(rel).is_file() {
            return None;
        }
        let bodies = self.bodies(cache);
        let (edit, found) = if rel == Path::new(CONTENT_DIR).join(INTRO_FILE) {
            self.reread_intro(rel, bodies)?
        } else if let Some(at) = self.pages.iter().position(|p| p.source == rel) {
            let parsed = load::read_page(&self.root, rel).ok()?;
            let path = paths::standing(&page_slug(&parsed).ok()?);
            let (page, found) = page_from(parsed, path, bodies);
            (SourceEdit::Page(at, page), found)
        } else if let Some(at) = self.questionnaires.iter().position(|q| q.source == rel) {
            let parsed = load::read_questionnaire(&self.root, rel, &self.config).ok()?;
            let slug = questionnaires::slug(&parsed, &mut Diagnostics::new())?;
            let path = paths::questionnaire(&slug);
            let (q, found) = questionnaires::render_one(Planned { parsed, path }, bodies);
            (SourceEdit::Questionnaire(at, q), found)
        } else {
            self.reread_issue(rel, bodies)?
        };
        let problems: Diagnostics = found.into_iter().collect();
        (!problems.has_errors()).then_some((edit, problems))
    }

    /// The home page's intro read again: only one the site shows, and not
    /// a draft (whether a draft is shown is the build's choice).
    fn reread_intro(
        &self,
        rel: &Path,
        bodies: Bodies<'_>,
    ) -> Option<(SourceEdit, Vec<Diagnostic>)> {
        self.intro.as_ref()?;
        let parsed = load::read_page(&self.root, rel).ok()?;
        if parsed.head.draft {
            return None;
        }
        let mut found = Diagnostics::new();
        let intro = render_intro(parsed, bodies, &mut found);
        Some((SourceEdit::Intro(intro), found.into_iter().collect()))
    }

    /// An issue's `issue.md` read again.
    fn reread_issue(
        &self,
        rel: &Path,
        bodies: Bodies<'_>,
    ) -> Option<(SourceEdit, Vec<Diagnostic>)> {
        let at = self.issues.iter().position(|i| i.source == rel)?;
        let parsed = load::read_issue(&self.root, rel, &self.config).ok()?;
        // Only the cover the issue has is known to be there without
        // reading its folder; another one loads the site again.
        let old = self.issues[at].cover.as_deref();
        let path = paths::issue(parsed.head.number.value);
        let has_cover = |inside: &str| old == Some(&format!("{path}{inside}"));
        let dir = rel.parent().unwrap_or(rel);
        let (issue, found) = issue_from(parsed, dir, has_cover, bodies);
        Some((SourceEdit::Issue(at, issue), found))
    }

    /// Puts a file read again in place of its old self.
    pub fn put(&mut self, edit: SourceEdit) {
        match edit {
            SourceEdit::Page(at, page) => self.pages[at] = page,
            SourceEdit::Questionnaire(at, q) => self.questionnaires[at] = q,
            SourceEdit::Intro(intro) => self.intro = Some(intro),
            SourceEdit::Issue(at, mut issue) => {
                issue.articles = std::mem::take(&mut self.issues[at].articles);
                self.issues[at] = issue;
            }
        }
    }

    /// How Markdown bodies render against the site as built.
    pub(super) fn bodies<'a>(&'a self, cache: &'a MarkdownCache) -> Bodies<'a> {
        Bodies {
            ctx: MarkdownContext {
                links: &self.links,
                base: &self.config.base_url,
                options: self.config.markdown,
                media: &self.media,
            },
            cache: Some(cache),
            links_fingerprint: self.links_fingerprint,
            wechat: self.wechat.as_ref().map(|w| {
                let markdown = MarkdownContext {
                    links: &self.links,
                    base: &self.config.base_url,
                    options: self.config.markdown,
                    media: &self.media,
                };
                w.context(markdown, &self.config)
            }),
        }
    }
}
