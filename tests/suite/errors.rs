//! Bad input: every error names path:line:col, shows the line, exits 1, and
//! leaves the previous output untouched byte for byte.

use crate::common;

use crate::common::{Site, fails_with, snapshot};

#[test]
fn yaml_front_matter_says_weikan_reads_toml() {
    let err = fails_with(
        &[(
            "issues/001/01-alpha.md",
            "---\ntitle: Alpha\n---\n\nBody.\n",
        )],
        &[(
            "issues/001/01-alpha.md:1:1",
            "weikan reads TOML between `+++` lines",
        )],
    );
    assert!(err.contains(" 1 | ---"), "shows the offending line:\n{err}");
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let err = fails_with(
        &[(
            "issues/001/01-alpha.md",
            "+++\ntitle = \"Alpha\"\naudience = [\"elders\"]\n+++\n\nBody.\n",
        )],
        &[("issues/001/01-alpha.md:3:1", "unknown field `audience`")],
    );
    assert!(err.contains(" 3 | audience = [\"elders\"]"), "{err}");
    assert!(err.contains("^^^^^^^^"), "underlines the key:\n{err}");
}

#[test]
fn missing_required_keys_and_wrong_types() {
    fails_with(
        &[
            (
                "issues/001/01-alpha.md",
                "+++\naudiences = []\n+++\n\nBody.\n",
            ),
            ("issues/001/02-beta.md", "+++\ntitle = 5\n+++\n"),
            (
                "issues/002-later/issue.md",
                "+++\nnumber = 2\ntitle = \"t\"\n+++\n",
            ),
        ],
        &[
            ("issues/001/01-alpha.md:2:1", "missing field `title`"),
            ("issues/001/02-beta.md:2:9", "invalid type"),
            ("issues/002-later/issue.md:2:1", "missing field `date`"),
        ],
    );
}

#[test]
fn unknown_audience_lists_the_valid_ones() {
    let err = fails_with(
        &[(
            "issues/001/01-alpha.md",
            "+++\ntitle = \"Alpha\"\naudiences = [\"elders\", \"teens\"]\n+++\n",
        )],
        &[("issues/001/01-alpha.md:3:24", "unknown audience `teens`")],
    );
    assert!(
        err.contains("\"elders\" (老年人), \"workers\" (复工职工), \"students\" (中小学生)"),
        "{err}"
    );
}

#[test]
fn issue_numbers_must_be_positive_and_unique() {
    fails_with(
        &[
            (
                "issues/002-later/issue.md",
                "+++\nnumber = 1\ntitle = \"t\"\ndate = 2026-02-01\n+++\n",
            ),
            (
                "issues/004/issue.md",
                "+++\nnumber = 0\ntitle = \"t\"\ndate = 2026-02-01\n+++\n",
            ),
            (
                "issues/005/issue.md",
                "+++\nnumber = -3\ntitle = \"t\"\ndate = 2026-02-01\n+++\n",
            ),
        ],
        &[
            (
                "issues/002-later/issue.md:2:10",
                "issue number 1 is already used by issues/001/issue.md",
            ),
            ("issues/004/issue.md:2:10", "not a positive whole number"),
            ("issues/005/issue.md:2:10", "not a positive whole number"),
        ],
    );
}

#[test]
fn bad_dates_are_errors() {
    fails_with(
        &[
            (
                "issues/002-later/issue.md",
                "+++\nnumber = 2\ntitle = \"t\"\ndate = \"yesterday\"\n+++\n",
            ),
            (
                "issues/001/01-alpha.md",
                "+++\ntitle = \"t\"\ndate = 08:00:00\n+++\n",
            ),
        ],
        &[
            ("issues/002-later/issue.md:4:8", "invalid type"),
            (
                "issues/001/01-alpha.md:3:8",
                "a time of day alone is not a date",
            ),
        ],
    );
}

#[test]
fn slug_rules_and_url_clashes() {
    fails_with(
        &[
            (
                "issues/001/01-alpha.md",
                "+++\ntitle = \"a\"\nslug = \"Bad Slug\"\n+++\n",
            ),
            (
                "issues/001/04-other.md",
                "+++\ntitle = \"o\"\nslug = \"b-custom\"\n+++\n",
            ),
            ("issues/002-later/03-qr.md", "+++\ntitle = \"q\"\n+++\n"),
            ("content/issues.md", "+++\ntitle = \"i\"\n+++\n"),
            ("content/关于我们.md", "+++\ntitle = \"关于我们\"\n+++\n"),
            (
                "content/about-copy.md",
                "+++\ntitle = \"c\"\nslug = \"about\"\n+++\n",
            ),
        ],
        &[
            ("issues/001/01-alpha.md:3:8", "`B` is not allowed"),
            (
                "issues/001/04-other.md:3:8",
                "already used by issues/001/02-beta.md",
            ),
            (
                "issues/002-later/03-qr.md:1:1",
                "taken by the issue's QR sheet",
            ),
            ("content/issues.md:1:1", "used by the site itself"),
            ("content/关于我们.md:1:1", "cannot be used in a URL"),
            (
                "content/about.md:1:1",
                "already used by content/about-copy.md",
            ),
        ],
    );
}

#[test]
fn broken_and_draft_links_are_errors_at_the_link() {
    fails_with(
        &[(
            "issues/002-later/01-gamma.md",
            "+++\ntitle = \"Gamma\"\n+++\n\n先看[这篇](../001/09-missing.md)，\n再看[草稿](02-wip.md)。\n",
        )],
        &[
            ("issues/002-later/01-gamma.md:5:8", "which does not exist"),
            ("issues/002-later/01-gamma.md:6:8", "links to a draft"),
        ],
    );
}

#[test]
fn front_matter_must_be_opened_and_closed() {
    fails_with(
        &[
            (
                "issues/001/01-alpha.md",
                "+++\ntitle = \"Alpha\"\n\nBody without a closing fence.\n",
            ),
            ("issues/001/02-beta.md", "title = \"Beta\"\n"),
            ("content/about.md", ""),
        ],
        &[
            ("issues/001/01-alpha.md:1:1", "never closed"),
            ("issues/001/02-beta.md:1:1", "must start with front matter"),
            ("content/about.md:1:1", "the file is empty"),
        ],
    );
}

#[test]
fn issue_folder_without_issue_md_and_missing_cover() {
    fails_with(
        &[
            ("issues/009/01-lost.md", "+++\ntitle = \"lost\"\n+++\n"),
            (
                "issues/002-later/issue.md",
                "+++\nnumber = 2\ntitle = \"t\"\ndate = 2026-02-01\ncover = \"nope.jpg\"\n+++\n",
            ),
        ],
        &[
            ("issues/009", "has no issue.md"),
            (
                "issues/002-later/issue.md:5:9",
                "the cover `nope.jpg` is not in the issue folder",
            ),
        ],
    );
}

#[test]
fn errors_in_two_files_are_reported_together() {
    let err = fails_with(
        &[
            (
                "issues/001/01-alpha.md",
                "+++\ntitle = \"a\"\nwieght = 1\n+++\n",
            ),
            (
                "content/about.md",
                "+++\ntitle = \"关于\"\nslug = \"关于\"\n+++\n",
            ),
        ],
        &[
            ("content/about.md:3:8", "slug `关于`"),
            ("issues/001/01-alpha.md:3:1", "unknown field `wieght`"),
        ],
    );
    // Links to the two broken files are not reported a second time.
    assert!(err.contains("build failed: 2 errors"), "{err}");
}

#[test]
fn site_toml_errors_name_the_key_and_line() {
    let bad = common::SITE_TOML
        .replace(
            "base_url = \"https://example.org/sub/path/\"",
            "base_url = \"example.org\"",
        )
        .replace(
            "language = \"zh-CN\"",
            "language = \"zh-CN\"\ntimezone = \"UTC+8\"\ntheme_colour = \"red\"",
        )
        .replace("key = \"workers\"", "key = \"Workers\"")
        .replace("per_page = 2", "per_page = -1");
    let err = fails_with(
        &[("site.toml", &bad)],
        &[("site.toml:6:1", "unknown field `theme_colour`")],
    );
    assert!(err.contains("theme_colour = \"red\""), "{err}");

    // Once the unknown key is gone, every bad value is reported at once.
    let bad = bad.replace("theme_colour = \"red\"\n", "");
    let err = fails_with(
        &[("site.toml", &bad)],
        &[
            ("site.toml:3:12", "not a full web address"),
            ("site.toml:5:12", "not a UTC offset"),
            ("site.toml:13:7", "`W` is not allowed"),
            ("site.toml:26:12", "must be a positive whole number"),
        ],
    );
    assert!(err.contains("build failed: 4 errors"), "{err}");
}

#[test]
fn missing_site_toml_is_a_clear_error() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let before = snapshot(&site.path("public"));
    site.remove("site.toml");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.toml: error: no site.toml in the site folder"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.path("public")), before);
}

#[test]
fn template_errors_point_into_the_template() {
    let err = fails_with(
        &[(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title | nosuch }}</h1>\n{% endblock main %}\n",
        )],
        &[(
            "templates/page.html:3:21",
            "template: Unknown filter `nosuch`",
        )],
    );
    assert!(
        err.contains(" 3 | <h1>{{ page.title | nosuch }}</h1>"),
        "{err}"
    );
    let err = fails_with(
        &[(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ missing_value }}</h1>\n{% endblock main %}\n",
        )],
        &[(
            "templates/page.html:3:8",
            "template: Variable `missing_value` is not defined",
        )],
    );
    assert!(err.contains(" 3 | <h1>{{ missing_value }}</h1>"), "{err}");
}

#[test]
fn unknown_theme_is_an_error() {
    let toml = common::SITE_TOML.replace(
        "language = \"zh-CN\"",
        "language = \"zh-CN\"\ntheme = \"fancy\"",
    );
    fails_with(
        &[("site.toml", &toml)],
        &[("site.toml", "theme `fancy` not found")],
    );
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let site = Site::fixture();
    site.build_ok(&[]);
    site.write_bytes(
        "issues/001/01-alpha.md",
        b"+++\ntitle = \"a\"\n+++\n\nok \xff\xfe bad\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "issues/001/01-alpha.md:5:4: error: the file is not valid UTF-8 text (byte offset 24)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = common::weikan(&["build", "--nonsense"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = common::weikan(&["build", "--root", "/nonexistent/site/folder"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"));
}
