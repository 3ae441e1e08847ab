//! Where the site lives: the base URL, and how site paths become links.
//!
//! A *site path* is relative to the base URL and has no leading slash:
//! `""` is the home page, `issues/3/` an issue, `feed.xml` a file. Pages end
//! in `/` and are written as `index.html` inside that folder.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path segment of a link: what a URL path cannot
/// hold as is, so file names with spaces or Chinese characters still work.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// The validated `base_url`: absolute, http(s), ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    full: String,
    path_start: usize,
}

impl BaseUrl {
    /// Parses and normalises a base URL (adds the trailing slash).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut url = url::Url::parse(text.trim()).map_err(|e| {
            format!("`{text}` is not a full web address ({e}); write it like \"https://example.org/weikan/\"")
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{text}` must start with https:// or http://"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{text}` must not contain `?` or `#`"));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        let full = url.to_string();
        let path_start = full.len() - url.path().len();
        Ok(BaseUrl { full, path_start })
    }

    /// The whole base URL, e.g. `https://example.org/weikan/`.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// The path part, starting and ending with `/`, e.g. `/weikan/`.
    pub fn path(&self) -> &str {
        &self.full[self.path_start..]
    }

    /// A link usable from any page: the base path followed by `site_path`.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path(), encode_path(site_path))
    }

    /// Whether `url` leads to another site: an absolute web address (or a
    /// `//host` one) whose scheme, host or port differ from the base's.
    pub fn is_external(&self, url: &str) -> bool {
        if url.starts_with("//") {
            return true;
        }
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                u.origin().ascii_serialization() != self.full[..self.path_start]
            }
            _ => false,
        }
    }

    /// The absolute URL of `site_path`, for feeds, sitemaps and QR codes.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.full, encode_path(site_path))
    }

    /// The absolute URL of `link`, a link made by [`BaseUrl::link`]; `None`
    /// for a link that leads elsewhere.
    pub fn absolute_link(&self, link: &str) -> Option<String> {
        let rest = link.strip_prefix(self.path())?;
        Some(format!("{}{rest}", self.full))
    }
}

/// Percent-encodes each segment of a site path, keeping `/`.
pub fn encode_path(site_path: &str) -> String {
    site_path
        .split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path_and_adds_slash() {
        let b = BaseUrl::parse("https://example.org/weikan").unwrap();
        assert_eq!(b.as_str(), "https://example.org/weikan/");
        assert_eq!(b.path(), "/weikan/");
        assert_eq!(b.link("issues/3/"), "/weikan/issues/3/");
        assert_eq!(b.absolute(""), "https://example.org/weikan/");
        let root = BaseUrl::parse("http://localhost:1111").unwrap();
        assert_eq!(root.path(), "/");
        assert_eq!(root.link("about/"), "/about/");
    }

    #[test]
    fn base_url_rejects_what_is_not_a_web_address() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
        assert!(BaseUrl::parse("https://example.org/?a=1").is_err());
    }

    #[test]
    fn external_means_another_origin() {
        let base = BaseUrl::parse("https://example.org/weikan").unwrap();
        for url in [
            "https://other.org/",
            "http://example.org/weikan/",
            "https://example.org:8443/",
            "//cdn.example.com/x.js",
        ] {
            assert!(base.is_external(url), "{url}");
        }
        for url in [
            "https://example.org/weikan/about/",
            "https://example.org/elsewhere",
            "/weikan/about/",
            "tel:12356",
            "mailto:a@example.org",
            "#top",
        ] {
            assert!(!base.is_external(url), "{url}");
        }
    }

    #[test]
    fn links_escape_spaces_and_chinese() {
        let b = BaseUrl::parse("https://e.org/").unwrap();
        assert_eq!(
            b.link("issues/1/呼吸 图.svg"),
            "/issues/1/%E5%91%BC%E5%90%B8%20%E5%9B%BE.svg"
        );
    }
}
