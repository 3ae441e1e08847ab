//! The validated names that end up in URLs. Each is a newtype that can only be
//! built by checking its text, so the renderer never sees a bad one.

use std::fmt;
use std::num::NonZeroU32;

use serde::Serialize;

/// True for the characters DESIGN allows in URL names: `[a-z0-9-]`.
fn is_url_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn check_url_name(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    match text.chars().find(|&c| !is_url_char(c)) {
        Some(c) => Err(format!(
            "`{c}` is not allowed; use only lowercase a-z, digits 0-9 and `-`"
        )),
        None => Ok(()),
    }
}

/// The key of an audience (`elders`), as declared in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AudienceKey(String);

impl AudienceKey {
    /// Checks that `text` is `[a-z0-9-]+`.
    pub fn parse(text: &str) -> Result<Self, String> {
        check_url_name(text).map(|()| AudienceKey(text.to_owned()))
    }

    /// The key as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AudienceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The last part of an article's or standing page's URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Checks that `text` is `[a-z0-9-]+`.
    pub fn parse(text: &str) -> Result<Self, String> {
        check_url_name(text).map(|()| Slug(text.to_owned()))
    }

    /// The slug of an article that has no usable name: its 1-based position.
    pub fn from_position(position: usize) -> Self {
        Slug(position.to_string())
    }

    /// The slug as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An issue's number: positive, unique in the site, part of its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct IssueNumber(NonZeroU32);

impl IssueNumber {
    /// Accepts positive numbers only.
    pub fn new(n: i64) -> Result<Self, String> {
        u32::try_from(n)
            .ok()
            .and_then(NonZeroU32::new)
            .map(IssueNumber)
            .ok_or_else(|| format!("`{n}` is not a positive whole number"))
    }

    /// The number itself.
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl fmt::Display for IssueNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Slug of a standing page, from its file stem when the stem is already a
/// valid URL name.
pub fn slug_from_stem(stem: &str) -> Option<Slug> {
    Slug::parse(stem).ok()
}

/// Slug of an article from its file stem: the stem without a leading `NN-`
/// numbering prefix, when what remains is a valid URL name.
pub fn article_slug_from_stem(stem: &str) -> Option<Slug> {
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    let rest = match stem[digits..].strip_prefix('-') {
        Some(rest) if digits > 0 && !rest.is_empty() => rest,
        _ => stem,
    };
    Slug::parse(rest).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_names_accept_only_lowercase_ascii() {
        assert!(AudienceKey::parse("elders").is_ok());
        assert!(AudienceKey::parse("first-line2").is_ok());
        assert!(AudienceKey::parse("Elders").is_err());
        assert!(AudienceKey::parse("老年人").is_err());
        assert!(AudienceKey::parse("").is_err());
        assert!(Slug::parse("a b").is_err());
    }

    #[test]
    fn article_slugs_drop_numbering_prefix() {
        let s = |t: &str| article_slug_from_stem(t).map(|s| s.as_str().to_owned());
        assert_eq!(s("01-sleep").as_deref(), Some("sleep"));
        assert_eq!(s("sleep").as_deref(), Some("sleep"));
        assert_eq!(s("01").as_deref(), Some("01"));
        assert_eq!(s("2-step-by-step").as_deref(), Some("step-by-step"));
        assert_eq!(s("01-睡眠"), None);
        assert_eq!(s("Sleep"), None);
    }

    #[test]
    fn issue_numbers_are_positive() {
        assert_eq!(IssueNumber::new(3).unwrap().get(), 3);
        assert!(IssueNumber::new(0).is_err());
        assert!(IssueNumber::new(-2).is_err());
        assert!(IssueNumber::new(1 << 40).is_err());
    }
}
