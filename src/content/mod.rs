//! The content model: issues, their articles, standing pages, and files
//! copied beside them, each already checked and rendered to HTML.

pub mod date;
pub mod front_matter;
pub mod load;
pub mod questionnaire;

use std::path::PathBuf;

use crate::names::{AudienceKey, IssueNumber, Slug};
use crate::words::Word;
pub use date::PubDate;

/// One numbered issue (期) of the journal.
#[derive(Debug)]
pub struct Issue {
    /// Its number, unique in the site.
    pub number: IssueNumber,
    /// Its theme, e.g. 「居家不焦虑」.
    pub title: String,
    /// Publication date.
    pub date: PubDate,
    /// A one-line blurb: the editor's, or the start of the note.
    pub summary: String,
    /// Site path of the cover image, if any.
    pub cover: Option<String>,
    /// Whether it is a draft (only present when building with drafts).
    pub draft: bool,
    /// The editor's note (卷首语) as HTML.
    pub note_html: String,
    /// Its articles in reading order.
    pub articles: Vec<Article>,
    /// `issue.md`, relative to the site root.
    pub source: PathBuf,
}

impl Issue {
    /// The issue page's site path: `issues/<number>/`.
    pub fn path(&self) -> String {
        crate::paths::issue(self.number)
    }
}

/// One article of an issue.
#[derive(Debug)]
pub struct Article {
    /// Its title.
    pub title: String,
    /// The last part of its URL.
    pub slug: Slug,
    /// Whether the slug was written in the front matter (else it comes
    /// from the file name or the article's position).
    pub slug_given: bool,
    /// The front matter's reading-order override.
    pub weight: Option<i64>,
    /// Its site path: `issues/<number>/<slug>/`.
    pub path: String,
    /// Who it is for; empty means everyone.
    pub audiences: Vec<AudienceKey>,
    /// Publication date (the issue's unless set).
    pub date: PubDate,
    /// The editor's summary or the start of the first paragraph.
    pub summary: String,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// Whether it is a draft (only present when building with drafts).
    pub draft: bool,
    /// The body as HTML.
    pub html: String,
    /// Minutes to read the body, counting Chinese by characters.
    pub reading_minutes: u32,
    /// Absolute URL of its first picture, for link previews.
    pub image: Option<String>,
    /// The audio and video lessons it shows.
    pub media: Vec<MediaUse>,
    /// Site path of its own cover image (the `cover` key), if any.
    pub cover: Option<String>,
    /// Where it was published on the 公众号, if it was.
    pub wechat_url: Option<String>,
    /// Its 正文 for the 公众号, made when the site has `[wechat]`.
    pub wechat: Option<WechatText>,
    /// The source file, relative to the site root.
    pub source: PathBuf,
}

/// An article as the 公众号 editor takes it (see `crate::wechat`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatText {
    /// The 正文: one `<section>` with inline styles only.
    pub fragment: String,
    /// The characters of its text, as the 公众号 editor counts them.
    pub chars: usize,
    /// The 摘要: the summary, at most 120 characters.
    pub digest: String,
    /// Site path of the image its cover crops are made from: the `cover`,
    /// else the first image of the body.
    pub crop_from: Option<String>,
    /// Site paths of the self-checks it links, each shown with a QR code.
    pub selfchecks: Vec<String>,
    /// Site paths of the SVG drawings it shows, each as a PNG.
    pub svgs: Vec<String>,
}

/// A standing page such as 关于本刊 or 求助热线.
#[derive(Debug)]
pub struct Page {
    /// Its title.
    pub title: String,
    /// Its site path: `<slug>/`.
    pub path: String,
    /// The front matter's menu-order override.
    pub weight: Option<i64>,
    /// Whether it is a draft (only present when building with drafts).
    pub draft: bool,
    /// The body as HTML.
    pub html: String,
    /// The source file, relative to the site root.
    pub source: PathBuf,
}

/// `content/index.md`: an introduction on the home page.
#[derive(Debug)]
pub struct Intro {
    /// Its heading.
    pub title: String,
    /// The body as HTML.
    pub html: String,
}

/// A file copied into the output unchanged.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Where it is, relative to the site root.
    pub source: PathBuf,
    /// Where it goes, as a site path.
    pub path: String,
}

/// What kind of lesson a player is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlayerKind {
    /// `.mp3`, `.m4a`, `.ogg`.
    Audio,
    /// `.mp4`, `.webm`.
    Video,
}

impl PlayerKind {
    /// Its name for residents, in the words table.
    pub fn word(self) -> Word {
        match self {
            PlayerKind::Audio => Word::Audio,
            PlayerKind::Video => Word::Video,
        }
    }

    /// Its name in English, for editors' messages.
    pub fn english(self) -> &'static str {
        match self {
            PlayerKind::Audio => "audio file",
            PlayerKind::Video => "video",
        }
    }
}

/// One audio or video lesson a page shows (for the 微课 list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MediaUse {
    /// Audio or video.
    pub kind: PlayerKind,
    /// Its size in bytes.
    pub bytes: u64,
}
