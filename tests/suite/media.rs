//! Media for phones, through the real binary: photos published upright,
//! resized and without metadata; the image cache; players; the 微课 list;
//! damaged and missing files as errors at their line.

use crate::common;
#[path = "../media/photo.rs"]
pub(crate) mod photo;

use std::fs;
use std::time::SystemTime;

use crate::common::{Site, fails_with, snapshot, texts, weikan};

const BASE: &str = "/sub/path/";

/// The fixture with a 3000 × 2000 phone photo (turned, with GPS) shown by
/// a new article, and a small PNG carrying GPS.
fn photo_site() -> Site {
    let site = Site::fixture();
    site.write_bytes(
        "issues/001/garden.jpg",
        &photo::phone_jpeg(&photo::landscape(3000, 2000, 1), 85),
    );
    site.write_bytes(
        "issues/001/map.png",
        &photo::png_with_gps(&photo::landscape(400, 300, 2)),
    );
    site.write(
        "issues/001/04-photo.md",
        "+++\ntitle = \"照片\"\naudiences = [\"elders\"]\n+++\n\n社区花园的早晨。\n\n![社区花园的早晨](garden.jpg \"花园\")\n\n![小地图](map.png)\n",
    );
    site
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("published image decodes")
}

/// No EXIF block at all (so no GPS and no orientation), and none of the
/// PNG chunks that carry metadata.
fn assert_no_metadata(bytes: &[u8], name: &str) {
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes));
    assert!(
        exif.is_err(),
        "{name} still has EXIF: {:?}",
        exif.ok()
            .map(|e| e.fields().map(|f| f.tag).collect::<Vec<_>>())
    );
    for marker in [
        &b"Exif\0\0"[..],
        b"eXIf",
        b"tEXt",
        b"iTXt",
        b"zTXt",
        b"http://ns.adobe.com/xap",
    ] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "{name} holds {}",
            String::from_utf8_lossy(marker)
        );
    }
}

#[test]
fn test_photos_really_carry_gps_and_orientation() {
    // The inputs of the tests below are what a phone writes.
    let jpeg = photo::phone_jpeg(&photo::landscape(300, 200, 1), 85);
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&jpeg))
        .expect("EXIF");
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .unwrap();
    assert_eq!(orientation.value.get_uint(0), Some(6));
    assert_eq!(decode(&jpeg).width(), 200, "stored turned");
}

#[test]
fn photos_are_published_upright_resized_and_without_metadata() {
    let site = photo_site();
    site.build_ok(&[]);
    let big = fs::read(site.path("public/issues/1/garden.jpg")).unwrap();
    let half = fs::read(site.path("public/issues/1/garden-480w.jpg")).unwrap();
    let source = fs::read(site.path("issues/001/garden.jpg")).unwrap();
    for (bytes, name, w, h) in [
        (&big, "garden.jpg", 960, 640),
        (&half, "garden-480w.jpg", 480, 320),
    ] {
        let img = decode(bytes).to_rgb8();
        assert_eq!((img.width(), img.height()), (w, h), "{name}");
        // Upright: sky (blue) at the top, grass (green) at the bottom.
        let top = img.get_pixel(w / 10, 2).0;
        let bottom = img.get_pixel(w / 2, h - 3).0;
        assert!(
            top[2] > top[1] && top[2] > top[0],
            "{name}: top is {top:?}, not sky"
        );
        assert!(
            bottom[1] > bottom[2],
            "{name}: bottom is {bottom:?}, not grass"
        );
        assert_no_metadata(bytes, name);
    }
    assert!(
        big.len() * 3 < source.len(),
        "{} vs {}",
        big.len(),
        source.len()
    );

    // The small PNG keeps its size and format, and loses its GPS.
    let png = fs::read(site.path("public/issues/1/map.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(decode(&png).width(), 400);
    assert_no_metadata(&png, "map.png");
    assert!(!site.has_public("issues/1/map-200w.png"));

    let html = site.public("issues/1/photo/index.html");
    let img = format!(
        "<img src=\"{BASE}issues/1/garden.jpg\" srcset=\"{BASE}issues/1/garden-480w.jpg 480w, {BASE}issues/1/garden.jpg 960w\" sizes=\"(max-width: 40rem) 100vw, 40rem\" width=\"960\" height=\"640\" alt=\"社区花园的早晨\" title=\"花园\" loading=\"lazy\" decoding=\"async\">"
    );
    assert!(html.contains(&img), "{html}");
    assert!(
        html.contains(&format!("<img src=\"{BASE}issues/1/map.png\" width=\"400\" height=\"300\" alt=\"小地图\" loading=\"lazy\" decoding=\"async\">")),
        "{html}"
    );
}

#[test]
fn max_width_is_a_setting() {
    let site = photo_site();
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[images]\nmax_width = 600\n"));
    site.build_ok(&[]);
    assert_eq!(
        decode(&fs::read(site.path("public/issues/1/garden.jpg")).unwrap()).width(),
        600
    );
    assert_eq!(
        decode(&fs::read(site.path("public/issues/1/garden-300w.jpg")).unwrap()).width(),
        300
    );

    site.write("site.toml", &format!("{toml}\n[images]\nmax_width = 0\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`max_width` must be a positive whole number"),
        "{}",
        run.stderr
    );
}

/// Every file of the image cache with its modification time.
fn cache_times(site: &Site) -> Vec<(String, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(site.path(".weikan-cache/images"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_rebuild_resizes_nothing_and_output_is_the_same_cold_or_warm() {
    let site = photo_site();
    site.build_ok(&[]);
    let cold = snapshot(&site.path("public"));
    let entries = cache_times(&site);
    // garden: two sizes and a list; map and pic: one size and a list each.
    assert_eq!(entries.len(), 7, "{entries:?}");

    // A file the warm build wrote would then show a later time.
    let newest = entries.iter().map(|(_, t)| *t).max().unwrap();
    common::wait_for_clock_past(newest, &site.path("clock-probe"));
    site.build_ok(&[]);
    assert_eq!(
        cache_times(&site),
        entries,
        "a warm build wrote to the cache"
    );
    assert_eq!(snapshot(&site.path("public")), cold, "warm output differs");

    // A cold cache gives the same bytes.
    fs::remove_dir_all(site.path(".weikan-cache")).unwrap();
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("public")), cold, "cold output differs");

    // `check` reads the cache but writes nothing, even for a new image.
    site.write_bytes(
        "issues/001/new.jpg",
        &photo::phone_jpeg(&photo::landscape(1200, 800, 3), 85),
    );
    let before = snapshot(site.root());
    let run = weikan(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        snapshot(site.root()),
        before,
        "check wrote into the site folder"
    );
}

#[test]
fn a_damaged_image_is_an_error_where_it_is_shown_and_other_errors_still_come() {
    let stderr = fails_with(
        &[
            ("issues/001/broken.jpg", "这不是一张照片"),
            (
                "issues/001/04-photo.md",
                "+++\ntitle = \"照片\"\n+++\n\n第一段。\n\n看图：![坏图](broken.jpg)\n\n![缺图](gone.png)\n",
            ),
        ],
        &[
            (
                "issues/001/04-photo.md:7:4",
                "this image cannot be published",
            ),
            (
                "issues/001/04-photo.md:9:7",
                "`gone.png` points to `issues/001/gone.png`, which is not in the site folder",
            ),
        ],
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("issues/001/broken.jpg: warning: ")
                && l.ends_with("it is left out of the site")),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_an_error_in_build_and_check() {
    let site = Site::fixture();
    site.write(
        "issues/001/04-links.md",
        "+++\ntitle = \"链接\"\n+++\n\n见[资料](handout.pdf)。\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("issues/001/04-links.md:5:7: error: `handout.pdf` points to `issues/001/handout.pdf`, which is not in the site folder"),
        "{}",
        run.stderr
    );
    let run = weikan(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("04-links.md:5:7: error"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_written_as_the_sites_own_urls_resolve_against_the_page() {
    let site = Site::fixture();
    site.write(
        "issues/002-later/03-urls.md",
        "+++\ntitle = \"网址\"\n+++\n\n[Alpha](../../1/alpha/#x)、[图](../../1/pic.png)、[老年人](../../../for/elders/)、[首页](../../../)\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("urls.md"), "{}", run.stderr);
    let html = site.public("issues/2/urls/index.html");
    let links = common::hrefs(&html, ".body a");
    assert_eq!(
        links,
        [
            format!("{BASE}issues/1/alpha/#x"),
            format!("{BASE}issues/1/pic.png"),
            format!("{BASE}for/elders/"),
            BASE.to_owned(),
        ]
    );

    site.write(
        "issues/002-later/03-urls.md",
        "+++\ntitle = \"网址\"\n+++\n\n[没有](../../1/nope/)\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("03-urls.md:5:6: error: `../../1/nope/`"),
        "{}",
        run.stderr
    );
}

/// The fixture with an audio lesson (captions beside it), a video with
/// poster and captions, and a second article with only a video.
fn lesson_site() -> Site {
    let site = Site::fixture();
    site.write_bytes("issues/001/relax.mp3", &[0u8; 3_240_000]);
    site.write(
        "issues/001/relax.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\n吸气\n",
    );
    site.write_bytes("issues/001/breathe.mp4", &[0u8; 850_000]);
    site.write("issues/001/breathe.vtt", "WEBVTT\n");
    site.write_bytes(
        "issues/001/breathe.jpg",
        &photo::phone_jpeg(&photo::landscape(320, 240, 4), 80),
    );
    site.write(
        "issues/001/04-lesson.md",
        "+++\ntitle = \"放松微课\"\naudiences = [\"elders\"]\n+++\n\n先听一段：\n\n![放松练习](relax.mp3)\n\n再看一段 ![跟着圆圈呼吸](breathe.mp4) 就好。\n",
    );
    site.write(
        "issues/002-later/03-video.md",
        "+++\ntitle = \"视频\"\n+++\n\n![圆圈](../001/breathe.mp4)\n",
    );
    site
}

#[test]
fn audio_and_video_become_players_that_fetch_nothing_before_play() {
    let site = lesson_site();
    site.build_ok(&[]);
    let html = site.public("issues/1/lesson/index.html");
    let audio = format!(
        "<figure class=\"media media-audio\">\n<audio controls=\"\" preload=\"none\" src=\"{BASE}issues/1/relax.mp3\"><track kind=\"captions\" src=\"{BASE}issues/1/relax.vtt\" srclang=\"zh-CN\" label=\"字幕\" default=\"\"><a href=\"{BASE}issues/1/relax.mp3\">下载音频</a></audio>\n<figcaption><span class=\"media-title\">放松练习</span> <span class=\"media-meta\">音频 · 3.2 MB</span> <a class=\"media-download\" href=\"{BASE}issues/1/relax.mp3\" download=\"\">下载（3.2 MB）</a></figcaption>\n</figure>"
    );
    assert!(html.contains(&audio), "{html}");
    assert!(
        html.contains(&format!("<video controls=\"\" preload=\"none\" playsinline=\"\" poster=\"{BASE}issues/1/breathe.jpg\" width=\"320\" height=\"240\" src=\"{BASE}issues/1/breathe.mp4\"><track kind=\"captions\" src=\"{BASE}issues/1/breathe.vtt\"")),
        "{html}"
    );
    assert!(html.contains("视频 · 850 KB"), "{html}");
    // What the sanitiser lets through is what was written: boolean
    // attributes come out as `name=""`, nothing else changes.
    // Players are blocks, never inside a paragraph; the text around stays.
    let doc = scraper::Html::parse_document(&html);
    let in_p = scraper::Selector::parse("p figure, p audio, p video").unwrap();
    assert_eq!(doc.select(&in_p).count(), 0, "{html}");
    assert_eq!(
        texts(&html, ".body > p"),
        ["先听一段：", "再看一段", "就好。"]
    );
    assert_eq!(texts(&html, ".media-title"), ["放松练习", "跟着圆圈呼吸"]);
}

#[test]
fn the_lessons_page_lists_articles_with_players_newest_first() {
    let site = lesson_site();
    site.build_ok(&[]);
    let lessons = site.public("lessons/index.html");
    assert_eq!(texts(&lessons, ".card-title"), ["视频", "放松微课"]);
    assert_eq!(
        texts(&lessons, ".lesson-media"),
        ["视频 · 850 KB", "音频 · 3.2 MB 视频 · 850 KB"]
    );
    let home = site.public("index.html");
    assert_eq!(
        common::hrefs(&home, ".lessons-link a"),
        [format!("{BASE}lessons/")]
    );
    assert!(
        site.public("sitemap.xml")
            .contains("https://example.org/sub/path/lessons/</loc>")
    );

    // Without players the home page does not offer the list.
    let plain = Site::fixture();
    plain.build_ok(&[]);
    assert!(common::hrefs(&plain.public("index.html"), ".lessons-link a").is_empty());
    assert!(!plain.public("sitemap.xml").contains("lessons/"));
}

#[test]
fn a_site_words_its_players_in_its_own_words_table() {
    let site = lesson_site();
    site.write(
        "templates/words.toml",
        "audio = \"录音\"\nmedia_download = \"存到手机（{size}）\"\nmedia_fallback = \"点这里下载{kind}\"\ncaptions = \"中文字幕\"\nmedia_meta = \"{kind}，{size}\"\n",
    );
    site.build_ok(&[]);
    let html = site.public("issues/1/lesson/index.html");
    assert_eq!(
        texts(&html, ".media-meta"),
        ["录音，3.2 MB", "视频，850 KB"]
    );
    assert_eq!(
        texts(&html, ".media-download"),
        ["存到手机（3.2 MB）", "存到手机（850 KB）"]
    );
    assert_eq!(texts(&html, "audio > a"), ["点这里下载录音"]);
    assert!(html.contains("label=\"中文字幕\""), "{html}");
    assert!(!html.contains("下载音频"), "{html}");
    assert_eq!(
        texts(&site.public("lessons/index.html"), ".lesson-media"),
        ["视频，850 KB", "录音，3.2 MB 视频，850 KB"]
    );
}

#[test]
fn a_very_large_media_file_is_a_warning_with_its_size() {
    let site = Site::fixture();
    let file = fs::File::create(site.path("issues/001/long.mp4")).unwrap();
    file.set_len(63_200_000).unwrap(); // sparse: no 63 MB written
    site.write(
        "issues/001/04-long.md",
        "+++\ntitle = \"长视频\"\n+++\n\n![讲座](long.mp4)\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("issues/001/long.mp4: warning: this video is 63.2 MB"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_editors_own_player_html_cannot_autoplay_or_fetch_early() {
    let site = Site::fixture();
    site.write(
        "issues/001/04-raw.md",
        "+++\ntitle = \"原始\"\n+++\n\n<video src=\"x.mp4\" autoplay preload=\"auto\" onplay=\"alert(1)\" controls></video>\n\n<img src=\"pic.png\" alt=\"图\" srcset=\"javascript:alert(1) 1x\">\n",
    );
    site.build_ok(&[]);
    let html = site.public("issues/1/raw/index.html");
    let body = &html[html.find("class=\"body\"").unwrap()..];
    assert!(
        body.contains("<video src=\"x.mp4\" preload=\"none\" controls=\"\">"),
        "{body}"
    );
    for banned in ["autoplay", "onplay", "javascript:", "srcset"] {
        assert!(!body.contains(banned), "{banned} kept: {body}");
    }
}
