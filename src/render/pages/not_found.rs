//! The 404 page: a title and the way home; it has no address of its own.

use tera::Context;

use super::{Html, meta};
use crate::render::Renderer;
use crate::words::Word;

/// The not-found page.
pub(super) fn page(env: &Renderer<'_>) -> Html {
    let title = env.words().get(Word::NotFoundTitle);
    Html {
        template: "404.html",
        ctx: Context::new(),
        meta: meta(env.site, "404", title, "", None, ""),
    }
}
