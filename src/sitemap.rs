//! `sitemap.xml`: every page's absolute URL, with dates where known.

use std::fmt::Write;

use crate::html::escape;
use crate::render::context::audience_page_path;
use crate::render::print;
use crate::site::Site;

/// Renders the sitemap of every page (the 404 page aside).
pub fn render(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<String>| {
        let loc = escape(&base.absolute(path));
        match lastmod {
            Some(date) => writeln!(
                xml,
                "  <url><loc>{loc}</loc><lastmod>{date}</lastmod></url>"
            ),
            None => writeln!(xml, "  <url><loc>{loc}</loc></url>"),
        }
        .expect("writing to a String cannot fail");
    };
    let newest = site.issues.first().map(|i| i.date.iso());
    entry("", newest.clone());
    entry("issues/", newest);
    for issue in &site.issues {
        entry(&issue.path(), Some(issue.date.iso()));
        entry(&print::path(issue), Some(issue.date.iso()));
        for article in &issue.articles {
            entry(&article.path, Some(article.date.iso()));
        }
    }
    for (i, audience) in site.config.audiences.iter().enumerate() {
        for n in 1..=site.audience_pages(i) {
            entry(&audience_page_path(audience.key.as_str(), n), None);
        }
    }
    for page in &site.pages {
        entry(&page.path, None);
    }
    if !site.questionnaires.is_empty() {
        entry(crate::selfcheck::LIST_PATH, None);
    }
    for q in &site.questionnaires {
        entry(&q.path, None);
    }
    if !site.lessons.is_empty() {
        entry(crate::lessons::PATH, None);
    }
    xml.push_str("</urlset>\n");
    xml
}
