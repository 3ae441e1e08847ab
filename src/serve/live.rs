//! The pipeline kept warm for `serve`: rendered Markdown is cached between
//! builds, and an edit to one article renders only the pages that show it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{ConfigOverrides, SiteConfig};
use crate::content::load::{ISSUE_FILE, ISSUES_DIR};
use crate::diagnostics::Diagnostics;
use crate::markdown::MarkdownCache;
use crate::output::Output;
use crate::render::{self, Job, Renderer, Theme};
use crate::site::{ArticleEdit, BuildOptions, Site};

/// What a rebuild produced.
pub enum Outcome {
    /// A whole new output.
    Full(Output),
    /// Files to replace in the current output: (output path, bytes).
    Patch(Vec<(String, Vec<u8>)>),
    /// The site has errors; the last good output stays.
    Failed(Diagnostics),
}

/// A finished rebuild.
pub struct Rebuilt {
    /// What to serve now.
    pub outcome: Outcome,
    /// Warnings of a good build.
    pub warnings: Diagnostics,
    /// How long it took.
    pub elapsed: Duration,
}

/// The site being served, with what is kept between rebuilds.
pub struct Live {
    root: PathBuf,
    overrides: ConfigOverrides,
    options: BuildOptions,
    cache: MarkdownCache,
    /// The last good build, with the theme it was rendered with.
    last: Option<(Site, Theme)>,
    /// Files of the last build that may follow the reload (the search
    /// index): rendered by [`Live::render_deferred`].
    deferred: Vec<Job>,
}

impl Live {
    /// Prepares to build the site at `root`.
    pub fn new(root: PathBuf, overrides: ConfigOverrides, options: BuildOptions) -> Self {
        Live {
            root,
            overrides,
            options,
            cache: MarkdownCache::default(),
            last: None,
            deferred: Vec::new(),
        }
    }

    /// Builds again after `changed` (paths relative to the site folder;
    /// empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let start = Instant::now();
        let built = match (changed, self.last.take()) {
            ([one], Some(last)) if is_article(one) => self.edit(last, one),
            _ => self.build(),
        };
        let (outcome, warnings) =
            built.unwrap_or_else(|problems| (Outcome::Failed(problems), Diagnostics::new()));
        Rebuilt {
            outcome,
            warnings,
            elapsed: start.elapsed(),
        }
    }

    /// One article's file changed: only that file is read again, and only
    /// the pages that show it are rendered, when the edit allows.
    fn edit(
        &mut self,
        (site, theme): (Site, Theme),
        source: &Path,
    ) -> Result<(Outcome, Diagnostics), Diagnostics> {
        match site.with_article_edited(source, &self.cache) {
            ArticleEdit::Applied {
                site,
                at,
                before,
                warnings,
            } => {
                let rendered = match render::jobs_after_article_edit(&before, &site, at) {
                    Some(jobs) => {
                        // The page the editor looks at comes first; the
                        // search index, made from every article, after it.
                        let (later, now) = jobs.into_iter().partition(|j| *j == Job::SearchIndex);
                        self.deferred = later;
                        Renderer::new(&site, &theme)
                            .and_then(|r| r.render(&now))
                            .map(Outcome::Patch)
                    }
                    None => render::render(&site, &theme).map(Outcome::Full),
                };
                // A template error leaves the last good build in place.
                let outcome = rendered?;
                self.last = Some((site, theme));
                Ok((outcome, warnings))
            }
            ArticleEdit::Failed { site, problems } => {
                self.last = Some((site, theme));
                Err(problems)
            }
            ArticleEdit::Rebuild(_) => self.build(),
        }
    }

    /// Whether the last rebuild left files for after the reload.
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Renders what the last rebuild left for after the reload; `None` when
    /// nothing was left.
    pub fn render_deferred(&mut self) -> Option<Outcome> {
        let jobs = std::mem::take(&mut self.deferred);
        let (site, theme) = self.last.as_ref().filter(|_| !jobs.is_empty())?;
        let rendered = Renderer::new(site, theme).and_then(|r| r.render(&jobs));
        Some(rendered.map_or_else(Outcome::Failed, Outcome::Patch))
    }

    /// Loads and renders the whole site.
    fn build(&mut self) -> Result<(Outcome, Diagnostics), Diagnostics> {
        let config = SiteConfig::load(&self.root, &self.overrides)?;
        let theme = Theme::load(&self.root, &config.theme)?;
        let (site, warnings) = Site::build(&self.root, config, self.options, Some(&self.cache))?;
        let output = render::render(&site, &theme)?;
        self.deferred.clear();
        self.last = Some((site, theme));
        Ok((Outcome::Full(output), warnings))
    }
}

/// An article's file: `issues/<dir>/<name>.md`, not `issue.md`.
fn is_article(path: &Path) -> bool {
    let parts: Vec<_> = path.components().collect();
    parts.len() == 3
        && parts[0].as_os_str() == ISSUES_DIR
        && path.extension().is_some_and(|e| e == "md")
        && path.file_name().is_some_and(|n| n != ISSUE_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Content, OutputPath};
    use crate::urls::BaseUrl;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn article(title: &str, audiences: &str, date: &str, body: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\naudiences = [{audiences}]\ndate = {date}\n+++\n\n{body}\n"
        )
    }

    /// A small site: two issues, two audiences, three articles a section page.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "site.toml",
            "title = \"t\"\nbase_url = \"https://e.org/\"\n[[audiences]]\nkey = \"a\"\nname = \"A\"\n[[audiences]]\nkey = \"b\"\nname = \"B\"\n[pagination]\nper_page = 3\n",
        );
        for (dir, n) in [("1", 1), ("2", 2)] {
            write(
                root,
                &format!("issues/{dir}/issue.md"),
                &format!("+++\nnumber = {n}\ntitle = \"期{n}\"\ndate = 2026-0{n}-01\n+++\n"),
            );
            for k in 1..=3 {
                let who = if k == 2 { "\"b\"" } else { "\"a\"" };
                write(
                    root,
                    &format!("issues/{dir}/0{k}-x{k}.md"),
                    &article(
                        &format!("文{n}{k}"),
                        who,
                        &format!("2026-0{n}-0{k}"),
                        "正文。",
                    ),
                );
            }
        }
        dir
    }

    /// Applies a rebuild to `output` as `serve` does.
    fn apply(output: &mut Output, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Full(full) => {
                let n = full.len();
                *output = full;
                n
            }
            Outcome::Patch(files) => {
                let n = files.len();
                for (path, bytes) in files {
                    output.set(OutputPath::new(&path).unwrap(), Content::Bytes(bytes));
                }
                n
            }
            Outcome::Failed(d) => panic!("{d:?}"),
        }
    }

    fn rendered(output: &Output) -> Vec<(String, Vec<u8>)> {
        output
            .pages()
            .map(|(p, h)| (p.to_owned(), h.as_bytes().to_vec()))
            .chain(
                [
                    "feed.xml",
                    "for/a/feed.xml",
                    "for/b/feed.xml",
                    "sitemap.xml",
                    // Names every piece of the search index by its hash.
                    "search/index.json",
                ]
                .map(|p| match output.get(p) {
                    Some(Content::Bytes(b)) => (p.to_owned(), b.clone()),
                    _ => panic!("{p}"),
                }),
            )
            .collect()
    }

    #[test]
    fn an_article_edit_patches_exactly_what_a_full_build_would_change() {
        let dir = site();
        let root = dir.path();
        let overrides = ConfigOverrides {
            base_url: Some(BaseUrl::parse("http://127.0.0.1:1/").unwrap()),
        };
        let mut live = Live::new(
            root.to_path_buf(),
            overrides.clone(),
            BuildOptions::default(),
        );
        let mut output = Output::default();
        let total = apply(&mut output, live.rebuild(&[]).outcome);

        let edits = [
            // New title, body, date (moves it in the lists) and audience.
            (
                "issues/1/02-x2.md",
                article("改过的标题", "\"a\"", "2026-01-09", "新的正文。"),
            ),
            // The body alone.
            (
                "issues/1/02-x2.md",
                article("改过的标题", "\"a\"", "2026-01-09", "只改正文。"),
            ),
            // The date alone, moving it to the front of its lists.
            (
                "issues/2/03-x3.md",
                article("文23", "\"a\"", "2026-02-28", "正文。"),
            ),
            // The title of an article of the latest issue, shown on the home page.
            (
                "issues/2/01-x1.md",
                article("首页上的新标题", "\"a\"", "2026-02-01", "正文。"),
            ),
        ];
        for (file, text) in edits {
            write(root, file, &text);
            let mut patched = apply(&mut output, live.rebuild(&[PathBuf::from(file)]).outcome);
            // The search index follows the reload, as in `serve`.
            patched += apply(
                &mut output,
                live.render_deferred().expect("the index follows"),
            );
            assert!(
                patched < total,
                "{file}: patched {patched} of {total} files"
            );
            let (_, full, _) =
                crate::build_in_memory(root, &overrides, BuildOptions::default()).unwrap();
            let (patched, full) = (rendered(&output), rendered(&full));
            assert_eq!(patched.len(), full.len());
            let differ: Vec<&str> = patched
                .iter()
                .zip(&full)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a.0.as_str())
                .collect();
            assert!(
                differ.is_empty(),
                "after editing {file}, pages differ from a full build: {differ:?}"
            );
        }
    }

    #[test]
    fn edits_that_move_pages_build_everything_and_a_broken_file_changes_nothing() {
        let dir = site();
        let root = dir.path();
        let mut live = Live::new(
            root.to_path_buf(),
            ConfigOverrides::default(),
            BuildOptions::default(),
        );
        assert!(matches!(live.rebuild(&[]).outcome, Outcome::Full(_)));
        let file = "issues/2/01-x1.md";
        let rebuild = |live: &mut Live| live.rebuild(&[PathBuf::from(file)]).outcome;

        // A front-matter error: reported, and the next good save patches.
        write(
            root,
            file,
            "+++
title = 1
+++
",
        );
        match rebuild(&mut live) {
            Outcome::Failed(problems) => assert!(problems.has_errors()),
            _ => panic!("a broken file must fail"),
        }
        write(
            root,
            file,
            &article("又好了", "\"a\"", "2026-02-01", "正文。"),
        );
        assert!(matches!(rebuild(&mut live), Outcome::Patch(_)));

        // A new URL, a new place in the issue, a draft: every page.
        for (path, head) in [
            (file, "slug = \"moved\"\n"),
            (file, "weight = 9\n"),
            ("issues/1/01-x1.md", "draft = true\n"),
        ] {
            let text = article("文", "\"a\"", "2026-02-01", "正文。").replacen(
                "+++\n",
                &format!("+++\n{head}"),
                1,
            );
            write(root, path, &text);
            let outcome = live.rebuild(&[PathBuf::from(path)]).outcome;
            assert!(matches!(outcome, Outcome::Full(_)), "{head}");
        }
        // A removed article.
        fs::remove_file(root.join(file)).unwrap();
        match rebuild(&mut live) {
            Outcome::Full(output) => assert!(output.get("issues/2/x1/index.html").is_none()),
            _ => panic!("a removed article must rebuild the site"),
        }
    }

    #[test]
    fn only_article_files_count_as_article_edits() {
        assert!(is_article(Path::new("issues/001/01-a.md")));
        assert!(!is_article(Path::new("issues/001/issue.md")));
        assert!(!is_article(Path::new("issues/001/pic.png")));
        assert!(!is_article(Path::new("content/about.md")));
        assert!(!is_article(Path::new("issues/001/sub/a.md")));
    }
}
