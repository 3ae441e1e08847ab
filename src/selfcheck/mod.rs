//! Self-checks (自测): questionnaires from `content/selfcheck/*.md` that a
//! resident fills in and scores on their own phone. This module turns the
//! checked front matter into a [`Questionnaire`] with its URL (planned and
//! rendered with the rest of the site, in `site`); the pages are page kinds
//! of the plan (see `render::pages::selfcheck`), the scoring a theme script.

use std::path::PathBuf;

pub use crate::content::questionnaire::{Choice, QuestionnaireHead};
use crate::names::AudienceKey;
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
