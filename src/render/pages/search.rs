//! `/search/`: the search page, whose script searches on the phone, and the
//! index files it fetches.

use tera::Context;

use super::{Html, meta};
use crate::paths;
use crate::render::Renderer;
use crate::words::Word;

/// The search page: the form; results are the theme script's.
pub(super) fn page(env: &Renderer<'_>) -> Html {
    let words = env.words();
    let page = meta(
        env.site,
        "search",
        words.get(Word::SearchTitle),
        words.get(Word::SearchDescription),
        Some(paths::SEARCH),
        "search",
    );
    Html {
        template: "search.html",
        ctx: Context::new(),
        meta: page,
    }
}

/// The index files, made one range of articles at a time as they are taken.
pub(super) fn index<'r>(env: &'r Renderer<'_>) -> Box<dyn Iterator<Item = (String, Vec<u8>)> + 'r> {
    Box::new(crate::search::files(env.site))
}
