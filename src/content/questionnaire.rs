//! A questionnaire's front matter, checked as DESIGN's "Self-checks" asks:
//! 1 to 60 items, 2 to 7 options with whole scores ≥ 0, `urgent_items`
//! inside the items, and bands that cover every possible total once. Each
//! mistake is its own error at its place, all reported together.

pub mod bands;

use std::ops::Range;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::front_matter::{Checker, Placed};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::names::{AudienceKey, Slug};
use crate::source::{FrontMatter, SourceFile};
use bands::BandRange;

/// The folder of questionnaires inside `content/`, and the first part of
/// their URLs.
pub const DIR: &str = "selfcheck";
/// Most statements one questionnaire may have: a long form still fits on a
/// phone, and totals stay small.
pub const MAX_ITEMS: usize = 60;
/// Fewest and most answers an item may offer.
pub const OPTIONS: std::ops::RangeInclusive<usize> = 2..=7;
/// Highest score one answer may give, so no total can overflow.
const MAX_SCORE: i64 = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    title: Spanned<String>,
    summary: Option<String>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    question: Option<String>,
    items: Option<Spanned<Vec<Spanned<String>>>>,
    options: Option<Spanned<Vec<RawOption>>>,
    #[serde(default)]
    urgent_items: Vec<Spanned<Value>>,
    #[serde(default)]
    bands: Vec<RawBand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    label: Spanned<String>,
    score: Spanned<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    min: Spanned<Value>,
    max: Spanned<Value>,
    label: Spanned<String>,
    advice: Spanned<String>,
    #[serde(default)]
    urgent: bool,
}

/// One answer every item offers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    /// What the reader taps, e.g. 好几天.
    pub label: String,
    /// Its points.
    pub score: u32,
}

/// A checked band, its advice still Markdown.
#[derive(Debug, Clone)]
pub struct BandHead {
    /// Lowest and highest total it covers.
    pub range: BandRange,
    /// What the total is called, e.g. 轻度.
    pub label: String,
    /// Markdown, placed so link errors point into it.
    pub advice: Placed<String>,
    /// Whether it shows the hotlines first.
    pub urgent: bool,
}

/// A questionnaire's checked front matter.
#[derive(Debug, Clone)]
pub struct QuestionnaireHead {
    /// Its title.
    pub title: String,
    /// The editor's summary, if given.
    pub summary: Option<String>,
    /// An explicit slug, placed for collision errors.
    pub slug: Option<Placed<Slug>>,
    /// Audience sections that list it as well.
    pub audiences: Vec<AudienceKey>,
    /// The lead above the items.
    pub question: Option<String>,
    /// The statements, in order.
    pub items: Vec<String>,
    /// The answers shared by every item, in order.
    pub options: Vec<Choice>,
    /// 0-based indices of items whose answer above 0 points calls for help now.
    pub urgent_items: Vec<usize>,
    /// Ranges of the total, from the lowest up.
    pub bands: Vec<BandHead>,
}

/// Checks a questionnaire's front matter.
pub fn parse(
    file: &SourceFile,
    fm: &FrontMatter<'_>,
    config: &SiteConfig,
) -> Result<QuestionnaireHead, Vec<Diagnostic>> {
    let (raw, mut c) = Checker::parse::<RawQuestionnaire>(file, fm)?;
    let title = c.title(raw.title);
    let slug = c.slug(raw.slug);
    let audiences = c.audiences(&raw.audiences, config);
    let items = check_items(&mut c, raw.items);
    let options = check_options(&mut c, raw.options);
    let urgent_items = check_urgent(&mut c, &raw.urgent_items, items.len());
    // Totals are known only when items and options are: without them the
    // bands can still be checked against each other.
    let totals = (!items.is_empty() && !options.is_empty()).then(|| {
        let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
        let low = options.iter().map(|o| o.score).min().unwrap_or(0);
        let high = options.iter().map(|o| o.score).max().unwrap_or(0);
        (low * count, high * count)
    });
    let bands = check_bands(&mut c, raw.bands, totals, fm.toml_offset, file);
    let head = QuestionnaireHead {
        title,
        summary: raw.summary,
        slug,
        audiences,
        question: raw.question.filter(|q| !q.trim().is_empty()),
        items,
        options,
        urgent_items,
        bands,
    };
    c.finish(Some(head))
}

fn check_items(c: &mut Checker<'_>, raw: Option<Spanned<Vec<Spanned<String>>>>) -> Vec<String> {
    let Some(raw) = raw else {
        c.error(
            0..0,
            "this questionnaire has no `items`".into(),
            "add the statements in order, e.g. items = [\"做事时提不起劲或没有兴趣\", \"…\"]",
        );
        return Vec::new();
    };
    let span = raw.span();
    let list = raw.into_inner();
    if list.is_empty() {
        c.error(
            span,
            "`items` is empty: a questionnaire needs at least one statement".into(),
            "write the statements between the brackets, in order",
        );
    } else if list.len() > MAX_ITEMS {
        c.error(
            span,
            format!(
                "`items` has {} statements; at most {MAX_ITEMS} fit one form",
                list.len()
            ),
            "split it into two questionnaires",
        );
    }
    let mut items = Vec::with_capacity(list.len());
    for item in list {
        if item.get_ref().trim().is_empty() {
            c.error(
                item.span(),
                "an item is empty".into(),
                "write the statement between the quotes",
            );
        }
        items.push(item.into_inner().trim().to_owned());
    }
    if items.len() > MAX_ITEMS {
        Vec::new()
    } else {
        items
    }
}

fn check_options(c: &mut Checker<'_>, raw: Option<Spanned<Vec<RawOption>>>) -> Vec<Choice> {
    let Some(raw) = raw else {
        c.error(
            0..0,
            "this questionnaire has no `options`".into(),
            "add the answers, e.g. options = [{ label = \"完全不会\", score = 0 }, { label = \"好几天\", score = 1 }]",
        );
        return Vec::new();
    };
    let span = raw.span();
    let list = raw.into_inner();
    if !OPTIONS.contains(&list.len()) {
        c.error(
            span,
            format!(
                "`options` has {} answers; an item needs {} to {}",
                list.len(),
                OPTIONS.start(),
                OPTIONS.end()
            ),
            "give every item between 2 and 7 answers to choose from",
        );
    }
    let mut options = Vec::with_capacity(list.len());
    for o in list {
        if o.label.get_ref().trim().is_empty() {
            c.error(
                o.label.span(),
                "an option's `label` is empty".into(),
                "write the answer between the quotes",
            );
        }
        if let Some(score) = points(c, &o.score, "score") {
            options.push(Choice {
                label: o.label.into_inner().trim().to_owned(),
                score,
            });
        }
    }
    if OPTIONS.contains(&options.len()) {
        options
    } else {
        Vec::new()
    }
}

fn check_urgent(c: &mut Checker<'_>, raw: &[Spanned<Value>], items: usize) -> Vec<usize> {
    let mut urgent = Vec::new();
    for n in raw {
        match n.get_ref().as_integer() {
            Some(k) if k >= 1 && usize::try_from(k).is_ok_and(|k| k <= items) => {
                let index = usize::try_from(k - 1).unwrap_or(0);
                if urgent.contains(&index) {
                    c.error(
                        n.span(),
                        format!("item {k} is listed twice in `urgent_items`"),
                        "",
                    );
                } else {
                    urgent.push(index);
                }
            }
            _ => c.error(
                n.span(),
                format!("`urgent_items`: {} is not an item number", n.get_ref()),
                &format!("items are numbered from 1 to {items}, in the order of `items`"),
            ),
        }
    }
    urgent.sort_unstable();
    urgent
}

fn check_bands(
    c: &mut Checker<'_>,
    raw: Vec<RawBand>,
    totals: Option<(u32, u32)>,
    toml_offset: usize,
    file: &SourceFile,
) -> Vec<BandHead> {
    if raw.is_empty() {
        c.error(
            0..0,
            "this questionnaire has no [[bands]]".into(),
            "add one [[bands]] table per range of the total, each with min, max, label and advice",
        );
        return Vec::new();
    }
    let mut heads = Vec::with_capacity(raw.len());
    let mut ranges = Vec::with_capacity(raw.len());
    for b in raw {
        let min = points(c, &b.min, "min");
        let max = points(c, &b.max, "max");
        if b.label.get_ref().trim().is_empty() {
            c.error(
                b.label.span(),
                "a band's `label` is empty".into(),
                "name the band, e.g. label = \"轻度\"",
            );
        }
        let (Some(min), Some(max)) = (min, max) else {
            continue;
        };
        let range = BandRange {
            min: Placed {
                value: min,
                span: c.span(b.min.span()),
            },
            max: Placed {
                value: max,
                span: c.span(b.max.span()),
            },
        };
        ranges.push(range.clone());
        let advice = Placed {
            span: string_start(file, toml_offset + b.advice.span().start),
            value: b.advice.into_inner(),
        };
        heads.push(BandHead {
            range,
            label: b.label.into_inner().trim().to_owned(),
            advice,
            urgent: b.urgent,
        });
    }
    for problem in bands::coverage(&ranges, totals) {
        c.push(
            file.error(problem.span, problem.message)
                .with_help(problem.help),
        );
    }
    heads
}

/// Where the text of the TOML string at `at` starts, after its quotes, so
/// a problem in the advice's Markdown points inside it.
fn string_start(file: &SourceFile, at: usize) -> Range<usize> {
    let rest = file.text.get(at..).unwrap_or("");
    let quotes = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3 + usize::from(rest[3..].starts_with('\n'))
    } else {
        1
    };
    at + quotes..at + quotes
}

/// A score or band limit: a whole number from 0 up.
fn points(c: &mut Checker<'_>, v: &Spanned<Value>, key: &str) -> Option<u32> {
    let problem = match v.get_ref() {
        Value::Integer(n) if (0..=MAX_SCORE).contains(n) => return u32::try_from(*n).ok(),
        Value::Integer(n) if *n < 0 => format!("`{key}` is {n}: points cannot be negative"),
        Value::Integer(n) => format!("`{key}` is {n}: points go up to {MAX_SCORE}"),
        Value::Float(f) => format!("`{key}` is {f}: points are whole numbers"),
        other => format!("`{key}` must be a whole number, not {}", other.type_str()),
    };
    c.error(
        v.span(),
        problem,
        "use whole numbers from 0 up, e.g. 0, 1, 2, 3",
    );
    None
}
