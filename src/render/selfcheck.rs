//! The self-check pages: the list of every questionnaire and each
//! questionnaire's form, plus the links other pages give to them (home,
//! audience sections, the QR poster). Scoring happens in the reader's
//! browser (`selfcheck.js`); the page carries everything needed to score by
//! hand too: each option's points and the band table.

use serde::Serialize;
use tera::Context;

use super::Job;
use super::context::PageMeta;
use crate::names::AudienceKey;
use crate::selfcheck::{Choice, LIST_PATH, Questionnaire};
use crate::site::Site;

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
pub fn leaves_out(site: &Site, path: &str) -> bool {
    site.questionnaires.is_empty() && STATICS.contains(&path)
}

/// The jobs of the self-check pages: none when the site has no questionnaire.
pub fn jobs(site: &Site) -> Vec<Job> {
    if site.questionnaires.is_empty() {
        return Vec::new();
    }
    std::iter::once(Job::SelfcheckList)
        .chain((0..site.questionnaires.len()).map(Job::Selfcheck))
        .collect()
}

/// Link to the list, when the site has questionnaires.
pub fn list_url(site: &Site) -> Option<String> {
    (!site.questionnaires.is_empty()).then(|| site.config.base_url.link(LIST_PATH))
}

/// The QR poster's code for the list, when there is one.
pub fn qr_target(site: &Site) -> Option<(String, String)> {
    (!site.questionnaires.is_empty()).then(|| ("心理自测".to_owned(), LIST_PATH.to_owned()))
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
pub(super) fn list_page(site: &Site, ctx: &mut Context) -> (String, &'static str, PageMeta) {
    let cards: Vec<_> = site.questionnaires.iter().map(|q| card(site, q)).collect();
    ctx.insert("questionnaires", &cards);
    let meta = PageMeta::new(
        "selfchecks",
        "心理自测",
        "在自己的手机上完成、自己计分的心理自测问卷；答案不会发送或保存。",
        Some(site.config.base_url.absolute(LIST_PATH)),
        "selfcheck",
    );
    (format!("{LIST_PATH}index.html"), "selfchecks.html", meta)
}

/// `/selfcheck/<slug>/`: questionnaire `i` as a form.
pub(super) fn questionnaire_page(
    site: &Site,
    i: usize,
    ctx: &mut Context,
) -> (String, &'static str, PageMeta) {
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
        list_url: site.config.base_url.link(LIST_PATH),
    };
    ctx.insert("form", &form);
    let meta = PageMeta::new(
        "selfcheck",
        &q.title,
        &q.summary,
        Some(site.config.base_url.absolute(&q.path)),
        "selfcheck",
    );
    (format!("{}index.html", q.path), "selfcheck.html", meta)
}
