//! `/lessons/` (微课): every article with audio or video, newest first,
//! each with the kind and size of what it plays, so a resident on metered
//! data knows what a lesson costs before opening it.

use serde::Serialize;

use crate::media::html::size;
use crate::render::context::{ArticleCard, Cards};
use crate::site::{ArticleRef, Site};

/// The page's site path.
pub const PATH: &str = "lessons/";

/// One lesson in the list: the article's card and what it plays.
#[derive(Serialize)]
pub struct LessonCard<'c, 'a> {
    /// The article's card, as other lists show it.
    pub card: &'c ArticleCard<'a>,
    /// Each player: `音频 · 3.2 MB`.
    pub media: Vec<String>,
}

/// The list, from the cards computed once per build.
pub fn cards<'c, 'a>(site: &Site, cards: &'c Cards<'a>) -> Vec<LessonCard<'c, 'a>> {
    site.lessons
        .iter()
        .map(|&r: &ArticleRef| LessonCard {
            card: cards.get(r),
            media: site
                .article(r)
                .1
                .media
                .iter()
                .map(|m| format!("{} · {}", m.kind.label(), size(m.bytes)))
                .collect(),
        })
        .collect()
}
