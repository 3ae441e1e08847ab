//! A page of an audience section: its slice of the audience's articles,
//! newest first, a pager, and on the first page the questionnaires for it.

use tera::Context;

use super::{Html, meta};
use crate::paths;
use crate::render::Renderer;
use crate::render::context::{
    ArticleCard, FeedLink, Pager, PagerLink, audience_link, pager_window,
};
use crate::words::Word;

/// Page `n` (from 1) of the section of audience `audience`.
pub(super) fn page(env: &Renderer<'_>, audience: usize, n: usize) -> Html {
    let site = env.site;
    let base = &site.config.base_url;
    let aud = &site.config.audiences[audience];
    let list = &site.by_audience[audience];
    let per_page = site.config.per_page.get();
    let total = site.audience_pages(audience);
    let slice: Vec<&ArticleCard<'_>> = list
        .iter()
        .skip((n - 1) * per_page)
        .take(per_page)
        .map(|r| env.cards.get(*r))
        .collect();
    let key = aud.key.as_str();
    let link = |p: usize| base.link(&paths::audience_page(key, p));
    let mut ctx = Context::new();
    ctx.insert("audience", &audience_link(site, aud));
    ctx.insert("articles", &slice);
    ctx.insert("article_count", &list.len());
    // Questionnaires for this audience are listed on its first page only.
    let selfchecks = match n {
        1 => super::selfcheck::for_audience(site, &aud.key),
        _ => Vec::new(),
    };
    ctx.insert("selfchecks", &selfchecks);
    let pager = Pager {
        current: n,
        total,
        prev_url: (n > 1).then(|| link(n - 1)),
        next_url: (n < total).then(|| link(n + 1)),
        pages: pager_window(n, total)
            .into_iter()
            .map(|(p, gap_before)| PagerLink {
                number: p,
                url: link(p),
                gap_before,
            })
            .collect(),
    };
    ctx.insert("pager", &pager);
    let words = env.words();
    let name = aud.name.as_str();
    let title = if n > 1 {
        let page = n.to_string();
        words.fill(Word::AudiencePageTitle, &[("name", name), ("page", &page)])
    } else {
        words.fill(Word::AudienceTitle, &[("name", name)])
    };
    let path = paths::audience_page(key, n);
    let mut page = meta(
        site,
        "audience",
        title,
        &aud.description,
        Some(&path),
        format!("for-{key}"),
    );
    page.feed = Some(FeedLink {
        title: super::feed::audience_title(env, audience),
        url: base.link(&paths::audience_feed(key)),
    });
    Html {
        template: "audience.html",
        ctx,
        meta: page,
    }
}
