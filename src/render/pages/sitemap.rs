//! `sitemap.xml`: the absolute URL of every page the plan lists for it, in
//! the plan's order, with dates where known.

use std::fmt::Write;

use crate::html::escape;
use crate::plan::PageKind;
use crate::site::Site;

/// The sitemap of `site`.
pub(super) fn xml(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in site.plan().entries().iter().filter(|e| e.in_sitemap) {
        let loc = escape(&base.absolute(&entry.path));
        match lastmod(site, entry.kind) {
            Some(date) => writeln!(
                xml,
                "  <url><loc>{loc}</loc><lastmod>{date}</lastmod></url>"
            ),
            None => writeln!(xml, "  <url><loc>{loc}</loc></url>"),
        }
        .expect("writing to a String cannot fail");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// When the page last changed, as far as the content says: an issue's and
/// its booklet's date, an article's, and the newest issue's for the home
/// page and the archive.
fn lastmod(site: &Site, kind: PageKind) -> Option<String> {
    match kind {
        PageKind::Home | PageKind::Archive => site.issues.first().map(|i| i.date.iso()),
        PageKind::Issue(i) | PageKind::Print(i) => Some(site.issues[i].date.iso()),
        PageKind::Article(r) => Some(site.article(r).1.date.iso()),
        _ => None,
    }
}
