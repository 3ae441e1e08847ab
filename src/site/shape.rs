//! The site's [`Shape`], which the page plan is made from: of the finished
//! [`Site`], and of the sources before their bodies render ([`Outline`]),
//! so that Markdown links to generated pages can be checked against the
//! same plan that render walks.

use crate::config::SiteConfig;
use crate::content::front_matter::PageHead;
use crate::content::load::Parsed;
use crate::paths;
use crate::plan::{ArticleRef, Shape};

use super::{Planned, Site, questionnaires};

impl Shape for Site {
    fn issues(&self) -> usize {
        self.issues.len()
    }

    fn issue_path(&self, i: usize) -> String {
        self.issues[i].path()
    }

    fn articles(&self, i: usize) -> usize {
        self.issues[i].articles.len()
    }

    fn article_path(&self, r: ArticleRef) -> String {
        self.article(r).1.path.clone()
    }

    fn audiences(&self) -> usize {
        self.config.audiences.len()
    }

    fn audience_key(&self, a: usize) -> &str {
        self.config.audiences[a].key.as_str()
    }

    fn audience_pages(&self, a: usize) -> usize {
        Site::audience_pages(self, a)
    }

    fn standing_pages(&self) -> usize {
        self.pages.len()
    }

    fn standing_path(&self, p: usize) -> String {
        self.pages[p].path.clone()
    }

    fn questionnaires(&self) -> usize {
        self.questionnaires.len()
    }

    fn questionnaire_path(&self, q: usize) -> String {
        self.questionnaires[q].path.clone()
    }

    fn has_lessons(&self) -> bool {
        !self.lessons.is_empty()
    }

    fn has_wechat(&self) -> bool {
        self.config.wechat.is_some()
    }
}

/// The site as planned, before any Markdown is rendered.
pub(super) struct Outline<'a> {
    /// The settings.
    pub(super) config: &'a SiteConfig,
    /// Issues with their articles' slugs, in no particular order.
    pub(super) issues: &'a [Planned],
    /// Standing pages with their site paths.
    pub(super) pages: &'a [(Parsed<PageHead>, String)],
    /// Questionnaires with their site paths.
    pub(super) questionnaires: &'a [questionnaires::Planned],
}

impl Shape for Outline<'_> {
    fn issues(&self) -> usize {
        self.issues.len()
    }

    fn issue_path(&self, i: usize) -> String {
        paths::issue(self.issues[i].source.issue.head.number.value)
    }

    fn articles(&self, i: usize) -> usize {
        self.issues[i].slugs.len()
    }

    fn article_path(&self, r: ArticleRef) -> String {
        paths::article(
            &self.issue_path(r.issue),
            &self.issues[r.issue].slugs[r.article],
        )
    }

    fn audiences(&self) -> usize {
        self.config.audiences.len()
    }

    fn audience_key(&self, a: usize) -> &str {
        self.config.audiences[a].key.as_str()
    }

    fn audience_pages(&self, a: usize) -> usize {
        let key = &self.config.audiences[a].key;
        let count = self
            .issues
            .iter()
            .flat_map(|p| &p.source.articles)
            .filter(|a| a.head.audiences.is_empty() || a.head.audiences.contains(key))
            .count();
        count.div_ceil(self.config.per_page.get()).max(1)
    }

    fn standing_pages(&self) -> usize {
        self.pages.len()
    }

    fn standing_path(&self, p: usize) -> String {
        self.pages[p].1.clone()
    }

    fn questionnaires(&self) -> usize {
        self.questionnaires.len()
    }

    fn questionnaire_path(&self, q: usize) -> String {
        self.questionnaires[q].path.clone()
    }

    /// Bodies are not rendered yet; whether `/lessons/` is in the sitemap
    /// does not change which pages exist.
    fn has_lessons(&self) -> bool {
        false
    }

    fn has_wechat(&self) -> bool {
        self.config.wechat.is_some()
    }
}
