//! 公众号 pages: each article's 正文 as DESIGN.md's "公众号 pages" fixes it,
//! parsed with an HTML parser and checked rule by rule, on a fixture article
//! that uses every construct and on every article of the sample site; the
//! pages, crops and QR codes that go with it; and the limits as warnings.

use std::collections::BTreeSet;
use std::fs;

use scraper::{ElementRef, Html, Selector};

use crate::common::{self, Site, snapshot};
use crate::media::photo;

const BASE: &str = "https://example.org/sub/path/";
/// The tags the 公众号 editor keeps.
const TAGS: [&str; 29] = [
    "a",
    "section",
    "p",
    "span",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "br",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "hr",
    "sup",
    "sub",
    "code",
    "pre",
];

/// The fixture with `[wechat]`, a questionnaire, an article published on
/// the 公众号 and one that uses every construct the 正文 rewrites.
fn wechat_site() -> Site {
    let site = Site::fixture();
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[wechat]\nauthor = \"区心理服务中心\"\n"),
    );
    site.write(
        "content/selfcheck/mood.md",
        "+++\ntitle = \"心情自评\"\nitems = [\"心情低落\", \"睡不好\"]\noptions = [{ label = \"没有\", score = 0 }, { label = \"有\", score = 1 }]\n[[bands]]\nmin = 0\nmax = 2\nlabel = \"参考\"\nadvice = \"照顾好自己。\"\n+++\n\n两道题。\n",
    );
    let beta = fs::read_to_string(site.path("issues/001/02-beta.md")).unwrap();
    site.write(
        "issues/001/02-beta.md",
        &beta.replacen(
            "+++\n",
            "+++\nwechat_url = \"https://mp.weixin.qq.com/s/beta\"\n",
            1,
        ),
    );
    site.write_bytes(
        "issues/001/photo.jpg",
        &photo::phone_jpeg(&photo::landscape(3000, 2000, 7), 92),
    );
    let mut gif = b"GIF89a".to_vec();
    gif.resize(1_200_000, 0);
    site.write_bytes("issues/001/big.gif", &gif);
    site.write_bytes("issues/001/talk.mp3", &[0u8; 2_000]);
    site.write_bytes("issues/001/walk.mp4", &[0u8; 3_000]);
    let long_title = "很长".repeat(33);
    let long_summary = "摘要".repeat(61);
    site.write(
        "issues/001/04-every.md",
        &format!(
            "+++\ntitle = \"{long_title}\"\nsummary = \"{long_summary}\"\n+++\n\n# 一级标题\n\n开头一段，**重要**：加粗之后的字。\n\n![一张照片](photo.jpg)\n\n- 第一层\n  - 第二层\n    - 第三层甲\n    - 第三层乙\n- 回到第一层\n\n| 时间 | 做什么 |\n|---|---|\n| 早上 | 散步 |\n\n    def breathe():\n        inhale(4)  # 吸气\n\n见[别处](https://example.com/a)、[再看别处](https://example.com/a)、[公众号旧文](https://mp.weixin.qq.com/s/old)、[Beta](02-beta.md)、[Gamma](../002-later/01-gamma.md)和[自测](/content/selfcheck/mood.md)。\n\n![放松录音](talk.mp3)\n\n![散步视频](walk.mp4)\n\n![动图](big.gif)\n\n## 听完再看 ![放松录音](talk.mp3)\n\n- 列表里\n\n  也有录音 ![放松录音](talk.mp3) 在中间\n"
        ),
    );
    site
}

/// Every rule of the 正文 that `html` breaks.
fn broken_rules(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let doc = Html::parse_fragment(html);
    let roots: Vec<ElementRef> = doc.root_element().child_elements().collect();
    if roots.len() != 1 || roots[0].value().name() != "section" {
        problems.push(format!("{} root elements, want one <section>", roots.len()));
    }
    let all = Selector::parse("*").unwrap();
    for el in doc.root_element().select(&all) {
        let v = el.value();
        if !TAGS.contains(&v.name()) {
            problems.push(format!("<{}> is not kept", v.name()));
        }
        for (name, value) in v.attrs() {
            if name == "class" || name == "id" || name.starts_with("data-") {
                problems.push(format!("<{}> has {name}", v.name()));
            }
            if name == "style" {
                problems.extend(style_problems(v.name(), value));
            }
        }
        if v.name() == "a"
            && !v
                .attr("href")
                .unwrap_or("")
                .starts_with("https://mp.weixin.qq.com/")
        {
            problems.push(format!("a link to {:?}", v.attr("href")));
        }
        if v.name() == "img" {
            let src = v.attr("src").unwrap_or("");
            let ext_ok = [".jpg", ".jpeg", ".png", ".gif"]
                .iter()
                .any(|e| src.to_lowercase().ends_with(e));
            if !src.starts_with(BASE) && !src.starts_with("https://example.org/weikan/") || !ext_ok
            {
                problems.push(format!("image {src}"));
            }
        }
        if v.name() == "li" {
            let lists = el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .filter(|a| matches!(a.value().name(), "ul" | "ol"))
                .count();
            if lists > 2 {
                problems.push("a list nested three levels".into());
            }
        }
    }
    problems
}

/// What a style attribute breaks: no variables, `!important` or layout
/// the editor drops, and no text under 15 px.
fn style_problems(tag: &str, style: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for banned in ["var(", "!important", "position", "float", "flex", "grid"] {
        if style.contains(banned) {
            problems.push(format!("<{tag}> style has {banned}"));
        }
    }
    for decl in style.split(';') {
        if let Some(size) = decl.trim().strip_prefix("font-size:") {
            let px: f64 = size.trim().trim_end_matches("px").parse().unwrap_or(0.0);
            if px < 15.0 {
                problems.push(format!("<{tag}> font-size {size}"));
            }
        }
    }
    problems
}

fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The URL in the QR code of the PNG at `path`.
fn decode_png(path: &std::path::Path) -> String {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "{}: one code", path.display());
    grids[0].decode().unwrap().1
}

/// The output file of an absolute URL under the fixture's base.
fn output_file(site: &Site, url: &str) -> std::path::PathBuf {
    site.path("public").join(
        url.strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{url} is not under {BASE}")),
    )
}

#[test]
fn the_fragment_of_an_article_using_every_construct_keeps_every_rule() {
    let site = wechat_site();
    site.build_ok(&[]);
    let html = site.public("wechat/1/every/article.html");
    assert_eq!(broken_rules(&html), Vec::<String>::new(), "{html}");

    // Links: the 公众号 ones stay, the one to an article published there
    // leads to it; every other becomes its text and a number.
    assert_eq!(
        attrs(&html, "a", "href"),
        [
            "https://mp.weixin.qq.com/s/old",
            "https://mp.weixin.qq.com/s/beta"
        ]
    );
    assert_eq!(texts(&html, "sup"), ["[1]", "[1]", "[2]", "[3]"]);
    let refs: Vec<String> = texts(&html, "p")
        .into_iter()
        .filter(|t| t.starts_with('['))
        .collect();
    assert_eq!(
        refs,
        [
            "[1] https://example.com/a".to_owned(),
            format!("[2] {BASE}issues/2/gamma/"),
            format!("[3] {BASE}selfcheck/mood/"),
        ]
    );
    assert!(texts(&html, "p").contains(&"引用链接".to_owned()));

    // Images at their published absolute address; players as notes.
    let images = attrs(&html, "img", "src");
    assert_eq!(images[0], format!("{BASE}issues/1/photo.jpg"));
    assert!(images.contains(&format!("{BASE}issues/1/big.gif")));
    assert!(!html.contains("<audio") && !html.contains("<video"));
    let notes: Vec<String> = texts(&html, "p")
        .into_iter()
        .filter(|t| t.contains("素材库"))
        .collect();
    assert_eq!(notes.len(), 4, "{notes:?}");
    // A note leaves every paragraph whole, even one inside a list item, and
    // writes no paragraph end where there was none (in a heading).
    assert_eq!(
        html.matches("<p ").count(),
        html.matches("</p>").count(),
        "{html}"
    );
    assert!(
        !html.contains(
            "<p style=\"margin:0 0 16px;font-size:16px;line-height:1.75;color:#3a3a3a;\"><p"
        ),
        "{html}"
    );
    assert!(
        notes[0].contains("放松录音") && notes[0].contains(&format!("{BASE}issues/1/talk.mp3"))
    );
    assert!(
        notes[1].contains("散步视频") && notes[1].contains(&format!("{BASE}issues/1/walk.mp4"))
    );

    // Headings from h2; the third list level folded into the second.
    assert_eq!(texts(&html, "h2"), ["一级标题"]);
    assert_eq!(texts(&html, "h3"), ["听完再看 "]);
    let second: Vec<String> = texts(&html, "li li");
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(second[0].contains("第三层甲") && second[0].contains("第三层乙"));
    assert_eq!(texts(&html, "th"), ["时间", "做什么"]);
    // Code keeps its indentation and line breaks against the editor.
    let code = Html::parse_fragment(&html);
    let pre = code
        .select(&Selector::parse("code").unwrap())
        .next_back()
        .unwrap()
        .inner_html();
    assert!(
        pre.contains("def breathe():<br>&nbsp;&nbsp;&nbsp;&nbsp;inhale(4) &nbsp;# 吸气"),
        "{pre}"
    );
    assert!(texts(&html, "strong").contains(&"重要".to_owned()));

    // The self-check's QR code follows its paragraph; the article's own
    // ends the 正文 after the hotlines. Both decode to the right address.
    let qrs: Vec<String> = images
        .iter()
        .filter(|s| s.ends_with("qr.png"))
        .cloned()
        .collect();
    assert_eq!(
        qrs,
        [
            format!("{BASE}wechat/selfcheck/mood/qr.png"),
            format!("{BASE}wechat/1/every/qr.png")
        ]
    );
    assert_eq!(
        decode_png(&output_file(&site, &qrs[0])),
        format!("{BASE}selfcheck/mood/")
    );
    assert_eq!(
        decode_png(&output_file(&site, &qrs[1])),
        format!("{BASE}issues/1/every/")
    );
    assert!(html.contains("长按识别二维码"));
    let last = texts(&html, "section > section p");
    assert!(last[0].contains("12356"), "{last:?}");
    assert!(html.ends_with("</p></section></section>"));
}

#[test]
fn the_limits_are_warnings_at_their_place_and_a_bad_wechat_url_an_error() {
    let site = wechat_site();
    site.write(
        "issues/001/05-long.md",
        &format!("+++\ntitle = \"长文\"\n+++\n\n{}\n", "字".repeat(20_050)),
    );
    let run = site.build_ok(&[]);
    for expected in [
        "issues/001/04-every.md:2:9: warning: this title is 66 characters; a 公众号 title takes at most 64",
        "issues/001/04-every.md:3:11: warning: this summary is 122 characters",
        "warning: this image is 1.2 MB as published; the 公众号 takes images of at most 1 MB",
        "issues/001/05-long.md:5:1: warning: the 公众号 正文 of this article is ",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    // The 公众号 counts every character pasted: the body's 20,050 and the
    // closing box's.
    let counted: usize = run
        .stderr
        .split("正文 of this article is ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((20_050..20_200).contains(&counted), "{counted}");
    let check = common::weikan(&["check", "--root", site.root().to_str().unwrap()]);
    assert!(
        check.stderr.contains("this title is 66 characters"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stdout
            .contains(&format!("{BASE}wechat/1/every/  {}", "很长".repeat(33))),
        "{}",
        check.stdout
    );

    let digest = Html::parse_document(&site.public("wechat/1/every/index.html"));
    let out = Selector::parse("#wechat-digest").unwrap();
    let shown: String = digest.select(&out).next().unwrap().text().collect();
    assert_eq!(shown.chars().count(), 120);

    site.write(
        "issues/001/03-中文.md",
        "+++\ntitle = \"给所有人\"\nwechat_url = \"https://example.com/s/x\"\n+++\n\n正文。\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("issues/001/03-中文.md:3:14: error: `wechat_url` is \"https://example.com/s/x\": not the address of a 公众号 article"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_pages_are_for_editors_only_and_the_covers_are_cropped() {
    let site = wechat_site();
    site.build_ok(&[]);
    let page = site.public("wechat/1/every/index.html");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    let doc = Html::parse_document(&page);
    for (id, want) in [
        ("wechat-title", "很长".repeat(33)),
        ("wechat-author", "区心理服务中心".to_owned()),
        ("wechat-url", format!("{BASE}issues/1/every/")),
    ] {
        let sel = Selector::parse(&format!("#{id}")).unwrap();
        assert_eq!(
            doc.select(&sel).next().unwrap().text().collect::<String>(),
            want
        );
    }
    // The 正文 on the page is exactly the fragment file.
    let sel = Selector::parse("textarea#wechat-fragment").unwrap();
    let held: String = doc.select(&sel).next().unwrap().text().collect();
    assert_eq!(held, site.public("wechat/1/every/article.html"));
    for (name, w, h) in [
        ("cover-900x383.jpg", 900, 383),
        ("cover-500x500.jpg", 500, 500),
    ] {
        let img = image::open(site.path("public/wechat/1/every").join(name)).unwrap();
        assert_eq!((img.width(), img.height()), (w, h), "{name}");
        assert!(page.contains(&format!("download=\"{name}\"")));
    }
    // An article without an image gets no crops, and its page says so.
    assert!(
        !site
            .path("public/wechat/1/b-custom/cover-900x383.jpg")
            .exists()
    );
    assert!(
        site.public("wechat/1/b-custom/index.html")
            .contains("没有图片")
    );

    // In no list, feed, sitemap or search.
    let list = site.public("wechat/index.html");
    assert!(list.contains("/sub/path/wechat/1/every/"));
    for (name, bytes) in snapshot(&site.path("public")) {
        if name.starts_with("wechat/")
            || name.ends_with(".png")
            || name.ends_with(".jpg")
            || name.ends_with(".gif")
        {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("wechat/"), "{name} names a 公众号 page");
    }
    // Without [wechat], none of it.
    let plain = Site::fixture();
    plain.build_ok(&[]);
    let files: BTreeSet<String> = snapshot(&plain.path("public")).into_keys().collect();
    assert!(files.iter().all(|f| !f.starts_with("wechat")), "{files:?}");
}

#[test]
fn every_fragment_of_the_sample_site_keeps_every_rule() {
    let (_out, public) = common::build_sample();
    let mut checked = 0;
    for (name, bytes) in snapshot(&public) {
        if !(name.starts_with("wechat/") && name.ends_with("/article.html")) {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert_eq!(broken_rules(&html), Vec::<String>::new(), "{name}");
        checked += 1;
    }
    assert_eq!(checked, 22, "one fragment per article");
    // The sample's SVG drawing is shown as the PNG made of it, twice its size.
    let breathing = fs::read_to_string(public.join("wechat/1/breathing/article.html")).unwrap();
    let png = "https://example.org/weikan/wechat/png/issues/1/breathing.png";
    assert!(
        breathing.contains(&format!("<img src=\"{png}\"")),
        "{breathing}"
    );
    let drawn = image::open(public.join("wechat/png/issues/1/breathing.png")).unwrap();
    assert_eq!((drawn.width(), drawn.height()), (720, 440));
    // Its title, 「4-4-6 呼吸」, is drawn: dark strokes across the top band,
    // which is light without text.
    let luma = drawn.to_luma8();
    let dark = (40..100)
        .flat_map(|y| (0..720).map(move |x| (x, y)))
        .filter(|&(x, y)| luma.get_pixel(x, y).0[0] < 100)
        .count();
    assert!(dark > 500, "{dark} dark pixels where the title is");
}
