//! The site's side of the 公众号 pages: what every 正文 needs to know of
//! the whole site (which articles are on the 公众号, which pages are
//! self-checks, where each copied file is), each article's 正文 written
//! with its body, and the cover crops made once every body is read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Planned;
use super::questionnaires;
use crate::config::SiteConfig;
use crate::content::front_matter::ArticleHead;
use crate::content::load::Parsed;
use crate::content::{CopiedFile, Issue, WechatText};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::MarkdownContext;
use crate::media::{Derived, Make};
use crate::paths;
use crate::wechat::{self, Context, Source};
use crate::words::Words;

/// What every article's 正文 needs to know of the whole site; kept in the
/// site so an article edited in `serve` is written the same way.
#[derive(Debug)]
pub(super) struct Inputs {
    published: HashMap<String, String>,
    selfchecks: HashSet<String>,
    files: HashMap<String, PathBuf>,
    words: Words,
}

impl Inputs {
    /// The inputs of a site with `[wechat]`: its planned issues and
    /// questionnaires, its copied files (published media included) and
    /// its words.
    pub(super) fn new(
        root: &Path,
        issues: &[Planned],
        selfchecks: &[questionnaires::Planned],
        files: &[CopiedFile],
        words: &Words,
    ) -> Inputs {
        let mut published = HashMap::new();
        for planned in issues {
            let issue_path = paths::issue(planned.source.issue.head.number.value);
            for (article, slug) in planned.source.articles.iter().zip(&planned.slugs) {
                if let Some(url) = &article.head.wechat_url {
                    published.insert(paths::article(&issue_path, slug), url.clone());
                }
            }
        }
        Inputs {
            published,
            selfchecks: selfchecks.iter().map(|q| q.path.clone()).collect(),
            files: files
                .iter()
                .map(|f| (f.path.clone(), root.join(&f.source)))
                .collect(),
            words: words.clone(),
        }
    }

    /// The context the 正文 writer reads.
    pub(super) fn context<'a>(
        &'a self,
        markdown: MarkdownContext<'a>,
        config: &'a SiteConfig,
    ) -> Context<'a> {
        Context {
            markdown,
            config,
            words: &self.words,
            published: &self.published,
            selfchecks: &self.selfchecks,
            files: &self.files,
        }
    }
}

/// The 正文 of article `a`, which goes to site path `page` with `summary`
/// and whose `cover` is at that site path, with the warnings of its limits.
pub(super) fn text(
    a: &Parsed<ArticleHead>,
    page: &str,
    summary: &str,
    cover: Option<&str>,
    ctx: &Context<'_>,
) -> (WechatText, Vec<Diagnostic>) {
    let source = Source {
        file: &a.file,
        body: a.body(),
        body_offset: a.body_offset,
        page,
        title: &a.head.title,
        summary,
        cover,
    };
    let (text, mut warnings) = wechat::text(&source, ctx);
    warnings.splice(0..0, wechat::head_warnings(&a.file, &a.head));
    (text, warnings)
}

/// The cover crops of every article that has an image to make them from,
/// and the PNG of every SVG drawing a 正文 shows, as files to copy: made
/// through the image cache, and added to `files`.
pub(super) fn images(
    root: &Path,
    read_only: bool,
    config: &SiteConfig,
    issues: &[Issue],
    files: &mut Vec<CopiedFile>,
    diagnostics: &mut Diagnostics,
) {
    let sources: HashMap<&str, &Path> = files
        .iter()
        .map(|f| (f.path.as_str(), f.source.as_path()))
        .collect();
    let mut wanted = Vec::new();
    let mut pngs = HashSet::new();
    for article in issues.iter().flat_map(|i| &i.articles) {
        let Some(text) = &article.wechat else {
            continue;
        };
        let want = |path: String, from: &str, make: Make| {
            sources.get(from).map(|source| Derived {
                source: source.to_path_buf(),
                path,
                make,
                article: article.source.clone(),
            })
        };
        if let Some(from) = text.crop_from.as_deref() {
            let page = paths::wechat_article(&article.path);
            for (w, h) in paths::WECHAT_COVERS {
                let path = paths::wechat_cover(&page, (w, h));
                wanted.extend(want(path, from, Make::Crop(w, h)));
            }
        }
        for svg in &text.svgs {
            if pngs.insert(svg.clone()) {
                wanted.extend(want(paths::wechat_png(svg), svg, Make::Png));
            }
        }
    }
    let made = crate::media::derive(root, read_only, config.images, wanted, diagnostics);
    files.extend(made);
    files.sort_by(|a, b| a.path.cmp(&b.path));
}
