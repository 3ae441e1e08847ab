//! The words readers see that Rust has to write (page titles, feed titles,
//! QR captions, the media player's labels), from the theme's
//! `templates/words.toml`, so a site can change them as it changes a
//! template. Templates see the same table as `words`. It sits at the bottom
//! of the crate because the Markdown stage writes players with it, before
//! any page renders.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

/// The words file among the templates.
pub const WORDS_FILE: &str = "words.toml";

macro_rules! words {
    ($($(#[$doc:meta])* $variant:ident = $key:literal),* $(,)?) => {
        /// A word or phrase of the table, by its key in `words.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($(#[$doc])* $variant),*
        }

        impl Word {
            /// Every word, so the default table can be checked to have each.
            pub const ALL: &[Word] = &[$(Word::$variant),*];

            /// Its key in `words.toml`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Word::$variant => $key),*
                }
            }
        }
    };
}

words! {
    /// The archive's title.
    ArchiveTitle = "archive_title",
    /// The archive's description.
    ArchiveDescription = "archive_description",
    /// An issue's name: `{number}`, `{title}`.
    IssueTitle = "issue_title",
    /// An audience section's title: `{name}`.
    AudienceTitle = "audience_title",
    /// A further page of a section: `{name}`, `{page}`.
    AudiencePageTitle = "audience_page_title",
    /// An audience feed's title: `{site}`, `{name}`.
    AudienceFeedTitle = "audience_feed_title",
    /// `/lessons/`' title.
    LessonsTitle = "lessons_title",
    /// `/lessons/`' description.
    LessonsDescription = "lessons_description",
    /// The 404 page's title.
    NotFoundTitle = "not_found_title",
    /// The search page's title.
    SearchTitle = "search_title",
    /// The search page's description.
    SearchDescription = "search_description",
    /// The questionnaire list's title, also its QR caption.
    SelfcheckListTitle = "selfcheck_list_title",
    /// The questionnaire list's description.
    SelfcheckListDescription = "selfcheck_list_description",
    /// The site's QR sheet's title.
    QrSheetTitle = "qr_sheet_title",
    /// What a QR sheet is for, its description.
    QrSheetDescription = "qr_sheet_description",
    /// The QR caption of the latest issue: `{issue}`.
    QrLatestIssue = "qr_latest_issue",
    /// An issue's QR sheet's title: `{issue}`.
    IssueQrTitle = "issue_qr_title",
    /// An issue's booklet's title, also its QR caption: `{issue}`.
    PrintTitle = "print_title",
    /// A QR code's name for screen readers: `{title}`.
    QrLabel = "qr_label",
    /// What an audio lesson is called.
    Audio = "audio",
    /// What a video lesson is called.
    Video = "video",
    /// A lesson's kind and size, under its player and in `/lessons/`:
    /// `{kind}`, `{size}`.
    MediaMeta = "media_meta",
    /// The download link under a player: `{size}`.
    MediaDownload = "media_download",
    /// The link shown by a browser that cannot play the file: `{kind}`.
    MediaFallback = "media_fallback",
    /// The name of a video's or audio's captions track.
    Captions = "captions",
    /// The heading of the numbered addresses that end a 公众号 正文.
    WechatReferences = "wechat_references",
    /// The note in a 公众号 正文 where a player was: `{kind}`, `{title}`,
    /// `{url}`.
    WechatMediaNote = "wechat_media_note",
    /// Under a QR code in a 公众号 正文: `{title}`.
    WechatScan = "wechat_scan",
    /// Above the hotlines at the end of a 公众号 正文.
    WechatHelp = "wechat_help",
    /// Above the QR code of the article's own address: `{site}`.
    WechatReadOnline = "wechat_read_online",
    /// `/wechat/`'s title.
    WechatListTitle = "wechat_list_title",
    /// An article's 公众号 page's title: `{title}`.
    WechatPageTitle = "wechat_page_title",
}

/// The table: every [`Word`]'s text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Words(BTreeMap<String, String>);

/// The default theme's table, built in so a site needs no theme folder.
const BUILT_IN: &str = include_str!("../themes/default/templates/words.toml");

impl Words {
    /// The default theme's table alone.
    pub fn built_in() -> Words {
        Words::load(&[]).unwrap_or_default()
    }

    /// The default table with the keys of each of `files` put over it in
    /// turn (a theme's `words.toml`, then the site's), so each sets only
    /// the words it changes. An unknown key is an error, so a typo does not
    /// pass silently.
    pub fn load(files: &[SourceFile]) -> Result<Words, Diagnostic> {
        let built_in = SourceFile::new(
            "themes/default/templates/words.toml (built in)",
            BUILT_IN.to_owned(),
        );
        let mut table = parse(&built_in)?;
        for file in files {
            for (key, text) in parse(file)? {
                if !table.contains_key(&key) {
                    let at = key_offset(&file.text, &key);
                    return Err(file
                        .error(
                            at..at + key.len(),
                            format!("`{key}` is not a word weikan writes"),
                        )
                        .with_help("use only the keys of the default theme's words.toml"));
                }
                table.insert(key, text);
            }
        }
        Ok(Words(table))
    }

    /// The text of `word`, placeholders as written.
    pub fn get(&self, word: Word) -> &str {
        self.0.get(word.key()).map_or("", String::as_str)
    }

    /// The text of `word` with each `{name}` of `values` filled in; other
    /// braces stay as written.
    pub fn fill(&self, word: Word, values: &[(&str, &str)]) -> String {
        let text = self.get(word);
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v, close))
            });
            match value {
                Some((v, close)) => {
                    out.push_str(v);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Where the line that sets `key` starts its key (0 when not found).
fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with('=')) {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

fn parse(file: &SourceFile) -> Result<BTreeMap<String, String>, Diagnostic> {
    toml::from_str(&file.text).map_err(|e| file.toml_error(&e, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_has_every_word() {
        let words = Words::load(&[]).unwrap();
        for word in Word::ALL {
            assert!(!words.get(*word).is_empty(), "{word:?} is missing");
        }
        assert_eq!(words.0.len(), Word::ALL.len(), "a word no code uses");
    }

    #[test]
    fn placeholders_are_filled_once_and_others_kept() {
        let words = Words::load(&[]).unwrap();
        assert_eq!(
            words.fill(Word::IssueTitle, &[("number", "3"), ("title", "{title}")]),
            "第3期 {title}"
        );
        let site = SourceFile::new(
            "templates/words.toml",
            "issue_title = \"{x}第{number}期\"\n".into(),
        );
        let words = Words::load(std::slice::from_ref(&site)).unwrap();
        assert_eq!(words.fill(Word::IssueTitle, &[("number", "3")]), "{x}第3期");
        assert_eq!(words.get(Word::ArchiveTitle), "往期");
    }

    #[test]
    fn a_site_sets_its_words_over_its_themes() {
        let theme = SourceFile::new(
            "themes/warm/templates/words.toml",
            "archive_title = \"过刊\"\nsearch_title = \"查找\"\n".into(),
        );
        let site = SourceFile::new("templates/words.toml", "search_title = \"搜一搜\"\n".into());
        let words = Words::load(&[theme, site]).unwrap();
        assert_eq!(words.get(Word::ArchiveTitle), "过刊");
        assert_eq!(words.get(Word::SearchTitle), "搜一搜");
        assert_eq!(words.get(Word::LessonsTitle), "微课");
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line() {
        let text = "# issue_title is the one to change\n\nisue_title = \"x\"\n";
        let site = SourceFile::new("templates/words.toml", text.into());
        let e = Words::load(&[site]).unwrap_err();
        assert!(e.to_string().contains("words.toml:3:1"), "{e}");
        assert!(e.to_string().contains("isue_title"), "{e}");
    }
}
