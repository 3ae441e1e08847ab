//! The search page and index files a build writes: fixture sites built with
//! the real binary. What a query finds is checked in the index's unit tests
//! (src/search/tests.rs) and in a browser (tests/browser/search.test.mjs).

use std::collections::BTreeMap;

use crate::common::{Site, fails_with, hrefs, snapshot, texts};
use base64::Engine as _;

const BASE: &str = "/sub/path/";

/// The built index files under `search/` of `out`, and the manifest.
fn index(site: &Site, out: &str) -> (BTreeMap<String, Vec<u8>>, serde_json::Value) {
    let files: BTreeMap<String, Vec<u8>> = snapshot(&site.path(out).join("search"))
        .into_iter()
        .filter(|(name, _)| name != "index.html")
        .collect();
    let manifest = serde_json::from_slice(&files["index.json"]).expect("the manifest is JSON");
    (files, manifest)
}

/// The names the manifest gives, each with its hash: posting files, then
/// text blocks.
fn named(manifest: &serde_json::Value) -> Vec<(String, String)> {
    let hashes = |s: &str| -> Vec<String> {
        s.as_bytes()
            .chunks(6)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect()
    };
    let mut names = Vec::new();
    for (r, p) in manifest["p"].as_array().unwrap().iter().enumerate() {
        for (b, h) in hashes(p.as_str().unwrap()).iter().enumerate() {
            if h != "~~~~~~" {
                names.push((format!("p/{r}-{b}-{h}.bin"), h.clone()));
            }
        }
    }
    for (k, h) in hashes(manifest["d"].as_str().unwrap()).iter().enumerate() {
        names.push((format!("d/{k}-{h}.json"), h.clone()));
    }
    names
}

#[test]
fn every_piece_is_named_by_its_content_and_listed_in_the_manifest() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let (files, manifest) = index(&site, "public");
    // Four published articles; the draft and the draft issue are left out.
    assert_eq!(manifest["docs"], 4);
    let names = named(&manifest);
    assert!(
        names.iter().any(|(n, _)| n.starts_with("p/"))
            && names.iter().any(|(n, _)| n.starts_with("d/")),
        "{names:?}"
    );
    let mut on_disk: Vec<&String> = files.keys().filter(|n| *n != "index.json").collect();
    on_disk.sort();
    let mut listed: Vec<&String> = names.iter().map(|(n, _)| n).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every file listed, nothing else written");
    for (name, hash) in &names {
        let digest = xxhash_rust::xxh3::xxh3_64(&files[name]).to_le_bytes();
        let full = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        assert_eq!(hash, &full[..6], "{name}");
    }
    // The stored text: oldest first, links under the base path, body text
    // from the rendered HTML, no drafts.
    let blocks: String = names
        .iter()
        .filter(|(n, _)| n.starts_with("d/"))
        .map(|(n, _)| String::from_utf8(files[n].clone()).unwrap())
        .collect();
    let docs: Vec<serde_json::Value> = serde_json::from_str(&blocks).unwrap();
    let titles: Vec<&str> = docs.iter().map(|d| d["t"].as_str().unwrap()).collect();
    assert_eq!(titles, ["给所有人", "Beta", "Alpha 文章", "Gamma"]);
    assert_eq!(docs[2]["u"], format!("{BASE}issues/1/alpha/"));
    assert_eq!(docs[2]["n"], 1);
    assert_eq!(docs[2]["a"], serde_json::json!(["老年人"]));
    assert_eq!(docs[2]["x"], "Alpha 的第一段。");
    // An editor's summary that is not in the body is searchable too.
    assert_eq!(docs[1]["x"], "Beta 的摘要\nBeta body.");
    assert!(!blocks.contains("还没写完"), "a draft is not searchable");
}

#[test]
fn a_rebuild_renames_only_the_pieces_whose_content_changed() {
    let site = Site::fixture();
    // Enough articles for several blocks of stored text.
    for i in 0..30 {
        site.write(
            &format!("issues/002-later/{:02}-more-{i}.md", i + 10),
            &format!("+++\ntitle = \"第{i}篇\"\n+++\n\n第{i}段文字，睡前放下手机。\n"),
        );
    }
    site.build_ok(&["--output", site.path("one").to_str().unwrap()]);
    site.build_ok(&["--output", site.path("two").to_str().unwrap()]);
    let (one, m1) = index(&site, "one");
    let (two, _) = index(&site, "two");
    assert_eq!(one, two, "the same input gives the same names and bytes");
    site.write(
        "issues/002-later/25-more-15.md",
        "+++\ntitle = \"第15篇\"\n+++\n\n改过的一段文字。\n",
    );
    site.build_ok(&["--output", site.path("three").to_str().unwrap()]);
    let (_, m3) = index(&site, "three");
    let (before, after) = (named(&m1), named(&m3));
    let renamed: Vec<&String> = after
        .iter()
        .map(|(n, _)| n)
        .filter(|n| !before.iter().any(|(b, _)| b == *n))
        .collect();
    let blocks = renamed.iter().filter(|n| n.starts_with("d/")).count();
    assert_eq!(blocks, 1, "one block of text changed: {renamed:?}");
    let total_blocks = after.iter().filter(|(n, _)| n.starts_with("d/")).count();
    assert!(total_blocks >= 4, "{total_blocks} blocks");
}

#[test]
fn the_search_page_explains_itself_without_scripts() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let page = site.public("search/index.html");
    assert_eq!(texts(&page, "h1"), ["搜索"]);
    assert_eq!(
        hrefs(&page, "#search-nojs a"),
        [
            format!("{BASE}issues/"),
            format!("{BASE}for/elders/"),
            format!("{BASE}for/workers/"),
            format!("{BASE}for/students/"),
        ]
    );
    assert!(texts(&page, "#search-nojs p")[0].contains("JavaScript"));
    // The form appears only when the script runs, and has no field name,
    // so nothing could ever be submitted with the query.
    assert!(page.contains("<form id=\"search-form\" class=\"search-form\" role=\"search\" hidden"));
    assert!(page.contains("<input id=\"search-q\" type=\"search\""));
    assert!(!page.contains(" name=\"q\""));
    assert_eq!(texts(&page, "label[for=search-q]"), ["输入要找的字词"]);
    assert!(page.contains(&format!("<script src=\"{BASE}search.js\" defer></script>")));
    assert!(page.contains(&format!("data-index=\"{BASE}search/index.json\"")));
    assert!(site.has_public("search.js") && site.has_public("search.css"));
}

#[test]
fn every_page_links_to_search_in_its_header() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let pages = snapshot(&site.path("public"));
    let html: Vec<_> = pages.iter().filter(|(n, _)| n.ends_with(".html")).collect();
    assert!(html.len() > 15);
    for (name, bytes) in html {
        let page = String::from_utf8_lossy(bytes);
        assert_eq!(
            hrefs(&page, ".masthead a.search-link"),
            [format!("{BASE}search/")],
            "{name}"
        );
    }
}

#[test]
fn a_standing_page_cannot_take_the_search_url() {
    fails_with(
        &[("content/search.md", "+++\ntitle = \"搜\"\n+++\n\n正文。\n")],
        &[(
            "content/search.md:1:1",
            "the URL /search/ is used by the site itself",
        )],
    );
}
