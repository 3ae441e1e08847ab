//! `weikan check`: the whole build in memory, writing nothing, plus lints
//! for what a build accepts but an editor would want to know before
//! publishing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::CommandError;
use crate::config::{CONFIG_FILE, ConfigOverrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::paths;
use crate::plan::PageKind;
use crate::site::{BuildOptions, SUMMARY_CELLS, Site};
use crate::source::SourceFile;

/// A site that would build.
#[derive(Debug)]
pub struct Checked {
    /// Its warnings.
    pub warnings: Diagnostics,
    /// How many pages of each kind it would publish, from its plan:
    /// (`article`, 12) …
    pub pages: Vec<(&'static str, usize)>,
    /// With `[wechat]`: per issue (newest first), its number and each
    /// article's title and 公众号 page address.
    pub wechat: Vec<(String, Vec<(String, String)>)>,
}

impl Checked {
    /// The pages line: `pages planned: home 1, archive 1, issue 2, …`.
    pub fn planned(&self) -> String {
        let kinds: Vec<String> = self.pages.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!("pages planned: {}", kinds.join(", "))
    }

    /// What an editor does next with the 公众号 pages: per issue, each
    /// article's page to open and paste from. Empty without `[wechat]`.
    pub fn wechat_lines(&self) -> Vec<String> {
        if self.wechat.is_empty() {
            return Vec::new();
        }
        let mut lines =
            vec!["公众号 pages: open each and copy its fields into the 公众号 editor".to_owned()];
        for (issue, articles) in &self.wechat {
            lines.push(format!("  issue {issue}"));
            lines.extend(
                articles
                    .iter()
                    .map(|(title, url)| format!("    {url}  {title}")),
            );
        }
        lines
    }
}

/// Checks the site at `root`. Returns the warnings and what would be
/// published (the site would build), or every error and warning found.
pub fn run(root: &Path) -> Result<Checked, CommandError> {
    super::require_folder(root)?;
    let (site, output, mut found) = crate::build_in_memory(
        root,
        &ConfigOverrides::default(),
        BuildOptions {
            read_only: true,
            ..BuildOptions::default()
        },
    )
    .map_err(CommandError::Content)?;
    found.extend(lint(&site, &output));
    Ok(Checked {
        warnings: found,
        pages: site.plan().summary(),
        wechat: wechat_pages(&site),
    })
}

/// Each issue's articles with their 公众号 page address, when the site
/// has `[wechat]`.
fn wechat_pages(site: &Site) -> Vec<(String, Vec<(String, String)>)> {
    if site.config.wechat.is_none() {
        return Vec::new();
    }
    let base = &site.config.base_url;
    site.issues
        .iter()
        .map(|issue| {
            let articles = issue
                .articles
                .iter()
                .map(|a| {
                    (
                        a.title.clone(),
                        base.absolute(&paths::wechat_article(&a.path)),
                    )
                })
                .collect();
            (issue.number.to_string(), articles)
        })
        .collect()
}

/// The lints of a site that builds.
pub fn lint(site: &Site, output: &Output) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut sources = SourceCache::new(&site.root);
    for issue in &site.issues {
        if issue.articles.is_empty() {
            found.push(
                Diagnostic::file_error(&issue.source, format!("issue {} has no articles", issue.number))
                    .as_warning()
                    .with_help("add articles beside issue.md (`weikan new article --issue N --title T`), or mark the issue draft = true"),
            );
        }
        for article in &issue.articles {
            if article.audiences.is_empty() {
                found.push(
                    sources
                        .warning_at(
                            &article.source,
                            "+++",
                            "this article has no `audiences`, so it is listed for every audience",
                        )
                        .with_help(
                            "add e.g. audiences = [\"elders\"] if it is written for some readers",
                        ),
                );
            }
            if cells(&article.summary) > SUMMARY_CELLS {
                found.push(
                    sources
                        .warning_at(
                            &article.source,
                            "summary",
                            format!(
                                "the summary is {} characters, too long for a card",
                                article.summary.chars().count()
                            ),
                        )
                        .with_help(format!(
                            "keep it under about {} Chinese characters",
                            SUMMARY_CELLS / 2
                        )),
                );
            }
        }
    }
    for (audience, list) in site.config.audiences.iter().zip(&site.by_audience) {
        let own = list
            .iter()
            .any(|r| !site.article(*r).1.audiences.is_empty());
        if !own {
            found.push(
                sources
                    .warning_at(Path::new(CONFIG_FILE), &format!("\"{}\"", audience.key), format!("no article is written for audience `{}`", audience.key))
                    .with_help("its section shows only articles for everyone; write one with audiences = [\"…\"]"),
            );
        }
    }
    found.extend(dangling_links(site, output, &mut sources));
    found
}

/// Internal links and images in rendered pages that point at no file of the
/// output (root-relative links in Markdown are not checked while building).
fn dangling_links(site: &Site, output: &Output, sources: &mut SourceCache) -> Vec<Diagnostic> {
    let base = &site.config.base_url;
    // Only pages made from an editor's file: generated pages' links are
    // the theme's, and tested.
    let owners: HashMap<String, &Path> = site
        .plan()
        .entries()
        .iter()
        .filter_map(|e| Some((paths::file_of(&e.path), source_of(site, e.kind)?)))
        .collect();
    let mut found = Vec::new();
    for (page, html) in output.pages() {
        let Some(source) = owners.get(page) else {
            continue;
        };
        for url in references(html) {
            let Some(inside) = url
                .strip_prefix(base.as_str())
                .or_else(|| url.strip_prefix(base.path()))
            else {
                continue;
            };
            let inside = inside.split(['#', '?']).next().unwrap_or("");
            let decoded = percent_encoding::percent_decode_str(inside).decode_utf8_lossy();
            let target = if decoded.is_empty() || decoded.ends_with('/') {
                format!("{decoded}index.html")
            } else {
                decoded.into_owned()
            };
            if !output.contains(&target) {
                let written = format!("/{inside}");
                found.push(
                    sources
                        .warning_at(source, &written, format!("`{url}` points to no page or file of the site"))
                        .with_help("check the address; link pages by their .md file to have links checked while building"),
                );
            }
        }
    }
    found
}

/// The editor's file a page is made from, if it is one.
fn source_of(site: &Site, kind: PageKind) -> Option<&Path> {
    match kind {
        PageKind::Issue(i) => Some(&site.issues[i].source),
        PageKind::Article(r) => Some(&site.article(r).1.source),
        PageKind::Standing(p) => Some(&site.pages[p].source),
        PageKind::Selfcheck(q) => Some(&site.questionnaires[q].source),
        _ => None,
    }
}

/// The values of `href="…"` and `src="…"` in HTML that weikan rendered
/// (always double-quoted).
fn references(html: &str) -> impl Iterator<Item = &str> {
    html.split(" href=\"")
        .skip(1)
        .chain(html.split(" src=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
}

fn cells(text: &str) -> usize {
    text.chars()
        .map(|c| if crate::markdown::is_cjk(c) { 2 } else { 1 })
        .sum()
}

/// Reads source files once, to point warnings at the line they concern.
struct SourceCache {
    root: PathBuf,
    files: HashMap<PathBuf, Option<SourceFile>>,
}

impl SourceCache {
    fn new(root: &Path) -> Self {
        SourceCache {
            root: root.to_path_buf(),
            files: HashMap::new(),
        }
    }

    /// A warning at the first place `needle` is written in `rel`, or at the
    /// file when it is not found.
    fn warning_at(&mut self, rel: &Path, needle: &str, message: impl Into<String>) -> Diagnostic {
        let root = &self.root;
        let file = self
            .files
            .entry(rel.to_path_buf())
            .or_insert_with(|| SourceFile::read(root, rel).ok());
        match file
            .as_ref()
            .and_then(|f| f.text.find(needle).map(|i| (f, i)))
        {
            Some((f, i)) => f.warning(i..i + needle.len(), message),
            None => Diagnostic::file_error(rel, message).as_warning(),
        }
    }
}
