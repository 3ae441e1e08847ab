//! `site.toml` → [`SiteConfig`], every value checked and every problem
//! reported with its line.

use std::num::NonZeroUsize;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::names::AudienceKey;
use crate::source::SourceFile;
use crate::urls::BaseUrl;

/// The settings file's name in the site folder.
pub const CONFIG_FILE: &str = "site.toml";

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The journal's name, shown on every page.
    pub title: String,
    /// One or two sentences on what the journal is.
    pub description: String,
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// The `lang` of every page, e.g. `zh-CN`.
    pub language: String,
    /// The offset dates in feeds are given in.
    pub timezone: jiff::tz::Offset,
    /// The theme's name; `default` is built in.
    pub theme: String,
    /// The readers the journal writes for, in home-page order.
    pub audiences: Vec<Audience>,
    /// Help lines shown on every page.
    pub hotlines: Vec<Hotline>,
    /// Items per feed.
    pub feed_limit: NonZeroUsize,
    /// Articles per audience-section page.
    pub per_page: NonZeroUsize,
    /// Markdown rendering choices.
    pub markdown: MarkdownOptions,
    /// The paper size of the print booklets.
    pub paper: Paper,
    /// How images are published.
    pub images: ImageOptions,
    /// `[wechat]`: present when every article also gets a 公众号 page.
    pub wechat: Option<WechatOptions>,
}

/// The 公众号 pages' settings (`[wechat]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WechatOptions {
    /// The 作者 field for articles without `authors`.
    pub author: Option<String>,
}

/// The longest 作者 the 公众号 editor takes, in characters.
pub const WECHAT_AUTHOR_MAX: usize = 16;

/// The paper a booklet (`/issues/<n>/print/`) is laid out for: `[print] paper`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm, the office printer's paper.
    #[default]
    A4,
    /// 148 × 210 mm: an A4 sheet folded in half.
    A5,
}

impl Paper {
    /// Reads `A4` or `A5`, in either case.
    pub fn parse(text: &str) -> Option<Paper> {
        match text.to_ascii_uppercase().as_str() {
            "A4" => Some(Paper::A4),
            "A5" => Some(Paper::A5),
            _ => None,
        }
    }

    /// The name CSS and people use: `A4`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A5 => "A5",
        }
    }
}

/// How images are published (`[images]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageOptions {
    /// Wider images are published at this width and at half of it.
    pub max_width: std::num::NonZeroU32,
}

/// One audience of the journal.
#[derive(Debug, Clone)]
pub struct Audience {
    /// The URL key, e.g. `elders`.
    pub key: AudienceKey,
    /// The display name, e.g. 老年人.
    pub name: String,
    /// A sentence shown on the audience's section page.
    pub description: String,
}

/// A help line, shown as a `tel:` link.
#[derive(Debug, Clone)]
pub struct Hotline {
    /// What the line is, e.g. 心理援助热线.
    pub name: String,
    /// The number as it is printed, e.g. `0000-1234567`.
    pub number: String,
    /// When it answers, e.g. 24小时.
    pub hours: String,
}

impl Hotline {
    /// The number as a `tel:` URI: digits and a leading `+` only.
    pub fn tel(&self) -> String {
        self.number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// How Markdown is turned into HTML.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Keep raw HTML as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Mark up fenced code blocks with highlighting classes.
    pub highlight_code: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    base_url: Spanned<String>,
    language: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<RawAudience>,
    #[serde(default)]
    hotlines: Vec<RawHotline>,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    pagination: RawPagination,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    print: RawPrint,
    #[serde(default)]
    images: RawImages,
    wechat: Option<RawWechat>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWechat {
    author: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImages {
    max_width: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudience {
    key: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHotline {
    name: String,
    number: Spanned<String>,
    #[serde(default)]
    hours: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    limit: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPagination {
    per_page: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    unsafe_html: bool,
    highlight_code: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPrint {
    paper: Option<Spanned<String>>,
}

/// Options that override `site.toml` from the command line.
#[derive(Debug, Clone, Default)]
pub struct ConfigOverrides {
    /// Replaces `base_url` (e.g. for a staging host or `serve`).
    pub base_url: Option<BaseUrl>,
}

impl SiteConfig {
    /// Reads and validates `root/site.toml`.
    pub fn load(root: &Path, overrides: &ConfigOverrides) -> Result<SiteConfig, Diagnostics> {
        if !root.join(CONFIG_FILE).is_file() {
            return Err(Diagnostic::file_error(
                CONFIG_FILE,
                format!("no {CONFIG_FILE} in the site folder `{}`", root.display()),
            )
            .with_help("run weikan in the site folder, or pass --root DIR")
            .into());
        }
        let file = SourceFile::read(root, Path::new(CONFIG_FILE))?;
        SiteConfig::parse(&file, overrides)
    }

    /// Validates the settings in `file`, collecting every problem.
    pub fn parse(
        file: &SourceFile,
        overrides: &ConfigOverrides,
    ) -> Result<SiteConfig, Diagnostics> {
        let raw: RawConfig = toml::from_str(&file.text).map_err(|e| file.toml_error(&e, 0))?;
        let mut check = Checks {
            file,
            problems: Diagnostics::new(),
        };
        if raw.title.get_ref().trim().is_empty() {
            check.report(
                &raw.title,
                "`title` is empty".into(),
                "give the journal a name",
            );
        }
        let base_url = match &overrides.base_url {
            Some(url) => Ok(url.clone()),
            None => BaseUrl::parse(raw.base_url.get_ref()).map_err(|e| {
                Diagnostics::from(file.error(raw.base_url.span(), format!("`base_url`: {e}")))
            }),
        };
        let language = language(raw.language.as_ref(), &mut check);
        let timezone = timezone(raw.timezone.as_ref(), &mut check);
        let theme = theme(raw.theme.as_ref(), &mut check);
        let audiences = audiences(raw.audiences, &mut check);
        let hotlines = hotlines(raw.hotlines, &mut check);
        let feed_limit = check.positive(&raw.feeds.limit, "limit", 30);
        let per_page = check.positive(&raw.pagination.per_page, "per_page", 20);
        let max_width = image_width(&raw.images.max_width, &mut check);
        let paper = paper(raw.print.paper.as_ref(), &mut check);
        let wechat = raw.wechat.map(|w| wechat(w, &mut check));

        let mut problems = check.problems;
        match base_url {
            Ok(base_url) if !problems.has_errors() => Ok(SiteConfig {
                title: raw.title.into_inner(),
                description: raw.description,
                base_url,
                language,
                timezone,
                theme,
                audiences,
                hotlines,
                feed_limit,
                per_page,
                markdown: MarkdownOptions {
                    unsafe_html: raw.markdown.unsafe_html,
                    highlight_code: raw.markdown.highlight_code.unwrap_or(true),
                },
                paper,
                images: ImageOptions { max_width },
                wechat,
            }),
            Ok(_) => Err(problems),
            Err(e) => {
                problems.extend(e);
                Err(problems)
            }
        }
    }

    /// The audience declared with `key`.
    pub fn audience(&self, key: &AudienceKey) -> Option<&Audience> {
        self.audiences.iter().find(|a| &a.key == key)
    }
}

/// The problems found in `site.toml` so far, each placed at its value.
struct Checks<'a> {
    file: &'a SourceFile,
    problems: Diagnostics,
}

impl Checks<'_> {
    /// Records `message` as an error at `value`, with `help` unless empty.
    fn report(&mut self, value: &dyn SpanOf, message: String, help: &str) {
        let d = self.file.error(value.span_of(), message);
        self.problems.push(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        });
    }

    /// A setting that must be a positive whole number: `default` when
    /// absent, and when wrong (reported).
    fn positive(
        &mut self,
        value: &Option<Spanned<i64>>,
        key: &str,
        default: usize,
    ) -> NonZeroUsize {
        let fallback = NonZeroUsize::new(default).expect("defaults are positive");
        match value {
            None => fallback,
            Some(v) => match usize::try_from(*v.get_ref())
                .ok()
                .and_then(NonZeroUsize::new)
            {
                Some(n) => n,
                None => {
                    self.report(
                        v,
                        format!(
                            "`{key}` must be a positive whole number, not {}",
                            v.get_ref()
                        ),
                        "",
                    );
                    fallback
                }
            },
        }
    }
}

/// `language`, `zh-CN` unless set.
fn language(raw: Option<&Spanned<String>>, check: &mut Checks<'_>) -> String {
    match raw {
        Some(lang) => {
            if let Err(message) = check_language(lang.get_ref()) {
                check.report(
                    lang,
                    message,
                    "use a language tag like \"zh-CN\", \"zh-TW\" or \"zh-HK\"",
                );
            }
            lang.get_ref().clone()
        }
        None => "zh-CN".to_owned(),
    }
}

/// `timezone`, UTC+8 unless set.
fn timezone(raw: Option<&Spanned<String>>, check: &mut Checks<'_>) -> jiff::tz::Offset {
    match raw {
        Some(tz) => match parse_offset(tz.get_ref()) {
            Ok(offset) => offset,
            Err(e) => {
                check.report(tz, e, "write the offset from UTC as \"+08:00\"");
                jiff::tz::Offset::UTC
            }
        },
        None => jiff::tz::Offset::constant(8),
    }
}

/// `theme`: a folder name in `themes/`, `default` unless set.
fn theme(raw: Option<&Spanned<String>>, check: &mut Checks<'_>) -> String {
    match raw {
        Some(theme) => {
            let name = theme.get_ref();
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                check.report(
                    theme,
                    format!("`{name}` is not a theme folder name"),
                    "use the name of a folder in themes/, or \"default\"",
                );
            }
            name.clone()
        }
        None => "default".to_owned(),
    }
}

/// The `[[audiences]]`, each key valid and declared once.
fn audiences(raw: Vec<RawAudience>, check: &mut Checks<'_>) -> Vec<Audience> {
    let mut audiences: Vec<Audience> = Vec::new();
    for a in raw {
        match AudienceKey::parse(a.key.get_ref()) {
            Ok(key) if audiences.iter().any(|seen| seen.key == key) => {
                check.report(
                    &a.key,
                    format!("audience `{key}` is declared twice"),
                    "give each [[audiences]] entry its own key",
                );
            }
            Ok(key) => {
                if a.name.get_ref().trim().is_empty() {
                    check.report(&a.name, format!("audience `{key}` has an empty name"), "");
                }
                audiences.push(Audience {
                    key,
                    name: a.name.into_inner(),
                    description: a.description,
                });
            }
            Err(e) => check.report(
                &a.key,
                format!("audience key `{}`: {e}", a.key.get_ref()),
                "keys appear in URLs, e.g. key = \"elders\"",
            ),
        }
    }
    audiences
}

/// The `[[hotlines]]`, each number made of a phone number's characters.
fn hotlines(raw: Vec<RawHotline>, check: &mut Checks<'_>) -> Vec<Hotline> {
    let mut hotlines = Vec::new();
    for h in raw {
        let number = h.number.get_ref();
        let digits = number.chars().filter(char::is_ascii_digit).count();
        let allowed = number
            .chars()
            .all(|c| c.is_ascii_digit() || " -+()（）".contains(c));
        if digits < 3 || !allowed {
            check.report(
                &h.number,
                format!("hotline number `{number}` is not a phone number"),
                "use digits, spaces, `-`, `+` and brackets only, e.g. \"0000-1234567\"",
            );
        }
        hotlines.push(Hotline {
            name: h.name,
            number: h.number.into_inner(),
            hours: h.hours,
        });
    }
    hotlines
}

/// `[images] max_width`, 960 unless set.
fn image_width(raw: &Option<Spanned<i64>>, check: &mut Checks<'_>) -> std::num::NonZeroU32 {
    let max_width = check.positive(raw, "max_width", 960);
    // Wider than any phone or laptop column needs; also keeps the
    // half-width image at least 1 px.
    match u32::try_from(max_width.get()) {
        Ok(w @ 2..=8192) => std::num::NonZeroU32::new(w).expect("at least 2"),
        _ => {
            if let Some(v) = raw {
                check.report(
                    v,
                    format!(
                        "`max_width` must be between 2 and 8192, not {}",
                        v.get_ref()
                    ),
                    "",
                );
            }
            std::num::NonZeroU32::new(960).expect("positive")
        }
    }
}

/// `[print] paper`, A4 unless set.
fn paper(raw: Option<&Spanned<String>>, check: &mut Checks<'_>) -> Paper {
    match raw {
        Some(p) => Paper::parse(p.get_ref()).unwrap_or_else(|| {
            check.report(
                p,
                format!(
                    "`paper` is \"{}\": not a paper size weikan knows",
                    p.get_ref()
                ),
                "write paper = \"A4\" or paper = \"A5\"",
            );
            Paper::default()
        }),
        None => Paper::default(),
    }
}

/// `[wechat]`: its `author`, checked against what the 公众号 editor takes.
fn wechat(raw: RawWechat, check: &mut Checks<'_>) -> WechatOptions {
    let author = raw.author.and_then(|a| {
        let text = a.get_ref().trim();
        let chars = text.chars().count();
        if text.is_empty() {
            check.report(&a, "`author` is empty".into(), "name who publishes, or leave `author` out");
            None
        } else if chars > WECHAT_AUTHOR_MAX {
            check.report(
                &a,
                format!("`author` is {chars} characters; the 公众号 editor takes at most {WECHAT_AUTHOR_MAX}"),
                "shorten it, e.g. to the centre's short name",
            );
            None
        } else {
            Some(text.to_owned())
        }
    });
    WechatOptions { author }
}

/// Lets one method report on spanned values of any type.
trait SpanOf {
    fn span_of(&self) -> std::ops::Range<usize>;
}

impl<T> SpanOf for Spanned<T> {
    fn span_of(&self) -> std::ops::Range<usize> {
        self.span()
    }
}

/// Accepts BCP 47-shaped tags such as `zh-CN`, `zh-Hant-TW`, `en`.
fn check_language(tag: &str) -> Result<(), String> {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(format!("`{tag}` is not a language tag"))
    }
}

/// Parses `+08:00`, `-05:30` or `Z`.
fn parse_offset(text: &str) -> Result<jiff::tz::Offset, String> {
    let bad = || format!("`{text}` is not a UTC offset");
    if text == "Z" || text == "+00:00" || text == "-00:00" {
        return Ok(jiff::tz::Offset::UTC);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if h > 14 || m > 59 {
        return Err(bad());
    }
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = SourceFile::new(CONFIG_FILE, text.to_owned());
        SiteConfig::parse(&file, &ConfigOverrides::default()).map_err(Diagnostics::sorted)
    }

    const GOOD: &str = "title = \"微刊\"\nbase_url = \"https://e.org/w\"\n[[audiences]]\nkey = \"elders\"\nname = \"老年人\"\n";

    #[test]
    fn good_config_gets_defaults() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.base_url.as_str(), "https://e.org/w/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.timezone.seconds(), 8 * 3600);
        assert_eq!(c.per_page.get(), 20);
        assert_eq!(c.feed_limit.get(), 30);
        assert!(c.markdown.highlight_code && !c.markdown.unsafe_html);
        assert_eq!(c.paper, Paper::A4);
    }

    #[test]
    fn wechat_is_off_unless_its_table_is_there_and_its_author_fits() {
        assert_eq!(parse(GOOD).unwrap().wechat, None);
        let on = parse(&format!("{GOOD}[wechat]\n")).unwrap();
        assert_eq!(on.wechat, Some(WechatOptions { author: None }));
        let named = parse(&format!("{GOOD}[wechat]\nauthor = \"区心理中心\"\n")).unwrap();
        assert_eq!(named.wechat.unwrap().author.as_deref(), Some("区心理中心"));
        let long = format!("{GOOD}[wechat]\nauthor = \"{}\"\n", "长".repeat(17));
        let errs = parse(&long).unwrap_err();
        assert_eq!(errs[0].location.as_ref().unwrap().line, 7);
        assert!(
            errs[0].message.contains("at most 16"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let errs = parse(&format!("{GOOD}titel = \"x\"\n")).unwrap_err();
        let loc = errs[0].location.as_ref().unwrap();
        assert_eq!(loc.line, 6);
        assert!(
            errs[0].message.contains("unknown field `titel`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn every_bad_value_is_reported() {
        let text = "title = \"t\"\nbase_url = \"e.org\"\ntimezone = \"8\"\nlanguage = \"中文\"\n[pagination]\nper_page = 0\n[[audiences]]\nkey = \"Old\"\nname = \"n\"\n";
        let errs = parse(text).unwrap_err();
        let lines: Vec<usize> = errs
            .iter()
            .map(|e| e.location.as_ref().unwrap().line)
            .collect();
        assert_eq!(lines, vec![2, 3, 4, 6, 8], "{errs:#?}");
    }

    #[test]
    fn paper_is_a4_or_a5() {
        let a5 = parse(&format!("{GOOD}[print]\npaper = \"a5\"\n")).unwrap();
        assert_eq!(a5.paper, Paper::A5);
        let errs = parse(&format!("{GOOD}[print]\npaper = \"B5\"\n")).unwrap_err();
        assert_eq!(errs[0].location.as_ref().unwrap().line, 7, "{errs:#?}");
        assert!(errs[0].message.contains("\"B5\""), "{}", errs[0].message);
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(
            parse_offset("-05:30").unwrap().seconds(),
            -(5 * 3600 + 1800)
        );
        assert!(parse_offset("+8").is_err());
        assert!(parse_offset("+15:00").is_err());
    }
}
