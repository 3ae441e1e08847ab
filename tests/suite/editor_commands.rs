//! `weikan new`, `weikan init` and `weikan check`, run as an editor would.

use crate::common::{Site, snapshot, weikan};

fn root_args(site: &Site) -> String {
    site.root().to_str().unwrap().to_owned()
}

#[test]
fn init_writes_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("新站点");
    let run = weikan(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = weikan(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("built 1 issue, 2 articles"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "no warnings: {}", run.stderr);
    let toml = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    for key in ["elders", "workers", "students", "frontline", "[[hotlines]]"] {
        assert!(toml.contains(key), "{key}");
    }
    assert!(dir.join("content/about.md").is_file());
    assert!(dir.join("public/issues/1/sleep/index.html").is_file());
    // The output and the photo cache stay out of version control.
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "/public/"), "{ignored}");
    assert!(ignored.lines().any(|l| l == "/.weikan-cache/"), "{ignored}");
}

#[test]
fn init_refuses_a_folder_in_use_unless_forced_and_never_deletes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let dir = tmp.path().to_str().unwrap();
    let run = weikan(&["init", dir]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(!tmp.path().join("site.toml").exists());
    let run = weikan(&["init", dir, "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(tmp.path().join("site.toml").is_file());
}

#[test]
fn new_issue_takes_the_next_free_number_and_builds() {
    let site = Site::fixture();
    let root = root_args(&site);
    // Issue 3 is a draft, but its number is taken all the same.
    let run = weikan(&[
        "new",
        "issue",
        "--root",
        &root,
        "--title",
        "「居家」不焦虑 \"引号\"",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("issues/004/issue.md"), "{}", run.stdout);
    let text = std::fs::read_to_string(site.path("issues/004/issue.md")).unwrap();
    assert!(text.starts_with("+++\nnumber = 4\n"), "{text}");
    let today = jiff::tz::Offset::constant(8)
        .to_datetime(jiff::Timestamp::now())
        .date();
    assert!(text.contains(&format!("date = {today}\n")), "{text}");
    site.build_ok(&[]);
    assert!(
        site.public("issues/4/index.html")
            .contains("「居家」不焦虑 &quot;引号&quot;")
    );

    let run = weikan(&["new", "issue", "--root", &root, "--number", "2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("issue 2 already exists"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_article_is_numbered_after_the_others_and_builds() {
    let site = Site::fixture();
    let root = root_args(&site);
    let run = weikan(&[
        "new",
        "article",
        "--root",
        &root,
        "--issue",
        "1",
        "--title",
        "睡个好觉：三个小办法",
        "--audience",
        "elders",
        "--audience",
        "workers",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("issues/001/04-睡个好觉：三个小办法.md"),
        "{}",
        run.stdout
    );
    let run = weikan(&[
        "new",
        "article",
        "--root",
        &root,
        "--issue",
        "2",
        "--title",
        "Sleep Well",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Issue 2 holds 01-gamma and the draft 02-wip.
    assert!(
        run.stdout.contains("issues/002-later/03-sleep-well.md"),
        "{}",
        run.stdout
    );
    site.build_ok(&[]);
    // A Chinese title keeps the file name readable; the URL is its position.
    assert!(
        site.public("issues/1/4/index.html")
            .contains("睡个好觉：三个小办法")
    );
    // per_page is 2: workers' third article, the newest in reading order, is on page 2.
    assert!(
        site.public("for/workers/page/2/index.html")
            .contains("睡个好觉：三个小办法")
    );
    assert!(site.has_public("issues/2/sleep-well/index.html"));
}

#[test]
fn new_article_rejects_unknown_audiences_and_issues() {
    let site = Site::fixture();
    let root = root_args(&site);
    let run = weikan(&[
        "new",
        "article",
        "--root",
        &root,
        "--issue",
        "1",
        "--title",
        "x",
        "--audience",
        "teens",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "unknown audience `teens`; the audiences in site.toml are elders, workers, students"
        ),
        "{}",
        run.stderr
    );
    let run = weikan(&[
        "new", "article", "--root", &root, "--issue", "9", "--title", "x",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("there is no issue 9; the issues are 1, 2, 3"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(site.path("issues/001")).unwrap().count(),
        5,
        "nothing written"
    );
}

#[test]
fn check_reports_each_kind_of_problem_and_writes_nothing() {
    let site = Site::fixture();
    site.write(
        "issues/004/issue.md",
        "+++\nnumber = 4\ntitle = \"空的一期\"\ndate = 2026-04-01\n+++\n",
    );
    site.write(
        "issues/001/04-lints.md",
        &format!(
            "+++\ntitle = \"问题\"\naudiences = [\"elders\"]\nsummary = \"{}\"\n+++\n\n![](pic.png)\n\n见[别处](/nowhere/)。\n",
            "很长的摘要。".repeat(20)
        ),
    );
    let before = snapshot(site.root());
    let run = weikan(&["check", "--root", &root_args(&site)]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    assert!(
        run.stdout.contains("check passed: no errors, 6 warnings"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    for expected in [
        "issues/004/issue.md: warning: issue 4 has no articles",
        "issues/001/03-中文.md:1:1: warning: this article has no `audiences`",
        "site.toml:16:7: warning: no article is written for audience `students`",
        "issues/001/04-lints.md:4:1: warning: the summary is 120 characters, too long for a card",
        "issues/001/04-lints.md:7:1: warning: this image has no alt text",
        "issues/001/04-lints.md:9:7: warning: `/sub/path/nowhere/` points to no page or file of the site",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(site.root()), before, "check wrote something");
}

#[test]
fn check_fails_on_errors_with_exit_1() {
    let site = Site::fixture();
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"a\"\naudience = []\n+++\n",
    );
    let run = weikan(&["check", "--root", &root_args(&site)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("issues/001/01-alpha.md:3:1: error: unknown field `audience`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("check failed: 1 error"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
}
