//! The three kinds of front matter, parsed and checked against DESIGN's
//! tables. Unknown keys are errors, so a typo such as `audience =` cannot
//! pass silently. Spans of values that later cross-file checks point at
//! (numbers, slugs) are kept.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::date::PubDate;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::names::{AudienceKey, IssueNumber, Slug};
use crate::source::{FrontMatter, SourceFile};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssue {
    number: Spanned<i64>,
    title: Spanned<String>,
    date: Spanned<Datetime>,
    summary: Option<String>,
    cover: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    title: Spanned<String>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    date: Option<Spanned<Datetime>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<String>,
    slug: Option<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    cover: Option<Spanned<String>>,
    wechat_url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Spanned<String>,
    slug: Option<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
}

/// A value together with where it is written in its file.
#[derive(Debug, Clone)]
pub struct Placed<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
    pub span: Range<usize>,
}

/// An issue's checked front matter.
#[derive(Debug, Clone)]
pub struct IssueHead {
    /// Its number, placed for duplicate-number errors.
    pub number: Placed<IssueNumber>,
    /// Its theme.
    pub title: String,
    /// Publication date.
    pub date: PubDate,
    /// The editor's one-line blurb, if given.
    pub summary: Option<String>,
    /// A cover image path inside the issue folder, placed for errors.
    pub cover: Option<Placed<String>>,
    /// Left out unless building with drafts.
    pub draft: bool,
}

/// An article's checked front matter.
#[derive(Debug, Clone)]
pub struct ArticleHead {
    /// Its title.
    pub title: String,
    /// Who it is written for; empty means everyone.
    pub audiences: Vec<AudienceKey>,
    /// Its own date, if different from the issue's.
    pub date: Option<PubDate>,
    /// The editor's summary, if given.
    pub summary: Option<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// An explicit slug, placed for collision errors.
    pub slug: Option<Placed<Slug>>,
    /// Reading-order override.
    pub weight: Option<i64>,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Its own cover image, a path beside it, placed for errors.
    pub cover: Option<Placed<String>>,
    /// Where it was published on the 公众号 (checked to be there).
    pub wechat_url: Option<String>,
    /// Where the title and the summary are written, for the 公众号 limits.
    pub spans: HeadSpans,
}

/// Where an article's title and summary are written in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadSpans {
    /// The title's value.
    pub title: Range<usize>,
    /// The summary's value, when it is written.
    pub summary: Option<Range<usize>>,
}

/// Where every 公众号 article address starts.
pub const WECHAT_URL_PREFIX: &str = "https://mp.weixin.qq.com/";

/// A standing page's checked front matter.
#[derive(Debug, Clone)]
pub struct PageHead {
    /// Its title.
    pub title: String,
    /// An explicit slug, placed for collision errors.
    pub slug: Option<Placed<Slug>>,
    /// Menu order.
    pub weight: Option<i64>,
    /// Left out unless building with drafts.
    pub draft: bool,
}

/// Collects errors found while checking one file's front matter.
pub(crate) struct Checker<'a> {
    file: &'a SourceFile,
    offset: usize,
    errors: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(crate) fn parse<T: serde::de::DeserializeOwned>(
        file: &'a SourceFile,
        fm: &FrontMatter<'_>,
    ) -> Result<(T, Self), Vec<Diagnostic>> {
        let raw = toml::from_str(fm.toml).map_err(|e| vec![file.toml_error(&e, fm.toml_offset)])?;
        Ok((
            raw,
            Checker {
                file,
                offset: fm.toml_offset,
                errors: Vec::new(),
            },
        ))
    }

    pub(crate) fn span(&self, span: Range<usize>) -> Range<usize> {
        self.offset + span.start..self.offset + span.end
    }

    pub(crate) fn error(&mut self, span: Range<usize>, message: String, help: &str) {
        let span = self.span(span);
        let d = self.file.error(span, message);
        self.errors.push(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        });
    }

    pub(crate) fn title(&mut self, title: Spanned<String>) -> String {
        if title.get_ref().trim().is_empty() {
            self.error(
                title.span(),
                "`title` is empty".into(),
                "write the title between the quotes",
            );
        }
        title.into_inner().trim().to_owned()
    }

    fn date(&mut self, date: &Spanned<Datetime>, config: &SiteConfig) -> Option<PubDate> {
        match PubDate::from_toml(date.get_ref(), config.timezone) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(
                    date.span(),
                    format!("`date`: {e}"),
                    "write a date like 2026-03-01",
                );
                None
            }
        }
    }

    pub(crate) fn slug(&mut self, slug: Option<Spanned<String>>) -> Option<Placed<Slug>> {
        let slug = slug?;
        match Slug::parse(slug.get_ref()) {
            Ok(value) => Some(Placed {
                value,
                span: self.span(slug.span()),
            }),
            Err(e) => {
                self.error(
                    slug.span(),
                    format!("slug `{}`: {e}", slug.get_ref()),
                    "slugs appear in URLs, e.g. slug = \"sleep-well\"",
                );
                None
            }
        }
    }

    /// Audience keys, each one declared in `site.toml` and listed once.
    pub(crate) fn audiences(
        &mut self,
        raw: &[Spanned<String>],
        config: &SiteConfig,
    ) -> Vec<AudienceKey> {
        let mut audiences: Vec<AudienceKey> = Vec::new();
        for key in raw {
            match AudienceKey::parse(key.get_ref())
                .ok()
                .filter(|k| config.audience(k).is_some())
            {
                Some(k) if audiences.contains(&k) => {
                    self.error(key.span(), format!("audience `{k}` is listed twice"), "");
                }
                Some(k) => audiences.push(k),
                None => {
                    let valid: Vec<String> = config
                        .audiences
                        .iter()
                        .map(|a| format!("\"{}\" ({})", a.key, a.name))
                        .collect();
                    let help = if valid.is_empty() {
                        "site.toml declares no [[audiences]]; add one there or remove this key"
                            .to_owned()
                    } else {
                        format!("the audiences in site.toml are {}", valid.join(", "))
                    };
                    self.error(
                        key.span(),
                        format!("unknown audience `{}`", key.get_ref()),
                        &help,
                    );
                }
            }
        }
        audiences
    }

    /// A `wechat_url`: an address of an article on the 公众号, since only
    /// those stay links in the 公众号 editor.
    fn wechat_url(&mut self, url: Spanned<String>) -> Option<String> {
        let text = url.get_ref().trim();
        let valid = text
            .strip_prefix(WECHAT_URL_PREFIX)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
        if valid {
            Some(text.to_owned())
        } else {
            self.error(
                url.span(),
                format!("`wechat_url` is \"{text}\": not the address of a 公众号 article"),
                "copy the article's address from the 公众号, e.g. wechat_url = \"https://mp.weixin.qq.com/s/…\"",
            );
            None
        }
    }

    /// Records a problem that another check found, already placed in the file.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.errors.push(diagnostic);
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<Diagnostic>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// Checks an `issue.md` front matter.
pub fn parse_issue(
    file: &SourceFile,
    fm: &FrontMatter<'_>,
    config: &SiteConfig,
) -> Result<IssueHead, Vec<Diagnostic>> {
    let (raw, mut c) = Checker::parse::<RawIssue>(file, fm)?;
    let number = match IssueNumber::new(*raw.number.get_ref()) {
        Ok(n) => Some(Placed {
            value: n,
            span: c.span(raw.number.span()),
        }),
        Err(e) => {
            c.error(
                raw.number.span(),
                format!("`number`: {e}"),
                "issues are numbered 1, 2, 3 …",
            );
            None
        }
    };
    let title = c.title(raw.title);
    let date = c.date(&raw.date, config);
    let cover = raw.cover.map(|cover| Placed {
        span: c.span(cover.span()),
        value: cover.into_inner(),
    });
    let head = match (number, date) {
        (Some(number), Some(date)) => Some(IssueHead {
            number,
            title,
            date,
            summary: raw.summary,
            cover,
            draft: raw.draft,
        }),
        _ => None,
    };
    c.finish(head)
}

/// Checks an article's front matter, including its audience keys.
pub fn parse_article(
    file: &SourceFile,
    fm: &FrontMatter<'_>,
    config: &SiteConfig,
) -> Result<ArticleHead, Vec<Diagnostic>> {
    let (raw, mut c) = Checker::parse::<RawArticle>(file, fm)?;
    let spans = HeadSpans {
        title: c.span(raw.title.span()),
        summary: raw.summary.as_ref().map(|s| c.span(s.span())),
    };
    let title = c.title(raw.title);
    let audiences = c.audiences(&raw.audiences, config);
    let date = raw.date.as_ref().map(|d| c.date(d, config));
    let slug = c.slug(raw.slug);
    let wechat_url = raw.wechat_url.and_then(|u| c.wechat_url(u));
    let cover = raw.cover.map(|cover| Placed {
        span: c.span(cover.span()),
        value: cover.into_inner(),
    });
    let head = ArticleHead {
        title,
        audiences,
        date: date.flatten(),
        summary: raw.summary.map(Spanned::into_inner),
        authors: raw.authors,
        slug,
        weight: raw.weight,
        draft: raw.draft,
        cover,
        wechat_url,
        spans,
    };
    c.finish(Some(head))
}

/// Checks a standing page's front matter.
pub fn parse_page(file: &SourceFile, fm: &FrontMatter<'_>) -> Result<PageHead, Vec<Diagnostic>> {
    let (raw, mut c) = Checker::parse::<RawPage>(file, fm)?;
    let title = c.title(raw.title);
    let slug = c.slug(raw.slug);
    let head = PageHead {
        title,
        slug,
        weight: raw.weight,
        draft: raw.draft,
    };
    c.finish(Some(head))
}
