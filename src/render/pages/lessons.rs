//! `/lessons/` (微课): every article with audio or video, newest first,
//! each with the kind and size of what it plays, so a resident on metered
//! data knows what a lesson costs before opening it.

use serde::Serialize;
use tera::Context;

use super::{Html, meta};
use crate::media::html::size;
use crate::paths;
use crate::plan::ArticleRef;
use crate::render::Renderer;
use crate::render::context::{ArticleCard, Cards};
use crate::site::Site;
use crate::words::{Word, Words};

/// One lesson in the list: the article's card and what it plays.
#[derive(Serialize)]
struct LessonCard<'c, 'a> {
    /// The article's card, as other lists show it.
    card: &'c ArticleCard<'a>,
    /// Each player: `音频 · 3.2 MB`.
    media: Vec<String>,
}

/// The lessons page.
pub(super) fn page(env: &Renderer<'_>) -> Html {
    let mut ctx = Context::new();
    let words = env.words();
    ctx.insert("lessons", &cards(env.site, words, &env.cards));
    let page = meta(
        env.site,
        "lessons",
        words.get(Word::LessonsTitle),
        words.get(Word::LessonsDescription),
        Some(paths::LESSONS),
        "lessons",
    );
    Html {
        template: "lessons.html",
        ctx,
        meta: page,
    }
}

/// The list, from the cards computed once per build, each lesson's kind and
/// size as its player shows them.
fn cards<'c, 'a>(site: &Site, words: &Words, cards: &'c Cards<'a>) -> Vec<LessonCard<'c, 'a>> {
    site.lessons
        .iter()
        .map(|&r: &ArticleRef| LessonCard {
            card: cards.get(r),
            media: site
                .article(r)
                .1
                .media
                .iter()
                .map(|m| {
                    let kind = words.get(m.kind.word());
                    words.fill(Word::MediaMeta, &[("kind", kind), ("size", &size(m.bytes))])
                })
                .collect(),
        })
        .collect()
}
