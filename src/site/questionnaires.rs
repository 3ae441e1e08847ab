//! Questionnaires get their URLs with the rest of the site, and their
//! introductions and advice render with the other Markdown bodies.

use crate::content::load::Parsed;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkIndex, LinkTarget, summarize};
use crate::names::{Slug, slug_from_stem};
use crate::paths;
use crate::plan::Claims;
use crate::selfcheck::{Band, Item, Questionnaire, QuestionnaireHead};

use super::{Bodies, SUMMARY_CELLS, render_body, site_key};

/// A questionnaire with its URL, not yet rendered.
pub(super) struct Planned {
    /// Its file, read and checked.
    pub(super) parsed: Parsed<QuestionnaireHead>,
    /// Its site path.
    pub(super) path: String,
}

/// Gives each questionnaire its URL, reporting clashes and file names that
/// cannot be one, and makes `.md` links to it resolve.
pub(super) fn plan(
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
        let path = paths::questionnaire(&slug);
        if let Err(other) = claims.claim(&path, &parsed.file.rel_path) {
            let other = crate::content::load::site_path(&other);
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
pub(super) fn slug(
    parsed: &Parsed<QuestionnaireHead>,
    diagnostics: &mut Diagnostics,
) -> Option<Slug> {
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
pub(super) fn render(
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

/// One questionnaire rendered, with the problems found in it.
pub(super) fn render_one(p: Planned, bodies: Bodies<'_>) -> (Questionnaire, Vec<Diagnostic>) {
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
