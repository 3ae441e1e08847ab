//! The self-check pages: the list of every questionnaire and each
//! questionnaire's form, plus the links other pages give to them (home,
//! audience sections, the QR poster). Scoring happens in the reader's
//! browser (`selfcheck.js`); the page carries everything needed to score by
//! hand too: each option's points and the band table.

use serde::Serialize;
use tera::Context;

use super::{Html, meta};
use crate::names::AudienceKey;
use crate::paths::SELFCHECK_LIST;
use crate::render::Renderer;
use crate::selfcheck::{Choice, Questionnaire};
use crate::site::Site;
use crate::words::Word;

/// A questionnaire in a list.
#[derive(Serialize)]
pub struct SelfcheckCard<'a> {
    /// Its title.
    pub title: &'a str,
    /// Link to it.
    pub url: String,
    /// Its summary.
    pub summary: &'a str,
    /// How many statements it has.
    pub items: usize,
    /// About how many minutes it takes.
    pub minutes: usize,
}

/// What the questionnaire page shows.
#[derive(Serialize)]
struct Form<'a> {
    title: &'a str,
    intro_html: &'a str,
    question: Option<&'a str>,
    items: Vec<FormItem<'a>>,
    options: &'a [Choice],
    bands: Vec<BandRow<'a>>,
    lowest: u32,
    highest: u32,
    /// 1-based numbers of the items that call for help now.
    urgent_numbers: Vec<usize>,
    minutes: usize,
    list_url: String,
}

#[derive(Serialize)]
struct FormItem<'a> {
    number: usize,
    text: &'a str,
    urgent: bool,
}

#[derive(Serialize)]
struct BandRow<'a> {
    min: u32,
    max: u32,
    label: &'a str,
    advice_html: &'a str,
    urgent: bool,
}

/// The theme's files that only questionnaire pages use.
const STATICS: [&str; 2] = ["selfcheck.css", "selfcheck.js"];

/// Whether the theme file at `path` is left out: a site without
/// questionnaires does not publish their script and styles.
pub(super) fn leaves_out(site: &Site, path: &str) -> bool {
    site.questionnaires.is_empty() && STATICS.contains(&path)
}

/// Link to the list, when the site has questionnaires.
pub fn list_url(site: &Site) -> Option<String> {
    (!site.questionnaires.is_empty()).then(|| site.config.base_url.link(SELFCHECK_LIST))
}

/// The QR poster's code for the list, when there is one.
pub(super) fn qr_target(env: &Renderer<'_>) -> Option<(String, String)> {
    (!env.site.questionnaires.is_empty()).then(|| {
        let title = env.words().get(Word::SelfcheckListTitle);
        (title.to_owned(), SELFCHECK_LIST.to_owned())
    })
}

/// Cards of the questionnaires that name audience `key`.
pub fn for_audience<'a>(site: &'a Site, key: &AudienceKey) -> Vec<SelfcheckCard<'a>> {
    site.questionnaires
        .iter()
        .filter(|q| q.audiences.contains(key))
        .map(|q| card(site, q))
        .collect()
}

fn card<'a>(site: &Site, q: &'a Questionnaire) -> SelfcheckCard<'a> {
    SelfcheckCard {
        title: &q.title,
        url: site.config.base_url.link(&q.path),
        summary: &q.summary,
        items: q.items.len(),
        minutes: q.minutes(),
    }
}

/// `/selfcheck/`: every questionnaire.
pub(super) fn list_page(env: &Renderer<'_>) -> Html {
    let site = env.site;
    let cards: Vec<_> = site.questionnaires.iter().map(|q| card(site, q)).collect();
    let mut ctx = Context::new();
    ctx.insert("questionnaires", &cards);
    let words = env.words();
    let page = meta(
        site,
        "selfchecks",
        words.get(Word::SelfcheckListTitle),
        words.get(Word::SelfcheckListDescription),
        Some(SELFCHECK_LIST),
        "selfcheck",
    );
    Html {
        template: "selfchecks.html",
        ctx,
        meta: page,
    }
}

/// `/selfcheck/<slug>/`: questionnaire `i` as a form.
pub(super) fn questionnaire_page(env: &Renderer<'_>, i: usize) -> Html {
    let site = env.site;
    let q = &site.questionnaires[i];
    let items: Vec<FormItem<'_>> = q
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| FormItem {
            number: n + 1,
            text: &item.text,
            urgent: item.urgent,
        })
        .collect();
    let form = Form {
        title: &q.title,
        intro_html: &q.intro_html,
        question: q.question.as_deref(),
        urgent_numbers: items
            .iter()
            .filter(|i| i.urgent)
            .map(|i| i.number)
            .collect(),
        items,
        options: &q.options,
        bands: q
            .bands
            .iter()
            .map(|b| BandRow {
                min: b.min,
                max: b.max,
                label: &b.label,
                advice_html: &b.advice_html,
                urgent: b.urgent,
            })
            .collect(),
        lowest: q.bands.first().map_or(0, |b| b.min),
        highest: q.highest(),
        minutes: q.minutes(),
        list_url: site.config.base_url.link(SELFCHECK_LIST),
    };
    let mut ctx = Context::new();
    ctx.insert("form", &form);
    let page = meta(
        site,
        "selfcheck",
        &q.title,
        &q.summary,
        Some(&q.path),
        "selfcheck",
    );
    Html {
        template: "selfcheck.html",
        ctx,
        meta: page,
    }
}
