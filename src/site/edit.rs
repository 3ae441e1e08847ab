//! One article's file edited, applied to a built [`Site`] without reading
//! the rest of the site folder: what `serve` does on the most common save.
//! Only an edit that leaves every URL and the reading order alone is
//! applied here; anything else asks for a whole build.

use std::path::Path;

use super::{ArticleRef, Site, article_from, audience_lists, lessons, newest_articles};
use crate::content::{Article, load};
use crate::diagnostics::Diagnostics;
use crate::markdown::MarkdownCache;

/// The site-wide lists of articles as they were before an edit.
#[derive(Debug)]
pub struct Lists {
    /// Every article, newest first.
    pub newest: Vec<ArticleRef>,
    /// Each audience's articles, newest first.
    pub by_audience: Vec<Vec<ArticleRef>>,
    /// Every article with audio or video, newest first.
    pub lessons: Vec<ArticleRef>,
}

/// What became of an edit to one article's file.
#[derive(Debug)]
pub enum ArticleEdit {
    /// The site with the article read again.
    Applied {
        /// The new site.
        site: Site,
        /// Where the article is.
        at: ArticleRef,
        /// The lists before the edit, to tell which list pages changed.
        before: Lists,
        /// The article as it was, to tell what its edit changed.
        previous: Box<Article>,
        /// The article's warnings.
        warnings: Diagnostics,
    },
    /// The file has errors; the site is as it was.
    Failed {
        /// The site, unchanged.
        site: Site,
        /// What is wrong with the file.
        problems: Diagnostics,
    },
    /// The edit changes more than the article itself (its URL, its place in
    /// the issue, whether it is built, how many pages a section has), or the
    /// file is not an article of this site: build everything.
    Rebuild(Site),
}

impl Site {
    /// Reads the article at `rel` (from the site folder) again and puts it
    /// in place of its old self, rendering its Markdown through `cache`.
    pub fn with_article_edited(mut self, rel: &Path, cache: &MarkdownCache) -> ArticleEdit {
        // A new or removed file changes the site's pages.
        let Some(at) = self
            .article_at(rel)
            .filter(|_| self.root.join(rel).is_file())
        else {
            return ArticleEdit::Rebuild(self);
        };
        let parsed = match load::read_article(&self.root, rel, &self.config) {
            Ok(parsed) => parsed,
            Err(problems) => {
                return ArticleEdit::Failed {
                    site: self,
                    problems: problems.into_iter().collect(),
                };
            }
        };
        let (issue, old) = self.article(at);
        // A slug left out keeps the one the file name or position gave.
        let slug = match &parsed.head.slug {
            Some(given) => given.value.clone(),
            None if !old.slug_given => old.slug.clone(),
            None => return ArticleEdit::Rebuild(self),
        };
        if slug != old.slug || parsed.head.weight != old.weight || parsed.head.draft != old.draft {
            return ArticleEdit::Rebuild(self);
        }
        let bodies = self.bodies(cache);
        let issue_path = issue.path();
        let has_file = |site_path: &str| self.files.iter().any(|f| f.path == site_path);
        let (article, found) =
            article_from(parsed, slug, (&issue_path, issue.date), &has_file, bodies);
        // The crops and every other 正文 linking it depend on these.
        let wechat_of = |a: &crate::content::Article| {
            (
                a.wechat_url.clone(),
                a.wechat.as_ref().map(|w| w.crop_from.clone()),
            )
        };
        if wechat_of(&article) != wechat_of(old) {
            return ArticleEdit::Rebuild(self);
        }
        let mut problems = Diagnostics::new();
        problems.extend(found);
        if problems.has_errors() {
            return ArticleEdit::Failed {
                site: self,
                problems,
            };
        }
        let previous = std::mem::replace(&mut self.issues[at.issue].articles[at.article], article);
        let newest = newest_articles(&self.issues);
        let by_audience = audience_lists(&self.config, &self.issues, &newest);
        // A section that gains or loses a page changes the plan's URLs,
        // which every body's links were checked against: build everything.
        let per_page = self.config.per_page.get();
        let pages = |lists: &[Vec<ArticleRef>]| -> Vec<usize> {
            lists
                .iter()
                .map(|l| l.len().div_ceil(per_page).max(1))
                .collect()
        };
        if pages(&by_audience) != pages(&self.by_audience) {
            return ArticleEdit::Rebuild(self);
        }
        let lessons = lessons(&self.issues, &newest);
        let before = Lists {
            newest: std::mem::replace(&mut self.newest, newest),
            by_audience: std::mem::replace(&mut self.by_audience, by_audience),
            lessons: std::mem::replace(&mut self.lessons, lessons),
        };
        ArticleEdit::Applied {
            site: self,
            at,
            before,
            previous: Box::new(previous),
            warnings: problems,
        }
    }

    /// Where the article read from `rel` (from the site folder) is.
    pub fn article_at(&self, rel: &Path) -> Option<ArticleRef> {
        self.issues.iter().enumerate().find_map(|(i, issue)| {
            let a = issue.articles.iter().position(|a| a.source == rel)?;
            Some(ArticleRef {
                issue: i,
                article: a,
            })
        })
    }
}
