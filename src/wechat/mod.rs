//! 公众号 (WeChat Official Account) pages: each article's 正文 as the
//! 公众号 editor keeps it, written from the article's Markdown by its own
//! HTML writer (not a rewrite of the site's page), and the limits that
//! editor sets, as warnings at the place that breaks them.
//!
//! The editor drops `<style>`, classes and CSS variables, collapses spaces,
//! breaks lists deeper than two levels, refuses links outside
//! `mp.weixin.qq.com` and fetches pasted images from their addresses. So
//! the 正文 is one `<section>` of a few tags with inline styles
//! (`style.rs`), links become numbered references, images point at the
//! published site, players become notes for the 素材库, and it ends with
//! the hotlines and a QR code of the article's own address.

mod limits;
mod style;
mod writer;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::content::WechatText;
use crate::diagnostics::Diagnostic;
use crate::markdown::MarkdownContext;
use crate::source::SourceFile;
use crate::words::Words;
use limits::digest;
pub use limits::{DIGEST_MAX, TEXT_MAX, TITLE_MAX, head_warnings};

/// What the 正文 of every article of a site needs besides its Markdown.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Links, the base URL and the media index, as the site's pages use.
    pub markdown: MarkdownContext<'a>,
    /// The site's settings: its base URL and hotlines.
    pub config: &'a SiteConfig,
    /// The words the 正文 writes around the article's own.
    pub words: &'a Words,
    /// Site path of each article published on the 公众号 → its address
    /// there, so links to it stay links.
    pub published: &'a HashMap<String, String>,
    /// Site paths of the self-checks, whose links get a QR code.
    pub selfchecks: &'a HashSet<String>,
    /// Site path of each copied file → the file on disk, for image sizes.
    pub files: &'a HashMap<String, PathBuf>,
}

/// One article to write: its file, Markdown body and where it goes.
pub struct Source<'a> {
    /// The article's file.
    pub file: &'a SourceFile,
    /// Its Markdown body.
    pub body: &'a str,
    /// Where the body starts in the file.
    pub body_offset: usize,
    /// Its site path (`issues/3/sleep/`).
    pub page: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its summary, whole.
    pub summary: &'a str,
    /// Site path of its `cover`, if it has one.
    pub cover: Option<&'a str>,
}

/// Writes the 正文 of `source`, with the warnings its limits raise.
pub fn text(source: &Source<'_>, ctx: &Context<'_>) -> (WechatText, Vec<Diagnostic>) {
    let written = writer::write(source, ctx);
    let mut warnings = written.warnings;
    warnings.extend(limits::text_warnings(source, written.chars));
    let text = WechatText {
        fragment: written.html,
        chars: written.chars,
        digest: digest(source.summary),
        crop_from: source.cover.map(str::to_owned).or(written.first_image),
        selfchecks: written.selfchecks,
        svgs: written.svgs,
    };
    (text, warnings)
}
