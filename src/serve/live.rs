//! The pipeline kept warm for `serve`: the compiled templates and the
//! rendered Markdown live as long as `serve`, and each batch of changes gets
//! the smallest rebuild its kinds allow (see [`Plan`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tera::Tera;

use super::change::{ChangeKind, Plan};
use super::pages;
use crate::config::ConfigOverrides;
use crate::diagnostics::Diagnostics;
use crate::markdown::MarkdownCache;
use crate::output::Output;
use crate::plan::PageKind;
use crate::render::{self, Renderer, Theme};
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
    /// The largest kind of change in the batch; `None` when everything was
    /// loaded because there was no good build to start from.
    pub kind: Option<ChangeKind>,
    /// The costly steps it took.
    pub work: Work,
}

/// The costly steps of a rebuild, to tell (and test) that a kind of change
/// does no more than it needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// The site folder's content was loaded again.
    pub loaded: bool,
    /// The templates were compiled again.
    pub compiled: bool,
}

/// The last good build: the site, the theme's files and its templates,
/// compiled.
struct Built {
    site: Site,
    theme: Theme,
    tera: Tera,
}

/// A rebuild's result: the outcome with the warnings, or the problems.
type Step = Result<(Outcome, Diagnostics), Diagnostics>;

/// A step that failed, with the build to keep.
type Kept = (Box<Built>, Diagnostics);

/// An edit applied: the build, the pages to render again (`None`: all) and
/// the warnings.
type Edited = (Box<Built>, Option<Vec<PageKind>>, Diagnostics);

/// The site being served, with what is kept between rebuilds.
pub struct Live {
    root: PathBuf,
    overrides: ConfigOverrides,
    options: BuildOptions,
    cache: MarkdownCache,
    /// The last good build.
    last: Option<Box<Built>>,
    /// Files of the last build that may follow the reload (the search
    /// index): rendered by [`Live::render_deferred`].
    deferred: Vec<PageKind>,
    /// The changes of a failed rebuild: the next batch takes them again,
    /// since the build kept does not have them.
    pending: Vec<PathBuf>,
    /// What the rebuild under way did.
    work: Work,
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
            pending: Vec::new(),
            work: Work::default(),
        }
    }

    /// Builds again after `changed` (paths relative to the site folder;
    /// empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let start = Instant::now();
        self.work = Work::default();
        let mut paths = std::mem::take(&mut self.pending);
        for path in changed {
            if !paths.contains(path) {
                paths.push(path.clone());
            }
        }
        let (kind, built) = match self.last.take() {
            Some(last) => {
                let plan = Plan::new(&paths, &last.site, &last.theme);
                (plan.kind, self.apply(last, &plan))
            }
            None => (None, self.load_everything()),
        };
        if built.is_err() {
            self.pending = paths;
        }
        let (outcome, warnings) =
            built.unwrap_or_else(|problems| (Outcome::Failed(problems), Diagnostics::new()));
        Rebuilt {
            outcome,
            warnings,
            elapsed: start.elapsed(),
            kind,
            work: self.work,
        }
    }

    /// Carries out `plan` on the last good build, which stays in place when
    /// anything fails.
    fn apply(&mut self, last: Box<Built>, plan: &Plan) -> Step {
        if plan.everything {
            return self
                .load_everything()
                .inspect_err(|_| self.last = Some(last));
        }
        let reloaded = if plan.content || plan.theme {
            self.reloaded(last, plan)
        } else {
            Ok((last, Diagnostics::new()))
        };
        let edited = reloaded.and_then(|(built, mut warnings)| {
            let edited = match (&plan.article, &plan.reread) {
                (Some(rel), _) => self.edited(built, rel),
                (None, Some(rel)) => self.reread(built, rel),
                (None, None) => return Ok((built, Some(Vec::new()), warnings)),
            };
            edited.map(|(built, jobs, found)| {
                warnings.extend(found);
                (built, jobs, warnings)
            })
        });
        let (built, jobs, warnings) = match edited {
            Ok(edited) => edited,
            Err((built, problems)) => {
                self.last = Some(built);
                return Err(problems);
            }
        };
        // New templates or theme files, or new content: every page.
        let jobs = jobs.filter(|_| !plan.content && !plan.theme);
        self.render(built, jobs, &plan.statics)
            .map(|outcome| (outcome, warnings))
    }

    /// Loads the content or the theme's files again, as `plan` asks, and
    /// compiles the templates when one changed.
    fn reloaded(&mut self, last: Box<Built>, plan: &Plan) -> Result<Kept, Kept> {
        let loaded = if plan.content {
            self.load()
                .map(|(site, theme, warnings)| (Some(site), theme, warnings))
        } else {
            Theme::load(&self.root, &last.site.config.theme).map(|t| (None, t, Diagnostics::new()))
        };
        let (site, theme, warnings) = match loaded {
            Ok(loaded) => loaded,
            Err(problems) => return Err((last, problems)),
        };
        let tera = match plan.templates.then(|| self.compile(&theme)) {
            Some(Ok(tera)) => tera,
            Some(Err(problems)) => return Err((last, problems)),
            None => last.tera,
        };
        let site = site.unwrap_or(last.site);
        Ok((Box::new(Built { site, theme, tera }), warnings))
    }

    /// One article's file changed: only that file is read again, and the
    /// pages to render again are those that show what changed (`None`:
    /// every page, after a reload when its URL or place changed).
    fn edited(&mut self, last: Box<Built>, rel: &Path) -> Result<Edited, Kept> {
        let Built { site, theme, tera } = *last;
        match site.with_article_edited(rel, &self.cache) {
            ArticleEdit::Applied {
                site,
                at,
                before,
                previous,
                warnings,
            } => {
                let jobs = render::pages_after_article_edit(&before, &previous, &site, at);
                Ok((Box::new(Built { site, theme, tera }), jobs, warnings))
            }
            ArticleEdit::Failed { site, problems } => {
                Err((Box::new(Built { site, theme, tera }), problems))
            }
            ArticleEdit::Rebuild(site) => {
                let reload = Plan {
                    content: true,
                    ..Plan::default()
                };
                self.reloaded(Box::new(Built { site, theme, tera }), &reload)
                    .map(|(built, warnings)| (built, None, warnings))
            }
        }
    }

    /// One standing page, questionnaire or `issue.md` changed: only that
    /// file is read again, and only its own pages render again while the
    /// other pages show the same of it; else the content loads again.
    fn reread(&mut self, last: Box<Built>, rel: &Path) -> Result<Edited, Kept> {
        let Built {
            mut site,
            theme,
            tera,
        } = *last;
        let read = site.reread(rel, &self.cache).and_then(|(edit, warnings)| {
            let jobs = render::pages_after_reread(&site, &edit)?;
            Some((edit, jobs, warnings))
        });
        match read {
            Some((edit, jobs, warnings)) => {
                site.put(edit);
                Ok((Box::new(Built { site, theme, tera }), Some(jobs), warnings))
            }
            None => {
                let reload = Plan {
                    content: true,
                    ..Plan::default()
                };
                self.reloaded(Box::new(Built { site, theme, tera }), &reload)
                    .map(|(built, warnings)| (built, None, warnings))
            }
        }
    }

    /// Renders `jobs` (`None`: every page) and the static files changed in
    /// place, and keeps `built` as the last build: a template error leaves
    /// the last good output in place, with the site it was asked for.
    fn render(
        &mut self,
        mut built: Box<Built>,
        jobs: Option<Vec<PageKind>>,
        statics: &[PathBuf],
    ) -> Result<Outcome, Diagnostics> {
        let Built { site, theme, tera } = &mut *built;
        let renderer = Renderer::with_templates(site, theme, tera);
        let outcome = match jobs {
            None => {
                self.deferred.clear();
                render::render_all(&renderer).map(Outcome::Full)
            }
            Some(jobs) => {
                // The page the editor looks at comes first; the search
                // index, made from every article, after it.
                let (later, now): (Vec<PageKind>, Vec<PageKind>) =
                    jobs.into_iter().partition(|j| *j == PageKind::SearchIndex);
                for job in later {
                    if !self.deferred.contains(&job) {
                        self.deferred.push(job);
                    }
                }
                renderer.render(&now).and_then(|mut files| {
                    files.extend(pages::statics(site, theme, statics)?);
                    Ok(Outcome::Patch(files))
                })
            }
        };
        drop(renderer);
        self.last = Some(built);
        outcome
    }

    /// Whether the last rebuild left files for after the reload.
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Renders what the last rebuild left for after the reload; `None` when
    /// nothing was left.
    pub fn render_deferred(&mut self) -> Option<Outcome> {
        let jobs = std::mem::take(&mut self.deferred);
        let built = self.last.as_mut().filter(|_| !jobs.is_empty())?;
        let Built { site, theme, tera } = &mut **built;
        let rendered = Renderer::with_templates(site, theme, tera).render(&jobs);
        Some(rendered.map_or_else(Outcome::Failed, Outcome::Patch))
    }

    /// Loads the settings, the theme and the content, compiles the
    /// templates and renders the whole site.
    fn load_everything(&mut self) -> Step {
        let (site, theme, warnings) = self.load()?;
        let with_warnings = |mut problems: Diagnostics| {
            problems.extend(warnings.iter().cloned());
            problems
        };
        let mut tera = self.compile(&theme).map_err(with_warnings)?;
        let output = render::render_all(&Renderer::with_templates(&site, &theme, &mut tera))
            .map_err(with_warnings)?;
        self.deferred.clear();
        self.last = Some(Box::new(Built { site, theme, tera }));
        Ok((Outcome::Full(output), warnings))
    }

    /// The one load path of every command, with the Markdown cache.
    fn load(&mut self) -> Result<(Site, Theme, Diagnostics), Diagnostics> {
        self.work.loaded = true;
        crate::load(&self.root, &self.overrides, self.options, Some(&self.cache))
    }

    fn compile(&mut self, theme: &Theme) -> Result<Tera, Diagnostics> {
        self.work.compiled = true;
        theme.compile().map_err(Diagnostics::from)
    }
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
            crate::serve::kinds_tests::assert_same_files(
                &rendered(&output),
                &rendered(&full),
                &format!("after editing {file}"),
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
}
