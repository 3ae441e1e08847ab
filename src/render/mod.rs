//! Rendering: a pure function from the validated [`Site`] and a [`Theme`] to
//! the [`Output`] map. Pages render in parallel; nothing here touches the
//! output folder.

pub mod context;
mod csp;
pub mod print;
pub mod selfcheck;
pub mod theme;

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::Issue;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::feed::{self, Channel};
use crate::lessons;
use crate::output::{Collect, Content, Output, OutputPath, PutError, Sink};
use crate::qr;
use crate::search;
use crate::site::{ArticleRef, Lists, Site};
use crate::sitemap;
use context::{
    ArticleCard, AudienceLink, Cards, FeedLink, PageMeta, Pager, PagerLink, SiteContext,
    audience_feed_path, audience_link, audience_page_path, audience_path, issue_card,
};
pub use theme::Theme;

/// The feed of every article.
const SITE_FEED: &str = "feed.xml";
/// The QR sheet's folder, at the root and in each issue.
const QR_SHEET: &str = "qr/";

/// How many earlier issues the home page lists besides the latest.
const HOME_RECENT_ISSUES: usize = 4;

/// One file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The home page.
    Home,
    /// The issue archive.
    Archive,
    /// Issue `i` of `site.issues`.
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
    /// Standing page `i` of `site.pages`.
    Page(usize),
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
    /// Questionnaire `i` of `site.questionnaires`.
    Selfcheck(usize),
    /// `/lessons/`: every article with audio or video.
    Lessons,
    /// The search page.
    Search,
    /// The search index's files.
    SearchIndex,
}

/// What every template sees besides its page: the site and the page's
/// Content-Security-Policy.
fn set_globals(tera: &mut Tera, site: &Site, theme: &Theme) {
    tera.global_context()
        .insert("site", &SiteContext::new(site));
    tera.global_context().insert("csp", &csp::policy(theme));
}

/// An output path and its bytes, or the template's error.
type RenderedFile = (String, Result<Vec<u8>, Diagnostic>);

/// Renders pages of one site with one theme; everything shared by pages
/// (compiled templates, article cards) is computed once here.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    tera: Cow<'a, Tera>,
    cards: Cards<'a>,
}

impl<'a> Renderer<'a> {
    /// Compiles the theme for `site`.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Result<Self, Diagnostics> {
        let mut tera = theme.compile()?;
        set_globals(&mut tera, site, theme);
        Ok(Renderer {
            site,
            theme,
            tera: Cow::Owned(tera),
            cards: Cards::new(site),
        })
    }

    /// Renders `site` with templates compiled earlier from `theme` (by
    /// [`Theme::compile`]), so that `serve` compiles them only when a
    /// template changes. What every page sees of the site is set here.
    pub fn with_templates(site: &'a Site, theme: &'a Theme, tera: &'a mut Tera) -> Self {
        set_globals(tera, site, theme);
        Renderer {
            site,
            theme,
            tera: Cow::Borrowed(tera),
            cards: Cards::new(site),
        }
    }

    /// The files of one job: (output path, bytes or the template's error).
    /// Most jobs make one page; the search index is many files, made as
    /// they are taken.
    fn files(&self, job: Job) -> Box<dyn Iterator<Item = RenderedFile> + '_> {
        match job {
            Job::SearchIndex => {
                Box::new(search::files(self.site).map(|(path, bytes)| (path, Ok(bytes))))
            }
            _ => Box::new(std::iter::once(render_job(self, job))),
        }
    }

    /// Renders `jobs` in parallel: (output path, bytes) in job order.
    pub fn render(&self, jobs: &[Job]) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
        let rendered: Vec<RenderedFile> = jobs
            .par_iter()
            .flat_map_iter(|job| self.files(*job))
            .collect();
        let mut diagnostics = Diagnostics::new();
        let mut files = Vec::with_capacity(rendered.len());
        for (path, result) in rendered {
            match result {
                Ok(bytes) => files.push((path, bytes)),
                Err(d) => diagnostics.push(d),
            }
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(files)
        }
    }
}

/// Why files could not be put in a [`Sink`].
#[derive(Debug)]
pub enum RenderError {
    /// Problems of the site or theme: template errors, a path taken twice.
    Content(Diagnostics),
    /// Writing failed.
    Io(std::io::Error),
}

/// Renders every page, feed and sheet, and adds the copied files: the
/// whole [`Output`], in memory.
pub fn render(site: &Site, theme: &Theme) -> Result<Output, Diagnostics> {
    render_all(&Renderer::new(site, theme)?)
}

/// Renders every page, feed and sheet into `sink` as each is done, in
/// parallel, and adds the copied files. Nothing waits for the whole site,
/// so memory does not grow with the output.
pub fn render_to(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<(), RenderError> {
    let renderer = Renderer::new(site, theme).map_err(RenderError::Content)?;
    render_with(&renderer, sink)
}

/// Renders the whole [`Output`] in memory with `renderer`.
pub fn render_all(renderer: &Renderer<'_>) -> Result<Output, Diagnostics> {
    let sink = Collect::default();
    match render_with(renderer, &sink) {
        Ok(()) => Ok(sink.into_output()),
        Err(RenderError::Content(problems)) => Err(problems),
        Err(RenderError::Io(e)) => unreachable!("memory does not fail to write: {e}"),
    }
}

/// [`render_to`] with a renderer made beforehand.
pub fn render_with(renderer: &Renderer<'_>, sink: &dyn Sink) -> Result<(), RenderError> {
    let (site, theme) = (renderer.site, renderer.theme);
    let mut diagnostics = Diagnostics::new();
    // Copied files first: a page never has the name of a copied file, and
    // the site's own files must be in before the theme's are checked.
    for file in &site.files {
        let owner = crate::content::load::site_path(&file.source);
        let content = Content::Copy(site.root.join(&file.source));
        put(sink, &file.path, content, owner, &mut diagnostics)?;
    }
    // The site's own files win over the theme's of the same name.
    for (path, file) in &theme.statics {
        if sink.contains(path) || selfcheck::leaves_out(site, path) {
            continue;
        }
        let (content, owner) = match file {
            theme::ThemeFile::Embedded(bytes) => (
                Content::Bytes(bytes.to_vec()),
                format!("the built-in theme's {path}"),
            ),
            theme::ThemeFile::Disk(abs, rel) => (
                Content::Copy(abs.clone()),
                crate::content::load::site_path(rel),
            ),
        };
        put(sink, path, content, owner, &mut diagnostics)?;
    }
    let problems: Vec<Result<Diagnostic, std::io::Error>> = all_jobs(site)
        .par_iter()
        .flat_map_iter(|job| renderer.files(*job))
        .filter_map(|(path, bytes)| {
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(d) => return Some(Ok(d)),
            };
            let mut found = Diagnostics::new();
            let owner = format!("the page /{path}");
            match put(sink, &path, Content::Bytes(bytes), owner, &mut found) {
                Err(RenderError::Io(e)) => Some(Err(e)),
                _ => found.into_iter().next().map(Ok),
            }
        })
        .collect();
    for problem in problems {
        diagnostics.push(problem.map_err(RenderError::Io)?);
    }
    if diagnostics.has_errors() {
        Err(RenderError::Content(diagnostics))
    } else {
        Ok(())
    }
}

/// The files to render again after article `r` was edited in place
/// (same URL, same place in its issue; [`Site::with_article_edited`]), given
/// the lists as they were `before`: the article and its neighbours, its
/// issue, the issue's QR sheet and booklet, the sitemap, the home page when
/// the issue is the latest or an audience's count changed, and in each list
/// the article is or was in, the page showing it (every page of the list
/// when it moved) and the feed when it is among the feed's items. `None`
/// when everything must be rendered again.
pub fn jobs_after_article_edit(before: &Lists, new: &Site, r: ArticleRef) -> Option<Vec<Job>> {
    let per_page = new.config.per_page.get();
    let limit = new.config.feed_limit.get();
    let place = |list: &[ArticleRef]| list.iter().position(|x| *x == r);
    let mut jobs = vec![
        Job::Issue(r.issue),
        Job::QrIssue(r.issue),
        Job::Print(r.issue),
        Job::Sitemap,
        Job::Lessons,
        Job::SearchIndex,
    ];
    // The home page shows the latest issue's articles and each audience's
    // article count.
    let moved_audience = (0..new.by_audience.len())
        .any(|i| place(&before.by_audience[i]).is_some() != place(&new.by_audience[i]).is_some());
    // It also links to /lessons/ when there are any.
    let lessons_changed = before.lessons.is_empty() != new.lessons.is_empty();
    if r.issue == 0 || moved_audience || lessons_changed {
        jobs.push(Job::Home);
    }
    let len = new.issues[r.issue].articles.len();
    let neighbours = [
        r.article.checked_sub(1),
        Some(r.article),
        Some(r.article + 1),
    ];
    jobs.extend(
        neighbours
            .into_iter()
            .flatten()
            .filter(|&a| a < len)
            .map(|a| {
                Job::Article(ArticleRef {
                    issue: r.issue,
                    article: a,
                })
            }),
    );
    let (was, is) = (place(&before.newest), place(&new.newest));
    if was.is_some_and(|p| p < limit) || is.is_some_and(|p| p < limit) {
        jobs.push(Job::Feed(None));
    }
    for i in 0..new.by_audience.len() {
        let (was, is) = (place(&before.by_audience[i]), place(&new.by_audience[i]));
        if was.is_none() && is.is_none() {
            continue;
        }
        let pages_before = before.by_audience[i].len().div_ceil(per_page).max(1);
        if pages_before != new.audience_pages(i) {
            return None;
        }
        match (was, is) {
            // Only this article's sort key can have changed, so when its
            // place is the same, every other article kept its place too.
            (Some(p), Some(q)) if p == q => jobs.push(Job::Audience {
                audience: i,
                page: p / per_page + 1,
            }),
            _ => jobs.extend(
                (1..=new.audience_pages(i)).map(|page| Job::Audience { audience: i, page }),
            ),
        }
        if was.is_some_and(|p| p < limit) || is.is_some_and(|p| p < limit) {
            jobs.push(Job::Feed(Some(i)));
        }
    }
    Some(jobs)
}

/// Puts one file, reporting a path claimed twice or one that is unsafe;
/// only a failed write stops the build at once.
fn put(
    sink: &dyn Sink,
    path: &str,
    content: Content,
    owner: String,
    diagnostics: &mut Diagnostics,
) -> Result<(), RenderError> {
    let problem = match OutputPath::new(path) {
        Ok(p) => match sink.put(p, content, owner.clone()) {
            Ok(()) => return Ok(()),
            Err(PutError::Io(e)) => return Err(RenderError::Io(e)),
            Err(PutError::Taken(other)) => Diagnostic::file_error(
                &owner,
                format!("/{path} would be written twice: also by {other}"),
            )
            .with_help("rename one of the two files"),
        },
        Err(e) => Diagnostic::file_error(&owner, e),
    };
    diagnostics.push(problem);
    Ok(())
}

/// Every page of the site, in a fixed order.
pub fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Sitemap,
        Job::Home,
        Job::Archive,
        Job::NotFound,
        Job::Feed(None),
        Job::QrSite,
        Job::Lessons,
        Job::Search,
        Job::SearchIndex,
    ];
    for (i, issue) in site.issues.iter().enumerate() {
        jobs.push(Job::Issue(i));
        jobs.push(Job::QrIssue(i));
        jobs.push(Job::Print(i));
        jobs.extend((0..issue.articles.len()).map(|a| {
            Job::Article(ArticleRef {
                issue: i,
                article: a,
            })
        }));
    }
    for a in 0..site.by_audience.len() {
        jobs.push(Job::Feed(Some(a)));
        jobs.extend((1..=site.audience_pages(a)).map(|page| Job::Audience { audience: a, page }));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend(selfcheck::jobs(site));
    jobs
}

/// Renders one page: its output path and HTML, or the template's error.
fn render_job(env: &Renderer<'_>, job: Job) -> (String, Result<Vec<u8>, Diagnostic>) {
    let site = env.site;
    let base = &site.config.base_url;
    if let Job::Feed(audience) = job {
        let (path, xml) = render_feed(site, audience);
        return (path, xml.map(String::into_bytes));
    }
    if job == Job::Sitemap {
        return (
            "sitemap.xml".to_owned(),
            Ok(sitemap::render(site).into_bytes()),
        );
    }
    let mut ctx = Context::new();
    let meta = |kind: &'static str,
                title: &str,
                description: &str,
                path: Option<&str>,
                section: String| {
        PageMeta::new(
            kind,
            title,
            description,
            path.map(|p| base.absolute(p)),
            section,
        )
    };
    let cover = |issue: &Issue| issue.cover.as_deref().map(|c| base.absolute(c));
    let (path, template, page) = match job {
        Job::Home => {
            let latest = site.issues.first();
            ctx.insert(
                "intro",
                &site.intro.as_ref().map(|i| Intro {
                    title: &i.title,
                    html: &i.html,
                }),
            );
            ctx.insert("latest", &latest.map(|i| issue_card(site, i)));
            ctx.insert(
                "latest_articles",
                &latest.map_or(&[][..], |_| env.cards.issue(0)),
            );
            let recent: Vec<_> = site
                .issues
                .iter()
                .skip(1)
                .take(HOME_RECENT_ISSUES)
                .map(|i| issue_card(site, i))
                .collect();
            ctx.insert("recent_issues", &recent);
            let sections: Vec<Section<'_>> = site
                .config
                .audiences
                .iter()
                .zip(&site.by_audience)
                .map(|(a, list)| Section {
                    audience: audience_link(site, a),
                    count: list.len(),
                })
                .collect();
            ctx.insert("sections", &sections);
            ctx.insert("qr_url", &base.link(QR_SHEET));
            ctx.insert("selfcheck_url", &selfcheck::list_url(site));
            let lessons_url = (!site.lessons.is_empty()).then(|| base.link(lessons::PATH));
            ctx.insert("lessons_url", &lessons_url);
            let mut page = meta(
                "home",
                "",
                &site.config.description,
                Some(""),
                "home".into(),
            );
            page.feed = Some(FeedLink {
                title: site.config.title.clone(),
                url: base.link(SITE_FEED),
            });
            page.image = latest.and_then(cover);
            (String::from("index.html"), "index.html", page)
        }
        Job::Archive => {
            let issues: Vec<_> = site.issues.iter().map(|i| issue_card(site, i)).collect();
            ctx.insert("issues", &issues);
            let page = meta(
                "issues",
                "往期",
                "全部各期目录",
                Some("issues/"),
                "issues".into(),
            );
            (page_file("issues/"), "issues.html", page)
        }
        Job::Issue(i) => {
            let issue = &site.issues[i];
            ctx.insert("issue", &issue_card(site, issue));
            ctx.insert("note_html", &issue.note_html);
            ctx.insert("articles", env.cards.issue(i));
            ctx.insert("qr_url", &base.link(&format!("{}{QR_SHEET}", issue.path())));
            ctx.insert("print_url", &base.link(&print::path(issue)));
            let title = format!("第{}期 {}", issue.number, issue.title);
            let mut page = meta(
                "issue",
                &title,
                &issue.summary,
                Some(&issue.path()),
                "issues".into(),
            );
            page.image = cover(issue);
            (page_file(&issue.path()), "issue.html", page)
        }
        Job::Article(r) => {
            let (issue, article) = site.article(r);
            let this = env.cards.get(r);
            ctx.insert("article", this);
            ctx.insert("html", &article.html);
            ctx.insert("authors", &article.authors);
            ctx.insert("issue", &issue_card(site, issue));
            ctx.insert("prev", &neighbour(env, issue, r, -1));
            ctx.insert("next", &neighbour(env, issue, r, 1));
            let mut page = meta(
                "article",
                &article.title,
                &article.summary,
                Some(&article.path),
                "issues".into(),
            );
            page.image = article.image.clone().or_else(|| cover(issue));
            (page_file(&article.path), "article.html", page)
        }
        Job::Audience { audience, page: n } => {
            let aud = &site.config.audiences[audience];
            let list = &site.by_audience[audience];
            let per_page = site.config.per_page.get();
            let total = site.audience_pages(audience);
            let slice: Vec<&ArticleCard<'_>> = list
                .iter()
                .skip((n - 1) * per_page)
                .take(per_page)
                .map(|r| env.cards.get(*r))
                .collect();
            let key = aud.key.as_str();
            let link = |p: usize| base.link(&audience_page_path(key, p));
            ctx.insert("audience", &audience_link(site, aud));
            ctx.insert("articles", &slice);
            ctx.insert("article_count", &list.len());
            // Questionnaires for this audience are listed on its first page only.
            let selfchecks = match n {
                1 => selfcheck::for_audience(site, &aud.key),
                _ => Vec::new(),
            };
            ctx.insert("selfchecks", &selfchecks);
            ctx.insert(
                "pager",
                &Pager {
                    current: n,
                    total,
                    prev_url: (n > 1).then(|| link(n - 1)),
                    next_url: (n < total).then(|| link(n + 1)),
                    pages: context::pager_window(n, total)
                        .into_iter()
                        .map(|(p, gap_before)| PagerLink {
                            number: p,
                            url: link(p),
                            gap_before,
                        })
                        .collect(),
                },
            );
            let path = audience_page_path(key, n);
            let title = if n > 1 {
                format!("写给{}（第{n}页）", aud.name)
            } else {
                format!("写给{}", aud.name)
            };
            let mut page = meta(
                "audience",
                &title,
                &aud.description,
                Some(&path),
                format!("for-{key}"),
            );
            page.feed = Some(FeedLink {
                title: format!("{} · 写给{}", site.config.title, aud.name),
                url: base.link(&audience_feed_path(key)),
            });
            (page_file(&path), "audience.html", page)
        }
        Job::Page(p) => {
            let standing = &site.pages[p];
            ctx.insert("html", &standing.html);
            let section = context::page_section(&standing.path);
            let page = meta("page", &standing.title, "", Some(&standing.path), section);
            (page_file(&standing.path), "page.html", page)
        }
        Job::Lessons => {
            ctx.insert("lessons", &lessons::cards(site, &env.cards));
            let page = meta(
                "lessons",
                "微课",
                "带音频或视频的文章，最新的在前",
                Some(lessons::PATH),
                "lessons".into(),
            );
            (page_file(lessons::PATH), "lessons.html", page)
        }
        Job::NotFound => {
            let page = meta("404", "找不到这个页面", "", None, String::new());
            (String::from("404.html"), "404.html", page)
        }
        Job::QrSite => {
            let latest = site.issues.first();
            let mut targets = vec![(site.config.title.clone(), String::new())];
            targets.extend(
                site.config
                    .audiences
                    .iter()
                    .map(|a| (format!("写给{}", a.name), audience_path(a.key.as_str()))),
            );
            targets.extend(
                latest.map(|i| (format!("最新一期：第{}期 {}", i.number, i.title), i.path())),
            );
            targets.extend(site.pages.iter().map(|p| (p.title.clone(), p.path.clone())));
            targets.extend(selfcheck::qr_target(site));
            match qr_codes(site, &targets) {
                Ok(codes) => ctx.insert("codes", &codes),
                Err(d) => return (QR_SHEET.to_owned(), Err(d)),
            }
            ctx.insert("back_url", &base.link(""));
            let page = meta(
                "qr",
                "二维码海报",
                "打印后张贴在社区公告栏",
                Some(QR_SHEET),
                String::new(),
            );
            (page_file(QR_SHEET), "qr.html", page)
        }
        Job::QrIssue(i) => {
            let issue = &site.issues[i];
            let mut targets = vec![(
                format!("第{}期 {}", issue.number, issue.title),
                issue.path(),
            )];
            targets.extend(
                issue
                    .articles
                    .iter()
                    .map(|a| (a.title.clone(), a.path.clone())),
            );
            targets.push((
                format!("第{}期 {} · 打印版", issue.number, issue.title),
                print::path(issue),
            ));
            let path = format!("{}{QR_SHEET}", issue.path());
            match qr_codes(site, &targets) {
                Ok(codes) => ctx.insert("codes", &codes),
                Err(d) => return (path, Err(d)),
            }
            ctx.insert("back_url", &base.link(&issue.path()));
            let title = format!("第{}期 {} · 二维码", issue.number, issue.title);
            let page = meta(
                "qr",
                &title,
                "打印后张贴在社区公告栏",
                Some(&path),
                "issues".into(),
            );
            (page_file(&path), "qr.html", page)
        }
        Job::Print(i) => match print::booklet(site, env.cards.issue(i), i, &mut ctx) {
            Ok((path, page)) => (page_file(&path), print::TEMPLATE, page),
            Err(d) => return (page_file(&print::path(&site.issues[i])), Err(d)),
        },
        Job::SelfcheckList => selfcheck::list_page(site, &mut ctx),
        Job::Selfcheck(i) => selfcheck::questionnaire_page(site, i, &mut ctx),
        Job::Search => {
            let page = meta(
                "search",
                "搜索",
                "在本刊的全部文章里查找",
                Some(search::PAGE),
                "search".into(),
            );
            (page_file(search::PAGE), "search.html", page)
        }
        Job::Feed(_) | Job::Sitemap | Job::SearchIndex => {
            unreachable!("handled before any template work")
        }
    };
    ctx.insert("page", &page);
    // Into bytes, which is what the output takes: a String would cost a
    // check of every byte of every page that it is UTF-8, which it is.
    let mut html = Vec::with_capacity(16 * 1024);
    let rendered = env
        .tera
        .render_to(template, &ctx, &mut html)
        .map(|()| html)
        .map_err(|e| env.theme.diagnostic(&e));
    (path, rendered)
}

/// Renders the feed of every article, or of audience `audience`.
fn render_feed(site: &Site, audience: Option<usize>) -> (String, Result<String, Diagnostic>) {
    let config = &site.config;
    match audience {
        None => {
            let channel = Channel {
                title: &config.title,
                page: "",
                description: &config.description,
                feed: SITE_FEED,
            };
            (
                SITE_FEED.to_owned(),
                Ok(feed::render(site, &channel, &site.newest)),
            )
        }
        Some(i) => {
            let aud = &config.audiences[i];
            let title = format!("{} · 写给{}", config.title, aud.name);
            let page = audience_path(aud.key.as_str());
            let path = audience_feed_path(aud.key.as_str());
            let description = if aud.description.is_empty() {
                &config.description
            } else {
                &aud.description
            };
            let channel = Channel {
                title: &title,
                page: &page,
                description,
                feed: &path,
            };
            let xml = feed::render(site, &channel, &site.by_audience[i]);
            (path, Ok(xml))
        }
    }
}

/// A QR code with what is printed under it.
#[derive(Serialize)]
struct QrCard {
    title: String,
    url: String,
    svg: String,
}

/// Codes for `(title, site path)` pairs, encoding absolute URLs.
fn qr_codes(site: &Site, targets: &[(String, String)]) -> Result<Vec<QrCard>, Diagnostic> {
    targets
        .iter()
        .map(|(title, path)| {
            let url = site.config.base_url.absolute(path);
            let code = qr::svg(&url, &format!("二维码：{title}")).map_err(Diagnostic::error)?;
            Ok(QrCard {
                title: title.clone(),
                url,
                svg: code.svg,
            })
        })
        .collect()
}

/// The output file of a page at `site_path`.
fn page_file(site_path: &str) -> String {
    format!("{site_path}index.html")
}

/// The previous (`step = -1`) or next article of the same issue.
fn neighbour<'c, 'a>(
    env: &'c Renderer<'a>,
    issue: &Issue,
    r: ArticleRef,
    step: isize,
) -> Option<&'c ArticleCard<'a>> {
    let index = r.article.checked_add_signed(step)?;
    (index < issue.articles.len()).then(|| {
        env.cards.get(ArticleRef {
            issue: r.issue,
            article: index,
        })
    })
}

#[derive(Serialize)]
struct Intro<'a> {
    title: &'a str,
    html: &'a str,
}

#[derive(Serialize)]
struct Section<'a> {
    audience: AudienceLink<'a>,
    count: usize,
}
