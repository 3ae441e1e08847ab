//! The page plan against what the binary writes: every planned URL is
//! written, every written page is planned, and an article can link to any
//! planned page, relative or root-relative. The plan is read through
//! `Site::plan()`, the same list the build renders from.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::Site;
use weikan::config::{ConfigOverrides, SiteConfig};
use weikan::paths;
use weikan::plan::Plan;
use weikan::site::{BuildOptions, Site as Model};

/// The base path of the fixture's base_url.
const BASE_PATH: &str = "/sub/path/";

/// The fixture with every page kind: a questionnaire, a lesson (an article
/// with audio) and, with `per_page = 2`, audiences with several pages.
fn site_with_every_kind() -> Site {
    let site = Site::fixture();
    site.write(
        "content/selfcheck/mood.md",
        "+++\ntitle = \"心情自测\"\nitems = [\"睡不好\"]\noptions = [{ label = \"没有\", score = 0 }, { label = \"有\", score = 1 }]\n\n[[bands]]\nmin = 0\nmax = 1\nlabel = \"都可以\"\nadvice = \"照顾好自己。\"\n+++\n\n一份示例问卷。\n",
    );
    site.write_bytes("issues/001/relax.mp3", &[0u8; 1024]);
    site.write(
        "issues/001/04-lesson.md",
        "+++\ntitle = \"放松微课\"\naudiences = [\"elders\"]\n+++\n\n![放松练习](relax.mp3)\n",
    );
    site
}

/// The plan of the site at `root`, made by the library the binary runs.
fn plan_of(root: &Path) -> Plan {
    let config = SiteConfig::load(root, &ConfigOverrides::default()).expect("site.toml");
    let words = weikan::words::Words::built_in();
    let (model, _) =
        Model::build(root, config, &words, BuildOptions::default(), None).expect("a site");
    model.plan()
}

/// Every file under `dir`, by path from it with `/`.
fn written(dir: &Path) -> BTreeSet<String> {
    common::snapshot(dir).into_keys().collect()
}

#[test]
fn every_planned_url_is_written_and_every_written_page_is_planned() {
    let site = site_with_every_kind();
    site.build_ok(&[]);
    let plan = plan_of(site.root());
    let files = written(&site.path("public"));

    let planned: BTreeSet<String> = plan
        .entries()
        .iter()
        .map(|e| paths::file_of(&e.path))
        .collect();
    let missing: Vec<_> = planned.difference(&files).collect();
    assert!(missing.is_empty(), "planned but not written: {missing:?}");
    let unplanned: Vec<_> = files
        .iter()
        .filter(|f| f.ends_with(".html") && !planned.contains(*f))
        .collect();
    assert!(
        unplanned.is_empty(),
        "written but not planned: {unplanned:?}"
    );

    // The fixture has a page of every kind, so the check above covers each.
    let kinds: BTreeSet<&str> = plan.summary().into_iter().map(|(k, _)| k).collect();
    for kind in [
        "home",
        "archive",
        "issue",
        "article",
        "audience",
        "standing",
        "404",
        "sitemap",
        "feed",
        "qr",
        "print",
        "selfcheck-list",
        "selfcheck",
        "lessons",
        "search",
        "search-index",
    ] {
        assert!(kinds.contains(kind), "no {kind} page in {kinds:?}");
    }
    assert!(
        planned.contains("for/elders/page/2/index.html"),
        "{planned:?}"
    );

    // The sitemap lists exactly the entries the plan marks for it.
    let sitemap = site.public("sitemap.xml");
    let listed: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    let marked: Vec<String> = plan
        .entries()
        .iter()
        .filter(|e| e.in_sitemap)
        .map(|e| format!("https://example.org{BASE_PATH}{}", e.path))
        .collect();
    assert_eq!(listed, marked);
    assert!(
        !listed
            .iter()
            .any(|l| l.ends_with("/search/") || l.ends_with("/qr/"))
    );
}

#[test]
fn an_article_links_to_every_planned_page_relative_or_root_relative() {
    let site = site_with_every_kind();
    let targets: Vec<String> = plan_of(site.root())
        .entries()
        .iter()
        .map(|e| e.path.clone())
        .collect();
    assert!(targets.iter().any(|t| t == "search/"), "{targets:?}");
    // From /issues/9/links/, `../../../` is the site's root.
    let body: String = targets
        .iter()
        .enumerate()
        .map(|(n, t)| format!("[相对{n}](../../../{t}) [绝对{n}](/{t})\n\n"))
        .collect();
    site.write(
        "issues/009/issue.md",
        "+++\nnumber = 9\ntitle = \"链接\"\ndate = 2025-01-01\n+++\n\n卷首语。\n",
    );
    site.write(
        "issues/009/links.md",
        &format!("+++\ntitle = \"到处的链接\"\n+++\n\n{body}"),
    );
    let run = site.build(&[]);
    assert_eq!(
        run.code, 0,
        "a link to a planned page failed:\n{}",
        run.stderr
    );

    let html = site.public("issues/9/links/index.html");
    let files = written(&site.path("public"));
    for (n, target) in targets.iter().enumerate() {
        for label in [format!("相对{n}"), format!("绝对{n}")] {
            let href = link_to(&html, &label);
            let inside = href
                .strip_prefix(BASE_PATH)
                .unwrap_or_else(|| panic!("{label}: `{href}` is not under the base path"));
            assert_eq!(inside, target, "{label}");
            let file = paths::file_of(inside);
            assert!(files.contains(&file), "{label}: `{href}` leads to no file");
        }
    }
}

/// The `href` of the link whose text is `label`.
fn link_to(html: &str, label: &str) -> String {
    let start = html
        .find(&format!(">{label}</a>"))
        .unwrap_or_else(|| panic!("no link {label}"));
    let open = html[..start].rfind("<a href=\"").expect("an <a href>") + "<a href=\"".len();
    html[open..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_site_changes_the_words_weikan_writes_in_its_templates_folder() {
    let site = Site::fixture();
    site.write(
        "templates/words.toml",
        "archive_title = \"过刊\"\naudience_title = \"给{name}看\"\n",
    );
    site.build_ok(&[]);
    assert!(site.public("issues/index.html").contains("<title>过刊"));
    let section = site.public("for/elders/index.html");
    assert!(section.contains("<title>给老年人看"), "{section}");
    // The same word on the QR poster; words the site leaves alone stay.
    assert!(site.public("qr/index.html").contains("给老年人看"));
    assert!(
        site.public("issues/1/index.html")
            .contains("<title>第1期 第一期")
    );

    site.write("templates/words.toml", "\narchive_titel = \"过刊\"\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/words.toml:2:") && run.stderr.contains("archive_titel"),
        "{}",
        run.stderr
    );
}
