//! One module per page kind of the plan, each saying what its page shows.
//! A page is a template with its context and [`PageMeta`], or bytes that
//! need no template (feeds, the sitemap), or many files (the search index).

mod archive;
mod article;
mod audience;
mod feed;
mod home;
mod issue;
mod lessons;
mod not_found;
mod print;
mod qr;
mod search;
pub(crate) mod selfcheck;
mod sitemap;
mod standing;
mod wechat;

use tera::Context;

use super::Renderer;
use super::context::PageMeta;
use crate::content::Issue;
use crate::diagnostics::Diagnostic;
use crate::plan::PageKind;
use crate::site::Site;
use crate::words::Word;

/// A page laid out by the theme.
pub(super) struct Html {
    /// The template.
    pub(super) template: &'static str,
    /// What the template shows besides `site`, `words` and `page`.
    pub(super) ctx: Context,
    /// `page`: what the page is.
    pub(super) meta: PageMeta,
}

/// What a page kind makes.
pub(super) enum Made<'r> {
    /// One page through a template.
    Html(Html),
    /// One file written by Rust.
    Bytes(Vec<u8>),
    /// Many files, made as they are taken: (output path, bytes).
    Files(Box<dyn Iterator<Item = (String, Vec<u8>)> + 'r>),
}

/// Makes the page of `kind`; every kind has its module.
pub(super) fn make<'r>(env: &'r Renderer<'_>, kind: PageKind) -> Result<Made<'r>, Diagnostic> {
    let html = match kind {
        PageKind::Home => home::page(env),
        PageKind::Archive => archive::page(env),
        PageKind::Issue(i) => issue::page(env, i),
        PageKind::Article(r) => article::page(env, r),
        PageKind::Audience { audience, page } => audience::page(env, audience, page),
        PageKind::Standing(p) => standing::page(env, p),
        PageKind::Lessons => lessons::page(env),
        PageKind::NotFound => not_found::page(env),
        PageKind::QrSite => qr::site_sheet(env)?,
        PageKind::QrIssue(i) => qr::issue_sheet(env, i)?,
        PageKind::Print(i) => print::booklet(env, i)?,
        PageKind::SelfcheckList => selfcheck::list_page(env),
        PageKind::Selfcheck(q) => selfcheck::questionnaire_page(env, q),
        PageKind::Search => search::page(env),
        PageKind::SearchIndex => return Ok(Made::Files(search::index(env))),
        PageKind::Feed(audience) => return Ok(Made::Bytes(feed::xml(env, audience))),
        PageKind::Sitemap => return Ok(Made::Bytes(sitemap::xml(env.site))),
        PageKind::WechatList => wechat::list(env),
        PageKind::Wechat(r) => wechat::page(env, r)?,
        PageKind::WechatFragment(r) => return wechat::fragment(env, r).map(Made::Bytes),
        PageKind::WechatQr(r) => return wechat::article_qr(env, r).map(Made::Bytes),
        PageKind::WechatSelfcheckQr(q) => return wechat::selfcheck_qr(env, q).map(Made::Bytes),
    };
    Ok(Made::Html(html))
}

/// Whether the theme file at `path` is left out of `site`: the script and
/// styles of page kinds the site does not have.
pub fn leaves_out(site: &Site, path: &str) -> bool {
    selfcheck::leaves_out(site, path) || wechat::leaves_out(site, path)
}

/// The `page` of a page at site path `path` (none for the 404 page).
fn meta(
    site: &Site,
    kind: &'static str,
    title: impl Into<String>,
    description: impl Into<String>,
    path: Option<&str>,
    section: impl Into<String>,
) -> PageMeta {
    let canonical = path.map(|p| site.config.base_url.absolute(p));
    PageMeta::new(kind, title, description, canonical, section)
}

/// The absolute URL of an issue's cover, for link previews.
fn cover(site: &Site, issue: &Issue) -> Option<String> {
    issue
        .cover
        .as_deref()
        .map(|c| site.config.base_url.absolute(c))
}

/// An issue's name as readers see it: 「第3期 居家不焦虑」.
fn issue_name(env: &Renderer<'_>, issue: &Issue) -> String {
    env.words().fill(
        Word::IssueTitle,
        &[
            ("number", &issue.number.to_string()),
            ("title", &issue.title),
        ],
    )
}
