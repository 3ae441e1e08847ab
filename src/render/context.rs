//! What templates see. Everything is computed here in Rust (links, dates,
//! lists); templates only lay it out. Each page context carries only what
//! that page shows.

use std::sync::OnceLock;

use serde::Serialize;

use crate::config::{Audience, Hotline};
use crate::content::{Article, Issue, PubDate};
use crate::paths;
use crate::site::{ArticleRef, Site};

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    /// The journal's name.
    pub title: &'a str,
    /// What it is.
    pub description: &'a str,
    /// `lang` of the pages.
    pub language: &'a str,
    /// The base path, for theme files: `/weikan/`.
    pub base_path: &'a str,
    /// Link to the home page.
    pub home_url: String,
    /// Link to the issue archive.
    pub issues_url: String,
    /// Audiences in home-page order.
    pub audiences: Vec<AudienceLink<'a>>,
    /// Help lines for the bar on every page.
    pub hotlines: Vec<HotlineLink<'a>>,
    /// The link to the hotlines page, when the site has one.
    pub hotlines_url: Option<String>,
    /// Standing pages in menu order.
    pub menu: Vec<MenuLink<'a>>,
    /// `og:locale`: the language tag written the Open Graph way (`zh_CN`).
    pub og_locale: String,
}

/// An audience with its section link.
#[derive(Serialize, Clone)]
pub struct AudienceLink<'a> {
    /// URL key, also a CSS class hook.
    pub key: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
    /// Link to its section.
    pub url: String,
}

/// A help line.
#[derive(Serialize)]
pub struct HotlineLink<'a> {
    /// What it is.
    pub name: &'a str,
    /// As printed.
    pub number: &'a str,
    /// `tel:` URI.
    pub tel: String,
    /// When it answers.
    pub hours: &'a str,
}

/// A standing page in the menu.
#[derive(Serialize)]
pub struct MenuLink<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its link.
    pub url: String,
    /// Its navigation key, matched against `page.section`.
    pub section: String,
}

impl<'a> SiteContext<'a> {
    /// Computed once per build.
    pub fn new(site: &'a Site) -> Self {
        let base = &site.config.base_url;
        SiteContext {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_path: base.path(),
            home_url: base.link(paths::HOME),
            issues_url: base.link(paths::ARCHIVE),
            audiences: site
                .config
                .audiences
                .iter()
                .map(|a| audience_link(site, a))
                .collect(),
            hotlines: site.config.hotlines.iter().map(hotline_link).collect(),
            hotlines_url: site
                .pages
                .iter()
                .find(|p| p.path == paths::HOTLINES_PAGE)
                .map(|p| base.link(&p.path)),
            menu: site
                .pages
                .iter()
                .map(|p| MenuLink {
                    title: &p.title,
                    url: base.link(&p.path),
                    section: page_section(&p.path),
                })
                .collect(),
            og_locale: site.config.language.replace('-', "_"),
        }
    }
}

/// An audience with the link to its section.
pub fn audience_link<'a>(site: &Site, a: &'a Audience) -> AudienceLink<'a> {
    AudienceLink {
        key: a.key.as_str(),
        name: &a.name,
        description: &a.description,
        url: site.config.base_url.link(&paths::audience(a.key.as_str())),
    }
}

fn hotline_link(h: &Hotline) -> HotlineLink<'_> {
    HotlineLink {
        name: &h.name,
        number: &h.number,
        tel: h.tel(),
        hours: &h.hours,
    }
}

/// The navigation key of a standing page at `path`.
pub fn page_section(path: &str) -> String {
    format!("page-{}", path.trim_end_matches('/'))
}

/// `page` in every template: what the page is, for `<head>` and navigation.
#[derive(Serialize)]
pub struct PageMeta {
    /// Which kind of page: home, issues, issue, article, audience, page, 404.
    pub kind: &'static str,
    /// The `<title>` before the site's name; empty on the home page.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// Absolute URL of this page (none for 404).
    pub canonical: Option<String>,
    /// Navigation key of the section this page belongs to.
    pub section: String,
    /// The feed this page offers, for `<link rel="alternate">`.
    pub feed: Option<FeedLink>,
    /// Absolute URL of the picture a chat app shows in the link's card.
    pub image: Option<String>,
}

impl PageMeta {
    /// A page's meta data without a feed or a picture.
    pub fn new(
        kind: &'static str,
        title: impl Into<String>,
        description: impl Into<String>,
        canonical: Option<String>,
        section: impl Into<String>,
    ) -> Self {
        PageMeta {
            kind,
            title: title.into(),
            description: description.into(),
            canonical,
            section: section.into(),
            feed: None,
            image: None,
        }
    }
}

/// A feed offered by a page.
#[derive(Serialize)]
pub struct FeedLink {
    /// The feed's title.
    pub title: String,
    /// Link to it.
    pub url: String,
}

/// A link to an issue, with what a list of issues shows.
#[derive(Serialize)]
pub struct IssueCard<'a> {
    /// Its number.
    pub number: u32,
    /// Its theme.
    pub title: &'a str,
    /// Publication date.
    pub date: PubDate,
    /// Its blurb.
    pub summary: &'a str,
    /// Link to it.
    pub url: String,
    /// Link to its cover image.
    pub cover: Option<String>,
    /// How many articles it has.
    pub article_count: usize,
    /// Whether it is a draft.
    pub draft: bool,
}

/// A link to an article, with what a list of articles shows.
#[derive(Serialize, Clone)]
pub struct ArticleCard<'a> {
    /// Its title.
    pub title: &'a str,
    /// Link to it.
    pub url: String,
    /// Its summary.
    pub summary: &'a str,
    /// Publication date.
    pub date: PubDate,
    /// Who it is for (empty: everyone).
    pub audiences: Vec<AudienceLink<'a>>,
    /// The issue it is in.
    pub issue_number: u32,
    /// That issue's theme.
    pub issue_title: &'a str,
    /// Whether it is a draft.
    pub draft: bool,
    /// Minutes to read it.
    pub reading_minutes: u32,
}

/// Article cards, each issue's made the first time a page needs them:
/// a whole build makes every card once, while the few pages `serve` renders
/// again after an edit make only the cards they show.
pub struct Cards<'a> {
    site: &'a Site,
    issues: Vec<OnceLock<Vec<ArticleCard<'a>>>>,
}

impl<'a> Cards<'a> {
    /// No card made yet.
    pub fn new(site: &'a Site) -> Self {
        Cards {
            site,
            issues: site.issues.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The cards of issue `i`'s articles, in reading order.
    pub fn issue(&self, i: usize) -> &[ArticleCard<'a>] {
        self.issues[i].get_or_init(|| {
            let issue = &self.site.issues[i];
            issue
                .articles
                .iter()
                .map(|a| article_card(self.site, issue, a))
                .collect()
        })
    }

    /// The card of the article `r` points at.
    pub fn get(&self, r: ArticleRef) -> &ArticleCard<'a> {
        &self.issue(r.issue)[r.article]
    }
}

fn article_card<'a>(site: &'a Site, issue: &'a Issue, a: &'a Article) -> ArticleCard<'a> {
    ArticleCard {
        title: &a.title,
        url: site.config.base_url.link(&a.path),
        summary: &a.summary,
        date: a.date,
        audiences: a
            .audiences
            .iter()
            .filter_map(|k| site.config.audience(k))
            .map(|aud| audience_link(site, aud))
            .collect(),
        issue_number: issue.number.get(),
        issue_title: &issue.title,
        draft: a.draft,
        reading_minutes: a.reading_minutes,
    }
}

/// The card for one issue.
pub fn issue_card<'a>(site: &'a Site, issue: &'a Issue) -> IssueCard<'a> {
    let base = &site.config.base_url;
    IssueCard {
        number: issue.number.get(),
        title: &issue.title,
        date: issue.date,
        summary: &issue.summary,
        url: base.link(&issue.path()),
        cover: issue.cover.as_ref().map(|c| base.link(c)),
        article_count: issue.articles.len(),
        draft: issue.draft,
    }
}

/// The pager of an audience section.
#[derive(Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages there are.
    pub total: usize,
    /// Link to the previous page.
    pub prev_url: Option<String>,
    /// Link to the next page.
    pub next_url: Option<String>,
    /// Every page's number and link.
    pub pages: Vec<PagerLink>,
}

/// One numbered link of a pager.
#[derive(Serialize)]
pub struct PagerLink {
    /// Page number.
    pub number: usize,
    /// Its link.
    pub url: String,
    /// Whether pages are left out before this one (shown as …).
    pub gap_before: bool,
}

/// The page numbers a pager shows on page `current` of `total`: the first
/// and last pages and two either side of the current one, each with whether
/// a gap precedes it. A constant number of links, so a long section does
/// not make every one of its pages longer.
pub fn pager_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    const AROUND: usize = 2;
    let near = current.saturating_sub(AROUND).max(1)..=(current + AROUND).min(total);
    let mut shown: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .filter(|&p| p >= 1 && p <= total)
        .collect();
    shown.dedup();
    let mut window = Vec::with_capacity(shown.len() + 2);
    let mut previous = 0;
    for p in shown {
        // An ellipsis for a single page would hide nothing: show the page.
        if p == previous + 2 {
            window.push((previous + 1, false));
        }
        window.push((p, p > previous + 2));
        previous = p;
    }
    window
}

#[cfg(test)]
mod tests {
    use super::pager_window;

    #[test]
    fn a_pager_shows_the_ends_and_the_neighbourhood() {
        assert_eq!(pager_window(1, 1), [(1, false)]);
        assert_eq!(
            pager_window(1, 4),
            [(1, false), (2, false), (3, false), (4, false)]
        );
        assert_eq!(
            pager_window(10, 230),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (230, true)
            ]
        );
        assert_eq!(
            pager_window(230, 230),
            [(1, false), (228, true), (229, false), (230, false)]
        );
        // A gap of one page is shown as that page, not an ellipsis.
        assert_eq!(
            pager_window(5, 10),
            [
                (1, false),
                (2, false),
                (3, false),
                (4, false),
                (5, false),
                (6, false),
                (7, false),
                (10, true)
            ]
        );
    }
}
