//! Every site path format, in one place. A *site path* is relative to the
//! base URL with no leading slash (see `urls`): pages end in `/` and are
//! written as `index.html` in that folder; other files keep their name.
//!
//! This module sits low in the layers (it knows only names), so the content
//! model, the page plan and render all spell a URL the same way.

use crate::names::{IssueNumber, Slug};

/// The home page.
pub const HOME: &str = "";
/// The archive of every issue.
pub const ARCHIVE: &str = "issues/";
/// The site's QR poster sheet.
pub const QR_SHEET: &str = "qr/";
/// The feed of every article.
pub const SITE_FEED: &str = "feed.xml";
/// `/lessons/` (微课).
pub const LESSONS: &str = "lessons/";
/// The search page.
pub const SEARCH: &str = "search/";
/// The folder of the search index's files.
pub const SEARCH_DIR: &str = "search/";
/// The search index's manifest, the file the search page fetches first.
pub const SEARCH_MANIFEST: &str = "search/index.json";
/// The list of every self-check questionnaire.
pub const SELFCHECK_LIST: &str = "selfcheck/";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The not-found page, a file at the root as static hosts expect it.
pub const NOT_FOUND: &str = "404.html";
/// The standing page the hotline bar links to, when the site has it.
pub const HOTLINES_PAGE: &str = "hotlines/";

/// The list of every article's 公众号 page, for editors.
pub const WECHAT_LIST: &str = "wechat/";
/// The 正文 fragment's file name inside an article's 公众号 page folder.
pub const WECHAT_FRAGMENT: &str = "article.html";
/// The file name of the QR code (PNG) of a page's address, inside the
/// folder of its 公众号 page.
pub const WECHAT_QR: &str = "qr.png";
/// The cover crops of an article's 公众号 page: (width, height).
pub const WECHAT_COVERS: [(u32, u32); 2] = [(900, 383), (500, 500)];

/// Folder names at the site's root that the site itself uses: a standing
/// page may not take them as its slug.
pub const RESERVED_PAGE_SLUGS: [&str; 8] = [
    "issues",
    "for",
    "qr",
    "selfcheck",
    "lessons",
    "search",
    "places",
    "wechat",
];
/// Article slugs taken by an issue's own pages, with what takes them.
pub const RESERVED_ARTICLE_SLUGS: [(&str, &str); 2] = [
    ("qr", "the issue's QR sheet"),
    ("print", "the issue's print booklet"),
];

/// Issue `number`: `issues/<n>/`.
pub fn issue(number: IssueNumber) -> String {
    format!("{ARCHIVE}{number}/")
}

/// An article of the issue at `issue_path`: `issues/<n>/<slug>/`.
pub fn article(issue_path: &str, slug: &Slug) -> String {
    format!("{issue_path}{slug}/")
}

/// The QR sheet of the issue at `issue_path`.
pub fn issue_qr(issue_path: &str) -> String {
    format!("{issue_path}{QR_SHEET}")
}

/// The print booklet of the issue at `issue_path`.
pub fn issue_print(issue_path: &str) -> String {
    format!("{issue_path}print/")
}

/// The first page of an audience's section: `for/<key>/`.
pub fn audience(key: &str) -> String {
    format!("for/{key}/")
}

/// Page `n` (from 1) of an audience's section; the first is the section's
/// own address.
pub fn audience_page(key: &str, n: usize) -> String {
    if n <= 1 {
        audience(key)
    } else {
        format!("for/{key}/page/{n}/")
    }
}

/// An audience's feed.
pub fn audience_feed(key: &str) -> String {
    format!("for/{key}/feed.xml")
}

/// A standing page with `slug`.
pub fn standing(slug: &Slug) -> String {
    format!("{slug}/")
}

/// A questionnaire with `slug`.
pub fn questionnaire(slug: &Slug) -> String {
    format!("{SELFCHECK_LIST}{slug}/")
}

/// The 公众号 page of the article at `article_path` (`issues/3/sleep/`):
/// `wechat/3/sleep/`.
pub fn wechat_article(article_path: &str) -> String {
    let inside = article_path.strip_prefix(ARCHIVE).unwrap_or(article_path);
    format!("{WECHAT_LIST}{inside}")
}

/// The 正文 fragment of the 公众号 page at `wechat_page`.
pub fn wechat_fragment(wechat_page: &str) -> String {
    format!("{wechat_page}{WECHAT_FRAGMENT}")
}

/// The QR code (PNG) of the address of the page at `site_path`, for a
/// 公众号 正文: beside the article's 公众号 page, or under `wechat/` for
/// another page (`wechat/selfcheck/phq9/qr.png`).
pub fn wechat_qr(site_path: &str) -> String {
    if site_path.starts_with(ARCHIVE) {
        format!("{}{WECHAT_QR}", wechat_article(site_path))
    } else {
        format!("{WECHAT_LIST}{site_path}{WECHAT_QR}")
    }
}

/// A cover crop of the 公众号 page at `wechat_page`, `width` × `height`.
pub fn wechat_cover(wechat_page: &str, (width, height): (u32, u32)) -> String {
    format!("{wechat_page}cover-{width}x{height}.jpg")
}

/// The PNG made for a 公众号 正文 from the SVG drawing at `svg_path`
/// (`issues/1/a.svg` → `wechat/png/issues/1/a.png`).
pub fn wechat_png(svg_path: &str) -> String {
    let stem = svg_path.strip_suffix(".svg").unwrap_or(svg_path);
    format!("{WECHAT_LIST}png/{stem}.png")
}

/// The output file of the page or file at `site_path`.
pub fn file_of(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wechat_pages_sit_beside_their_articles_own_paths() {
        assert_eq!(wechat_article("issues/3/sleep/"), "wechat/3/sleep/");
        assert_eq!(wechat_qr("issues/3/sleep/"), "wechat/3/sleep/qr.png");
        assert_eq!(wechat_qr("selfcheck/phq9/"), "wechat/selfcheck/phq9/qr.png");
        assert_eq!(
            wechat_cover("wechat/3/sleep/", (900, 383)),
            "wechat/3/sleep/cover-900x383.jpg"
        );
    }

    #[test]
    fn pages_are_folders_and_files_keep_their_names() {
        assert_eq!(file_of(HOME), "index.html");
        assert_eq!(
            file_of(&audience_page("elders", 2)),
            "for/elders/page/2/index.html"
        );
        assert_eq!(audience_page("elders", 1), "for/elders/");
        assert_eq!(file_of(SITE_FEED), "feed.xml");
        assert_eq!(file_of(NOT_FOUND), "404.html");
    }
}
