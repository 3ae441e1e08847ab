//! What every built page promises a resident's browser: a
//! Content-Security-Policy that loads nothing from other hosts and runs only
//! the theme's own inline scripts, a referrer policy that tells other sites
//! nothing, and `rel="noopener noreferrer"` on links that leave the site.

use crate::common;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::common::{Site, snapshot};

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

/// What a built site's pages promise, checked page by page.
struct Checked {
    /// Links to other hosts (each carries rel).
    external_links: usize,
    /// Inline scripts the page's policy does not allow, so never run.
    refused_scripts: Vec<String>,
}

/// Every page of a built site: the policy is strict, the referrer policy is
/// set, and links to other hosts carry rel. Inline scripts the policy does
/// not allow are returned: for the theme's own there must be none.
fn check_site(public: &std::path::Path, own_host: &str) -> Checked {
    let scripts = scraper::Selector::parse("script").unwrap();
    let referrer = scraper::Selector::parse(r#"meta[name="referrer"]"#).unwrap();
    let links = scraper::Selector::parse("a[href]").unwrap();
    let mut checked = Checked {
        external_links: 0,
        refused_scripts: Vec::new(),
    };
    let pages: Vec<_> = snapshot(public)
        .into_iter()
        .filter(|(path, _)| common::is_page(path))
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
            let text: String = script.text().collect();
            if script.value().attr("src").is_none() && !policy.contains(&hash(&text)) {
                checked.refused_scripts.push(text);
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
                checked.external_links += 1;
                assert_eq!(rel, Some("noopener noreferrer"), "{page}: {href}");
            }
        }
    }
    checked
}

#[test]
fn the_sample_site_keeps_residents_private() {
    let (_out, public) = common::build_sample();
    let checked = check_site(&public, "example.org/weikan/");
    assert_eq!(checked.refused_scripts, Vec::<String>::new());
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
    let checked = check_site(&site.path("public"), "example.org/");
    // Each twice: on the article's page and in the issue's print booklet.
    assert_eq!(checked.external_links, 4);
    // The article's script reached its page and the booklet; the theme's
    // inline script is allowed everywhere, this one nowhere.
    assert_eq!(checked.refused_scripts, ["window.x = 1", "window.x = 1"]);
    let page = site.public("issues/1/alpha/index.html");
    let doc = scraper::Html::parse_document(&page);
    // Links inside the site carry no rel.
    let internal = scraper::Selector::parse(r#".body a[href*="/issues/2/"]"#).unwrap();
    let rels: Vec<_> = doc
        .select(&internal)
        .map(|a| a.value().attr("rel"))
        .collect();
    assert_eq!(rels, [None]);
}
