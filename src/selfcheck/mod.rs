//! Self-checks (自测): questionnaires from `content/selfcheck/*.md` that a
//! resident fills in and scores on their own phone. This module turns the
//! checked front matter into a [`Questionnaire`] with its URL; the pages are
//! render jobs (see `render::selfcheck`), the scoring a theme script.

use std::path::PathBuf;

use crate::content::load::Parsed;
pub use crate::content::questionnaire::{Choice, QuestionnaireHead};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkIndex, LinkTarget, summarize};
use crate::names::{AudienceKey, Slug, slug_from_stem};
use crate::site::{Bodies, Claims, SUMMARY_CELLS, render_body, site_key};

/// The site path of the list of every questionnaire.
pub const LIST_PATH: &str = "selfcheck/";
/// About how long a reader takes over one item, for "about N minutes".
const SECONDS_PER_ITEM: usize = 15;

/// One questionnaire, checked and rendered.
#[derive(Debug)]
pub struct Questionnaire {
    /// Its title.
    pub title: String,
    /// Its site path: `selfcheck/<slug>/`.
    pub path: String,
    /// The editor's summary or the start of the introduction.
    pub summary: String,
    /// Audience sections that list it as well.
    pub audiences: Vec<AudienceKey>,
    /// The lead above the items.
    pub question: Option<String>,
    /// The statements, in order.
    pub items: Vec<Item>,
    /// The answers every item offers.
    pub options: Vec<Choice>,
    /// Ranges of the total, from the lowest up, together covering every total.
    pub bands: Vec<Band>,
    /// The introduction as HTML.
    pub intro_html: String,
    /// The source file, relative to the site root.
    pub source: PathBuf,
}

/// One statement of a questionnaire.
#[derive(Debug)]
pub struct Item {
    /// The statement.
    pub text: String,
    /// Whether an answer above 0 points calls for help now, whatever the total.
    pub urgent: bool,
}

/// A range of the total and what it suggests.
#[derive(Debug)]
pub struct Band {
    /// Lowest total in it.
    pub min: u32,
    /// Highest total in it.
    pub max: u32,
    /// Its name.
    pub label: String,
    /// What to do next, as HTML.
    pub advice_html: String,
    /// Whether the hotlines come first.
    pub urgent: bool,
}

impl Questionnaire {
    /// About how many minutes filling it in takes (at least one).
    pub fn minutes(&self) -> usize {
        (self.items.len() * SECONDS_PER_ITEM).div_ceil(60).max(1)
    }

    /// The highest total possible.
    pub fn highest(&self) -> u32 {
        self.bands.last().map_or(0, |b| b.max)
    }
}

/// A questionnaire with its URL, not yet rendered.
pub(crate) struct Planned {
    parsed: Parsed<QuestionnaireHead>,
    path: String,
}

/// Gives each questionnaire its URL, reporting clashes and file names that
/// cannot be one, and makes `.md` links to it resolve.
pub(crate) fn plan(
    sources: Vec<Parsed<QuestionnaireHead>>,
    claims: &mut Claims,
    links: &mut LinkIndex,
    diagnostics: &mut Diagnostics,
) -> Vec<Planned> {
    let mut planned = Vec::with_capacity(sources.len());
    for parsed in sources {
        let Some(slug) = slug(&parsed, diagnostics) else {
            links.insert(site_key(&parsed.file.rel_path), LinkTarget::Broken);
            continue;
        };
        let path = format!("{LIST_PATH}{slug}/");
        if let Err(other) = claims.claim(&path, &parsed.file.rel_path) {
            let span = parsed.head.slug.as_ref().map_or(0..0, |s| s.span.clone());
            diagnostics.push(
                parsed
                    .file
                    .error(
                        span,
                        format!("this questionnaire's URL /{path} is already used by {other}"),
                    )
                    .with_help("give one of them a different `slug`"),
            );
        }
        links.insert(
            site_key(&parsed.file.rel_path),
            LinkTarget::Page(path.clone()),
        );
        planned.push(Planned { parsed, path });
    }
    planned
}

/// The `slug` key, else the file stem when it is a URL name.
fn slug(parsed: &Parsed<QuestionnaireHead>, diagnostics: &mut Diagnostics) -> Option<Slug> {
    if let Some(slug) = &parsed.head.slug {
        return Some(slug.value.clone());
    }
    let stem = parsed.stem();
    let slug = slug_from_stem(&stem);
    if slug.is_none() {
        diagnostics.push(
            parsed
                .file
                .error(0..0, format!("the file name `{stem}` cannot be used in a URL"))
                .with_help("add a `slug` to the front matter, e.g. slug = \"mood\", or rename the file with a-z, 0-9 and -"),
        );
    }
    slug
}

/// Renders the introductions and every band's advice.
pub(crate) fn render(
    planned: Vec<Planned>,
    bodies: Bodies<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Questionnaire> {
    planned
        .into_iter()
        .map(|p| {
            let (q, problems) = render_one(p, bodies);
            diagnostics.extend(problems);
            q
        })
        .collect()
}

fn render_one(p: Planned, bodies: Bodies<'_>) -> (Questionnaire, Vec<Diagnostic>) {
    let Planned { parsed, path } = p;
    let intro = render_body(&parsed, bodies);
    let mut problems = intro.diagnostics;
    let head = parsed.head;
    let urgent = &head.urgent_items;
    let bands = head
        .bands
        .into_iter()
        .map(|b| {
            let advice = markdown::render(
                &parsed.file,
                &b.advice.value,
                b.advice.span.start,
                bodies.ctx,
            );
            problems.extend(advice.diagnostics);
            Band {
                min: b.range.min.value,
                max: b.range.max.value,
                label: b.label,
                advice_html: advice.html,
                urgent: b.urgent,
            }
        })
        .collect();
    let q = Questionnaire {
        title: head.title,
        path,
        summary: head
            .summary
            .unwrap_or_else(|| summarize(&intro.first_paragraph, SUMMARY_CELLS)),
        audiences: head.audiences,
        question: head.question,
        items: head
            .items
            .into_iter()
            .enumerate()
            .map(|(i, text)| Item {
                text,
                urgent: urgent.contains(&i),
            })
            .collect(),
        options: head.options,
        bands,
        intro_html: intro.html,
        source: parsed.file.rel_path,
    };
    (q, problems)
}
