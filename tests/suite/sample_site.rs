//! The sample site at the repository root builds cleanly, has every page of
//! the URL table, serves every audience, and all its links resolve.

use crate::common;

use std::path::Path;

use crate::common::{check_links, snapshot, texts, weikan};

fn build_sample(out: &Path, extra: &[&str]) -> common::Run {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut args = vec!["build", "--root", root, "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = weikan(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

#[test]
fn sample_site_builds_without_warnings_and_links_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = build_sample(&out, &[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let checked = check_links(&out, "https://example.org", "/weikan/");
    assert!(checked > 500, "{checked}");
}

#[test]
fn sample_site_has_every_page_and_serves_every_audience() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_sample(&out, &[]);
    let files = snapshot(&out);
    let issues = files
        .keys()
        .filter(|k| {
            k.starts_with("issues/") && k.matches('/').count() == 2 && k.ends_with("/index.html")
        })
        .count();
    let articles = files
        .keys()
        .filter(|k| k.starts_with("issues/") && k.matches('/').count() == 3)
        .count();
    assert!(issues >= 4, "{issues} issues");
    assert!(articles >= 16, "{articles} articles");
    for page in [
        "index.html",
        "issues/index.html",
        "about/index.html",
        "hotlines/index.html",
        "sitemap.xml",
        "404.html",
    ] {
        assert!(files.contains_key(page), "missing {page}");
    }
    for key in ["elders", "workers", "students", "frontline"] {
        let html = String::from_utf8(files[&format!("for/{key}/index.html")].clone()).unwrap();
        let own: usize = texts(&html, ".cards .audiences")
            .iter()
            .filter(|t| !t.contains("写给所有人"))
            .count();
        assert!(own >= 4, "{key} has only {own} articles of its own");
    }
    // One article shows the site handles Traditional Chinese.
    let traditional = files.iter().any(|(k, v)| {
        k.ends_with("/index.html") && String::from_utf8_lossy(v).contains("不是你的錯")
    });
    assert!(traditional);
}

#[test]
fn sample_site_builds_under_another_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_sample(&out, &["--base-url", "http://127.0.0.1:8080/"]);
    let checked = check_links(&out, "http://127.0.0.1:8080", "/");
    assert!(checked > 500, "{checked}");
}
