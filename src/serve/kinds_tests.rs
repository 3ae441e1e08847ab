//! Each kind of change, applied by [`Live`] as `serve` applies it, leaves
//! exactly the output a full build of the changed site folder makes, and
//! does no more work than its kind needs.

use std::fs;
use std::path::{Path, PathBuf};

use super::change::ChangeKind;
use super::live::{Live, Outcome, Work};
use crate::config::ConfigOverrides;
use crate::output::{Content, Output, OutputPath};
use crate::site::BuildOptions;
use crate::urls::BaseUrl;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn article(title: &str, audiences: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\naudiences = [{audiences}]\ndate = {date}\n+++\n\n{body}\n")
}

const BODY: &str = "第一段，是摘要。\n\n第二段。\n\n![放松练习](relax.mp3)";

/// A site with something of every kind: two issues with articles and a
/// lesson, a standing page, the home page's intro, a questionnaire, a site static file, a theme
/// folder on disk with its own static file.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.toml",
        "title = \"t\"\nbase_url = \"https://e.org/\"\n[[audiences]]\nkey = \"a\"\nname = \"A\"\n[[audiences]]\nkey = \"b\"\nname = \"B\"\n[pagination]\nper_page = 3\n[wechat]\n",
    );
    for n in 1..=2 {
        write(
            root,
            &format!("issues/{n}/issue.md"),
            &format!(
                "+++\nnumber = {n}\ntitle = \"期{n}\"\ndate = 2026-0{n}-01\n+++\n\n卷首语。\n"
            ),
        );
        for k in 1..=3 {
            let who = if k == 2 { "\"b\"" } else { "\"a\"" };
            let body = if k == 1 { BODY } else { "正文。" };
            let date = format!("2026-0{n}-0{k}");
            let text = article(&format!("文{n}{k}"), who, &date, body);
            write(root, &format!("issues/{n}/0{k}-x{k}.md"), &text);
        }
        write(root, &format!("issues/{n}/relax.mp3"), "ID3 short");
    }
    write(
        root,
        "content/index.md",
        "+++\ntitle = \"欢迎\"\n+++\n\n本刊简介。\n",
    );
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"关于\"\n+++\n\n关于本刊。\n",
    );
    let questionnaire = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/selfcheck/gad-7.md");
    write(
        root,
        "content/selfcheck/gad-7.md",
        &fs::read_to_string(questionnaire)
            .unwrap()
            .replace(
                "audiences = [\"workers\", \"frontline\"]",
                "audiences = [\"a\"]",
            )
            .replace("/content/hotlines.md", "/content/about.md"),
    );
    write(root, "static/robots.txt", "User-agent: *\n");
    write(
        root,
        "themes/default/static/weikan.css",
        "body { margin: 0 }\n",
    );
    dir
}

/// Links point at the preview, as in `serve`.
fn overrides() -> ConfigOverrides {
    ConfigOverrides {
        base_url: Some(BaseUrl::parse("http://127.0.0.1:1/").unwrap()),
    }
}

/// Applies a rebuild to `output` as `serve` does; the patched paths.
fn apply(output: &mut Output, outcome: Outcome) -> Option<Vec<String>> {
    match outcome {
        Outcome::Full(full) => {
            *output = full;
            None
        }
        Outcome::Patch(files) => {
            let paths = files.iter().map(|(p, _)| p.clone()).collect();
            for (path, bytes) in files {
                output.set(OutputPath::new(&path).unwrap(), Content::Bytes(bytes));
            }
            Some(paths)
        }
        Outcome::Failed(d) => panic!("{d:?}"),
    }
}

/// Every page, and the other files the fixture's changes can touch, as
/// served: (path, bytes), a copied file read from where it is copied from.
fn served(output: &Output) -> Vec<(String, Vec<u8>)> {
    let others = [
        "feed.xml",
        "for/a/feed.xml",
        "for/b/feed.xml",
        "sitemap.xml",
        "search/index.json",
        "robots.txt",
        "weikan.css",
        "issues/1/relax.mp3",
        "issues/2/relax.mp3",
    ];
    let pages = output.pages().map(|(p, _)| p.to_owned());
    pages
        .chain(others.map(str::to_owned))
        .map(|p| {
            let bytes = match output.get(&p) {
                Some(Content::Bytes(b)) => b.clone(),
                Some(Content::Copy(from)) => fs::read(from).unwrap(),
                None => panic!("{p} is missing"),
            };
            (p, bytes)
        })
        .collect()
}

/// Asserts that `output` is what a full build of the folder makes now.
fn assert_as_full_build(root: &Path, output: &Output, what: &str) {
    let (_, full, _) = crate::build_in_memory(root, &overrides(), BuildOptions::default())
        .unwrap_or_else(|d| panic!("{what}: {d:?}"));
    assert_same_files(&served(output), &served(&full), what);
}

/// Asserts that two lists of (path, bytes) name the same files with the
/// same bytes, naming the files that differ.
pub(super) fn assert_same_files(
    served: &[(String, Vec<u8>)],
    full: &[(String, Vec<u8>)],
    what: &str,
) {
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(served), names(full), "{what}: other files");
    let differ: Vec<&str> = served
        .iter()
        .zip(full)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: differ from a full build: {differ:?}"
    );
}

/// A change to make, what it is, and what its rebuild must do.
struct Case {
    what: &'static str,
    change: Box<dyn Fn(&Path)>,
    changed: &'static [&'static str],
    kind: ChangeKind,
    work: Work,
    /// The files it must patch (`None`: a whole new output).
    patch: Option<&'static [&'static str]>,
}

const NOTHING: Work = Work {
    loaded: false,
    compiled: false,
};
const LOADED: Work = Work {
    loaded: true,
    compiled: false,
};
const COMPILED: Work = Work {
    loaded: false,
    compiled: true,
};
const EVERYTHING: Work = Work {
    loaded: true,
    compiled: true,
};

fn edit(rel: &'static str, text: String) -> Box<dyn Fn(&Path)> {
    Box::new(move |root| write(root, rel, &text))
}

fn a11(body: &str) -> String {
    article("文11", "\"a\"", "2026-01-01", body)
}

/// The default theme's 404 page with its heading changed to `word`.
fn template(word: &str) -> String {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    fs::read_to_string(default)
        .unwrap()
        .replace("找不到这个页面", word)
}

fn cases() -> Vec<Case> {
    let mut cases = article_cases();
    cases.extend(theme_cases());
    cases.extend(content_cases());
    cases
}

fn article_cases() -> Vec<Case> {
    vec![
        Case {
            what: "a body's second paragraph",
            change: edit(
                "issues/1/01-x1.md",
                a11(&BODY.replace("第二段", "改过的第二段")),
            ),
            changed: &["issues/1/01-x1.md"],
            kind: ChangeKind::ArticleBody,
            work: NOTHING,
            patch: Some(&[
                "issues/1/x1/index.html",
                "issues/1/print/index.html",
                "feed.xml",
                "wechat/1/x1/index.html",
                "wechat/1/x1/article.html",
            ]),
        },
        Case {
            what: "a body's first paragraph, which is the summary",
            change: edit(
                "issues/1/01-x1.md",
                a11(&BODY.replace("第一段", "新的第一段")),
            ),
            changed: &["issues/1/01-x1.md"],
            kind: ChangeKind::ArticleBody,
            work: NOTHING,
            patch: Some(&["issues/1/index.html", "lessons/index.html"]),
        },
        Case {
            what: "an article's title",
            change: edit(
                "issues/2/03-x3.md",
                article("新标题", "\"a\"", "2026-02-03", "正文。"),
            ),
            changed: &["issues/2/03-x3.md"],
            kind: ChangeKind::ArticleFrontMatter,
            work: NOTHING,
            patch: Some(&["index.html", "issues/2/x2/index.html", "for/a/index.html"]),
        },
    ]
}

fn theme_cases() -> Vec<Case> {
    vec![
        Case {
            what: "a template",
            change: edit("templates/404.html", template("没有这一页")),
            changed: &["templates/404.html"],
            kind: ChangeKind::Template,
            work: COMPILED,
            patch: None,
        },
        Case {
            // The players in article bodies show these words too.
            what: "the words table",
            change: edit(
                "templates/words.toml",
                "archive_title = \"过刊\"\naudio = \"录音\"\n".into(),
            ),
            changed: &["templates/words.toml"],
            kind: ChangeKind::Words,
            work: EVERYTHING,
            patch: None,
        },
        Case {
            what: "a static file",
            change: edit("static/robots.txt", "User-agent: *\nDisallow:\n".into()),
            changed: &["static/robots.txt"],
            kind: ChangeKind::StaticFile,
            work: NOTHING,
            patch: Some(&["robots.txt"]),
        },
        Case {
            what: "a theme's static file",
            change: edit(
                "themes/default/static/weikan.css",
                "body { margin: 1px }\n".into(),
            ),
            changed: &["themes/default/static/weikan.css"],
            kind: ChangeKind::StaticFile,
            work: NOTHING,
            patch: Some(&["weikan.css"]),
        },
        Case {
            what: "a theme's static file added",
            change: edit(
                "themes/default/static/extra.css",
                "p { margin: 0 }\n".into(),
            ),
            changed: &["themes/default/static/extra.css"],
            kind: ChangeKind::StaticFile,
            work: NOTHING,
            patch: None,
        },
    ]
}

/// Replaces `from` by `to` in the file at `rel`.
fn replace(rel: &'static str, from: &'static str, to: &'static str) -> Box<dyn Fn(&Path)> {
    Box::new(move |root| {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    })
}

/// Issue 2's `issue.md` with `title` and the editor's note `note`.
fn issue2(title: &str, note: &str) -> String {
    format!("+++\nnumber = 2\ntitle = \"{title}\"\ndate = 2026-02-01\n+++\n\n{note}\n")
}

/// Edits that only the edited file's own pages show: read alone, rendered
/// alone.
fn own_page_cases() -> Vec<Case> {
    vec![
        Case {
            what: "a standing page's body",
            change: edit(
                "content/about.md",
                "+++\ntitle = \"关于\"\n+++\n\n关于本刊，改过。\n".into(),
            ),
            changed: &["content/about.md"],
            kind: ChangeKind::StandingPage,
            work: NOTHING,
            patch: Some(&["about/index.html"]),
        },
        Case {
            what: "the home page's intro, title and text",
            change: edit(
                "content/index.md",
                "+++\ntitle = \"您好\"\n+++\n\n本刊简介，改过。\n".into(),
            ),
            changed: &["content/index.md"],
            kind: ChangeKind::StandingPage,
            work: NOTHING,
            patch: Some(&["index.html"]),
        },
        Case {
            what: "a questionnaire's introduction and advice",
            change: Box::new(|root| {
                replace("content/selfcheck/gad-7.md", "大约2分钟", "大约两分钟")(root);
                replace("content/selfcheck/gad-7.md", "过两周再做", "过两个星期再做")(root);
            }),
            changed: &["content/selfcheck/gad-7.md"],
            kind: ChangeKind::Questionnaire,
            work: NOTHING,
            patch: Some(&["selfcheck/gad-7/index.html"]),
        },
        Case {
            what: "the latest issue's note after its first paragraph",
            change: edit("issues/2/issue.md", issue2("期2", "卷首语。\n\n第二段。")),
            changed: &["issues/2/issue.md"],
            kind: ChangeKind::Issue,
            work: NOTHING,
            patch: Some(&["issues/2/index.html", "issues/2/print/index.html"]),
        },
        Case {
            what: "an earlier issue's note after its first paragraph",
            change: edit(
                "issues/1/issue.md",
                "+++\nnumber = 1\ntitle = \"期1\"\ndate = 2026-01-01\n+++\n\n卷首语。\n\n另一段。\n"
                    .into(),
            ),
            changed: &["issues/1/issue.md"],
            kind: ChangeKind::Issue,
            work: NOTHING,
            patch: Some(&["issues/1/index.html", "issues/1/print/index.html"]),
        },
    ]
}

/// Edits of what other pages show of a standing page, questionnaire or
/// issue: the content loads again.
fn shown_elsewhere_cases() -> Vec<Case> {
    vec![
        Case {
            what: "a standing page's menu order",
            change: edit(
                "content/about.md",
                "+++\ntitle = \"关于\"\nweight = 2\n+++\n\n关于本刊，改过。\n".into(),
            ),
            changed: &["content/about.md"],
            kind: ChangeKind::StandingPage,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "a standing page added",
            change: edit(
                "content/help.md",
                "+++\ntitle = \"求助\"\n+++\n\n求助。\n".into(),
            ),
            changed: &["content/help.md"],
            kind: ChangeKind::StandingPage,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "a questionnaire's summary",
            change: replace(
                "content/selfcheck/gad-7.md",
                "7道题，约2分钟",
                "7道题，约两分钟",
            ),
            changed: &["content/selfcheck/gad-7.md"],
            kind: ChangeKind::Questionnaire,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "an issue's note's first paragraph, which is its summary",
            change: edit(
                "issues/2/issue.md",
                issue2("期2", "新的卷首语。\n\n第二段。"),
            ),
            changed: &["issues/2/issue.md"],
            kind: ChangeKind::Issue,
            work: LOADED,
            patch: None,
        },
    ]
}

fn content_cases() -> Vec<Case> {
    let mut cases = own_page_cases();
    cases.extend(shown_elsewhere_cases());
    cases.extend(reloading_cases());
    cases.extend(batch_cases());
    cases
}

/// Several kinds in one batch: the largest names the rebuild.
fn batch_cases() -> Vec<Case> {
    vec![Case {
        what: "a body and a template in one batch",
        change: Box::new(move |root| {
            write(root, "issues/1/01-x1.md", &a11("一起改的正文。"));
            write(root, "templates/404.html", &template("这一页不在"));
        }),
        changed: &["issues/1/01-x1.md", "templates/404.html"],
        kind: ChangeKind::Template,
        work: COMPILED,
        patch: None,
    }]
}

fn reloading_cases() -> Vec<Case> {
    vec![
        Case {
            what: "a standing page's title",
            change: edit(
                "content/about.md",
                "+++\ntitle = \"关于我们\"\n+++\n\n关于。\n".into(),
            ),
            changed: &["content/about.md"],
            kind: ChangeKind::StandingPage,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "a questionnaire's title",
            change: Box::new(|root| {
                let path = root.join("content/selfcheck/gad-7.md");
                let text = fs::read_to_string(&path).unwrap();
                fs::write(path, text.replace("焦虑自评", "紧张自评")).unwrap();
            }),
            changed: &["content/selfcheck/gad-7.md"],
            kind: ChangeKind::Questionnaire,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "an issue's front matter",
            change: edit(
                "issues/2/issue.md",
                "+++\nnumber = 2\ntitle = \"新期名\"\ndate = 2026-02-01\n+++\n\n卷首语。\n".into(),
            ),
            changed: &["issues/2/issue.md"],
            kind: ChangeKind::Issue,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "an article added to an issue",
            change: edit(
                "issues/2/04-x4.md",
                article("新文", "", "2026-02-04", "正文。"),
            ),
            changed: &["issues/2/04-x4.md"],
            kind: ChangeKind::Issue,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "a lesson's audio",
            change: edit("issues/2/relax.mp3", "ID3 ".repeat(100_000)),
            changed: &["issues/2/relax.mp3"],
            kind: ChangeKind::Media,
            work: LOADED,
            patch: None,
        },
        Case {
            what: "site.toml",
            change: Box::new(|root| {
                let path = root.join("site.toml");
                let text = fs::read_to_string(&path).unwrap();
                fs::write(path, text.replace("title = \"t\"", "title = \"新刊名\"")).unwrap();
            }),
            changed: &["site.toml"],
            kind: ChangeKind::SiteConfig,
            work: EVERYTHING,
            patch: None,
        },
    ]
}

#[test]
fn each_kind_of_change_leaves_what_a_full_build_makes() {
    let dir = site();
    let root = dir.path();
    let mut live = Live::new(root.to_path_buf(), overrides(), BuildOptions::default());
    let mut output = Output::default();
    let first = live.rebuild(&[]);
    assert_eq!(first.work, EVERYTHING);
    apply(&mut output, first.outcome);
    assert_as_full_build(root, &output, "the first build");
    for case in cases() {
        (case.change)(root);
        let changed: Vec<PathBuf> = case.changed.iter().map(PathBuf::from).collect();
        let rebuilt = live.rebuild(&changed);
        assert_eq!(rebuilt.kind, Some(case.kind), "{}", case.what);
        assert_eq!(rebuilt.work, case.work, "{}", case.what);
        let patched = apply(&mut output, rebuilt.outcome);
        match (case.patch, &patched) {
            (None, None) => {}
            (Some(wanted), Some(patched)) => {
                for path in wanted {
                    assert!(
                        patched.iter().any(|p| p == path),
                        "{}: {path} not in {patched:?}",
                        case.what
                    );
                }
            }
            _ => panic!(
                "{}: patched {patched:?}, wanted {:?}",
                case.what, case.patch
            ),
        }
        // The search index follows the reload, as in `serve`.
        if let Some(outcome) = live.render_deferred() {
            apply(&mut output, outcome);
        }
        assert_as_full_build(root, &output, case.what);
    }
}

#[test]
fn a_template_change_compiles_without_loading_and_a_body_edit_does_neither() {
    let dir = site();
    let root = dir.path();
    let mut live = Live::new(root.to_path_buf(), overrides(), BuildOptions::default());
    live.rebuild(&[]);
    let rel = "issues/2/02-x2.md";
    write(
        root,
        rel,
        &article("文22", "\"b\"", "2026-02-02", "改过的正文。"),
    );
    let body = live.rebuild(&[PathBuf::from(rel)]);
    assert_eq!(body.work, NOTHING);
    assert!(matches!(body.outcome, Outcome::Patch(_)));
    write(
        root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ html | safe }}{% endblock main %}",
    );
    let template = live.rebuild(&[PathBuf::from("templates/page.html")]);
    assert_eq!(template.work, COMPILED);
}

#[test]
fn a_broken_template_is_reported_with_content_errors_and_mended_by_the_next_save() {
    let dir = site();
    let root = dir.path();
    let mut live = Live::new(root.to_path_buf(), overrides(), BuildOptions::default());
    let mut output = Output::default();
    apply(&mut output, live.rebuild(&[]).outcome);

    // While the template is broken, the last good output stays.
    write(root, "templates/404.html", "{% block main %}");
    let Outcome::Failed(problems) = live.rebuild(&[PathBuf::from("templates/404.html")]).outcome
    else {
        panic!("a broken template must fail");
    };
    assert!(
        problems.iter().any(|d| d.to_string().contains("404.html")),
        "{problems:?}"
    );
    // An article saved meanwhile still waits for the template.
    let rel = "issues/1/02-x2.md";
    write(
        root,
        rel,
        &article("文12", "\"b\"", "2026-01-02", "又一版。"),
    );
    assert!(matches!(
        live.rebuild(&[PathBuf::from(rel)]).outcome,
        Outcome::Failed(_)
    ));

    // A theme that is not there and a broken article: reported together.
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    let themed = toml.replace("title = \"t\"", "title = \"t\"\ntheme = \"nosuch\"");
    write(root, "site.toml", &themed);
    write(root, "issues/1/03-x3.md", "+++\ntitle = 1\n+++\n");
    let Outcome::Failed(both) = live.rebuild(&[PathBuf::from("site.toml")]).outcome else {
        panic!("a broken site must fail");
    };
    let text = format!("{both:?}");
    assert!(
        text.contains("nosuch") && text.contains("03-x3.md"),
        "{text}"
    );

    write(root, "site.toml", &toml);
    write(
        root,
        "issues/1/03-x3.md",
        &article("文13", "\"a\"", "2026-01-03", "正文。"),
    );
    fs::remove_file(root.join("templates/404.html")).unwrap();
    let mended = live.rebuild(&[PathBuf::from("templates/404.html")]);
    assert_eq!(
        mended.kind,
        Some(ChangeKind::SiteConfig),
        "the failed batches come along"
    );
    apply(&mut output, mended.outcome);
    assert_as_full_build(root, &output, "after mending");
}

#[test]
fn an_edit_only_its_own_pages_show_renders_those_pages_alone() {
    let dir = site();
    let root = dir.path();
    let mut live = Live::new(root.to_path_buf(), overrides(), BuildOptions::default());
    let mut output = Output::default();
    apply(&mut output, live.rebuild(&[]).outcome);
    for case in own_page_cases() {
        (case.change)(root);
        let changed: Vec<PathBuf> = case.changed.iter().map(PathBuf::from).collect();
        let rebuilt = live.rebuild(&changed);
        let mut patched = apply(&mut output, rebuilt.outcome).expect(case.what);
        patched.sort();
        let mut wanted = case.patch.expect(case.what).to_vec();
        wanted.sort();
        assert_eq!(patched, wanted, "{}", case.what);
        assert!(!live.has_deferred(), "{}", case.what);
        assert_as_full_build(root, &output, case.what);
    }
}

#[test]
fn a_broken_page_questionnaire_or_issue_md_is_reported_and_mended_by_the_next_save() {
    let dir = site();
    let root = dir.path();
    let mut live = Live::new(root.to_path_buf(), overrides(), BuildOptions::default());
    let mut output = Output::default();
    apply(&mut output, live.rebuild(&[]).outcome);
    for rel in [
        "content/about.md",
        "content/selfcheck/gad-7.md",
        "issues/2/issue.md",
    ] {
        let good = fs::read_to_string(root.join(rel)).unwrap();
        write(root, rel, "+++\ntitle = 1\n+++\n");
        let Outcome::Failed(problems) = live.rebuild(&[PathBuf::from(rel)]).outcome else {
            panic!("{rel}: a broken file must fail");
        };
        let named = problems.iter().any(|d| d.to_string().contains(rel));
        assert!(named, "{rel}: {problems:?}");
        // The file as it was: the site kept shows it so, and the save is
        // read alone.
        write(root, rel, &good);
        let mended = live.rebuild(&[PathBuf::from(rel)]);
        assert_eq!(mended.work, NOTHING, "{rel}");
        apply(&mut output, mended.outcome);
        assert_as_full_build(root, &output, rel);
    }
}
