//! What editors really save: empty files, byte-order marks, Windows line
//! ends, full-width fences typed with a Chinese input method, damaged bytes,
//! huge or deeply nested text, pasted HTML, links out of the site and odd
//! file names. Each gives correct output or a clear error at path:line:col,
//! and never a panic. (Invalid UTF-8, duplicate issue numbers and slug
//! clashes are covered in `errors.rs`.)

use crate::common;

use crate::common::{Site, fails_with, texts};

/// An article body under minimal front matter.
fn article(body: &str) -> String {
    format!("+++\ntitle = \"测试\"\naudiences = [\"elders\"]\n+++\n\n{body}")
}

#[test]
fn empty_files_are_named_as_empty() {
    fails_with(
        &[
            ("issues/001/01-alpha.md", ""),
            ("issues/002-later/issue.md", "\n  \n"),
        ],
        &[
            ("issues/001/01-alpha.md:1:1", "the file is empty"),
            ("issues/002-later/issue.md:1:1", "the file is empty"),
        ],
    );
    let site = Site::fixture();
    site.write("site.toml", "");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("site.toml:1:1: error:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_read_as_plain_text() {
    let site = Site::fixture();
    let text = "\u{feff}+++\r\ntitle = \"换行测试\"\r\naudiences = [\"elders\"]\r\n+++\r\n\r\n## 小节\r\n\r\n第一行\r\n第二行\r\n";
    site.write("issues/001/01-alpha.md", text);
    site.write(
        "site.toml",
        &format!("\u{feff}{}", site_toml(&site).replace('\n', "\r\n")),
    );
    site.build_ok(&[]);
    let page = site.public("issues/1/alpha/index.html");
    assert_eq!(texts(&page, "h1"), ["换行测试"]);
    assert_eq!(texts(&page, "article .body h2"), ["小节"]);
    assert!(!page.contains('\u{feff}') && !page.contains('\r'));

    // Errors on such a file still point at the right line and column, and
    // show the line without its `\r`.
    site.write(
        "issues/001/01-alpha.md",
        "\u{feff}+++\r\ntitle = \"换行测试\"\r\ncolour = \"red\"\r\n+++\r\n\r\n正文\r\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("issues/001/01-alpha.md:3:1: error: unknown field `colour`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" 3 | colour = \"red\"\n"),
        "{}",
        run.stderr
    );
}

fn site_toml(site: &Site) -> String {
    std::fs::read_to_string(site.path("site.toml")).unwrap()
}

#[test]
fn full_width_fences_say_what_is_wrong() {
    let stderr = fails_with(
        &[
            (
                "issues/001/01-alpha.md",
                "＋＋＋\ntitle = \"全角\"\n＋＋＋\n\n正文\n",
            ),
            (
                "issues/001/02-beta.md",
                "+++\ntitle = \"半个全角\"\n＋＋＋\n\n正文\n",
            ),
        ],
        &[
            ("issues/001/01-alpha.md:1:1", "full-width"),
            ("issues/001/02-beta.md:3:1", "full-width"),
        ],
    );
    assert!(stderr.contains("+++"), "{stderr}");
}

#[test]
fn nul_bytes_are_an_error_with_their_byte_offset() {
    let site = Site::fixture();
    site.build_ok(&[]);
    // Nine bytes in: after the BOM, `+++` and its newline, `ti`.
    site.write_bytes(
        "issues/001/01-alpha.md",
        b"\xef\xbb\xbf+++\nti\0tle = \"a\"\n+++\n\nx\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "issues/001/01-alpha.md:2:3: error: the file contains a NUL byte (byte offset 9)"
        ),
        "{}",
        run.stderr
    );
    // The damaged line is shown with the NUL made visible.
    assert!(run.stderr.contains(" 2 | ti␀tle = \"a\""), "{}", run.stderr);
}

#[test]
fn a_ten_megabyte_article_builds_whole() {
    let site = Site::fixture();
    let paragraph = "这是一段很长的文章，用来检查很大的文件也能完整地生成。".repeat(20);
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 10 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!("第{n}段：{paragraph}\n\n"));
    }
    body.push_str("最后一段。\n");
    site.write("issues/001/01-alpha.md", &article(&body));
    site.build_ok(&[]);
    let page = site.public("issues/1/alpha/index.html");
    assert!(page.len() > 10 * 1024 * 1024);
    assert!(page.contains(&format!("第{n}段")));
    assert!(page.contains("<p>最后一段。</p>"));
}

#[test]
fn a_problem_on_a_very_long_line_is_shown_around_its_place() {
    let site = Site::fixture();
    let line = format!(
        "{}[坏链接](missing.md){}",
        "长".repeat(1_000_000),
        "尾".repeat(1_000_000)
    );
    site.write("issues/001/01-alpha.md", &article(&line));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("issues/001/01-alpha.md:6:1000007: error: `missing.md`"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    // The shown line is a window of the line, not two million characters.
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of messages",
        run.stderr.len()
    );
    assert!(run.stderr.contains("…长长长"), "{}", run.stderr);
    assert!(run.stderr.contains("(missing.md)尾尾"), "{}", run.stderr);
}

#[test]
fn nesting_is_rendered_up_to_a_limit_and_an_error_past_it() {
    let site = Site::fixture();
    // Twenty levels of quotes and of lists are fine.
    let quotes = format!("{} 深处的话\n", ">".repeat(20));
    let list: String = (0..20)
        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
        .collect();
    site.write(
        "issues/001/01-alpha.md",
        &article(&format!("{quotes}\n{list}")),
    );
    site.build_ok(&[]);
    let page = site.public("issues/1/alpha/index.html");
    let body = &page[page.find("<div class=\"body\">").unwrap()..];
    assert_eq!(body.matches("<blockquote>").count(), 20);
    assert_eq!(body.matches("<ul>").count(), 20);
    assert!(page.contains("深处的话") && page.contains("第19层"));

    // Pasted garbage fifty thousand levels deep is an error at its place,
    // found at once (the cleaner's parser is quadratic in depth).
    for (body, position) in [
        (format!("正文\n\n{} x\n", ">".repeat(50_000)), "8:101"),
        (format!("正文\n\n{}x\n", "<div>".repeat(50_000)), "8:1"),
        (
            (0..3_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
            "",
        ),
    ] {
        site.write("issues/001/01-alpha.md", &article(&body));
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let expected = format!("issues/001/01-alpha.md:{position}");
        assert!(
            run.stderr.contains(&expected)
                && run.stderr.contains("nested more than 100 levels deep here"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn an_unclosed_code_fence_runs_to_the_end_of_the_article() {
    let site = Site::fixture();
    site.write(
        "issues/001/01-alpha.md",
        &article("前面的话。\n\n```text\n呼吸练习：\n吸气四秒\n\n后面的段落\n"),
    );
    site.build_ok(&[]);
    let page = site.public("issues/1/alpha/index.html");
    assert_eq!(texts(&page, "article .body p"), ["前面的话。"]);
    let code = texts(&page, "article .body pre");
    assert_eq!(code.len(), 1);
    assert!(code[0].contains("吸气四秒") && code[0].contains("后面的段落"));
}

#[test]
fn pasted_html_is_cleaned_and_each_removal_reported_at_its_line() {
    let site = Site::fixture();
    site.build_ok(&[]);
    site.write(
        "issues/001/01-alpha.md",
        &article(concat!(
            "安全的段落。\n",
            "\n",
            "<script>alert('x')</script>\n",
            "\n",
            "<iframe src=\"https://tracker.example/\"></iframe>\n",
            "\n",
            "<img src=\"pic.png\" alt=\"图\" onerror=\"alert(1)\">\n",
            "\n",
            "点<a href=\"javascript:alert(1)\">这里</a>，",
            "或<a href=\"data:text/html;base64,PHNjcmlwdD4=\">那里</a>。\n",
        )),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (line, phrase) in [
        (8, "`<script>` and everything in it is removed"),
        (10, "the `<iframe>` tag is removed"),
        (12, "the `onerror` event handler on `<img>` is removed"),
        (
            14,
            "the `javascript:` address in `href` on `<a>` is removed",
        ),
        (14, "the `data:` address in `href` on `<a>` is removed"),
    ] {
        let expected = format!("issues/001/01-alpha.md:{line}:");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&expected) && l.contains("warning") && l.contains(phrase)),
            "no warning `{phrase}` at line {line}:\n{}",
            run.stderr
        );
    }
    let page = site.public("issues/1/alpha/index.html");
    let doc = scraper::Html::parse_document(&page);
    let body = scraper::Selector::parse("article .body").unwrap();
    let article = doc.select(&body).next().expect("an <article>");
    let html = article.html();
    for gone in [
        "<script",
        "<iframe",
        "onerror",
        "javascript:",
        "data:",
        "alert",
    ] {
        assert!(!html.contains(gone), "`{gone}` left in {html}");
    }
    // What was allowed stays: the text, the image and the links' words.
    for kept in ["安全的段落。", "alt=\"图\"", "这里", "那里"] {
        assert!(html.contains(kept), "`{kept}` missing from {html}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        article("SECRET-TEXT 不该出现在网站上。"),
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.png"), b"SECRET-IMAGE").unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/secret.txt"), "SECRET-FILE").unwrap();

    let site = Site::fixture();
    symlink(
        outside.path().join("secret.md"),
        site.path("issues/001/04-link.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("secret.png"),
        site.path("issues/001/secret.png"),
    )
    .unwrap();
    symlink(outside.path().join("dir"), site.path("static/linked")).unwrap();
    symlink(outside.path().join("dir"), site.path("issues/009-linked")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for link in [
        "issues/001/04-link.md",
        "issues/001/secret.png",
        "static/linked",
        "issues/009-linked",
    ] {
        assert!(
            run.stderr
                .contains(&format!("{link}: warning: symbolic links are not followed")),
            "{link}:\n{}",
            run.stderr
        );
    }
    let files = common::snapshot(&site.path("public"));
    assert!(files.contains_key("index.html"), "{:?}", files.keys());
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET") && !path.contains("secret") && !path.contains("hostname"),
            "{path} came from outside the site"
        );
    }

    // A link that climbs out of the site folder by `..` is not a file of
    // it: an error at the link, and nothing is copied.
    site.write(
        "issues/001/02-beta.md",
        &article("![图](../../../../../../../../etc/hostname)\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("issues/001/02-beta.md:6:6: error:"),
        "{}",
        run.stderr
    );
}

#[test]
fn file_names_with_spaces_and_chinese_characters_work() {
    let site = Site::fixture();
    site.write(
        "issues/001/04 心情 日记.md",
        &article("见图：![心情曲线](<图 片 1.png>)，或[上一篇](<03-中文.md>)。\n"),
    );
    site.write_bytes("issues/001/图 片 1.png", common::TINY_PNG);
    site.write(
        "issues/001/02-beta.md",
        &article("下一篇：[心情日记](04%20心情%20日记.md)。\n"),
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.public("issues/1/4/index.html");
    let image = common::references(&page)
        .into_iter()
        .find(|r| r.ends_with(".png"))
        .expect("the image is linked");
    // The image's URL is percent-encoded and points at the copied file.
    assert!(image.contains("%E5%9B%BE%20%E7%89%87%201.png"), "{image}");
    assert!(site.path("public/issues/1/图 片 1.png").is_file());
    let beta = site.public("issues/1/beta/index.html");
    assert!(beta.contains("/issues/1/4/"), "{beta}");
}
