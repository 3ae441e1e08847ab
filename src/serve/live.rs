//! The pipeline kept warm for `serve`: rendered Markdown is cached between
//! builds, and an edit to one article renders only the pages that show it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{ConfigOverrides, SiteConfig};
use crate::content::load::{ISSUE_FILE, ISSUES_DIR};
use crate::diagnostics::Diagnostics;
use crate::markdown::MarkdownCache;
use crate::output::Output;
use crate::render::{self, Renderer, Theme};
use crate::site::{BuildOptions, Site};

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
    last: Option<Site>,
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
        }
    }

    /// Builds again after `changed` (paths relative to the site folder;
    /// empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let start = Instant::now();
        let (outcome, warnings) = match self.build(changed) {
            Ok((outcome, warnings)) => (outcome, warnings),
            Err(problems) => (Outcome::Failed(problems), Diagnostics::new()),
        };
        Rebuilt {
            outcome,
            warnings,
            elapsed: start.elapsed(),
        }
    }

    fn build(&mut self, changed: &[PathBuf]) -> Result<(Outcome, Diagnostics), Diagnostics> {
        let config = SiteConfig::load(&self.root, &self.overrides)?;
        let theme = Theme::load(&self.root, &config.theme)?;
        let (site, warnings) = Site::build(&self.root, config, self.options, Some(&self.cache))?;
        let edited = match changed {
            [one] if is_article(one) => Some(one.as_path()),
            _ => None,
        };
        let jobs = match (&self.last, edited) {
            (Some(old), Some(source)) => render::jobs_after_article_edit(old, &site, source),
            _ => None,
        };
        let outcome = match jobs {
            Some(jobs) => Outcome::Patch(Renderer::new(&site, &theme)?.render(&jobs)?),
            None => Outcome::Full(render::render(&site, &theme)?),
        };
        self.last = Some(site);
        Ok((outcome, warnings))
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
            let patched = apply(&mut output, live.rebuild(&[PathBuf::from(file)]).outcome);
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
    fn only_article_files_count_as_article_edits() {
        assert!(is_article(Path::new("issues/001/01-a.md")));
        assert!(!is_article(Path::new("issues/001/issue.md")));
        assert!(!is_article(Path::new("issues/001/pic.png")));
        assert!(!is_article(Path::new("content/about.md")));
        assert!(!is_article(Path::new("issues/001/sub/a.md")));
    }
}
