//! The home page: the latest issue and its articles, a few earlier issues,
//! each audience's entry point with its article count, the intro, and links
//! to the QR poster, the self-checks and the lessons.

use serde::Serialize;
use tera::Context;

use super::{Html, cover, meta};
use crate::paths;
use crate::render::Renderer;
use crate::render::context::{AudienceLink, FeedLink, audience_link, issue_card};

/// How many earlier issues the home page lists besides the latest.
const RECENT_ISSUES: usize = 4;

#[derive(Serialize)]
struct Intro<'a> {
    title: &'a str,
    html: &'a str,
}

#[derive(Serialize)]
struct Section<'a> {
    audience: AudienceLink<'a>,
    count: usize,
}

/// The home page.
pub(super) fn page(env: &Renderer<'_>) -> Html {
    let site = env.site;
    let base = &site.config.base_url;
    let latest = site.issues.first();
    let mut ctx = Context::new();
    ctx.insert(
        "intro",
        &site.intro.as_ref().map(|i| Intro {
            title: &i.title,
            html: &i.html,
        }),
    );
    ctx.insert("latest", &latest.map(|i| issue_card(site, i)));
    ctx.insert(
        "latest_articles",
        &latest.map_or(&[][..], |_| env.cards.issue(0)),
    );
    let recent: Vec<_> = site
        .issues
        .iter()
        .skip(1)
        .take(RECENT_ISSUES)
        .map(|i| issue_card(site, i))
        .collect();
    ctx.insert("recent_issues", &recent);
    let sections: Vec<Section<'_>> = site
        .config
        .audiences
        .iter()
        .zip(&site.by_audience)
        .map(|(a, list)| Section {
            audience: audience_link(site, a),
            count: list.len(),
        })
        .collect();
    ctx.insert("sections", &sections);
    ctx.insert("qr_url", &base.link(paths::QR_SHEET));
    ctx.insert("selfcheck_url", &super::selfcheck::list_url(site));
    let lessons_url = (!site.lessons.is_empty()).then(|| base.link(paths::LESSONS));
    ctx.insert("lessons_url", &lessons_url);
    let mut page = meta(
        site,
        "home",
        "",
        &site.config.description,
        Some(paths::HOME),
        "home",
    );
    page.feed = Some(FeedLink {
        title: site.config.title.clone(),
        url: base.link(paths::SITE_FEED),
    });
    page.image = latest.and_then(|i| cover(site, i));
    Html {
        template: "index.html",
        ctx,
        meta: page,
    }
}
