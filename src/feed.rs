//! RSS 2.0 feeds: every article, and each audience's articles, newest first.
//!
//! Dates come from the articles, never from the build clock, so two builds
//! of the same site give the same bytes.

use std::fmt::Write;

use crate::html::escape;
use crate::site::{ArticleRef, Site};

/// What a feed is about.
pub struct Channel<'a> {
    /// The channel's title.
    pub title: &'a str,
    /// Site path of the page the feed belongs to (`""`, `for/elders/`).
    pub page: &'a str,
    /// The channel's description.
    pub description: &'a str,
    /// Site path of the feed itself.
    pub feed: &'a str,
}

/// Renders a feed of `items` (newest first), at most `[feeds] limit` of them.
pub fn render(site: &Site, channel: &Channel<'_>, items: &[ArticleRef]) -> String {
    let base = &site.config.base_url;
    let items = &items[..items.len().min(site.config.feed_limit.get())];
    let mut xml = String::with_capacity(2048 + items.len() * 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n");
    let w = &mut xml;
    line(w, "title", channel.title);
    line(w, "link", &base.absolute(channel.page));
    line(w, "description", channel.description);
    line(w, "language", &site.config.language);
    line(w, "generator", "weikan");
    if let Some(newest) = items.first() {
        line(w, "lastBuildDate", &site.article(*newest).1.date.rfc822());
    }
    writeln!(
        w,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&base.absolute(channel.feed))
    )
    .expect("writing to a String cannot fail");
    for r in items {
        let (_, article) = site.article(*r);
        let url = base.absolute(&article.path);
        w.push_str("<item>\n");
        line(w, "title", &article.title);
        line(w, "link", &url);
        writeln!(w, "<guid isPermaLink=\"true\">{}</guid>", escape(&url))
            .expect("writing to a String cannot fail");
        line(w, "pubDate", &article.date.rfc822());
        for key in &article.audiences {
            if let Some(audience) = site.config.audience(key) {
                line(w, "category", &audience.name);
            }
        }
        line(w, "description", &article.summary);
        // Feed readers resolve links against the feed's host, not the base
        // path, so the body's site links become absolute.
        let body = absolute_links(&article.html, base.path(), base.as_str());
        line(w, "content:encoded", &body);
        w.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn line(xml: &mut String, tag: &str, text: &str) {
    writeln!(xml, "<{tag}>{}</{tag}>", escape(text)).expect("writing to a String cannot fail");
}

/// Rewrites `href="/base/…"` and `src="/base/…"` to absolute URLs.
fn absolute_links(html: &str, base_path: &str, base_url: &str) -> String {
    html.replace(
        &format!(" href=\"{base_path}"),
        &format!(" href=\"{base_url}"),
    )
    .replace(
        &format!(" src=\"{base_path}"),
        &format!(" src=\"{base_url}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_in_bodies_become_absolute() {
        let html =
            r#"<a href="/w/issues/1/">x</a><img src="/w/a.png"><a href="https://o.org/w/">y</a>"#;
        assert_eq!(
            absolute_links(html, "/w/", "https://e.org/w/"),
            r#"<a href="https://e.org/w/issues/1/">x</a><img src="https://e.org/w/a.png"><a href="https://o.org/w/">y</a>"#
        );
    }
}
