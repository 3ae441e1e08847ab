//! Shared helpers for integration tests: write a fixture site to a temporary
//! folder, run the real `weikan` binary on it, and read what it produced.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

/// A site folder in a temporary directory.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// An empty site folder.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The standard fixture: three issues (one a draft), articles for three
    /// audiences, an image, standing pages, a static file. `per_page = 2`
    /// and a base_url with a sub-path.
    pub fn fixture() -> Site {
        let site = Site::empty();
        site.write("site.toml", SITE_TOML);
        site.write(
            "issues/001/issue.md",
            "+++\nnumber = 1\ntitle = \"第一期\"\ndate = 2026-01-01\n+++\n\n卷首语第一段。\n",
        );
        site.write(
            "issues/001/01-alpha.md",
            "+++\ntitle = \"Alpha 文章\"\naudiences = [\"elders\"]\n+++\n\nAlpha 的第一段。\n\n![图](pic.png)\n",
        );
        site.write(
            "issues/001/02-beta.md",
            "+++\ntitle = \"Beta\"\naudiences = [\"elders\", \"workers\"]\nslug = \"b-custom\"\nsummary = \"Beta 的摘要\"\n+++\n\nBeta body.\n",
        );
        site.write(
            "issues/001/03-中文.md",
            "+++\ntitle = \"给所有人\"\n+++\n\n写给所有人的一段话。\n",
        );
        site.write_bytes("issues/001/pic.png", TINY_PNG);
        site.write(
            "issues/002-later/issue.md",
            "+++\nnumber = 2\ntitle = \"第二期\"\ndate = 2026-02-01\n+++\n\n卷首语。见[关于](/content/about.md)。\n",
        );
        site.write(
            "issues/002-later/01-gamma.md",
            "+++\ntitle = \"Gamma\"\naudiences = [\"elders\"]\n+++\n\n见 [Alpha](../001/01-alpha.md#x)、[关于](/about/)、![图](../001/pic.png)。\n",
        );
        site.write(
            "issues/002-later/02-wip.md",
            "+++\ntitle = \"未完成\"\ndraft = true\n+++\n\n还没写完。\n",
        );
        site.write(
            "issues/003/issue.md",
            "+++\nnumber = 3\ntitle = \"草稿期\"\ndate = 2026-03-01\ndraft = true\n+++\n\n草稿。\n",
        );
        site.write(
            "issues/003/01-next.md",
            "+++\ntitle = \"下一期的文章\"\n+++\n\n内容。\n",
        );
        site.write(
            "content/index.md",
            "+++\ntitle = \"欢迎\"\n+++\n\n首页介绍。\n",
        );
        site.write(
            "content/about.md",
            "+++\ntitle = \"关于\"\nweight = 2\n+++\n\n关于本刊。\n",
        );
        site.write(
            "content/hotlines.md",
            "+++\ntitle = \"求助热线\"\nweight = 1\n+++\n\n拨打 [12356](tel:12356)。\n",
        );
        site.write("static/robots.txt", "User-agent: *\n");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap();
    }

    /// Runs `weikan build --root <site>` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--root"];
        let root = self.root().to_str().unwrap().to_owned();
        args.push(&root);
        args.extend_from_slice(extra);
        weikan(&args)
    }

    /// Builds and insists on success.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let run = self.build(extra);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the default output folder, as text.
    pub fn public(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn has_public(&self, rel: &str) -> bool {
        self.path("public").join(rel).is_file()
    }
}

/// Builds the fixture, breaks it with `edits`, builds again, and checks that
/// the build failed with each `expected` (`path:line:col` and a phrase) while
/// `public/` stayed exactly as the good build left it.
pub fn fails_with(edits: &[(&str, &str)], expected: &[(&str, &str)]) -> String {
    let site = Site::fixture();
    site.build_ok(&[]);
    let before = snapshot(&site.path("public"));
    for (file, text) in edits {
        site.write(file, text);
    }
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "expected a content error:\n{}", run.stderr);
    for (position, phrase) in expected {
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("{position}: error: ")))
            .unwrap_or_else(|| panic!("no error at {position}:\n{}", run.stderr));
        assert!(line.contains(phrase), "`{phrase}` not in `{line}`");
    }
    assert!(
        run.stderr.contains("the output folder was not changed"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&site.path("public")),
        before,
        "public/ changed after a failed build"
    );
    run.stderr
}

/// Runs the binary with `args`.
pub fn weikan(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_weikan"))
        .args(args)
        .output()
        .expect("run weikan");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds the repository's sample site into a fresh temporary folder: the
/// folder (kept alive while held) and the output in it.
pub fn build_sample() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let run = weikan(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        public.to_str().expect("a UTF-8 temp path"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, public)
}

/// Whether `name`, a file of a built site, is a page a reader opens: an
/// HTML file other than a 公众号 正文 (`wechat/<n>/<slug>/article.html`),
/// which is a fragment made to be pasted.
pub fn is_page(name: &str) -> bool {
    name.ends_with(".html") && !(name.starts_with("wechat/") && name.ends_with("/article.html"))
}

/// Every file below `dir` with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// The `href`/`src` values of every link, image, script and stylesheet in
/// an HTML document.
pub fn references(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(
        "a[href], link[href], img[src], script[src], source[src], iframe[src]",
    )
    .unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        .map(str::to_owned)
        .collect()
}

/// The text of every element matching `css` in `html`.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The `href` of every `<a>` matching `css`.
pub fn hrefs(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_owned)
        .collect()
}

/// Checks that every internal reference of every HTML page in `public`
/// resolves to a file there, and that nothing points at another host.
/// `base_path` is the path of base_url (`/sub/path/`); `origin` its scheme
/// and host. Returns how many references were checked, which callers
/// compare with what their fixture holds; a site with no link at all is
/// refused, since checking it proves nothing.
#[must_use = "compare the count with what the fixture holds"]
pub fn check_links(public: &Path, origin: &str, base_path: &str) -> usize {
    let files = snapshot(public);
    let mut checked = 0;
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        for reference in references(&html) {
            if reference.starts_with('#')
                || reference.starts_with("tel:")
                || reference.starts_with("mailto:")
                || reference.starts_with("data:")
            {
                continue;
            }
            let path = reference.strip_prefix(origin).unwrap_or(&reference);
            let inside = path.strip_prefix(base_path).unwrap_or_else(|| {
                panic!("{name}: `{reference}` does not stay under {origin}{base_path}")
            });
            let inside = inside.split(['#', '?']).next().unwrap();
            let inside = percent_decode(inside);
            let target = if inside.is_empty() || inside.ends_with('/') {
                format!("{inside}index.html")
            } else {
                inside
            };
            assert!(
                files.contains_key(&target),
                "{name}: `{reference}` points to missing {target}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no reference to check in {}", public.display());
    checked
}

/// Polls `done` until it holds, failing with `what` after a generous
/// minute: for a test waiting on another process, however loaded the
/// machine is.
#[track_caller]
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "gave up after 60 s waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Returns once a file written now gets a later modification time than
/// `old` has: the file system's clock has moved past it, whatever its
/// resolution. `probe` is a scratch file.
pub fn wait_for_clock_past(old: SystemTime, probe: &Path) {
    wait_until("the file system's clock moves on", || {
        fs::write(probe, b"").unwrap();
        fs::metadata(probe).unwrap().modified().unwrap() > old
    });
    fs::remove_file(probe).unwrap();
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// A valid 2 × 2 PNG: images are decoded and published, so a fake one
/// would be an error.
pub const TINY_PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00\x13\x49\x44\x41\x54\x78\x9c\x63\x90\x8f\xef\x06\x22\x86\xff\x7f\x7f\x00\x11\x00\x29\xad\x07\xfb\x6f\xc1\x32\x3f\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// The fixture's settings (also the fuzz targets' valid configuration).
pub const SITE_TOML: &str = include_str!("site.toml");
