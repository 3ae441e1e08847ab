//! An issue's page: the editor's note and its articles, with links to the
//! issue's QR sheet and print booklet.

use tera::Context;

use super::{Html, cover, issue_name, meta};
use crate::paths;
use crate::render::Renderer;
use crate::render::context::issue_card;

/// The page of issue `i`.
pub(super) fn page(env: &Renderer<'_>, i: usize) -> Html {
    let site = env.site;
    let base = &site.config.base_url;
    let issue = &site.issues[i];
    let path = issue.path();
    let mut ctx = Context::new();
    ctx.insert("issue", &issue_card(site, issue));
    ctx.insert("note_html", &issue.note_html);
    ctx.insert("articles", env.cards.issue(i));
    ctx.insert("qr_url", &base.link(&paths::issue_qr(&path)));
    ctx.insert("print_url", &base.link(&paths::issue_print(&path)));
    let mut page = meta(
        site,
        "issue",
        issue_name(env, issue),
        &issue.summary,
        Some(&path),
        "issues",
    );
    page.image = cover(site, issue);
    Html {
        template: "issue.html",
        ctx,
        meta: page,
    }
}
