//! What a batch of changed files is, decided once: each path's
//! [`ChangeKind`], and from them the [`Plan`] of the smallest rebuild that
//! is still correct (the way Zola's `ChangeKind` does it).

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::front_matter::ArticleHead;
use crate::content::load::{self, CONTENT_DIR, ISSUE_FILE, ISSUES_DIR, STATIC_DIR};
use crate::content::questionnaire;
use crate::content::{Article, PubDate};
use crate::render::Theme;
use crate::render::theme::{SITE_TEMPLATES_DIR, THEMES_DIR, ThemeFile};
use crate::site::Site;
use crate::words::WORDS_FILE;

/// What one changed file is, smallest rebuild first: when a batch holds
/// several kinds, the largest names the rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A file of `static/` or of the theme's `static/` that is not media.
    StaticFile,
    /// An article whose front matter is as it was: only its text changed.
    ArticleBody,
    /// An article whose front matter changed (its place in lists may move).
    ArticleFrontMatter,
    /// A template of the site's `templates/` or of a theme.
    Template,
    /// A `words.toml` of the site's `templates/` or of a theme: templates
    /// and the players in article bodies show its words.
    Words,
    /// A standing page, `content/*.md` (or another file of `content/`).
    StandingPage,
    /// A questionnaire, `content/selfcheck/*.md`.
    Questionnaire,
    /// An issue: its `issue.md`, or a file added to or removed from its folder.
    Issue,
    /// An image, audio, video or captions file beside a page.
    Media,
    /// `site.toml`, or a file no other kind explains: everything again.
    SiteConfig,
}

impl ChangeKind {
    /// What it is, for the editor's terminal.
    pub fn describe(self) -> &'static str {
        match self {
            ChangeKind::StaticFile => "a static file",
            ChangeKind::ArticleBody => "an article's text",
            ChangeKind::ArticleFrontMatter => "an article's front matter",
            ChangeKind::Template => "a template",
            ChangeKind::Words => "the words table",
            ChangeKind::StandingPage => "a standing page",
            ChangeKind::Questionnaire => "a self-check",
            ChangeKind::Issue => "an issue",
            ChangeKind::Media => "a media file",
            ChangeKind::SiteConfig => "the settings",
        }
    }
}

/// Extensions of files the media stage publishes (images resized, players
/// sized, captions and posters found): they reload the content.
const MEDIA: [&str; 12] = [
    "jpg", "jpeg", "png", "gif", "webp", "svg", "mp3", "m4a", "ogg", "mp4", "webm", "vtt",
];

/// The kind of the change to `rel` (relative to the site folder), given the
/// site as it was built last.
pub fn classify(site: &Site, rel: &Path) -> ChangeKind {
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let is_md = rel.extension().is_some_and(|e| e == "md");
    match parts.as_slice() {
        [CONFIG_FILE] => ChangeKind::SiteConfig,
        _ if is_media(rel) && !matches!(parts.first(), Some(&THEMES_DIR)) => ChangeKind::Media,
        // The folder itself (made or removed whole) may hold the table.
        [SITE_TEMPLATES_DIR] | [SITE_TEMPLATES_DIR, WORDS_FILE] => ChangeKind::Words,
        [THEMES_DIR, _, "templates"] | [THEMES_DIR, _, "templates", WORDS_FILE] => {
            ChangeKind::Words
        }
        [SITE_TEMPLATES_DIR, ..] | [THEMES_DIR, _, "templates", ..] => ChangeKind::Template,
        [STATIC_DIR, ..] | [THEMES_DIR, _, "static", ..] => ChangeKind::StaticFile,
        [CONTENT_DIR, questionnaire::DIR, _] if is_md => ChangeKind::Questionnaire,
        [CONTENT_DIR, ..] => ChangeKind::StandingPage,
        [ISSUES_DIR, _, name] if is_md && *name != ISSUE_FILE => article_kind(site, rel),
        [ISSUES_DIR, ..] => ChangeKind::Issue,
        _ => ChangeKind::SiteConfig,
    }
}

/// Whether `rel` is a file the site can read again alone when it is edited
/// in place: a standing page (or the home page's intro), a questionnaire or
/// an issue's `issue.md`.
fn rereadable(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    let is_md = rel.extension().is_some_and(|e| e == "md");
    match parts.as_slice() {
        [Some(CONTENT_DIR), _] => is_md,
        [Some(CONTENT_DIR), Some(questionnaire::DIR), _] => is_md,
        [Some(ISSUES_DIR), _, Some(ISSUE_FILE)] => true,
        _ => false,
    }
}

fn is_media(rel: &Path) -> bool {
    rel.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MEDIA.contains(&e.to_ascii_lowercase().as_str()))
}

/// An article's file: body or front matter, by comparing the file's front
/// matter with the article as built. A file the site does not have yet, or
/// no longer has, adds or removes a page of its issue.
fn article_kind(site: &Site, rel: &Path) -> ChangeKind {
    let Some(at) = site
        .article_at(rel)
        .filter(|_| site.root.join(rel).is_file())
    else {
        return ChangeKind::Issue;
    };
    let (issue, old) = site.article(at);
    match load::read_article(&site.root, rel, &site.config) {
        Ok(parsed) if same_front_matter(&parsed.head, old, issue.date) => ChangeKind::ArticleBody,
        // A broken front matter is reported by the article's edit.
        _ => ChangeKind::ArticleFrontMatter,
    }
}

/// Whether `head` says what the built article `old` shows of its front
/// matter. A summary left out cannot be told from one drawn from the body;
/// the rebuild compares what the cards show anyway.
fn same_front_matter(head: &ArticleHead, old: &Article, issue_date: PubDate) -> bool {
    let slug = head.slug.as_ref().map(|s| &s.value);
    head.title == old.title
        && head.audiences == old.audiences
        && head.date.unwrap_or(issue_date) == old.date
        && head.authors == old.authors
        && head.weight == old.weight
        && head.draft == old.draft
        && slug == old.slug_given.then_some(&old.slug)
        && head.summary.as_ref().is_none_or(|s| *s == old.summary)
        && head.wechat_url == old.wechat_url
        && head.cover.is_some() == old.cover.is_some()
}

/// The rebuild a batch of changes needs, each part as small as it can be.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The largest kind in the batch (`None`: nothing changed).
    pub kind: Option<ChangeKind>,
    /// Load everything again, settings included.
    pub everything: bool,
    /// Load the content again (and the theme's files with it).
    pub content: bool,
    /// Read the theme's files again (a template, or a theme file added or
    /// removed).
    pub theme: bool,
    /// Compile the templates again.
    pub templates: bool,
    /// The one article edited, when no content reload covers it.
    pub article: Option<PathBuf>,
    /// The one standing page, questionnaire or `issue.md` edited, when no
    /// content reload covers it: read again alone.
    pub reread: Option<PathBuf>,
    /// Static files changed in place: put them in the output again.
    pub statics: Vec<PathBuf>,
}

impl Plan {
    /// The plan for `changed` (relative to the site folder) over the site
    /// and theme built last.
    pub fn new(changed: &[PathBuf], site: &Site, theme: &Theme) -> Plan {
        let mut plan = Plan::default();
        let mut articles = Vec::new();
        let mut rereads = Vec::new();
        for rel in changed {
            let kind = classify(site, rel);
            plan.kind = plan.kind.max(Some(kind));
            match kind {
                ChangeKind::SiteConfig => plan.everything = true,
                ChangeKind::Template => (plan.theme, plan.templates) = (true, true),
                ChangeKind::Words => (plan.content, plan.templates) = (true, true),
                ChangeKind::StaticFile => plan.static_file(site, theme, rel),
                ChangeKind::ArticleBody | ChangeKind::ArticleFrontMatter => {
                    articles.push(rel.clone());
                }
                ChangeKind::StandingPage | ChangeKind::Questionnaire | ChangeKind::Issue
                    if rereadable(rel) =>
                {
                    rereads.push(rel.clone());
                }
                _ => plan.content = true,
            }
        }
        // Likewise one standing page, questionnaire or issue.md, alone.
        match (rereads.len(), articles.len()) {
            (0, _) => {}
            (1, 0) if !plan.content => plan.reread = rereads.pop(),
            _ => plan.content = true,
        }
        // One article is read alone; several are as cheap to load with the
        // rest of the site, and simpler to get right.
        match articles.len() {
            0 => {}
            1 if !plan.content => plan.article = articles.pop(),
            _ => plan.content = true,
        }
        if plan.content {
            plan.article = None;
            plan.reread = None;
        }
        plan
    }

    /// A static file changed in place goes into the output as it is; one
    /// added or removed changes what links may point at (the site's) or
    /// the theme's list of files.
    fn static_file(&mut self, site: &Site, theme: &Theme, rel: &Path) {
        let exists = site.root.join(rel).is_file();
        let site_file = site.files.iter().any(|f| f.source == rel);
        let theme_file = theme
            .statics
            .values()
            .any(|f| matches!(f, ThemeFile::Disk(_, r) if r == rel));
        match (rel.starts_with(STATIC_DIR), exists) {
            (true, true) if site_file => self.statics.push(rel.to_path_buf()),
            (true, _) => self.content = true,
            (false, true) if theme_file => self.statics.push(rel.to_path_buf()),
            (false, _) => self.theme = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigOverrides;
    use crate::site::BuildOptions;

    #[test]
    fn each_path_is_classified_by_where_it_is_and_what_changed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _, _) = crate::load(
            root,
            &ConfigOverrides::default(),
            BuildOptions {
                read_only: true,
                ..BuildOptions::default()
            },
            None,
        )
        .unwrap();
        let article = site.issues[0].articles[0].source.clone();
        let kind = |p: &str| classify(&site, Path::new(p));
        assert_eq!(classify(&site, &article), ChangeKind::ArticleBody);
        assert_eq!(kind("site.toml"), ChangeKind::SiteConfig);
        assert_eq!(kind("README.md"), ChangeKind::SiteConfig);
        assert_eq!(kind("templates/base.html"), ChangeKind::Template);
        assert_eq!(kind("templates/words.toml"), ChangeKind::Words);
        assert_eq!(kind("templates"), ChangeKind::Words);
        assert_eq!(kind("themes/warm/templates"), ChangeKind::Words);
        assert_eq!(kind("themes/warm/templates/words.toml"), ChangeKind::Words);
        assert_eq!(
            kind("themes/default/templates/partials/card.html"),
            ChangeKind::Template
        );
        assert_eq!(kind("themes/default/static/a.png"), ChangeKind::StaticFile);
        assert_eq!(kind("static/robots.txt"), ChangeKind::StaticFile);
        assert_eq!(kind("static/logo.PNG"), ChangeKind::Media);
        assert_eq!(kind("issues/001/relax.mp3"), ChangeKind::Media);
        assert_eq!(kind("content/about.md"), ChangeKind::StandingPage);
        assert_eq!(kind("content/selfcheck/phq9.md"), ChangeKind::Questionnaire);
        assert_eq!(kind("issues/001/issue.md"), ChangeKind::Issue);
        assert_eq!(kind("issues/001/99-new.md"), ChangeKind::Issue);
        assert_eq!(kind("issues/001/notes.pdf"), ChangeKind::Issue);
    }
}
