//! A standing page (about, hotlines, handbook …): its body alone.

use tera::Context;

use super::{Html, meta};
use crate::render::Renderer;
use crate::render::context::page_section;

/// Standing page `p`.
pub(super) fn page(env: &Renderer<'_>, p: usize) -> Html {
    let standing = &env.site.pages[p];
    let mut ctx = Context::new();
    ctx.insert("html", &standing.html);
    let section = page_section(&standing.path);
    let page = meta(
        env.site,
        "page",
        &standing.title,
        "",
        Some(&standing.path),
        section,
    );
    Html {
        template: "page.html",
        ctx,
        meta: page,
    }
}
