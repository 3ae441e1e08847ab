//! The page plan: every output URL of the site with its page kind, known
//! before anything is rendered. Render walks it; the sitemap, the link
//! checking of Markdown links to generated pages, `check` and `serve` read
//! it, so the list of pages is written once, here.
//!
//! The plan needs only the site's [`Shape`] (how many issues, articles,
//! audience pages …, and their paths), so it can be made from the sources
//! before any Markdown is rendered, and again from the finished site.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::paths;

/// Points at one article: `site.issues[issue].articles[article]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArticleRef {
    /// Index into the site's issues.
    pub issue: usize,
    /// Index into that issue's articles.
    pub article: usize,
}

/// What one planned URL is: every kind has its own module in
/// `render::pages` that says what the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The home page.
    Home,
    /// The issue archive.
    Archive,
    /// Issue `i` of the site's issues.
    Issue(usize),
    /// One article.
    Article(ArticleRef),
    /// Page `page` (from 1) of the section of audience `audience`.
    Audience {
        /// Index into the site's audiences.
        audience: usize,
        /// Page number, from 1.
        page: usize,
    },
    /// Standing page `i` of the site's pages.
    Standing(usize),
    /// The not-found page.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// The feed of every article (`None`) or of one audience.
    Feed(Option<usize>),
    /// The site's QR poster sheet.
    QrSite,
    /// The QR sheet of issue `i`.
    QrIssue(usize),
    /// The print booklet of issue `i`.
    Print(usize),
    /// The list of every self-check questionnaire.
    SelfcheckList,
    /// Questionnaire `i` of the site's questionnaires.
    Selfcheck(usize),
    /// `/lessons/`: every article with audio or video.
    Lessons,
    /// The search page.
    Search,
    /// The search index's files (the plan names its manifest).
    SearchIndex,
    /// `/wechat/`: every article's 公众号 page, for editors.
    WechatList,
    /// An article's 公众号 page.
    Wechat(ArticleRef),
    /// An article's 公众号 正文 alone, `article.html`.
    WechatFragment(ArticleRef),
    /// The QR code (PNG) of an article's address, for its 正文.
    WechatQr(ArticleRef),
    /// The QR code (PNG) of questionnaire `i`'s address, for the 正文
    /// that link it.
    WechatSelfcheckQr(usize),
}

/// What the plan needs to know of a site to name every page. Implemented
/// by the finished site and by the sources before their bodies render.
pub trait Shape {
    /// How many issues.
    fn issues(&self) -> usize;
    /// The site path of issue `i`.
    fn issue_path(&self, i: usize) -> String;
    /// How many articles issue `i` has.
    fn articles(&self, i: usize) -> usize;
    /// The site path of an article.
    fn article_path(&self, r: ArticleRef) -> String;
    /// How many audiences.
    fn audiences(&self) -> usize;
    /// The URL key of audience `a`.
    fn audience_key(&self, a: usize) -> &str;
    /// How many pages the section of audience `a` has (at least one).
    fn audience_pages(&self, a: usize) -> usize;
    /// How many standing pages.
    fn standing_pages(&self) -> usize;
    /// The site path of standing page `p`.
    fn standing_path(&self, p: usize) -> String;
    /// How many questionnaires.
    fn questionnaires(&self) -> usize;
    /// The site path of questionnaire `q`.
    fn questionnaire_path(&self, q: usize) -> String;
    /// Whether any article has audio or video (only the sitemap cares).
    fn has_lessons(&self) -> bool;
    /// Whether every article also gets a 公众号 page (`[wechat]`).
    fn has_wechat(&self) -> bool;
}

impl PageKind {
    /// The site path of this page in a site of `shape`.
    pub fn path(self, shape: &impl Shape) -> String {
        match self {
            PageKind::Home => paths::HOME.to_owned(),
            PageKind::Archive => paths::ARCHIVE.to_owned(),
            PageKind::Issue(i) => shape.issue_path(i),
            PageKind::Article(r) => shape.article_path(r),
            PageKind::Audience { audience, page } => {
                paths::audience_page(shape.audience_key(audience), page)
            }
            PageKind::Standing(p) => shape.standing_path(p),
            PageKind::NotFound => paths::NOT_FOUND.to_owned(),
            PageKind::Sitemap => paths::SITEMAP.to_owned(),
            PageKind::Feed(None) => paths::SITE_FEED.to_owned(),
            PageKind::Feed(Some(a)) => paths::audience_feed(shape.audience_key(a)),
            PageKind::QrSite => paths::QR_SHEET.to_owned(),
            PageKind::QrIssue(i) => paths::issue_qr(&shape.issue_path(i)),
            PageKind::Print(i) => paths::issue_print(&shape.issue_path(i)),
            PageKind::SelfcheckList => paths::SELFCHECK_LIST.to_owned(),
            PageKind::Selfcheck(q) => shape.questionnaire_path(q),
            PageKind::Lessons => paths::LESSONS.to_owned(),
            PageKind::Search => paths::SEARCH.to_owned(),
            PageKind::SearchIndex => paths::SEARCH_MANIFEST.to_owned(),
            PageKind::WechatList => paths::WECHAT_LIST.to_owned(),
            PageKind::Wechat(r) => paths::wechat_article(&shape.article_path(r)),
            PageKind::WechatFragment(r) => {
                paths::wechat_fragment(&paths::wechat_article(&shape.article_path(r)))
            }
            PageKind::WechatQr(r) => paths::wechat_qr(&shape.article_path(r)),
            PageKind::WechatSelfcheckQr(q) => paths::wechat_qr(&shape.questionnaire_path(q)),
        }
    }

    /// Whether the sitemap lists this page: the pages a reader looks for,
    /// not the sheets made for printing on a notice board, the feeds, the
    /// search page, the 404 page or the editors' 公众号 pages. `/lessons/`
    /// only when it lists any.
    pub fn in_sitemap(self, shape: &impl Shape) -> bool {
        match self {
            PageKind::Home
            | PageKind::Archive
            | PageKind::Issue(_)
            | PageKind::Article(_)
            | PageKind::Audience { .. }
            | PageKind::Standing(_)
            | PageKind::Print(_)
            | PageKind::SelfcheckList
            | PageKind::Selfcheck(_) => true,
            PageKind::Lessons => shape.has_lessons(),
            PageKind::NotFound
            | PageKind::Sitemap
            | PageKind::Feed(_)
            | PageKind::QrSite
            | PageKind::QrIssue(_)
            | PageKind::Search
            | PageKind::SearchIndex
            | PageKind::WechatList
            | PageKind::Wechat(_)
            | PageKind::WechatFragment(_)
            | PageKind::WechatQr(_)
            | PageKind::WechatSelfcheckQr(_) => false,
        }
    }

    /// The kind's name, as `check` counts pages: `article`, `audience` …
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Archive => "archive",
            PageKind::Issue(_) => "issue",
            PageKind::Article(_) => "article",
            PageKind::Audience { .. } => "audience",
            PageKind::Standing(_) => "standing",
            PageKind::NotFound => "404",
            PageKind::Sitemap => "sitemap",
            PageKind::Feed(_) => "feed",
            PageKind::QrSite | PageKind::QrIssue(_) => "qr",
            PageKind::Print(_) => "print",
            PageKind::SelfcheckList => "selfcheck-list",
            PageKind::Selfcheck(_) => "selfcheck",
            PageKind::Lessons => "lessons",
            PageKind::Search => "search",
            PageKind::SearchIndex => "search-index",
            PageKind::WechatList | PageKind::Wechat(_) => "wechat",
            PageKind::WechatFragment(_) => "wechat-fragment",
            PageKind::WechatQr(_) | PageKind::WechatSelfcheckQr(_) => "wechat-qr",
        }
    }
}

/// One planned URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its site path (`issues/3/`, `feed.xml`).
    pub path: String,
    /// What it is.
    pub kind: PageKind,
    /// Whether the sitemap lists it.
    pub in_sitemap: bool,
}

/// Every URL the site makes itself, in a fixed order: the sitemap's order
/// for the pages it lists.
#[derive(Debug, Clone)]
pub struct Plan {
    entries: Vec<Entry>,
}

impl Plan {
    /// The plan of a site of `shape`.
    pub fn new(shape: &impl Shape) -> Plan {
        let entry = |kind: PageKind| Entry {
            path: kind.path(shape),
            in_sitemap: kind.in_sitemap(shape),
            kind,
        };
        let entries = kinds(shape).into_iter().map(entry).collect();
        Plan { entries }
    }

    /// Every planned URL.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many URLs of each kind, in the plan's order of kinds.
    pub fn summary(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for e in &self.entries {
            let name = e.kind.name();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => counts.push((name, 1)),
            }
        }
        counts
    }
}

/// Every page kind of a site of `shape`, in the plan's order.
fn kinds(shape: &impl Shape) -> Vec<PageKind> {
    let mut kinds = vec![PageKind::Home, PageKind::Archive];
    for i in 0..shape.issues() {
        kinds.extend([PageKind::Issue(i), PageKind::Print(i), PageKind::QrIssue(i)]);
        kinds.extend(
            (0..shape.articles(i))
                .map(|article| PageKind::Article(ArticleRef { issue: i, article })),
        );
    }
    for audience in 0..shape.audiences() {
        kinds.extend(
            (1..=shape.audience_pages(audience)).map(|page| PageKind::Audience { audience, page }),
        );
        kinds.push(PageKind::Feed(Some(audience)));
    }
    kinds.extend((0..shape.standing_pages()).map(PageKind::Standing));
    if shape.questionnaires() > 0 {
        kinds.push(PageKind::SelfcheckList);
        kinds.extend((0..shape.questionnaires()).map(PageKind::Selfcheck));
    }
    if shape.has_wechat() {
        kinds.push(PageKind::WechatList);
        for issue in 0..shape.issues() {
            for article in 0..shape.articles(issue) {
                let r = ArticleRef { issue, article };
                kinds.extend([
                    PageKind::Wechat(r),
                    PageKind::WechatFragment(r),
                    PageKind::WechatQr(r),
                ]);
            }
        }
        kinds.extend((0..shape.questionnaires()).map(PageKind::WechatSelfcheckQr));
    }
    kinds.extend([
        PageKind::Lessons,
        PageKind::Search,
        PageKind::SearchIndex,
        PageKind::Feed(None),
        PageKind::QrSite,
        PageKind::Sitemap,
        PageKind::NotFound,
    ]);
    kinds
}

/// Which source claimed each URL first, while the sources get their URLs.
#[derive(Default)]
pub struct Claims {
    owners: HashMap<String, PathBuf>,
}

impl Claims {
    /// Claims `path` for `source` (relative to the site folder), or names
    /// the source that has it already.
    pub fn claim(&mut self, path: &str, source: &Path) -> Result<(), PathBuf> {
        match self.owners.get(path) {
            Some(other) => Err(other.clone()),
            None => {
                self.owners.insert(path.to_owned(), source.to_path_buf());
                Ok(())
            }
        }
    }
}
