//! The validated, read-only [`Site`]: sources ordered, URLs assigned and
//! checked for clashes, Markdown rendered, and the site-wide lists that
//! pages show (audience sections, newest articles) computed once.

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::front_matter::{ArticleHead, IssueHead, PageHead};
use crate::content::load::{self, IssueSource, Parsed, Sources};
use crate::content::{Article, CopiedFile, Intro, Issue, Page, PubDate};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{
    self, LinkIndex, LinkTarget, MarkdownCache, MarkdownContext, Rendered, summarize,
};
use crate::media::MediaIndex;
use crate::names::{Slug, article_slug_from_stem, slug_from_stem};
use crate::paths::{self, RESERVED_ARTICLE_SLUGS, RESERVED_PAGE_SLUGS};
pub use crate::plan::ArticleRef;
use crate::plan::{Claims, Plan};
use crate::selfcheck::Questionnaire;
use crate::words::Words;

/// Summaries are cut to this many half-width cells (about 80 Chinese
/// characters): two or three lines of a card on a phone.
pub const SUMMARY_CELLS: usize = 160;

/// How to build.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Write nothing into the site folder, not even the image cache
    /// (`check`): images missing from the cache are still checked.
    pub read_only: bool,
}

/// The whole site, checked and rendered to HTML fragments; built once and
/// then only read.
#[derive(Debug)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// The settings.
    pub config: SiteConfig,
    /// Issues, newest first.
    pub issues: Vec<Issue>,
    /// Standing pages in menu order.
    pub pages: Vec<Page>,
    /// The home page's introduction.
    pub intro: Option<Intro>,
    /// Self-check questionnaires, in file-name order.
    pub questionnaires: Vec<Questionnaire>,
    /// Files copied unchanged: issue attachments, content files, `static/`.
    pub files: Vec<CopiedFile>,
    /// Every article, newest first.
    pub newest: Vec<ArticleRef>,
    /// For each audience of `config.audiences`, in that order, its articles
    /// newest first (articles for everyone are in every list).
    pub by_audience: Vec<Vec<ArticleRef>>,
    /// A hash of every source's URL: equal between two builds when no page
    /// was added, removed or moved.
    pub links_fingerprint: u64,
    /// Where every linkable source leads, for rendering an edited article
    /// again without planning the site anew.
    links: LinkIndex,
    /// Published images and players, likewise.
    media: MediaIndex,
    /// What every 公众号 正文 needs, when the site has `[wechat]`.
    wechat: Option<wechat::Inputs>,
    /// Every article with audio or video (微课), newest first.
    pub lessons: Vec<ArticleRef>,
}

impl Site {
    /// Loads, checks and renders the site at `root`, writing players in
    /// `words`. Returns the site and its warnings, or every problem found.
    /// `cache`, kept by `serve` between builds, spares rendering unchanged
    /// Markdown again.
    pub fn build(
        root: &Path,
        config: SiteConfig,
        words: &Words,
        options: BuildOptions,
        cache: Option<&MarkdownCache>,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let sources = load::load(root, &config, &mut diagnostics);
        let site = assemble(
            root,
            config,
            words,
            sources,
            options,
            cache,
            &mut diagnostics,
        );
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok((site, diagnostics))
        }
    }

    /// How many pages the section of audience `index` has (at least one,
    /// so an audience without articles still has its page).
    pub fn audience_pages(&self, index: usize) -> usize {
        self.by_audience[index]
            .len()
            .div_ceil(self.config.per_page.get())
            .max(1)
    }

    /// The article `r` points at, with its issue.
    pub fn article(&self, r: ArticleRef) -> (&Issue, &Article) {
        let issue = &self.issues[r.issue];
        (issue, &issue.articles[r.article])
    }

    /// Every URL the site makes, with its page kind. Made from the site as
    /// it is, so an edit applied by `serve` is planned as it now stands.
    pub fn plan(&self) -> Plan {
        Plan::new(self)
    }
}

mod edit;
mod questionnaires;
mod reread;
mod shape;
mod wechat;
pub use edit::{ArticleEdit, Lists};
pub use reread::SourceEdit;

/// An issue whose articles are ordered and have URLs, not yet rendered.
struct Planned {
    source: IssueSource,
    slugs: Vec<Slug>,
}

/// What planning fills in while URLs are handed out: which source each URL
/// and each linkable path belongs to, and the files to copy.
#[derive(Default)]
struct Planning {
    links: LinkIndex,
    claims: Claims,
    files: Vec<CopiedFile>,
}

/// The site with every URL handed out and linkable, before any Markdown
/// body is rendered.
struct Sketch {
    issues: Vec<Planned>,
    pages: Vec<(Parsed<PageHead>, String)>,
    intro: Option<Parsed<PageHead>>,
    questionnaires: Vec<questionnaires::Planned>,
    links: LinkIndex,
    files: Vec<CopiedFile>,
}

/// Hands out URLs to every source, reporting clashes, and makes every
/// source and every page of the plan linkable.
fn sketch(
    sources: Sources,
    config: &SiteConfig,
    options: BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Sketch {
    let mut plan = Planning::default();
    for broken in &sources.broken {
        plan.links.insert(site_key(broken), LinkTarget::Broken);
    }
    let issues = plan_issues(sources.issues, options, &mut plan, diagnostics);
    let pages = plan_pages(sources.pages, options, &mut plan, diagnostics);
    let intro = plan_intro(sources.intro, options, &mut plan);
    let questionnaires = questionnaires::plan(
        sources.questionnaires,
        &mut plan.claims,
        &mut plan.links,
        diagnostics,
    );
    for (source, path) in sources.root_files {
        plan.links
            .insert(site_key(&source), LinkTarget::File(path.clone()));
        plan.files.push(CopiedFile { source, path });
    }
    let Planning {
        mut links, files, ..
    } = plan;
    // Every page the site makes is linkable by its URL, known from the
    // plan before any body renders.
    let outline = shape::Outline {
        config,
        issues: &issues,
        pages: &pages,
        questionnaires: &questionnaires,
    };
    for entry in Plan::new(&outline).entries() {
        links.insert_generated(entry.path.clone());
    }
    Sketch {
        issues,
        pages,
        intro,
        questionnaires,
        links,
        files,
    }
}

fn assemble(
    root: &Path,
    config: SiteConfig,
    words: &Words,
    sources: Sources,
    options: BuildOptions,
    cache: Option<&MarkdownCache>,
    diagnostics: &mut Diagnostics,
) -> Site {
    let Sketch {
        issues: planned,
        pages,
        intro: intro_source,
        questionnaires,
        links,
        mut files,
    } = sketch(sources, &config, options, diagnostics);
    let media = crate::media::publish(
        root,
        options.read_only,
        &config,
        words,
        &mut files,
        diagnostics,
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let wechat_inputs = config
        .wechat
        .as_ref()
        .map(|_| wechat::Inputs::new(root, &planned, &questionnaires, &files, words));

    // Markdown, in parallel; each file's problems come back with it.
    let links_fingerprint = links.fingerprint() ^ media.fingerprint().rotate_left(1);
    let markdown = MarkdownContext {
        links: &links,
        base: &config.base_url,
        options: config.markdown,
        media: &media,
    };
    let ctx = Bodies {
        ctx: markdown,
        cache,
        links_fingerprint,
        wechat: wechat_inputs.as_ref().map(|w| w.context(markdown, &config)),
    };
    let mut issues = render_issues(planned, ctx, diagnostics);
    let pages = render_pages(pages, ctx, diagnostics);
    let intro = intro_source.map(|p| render_intro(p, ctx, diagnostics));
    let questionnaires = questionnaires::render(questionnaires, ctx, diagnostics);
    if wechat_inputs.is_some() {
        wechat::images(
            root,
            options.read_only,
            &config,
            &issues,
            &mut files,
            diagnostics,
        );
    }

    // Site-wide lists, computed once for every page that shows them.
    issues.sort_by_key(|i| Reverse((i.date, i.number)));
    let newest = newest_articles(&issues);
    let by_audience = audience_lists(&config, &issues, &newest);
    let lessons = lessons(&issues, &newest);

    Site {
        root: root.to_path_buf(),
        config,
        issues,
        pages,
        intro,
        questionnaires,
        files,
        newest,
        by_audience,
        links_fingerprint,
        lessons,
        links,
        media,
        wechat: wechat_inputs,
    }
}

/// The home page's intro, its body rendered.
fn render_intro(p: Parsed<PageHead>, ctx: Bodies<'_>, diagnostics: &mut Diagnostics) -> Intro {
    let Rendered {
        html,
        diagnostics: problems,
        ..
    } = render_body(&p, ctx);
    diagnostics.extend(problems);
    Intro {
        title: p.head.title,
        html,
    }
}

/// Every article with audio or video (微课), in the order of `newest`.
fn lessons(issues: &[Issue], newest: &[ArticleRef]) -> Vec<ArticleRef> {
    newest
        .iter()
        .copied()
        .filter(|r| !issues[r.issue].articles[r.article].media.is_empty())
        .collect()
}

/// Issues: drafts out, numbers unique, articles ordered and named.
fn plan_issues(
    sources: Vec<IssueSource>,
    options: BuildOptions,
    plan: &mut Planning,
    diagnostics: &mut Diagnostics,
) -> Vec<Planned> {
    let mut planned = Vec::new();
    for mut source in sources {
        let head = &source.issue.head;
        if head.draft && !options.drafts {
            plan.links
                .insert(site_key(&source.issue.file.rel_path), LinkTarget::Draft);
            for a in &source.articles {
                plan.links
                    .insert(site_key(&a.file.rel_path), LinkTarget::Draft);
            }
            continue;
        }
        let path = paths::issue(head.number.value);
        let number = &head.number;
        if let Err(other) = plan.claims.claim(&path, &source.issue.file.rel_path) {
            let other = load::site_path(&other);
            diagnostics.push(
                source
                    .issue
                    .file
                    .error(
                        number.span.clone(),
                        format!("issue number {} is already used by {other}", number.value),
                    )
                    .with_help("every issue needs its own number"),
            );
            continue;
        }
        plan.links.insert(
            site_key(&source.issue.file.rel_path),
            LinkTarget::Page(path.clone()),
        );
        let slugs = plan_articles(&mut source, &path, options, plan, diagnostics);
        for asset in &source.assets {
            let site = format!("{path}{}", load::site_path(asset));
            plan.links.insert(
                site_key(&source.dir.join(asset)),
                LinkTarget::File(site.clone()),
            );
            plan.files.push(CopiedFile {
                source: source.dir.join(asset),
                path: site,
            });
        }
        planned.push(Planned { source, slugs });
    }
    planned
}

/// Orders and names the articles of one issue at `path`, leaving drafts
/// out; returns their slugs in the new order of `source.articles`.
fn plan_articles(
    source: &mut IssueSource,
    path: &str,
    options: BuildOptions,
    plan: &mut Planning,
    diagnostics: &mut Diagnostics,
) -> Vec<Slug> {
    // Slugs come first, from file-name order over every article, drafts
    // included, so a position-based URL (and a printed QR code) does not
    // move when a draft is published or a weight changes.
    let named: Vec<(Parsed<ArticleHead>, Slug)> = source
        .articles
        .drain(..)
        .enumerate()
        .map(|(position, a)| {
            let slug = article_slug(&a, position);
            (a, slug)
        })
        .collect();
    let (mut kept, drafts): (Vec<_>, Vec<_>) = named
        .into_iter()
        .partition(|(a, _)| options.drafts || !a.head.draft);
    for (a, _) in drafts {
        plan.links
            .insert(site_key(&a.file.rel_path), LinkTarget::Draft);
    }
    // Weighted articles first, by weight; the rest in file-name order.
    kept.sort_by_key(|(a, _)| (a.head.weight.is_none(), a.head.weight));

    for (article, slug) in &kept {
        let article_path = paths::article(path, slug);
        let span = article.head.slug.as_ref().map_or(0..0, |s| s.span.clone());
        if let Some((_, owner)) = RESERVED_ARTICLE_SLUGS
            .iter()
            .find(|(taken, _)| *taken == slug.as_str())
        {
            diagnostics.push(
                article
                    .file
                    .error(span, format!("the slug `{slug}` is taken by {owner}"))
                    .with_help("choose another `slug`, or rename the file"),
            );
        } else if let Err(other) = plan.claims.claim(&article_path, &article.file.rel_path) {
            let other = load::site_path(&other);
            diagnostics.push(
                article
                    .file
                    .error(
                        span,
                        format!("this article's URL /{article_path} is already used by {other}"),
                    )
                    .with_help("give one of them a different `slug`"),
            );
        }
        plan.links.insert(
            site_key(&article.file.rel_path),
            LinkTarget::Page(article_path),
        );
    }
    let (articles, slugs) = kept.into_iter().unzip();
    source.articles = articles;
    slugs
}

/// Standing pages with their site paths, in menu order.
fn plan_pages(
    sources: Vec<Parsed<PageHead>>,
    options: BuildOptions,
    plan: &mut Planning,
    diagnostics: &mut Diagnostics,
) -> Vec<(Parsed<PageHead>, String)> {
    let mut pages = Vec::new();
    for page in sources {
        if page.head.draft && !options.drafts {
            plan.links
                .insert(site_key(&page.file.rel_path), LinkTarget::Draft);
            continue;
        }
        match page_slug(&page) {
            Ok(slug) => {
                let path = paths::standing(&slug);
                let span = page.head.slug.as_ref().map_or(0..0, |s| s.span.clone());
                if RESERVED_PAGE_SLUGS.contains(&slug.as_str()) {
                    diagnostics.push(
                        page.file
                            .error(span, format!("the URL /{slug}/ is used by the site itself"))
                            .with_help(format!(
                                "choose a `slug` other than {}",
                                RESERVED_PAGE_SLUGS.join(", ")
                            )),
                    );
                } else if let Err(other) = plan.claims.claim(&path, &page.file.rel_path) {
                    let other = load::site_path(&other);
                    diagnostics.push(
                        page.file
                            .error(
                                span,
                                format!("this page's URL /{path} is already used by {other}"),
                            )
                            .with_help("give one of them a different `slug`"),
                    );
                }
                plan.links.insert(
                    site_key(&page.file.rel_path),
                    LinkTarget::Page(path.clone()),
                );
                pages.push((page, path));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    pages.sort_by_key(|(p, _)| (p.head.weight.is_none(), p.head.weight));
    pages
}

/// The home page's intro, unless it is a draft left out.
fn plan_intro(
    source: Option<Parsed<PageHead>>,
    options: BuildOptions,
    plan: &mut Planning,
) -> Option<Parsed<PageHead>> {
    let intro = source?;
    if intro.head.draft && !options.drafts {
        plan.links
            .insert(site_key(&intro.file.rel_path), LinkTarget::Draft);
        return None;
    }
    plan.links.insert(
        site_key(&intro.file.rel_path),
        LinkTarget::Page(String::new()),
    );
    Some(intro)
}

fn render_issues(
    planned: Vec<Planned>,
    ctx: Bodies<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Issue> {
    let rendered: Vec<(Issue, Vec<Diagnostic>)> = planned
        .into_par_iter()
        .map(|p| render_issue(p, ctx))
        .collect();
    rendered
        .into_iter()
        .map(|(issue, problems)| {
            diagnostics.extend(problems);
            issue
        })
        .collect()
}

fn render_pages(
    pages: Vec<(Parsed<PageHead>, String)>,
    ctx: Bodies<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Page> {
    pages
        .into_par_iter()
        .map(|(p, path)| page_from(p, path, ctx))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(page, problems)| {
            diagnostics.extend(problems);
            page
        })
        .collect()
}

/// A standing page at site path `path`, its body rendered, with the
/// problems found in it.
fn page_from(p: Parsed<PageHead>, path: String, ctx: Bodies<'_>) -> (Page, Vec<Diagnostic>) {
    let Rendered {
        html, diagnostics, ..
    } = render_body(&p, ctx);
    let page = Page {
        title: p.head.title,
        path,
        weight: p.head.weight,
        draft: p.head.draft,
        html,
        source: p.file.rel_path,
    };
    (page, diagnostics)
}

/// For each audience, its articles newest first (articles for everyone
/// are in every list).
fn audience_lists(
    config: &SiteConfig,
    issues: &[Issue],
    newest: &[ArticleRef],
) -> Vec<Vec<ArticleRef>> {
    config
        .audiences
        .iter()
        .map(|aud| {
            newest
                .iter()
                .copied()
                .filter(|r| {
                    let a = &issues[r.issue].articles[r.article];
                    a.audiences.is_empty() || a.audiences.contains(&aud.key)
                })
                .collect()
        })
        .collect()
}

/// Every article, newest first; within a day, the newer issue first, then
/// reading order.
fn newest_articles(issues: &[Issue]) -> Vec<ArticleRef> {
    let mut newest: Vec<_> = issues
        .iter()
        .enumerate()
        .flat_map(|(i, issue)| {
            (0..issue.articles.len()).map(move |a| ArticleRef {
                issue: i,
                article: a,
            })
        })
        .collect();
    newest.sort_by_key(|r| {
        let issue = &issues[r.issue];
        (
            Reverse(issue.articles[r.article].date),
            Reverse(issue.number),
            r.article,
        )
    });
    newest
}

fn render_issue(p: Planned, ctx: Bodies<'_>) -> (Issue, Vec<Diagnostic>) {
    let Planned { source, slugs } = p;
    let assets = &source.assets;
    let has_asset = |inside: &str| assets.iter().any(|a| load::site_path(a) == inside);
    let (mut issue, mut problems) = issue_from(source.issue, &source.dir, has_asset, ctx);
    let path = issue.path();
    let has_file = |site_path: &str| {
        site_path
            .strip_prefix(path.as_str())
            .is_some_and(&has_asset)
    };
    issue.articles = source
        .articles
        .into_iter()
        .zip(slugs)
        .map(|(a, slug)| {
            let at = (path.as_str(), issue.date);
            let (article, found) = article_from(a, slug, at, &has_file, ctx);
            problems.extend(found);
            article
        })
        .collect();
    (issue, problems)
}

/// An issue from its `issue.md` in folder `dir`, the note rendered, without
/// its articles; `has_asset` tells whether a file (a path inside the
/// folder) is there to be the cover.
fn issue_from(
    parsed: Parsed<IssueHead>,
    dir: &Path,
    has_asset: impl Fn(&str) -> bool,
    ctx: Bodies<'_>,
) -> (Issue, Vec<Diagnostic>) {
    let Rendered {
        html: note_html,
        first_paragraph: note_text,
        diagnostics: mut problems,
        ..
    } = render_body(&parsed, ctx);
    let head = parsed.head;
    let path = paths::issue(head.number.value);
    let cover = head.cover.and_then(|cover| {
        let inside = cover.value.trim_start_matches("./");
        if has_asset(inside) {
            Some(format!("{path}{inside}"))
        } else {
            problems.push(
                parsed
                    .file
                    .error(
                        cover.span,
                        format!("the cover `{}` is not in the issue folder", cover.value),
                    )
                    .with_help(format!(
                        "put the image in {} and give its file name",
                        load::site_path(dir)
                    )),
            );
            None
        }
    });
    let issue = Issue {
        number: head.number.value,
        title: head.title,
        date: head.date,
        summary: head
            .summary
            .unwrap_or_else(|| summarize(&note_text, SUMMARY_CELLS)),
        cover,
        draft: head.draft,
        note_html,
        articles: Vec::new(),
        source: parsed.file.rel_path,
    };
    (issue, problems)
}

/// An article of the issue at site path `issue_path` dated `issue_date`,
/// its body rendered, with the problems found in it; `has_file` tells
/// whether a site path is a file the site copies (for the `cover`).
fn article_from(
    a: Parsed<ArticleHead>,
    slug: Slug,
    (issue_path, issue_date): (&str, PubDate),
    has_file: &dyn Fn(&str) -> bool,
    ctx: Bodies<'_>,
) -> (Article, Vec<Diagnostic>) {
    let body = render_body(&a, ctx);
    let mut problems = body.diagnostics;
    let summary = a
        .head
        .summary
        .clone()
        .unwrap_or_else(|| summarize(&body.first_paragraph, SUMMARY_CELLS));
    let path = paths::article(issue_path, &slug);
    let cover = article_cover(&a, issue_path, has_file, &mut problems);
    let wechat = ctx.wechat.map(|w| {
        let (text, warnings) = wechat::text(&a, &path, &summary, cover.as_deref(), &w);
        problems.extend(warnings);
        text
    });
    let image = match &cover {
        Some(c) => Some(ctx.ctx.base.absolute(c)),
        None => body.first_image,
    };
    let article = Article {
        path,
        title: a.head.title,
        slug_given: a.head.slug.is_some(),
        slug,
        weight: a.head.weight,
        audiences: a.head.audiences,
        date: a.head.date.unwrap_or(issue_date),
        summary,
        authors: a.head.authors,
        draft: a.head.draft,
        html: body.html,
        reading_minutes: body.reading_minutes,
        image,
        media: body.media,
        cover,
        wechat_url: a.head.wechat_url,
        wechat,
        source: a.file.rel_path,
    };
    (article, problems)
}

/// The site path of an article's `cover`, a file beside it; an error when
/// there is no such file.
fn article_cover(
    a: &Parsed<ArticleHead>,
    issue_path: &str,
    has_file: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let cover = a.head.cover.as_ref()?;
    let path = format!("{issue_path}{}", cover.value.trim_start_matches("./"));
    if has_file(&path) {
        return Some(path);
    }
    problems.push(
        a.file
            .error(
                cover.span.clone(),
                format!("the cover `{}` is not beside this article", cover.value),
            )
            .with_help("put the image in the article's issue folder and give its file name"),
    );
    None
}

/// How Markdown bodies are rendered in one build.
#[derive(Clone, Copy)]
struct Bodies<'a> {
    ctx: MarkdownContext<'a>,
    cache: Option<&'a MarkdownCache>,
    links_fingerprint: u64,
    /// How articles' 公众号 正文 are written, when the site has `[wechat]`.
    wechat: Option<crate::wechat::Context<'a>>,
}

/// Renders a file's Markdown body, through the cache when there is one.
fn render_body<H>(p: &Parsed<H>, bodies: Bodies<'_>) -> Rendered {
    match bodies.cache {
        Some(cache) => cache.render(
            &p.file,
            p.body(),
            p.body_offset,
            bodies.ctx,
            bodies.links_fingerprint,
        ),
        None => markdown::render(&p.file, p.body(), p.body_offset, bodies.ctx),
    }
}

/// The `slug` key; else the file stem without its `NN-` prefix when that is
/// a URL name; else the 1-based position in the issue folder's file-name
/// order.
fn article_slug(article: &Parsed<ArticleHead>, position: usize) -> Slug {
    if let Some(slug) = &article.head.slug {
        return slug.value.clone();
    }
    article_slug_from_stem(&article.stem()).unwrap_or_else(|| Slug::from_position(position + 1))
}

fn page_slug(page: &Parsed<PageHead>) -> Result<Slug, Diagnostic> {
    if let Some(slug) = &page.head.slug {
        return Ok(slug.value.clone());
    }
    let stem = page.stem();
    slug_from_stem(&stem).ok_or_else(|| {
        page.file
            .error(0..0, format!("the file name `{stem}` cannot be used in a URL"))
            .with_help("add a `slug` to the front matter, e.g. slug = \"about\", or rename the file with a-z, 0-9 and -")
    })
}

/// A path from the site folder, as used for link lookups.
fn site_key(rel: &Path) -> String {
    load::site_path(rel)
}
