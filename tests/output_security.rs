//! What every built page promises a resident's browser: a
//! Content-Security-Policy that loads nothing from other hosts and runs only
//! the theme's own inline scripts, a referrer policy that tells other sites
//! nothing, and `rel="noopener noreferrer"` on links that leave the site.

mod common;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use common::{Site, snapshot};

/// `'sha256-…'` of a script's text, as a browser computes it.
fn hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's policy, from its one CSP `<meta>`.
fn policy(doc: &scraper::Html, page: &str) -> String {
    let selector =
        scraper::Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let metas: Vec<_> = doc.select(&selector).collect();
    assert_eq!(metas.len(), 1, "{page}: one policy");
    metas[0].value().attr("content").unwrap().to_owned()
}

/// Every page of a built site: the policy is strict and allows exactly the
/// inline scripts the page carries, the referrer policy is set, and links to
/// other hosts carry rel.
fn check_site(public: &std::path::Path, own_host: &str) -> usize {
    let scripts = scraper::Selector::parse("script").unwrap();
    let referrer = scraper::Selector::parse(r#"meta[name="referrer"]"#).unwrap();
    let links = scraper::Selector::parse("a[href]").unwrap();
    let mut external = 0;
    let pages: Vec<_> = snapshot(public)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect();
    assert!(!pages.is_empty());
    for (page, bytes) in &pages {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        let policy = policy(&doc, page);
        for directive in ["default-src 'none'", "base-uri 'none'", "style-src 'self'"] {
            assert!(policy.contains(directive), "{page}: {policy}");
        }
        // No host, scheme-wide or unsafe source anywhere in the policy.
        for source in policy.split([' ', ';']) {
            assert!(
                !source.contains("://")
                    && !matches!(source, "http:" | "https:" | "*")
                    && !source.contains("unsafe"),
                "{page}: `{source}` in {policy}"
            );
        }
        for script in doc.select(&scripts) {
            if script.value().attr("src").is_none() {
                let text: String = script.text().collect();
                assert!(
                    policy.contains(&hash(&text)),
                    "{page}: the theme's inline script is not allowed by {policy}"
                );
            }
        }
        let referrer: Vec<_> = doc
            .select(&referrer)
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(referrer, ["same-origin"], "{page}");
        for link in doc.select(&links) {
            let href = link.value().attr("href").unwrap();
            let leaves = (href.starts_with("http://") || href.starts_with("https://"))
                && !href.contains(own_host);
            let rel = link.value().attr("rel");
            if leaves {
                external += 1;
                assert_eq!(rel, Some("noopener noreferrer"), "{page}: {href}");
            }
        }
    }
    external
}

#[test]
fn the_sample_site_keeps_residents_private() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = common::weikan(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    check_site(&public, "example.org/weikan/");
}

#[test]
fn links_out_get_rel_and_an_article_script_is_not_allowed_to_run() {
    let site = Site::fixture();
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"链接\"\naudiences = [\"elders\"]\n+++\n\n\
         [外部网站](https://www.example.net/help)、[本站](../002-later/01-gamma.md)、\
         <https://other.example/autolink>。\n\n<script>window.x = 1</script>\n",
    );
    // With raw HTML allowed the script reaches the page, and the policy
    // still refuses to run it.
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[markdown]\nunsafe_html = true\n"),
    );
    site.build_ok(&[]);
    assert_eq!(check_site_skipping_article(&site), 2);
    let page = site.public("issues/1/alpha/index.html");
    let doc = scraper::Html::parse_document(&page);
    let policy = policy(&doc, "alpha");
    assert!(page.contains("<script>window.x = 1</script>"));
    assert!(!policy.contains(&hash("window.x = 1")), "{policy}");
    // Links inside the site carry no rel.
    let internal = scraper::Selector::parse(r#".body a[href*="/issues/2/"]"#).unwrap();
    let rels: Vec<_> = doc
        .select(&internal)
        .map(|a| a.value().attr("rel"))
        .collect();
    assert_eq!(rels, [None]);
}

/// [`check_site`] on the fixture, whose one article script is meant to be
/// refused (it is checked on its own), so that page's scripts are left out.
fn check_site_skipping_article(site: &Site) -> usize {
    let copy = tempfile::tempdir().unwrap();
    for (path, bytes) in snapshot(&site.path("public")) {
        let target = copy.path().join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let bytes = if path == "issues/1/alpha/index.html" {
            String::from_utf8(bytes)
                .unwrap()
                .replace("<script>window.x = 1</script>", "")
                .into_bytes()
        } else {
            bytes
        };
        std::fs::write(target, bytes).unwrap();
    }
    check_site(copy.path(), "example.org/")
}
