//! Where links in Markdown point: `.md` sources become page URLs, files
//! beside a page become their copied URLs, links written as the site's own
//! URLs relative to the page (`../../1/sleep/`) are checked, root-relative
//! URLs gain the base path, and anything else is left as written.

use std::collections::{BTreeSet, HashMap};

use crate::urls::BaseUrl;

/// What a source path of the site turns into.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A page of the site, by site path (`issues/3/sleep/`).
    Page(String),
    /// A copied file, by site path (`issues/3/breathing.svg`).
    File(String),
    /// A page left out of this build because it is a draft.
    Draft,
    /// A source that exists but has errors of its own, already reported;
    /// links to it are not reported again.
    Broken,
}

/// Every linkable source of the site, by its path from the site folder
/// written with `/` (`issues/003/01-sleep.md`).
#[derive(Debug, Default)]
pub struct LinkIndex {
    targets: HashMap<String, LinkTarget>,
    /// Every site path a link may reach: pages, copied files and the pages
    /// the site makes itself (`issues/`, `for/elders/` …).
    site_paths: BTreeSet<String>,
}

/// The result of resolving one link.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Keep the destination as written.
    Keep,
    /// Use this destination instead.
    Rewrite(String),
    /// A broken link that must fail the build.
    Error { message: String, help: String },
}

impl LinkIndex {
    /// Registers a source path.
    pub fn insert(&mut self, source: String, target: LinkTarget) {
        if let LinkTarget::Page(path) | LinkTarget::File(path) = &target {
            self.site_paths.insert(path.clone());
        }
        self.targets.insert(source, target);
    }

    /// Registers a page the site makes itself, by site path (`issues/`).
    pub fn insert_generated(&mut self, site_path: String) {
        self.site_paths.insert(site_path);
    }

    /// The site path of the page made from `source`, if it is one.
    pub fn page_of(&self, source: &str) -> Option<&str> {
        match self.targets.get(source) {
            Some(LinkTarget::Page(path)) => Some(path),
            _ => None,
        }
    }

    /// A hash of every source and its target: rendered links stay valid
    /// while it is unchanged.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut entries: Vec<_> = self.targets.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        entries.hash(&mut hasher);
        self.site_paths.hash(&mut hasher);
        hasher.finish()
    }

    /// Resolves `dest`, written in the file whose folder is `from_dir`
    /// (a site-folder path with `/`, `""` for the root) and which becomes
    /// the page at site path `page`, if it is a page.
    pub fn resolve(
        &self,
        dest: &str,
        from_dir: &str,
        page: Option<&str>,
        base: &BaseUrl,
    ) -> Resolved {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Resolved::Keep;
        }
        let split = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();

        if decoded.to_ascii_lowercase().ends_with(".md") {
            let Some(source) = join(from_dir, &decoded) else {
                return outside(dest);
            };
            return match self.targets.get(&source) {
                Some(LinkTarget::Page(site_path)) => Resolved::Rewrite(format!("{}{suffix}", base.link(site_path))),
                Some(LinkTarget::Broken) => Resolved::Keep,
                Some(LinkTarget::Draft) => Resolved::Error {
                    message: format!("`{dest}` links to a draft, which this build leaves out"),
                    help: "remove `draft = true` from that page, build with --drafts, or remove the link".into(),
                },
                Some(LinkTarget::File(_)) | None => Resolved::Error {
                    message: format!("`{dest}` links to `{source}`, which does not exist"),
                    help: "check the file name; links to .md files are relative to this file, or start with / for the site folder".into(),
                },
            };
        }
        if let Some(rest) = path.strip_prefix('/') {
            return Resolved::Rewrite(format!("{}{rest}{suffix}", base.path()));
        }
        let source = join(from_dir, &decoded);
        match source.as_ref().and_then(|s| self.targets.get(s)) {
            Some(LinkTarget::File(site_path) | LinkTarget::Page(site_path)) => {
                return Resolved::Rewrite(format!("{}{suffix}", base.link(site_path)));
            }
            Some(LinkTarget::Broken) => return Resolved::Keep,
            Some(LinkTarget::Draft) | None => {}
        }
        if let Some(site_path) = page.and_then(|p| self.site_url(p, &decoded)) {
            return Resolved::Rewrite(format!("{}{suffix}", base.link(&site_path)));
        }
        match source {
            // Climbing out of the file's folder is still a page URL when
            // the page is deeper than its source (`../../../nosuch/` from
            // /issues/1/sleep/): name the page it misses, not the folder.
            None => match page.and_then(|p| join(p, &decoded).map(|t| (p, t))) {
                Some((p, target)) => {
                    let slash = if decoded.ends_with('/') && !target.is_empty() { "/" } else { "" };
                    Resolved::Error {
                        message: format!("`{dest}` leads from /{p} to /{target}{slash}, which is no page of the site"),
                        help: "check the address, or link the page by its .md file".into(),
                    }
                }
                None => outside(dest),
            },
            Some(source) => Resolved::Error {
                message: format!(
                    "`{dest}` points to `{source}`, which is not in the site folder{}",
                    page.map_or(String::new(), |p| format!(", nor to a page of the site from /{p}"))
                ),
                help: "check the file name, put the file beside the page, or link a page by its .md file".into(),
            },
        }
    }

    /// The site path `link` reaches when read as a URL relative to the page
    /// at `page`, if the site has something there.
    fn site_url(&self, page: &str, link: &str) -> Option<String> {
        let target = join(page, link)?;
        let as_folder = if target.is_empty() {
            String::new()
        } else {
            format!("{target}/")
        };
        [as_folder, target]
            .into_iter()
            .find(|t| self.site_paths.contains(t))
    }
}

fn outside(dest: &str) -> Resolved {
    Resolved::Error {
        message: format!("`{dest}` points outside the site folder"),
        help: "link only to files inside the site folder".into(),
    }
}

/// `scheme:` at the start, as in `https:`, `mailto:` or `tel:`.
fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

/// Joins a link to the folder it was written in and folds `.` and `..`;
/// `None` when it climbs out of the site folder.
fn join(from_dir: &str, link: &str) -> Option<String> {
    let (start, link) = match link.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (from_dir, link),
    };
    let mut parts: Vec<&str> = start.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut i = LinkIndex::default();
        i.insert(
            "issues/001/01-sleep.md".into(),
            LinkTarget::Page("issues/1/sleep/".into()),
        );
        i.insert(
            "issues/001/图 1.png".into(),
            LinkTarget::File("issues/1/图 1.png".into()),
        );
        i.insert("content/about.md".into(), LinkTarget::Page("about/".into()));
        i.insert("issues/002/01-wip.md".into(), LinkTarget::Draft);
        i
    }

    #[test]
    fn resolves_sources_files_and_root_links() {
        let base = BaseUrl::parse("https://e.org/w/").unwrap();
        let i = index();
        let r = |d: &str| i.resolve(d, "issues/002", Some("issues/2/wip/"), &base);
        assert_eq!(
            r("../001/01-sleep.md#tips"),
            Resolved::Rewrite("/w/issues/1/sleep/#tips".into())
        );
        assert_eq!(
            r("/content/about.md"),
            Resolved::Rewrite("/w/about/".into())
        );
        assert_eq!(r("/about/"), Resolved::Rewrite("/w/about/".into()));
        assert_eq!(
            r("../001/图%201.png"),
            Resolved::Rewrite("/w/issues/1/%E5%9B%BE%201.png".into())
        );
        assert_eq!(r("https://x.org/a.md"), Resolved::Keep);
        assert_eq!(r("tel:12356"), Resolved::Keep);
        assert_eq!(r("#top"), Resolved::Keep);
        assert!(
            matches!(r("01-wip.md"), Resolved::Error { message, .. } if message.contains("draft"))
        );
        assert!(
            matches!(r("missing.md"), Resolved::Error { message, .. } if message.contains("issues/002/missing.md"))
        );
        assert!(
            matches!(r("../../../etc/passwd.md"), Resolved::Error { message, .. } if message.contains("outside"))
        );
        assert!(matches!(r("nothing.png"), Resolved::Error { .. }));
        // The site's own URL, relative to this page's URL.
        assert_eq!(
            r("../../1/sleep/#a"),
            Resolved::Rewrite("/w/issues/1/sleep/#a".into())
        );
        assert_eq!(
            r("../../1/图%201.png"),
            Resolved::Rewrite("/w/issues/1/%E5%9B%BE%201.png".into())
        );
        assert!(matches!(r("../../1/nap/"), Resolved::Error { .. }));
        // Out of the source's folder but inside the site as a page URL.
        assert!(
            matches!(r("../../../nosuch/"), Resolved::Error { message, .. } if message.contains("from /issues/2/wip/ to /nosuch/, which is no page"))
        );
    }
}
