//! The 正文 writer: Markdown events in, the 公众号 editor's HTML out. Only
//! the tags the editor keeps are written, each with its inline style.

use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{Context, Source, limits, style};
use crate::diagnostics::Diagnostic;
use crate::html::escape;
use crate::markdown::{Resolved, is_cjk, parser};
use crate::media::MediaInfo;
use crate::words::Word;

/// Where every link that stays a link must lead.
const WECHAT_ORIGIN: &str = "https://mp.weixin.qq.com/";

/// A written 正文 and what was found on the way.
pub struct Written {
    /// The fragment.
    pub html: String,
    /// Characters of its text, all of it.
    pub chars: usize,
    /// Site path of the body's first image of the site's own.
    pub first_image: Option<String>,
    /// Site paths of the self-checks it links.
    pub selfchecks: Vec<String>,
    /// Site paths of the SVG drawings it shows (as PNG).
    pub svgs: Vec<String>,
    /// Images the 公众号 would refuse.
    pub warnings: Vec<Diagnostic>,
}

/// What a link's end writes.
enum LinkEnd {
    /// `</a>`: a link to a 公众号 article.
    Anchor,
    /// `<sup>[n]</sup>`: reference `n` of the closing list.
    Reference(usize),
    /// Nothing: a link within the page.
    Nothing,
}

/// An image being read: its destination, title, alt text and place.
struct Image {
    dest: String,
    title: String,
    alt: String,
    range: Range<usize>,
}

struct Writer<'a, 'c> {
    source: &'a Source<'a>,
    ctx: &'a Context<'c>,
    from_dir: String,
    out: String,
    /// Distinct absolute addresses, numbered from 1 by their place.
    references: Vec<String>,
    links: Vec<LinkEnd>,
    /// Each open list: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    image: Option<Image>,
    code: Option<String>,
    /// How far headings move so the highest is `h2`.
    heading_shift: i32,
    in_table_head: bool,
    /// How deep block elements nest, so QR codes follow a whole block.
    depth: usize,
    in_footnote: bool,
    /// Whether a `<p>` this writer opened is open now.
    in_paragraph: bool,
    /// Blocks met inside a heading, written after it.
    after_heading: Option<Vec<String>>,
    pending_break: bool,
    pending_qr: Vec<String>,
    written: Written,
}

/// Writes the 正文 of `source`.
pub fn write(source: &Source<'_>, ctx: &Context<'_>) -> Written {
    let from_dir = source
        .file
        .rel_path
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let mut w = Writer {
        source,
        ctx,
        from_dir,
        out: String::with_capacity(source.body.len() * 3),
        references: Vec::new(),
        links: Vec::new(),
        lists: Vec::new(),
        image: None,
        code: None,
        heading_shift: heading_shift(source.body),
        in_table_head: false,
        depth: 0,
        in_footnote: false,
        in_paragraph: false,
        after_heading: None,
        pending_break: false,
        pending_qr: Vec::new(),
        written: Written {
            html: String::new(),
            chars: 0,
            first_image: None,
            selfchecks: Vec::new(),
            svgs: Vec::new(),
            warnings: Vec::new(),
        },
    };
    let _ = write!(w.out, "<section style=\"{}\">", style::ROOT);
    for (event, range) in parser(source.body).into_offset_iter() {
        w.event(event, range);
    }
    w.finish()
}

/// How far to move headings so the body's highest is written as `h2`.
fn heading_shift(body: &str) -> i32 {
    let highest = parser(body)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as i32),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    2 - highest
}

impl Writer<'_, '_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Some(image) = &mut self.image {
            match event {
                Event::End(TagEnd::Image) => self.image_end(),
                Event::Text(t) | Event::Code(t) => image.alt.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::End(TagEnd::CodeBlock) => self.code_end(),
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let _ = write!(self.out, "<code style=\"{}\">", style::CODE);
                self.text(&t);
                self.out.push_str("</code>");
            }
            Event::SoftBreak => self.pending_break = true,
            Event::HardBreak => self.out.push_str("<br>"),
            Event::Rule => {
                let _ = write!(self.out, "<hr style=\"{}\">", style::HR);
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::FootnoteReference(label) => {
                let _ = write!(
                    self.out,
                    "<sup style=\"{}\">[注{}]</sup>",
                    style::SUP,
                    escape(&label)
                );
            }
            // Raw HTML is left out (the site's own page shows it); a line
            // break written as HTML stays one.
            Event::Html(t) | Event::InlineHtml(t) => {
                let tag = t.trim().to_ascii_lowercase();
                if matches!(tag.as_str(), "<br>" | "<br/>" | "<br />") {
                    self.out.push_str("<br>");
                }
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        if is_block(&tag) {
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph => self.paragraph_start(),
            Tag::Heading { level, .. } => {
                let n = self.heading_level(level);
                let _ = write!(self.out, "<h{n} style=\"{}\">", style::H[n - 2]);
                self.after_heading = Some(Vec::new());
            }
            Tag::BlockQuote(_) => {
                let _ = write!(self.out, "<blockquote style=\"{}\">", style::BLOCKQUOTE);
            }
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::List(first) => self.list_start(first),
            Tag::Item => self.item_start(),
            Tag::FootnoteDefinition(label) => {
                self.in_footnote = true;
                let _ = write!(
                    self.out,
                    "<p style=\"{}\">注{}：",
                    style::NOTE,
                    escape(&label)
                );
            }
            Tag::Table(_) => {
                let _ = write!(self.out, "<table style=\"{}\">", style::TABLE);
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.out.push_str("<thead><tr>");
            }
            Tag::TableRow => self.out.push_str("<tr>"),
            Tag::TableCell => {
                let (tag, css) = if self.in_table_head {
                    ("th", style::TH)
                } else {
                    ("td", style::TD)
                };
                let _ = write!(self.out, "<{tag} style=\"{css}\">");
            }
            Tag::Emphasis => {
                let _ = write!(self.out, "<em style=\"{}\">", style::EM);
            }
            Tag::Strong => {
                let _ = write!(self.out, "<strong style=\"{}\">", style::STRONG);
            }
            Tag::Strikethrough => {
                let _ = write!(self.out, "<span style=\"{}\">", style::STRIKE);
            }
            Tag::Link { dest_url, .. } => self.link_start(&dest_url),
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some(Image {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    range,
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.paragraph_end(),
            TagEnd::Heading(level) => {
                let n = self.heading_level(level);
                let _ = write!(self.out, "</h{n}>");
                for html in self.after_heading.take().unwrap_or_default() {
                    self.out.push_str(&html);
                }
            }
            TagEnd::BlockQuote(_) => self.out.push_str("</blockquote>"),
            TagEnd::List(ordered) => {
                self.lists.pop();
                if self.lists.len() < 2 {
                    self.out.push_str(if ordered { "</ol>" } else { "</ul>" });
                }
            }
            TagEnd::Item if self.lists.len() <= 2 => self.out.push_str("</li>"),
            TagEnd::FootnoteDefinition => {
                self.in_footnote = false;
                self.out.push_str("</p>");
            }
            TagEnd::Table => self.out.push_str("</tbody></table>"),
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.out.push_str("</tr></thead><tbody>");
            }
            TagEnd::TableRow => self.out.push_str("</tr>"),
            TagEnd::TableCell => {
                self.out
                    .push_str(if self.in_table_head { "</th>" } else { "</td>" })
            }
            TagEnd::Emphasis => self.out.push_str("</em>"),
            TagEnd::Strong => self.out.push_str("</strong>"),
            TagEnd::Strikethrough => self.out.push_str("</span>"),
            TagEnd::Link => self.link_end(),
            _ => {}
        }
        if is_block_end(&tag) {
            self.depth = self.depth.saturating_sub(1);
            if self.depth == 0 {
                self.flush_qr();
            }
        }
    }

    /// A heading's level in the 正文: 2 to 4.
    fn heading_level(&self, level: HeadingLevel) -> usize {
        (level as i32 + self.heading_shift).clamp(2, 4) as usize
    }

    fn paragraph_start(&mut self) {
        // Inside a footnote, or a list item past the second level, the
        // text runs on in the element already open.
        if self.in_footnote || self.lists.len() > 2 {
            return;
        }
        let _ = write!(self.out, "<p style=\"{}\">", style::P);
        self.in_paragraph = true;
    }

    fn paragraph_end(&mut self) {
        self.pending_break = false;
        if self.in_footnote {
            self.out.push_str("<br>");
        } else if std::mem::take(&mut self.in_paragraph) {
            self.out.push_str("</p>");
        }
    }

    fn list_start(&mut self, first: Option<u64>) {
        if self.lists.len() < 2 {
            let tag = if first.is_some() { "ol" } else { "ul" };
            let start = first
                .filter(|n| *n != 1)
                .map(|n| format!(" start=\"{n}\""))
                .unwrap_or_default();
            let _ = write!(self.out, "<{tag}{start} style=\"{}\">", style::LIST);
        }
        self.lists.push(first);
    }

    /// An item: `<li>` on the first two levels; deeper, the 公众号 editor
    /// breaks the list, so the item is a line of its parent's item, indented
    /// by ideographic spaces and marked by hand.
    fn item_start(&mut self) {
        let depth = self.lists.len();
        if depth <= 2 {
            let _ = write!(self.out, "<li style=\"{}\">", style::LI);
            return;
        }
        let marker = match self.lists.last_mut() {
            Some(Some(n)) => {
                *n += 1;
                format!("{}. ", *n - 1)
            }
            _ => "· ".to_owned(),
        };
        self.out.push_str("<br>");
        self.out.push_str(&"\u{3000}".repeat(depth - 2));
        self.text(&marker);
    }

    fn text(&mut self, text: &str) {
        if std::mem::take(&mut self.pending_break) {
            let joins_cjk =
                self.last_char().is_some_and(is_cjk) || text.chars().next().is_some_and(is_cjk);
            if !joins_cjk {
                self.out.push(' ');
            }
        }
        self.out.push_str(&escape(text));
    }

    /// The last character of text written, if the last thing written is text.
    fn last_char(&self) -> Option<char> {
        self.out.chars().last().filter(|c| *c != '>')
    }

    /// A code block: its indentation and runs of spaces as no-break spaces,
    /// its line breaks as `<br>`, since the 公众号 editor collapses both.
    fn code_end(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let _ = write!(
            self.out,
            "<pre style=\"{}\"><code style=\"{}\">",
            style::PRE,
            style::CODE
        );
        let lines: Vec<String> = code.trim_end_matches('\n').lines().map(code_line).collect();
        self.out.push_str(&lines.join("<br>"));
        self.out.push_str("</code></pre>");
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.flush_qr();
        }
    }

    fn link_start(&mut self, dest: &str) {
        let end = match self.resolve(dest) {
            Target::Wechat(url) => {
                let _ = write!(
                    self.out,
                    "<a href=\"{}\" style=\"{}\">",
                    escape(&url),
                    style::A
                );
                LinkEnd::Anchor
            }
            Target::Elsewhere(url) => LinkEnd::Reference(self.reference(url)),
            Target::SelfCheck(path, url) => {
                if !self.pending_qr.contains(&path) {
                    self.pending_qr.push(path.clone());
                }
                if !self.written.selfchecks.contains(&path) {
                    self.written.selfchecks.push(path);
                }
                LinkEnd::Reference(self.reference(url))
            }
            Target::InPage => LinkEnd::Nothing,
        };
        self.links.push(end);
    }

    fn link_end(&mut self) {
        match self.links.pop() {
            Some(LinkEnd::Anchor) => self.out.push_str("</a>"),
            Some(LinkEnd::Reference(n)) => {
                let _ = write!(self.out, "<sup style=\"{}\">[{n}]</sup>", style::SUP);
            }
            Some(LinkEnd::Nothing) | None => {}
        }
    }

    /// The number of reference `url`, added when it is new.
    fn reference(&mut self, url: String) -> usize {
        match self.references.iter().position(|r| *r == url) {
            Some(i) => i + 1,
            None => {
                self.references.push(url);
                self.references.len()
            }
        }
    }

    /// Where a link written as `dest` leads, for a reader of the 公众号.
    fn resolve(&self, dest: &str) -> Target {
        let ctx = &self.ctx.markdown;
        let base = ctx.base;
        let link = match ctx
            .links
            .resolve(dest, &self.from_dir, Some(self.source.page), base)
        {
            Resolved::Keep if dest.starts_with('#') || dest.is_empty() => return Target::InPage,
            Resolved::Keep | Resolved::Error { .. } => dest.to_owned(),
            Resolved::Rewrite(link) => link,
        };
        let Some(absolute) = base.absolute_link(&link) else {
            return if link.starts_with(WECHAT_ORIGIN) {
                Target::Wechat(link)
            } else {
                Target::Elsewhere(link)
            };
        };
        let site_path = absolute[base.as_str().len()..].to_owned();
        let page = site_path
            .split(['#', '?'])
            .next()
            .unwrap_or_default()
            .to_owned();
        if let Some(url) = self.ctx.published.get(&page) {
            return Target::Wechat(url.clone());
        }
        if self.ctx.selfchecks.contains(&page) {
            return Target::SelfCheck(page, absolute);
        }
        Target::Elsewhere(absolute)
    }

    fn image_end(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        let ctx = &self.ctx.markdown;
        let link = match ctx.links.resolve(
            &image.dest,
            &self.from_dir,
            Some(self.source.page),
            ctx.base,
        ) {
            Resolved::Rewrite(link) => link,
            Resolved::Keep
                if image.dest.starts_with("https://") || image.dest.starts_with("http://") =>
            {
                self.img(&image.dest, &image.alt);
                return;
            }
            Resolved::Keep | Resolved::Error { .. } => return,
        };
        let bare = link.split(['#', '?']).next().unwrap_or_default();
        match ctx.media.get(bare) {
            Some(MediaInfo::Image(info)) => {
                let url = &info.variants[0].url;
                self.local_image(url, &image);
            }
            Some(MediaInfo::Player(player)) => {
                let title = if image.alt.trim().is_empty() {
                    &image.title
                } else {
                    &image.alt
                };
                let url = ctx
                    .base
                    .absolute_link(&player.url)
                    .unwrap_or_else(|| player.url.clone());
                let words = self.ctx.words;
                let kind = words.get(player.kind.word());
                let note = words.fill(
                    Word::WechatMediaNote,
                    &[("kind", kind), ("title", title), ("url", &url)],
                );
                self.block(&format!(
                    "<p style=\"{}\">{}</p>",
                    style::NOTE,
                    escape(&note)
                ));
            }
            Some(MediaInfo::Broken(_)) => {}
            None => self.local_image(bare, &image),
        }
    }

    /// An image of the site's own at `link`: its absolute address, the
    /// first noted for the cover crops, its size checked.
    fn local_image(&mut self, link: &str, image: &Image) {
        let base = self.ctx.markdown.base;
        let Some(absolute) = base.absolute_link(link) else {
            return;
        };
        let site_path = absolute[base.as_str().len()..].to_owned();
        let decoded = percent_encoding::percent_decode_str(&site_path)
            .decode_utf8_lossy()
            .into_owned();
        if let Some(file) = self.ctx.files.get(&decoded) {
            let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
            let at = self.source.body_offset + image.range.start
                ..self.source.body_offset + image.range.end;
            self.written
                .warnings
                .extend(limits::image_warning(self.source.file, at, bytes));
        }
        if decoded.to_ascii_lowercase().ends_with(".svg") {
            // The 公众号 takes no SVG: the drawing is published as PNG.
            let png = base.absolute(&crate::paths::wechat_png(&decoded));
            if !self.written.svgs.contains(&decoded) {
                self.written.svgs.push(decoded);
            }
            self.img(&png, &image.alt);
            return;
        }
        if self.written.first_image.is_none() && is_croppable(&decoded) {
            self.written.first_image = Some(decoded);
        }
        self.img(&absolute, &image.alt);
    }

    fn img(&mut self, src: &str, alt: &str) {
        let _ = write!(
            self.out,
            "<img src=\"{}\" alt=\"{}\" style=\"{}\">",
            escape(src),
            escape(alt),
            style::IMG
        );
    }

    /// Writes `html`, a block, where the text is: a paragraph open around
    /// it is closed before it and opened again after it; in a heading, it
    /// follows the heading.
    fn block(&mut self, html: &str) {
        if let Some(after) = &mut self.after_heading {
            after.push(html.to_owned());
            return;
        }
        if !self.in_paragraph {
            self.out.push_str(html);
            return;
        }
        let open = format!("<p style=\"{}\">", style::P);
        if self.out.ends_with(&open) {
            self.out.truncate(self.out.len() - open.len());
        } else {
            self.out.push_str("</p>");
        }
        self.out.push_str(html);
        self.out.push_str(&open);
    }

    /// The QR codes of the self-checks the block just ended links.
    fn flush_qr(&mut self) {
        for path in std::mem::take(&mut self.pending_qr) {
            let base = self.ctx.markdown.base;
            let src = base.absolute(&crate::paths::wechat_qr(&path));
            let _ = write!(
                self.out,
                "<img src=\"{}\" alt=\"\" style=\"{}\">",
                escape(&src),
                style::QR_IMG
            );
            let title = base.absolute(&path);
            let caption = self.ctx.words.fill(Word::WechatScan, &[("title", &title)]);
            let _ = write!(
                self.out,
                "<p style=\"{}\">{}</p>",
                style::CAPTION,
                escape(&caption)
            );
        }
    }

    /// The references, the hotlines and the article's own QR code.
    fn finish(mut self) -> Written {
        self.flush_qr();
        let words = self.ctx.words;
        if !self.references.is_empty() {
            let _ = write!(
                self.out,
                "<p style=\"{}\">{}</p>",
                style::REFS_HEAD,
                escape(words.get(Word::WechatReferences))
            );
            for (i, url) in self.references.iter().enumerate() {
                let _ = write!(
                    self.out,
                    "<p style=\"{}\">[{}] {}</p>",
                    style::REF,
                    i + 1,
                    escape(url)
                );
            }
        }
        self.help();
        self.out.push_str("</section>");
        self.out = self
            .out
            .replace(&format!("<p style=\"{}\"></p>", style::P), "");
        self.written.chars = text_chars(&self.out);
        self.written.html = self.out;
        self.written
    }

    /// The closing box: the hotlines as text and a QR code of the
    /// article's address.
    fn help(&mut self) {
        let config = self.ctx.config;
        let words = self.ctx.words;
        let _ = write!(self.out, "<section style=\"{}\">", style::HELP);
        if !config.hotlines.is_empty() {
            let _ = write!(
                self.out,
                "<p style=\"{}\"><strong style=\"{}\">{}</strong>",
                style::P,
                style::STRONG,
                escape(words.get(Word::WechatHelp))
            );
            for h in &config.hotlines {
                let hours = if h.hours.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", h.hours)
                };
                let _ = write!(
                    self.out,
                    "<br>{} {}{}",
                    escape(&h.name),
                    escape(&h.number),
                    escape(&hours)
                );
            }
            self.out.push_str("</p>");
        }
        let base = &config.base_url;
        let src = base.absolute(&crate::paths::wechat_qr(self.source.page));
        let _ = write!(
            self.out,
            "<img src=\"{}\" alt=\"\" style=\"{}\">",
            escape(&src),
            style::QR_IMG
        );
        let read = words.fill(Word::WechatReadOnline, &[("site", &config.title)]);
        let _ = write!(
            self.out,
            "<p style=\"{}\">{}</p></section>",
            style::CAPTION,
            escape(&read)
        );
    }
}

/// Where a link leads, for a reader of the 公众号.
enum Target {
    /// A 公众号 article: stays a link.
    Wechat(String),
    /// A self-check of the site (site path, address): a reference and a
    /// QR code.
    SelfCheck(String, String),
    /// Anywhere else, by absolute address: a reference.
    Elsewhere(String),
    /// A place in the same page: the text alone.
    InPage,
}

/// The characters of text in `html` as the 公众号 editor counts them: all
/// of it, the references and the closing box too; a character reference
/// (`&amp;`, `&nbsp;`) is one character, tags none.
fn text_chars(html: &str) -> usize {
    let (mut count, mut in_tag, mut in_ref) = (0, false, false);
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                in_ref = true;
                count += 1;
            }
            ';' if in_ref => in_ref = false,
            _ if in_ref => {}
            _ => count += 1,
        }
    }
    count
}

/// Whether the cover crops can be made from the image at `path`.
fn is_croppable(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e))
}

/// A line of code with its indentation and runs of spaces kept.
fn code_line(line: &str) -> String {
    let line = line.replace('\t', "    ");
    let mut out = String::with_capacity(line.len() * 2);
    let mut prev_space = true; // at the start, every space is indentation
    for c in line.chars() {
        match c {
            ' ' if prev_space => out.push_str("&nbsp;"),
            ' ' => {
                out.push(' ');
                prev_space = true;
                continue;
            }
            _ => {
                out.push_str(&escape(&c.to_string()));
            }
        }
        prev_space = c == ' ';
    }
    out
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::HtmlBlock
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::HtmlBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_counted_as_the_editor_counts_it() {
        assert_eq!(text_chars("<p style=\"a:b\">两个&amp;<br>x&nbsp;y</p>"), 6);
    }

    #[test]
    fn code_keeps_indentation_and_runs_of_spaces() {
        assert_eq!(
            code_line("    a  b <c>"),
            "&nbsp;&nbsp;&nbsp;&nbsp;a &nbsp;b &lt;c&gt;"
        );
        assert_eq!(code_line("\tx"), "&nbsp;&nbsp;&nbsp;&nbsp;x");
    }
}
