//! The default theme's HTML, page by page: landmarks, one `h1`, heading
//! order, skip link, `lang`, alt text, scripts that never block rendering,
//! and what an article page shows (breadcrumbs, neighbours, audiences,
//! reading time, date). The browser-side checks are in tests/browser/.

use crate::common;

use crate::common::{Site, hrefs, snapshot, texts};
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// Every structural rule one HTML page must keep; returns what it breaks.
fn structure_problems(html: &str, language: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut problems = Vec::new();
    let lang = select(&doc, "html")[0].value().attr("lang");
    if lang != Some(language) {
        problems.push(format!("lang is {lang:?}"));
    }
    for (css, want) in [
        ("body > header", 1),
        ("body > header nav", 1),
        ("body > main#main", 1),
        ("body > footer", 1),
        ("h1", 1),
    ] {
        let n = select(&doc, css).len();
        if n != want {
            problems.push(format!("{n} × `{css}`, want {want}"));
        }
    }
    let first = select(&doc, "body > *").into_iter().next();
    if first.and_then(|e| e.value().attr("href")) != Some("#main") {
        problems.push("the first thing in <body> is not the skip link to #main".into());
    }
    // Headings go down one level at a time: h2 after h1, never h1 → h3.
    let mut level = 0;
    for h in select(&doc, "h1, h2, h3, h4, h5, h6") {
        let this = h.value().name()[1..].parse::<usize>().unwrap();
        if this > level + 1 {
            let text: String = h.text().collect();
            problems.push(format!("h{this} `{}` follows h{level}", text.trim()));
        }
        level = this;
    }
    for img in select(&doc, "img") {
        if img.value().attr("alt").is_none_or(|a| a.trim().is_empty()) {
            problems.push(format!("img {:?} has no alt", img.value().attr("src")));
        }
    }
    for script in select(&doc, "script") {
        let v = script.value();
        let inline: String = script.text().collect();
        if v.attr("src").is_some() && v.attr("defer").is_none() && v.attr("async").is_none() {
            problems.push(format!("script {:?} blocks rendering", v.attr("src")));
        }
        // The one inline script sets the saved type size before first paint.
        if v.attr("src").is_none() && inline.len() > 200 {
            problems.push(format!("inline script of {} bytes", inline.len()));
        }
    }
    if select(&doc, ".hotlines a[href^='tel:']").is_empty() {
        problems.push("no hotline bar with tel: links".into());
    }
    problems
}

#[test]
fn every_page_of_the_sample_and_fixture_sites_is_well_structured() {
    let (_out, sample) = common::build_sample();
    let fixture = Site::fixture();
    fixture.build_ok(&[]);

    let mut pages = 0;
    for dir in [sample, fixture.path("public")] {
        for (name, bytes) in snapshot(&dir) {
            if !common::is_page(&name) {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            let problems = structure_problems(&html, "zh-CN");
            assert!(problems.is_empty(), "{name}: {problems:#?}");
            pages += 1;
        }
    }
    assert!(pages >= 55, "{pages} pages checked");
}

#[test]
fn lang_comes_from_site_toml() {
    let site = Site::fixture();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("language = \"zh-CN\"", "language = \"zh-TW\""),
    );
    site.build_ok(&[]);
    for page in ["index.html", "issues/1/alpha/index.html", "404.html"] {
        assert_eq!(
            structure_problems(&site.public(page), "zh-TW"),
            [] as [String; 0]
        );
    }
}

#[test]
fn an_article_page_shows_where_it_is_and_where_to_go_next() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let first = site.public("issues/1/alpha/index.html");
    let middle = site.public("issues/1/b-custom/index.html");
    let last = site.public("issues/1/3/index.html");

    // Breadcrumbs: home → issue, on one line; the article's own title is
    // the `h1` right under them.
    assert_eq!(texts(&middle, ".breadcrumbs li"), ["首页", "第1期 第一期"]);
    assert_eq!(
        hrefs(&middle, ".breadcrumbs a"),
        ["/sub/path/", "/sub/path/issues/1/"]
    );

    // Previous and next stay within the issue.
    assert_eq!(hrefs(&first, ".neighbours a[rel=prev]"), [] as [&str; 0]);
    assert_eq!(
        hrefs(&first, ".neighbours a[rel=next]"),
        ["/sub/path/issues/1/b-custom/"]
    );
    assert_eq!(
        hrefs(&middle, ".neighbours a[rel=prev]"),
        ["/sub/path/issues/1/alpha/"]
    );
    assert_eq!(
        hrefs(&middle, ".neighbours a[rel=next]"),
        ["/sub/path/issues/1/3/"]
    );
    assert_eq!(hrefs(&last, ".neighbours a[rel=next]"), [] as [&str; 0]);

    // Audiences link to their sections, in text as well as colour.
    assert_eq!(
        hrefs(&middle, ".article .audiences a"),
        ["/sub/path/for/elders/", "/sub/path/for/workers/"]
    );
    assert_eq!(
        texts(&middle, ".article .audiences a"),
        ["写给老年人", "写给复工职工"]
    );
    assert_eq!(texts(&last, ".article .audiences"), ["写给所有人"]);

    // The date is machine-readable.
    let doc = Html::parse_document(&middle);
    let time = select(&doc, ".article .meta time")[0];
    assert_eq!(time.value().attr("datetime"), Some("2026-01-01"));
    assert_eq!(time.text().collect::<String>(), "2026年1月1日");
}

#[test]
fn reading_time_counts_chinese_by_characters() {
    let site = Site::fixture();
    // 1,000 Chinese characters and 100 English words: 1,000 + 200 units at
    // 400 a minute is 3 minutes; punctuation is not counted.
    let body = format!(
        "{}\n\n{}\n",
        "心平气和，".repeat(250),
        "calm breath ".repeat(50)
    );
    site.write(
        "issues/001/04-long.md",
        &format!("+++\ntitle = \"长文\"\n+++\n\n{body}"),
    );
    site.write(
        "issues/001/05-longer.md",
        &format!("+++\ntitle = \"更长\"\n+++\n\n{body}\n\n再多一个字。\n"),
    );
    site.build_ok(&[]);
    let meta = |p: &str| texts(&site.public(p), ".article .meta")[0].clone();
    assert!(meta("issues/1/long/index.html").contains("约3分钟读完"));
    // 1,205 units: the next minute.
    assert!(meta("issues/1/longer/index.html").contains("约4分钟读完"));
    assert!(meta("issues/1/alpha/index.html").contains("约1分钟读完"));
    // Cards in lists show it too.
    let issue = site.public("issues/1/index.html");
    assert!(
        texts(&issue, ".card .meta")
            .iter()
            .any(|m| m.ends_with("约3分钟"))
    );
}

#[test]
fn a_body_written_with_hash_headings_is_shifted_under_the_title() {
    let site = Site::fixture();
    site.write(
        "issues/001/04-outline.md",
        "+++\ntitle = \"大纲\"\n+++\n\n# 第一部分\n\n## 小节\n\n# 第二部分\n",
    );
    site.write(
        "issues/001/05-plain.md",
        "+++\ntitle = \"平常\"\n+++\n\n## 一\n\n### 二\n",
    );
    site.build_ok(&[]);
    let outline = site.public("issues/1/outline/index.html");
    assert_eq!(texts(&outline, "h1"), ["大纲"]);
    assert_eq!(texts(&outline, ".body h2"), ["第一部分", "第二部分"]);
    assert_eq!(texts(&outline, ".body h3"), ["小节"]);
    let plain = site.public("issues/1/plain/index.html");
    assert_eq!(texts(&plain, ".body h2"), ["一"]);
    assert_eq!(texts(&plain, ".body h3"), ["二"]);
}

#[test]
fn the_home_page_leads_with_a_way_to_help() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let home = site.public("index.html");
    assert_eq!(hrefs(&home, ".need-help a"), ["/sub/path/hotlines/"]);
    assert!(texts(&home, ".need-help a")[0].starts_with("需要帮助"));
    // It comes before everything else in <main>.
    let doc = Html::parse_document(&home);
    let first = select(&doc, "main > :not(h1)")[0];
    assert_eq!(first.value().attr("class"), Some("need-help"));
}

#[test]
fn the_type_size_control_is_marked_up_for_assistive_technology() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let home = site.public("index.html");
    let doc = Html::parse_document(&home);
    let group = select(&doc, ".textsize[role=group][aria-label]");
    assert_eq!(group.len(), 1);
    let pressed: Vec<_> = select(&doc, ".textsize button")
        .iter()
        .map(|b| {
            let text: String = b.text().collect();
            (text, b.value().attr("aria-pressed").unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        pressed,
        [
            ("标准".to_owned(), "true".to_owned()),
            ("大".to_owned(), "false".to_owned()),
            ("特大".to_owned(), "false".to_owned()),
        ]
    );
    assert!(site.public("weikan.js").contains("localStorage"));
}

#[test]
fn a_heading_that_skips_a_level_is_a_warning_with_its_place() {
    let site = Site::fixture();
    site.write(
        "issues/001/04-gap.md",
        "+++\ntitle = \"跳级\"\n+++\n\n## 一\n\n#### 跳过了三级\n\n## 二\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "issues/001/04-gap.md:7:1: warning: this heading jumps from level 2 to level 4"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("#### 跳过了三级"), "{}", run.stderr);
    assert!(run.stderr.contains("use ### here"), "{}", run.stderr);
    // The same outline written from `#` is reported in its own terms.
    site.write(
        "issues/001/04-gap.md",
        "+++\ntitle = \"跳级\"\n+++\n\n# 一\n\n### 跳过了二级\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.stderr.contains("use ## here"), "{}", run.stderr);
}

/// The Open Graph tags of a page, by property.
fn open_graph(html: &str) -> std::collections::BTreeMap<String, String> {
    let doc = Html::parse_document(html);
    select(&doc, "meta[property^='og:']")
        .into_iter()
        .map(|m| {
            let v = m.value();
            (
                v.attr("property").unwrap().to_owned(),
                v.attr("content").unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_page_type_gives_chat_apps_a_link_preview() {
    let site = Site::fixture();
    let issue = std::fs::read_to_string(site.path("issues/001/issue.md")).unwrap();
    site.write(
        "issues/001/issue.md",
        &issue.replace(
            "date = 2026-01-01\n",
            "date = 2026-01-01\ncover = \"pic.png\"\n",
        ),
    );
    site.build_ok(&[]);
    let base = "https://example.org/sub/path/";
    let cover = format!("{base}issues/1/pic.png");
    // (page, its URL, og:type, og:title, og:image)
    let pages = [
        ("index.html", "", "website", "测试微刊", None),
        ("issues/index.html", "issues/", "website", "往期", None),
        (
            "issues/1/index.html",
            "issues/1/",
            "website",
            "第1期 第一期",
            Some(&cover),
        ),
        (
            "issues/1/alpha/index.html",
            "issues/1/alpha/",
            "article",
            "Alpha 文章",
            Some(&cover),
        ),
        // Its first picture is issue 1's.
        (
            "issues/2/gamma/index.html",
            "issues/2/gamma/",
            "article",
            "Gamma",
            Some(&cover),
        ),
        (
            "for/elders/index.html",
            "for/elders/",
            "website",
            "写给老年人",
            None,
        ),
        ("about/index.html", "about/", "website", "关于", None),
        ("qr/index.html", "qr/", "website", "二维码海报", None),
    ];
    for (file, path, kind, title, image) in pages {
        let og = open_graph(&site.public(file));
        assert_eq!(og["og:url"], format!("{base}{path}"), "{file}");
        assert_eq!(og["og:type"], kind, "{file}");
        assert_eq!(og["og:title"], title, "{file}");
        assert_eq!(og["og:site_name"], "测试微刊", "{file}");
        assert_eq!(og["og:locale"], "zh_CN", "{file}");
        assert!(!og["og:description"].is_empty(), "{file}: no description");
        assert_eq!(og.get("og:image"), image, "{file}");
    }
    assert!(!open_graph(&site.public("404.html")).contains_key("og:url"));
}
