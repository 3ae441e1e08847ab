//! Markdown → HTML: the CommonMark extensions editors use, link rewriting
//! and checking, heading ids, code highlighting, sanitising, and the plain
//! text of the first paragraph for summaries.

mod highlight;
mod links;
mod media;
mod reading;
mod sanitize;
mod summary;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

pub use links::{LinkIndex, LinkTarget, Resolved};
pub use summary::{is_cjk, summarize};

use crate::config::MarkdownOptions;
use crate::content::MediaUse;
use crate::diagnostics::Diagnostic;
use crate::media::MediaIndex;
use crate::source::SourceFile;
use crate::urls::BaseUrl;
use reading::ReadingLength;

/// What a Markdown body needs from the rest of the site.
#[derive(Clone, Copy)]
pub struct MarkdownContext<'a> {
    /// Every linkable source, for `.md` links and files beside pages.
    pub links: &'a LinkIndex,
    /// For root-relative links.
    pub base: &'a BaseUrl,
    /// The site's Markdown settings.
    pub options: MarkdownOptions,
    /// Published images and players, for image syntax that shows them.
    pub media: &'a MediaIndex,
}

/// A rendered Markdown body.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The HTML, sanitised unless the site opted out.
    pub html: String,
    /// The plain text of the first paragraph, the default summary.
    pub first_paragraph: String,
    /// Minutes a reader needs, counting Chinese by characters.
    pub reading_minutes: u32,
    /// Broken links and other problems found on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// Absolute URL of the first picture of the site's own that a chat app
    /// can show in a link's card (JPEG, PNG, WebP or GIF; not SVG).
    pub first_image: Option<String>,
    /// The audio and video lessons it shows.
    pub media: Vec<MediaUse>,
}

/// The Markdown editors write: CommonMark with tables, footnotes,
/// strikethrough, task lists and heading attributes. Every writer of a
/// body (the site's pages, the 公众号 正文) reads it with this parser.
pub fn parser(body: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(body, options)
}

/// Renders the Markdown `body`, which starts at byte `body_offset` of `file`.
pub fn render(
    file: &SourceFile,
    body: &str,
    body_offset: usize,
    ctx: MarkdownContext<'_>,
) -> Rendered {
    let mut walk = Walk::new(file, body, body_offset, ctx);
    for (event, range) in parser(body).into_offset_iter() {
        walk.event(event, range);
    }
    walk.finish()
}

/// One body's events as they are read: what is collected on the way (the
/// first paragraph, reading length, headings, problems) and the events
/// that will be written, rewritten where links, code and media need it.
struct Walk<'a> {
    links: LinkRewriter<'a>,
    events: Vec<Event<'a>>,
    /// A code block being read: its language and text so far.
    code: Option<(String, String)>,
    paragraph: FirstParagraph,
    reading: ReadingLength,
    /// Raw HTML being read (start offset in `body`, text), to report what
    /// the sanitiser will remove where the editor wrote it.
    raw_html: Option<(usize, String)>,
    removals: Vec<Diagnostic>,
    /// Each heading's level and where it is written, to check the outline.
    headings: Vec<(usize, Range<usize>)>,
    footnote_depth: usize,
    /// An image being read: where it is written and its alt text so far.
    image: Option<(Range<usize>, String)>,
    first_image: Option<String>,
    /// How deep Markdown containers and raw HTML elements nest here.
    depth: Depth,
    embeds: media::Embeds,
    /// The alt text of the image that just ended.
    last_alt: String,
}

impl<'a> Walk<'a> {
    fn new(
        file: &'a SourceFile,
        body: &'a str,
        body_offset: usize,
        ctx: MarkdownContext<'a>,
    ) -> Walk<'a> {
        let from_dir = file
            .rel_path
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let links = LinkRewriter {
            file,
            body,
            body_offset,
            page: ctx
                .links
                .page_of(&file.rel_path.to_string_lossy().replace('\\', "/"))
                .map(str::to_owned),
            from_dir,
            ctx,
            problems: Vec::new(),
        };
        Walk {
            links,
            events: Vec::new(),
            code: None,
            paragraph: FirstParagraph::default(),
            reading: ReadingLength::default(),
            raw_html: None,
            removals: Vec::new(),
            headings: Vec::new(),
            footnote_depth: 0,
            image: None,
            first_image: None,
            depth: Depth::default(),
            embeds: media::Embeds::default(),
            last_alt: String::new(),
        }
    }

    /// Takes the parser's next event, written at `range` of the body.
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            self.code_event(event);
            return;
        }
        self.track_depth(&event, &range);
        self.note(&event, &range);
        if !self.links.ctx.options.unsafe_html {
            self.inspect_html(&event, &range);
        }
        self.embeds.observe(&event);
        if self.embeds.swallows(&event) {
            return;
        }
        if let Some(event) = self.rewrite(event, range) {
            self.events.push(event);
        }
    }

    /// An event inside a code block: its text is kept for highlighting,
    /// and the block's end writes it.
    fn code_event(&mut self, event: Event<'a>) {
        let Some((lang, text)) = &mut self.code else {
            return;
        };
        match event {
            Event::Text(t) => {
                self.reading.push(&t);
                text.push_str(&t);
            }
            Event::End(TagEnd::CodeBlock) => {
                let highlight = self.links.ctx.options.highlight_code;
                let html = highlight::code_block(text, lang, highlight);
                self.events.push(Event::Html(html.into()));
                self.code = None;
            }
            _ => {}
        }
    }

    /// Counts how deep Markdown containers nest, and ends the reading
    /// length's block at each.
    fn track_depth(&mut self, event: &Event<'a>, range: &Range<usize>) {
        if matches!(event, Event::Start(_) | Event::End(_)) {
            self.reading.end_block();
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => {}
            Event::Start(_) => self.depth.markdown += 1,
            Event::End(_) => self.depth.markdown = self.depth.markdown.saturating_sub(1),
            _ => {}
        }
        let links = &self.links;
        self.depth.check(0, range, links.file, links.body_offset);
    }

    /// Notes what the page's summary, reading length, outline and alt-text
    /// check need from `event`.
    fn note(&mut self, event: &Event<'a>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => self.footnote_depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => self.footnote_depth -= 1,
            Event::Start(Tag::Paragraph) if self.footnote_depth == 0 => self.paragraph.enter(),
            Event::End(TagEnd::Paragraph) => self.paragraph.leave(),
            Event::Start(Tag::Image { .. }) => self.image = Some((range.clone(), String::new())),
            Event::Start(Tag::Heading { level, .. }) => {
                self.headings.push((*level as usize, range.clone()))
            }
            Event::End(TagEnd::Image) => self.end_alt(),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = &mut self.image {
                    alt.push_str(t);
                }
                self.paragraph.push_text(t);
                self.reading.push(t);
            }
            Event::SoftBreak | Event::HardBreak => self.paragraph.push_break(),
            _ => {}
        }
    }

    /// Keeps the alt text of the image that ends, warning when it is empty.
    fn end_alt(&mut self) {
        let Some((at, alt)) = self.image.take() else {
            return;
        };
        self.last_alt = alt;
        if self.last_alt.trim().is_empty() {
            let links = &mut self.links;
            let span = links.body_offset + at.start..links.body_offset + at.end;
            links.problems.push(
                links
                    .file
                    .warning(
                        span,
                        "this image has no alt text, so screen readers cannot describe it",
                    )
                    .with_help(
                        "write what the image shows between the brackets: ![说明文字](image.png)",
                    ),
            );
        }
    }

    /// Reads raw HTML for what the sanitiser will remove and how deep its
    /// elements nest.
    fn inspect_html(&mut self, event: &Event<'a>, range: &Range<usize>) {
        let (file, body_offset) = (self.links.file, self.links.body_offset);
        match event {
            Event::Start(Tag::HtmlBlock) => self.raw_html = Some((range.start, String::new())),
            Event::Html(t) => {
                if let Some((_, text)) = &mut self.raw_html {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((start, text)) = self.raw_html.take() {
                    let found = inspect_raw_html(&self.links, start, &text, &mut self.removals);
                    self.depth
                        .add_html(found, &(start..range.end), file, body_offset);
                }
            }
            Event::InlineHtml(t) => {
                let found = inspect_raw_html(&self.links, range.start, t, &mut self.removals);
                self.depth.add_html(found, range, file, body_offset);
            }
            _ => {}
        }
    }

    /// The event to write in place of `event`, if any: links rewritten,
    /// code blocks and media taken over.
    fn rewrite(&mut self, event: Event<'a>, range: Range<usize>) -> Option<Event<'a>> {
        Some(match event {
            Event::End(TagEnd::Image) => return self.image_end(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return None;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.links.rewrite(dest_url, range);
                if self.links.ctx.base.is_external(&dest_url) {
                    external_link_start(&dest_url, &title)
                } else {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.links.rewrite(dest_url, range.clone());
                if self.first_image.is_none() && is_card_picture(&dest_url) {
                    self.first_image = self.links.ctx.base.absolute_link(&dest_url);
                }
                if self
                    .embeds
                    .start(self.links.ctx.media, &dest_url, &title, range)
                {
                    return None;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        })
    }

    /// The end of an image: a media embed's markup goes out in its place
    /// (or its error is reported); a plain image just ends.
    fn image_end(&mut self) -> Option<Event<'a>> {
        match self.embeds.end(&self.last_alt, self.links.ctx.media) {
            Some(media::Embed::Events(markup)) => {
                self.events.extend(markup);
                None
            }
            Some(media::Embed::Broken { message, range }) => {
                self.links.report(
                    "",
                    range,
                    format!("this image cannot be published: {message}"),
                    "save the photo again from the phone or an editor as JPEG or PNG, and replace the file".into(),
                );
                None
            }
            None => Some(Event::End(TagEnd::Image)),
        }
    }

    /// The page body and everything found on the way.
    fn finish(self) -> Rendered {
        let Walk {
            mut links,
            mut events,
            paragraph,
            reading,
            removals,
            headings,
            first_image,
            depth,
            embeds,
            ..
        } = self;
        let (file, body_offset, ctx) = (links.file, links.body_offset, links.ctx);
        media::drop_empty_paragraphs(&mut events);
        demote_headings(&mut events);
        check_heading_order(&headings, file, body_offset, &mut links.problems);
        links.problems.extend(removals);
        let too_deep = depth.problem.is_some();
        links.problems.extend(depth.problem);
        assign_heading_ids(&mut events);
        let mut html = String::with_capacity(links.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let html = alignment_classes(html);
        Rendered {
            // Past the depth limit the page is not built (the error stops the
            // build), and the cleaner's parser would take quadratic time.
            html: if too_deep {
                String::new()
            } else if ctx.options.unsafe_html {
                html
            } else {
                sanitize::clean(&html)
            },
            first_paragraph: paragraph.text,
            reading_minutes: reading.minutes(),
            diagnostics: links.problems,
            first_image,
            media: embeds.uses,
        }
    }
}

/// Whether a chat app can show the picture at `link` in a link's card.
fn is_card_picture(link: &str) -> bool {
    let path = link.split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "webp" | "gif")
    )
}

/// Table column alignment as classes, not the `style` attributes the
/// Markdown writer emits: the pages' Content-Security-Policy allows no
/// inline styles.
fn alignment_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    let mut html = html;
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            html = html.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
    html
}

/// The opening tag of a link to another site: no `window.opener` for it
/// and no referrer sent, whatever the reader's browser defaults to. The
/// closing `</a>` comes from the link's end event as usual.
fn external_link_start(href: &str, title: &str) -> Event<'static> {
    let mut tag = String::from("<a href=\"");
    pulldown_cmark_escape::escape_href(&mut tag, href).expect("writing to a String cannot fail");
    tag.push('"');
    if !title.is_empty() {
        tag.push_str(" title=\"");
        pulldown_cmark_escape::escape_html(&mut tag, title)
            .expect("writing to a String cannot fail");
        tag.push('"');
    }
    tag.push_str(" rel=\"noopener noreferrer\">");
    Event::InlineHtml(tag.into())
}

/// Rendered bodies kept between builds by `serve`: a file whose text, and
/// the site's link targets, are unchanged is not rendered again.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    entries: Mutex<HashMap<PathBuf, (u64, Rendered)>>,
}

impl MarkdownCache {
    /// Renders like [`render`], reusing the last result for `file` when its
    /// body and `links_fingerprint` (from [`LinkIndex::fingerprint`]) match.
    pub fn render(
        &self,
        file: &SourceFile,
        body: &str,
        body_offset: usize,
        ctx: MarkdownContext<'_>,
        links_fingerprint: u64,
    ) -> Rendered {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (
            file.text.as_str(),
            body_offset,
            links_fingerprint,
            ctx.options.unsafe_html,
            ctx.options.highlight_code,
            ctx.base.as_str(),
        )
            .hash(&mut hasher);
        let key = hasher.finish();
        if let Some((k, rendered)) = self.lock().get(&file.rel_path)
            && *k == key
        {
            return rendered.clone();
        }
        let rendered = render(file, body, body_offset, ctx);
        self.lock()
            .insert(file.rel_path.clone(), (key, rendered.clone()));
        rendered
    }

    /// The entries, even after a panic elsewhere poisoned the lock: each
    /// entry is inserted whole.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (u64, Rendered)>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Rewrites link destinations of one body, recording each problem against
/// the place the destination is written.
struct LinkRewriter<'a> {
    file: &'a SourceFile,
    body: &'a str,
    body_offset: usize,
    from_dir: String,
    /// The site path of the page this file becomes, if it is a page.
    page: Option<String>,
    ctx: MarkdownContext<'a>,
    problems: Vec<Diagnostic>,
}

impl LinkRewriter<'_> {
    fn rewrite<'e>(&mut self, dest: CowStr<'e>, range: std::ops::Range<usize>) -> CowStr<'e> {
        let page = self.page.as_deref();
        match self
            .ctx
            .links
            .resolve(&dest, &self.from_dir, page, self.ctx.base)
        {
            Resolved::Keep => dest,
            Resolved::Rewrite(url) => url.into(),
            Resolved::Error { message, help } => {
                self.report(&dest, range, message, help);
                dest
            }
        }
    }

    /// Records an error for the link at `range` of the body, pointing at
    /// `written` inside `[text](dest)` when it is there, else (a
    /// reference-style link) at the whole link.
    fn report(
        &mut self,
        written: &str,
        range: std::ops::Range<usize>,
        message: String,
        help: String,
    ) {
        let start = self.body_offset + range.start;
        let span = match self.body[range.clone()]
            .find(written)
            .filter(|_| !written.is_empty())
        {
            Some(i) => start + i..start + i + written.len(),
            None => start..self.body_offset + range.end,
        };
        self.problems
            .push(self.file.error(span, message).with_help(help));
    }
}

/// Collects the plain text of the first top-level paragraph.
#[derive(Default)]
struct FirstParagraph {
    text: String,
    inside: bool,
    done: bool,
    pending_break: bool,
}

impl FirstParagraph {
    fn enter(&mut self) {
        self.inside = !self.done;
    }

    fn leave(&mut self) {
        if self.inside {
            self.inside = false;
            self.done = !self.text.trim().is_empty();
        }
    }

    fn push_text(&mut self, text: &str) {
        if !self.inside {
            return;
        }
        // A line break inside a paragraph is a space between Latin words but
        // nothing between Chinese characters.
        if self.pending_break {
            let joins_cjk = self.text.chars().last().is_some_and(summary::is_cjk)
                || text.chars().next().is_some_and(summary::is_cjk);
            if !joins_cjk {
                self.text.push(' ');
            }
            self.pending_break = false;
        }
        self.text.push_str(text);
    }

    fn push_break(&mut self) {
        self.pending_break = self.inside;
    }
}

/// The page's title is its only `h1`, so a body that uses `#` headings is
/// shifted down a level as a whole, keeping its own outline; a body that
/// starts at `##` is left as written.
fn demote_headings(events: &mut [Event<'_>]) {
    use pulldown_cmark::HeadingLevel::{self, *};
    let has_h1 = events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Heading { level: H1, .. })));
    if !has_h1 {
        return;
    }
    let down = |l: HeadingLevel| match l {
        H1 => H2,
        H2 => H3,
        H3 => H4,
        H4 => H5,
        H5 | H6 => H6,
    };
    for e in events {
        match e {
            Event::Start(Tag::Heading { level, .. }) => *level = down(*level),
            Event::End(TagEnd::Heading(level)) => *level = down(*level),
            _ => {}
        }
    }
}

/// How deeply an article may nest quotes, lists and HTML elements. Nobody
/// writes more on purpose (browsers stop at 512); deeper text is pasted by
/// mistake, and the HTML cleaner's parser slows quadratically with depth.
const MAX_DEPTH: usize = 100;

/// How deep the body nests so far, and the error once it is too deep.
#[derive(Default)]
struct Depth {
    markdown: usize,
    html: usize,
    problem: Option<Diagnostic>,
}

impl Depth {
    /// Adds a raw HTML fragment's elements, written at `range` of the body.
    fn add_html(
        &mut self,
        found: sanitize::Inspection,
        range: &std::ops::Range<usize>,
        file: &SourceFile,
        body_offset: usize,
    ) {
        self.check(found.peak_depth, range, file, body_offset);
        self.html = self.html.saturating_add_signed(found.net_depth);
    }

    /// Records the error at `range` if `extra` more levels than now would
    /// pass [`MAX_DEPTH`]; only the first place is reported.
    fn check(
        &mut self,
        extra: usize,
        range: &std::ops::Range<usize>,
        file: &SourceFile,
        body_offset: usize,
    ) {
        let depth = self.markdown + self.html + extra;
        if depth <= MAX_DEPTH || self.problem.is_some() {
            return;
        }
        let at = body_offset + range.start;
        self.problem = Some(
            file.error(
                at..at + 1,
                format!("quotes, lists or HTML tags are nested more than {MAX_DEPTH} levels deep here"),
            )
            .with_help("this is usually text pasted by mistake: remove the extra `>`, list markers or tags"),
        );
    }
}

/// Warns of each thing the sanitiser will remove from the raw HTML `text`,
/// which starts at byte `start` of the body, on the line it is written, and
/// returns what the fragment does to the nesting depth.
fn inspect_raw_html(
    links: &LinkRewriter<'_>,
    start: usize,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> sanitize::Inspection {
    if !text.contains('<') {
        return sanitize::Inspection::default();
    }
    let found = sanitize::inspect(text);
    for removal in &found.removals {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(removal.line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line_len = text[line_start..]
            .find('\n')
            .unwrap_or(text.len() - line_start);
        let from = links.body_offset + start + line_start;
        out.push(
            links
                .file
                .warning(from..from + line_len, removal.message.clone())
                .with_help("delete it from the article: it is left out of the page on every build"),
        );
    }
    found
}

/// Warns where a heading skips a level (`##` then `####`): screen-reader
/// users move by headings, and a gap reads as a missing section. Levels
/// are compared as rendered, under the page title's `h1`.
fn check_heading_order(
    headings: &[(usize, std::ops::Range<usize>)],
    file: &SourceFile,
    body_offset: usize,
    problems: &mut Vec<Diagnostic>,
) {
    let shift = usize::from(headings.iter().any(|(level, _)| *level == 1));
    let mut previous = 1;
    for (level, range) in headings {
        let level = (level + shift).min(6);
        if level > previous + 1 {
            let span = body_offset + range.start..body_offset + range.end;
            problems.push(
                file.warning(
                    span,
                    format!("this heading jumps from level {previous} to level {level}"),
                )
                .with_help(format!(
                    "use {} here, or add the heading this one belongs under",
                    "#".repeat(previous + 1 - shift)
                )),
            );
        }
        previous = level;
    }
}

/// Gives every heading an id for links to its section: the editor's own
/// `{#id}`, or one made from the heading's text, unique within the page.
fn assign_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let stem = heading_id(&text);
            let mut id = stem.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                id = format!("{stem}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(id.into());
            }
        }
        i += 1;
    }
}

/// Lowercase letters and digits of any script, words joined by `-`.
fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.is_empty()
            && !id.ends_with('-')
        {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "section".to_owned()
    } else {
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str, unsafe_html: bool) -> Rendered {
        let file = SourceFile::new(
            "issues/001/01-a.md",
            format!("+++\ntitle = \"t\"\n+++\n{text}"),
        );
        let fm = file.split_front_matter().unwrap();
        let mut links = LinkIndex::default();
        links.insert(
            "content/hotlines.md".into(),
            LinkTarget::Page("hotlines/".into()),
        );
        let base = BaseUrl::parse("https://e.org/w/").unwrap();
        let media = crate::media::MediaIndex::default();
        let ctx = MarkdownContext {
            links: &links,
            base: &base,
            options: MarkdownOptions {
                unsafe_html,
                highlight_code: true,
            },
            media: &media,
        };
        render(&file, fm.body, fm.body_offset, ctx)
    }

    #[test]
    fn extensions_are_on() {
        let r = md(
            "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nnote[^1]\n\n[^1]: foot\n",
            false,
        );
        for part in [
            "<table>",
            "<del>x</del>",
            "type=\"checkbox\"",
            "footnote-definition",
            "<td class=\"align-center\">2</td>",
        ] {
            assert!(r.html.contains(part), "{part} missing in {}", r.html);
        }
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn only_links_to_other_sites_get_rel() {
        let r = md(
            "[外](https://other.org/a?b=1&c=2 \"标题\") [内](https://e.org/w/about/) [电](tel:12356)\n",
            false,
        );
        assert!(
            r.html.contains(
                r#"<a href="https://other.org/a?b=1&amp;c=2" title="标题" rel="noopener noreferrer">外</a>"#
            ),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("rel=").count(), 1, "{}", r.html);
        // The same without the sanitiser.
        let raw = md("[外](https://other.org/)\n", true);
        assert!(
            raw.html.contains(r#"rel="noopener noreferrer""#),
            "{}",
            raw.html
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = md("## 睡前 放松\n\n## 睡前 放松\n\n## Custom {#mine}\n", false);
        assert!(r.html.contains(r#"<h2 id="睡前-放松">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="睡前-放松-1">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="mine">"#), "{}", r.html);
    }

    #[test]
    fn links_are_rewritten_and_broken_ones_reported_with_line() {
        let r = md(
            "见[热线](/content/hotlines.md)。\n\n再见[别处](nothing.md)\n",
            false,
        );
        assert!(r.html.contains(r#"href="/w/hotlines/""#), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        let loc = r.diagnostics[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.col, loc.width), (6, 8, 10));
    }

    #[test]
    fn first_paragraph_joins_cjk_lines_without_spaces() {
        let r = md("# 标题\n\n第一行\n第二行 with\nwords\n\n第二段\n", false);
        assert_eq!(r.first_paragraph, "第一行第二行 with words");
    }

    #[test]
    fn raw_html_is_sanitised_unless_opted_out() {
        let text = "<script>alert(1)</script>\n\n<a href=\"javascript:x\" onclick=\"y\">z</a>\n";
        let safe = md(text, false);
        assert!(
            !safe.html.contains("<script")
                && !safe.html.contains("onclick")
                && !safe.html.contains("javascript:"),
            "{}",
            safe.html
        );
        assert!(md(text, true).html.contains("<script>"));
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let r = md("```rust\nfn main() {}\n```\n", false);
        assert!(r.html.contains("hl-"), "{}", r.html);
    }
}
