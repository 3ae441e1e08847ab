//! Self-checks (自测): questionnaires in content/selfcheck/ become forms
//! that can be scored by hand, are listed where residents look, and every
//! editor's mistake is reported at its line, all in one run.

use crate::common::{Site, fails_with, hrefs, texts, weikan};

/// A small valid questionnaire: 3 items scored 0–2, totals 0–6.
const MOOD: &str = r#"+++
title = "心情自测"
audiences = ["elders"]
question = "最近两周，以下情况有多常见？"
items = ["睡不好", "提不起劲", "有伤害自己的念头"]
options = [
  { label = "没有", score = 0 },
  { label = "有时", score = 1 },
  { label = "经常", score = 2 },
]
urgent_items = [3]

[[bands]]
min = 0
max = 2
label = "很少"
advice = "继续保持。见[关于](/content/about.md)。"

[[bands]]
min = 3
max = 6
label = "较多"
urgent = true
advice = "和信任的人**聊聊**。"
+++

这是一份示例问卷，约1分钟。结果不是诊断。
"#;

fn site_with_mood() -> Site {
    let site = Site::fixture();
    site.write("content/selfcheck/mood.md", MOOD);
    site
}

#[test]
fn a_questionnaire_is_a_form_that_can_be_scored_by_hand() {
    let site = site_with_mood();
    site.build_ok(&[]);
    let html = site.public("selfcheck/mood/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();

    let form = doc.select(&sel("form.sc-form")).next().expect("a form");
    // Submitting without the script goes nowhere: no action, no GET.
    assert_eq!(form.value().attr("method"), Some("dialog"));
    assert_eq!(form.value().attr("action"), None);
    assert_eq!(
        texts(&html, "form fieldset legend"),
        ["1. 睡不好", "2. 提不起劲", "3. 有伤害自己的念头"]
    );
    // Each item's options are radios of one group, labelled, with points.
    for n in 1..=3 {
        let radios: Vec<_> = doc
            .select(&sel(&format!(
                "fieldset#sc-item-{n} label input[type=radio][name=i{n}]"
            )))
            .map(|r| r.value().attr("value").unwrap().to_owned())
            .collect();
        assert_eq!(radios, ["0", "1", "2"], "item {n}");
    }
    assert_eq!(
        texts(&html, "#sc-item-1 label"),
        ["没有 0分", "有时 1分", "经常 2分"]
    );
    assert_eq!(doc.select(&sel("fieldset[data-urgent]")).count(), 1);
    assert!(doc.select(&sel("#sc-item-3[data-urgent]")).next().is_some());
    // The band table, with totals, labels and advice as HTML.
    assert_eq!(texts(&html, ".sc-bands .sc-range"), ["0–2分", "3–6分"]);
    assert_eq!(texts(&html, ".sc-band-label"), ["很少", "较多"]);
    assert!(
        html.contains("和信任的人<strong>聊聊</strong>"),
        "advice is Markdown"
    );
    assert_eq!(
        hrefs(&html, ".sc-advice a"),
        ["/sub/path/about/"],
        "links in advice resolve"
    );
    assert!(texts(&html, ".sc-urgent-note")[0].contains("第3题"));
    assert_eq!(doc.select(&sel("[aria-live=polite]#sc-result")).count(), 1);
    assert!(texts(&html, ".body")[0].contains("不是诊断"));
    // Whatever the editor wrote, the page says so and says where answers stay.
    assert_eq!(
        texts(&html, ".sc-notice"),
        ["结果只是参考，不是诊断。答案只在这台手机上计算，不会发送，也不会保存。"]
    );
    // The hotlines for the result, as tel: links.
    for id in ["sc-help", "sc-urgent"] {
        let start = html.find(&format!("<template id=\"{id}\">")).expect(id);
        let end = start + html[start..].find("</template>").unwrap();
        assert!(html[start..end].contains("href=\"tel:12356\""), "{id}");
    }
    // The scoring script and its styles, on this page only.
    assert!(html.contains(r#"<script src="/sub/path/selfcheck.js" defer></script>"#));
    assert!(site.has_public("selfcheck.js") && site.has_public("selfcheck.css"));
    let article = site.public("issues/1/alpha/index.html");
    assert!(!article.contains("selfcheck.js") && !article.contains("selfcheck.css"));
}

#[test]
fn residents_find_questionnaires_from_the_list_home_audiences_qr_and_sitemap() {
    let site = site_with_mood();
    site.write(
        "content/selfcheck/worry.md",
        &MOOD
            .replace("心情自测", "担心自测")
            .replace("audiences = [\"elders\"]", "audiences = [\"workers\"]"),
    );
    site.build_ok(&[]);
    let list = site.public("selfcheck/index.html");
    assert_eq!(
        texts(&list, ".sc-card .card-title"),
        ["心情自测", "担心自测"]
    );
    assert_eq!(
        hrefs(&list, ".sc-card a"),
        ["/sub/path/selfcheck/mood/", "/sub/path/selfcheck/worry/"]
    );
    assert_eq!(texts(&list, ".sc-card .meta")[0], "共3题 · 约1分钟");
    assert!(texts(&list, ".sc-card .summary")[0].contains("示例问卷"));

    let home = site.public("index.html");
    assert_eq!(hrefs(&home, ".selfcheck-link a"), ["/sub/path/selfcheck/"]);

    let elders = site.public("for/elders/index.html");
    assert_eq!(
        texts(&elders, ".section-selfchecks .card-title"),
        ["心情自测"]
    );
    let second = site.public("for/elders/page/2/index.html");
    assert!(texts(&second, ".section-selfchecks").is_empty());
    let workers = site.public("for/workers/index.html");
    assert_eq!(
        texts(&workers, ".section-selfchecks .card-title"),
        ["担心自测"]
    );
    let students = site.public("for/students/index.html");
    assert!(texts(&students, ".section-selfchecks").is_empty());

    let poster = site.public("qr/index.html");
    let titles = texts(&poster, ".qr-title");
    let urls = texts(&poster, ".qr-url");
    let at = titles
        .iter()
        .position(|t| t == "心理自测")
        .expect("a code for /selfcheck/");
    assert_eq!(urls[at], "https://example.org/sub/path/selfcheck/");

    let sitemap = site.public("sitemap.xml");
    for path in ["selfcheck/", "selfcheck/mood/", "selfcheck/worry/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/sub/path/{path}</loc>")),
            "{path} not in the sitemap"
        );
    }
    // A link to the questionnaire's source becomes its URL.
    site.write(
        "content/about.md",
        "+++\ntitle = \"关于\"\n+++\n\n做个[自测](selfcheck/mood.md)。\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        hrefs(&site.public("about/index.html"), ".body a"),
        ["/sub/path/selfcheck/mood/"]
    );
}

#[test]
fn a_site_without_questionnaires_has_no_selfcheck_pages_or_links() {
    let site = Site::fixture();
    site.build_ok(&[]);
    assert!(!site.has_public("selfcheck/index.html"));
    assert!(!site.public("index.html").contains("selfcheck"));
    assert!(!site.public("qr/index.html").contains("心理自测"));
    assert!(!site.public("sitemap.xml").contains("selfcheck"));
    assert!(!site.has_public("selfcheck.js") && !site.has_public("selfcheck.css"));
}

/// Asserts an error at `file:line:` whose message contains `phrase`.
fn error_at(stderr: &str, place: &str, phrase: &str) {
    let found = stderr
        .lines()
        .filter(|l| l.starts_with(&format!("{place}:")) && l.contains(": error: "))
        .any(|l| l.contains(phrase));
    assert!(found, "no error at {place} saying `{phrase}`:\n{stderr}");
}

#[test]
fn every_mistake_in_a_questionnaire_is_reported_at_its_line_in_one_run() {
    let bands = "\n[[bands]]\nmin = 0\nmax = 1\nlabel = \"x\"\nadvice = \"y\"\n";
    let stderr = fails_with(
        &[
            (
                "content/selfcheck/bands.md",
                concat!(
                    "+++\n",
                    "title = \"分档有问题\"\n",
                    "items = [\"一\", \"二\", \"三\"]\n",
                    "options = [{ label = \"否\", score = 0 }, { label = \"是\", score = 2 }]\n",
                    "urgent_items = [0, 4]\n",
                    "\n[[bands]]\nmin = 1\nmax = 2\nlabel = \"低\"\nadvice = \"a\"\n",
                    "\n[[bands]]\nmin = 4\nmax = 5\nlabel = \"中\"\nadvice = \"b\"\n",
                    "\n[[bands]]\nmin = 5\nmax = 5\nlabel = \"中2\"\nadvice = \"c\"\n",
                    "+++\n\n介绍。\n",
                ),
            ),
            (
                "content/selfcheck/options.md",
                &format!(
                    "+++\ntitle = \"选项有问题\"\nitems = []\noptions = [{{ label = \"只有一个\", score = -1 }}]\n{bands}+++\n"
                ),
            ),
            (
                "content/selfcheck/many.md",
                &format!(
                    "+++\ntitle = \"选项太多\"\nitems = [\"一\"]\noptions = [{}]\n[[bands]]\nmin = 0\nmax = 1.5\nlabel = \"x\"\nadvice = \"y\"\n+++\n",
                    ["0", "0.5", "1", "1", "1", "1", "1", "1"]
                        .iter()
                        .map(|s| format!("{{ label = \"a\", score = {s} }}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            (
                "content/selfcheck/empty.md",
                "+++\ntitle = \"没有题目\"\noptions = [{ label = \"否\", score = 0 }, { label = \"是\", score = 1 }]\n+++\n",
            ),
            (
                "content/selfcheck/typo.md",
                &format!("+++\ntitle = \"拼错\"\nitem = [\"一\"]\n{bands}+++\n"),
            ),
            (
                "content/selfcheck/情绪.md",
                &format!(
                    "+++\ntitle = \"情绪\"\nitems = [\"一\"]\noptions = [{{ label = \"否\", score = 0 }}, {{ label = \"是\", score = 1 }}]\n{bands}+++\n"
                ),
            ),
        ],
        &[],
    );
    let f = |name: &str, line: u32| format!("content/selfcheck/{name}.md:{line}");
    // Bands: a gap at the start, between bands and at the end; an overlap.
    error_at(
        &stderr,
        &f("bands", 8),
        "totals 0–0 fall in no band: the lowest possible total is 0",
    );
    error_at(
        &stderr,
        &f("bands", 14),
        "totals 3–3 fall in no band: the band before ends at 2",
    );
    error_at(
        &stderr,
        &f("bands", 15),
        "totals 6–6 fall in no band: the highest possible total is 6",
    );
    error_at(
        &stderr,
        &f("bands", 20),
        "overlaps the band before: totals 5–5 are in both",
    );
    // urgent_items outside the items, each at its own column.
    error_at(
        &stderr,
        "content/selfcheck/bands.md:5:17",
        "`urgent_items`: 0 is not an item number",
    );
    error_at(
        &stderr,
        "content/selfcheck/bands.md:5:20",
        "`urgent_items`: 4 is not an item number",
    );
    // Scores: negative, fractional; too few and too many options; no items.
    error_at(&stderr, &f("options", 3), "`items` is empty");
    error_at(
        &stderr,
        &f("options", 4),
        "`options` has 1 answers; an item needs 2 to 7",
    );
    error_at(
        &stderr,
        &f("options", 4),
        "`score` is -1: points cannot be negative",
    );
    error_at(
        &stderr,
        &f("many", 4),
        "`options` has 8 answers; an item needs 2 to 7",
    );
    error_at(
        &stderr,
        &f("many", 4),
        "`score` is 0.5: points are whole numbers",
    );
    error_at(
        &stderr,
        &f("many", 7),
        "`max` is 1.5: points are whole numbers",
    );
    error_at(&stderr, &f("empty", 2), "this questionnaire has no `items`");
    error_at(
        &stderr,
        &f("empty", 2),
        "this questionnaire has no [[bands]]",
    );
    error_at(&stderr, &f("typo", 3), "unknown field `item`");
    error_at(
        &stderr,
        &f("情绪", 1),
        "the file name `情绪` cannot be used in a URL",
    );
    // Each says what to change.
    assert!(
        stderr.contains("help: start the first band at min = 0"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: items are numbered from 1 to 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: add a `slug` to the front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" 5 | urgent_items = [0, 4]"),
        "shows the line:\n{stderr}"
    );
}

#[test]
fn two_questionnaires_cannot_share_a_url_and_pages_cannot_take_site_urls() {
    fails_with(
        &[
            ("content/selfcheck/mood.md", MOOD),
            (
                "content/selfcheck/other.md",
                &MOOD.replace(
                    "title = \"心情自测\"",
                    "title = \"另一个\"\nslug = \"mood\"",
                ),
            ),
            ("content/selfcheck.md", "+++\ntitle = \"自测\"\n+++\n"),
            (
                "content/x.md",
                "+++\ntitle = \"课\"\nslug = \"lessons\"\n+++\n",
            ),
            ("content/search.md", "+++\ntitle = \"搜\"\n+++\n"),
        ],
        &[
            (
                "content/selfcheck/other.md:3:8",
                "URL /selfcheck/mood/ is already used by content/selfcheck/mood.md",
            ),
            (
                "content/selfcheck.md:1:1",
                "the URL /selfcheck/ is used by the site itself",
            ),
            (
                "content/x.md:3:8",
                "the URL /lessons/ is used by the site itself",
            ),
            (
                "content/search.md:1:1",
                "the URL /search/ is used by the site itself",
            ),
        ],
    );
}

#[test]
fn new_selfcheck_writes_a_starter_that_builds() {
    let site = Site::fixture();
    let root = site.root().to_str().unwrap();
    let run = weikan(&["new", "selfcheck", "--root", root, "--title", "睡眠自评"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "created content/selfcheck/selfcheck-1.md"
    );
    let run = weikan(&["new", "selfcheck", "--root", root, "--title", "Sleep Check"]);
    assert_eq!(
        run.stdout.trim(),
        "created content/selfcheck/sleep-check.md"
    );
    let again = weikan(&["new", "selfcheck", "--root", root, "--title", "Sleep Check"]);
    assert_eq!(again.code, 2, "an existing file is never replaced");
    site.build_ok(&[]);
    let page = site.public("selfcheck/selfcheck-1/index.html");
    assert_eq!(texts(&page, "h1"), ["睡眠自评"]);
    assert_eq!(texts(&page, "fieldset legend").len(), 2);
    assert!(texts(&page, ".body")[0].contains("不是诊断"));
    let check = weikan(&["check", "--root", root]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn the_sample_site_has_phq9_and_gad7_with_their_published_scoring() {
    let site = Site::empty();
    let repo = env!("CARGO_MANIFEST_DIR");
    let out = site.path("out");
    let run = weikan(&["build", "--root", repo, "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let phq = read("selfcheck/phq-9/index.html");
    assert_eq!(texts(&phq, "fieldset legend").len(), 9);
    assert_eq!(
        texts(&phq, ".sc-range"),
        ["0–4分", "5–9分", "10–14分", "15–19分", "20–27分"]
    );
    assert_eq!(texts(&phq, "fieldset[data-urgent] .sc-no"), ["9."]);
    assert_eq!(
        texts(&phq, "#sc-item-1 .sc-label"),
        ["完全不会", "好几天", "一半以上的天数", "几乎每天"]
    );
    let gad = read("selfcheck/gad-7/index.html");
    assert_eq!(texts(&gad, "fieldset legend").len(), 7);
    assert_eq!(
        texts(&gad, ".sc-range"),
        ["0–4分", "5–9分", "10–14分", "15–21分"]
    );
    for (page, source) in [
        (&phq, "Kroenke K, Spitzer RL, Williams JBW"),
        (&gad, "Spitzer RL, Kroenke K, Williams JBW, Löwe B"),
    ] {
        let intro = &texts(page, ".body")[0];
        assert!(intro.contains(source), "cites its source");
        assert!(intro.contains("不是诊断"));
    }
}

#[test]
fn a_broken_link_in_band_advice_or_the_intro_is_an_error_at_its_line() {
    fails_with(
        &[(
            "content/selfcheck/mood.md",
            &MOOD
                .replace(
                    "advice = \"和信任的人**聊聊**。\"",
                    "advice = \"\"\"\n和信任的人聊聊，见[热线](/content/nope.md)。\n\"\"\"",
                )
                .replace("这是一份示例问卷", "见[旧页](../gone.md)。这是一份示例问卷"),
        )],
        &[
            ("content/selfcheck/mood.md:25:15", "nope.md"),
            ("content/selfcheck/mood.md:29:7", "gone.md"),
        ],
    );
}

#[test]
fn damaged_questionnaires_never_panic_the_checker() {
    // The sample PHQ-9 with bytes dropped, doubled or replaced by what
    // editors get wrong in TOML: a seeded, repeatable cousin of the fuzz
    // target that runs in every test run.
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/selfcheck/phq-9.md"
    ))
    .unwrap();
    let tricky = b"[]{}=,\"'.-+0123456789\n#ae\xe4";
    let mut rng = fastrand::Rng::with_seed(12);
    for _ in 0..3000 {
        let mut data = text.clone();
        for _ in 0..rng.usize(1..6) {
            let at = rng.usize(..data.len());
            match rng.u8(..3) {
                0 => {
                    data.remove(at);
                }
                1 => data.insert(at, tricky[rng.usize(..tricky.len())]),
                _ => data[at] = tricky[rng.usize(..tricky.len())],
            }
        }
        crate::harness::front_matter(&data);
    }
}
