//! The 公众号 pages, for editors: `/wechat/` lists every article, and each
//! article's page has a copy button per field of the 公众号 editor, its 正文
//! previewed at phone width and its cover crops. The 正文 itself
//! (`article.html`) and the QR codes it shows are files of their own.

use serde::Serialize;
use tera::Context;

use super::{Html, issue_name, meta};
use crate::config::WECHAT_AUTHOR_MAX;
use crate::content::{Article, WechatText};
use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::plan::ArticleRef;
use crate::render::Renderer;
use crate::site::Site;
use crate::wechat::{DIGEST_MAX, TEXT_MAX, TITLE_MAX};
use crate::words::Word;

/// One article in `/wechat/`.
#[derive(Serialize)]
struct Row<'a> {
    title: &'a str,
    /// Its 公众号 page.
    url: String,
    /// Characters of its 正文.
    chars: usize,
    /// Whether the title is longer than the 公众号 takes.
    title_too_long: bool,
    /// Whether the 正文 is longer than the 公众号 takes.
    text_too_long: bool,
    /// Its address on the 公众号, once published.
    wechat_url: Option<&'a str>,
}

/// One issue in `/wechat/`.
#[derive(Serialize)]
struct Group<'a> {
    name: String,
    articles: Vec<Row<'a>>,
}

/// One field of the 公众号 editor, with its limit when it has one.
#[derive(Serialize)]
struct Field<'a> {
    value: &'a str,
    /// Its length in characters.
    chars: usize,
    /// The most the 公众号 takes, if it has a limit.
    max: Option<usize>,
}

/// A cover crop.
#[derive(Serialize)]
struct Cover {
    url: String,
    width: u32,
    height: u32,
    /// The file name it downloads as.
    name: String,
}

/// The theme's files that only the 公众号 pages use.
const STATICS: [&str; 2] = ["wechat.css", "wechat.js"];

/// Whether the theme file at `path` is left out: a site without `[wechat]`
/// does not publish the 公众号 pages' script and styles.
pub(super) fn leaves_out(site: &Site, path: &str) -> bool {
    site.config.wechat.is_none() && STATICS.contains(&path)
}

/// `/wechat/`: every issue, newest first, with its articles.
pub(super) fn list(env: &Renderer<'_>) -> Html {
    let site = env.site;
    let base = &site.config.base_url;
    let groups: Vec<Group<'_>> = site
        .issues
        .iter()
        .map(|issue| Group {
            name: issue_name(env, issue),
            articles: issue
                .articles
                .iter()
                .filter_map(|a| {
                    let text = a.wechat.as_ref()?;
                    Some(Row {
                        title: &a.title,
                        url: base.link(&paths::wechat_article(&a.path)),
                        chars: text.chars,
                        title_too_long: a.title.chars().count() > TITLE_MAX,
                        text_too_long: text.chars > TEXT_MAX,
                        wechat_url: a.wechat_url.as_deref(),
                    })
                })
                .collect(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("issues", &groups);
    let title = env.words().get(Word::WechatListTitle);
    Html {
        template: "wechat-list.html",
        ctx,
        meta: meta(site, "wechat", title, "", None, "wechat"),
    }
}

/// An article's 公众号 page.
pub(super) fn page(env: &Renderer<'_>, r: ArticleRef) -> Result<Html, Diagnostic> {
    let site = env.site;
    let (_, article) = site.article(r);
    let text = wechat_text(article)?;
    let base = &site.config.base_url;
    let wechat_page = paths::wechat_article(&article.path);
    let author = author(env, article);
    let url = base.absolute(&article.path);

    let covers: Vec<Cover> = if text.crop_from.is_some() {
        paths::WECHAT_COVERS
            .iter()
            .map(|&(width, height)| {
                let path = paths::wechat_cover(&wechat_page, (width, height));
                Cover {
                    name: path.rsplit('/').next().unwrap_or_default().to_owned(),
                    url: base.link(&path),
                    width,
                    height,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut ctx = Context::new();
    ctx.insert("title", &field(&article.title, Some(TITLE_MAX)));
    ctx.insert("author", &field(&author, Some(WECHAT_AUTHOR_MAX)));
    ctx.insert("digest", &field(&text.digest, Some(DIGEST_MAX)));
    ctx.insert("url", &field(&url, None));
    ctx.insert("fragment", &text.fragment);
    ctx.insert(
        "fragment_text",
        &crate::search::plain::text_of(&text.fragment),
    );
    // The preview frames the 正文 file, whose inline styles this page's
    // own policy would block.
    ctx.insert("csp", &env.csp_with_frames());
    ctx.insert(
        "fragment_url",
        &base.link(&paths::wechat_fragment(&wechat_page)),
    );
    ctx.insert("chars", &text.chars);
    ctx.insert("text_max", &TEXT_MAX);
    ctx.insert("covers", &covers);
    ctx.insert("article_url", &base.link(&article.path));
    ctx.insert("list_url", &base.link(paths::WECHAT_LIST));
    ctx.insert("wechat_url", &article.wechat_url);
    let title = env
        .words()
        .fill(Word::WechatPageTitle, &[("title", &article.title)]);
    Ok(Html {
        template: "wechat.html",
        ctx,
        meta: meta(site, "wechat", title, "", None, "wechat"),
    })
}

/// An article's 正文 alone: the file the 公众号 page copies and previews.
pub(super) fn fragment(env: &Renderer<'_>, r: ArticleRef) -> Result<Vec<u8>, Diagnostic> {
    Ok(wechat_text(env.site.article(r).1)?
        .fragment
        .clone()
        .into_bytes())
}

/// The QR code of an article's address, as PNG.
pub(super) fn article_qr(env: &Renderer<'_>, r: ArticleRef) -> Result<Vec<u8>, Diagnostic> {
    let path = &env.site.article(r).1.path;
    qr(env, path)
}

/// The QR code of questionnaire `q`'s address, as PNG.
pub(super) fn selfcheck_qr(env: &Renderer<'_>, q: usize) -> Result<Vec<u8>, Diagnostic> {
    qr(env, &env.site.questionnaires[q].path)
}

fn qr(env: &Renderer<'_>, site_path: &str) -> Result<Vec<u8>, Diagnostic> {
    let url = env.site.config.base_url.absolute(site_path);
    crate::qr::png(&url).map_err(Diagnostic::error)
}

/// The article's 正文: every article has one in a site with `[wechat]`,
/// the only sites whose plan has 公众号 pages.
fn wechat_text(article: &Article) -> Result<&WechatText, Diagnostic> {
    article.wechat.as_ref().ok_or_else(|| {
        Diagnostic::error(format!(
            "{} has no 公众号 正文, though the site plans its 公众号 page",
            article.source.display()
        ))
    })
}

/// The 作者: the article's authors, else `[wechat] author`, else the
/// journal's name, cut to what the 公众号 takes.
fn author(env: &Renderer<'_>, article: &Article) -> String {
    let config = &env.site.config;
    let name = if article.authors.is_empty() {
        config
            .wechat
            .as_ref()
            .and_then(|w| w.author.clone())
            .unwrap_or_else(|| config.title.clone())
    } else {
        article.authors.join("、")
    };
    name.chars().take(WECHAT_AUTHOR_MAX).collect()
}

fn field(value: &str, max: Option<usize>) -> Field<'_> {
    Field {
        value,
        chars: value.chars().count(),
        max,
    }
}
