//! Feeds parsed with a real feed parser; QR sheets rasterised and every code
//! decoded with a real QR decoder.

use crate::common;

use crate::common::{Site, hrefs, snapshot};

const SITE: &str = "https://example.org/sub/path/";

fn parse_feed(site: &Site, path: &str) -> feed_rs::model::Feed {
    let xml = site.public(path);
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{xml}"))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

/// The fixture plus an article whose title needs escaping, the newest.
fn site_with_tricky_title() -> Site {
    let site = Site::fixture();
    site.write(
        "issues/002-later/03-esc.md",
        "+++\ntitle = \"A & B <c> \\\"d\\\" 'e' 中文\"\naudiences = [\"workers\"]\ndate = 2026-02-02T09:30:00\nsummary = \"摘要 & <b>不是标签</b>\"\n+++\n\n正文 <em>强调</em>，![图](../001/pic.png)\n",
    );
    site
}

#[test]
fn site_feed_lists_every_article_newest_first_with_absolute_links() {
    let site = site_with_tricky_title();
    site.build_ok(&[]);
    let feed = parse_feed(&site, "feed.xml");
    assert_eq!(feed.title.as_ref().unwrap().content, "测试微刊");
    // feed-rs lower-cases the language tag.
    assert_eq!(feed.language.as_deref(), Some("zh-cn"));
    assert_eq!(
        titles(&feed),
        [
            "A & B <c> \"d\" 'e' 中文",
            "Gamma",
            "Alpha 文章",
            "Beta",
            "给所有人"
        ]
    );

    let files = snapshot(&site.path("public"));
    for entry in &feed.entries {
        let link = &entry.links[0].href;
        let page = link
            .strip_prefix(SITE)
            .unwrap_or_else(|| panic!("{link} is not absolute under {SITE}"));
        assert!(
            files.contains_key(&format!("{page}index.html")),
            "{link} points nowhere"
        );
        assert_eq!(&entry.id, link, "the guid is the permalink");
    }
    let newest = &feed.entries[0];
    // 09:30 in the site's +08:00 is 01:30 UTC.
    assert_eq!(
        newest.published.unwrap().to_rfc3339(),
        "2026-02-02T01:30:00+00:00"
    );
    assert_eq!(
        feed.entries[1].published.unwrap().to_rfc3339(),
        "2026-01-31T16:00:00+00:00"
    );
    assert_eq!(
        feed.updated, newest.published,
        "lastBuildDate is the newest item's date"
    );
    assert_eq!(
        newest.summary.as_ref().unwrap().content,
        "摘要 & <b>不是标签</b>"
    );
    let body = newest.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(body.contains("<em>强调</em>"), "{body}");
    assert!(
        body.contains(&format!("src=\"{SITE}issues/1/pic.png\"")),
        "{body}"
    );
    assert_eq!(
        newest
            .categories
            .iter()
            .map(|c| c.term.as_str())
            .collect::<Vec<_>>(),
        ["复工职工"]
    );

    let xml = site.public("feed.xml");
    assert!(xml.contains(&format!(
        "<atom:link href=\"{SITE}feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>"
    )));
}

#[test]
fn audience_feeds_hold_their_articles_and_respect_the_limit() {
    let site = site_with_tricky_title();
    site.build_ok(&[]);
    let elders = parse_feed(&site, "for/elders/feed.xml");
    assert_eq!(titles(&elders), ["Gamma", "Alpha 文章", "Beta", "给所有人"]);
    assert_eq!(
        elders.title.as_ref().unwrap().content,
        "测试微刊 · 写给老年人"
    );
    assert_eq!(elders.links[0].href, format!("{SITE}for/elders/"));
    assert_eq!(
        titles(&parse_feed(&site, "for/workers/feed.xml")),
        ["A & B <c> \"d\" 'e' 中文", "Beta", "给所有人"]
    );

    site.write(
        "site.toml",
        &format!("{}\n[feeds]\nlimit = 2\n", common::SITE_TOML),
    );
    site.build_ok(&[]);
    assert_eq!(
        titles(&parse_feed(&site, "feed.xml")),
        ["A & B <c> \"d\" 'e' 中文", "Gamma"]
    );
    assert_eq!(parse_feed(&site, "for/elders/feed.xml").entries.len(), 2);
}

#[test]
fn an_audience_without_articles_gets_a_valid_empty_feed() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!(
            "{}\n[[audiences]]\nkey = \"frontline\"\nname = \"一线工作人员\"\n",
            common::SITE_TOML.replace("[pagination]\nper_page = 2\n", "")
        ),
    );
    // Remove the article for everyone, so nothing reaches frontline.
    site.remove("issues/001/03-中文.md");
    site.build_ok(&[]);
    let feed = parse_feed(&site, "for/frontline/feed.xml");
    assert!(feed.entries.is_empty());
    assert_eq!(
        feed.title.as_ref().unwrap().content,
        "测试微刊 · 写给一线工作人员"
    );
    assert!(
        !site
            .public("for/frontline/feed.xml")
            .contains("lastBuildDate"),
        "no build clock in feeds"
    );
    assert!(site.has_public("for/frontline/index.html"));
}

#[test]
fn pages_offer_their_feeds() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let home = site.public("index.html");
    let alternate = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel =
            scraper::Selector::parse("link[rel=alternate][type='application/rss+xml']").unwrap();
        doc.select(&sel)
            .map(|e| e.value().attr("href").unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(alternate(&home), ["/sub/path/feed.xml"]);
    assert_eq!(
        hrefs(&home, ".follow a"),
        ["/sub/path/feed.xml", "/sub/path/qr/"]
    );
    let elders = site.public("for/elders/index.html");
    assert_eq!(alternate(&elders), ["/sub/path/for/elders/feed.xml"]);
    assert!(hrefs(&elders, "main a").contains(&"/sub/path/for/elders/feed.xml".to_owned()));
    assert_eq!(
        hrefs(&site.public("issues/1/index.html"), ".meta a"),
        ["/sub/path/issues/1/print/", "/sub/path/issues/1/qr/"]
    );
}

/// Rasterises `svg` at `scale` pixels a module and decodes its one code:
/// (text, version, error-correction bits).
fn decode_svg(svg: &str, scale: f32) -> (String, usize, u16) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let side = (tree.size().width() * scale) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(side, side).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side as usize, side as usize, |x, y| {
            pixmap.pixel(x as u32, y as u32).unwrap().red()
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one code in {svg}");
    let (meta, text) = grids[0].decode().expect("decodes");
    (text, meta.version.0, meta.ecc_level)
}

/// Every QR code on a sheet, decoded: (text, version, error-correction bits).
fn decode_sheet(html: &str) -> Vec<(String, usize, u16)> {
    let mut decoded = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + "</svg>".len();
        decoded.push(decode_svg(&rest[start..end], 6.0));
        rest = &rest[end..];
    }
    decoded
}

/// Codes drawn as stroked runs decode at every address length and at
/// small and large scales, at level M.
#[test]
fn stroked_runs_decode_at_every_length_and_scale() {
    for len in [1, 20, 44, 60, 100, 150, 250, 400] {
        let url: String = "https://example.org/weikan/issues/1000/friends-10/"
            .chars()
            .cycle()
            .take(len)
            .collect();
        let qr = weikan::qr::svg(&url, "码").unwrap();
        for scale in [3.0, 5.0] {
            let (text, version, ecc) = decode_svg(&qr.svg, scale);
            assert_eq!(text, url);
            assert_eq!(version, usize::from(qr.version));
            assert_eq!(ecc, 0, "format bits 00 are level M");
        }
    }
}

fn check_sheet(site: &Site, sheet: &str, expected: &[&str]) -> Vec<(String, usize)> {
    let files = snapshot(&site.path("public"));
    let codes = decode_sheet(&site.public(sheet));
    let texts: Vec<&str> = codes.iter().map(|(t, _, _)| t.as_str()).collect();
    let wanted: Vec<String> = expected.iter().map(|p| format!("{SITE}{p}")).collect();
    assert_eq!(texts, wanted, "{sheet}");
    let html = site.public(sheet);
    for (text, version, ecc) in &codes {
        let page = text.strip_prefix(SITE).unwrap();
        assert!(
            files.contains_key(&format!("{page}index.html")),
            "{text} is not a page"
        );
        // Format bits 00 are level M.
        assert_eq!(*ecc, 0, "{text}: error correction M");
        assert_eq!(
            *version,
            smallest_version_m(text.len()),
            "{text}: no larger than needed"
        );
        assert!(
            html.contains(&format!(">{text}</p>")),
            "{text} is printed under its code"
        );
    }
    codes.into_iter().map(|(t, v, _)| (t, v)).collect()
}

#[test]
fn qr_sheets_decode_to_the_pages_they_name() {
    let site = Site::fixture();
    site.build_ok(&[]);
    check_sheet(
        &site,
        "qr/index.html",
        &[
            "",
            "for/elders/",
            "for/workers/",
            "for/students/",
            "issues/2/",
            "hotlines/",
            "about/",
        ],
    );
    check_sheet(
        &site,
        "issues/1/qr/index.html",
        &[
            "issues/1/",
            "issues/1/alpha/",
            "issues/1/b-custom/",
            "issues/1/3/",
            "issues/1/print/",
        ],
    );
    check_sheet(
        &site,
        "issues/2/qr/index.html",
        &["issues/2/", "issues/2/gamma/", "issues/2/print/"],
    );
    // The quiet zone: four light modules around the 29-module version-3 code
    // of the 38-character issue URL.
    let sheet = site.public("issues/2/qr/index.html");
    assert!(sheet.contains("viewBox=\"0 0 37 37\""), "{sheet}");
    assert!(sheet.contains("d=\"M4 4.5h7m"), "finder pattern first");
}

#[test]
fn sample_site_feeds_parse_and_qr_codes_decode() {
    let root = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = common::weikan(&["build", "--root", root, "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = snapshot(&out);
    let mut feeds = 0;
    let mut codes = 0;
    for (name, bytes) in &files {
        if name.ends_with("feed.xml") {
            let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!feed.entries.is_empty(), "{name}");
            feeds += 1;
        }
        if name.ends_with("qr/index.html") {
            for (text, _, _) in decode_sheet(&String::from_utf8_lossy(bytes)) {
                let page = text.strip_prefix("https://example.org/weikan/").unwrap();
                assert!(
                    files.contains_key(&format!("{page}index.html")),
                    "{name}: {text}"
                );
                codes += 1;
            }
        }
    }
    assert_eq!(feeds, 5);
    assert!(codes >= 30, "{codes} codes");
}

/// The smallest QR version holding `bytes` bytes in byte mode at error
/// correction M, from the standard's capacity table (ISO/IEC 18004, table 7).
fn smallest_version_m(bytes: usize) -> usize {
    const CAPACITY_M: [usize; 10] = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
    CAPACITY_M.iter().position(|&c| bytes <= c).unwrap() + 1
}
