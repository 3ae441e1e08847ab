//! Builds fixture sites with the real binary and checks what it wrote.

use crate::common;

use crate::common::{Site, check_links, hrefs, snapshot, texts};

const BASE: &str = "/sub/path/";

#[test]
fn every_page_of_the_url_table_is_written() {
    let site = Site::fixture();
    let run = site.build_ok(&[]);
    assert!(
        run.stdout.contains("built 2 issues, 4 articles"),
        "{}",
        run.stdout
    );
    for page in [
        "index.html",
        "issues/index.html",
        "issues/1/index.html",
        "issues/2/index.html",
        "issues/1/alpha/index.html",
        "issues/1/b-custom/index.html",
        "issues/1/3/index.html",
        "issues/2/gamma/index.html",
        "for/elders/index.html",
        "for/elders/page/2/index.html",
        "for/workers/index.html",
        "for/students/index.html",
        "about/index.html",
        "hotlines/index.html",
        "sitemap.xml",
        "404.html",
        "feed.xml",
        "for/elders/feed.xml",
        "for/workers/feed.xml",
        "for/students/feed.xml",
        "qr/index.html",
        "issues/1/qr/index.html",
        "issues/2/qr/index.html",
        "weikan.css",
        "weikan.js",
        "robots.txt",
        "issues/1/pic.png",
    ] {
        assert!(site.has_public(page), "missing {page}");
    }
    // Nothing beyond those: no page 2 where one page is enough, no drafts.
    assert!(!site.has_public("for/workers/page/2/index.html"));
    assert!(!site.has_public("issues/3/index.html"));
    assert!(!site.has_public("issues/2/wip/index.html"));
}

#[test]
fn links_resolve_under_a_base_url_with_a_sub_path() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let checked = check_links(&site.path("public"), "https://example.org", BASE);
    assert!(checked > 100, "only {checked} references checked");

    let gamma = site.public("issues/2/gamma/index.html");
    let body_links = hrefs(&gamma, ".body a");
    assert_eq!(
        body_links,
        vec![format!("{BASE}issues/1/alpha/#x"), format!("{BASE}about/")]
    );
    assert!(
        gamma.contains(&format!("src=\"{BASE}issues/1/pic.png\"")),
        "{gamma}"
    );
    let alpha = site.public("issues/1/alpha/index.html");
    assert!(
        alpha.contains(&format!("src=\"{BASE}issues/1/pic.png\"")),
        "image beside the page: {alpha}"
    );
    let note = site.public("issues/2/index.html");
    assert!(note.contains(&format!("href=\"{BASE}about/\"")), "{note}");
}

#[test]
fn base_url_option_overrides_site_toml() {
    let site = Site::fixture();
    site.build_ok(&["--base-url", "http://localhost:8000"]);
    let checked = check_links(&site.path("public"), "http://localhost:8000", "/");
    // The same pages link the same things, wherever the site is published.
    let own = site.path("own-base");
    site.build_ok(&["--output", own.to_str().unwrap()]);
    assert_eq!(checked, check_links(&own, "https://example.org", BASE));
    assert!(
        site.public("sitemap.xml")
            .contains("<loc>http://localhost:8000/issues/1/alpha/</loc>")
    );
}

#[test]
fn articles_appear_on_their_issue_and_each_audience_section() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let issue = site.public("issues/1/index.html");
    assert_eq!(
        texts(&issue, ".cards .card-title a"),
        ["Alpha 文章", "Beta", "给所有人"]
    );
    // Beta is marked with both its audiences on the issue page.
    let beta_tags = texts(&issue, ".cards li:nth-child(2) .audiences a");
    assert_eq!(beta_tags, ["写给老年人", "写给复工职工"]);

    // Newest first across issues; for-everyone articles in every section.
    let elders1 = site.public("for/elders/index.html");
    let elders2 = site.public("for/elders/page/2/index.html");
    assert_eq!(
        texts(&elders1, ".cards .card-title a"),
        ["Gamma", "Alpha 文章"]
    );
    assert_eq!(
        texts(&elders2, ".cards .card-title a"),
        ["Beta", "给所有人"]
    );
    assert_eq!(
        texts(
            &site.public("for/workers/index.html"),
            ".cards .card-title a"
        ),
        ["Beta", "给所有人"]
    );
    assert_eq!(
        texts(
            &site.public("for/students/index.html"),
            ".cards .card-title a"
        ),
        ["给所有人"]
    );

    // Pager links both ways.
    assert_eq!(
        hrefs(&elders1, ".pager a[rel=next]"),
        [format!("{BASE}for/elders/page/2/")]
    );
    assert_eq!(
        hrefs(&elders2, ".pager a[rel=prev]"),
        [format!("{BASE}for/elders/")]
    );
    assert!(hrefs(&elders1, ".pager a[rel=prev]").is_empty());
}

#[test]
fn a_long_section_has_a_pager_of_constant_length() {
    let site = Site::fixture();
    let toml = common::SITE_TOML.replace("per_page = 2", "per_page = 1");
    site.write("site.toml", &toml);
    for n in 2..=30 {
        site.write(
            &format!("issues/001/{n:02}-extra-{n}.md"),
            &format!("+++\ntitle = \"额外 {n}\"\naudiences = [\"students\"]\n+++\n\n正文。\n"),
        );
    }
    site.build_ok(&[]);
    // 29 extra articles + the one for everyone: 30 pages of one.
    assert!(site.has_public("for/students/page/30/index.html"));
    let page = |n: usize| {
        let path = if n == 1 {
            "for/students/index.html".to_owned()
        } else {
            format!("for/students/page/{n}/index.html")
        };
        texts(
            &site.public(&path),
            ".pager a:not([rel]), .pager [aria-current]",
        )
    };
    assert_eq!(page(1), ["1", "2", "3", "30"]);
    assert_eq!(page(15), ["1", "13", "14", "15", "16", "17", "30"]);
    assert_eq!(page(30), ["1", "28", "29", "30"]);
    let html = site.public("for/students/page/15/index.html");
    assert_eq!(texts(&html, ".pager .gap").len(), 2);
}

#[test]
fn pagination_splits_by_per_page() {
    let site = Site::fixture();
    let toml = common::SITE_TOML.replace("per_page = 2", "per_page = 3");
    site.write("site.toml", &toml);
    for n in 2..=7 {
        site.write(
            &format!("issues/001/{n:02}-extra-{n}.md"),
            &format!("+++\ntitle = \"额外 {n}\"\naudiences = [\"students\"]\n+++\n\n正文。\n"),
        );
    }
    site.build_ok(&[]);
    // students: 6 extra articles + the one for everyone = 7 → pages of 3, 3, 1.
    let counts: Vec<usize> = [
        "for/students/index.html",
        "for/students/page/2/index.html",
        "for/students/page/3/index.html",
    ]
    .iter()
    .map(|p| texts(&site.public(p), ".cards .card-title a").len())
    .collect();
    assert_eq!(counts, [3, 3, 1]);
    assert!(!site.has_public("for/students/page/4/index.html"));
    assert_eq!(
        texts(
            &site.public("for/students/page/3/index.html"),
            ".pager [aria-current]"
        ),
        ["3"]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let archive = site.public("issues/index.html");
    assert!(!archive.contains("草稿期"));
    assert!(!site.public("issues/2/index.html").contains("未完成"));
    assert!(!site.public("sitemap.xml").contains("issues/3/"));

    site.build_ok(&["--drafts"]);
    assert!(site.has_public("issues/3/index.html"));
    assert!(site.has_public("issues/3/next/index.html"));
    assert!(site.has_public("issues/2/wip/index.html"));
    assert!(site.public("issues/index.html").contains("草稿期"));
    assert!(
        site.public("issues/2/wip/index.html")
            .contains("class=\"draft\"")
    );
}

#[test]
fn home_shows_latest_issue_audiences_intro_and_hotlines() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let home = site.public("index.html");
    assert!(home.contains("首页介绍"), "intro");
    assert_eq!(texts(&home, ".latest .cards .card-title a"), ["Gamma"]);
    assert_eq!(hrefs(&home, ".audience-list a").len(), 3);
    assert_eq!(hrefs(&home, ".need-help a"), [format!("{BASE}hotlines/")]);
    // Hotlines on every page as tel: links.
    let files = snapshot(&site.path("public"));
    let pages: Vec<_> = files.iter().filter(|(n, _)| n.ends_with(".html")).collect();
    assert!(pages.len() > 15, "{} pages", pages.len());
    for (name, bytes) in pages {
        let html = String::from_utf8_lossy(bytes);
        assert_eq!(hrefs(&html, ".hotlines a"), ["tel:12356"], "{name}");
    }
    // Menu in weight order.
    assert_eq!(
        texts(&home, ".masthead li a").last_chunk::<2>().unwrap(),
        &["求助热线".to_owned(), "关于".to_owned()]
    );
}

#[test]
fn summaries_default_to_the_first_paragraph() {
    let site = Site::fixture();
    let long = "这是一段很长的文字。".repeat(30);
    site.write(
        "issues/001/04-long.md",
        &format!("+++\ntitle = \"长文\"\n+++\n\n{long}\n\n第二段。\n"),
    );
    site.build_ok(&[]);
    let issue = site.public("issues/1/index.html");
    let summaries = texts(&issue, ".cards .summary");
    assert_eq!(summaries[0], "Alpha 的第一段。");
    assert_eq!(summaries[1], "Beta 的摘要");
    let cut = &summaries[3];
    assert!(cut.ends_with('。') && cut.chars().count() <= 80, "{cut}");
    assert!(long.starts_with(cut.as_str()));
}

#[test]
fn raw_html_is_sanitised_unless_the_site_opts_out() {
    let site = Site::fixture();
    let nasty = "+++\ntitle = \"HTML\"\n+++\n\n<script>alert('x')</script>\n\n<p onclick=\"steal()\">点我</p>\n\n<img src=\"x.png\" onerror=\"steal()\">\n\n[链接](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">另一个</a>\n\n<iframe src=\"https://tracker.example/\"></iframe>\n";
    site.write("issues/001/05-html.md", nasty);
    site.build_ok(&[]);
    let page = site.public("issues/1/html/index.html");
    let body = &page[page.find("<div class=\"body\">").unwrap()..];
    for bad in [
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "<iframe",
        "tracker.example",
    ] {
        assert!(!body.contains(bad), "{bad} survived:\n{body}");
    }
    assert!(body.contains("点我"), "text is kept");

    let toml = format!("{}\n[markdown]\nunsafe_html = true\n", common::SITE_TOML);
    site.write("site.toml", &toml);
    site.build_ok(&[]);
    assert!(
        site.public("issues/1/html/index.html")
            .contains("<script>alert('x')</script>")
    );
}

#[test]
fn markdown_extensions_and_highlighting_render() {
    let site = Site::fixture();
    site.write(
        "issues/001/06-md.md",
        "+++\ntitle = \"Markdown\"\n+++\n\n## 小标题\n\n| 时间 | 事 |\n|---|---|\n| 早 | 起床 |\n\n- [x] 做完了\n- [ ] 还没做\n\n~~删掉~~ 脚注[^a]\n\n[^a]: 脚注内容\n\n```rust\nfn main() {}\n```\n",
    );
    site.build_ok(&[]);
    let page = site.public("issues/1/md/index.html");
    for part in [
        "<h2 id=\"小标题\">",
        "<table>",
        "type=\"checkbox\"",
        "<del>删掉</del>",
        "footnote-definition",
        "class=\"hl-",
    ] {
        assert!(page.contains(part), "{part} missing");
    }
    assert!(
        !page.contains("style=\"color"),
        "highlighting uses classes, not inline styles"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::fixture();
    site.build_ok(&["--output", site.path("out1").to_str().unwrap()]);
    site.build_ok(&["--output", site.path("out2").to_str().unwrap()]);
    let one = snapshot(&site.path("out1"));
    let two = snapshot(&site.path("out2"));
    assert_eq!(one.len(), 40, "{:?}", one.keys());
    assert_eq!(one, two);
}

#[test]
fn a_good_build_replaces_the_old_output_whole() {
    let site = Site::fixture();
    site.build_ok(&[]);
    site.remove("issues/001/02-beta.md");
    site.build_ok(&[]);
    assert!(
        !site.has_public("issues/1/b-custom/index.html"),
        "a removed article's page is gone"
    );
    let siblings: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The image cache stays on purpose (see tests/suite/media.rs).
        .filter(|n| n.starts_with('.') && n != ".weikan-cache")
        .collect();
    assert!(
        siblings.is_empty(),
        "staging folders left behind: {siblings:?}"
    );
}

#[test]
fn files_with_unchanged_bytes_are_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::fixture();
    site.build_ok(&[]);
    let stamp = |rel: &str| {
        let m = std::fs::metadata(site.path("public").join(rel)).unwrap();
        (m.ino(), m.mtime_nsec(), m.mtime())
    };
    let kept = [
        "issues/2/gamma/index.html",
        "about/index.html",
        "weikan.css",
        "robots.txt",
        "issues/1/pic.png",
    ];
    let before: Vec<_> = kept.iter().map(|f| stamp(f)).collect();
    let beta_before = stamp("issues/1/b-custom/index.html");

    // Editing Beta changes its page, its neighbours, its issue and lists;
    // nothing in issue 2 or the standing pages.
    site.write(
        "issues/001/02-beta.md",
        "+++\ntitle = \"Beta 改\"\naudiences = [\"elders\", \"workers\"]\nslug = \"b-custom\"\n+++\n\n新的正文。\n",
    );
    site.build_ok(&[]);
    let after: Vec<_> = kept.iter().map(|f| stamp(f)).collect();
    assert_eq!(before, after, "unchanged files were rewritten");
    assert_ne!(stamp("issues/1/b-custom/index.html"), beta_before);
    assert!(
        site.public("issues/1/b-custom/index.html")
            .contains("新的正文")
    );
    assert!(site.public("issues/1/index.html").contains("Beta 改"));

    // The previous tree is gone: each kept file has one name again.
    let links = std::fs::metadata(site.path("public/about/index.html"))
        .unwrap()
        .nlink();
    assert_eq!(links, 1);
}

#[test]
fn output_folder_may_not_be_the_site_or_its_sources() {
    let site = Site::fixture();
    for out in [".", "issues", "content/x", ".."] {
        let target = site.path(out);
        let run = site.build(&["--output", target.to_str().unwrap()]);
        assert_eq!(run.code, 2, "--output {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("would replace the site's own files"),
            "{}",
            run.stderr
        );
    }
    assert!(site.path("issues/001/issue.md").is_file());
}

#[test]
fn pages_load_nothing_from_other_hosts() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let mut checked = 0;
    for (name, bytes) in snapshot(&site.path("public"))
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(bytes);
        let doc = scraper::Html::parse_document(&html);
        let loads = scraper::Selector::parse(
            "script[src], link[href], img[src], iframe, object, embed, source",
        )
        .unwrap();
        for e in doc.select(&loads) {
            let url = e
                .value()
                .attr("src")
                .or_else(|| e.value().attr("href"))
                .unwrap_or("");
            let canonical = e.value().attr("rel") == Some("canonical");
            // `data:` is inline (the empty favicon that saves a request).
            let inline = url.starts_with("data:");
            assert!(
                canonical || inline || url.starts_with(BASE),
                "{name} loads {url}"
            );
            checked += 1;
        }
    }
    // Every page loads at least its stylesheet.
    assert!(checked > 30, "{checked} loads checked");
}

#[test]
fn a_site_with_no_theme_folder_uses_the_built_in_theme_and_overrides_win() {
    let site = Site::fixture();
    site.build_ok(&[]);
    assert!(site.public("weikan.css").contains("prefers-color-scheme"));
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>自定义 404</h1>{% endblock main %}",
    );
    site.write("static/weikan.css", "body{}\n");
    site.build_ok(&[]);
    assert!(site.public("404.html").contains("自定义 404"));
    assert_eq!(site.public("weikan.css"), "body{}\n");
}

#[test]
fn position_slugs_do_not_move_when_drafts_come_and_go() {
    let site = Site::empty();
    site.write("site.toml", common::SITE_TOML);
    site.write(
        "issues/01/issue.md",
        "+++\nnumber = 1\ntitle = \"一\"\ndate = 2026-01-01\n+++\n",
    );
    site.write(
        "issues/01/01-草稿.md",
        "+++\ntitle = \"草稿\"\ndraft = true\n+++\n",
    );
    site.write(
        "issues/01/02-第二篇.md",
        "+++\ntitle = \"第二篇\"\nweight = -1\n+++\n",
    );
    site.write("issues/01/03-第三篇.md", "+++\ntitle = \"第三篇\"\n+++\n");
    site.build_ok(&[]);
    // Positions follow file names, drafts included; weight only reorders.
    assert!(site.public("issues/1/2/index.html").contains("第二篇"));
    assert!(site.public("issues/1/3/index.html").contains("第三篇"));
    assert!(!site.has_public("issues/1/1/index.html"));
    site.build_ok(&["--drafts"]);
    assert!(site.public("issues/1/1/index.html").contains("草稿"));
    assert!(site.public("issues/1/2/index.html").contains("第二篇"));
}

#[test]
fn a_draft_intro_is_left_off_the_home_page() {
    let site = Site::fixture();
    site.write(
        "content/index.md",
        "+++\ntitle = \"欢迎\"\ndraft = true\n+++\n\n还没写好的首页介绍。\n",
    );
    site.build_ok(&[]);
    assert!(!site.public("index.html").contains("还没写好的首页介绍"));
    site.build_ok(&["--drafts"]);
    assert!(site.public("index.html").contains("还没写好的首页介绍"));
}

#[test]
fn a_folder_of_other_files_is_never_replaced() {
    let site = Site::fixture();
    let other = site.path("my-website");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("index.html"), "hand-made").unwrap();
    let run = site.build(&["--output", other.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("already holds files that weikan did not write"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(other.join("index.html")).unwrap(),
        "hand-made"
    );
    // An empty folder, or one written by weikan, is fine.
    let empty = site.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    site.build_ok(&["--output", empty.to_str().unwrap()]);
    site.build_ok(&["--output", empty.to_str().unwrap()]);
}

#[test]
fn a_bad_base_url_option_is_a_usage_error() {
    let site = Site::fixture();
    let run = site.build(&["--base-url", "localhost"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("--base-url: `localhost` is not a full web address"),
        "{}",
        run.stderr
    );
}

#[test]
fn theme_backups_and_hidden_files_are_not_templates() {
    let site = Site::fixture();
    site.write("templates/page.html~", "{% broken");
    site.write("templates/.page.html.swp", "{% broken");
    site.build_ok(&[]);
}

#[test]
fn a_theme_on_disk_overrides_template_by_template_and_the_site_overrides_the_theme() {
    let site = Site::fixture();
    let toml = common::SITE_TOML.replace(
        "language = \"zh-CN\"",
        "language = \"zh-CN\"\ntheme = \"mine\"",
    );
    site.write("site.toml", &toml);
    site.write(
        "themes/mine/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"mine\">{{ page.title }}</h1>{{ html | safe }}{% endblock main %}",
    );
    site.write(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>theme 404</p>{% endblock main %}",
    );
    site.write("themes/mine/static/extra.css", "p{}\n");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>site 404</p>{% endblock main %}",
    );
    site.build_ok(&[]);
    assert!(
        site.public("about/index.html")
            .contains("<h1 class=\"mine\">关于</h1>")
    );
    assert!(site.public("404.html").contains("site 404"));
    // Templates the theme does not have come from the built-in theme.
    assert!(
        site.public("issues/1/alpha/index.html")
            .contains("class=\"breadcrumbs\"")
    );
    assert_eq!(site.public("extra.css"), "p{}\n");
    assert!(site.has_public("weikan.css"));
}
