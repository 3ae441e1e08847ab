//! `/issues/`: every issue, newest first.

use tera::Context;

use super::{Html, meta};
use crate::paths;
use crate::render::Renderer;
use crate::render::context::issue_card;
use crate::words::Word;

/// The archive page.
pub(super) fn page(env: &Renderer<'_>) -> Html {
    let site = env.site;
    let issues: Vec<_> = site.issues.iter().map(|i| issue_card(site, i)).collect();
    let mut ctx = Context::new();
    ctx.insert("issues", &issues);
    let words = env.words();
    let page = meta(
        site,
        "issues",
        words.get(Word::ArchiveTitle),
        words.get(Word::ArchiveDescription),
        Some(paths::ARCHIVE),
        "issues",
    );
    Html {
        template: "issues.html",
        ctx,
        meta: page,
    }
}
