//! The print booklet of each issue, `/issues/<n>/print/`, built from fixture
//! sites with the real binary: what it holds, in which order, what links to
//! it, and the `[print] paper` setting. How it looks on paper is proven in
//! tests/browser/print.test.mjs, which prints it with Chromium.

use crate::common;

use std::collections::HashSet;

use crate::common::{SITE_TOML, Site, fails_with, hrefs, texts};
use scraper::{Html, Selector};

const BOOKLET: &str = "issues/1/print/index.html";

fn attrs(html: &str, css: &str, name: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse(css).unwrap())
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

#[test]
fn a_booklet_holds_the_cover_each_published_article_in_order_and_the_help_lines() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let booklet = site.public(BOOKLET);

    assert_eq!(texts(&booklet, ".cover-journal"), ["测试微刊"]);
    assert_eq!(texts(&booklet, ".cover-number"), ["第1期"]);
    assert_eq!(texts(&booklet, "h1"), ["第一期"]);
    assert_eq!(texts(&booklet, ".cover-date time"), ["2026年1月1日"]);
    assert_eq!(
        texts(&booklet, ".booklet-cover .note p"),
        ["卷首语第一段。"]
    );
    // The QR code of the issue's own address, with the address under it.
    assert_eq!(
        texts(&booklet, ".cover-url"),
        ["https://example.org/sub/path/issues/1/"]
    );
    assert_eq!(
        attrs(&booklet, ".cover-qr svg", "aria-label"),
        ["二维码：第1期 第一期"]
    );

    // Every article, in the issue page's reading order, with its audiences
    // and its images.
    let issue = site.public("issues/1/index.html");
    let titles = texts(&booklet, ".booklet-article h2");
    assert_eq!(titles, texts(&issue, ".card-title"));
    assert_eq!(titles, ["Alpha 文章", "Beta", "给所有人"]);
    assert_eq!(
        texts(&booklet, ".booklet-article .meta"),
        ["写给老年人", "写给老年人、复工职工", "写给所有人"]
    );
    assert_eq!(
        attrs(&booklet, ".booklet-article img", "src"),
        ["/sub/path/issues/1/pic.png"]
    );

    // The help lines, with hours, close the booklet.
    let sections = attrs(&booklet, ".booklet > *", "class");
    assert_eq!(sections.last().unwrap(), "booklet-help");
    assert_eq!(texts(&booklet, ".help-number"), ["12356"]);
    assert_eq!(hrefs(&booklet, ".help-number"), ["tel:12356"]);
    assert_eq!(texts(&booklet, ".help-hours"), ["24小时"]);

    // Laid out by the theme's own stylesheet and script, for A4 by default.
    assert_eq!(attrs(&booklet, ".booklet", "class"), ["booklet paper-a4"]);
    let theme_files = common::references(&booklet);
    for file in ["/sub/path/print.css", "/sub/path/print.js"] {
        assert!(theme_files.contains(&file.to_owned()), "{file} not linked");
        assert!(site.has_public(file.trim_start_matches("/sub/path/")));
    }
    assert_eq!(texts(&booklet, ".print-button"), ["打印"]);
    assert!(texts(&booklet, ".print-nojs")[0].contains("浏览器菜单里的“打印”"));
    assert_eq!(
        texts(&booklet, "title"),
        ["第1期 第一期 · 打印版 · 测试微刊"]
    );
}

#[test]
fn the_issues_cover_image_is_on_the_booklets_cover() {
    let site = Site::fixture();
    site.write(
        "issues/001/issue.md",
        "+++\nnumber = 1\ntitle = \"第一期\"\ndate = 2026-01-01\ncover = \"pic.png\"\n+++\n\n卷首语第一段。\n",
    );
    site.build_ok(&[]);
    let booklet = site.public(BOOKLET);
    assert_eq!(
        attrs(&booklet, ".booklet-cover img", "src"),
        ["/sub/path/issues/1/pic.png"]
    );
}

#[test]
fn drafts_stay_out_of_the_booklet_unless_built_with_drafts() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let second = site.public("issues/2/print/index.html");
    assert_eq!(texts(&second, ".booklet-article h2"), ["Gamma"]);
    // A link to another page stays a link (printed as its text).
    assert!(hrefs(&second, ".body a").contains(&"/sub/path/issues/1/alpha/#x".to_owned()));
    assert!(!site.has_public("issues/3/print/index.html"));

    site.build_ok(&["--drafts"]);
    let second = site.public("issues/2/print/index.html");
    assert_eq!(
        texts(&second, ".booklet-article h2"),
        ["Gamma", "未完成 草稿"]
    );
    assert!(site.has_public("issues/3/print/index.html"));
}

#[test]
fn the_issue_page_the_qr_sheet_and_the_sitemap_point_to_the_booklet() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let issue = site.public("issues/1/index.html");
    assert!(issue.contains(r#"<a href="/sub/path/issues/1/print/">打印本期</a>"#));
    let sheet = site.public("issues/1/qr/index.html");
    assert!(sheet.contains(">第1期 第一期 · 打印版</p>"), "{sheet}");
    assert!(sheet.contains(">https://example.org/sub/path/issues/1/print/</p>"));
    let sitemap = site.public("sitemap.xml");
    for n in [1, 2] {
        assert!(sitemap.contains(&format!(
            "<loc>https://example.org/sub/path/issues/{n}/print/</loc>"
        )));
    }
    assert!(!sitemap.contains("issues/3/print/"));
}

#[test]
fn articles_sharing_heading_names_and_footnotes_keep_ids_unique() {
    let site = Site::fixture();
    let body = "## 什么时候求助\n\n见[上文](#什么时候求助)和注释[^1]。\n\n[^1]: 注释。\n";
    site.write(
        "issues/001/01-alpha.md",
        &format!("+++\ntitle = \"甲\"\n+++\n\n{body}"),
    );
    site.write(
        "issues/001/02-beta.md",
        &format!("+++\ntitle = \"乙\"\n+++\n\n{body}"),
    );
    site.build_ok(&[]);
    let booklet = site.public(BOOKLET);
    let ids = attrs(&booklet, "[id]", "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // Every link within the page still finds its target (as a browser
    // matches it: percent-decoded).
    let fragments: Vec<String> = hrefs(&booklet, "a[href^='#']");
    assert!(fragments.len() >= 4, "{fragments:?}");
    for f in &fragments {
        let target = percent_encoding::percent_decode_str(&f[1..])
            .decode_utf8()
            .unwrap();
        assert!(ids.contains(&target.into_owned()), "{f} points nowhere");
    }
    // Headings in the bodies sit under each article's own <h2>.
    assert_eq!(texts(&booklet, ".booklet-article h3"), ["什么时候求助"; 2]);
    assert!(texts(&booklet, ".booklet-article .body h2").is_empty());
}

#[test]
fn paper_a5_comes_from_site_toml() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[print]\npaper = \"A5\"\n"),
    );
    site.build_ok(&[]);
    let booklet = site.public(BOOKLET);
    assert_eq!(attrs(&booklet, ".booklet", "class"), ["booklet paper-a5"]);
    assert!(texts(&booklet, ".print-js")[0].contains("A5"));
}

#[test]
fn a_paper_size_weikan_does_not_know_is_an_error_at_its_line() {
    // SITE_TOML has 25 lines; `paper` is on line 28, its value at column 9.
    let stderr = fails_with(
        &[(
            "site.toml",
            &format!("{SITE_TOML}\n[print]\npaper = \"Letter\"\n"),
        )],
        &[("site.toml:28:9", "`paper` is \"Letter\"")],
    );
    assert!(
        stderr.contains("write paper = \"A4\" or paper = \"A5\""),
        "{stderr}"
    );
    fails_with(
        &[(
            "site.toml",
            &format!("{SITE_TOML}\n[print]\nsize = \"A4\"\n"),
        )],
        &[("site.toml:28:1", "unknown field `size`")],
    );
}

#[test]
fn an_article_cannot_take_the_booklets_address() {
    fails_with(
        &[(
            "issues/001/02-beta.md",
            "+++\ntitle = \"Beta\"\nslug = \"print\"\n+++\n\nBeta.\n",
        )],
        &[(
            "issues/001/02-beta.md:3:8",
            "the slug `print` is taken by the issue's print booklet",
        )],
    );
}

#[test]
fn without_hotlines_the_booklet_ends_with_the_reminder_and_no_empty_page() {
    let site = Site::fixture();
    let toml = SITE_TOML.replace(
        "[[hotlines]]\nname = \"心理援助热线\"\nnumber = \"12356\"\nhours = \"24小时\"\n",
        "",
    );
    assert_ne!(toml, SITE_TOML);
    site.write("site.toml", &toml);
    site.build_ok(&[]);
    let booklet = site.public(BOOKLET);
    assert!(texts(&booklet, ".help-number").is_empty());
    assert_eq!(
        attrs(&booklet, ".booklet-help", "class"),
        ["booklet-help booklet-help-short"]
    );
    assert!(texts(&booklet, ".booklet-help p")[0].contains("不能代替专业诊断与治疗"));
}

#[test]
fn editing_an_article_while_serving_renders_its_booklet_again() {
    use weikan::config::ConfigOverrides;
    use weikan::plan::PageKind;
    use weikan::render::{self, Renderer, Theme};
    use weikan::site::{ArticleEdit, BuildOptions};

    let site = Site::fixture();
    let old = weikan::build_in_memory(
        site.root(),
        &ConfigOverrides::default(),
        BuildOptions::default(),
    )
    .unwrap()
    .0;
    site.write(
        "issues/001/02-beta.md",
        "+++\ntitle = \"Beta\"\naudiences = [\"elders\", \"workers\"]\nslug = \"b-custom\"\nsummary = \"Beta 的摘要\"\n+++\n\n改过的正文。\n",
    );
    let cache = weikan::markdown::MarkdownCache::default();
    let ArticleEdit::Applied {
        site: new,
        at,
        before,
        previous,
        ..
    } = old.with_article_edited(std::path::Path::new("issues/001/02-beta.md"), &cache)
    else {
        panic!("an edit of the body alone is applied in place");
    };
    let jobs = render::pages_after_article_edit(&before, &previous, &new, at)
        .expect("an edit in place re-renders only what shows the article");
    // Issues are kept newest first: issue 1 comes after issue 2.
    let first = new.issues.iter().position(|i| i.number.get() == 1).unwrap();
    assert!(jobs.contains(&PageKind::Print(first)), "{jobs:?}");
    let theme = Theme::load(site.root(), "default").unwrap();
    let pages = Renderer::new(&new, &theme).unwrap().render(&jobs).unwrap();
    let (_, booklet) = pages
        .iter()
        .find(|(path, _)| path == BOOKLET)
        .expect("the booklet is rendered again");
    assert!(String::from_utf8_lossy(booklet).contains("改过的正文。"));
}
