//! What each fuzz target does with its input, shared by the cargo-fuzz
//! targets in `fuzz_targets/` and by `tests/suite/fuzz_regressions.rs`, which
//! replays every input kept in `fuzz/regressions/` on each test run.
//!
//! Each function takes a file's raw bytes as weikan reads a file, must
//! never panic, and formats every diagnostic as the CLI prints it.

use std::sync::OnceLock;

use weikan::config::{ConfigOverrides, MarkdownOptions, SiteConfig};
use weikan::content::front_matter::{parse_article, parse_issue, parse_page};
use weikan::diagnostics::Diagnostic;
use weikan::markdown::{LinkIndex, LinkTarget, MarkdownContext, render, summarize};
use weikan::source::SourceFile;
use weikan::urls::BaseUrl;

/// The input as weikan reads a file at `path`; a rejected file's error is
/// formatted, as the CLI would print it.
fn read(path: &str, data: &[u8]) -> Option<SourceFile> {
    SourceFile::from_bytes(path, data.to_vec())
        .map_err(|d| d.to_string())
        .ok()
}

/// `site.toml` text → `SiteConfig::parse`, and every diagnostic printed.
pub fn site_toml(data: &[u8]) {
    let Some(file) = read("site.toml", data) else {
        return;
    };
    match SiteConfig::parse(&file, &ConfigOverrides::default()) {
        Ok(config) => {
            // Touch the derived values too.
            for h in &config.hotlines {
                let _ = h.tel();
            }
            let _ = config.base_url.path();
        }
        Err(diagnostics) => {
            for d in diagnostics.iter() {
                let _ = d.to_string();
            }
        }
    }
}

/// The test fixture's settings: a valid configuration to check against.
const SITE_TOML: &str = include_str!("../tests/common/site.toml");

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let file = SourceFile::new("site.toml", SITE_TOML.to_owned());
        SiteConfig::parse(&file, &ConfigOverrides::default())
            .expect("the fuzz target's constant site.toml is valid")
    })
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = d.to_string();
    }
}

/// A content file → `+++` split → article, issue and page front-matter
/// checks against a fixed valid site configuration; every diagnostic printed.
pub fn front_matter(data: &[u8]) {
    let config = config();
    let Some(file) = read("issues/001/01-a.md", data) else {
        return;
    };
    match file.split_front_matter() {
        Ok(fm) => {
            if let Err(d) = parse_article(&file, &fm, config) {
                print_all(&d);
            }
            if let Err(d) = parse_issue(&file, &fm, config) {
                print_all(&d);
            }
            if let Err(d) = parse_page(&file, &fm) {
                print_all(&d);
            }
            if let Err(d) = weikan::content::questionnaire::parse(&file, &fm, config) {
                print_all(&d);
            }
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
}

fn index() -> &'static LinkIndex {
    static INDEX: OnceLock<LinkIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut i = LinkIndex::default();
        i.insert(
            "issues/001/02-b.md".into(),
            LinkTarget::Page("issues/1/b/".into()),
        );
        i.insert(
            "issues/001/pic.png".into(),
            LinkTarget::File("issues/1/pic.png".into()),
        );
        i.insert(
            "issues/001/图 1.png".into(),
            LinkTarget::File("issues/1/图 1.png".into()),
        );
        i.insert("content/about.md".into(), LinkTarget::Page("about/".into()));
        i.insert("issues/002/01-wip.md".into(), LinkTarget::Draft);
        i.insert("issues/001/03-broken.md".into(), LinkTarget::Broken);
        i
    })
}

fn base() -> &'static BaseUrl {
    static BASE: OnceLock<BaseUrl> = OnceLock::new();
    BASE.get_or_init(|| BaseUrl::parse("https://example.org/weikan/").unwrap())
}

/// Markdown body → `markdown::render` (links, highlighting, sanitising) and
/// `summarize`; every diagnostic printed. The sanitised HTML must never
/// carry a script: see `assert_safe`.
pub fn markdown(data: &[u8]) {
    let Some(file) = read("issues/001/01-a.md", data) else {
        return;
    };
    // `render` expects `body` to be the slice of `file.text` starting at
    // `body_offset`; `SourceFile::new` strips a leading BOM, so the body is
    // taken from the file's text rather than from the raw input.
    let text = file.text.clone();
    let media = weikan::media::MediaIndex::default();
    let ctx = MarkdownContext {
        links: index(),
        base: base(),
        options: MarkdownOptions {
            unsafe_html: false,
            highlight_code: true,
        },
        media: &media,
    };
    let rendered = render(&file, &text, 0, ctx);
    let _ = summarize(&rendered.first_paragraph, 160);
    for d in &rendered.diagnostics {
        let _ = d.to_string();
    }
    assert_safe(&rendered.html);
}

/// The sanitised HTML may mention scripts in text, but never as markup: no
/// `<script` tag, no `on…` handler, no `javascript:` or `data:` address. The cleaner's serialiser escapes `<` in text and `"` in
/// attribute values, so tags are found by a `<` and end at a `>` outside
/// quotes.
fn assert_safe(html: &str) {
    // Attributes a browser loads or follows (an `id` may say anything).
    const URL_ATTRIBUTES: &[&str] = &[
        "href",
        "src",
        "srcset",
        "cite",
        "action",
        "formaction",
        "poster",
        "background",
    ];
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(open) = lower[i..].find('<') {
        let start = i + open;
        let mut end = start + 1;
        let mut quoted = false;
        while end < bytes.len() && (quoted || bytes[end] != b'>') {
            if bytes[end] == b'"' {
                quoted = !quoted;
            }
            end += 1;
        }
        let tag = &lower[start..end];
        assert!(
            !tag.starts_with("<script"),
            "a <script> tag survived: {html}"
        );
        for (eq, _) in tag.match_indices("=\"") {
            let name_start = tag[..eq]
                .rfind(|c: char| c.is_ascii_whitespace())
                .map_or(0, |j| j + 1);
            let name = &tag[name_start..eq];
            assert!(!name.starts_with("on"), "an event handler survived: {html}");
            let value = tag[eq + 2..].trim_start();
            assert!(
                !URL_ATTRIBUTES.contains(&name)
                    || !(value.starts_with("javascript:") || value.starts_with("data:")),
                "a javascript: or data: address survived: {html}"
            );
        }
        i = end;
    }
}
