//! The RSS feeds: every article's (`/feed.xml`) and each audience's
//! (`/for/<key>/feed.xml`), written by `crate::feed`.

use crate::feed::{self, Channel};
use crate::paths;
use crate::render::Renderer;
use crate::words::Word;

/// The feed of every article (`None`) or of audience `audience`.
pub(super) fn xml(env: &Renderer<'_>, audience: Option<usize>) -> Vec<u8> {
    let site = env.site;
    let config = &site.config;
    let Some(i) = audience else {
        let channel = Channel {
            title: &config.title,
            page: paths::HOME,
            description: &config.description,
            feed: paths::SITE_FEED,
        };
        return feed::render(site, &channel, &site.newest).into_bytes();
    };
    let aud = &config.audiences[i];
    let title = audience_title(env, i);
    let page = paths::audience(aud.key.as_str());
    let path = paths::audience_feed(aud.key.as_str());
    let description = if aud.description.is_empty() {
        &config.description
    } else {
        &aud.description
    };
    let channel = Channel {
        title: &title,
        page: &page,
        description,
        feed: &path,
    };
    feed::render(site, &channel, &site.by_audience[i]).into_bytes()
}

/// The title of audience `i`'s feed, also offered by its section's pages.
pub(super) fn audience_title(env: &Renderer<'_>, i: usize) -> String {
    let site = env.site;
    env.words().fill(
        Word::AudienceFeedTitle,
        &[
            ("site", &site.config.title),
            ("name", &site.config.audiences[i].name),
        ],
    )
}
