//! The plain text of an article's HTML, as a reader sees it: tags dropped,
//! character references decoded, one line per block so that text from two
//! paragraphs never runs together into a match that is not on the page.
//!
//! Articles' HTML is written by html5ever's serializer (the cleaner's) or
//! by the Markdown writer: tags with quoted attributes and a handful of
//! escapes. [`serialized`] reads exactly that, about four times faster
//! than a tokenizer on the benchmark corpus's pages; anything else (an
//! editor's raw HTML on a site that does not clean it, say) goes to
//! html5ever's tokenizer, which reads every HTML there is.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The text of the HTML fragment `html`: blocks on their own lines, runs of
/// white space inside a block as one space.
pub fn text_of(html: &str) -> String {
    serialized(html).unwrap_or_else(|| lines_of(&tokenized(html)))
}

/// `raw` with its lines' words joined by one space, its lines by one line
/// break, and no empty line.
fn lines_of(raw: &str) -> String {
    let mut lines = Lines::default();
    lines.read(raw, true, false);
    lines.text
}

/// Text gathered a run at a time into lines of words: white space is only
/// owed until the next word, so none is kept at a line's ends, and a line
/// break owed with a space is a line break.
#[derive(Default)]
struct Lines {
    text: String,
    owed: Owed,
}

/// What goes before the next word (unless it is the first).
#[derive(Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Owed {
    #[default]
    Nothing,
    Space,
    Break,
}

/// What a byte of UTF-8 text is to [`Lines::read`]: most are part of a
/// word.
const WORD: u8 = 0;
/// ASCII white space.
const SPACE: u8 = 1;
/// The first byte of a character that may be white space (U+0085, U+00A0,
/// U+1680, U+2000 to U+205F, U+3000): the character is looked at.
const MAYBE_SPACE: u8 = 2;
/// `<`, `&`, a carriage return or NUL: where serialized HTML's text stops.
const MARKUP: u8 = 3;

/// The class of each byte: one table lookup a byte, and Chinese text,
/// whose characters start with other bytes, is read without decoding it.
static CLASS: [u8; 256] = {
    let mut class = [WORD; 256];
    let mut b = 0x09;
    while b <= 0x0D {
        class[b] = SPACE;
        b += 1;
    }
    class[b' ' as usize] = SPACE;
    class[0xC2] = MAYBE_SPACE;
    class[0xE1] = MAYBE_SPACE;
    class[0xE2] = MAYBE_SPACE;
    class[0xE3] = MAYBE_SPACE;
    class[b'<' as usize] = MARKUP;
    class[b'&' as usize] = MARKUP;
    class[b'\r' as usize] = MARKUP;
    class[0] = MARKUP;
    class
};

impl Lines {
    /// Adds the text of `run`, up to its first byte of markup (`<`, `&`,
    /// carriage return, NUL) when `markup` is set, else all of it (a
    /// carriage return then being white space), and returns how much of
    /// `run` it read. Line breaks count as breaks `in_pre` and as spaces
    /// elsewhere (a line break in a paragraph's source is a space on the
    /// page).
    fn read(&mut self, run: &str, in_pre: bool, markup: bool) -> usize {
        let bytes = run.as_bytes();
        let mut word = None;
        let mut i = 0;
        while i < bytes.len() {
            // Most bytes are part of a word: skipped in a loop of their own.
            let skipped = bytes[i..]
                .iter()
                .position(|&b| CLASS[usize::from(b)] != WORD)
                .unwrap_or(bytes.len() - i);
            if skipped > 0 {
                word.get_or_insert(i);
                i += skipped;
                continue;
            }
            let b = bytes[i];
            let (space, len) = match CLASS[usize::from(b)] {
                SPACE => (true, 1),
                // Of the characters starting with this byte (Chinese
                // punctuation), only the ideographic space is white space.
                MAYBE_SPACE if b == 0xE3 => (bytes[i + 1..].starts_with(&[0x80, 0x80]), 3),
                MAYBE_SPACE => {
                    let c = run[i..].chars().next().unwrap_or_default();
                    (c.is_whitespace(), c.len_utf8())
                }
                _ if markup => break,
                _ => (b == b'\r', 1),
            };
            if !space {
                word.get_or_insert(i);
                i += len;
                continue;
            }
            if let Some(start) = word.take() {
                self.word(&run[start..i]);
            }
            self.owe(if b == b'\n' && in_pre {
                Owed::Break
            } else {
                Owed::Space
            });
            i += len;
        }
        if let Some(start) = word {
            self.word(&run[start..i]);
        }
        i
    }

    /// Ends the line.
    fn line_break(&mut self) {
        self.owe(Owed::Break);
    }

    fn owe(&mut self, owed: Owed) {
        self.owed = self.owed.max(owed);
    }

    fn word(&mut self, word: &str) {
        if !self.text.is_empty() {
            match self.owed {
                Owed::Break => self.text.push('\n'),
                Owed::Space => self.text.push(' '),
                Owed::Nothing => {}
            }
        }
        self.text.push_str(word);
        self.owed = Owed::Nothing;
    }
}

/// The text of `html` read by html5ever's tokenizer, blocks marked by line
/// breaks.
fn tokenized(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take()
}

/// The text of `html` as [`text_of`] makes it from what [`tokenized`]
/// reads, when `html` is serialized
/// HTML: start and end tags with double- or single-quoted attribute
/// values, text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;` or
/// numeric references. `None` for anything else (comments, unquoted
/// values, other references, elements whose text is hidden, carriage
/// returns, NULs), which the tokenizer then reads.
fn serialized(html: &str) -> Option<String> {
    let mut text = Lines {
        text: String::with_capacity(html.len()),
        owed: Owed::Nothing,
    };
    let mut pre = 0usize;
    let mut rest = html;
    loop {
        rest = &rest[text.read(rest, pre > 0, true)..];
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('&') {
            let (c, len) = reference(rest)?;
            text.read(c.encode_utf8(&mut [0; 4]), pre > 0, false);
            rest = &rest[len..];
            continue;
        }
        if !rest.starts_with('<') {
            return None;
        }
        let (name, end, len) = tag(rest)?;
        if is_hidden(name) || matches!(name, "textarea" | "title" | "xmp" | "plaintext") {
            return None;
        }
        if name == "pre" {
            pre = if end { pre.saturating_sub(1) } else { pre + 1 };
        }
        if is_block(name) {
            text.line_break();
        }
        rest = &rest[len..];
    }
    Some(text.text)
}

/// The character of the reference at the start of `html` and its length.
fn reference(html: &str) -> Option<(char, usize)> {
    let end = html.bytes().take(12).position(|b| b == b';')?;
    let c = match &html[1..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "nbsp" => '\u{A0}',
        number => {
            let digits = number.strip_prefix('#')?;
            let n = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => digits.parse().ok()?,
            };
            // The tokenizer maps C1 controls and others to other
            // characters: leave those to it.
            if !(0x20..0x7F).contains(&n) && n < 0xA0 {
                return None;
            }
            char::from_u32(n)?
        }
    };
    Some((c, end + 1))
}

/// The tag at the start of `html`: its name in lowercase ASCII (else
/// `None`), whether it is an end tag, and its length.
fn tag(html: &str) -> Option<(&str, bool, usize)> {
    let bytes = html.as_bytes();
    let end = bytes.get(1) == Some(&b'/');
    let start = if end { 2 } else { 1 };
    let name_len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        .count();
    if name_len == 0 || !bytes[start].is_ascii_lowercase() {
        return None;
    }
    let name = &html[start..start + name_len];
    let mut i = start + name_len;
    // A name goes on to the first space, `/` or `>`.
    if !matches!(bytes.get(i), Some(b' ' | b'\n' | b'\t' | b'/' | b'>')) {
        return None;
    }
    loop {
        match *bytes.get(i)? {
            b'>' => return Some((name, end, i + 1)),
            b'"' | b'\'' if !end => {
                let quote = bytes[i];
                // A value must follow `=`.
                if bytes[i - 1] != b'=' {
                    return None;
                }
                i += 1 + bytes[i + 1..].iter().position(|b| *b == quote)? + 1;
            }
            b'=' if !end => {
                if !matches!(bytes.get(i + 1), Some(b'"' | b'\'')) {
                    return None;
                }
                i += 1;
            }
            b' ' | b'\n' | b'\t' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'>') => i += 1,
            b if !end && (b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':')) => i += 1,
            _ => return None,
        }
    }
}

/// Elements that start a new line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "section"
            | "details"
            | "summary"
            | "audio"
            | "video"
    )
}

/// Elements whose content is not text a reader sees.
fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "svg")
}

#[derive(Default)]
struct Collector {
    text: RefCell<String>,
    /// Depth inside elements whose text is not shown.
    hidden: Cell<usize>,
    /// Depth inside `<pre>`, where line breaks are kept.
    pre: Cell<usize>,
}

/// `depth` one deeper at a start tag, one less at an end tag.
fn step(depth: &Cell<usize>, kind: TagKind) {
    let n = depth.get();
    depth.set(match kind {
        TagKind::StartTag => n + 1,
        TagKind::EndTag => n.saturating_sub(1),
    });
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if is_hidden(name) && !tag.self_closing {
                    step(&self.hidden, tag.kind);
                    return TokenSinkResult::Continue;
                }
                if name == "pre" {
                    step(&self.pre, tag.kind);
                }
                if is_block(name) {
                    self.text.borrow_mut().push('\n');
                }
            }
            Token::CharacterTokens(chars) if self.hidden.get() == 0 => {
                let mut text = self.text.borrow_mut();
                if self.pre.get() > 0 {
                    text.push_str(&chars);
                } else {
                    // A line break in the source of a paragraph is a space
                    // on the page.
                    text.extend(chars.chars().map(|c| if c == '\n' { ' ' } else { c }));
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_references_are_decoded() {
        let html = "<h2 id=\"a\">可以&amp;试试</h2>\n<p>每天<strong>同一</strong>时间</p><ul><li>一</li><li>二 &lt;三&gt;</li></ul>";
        assert_eq!(text_of(html), "可以&试试\n每天同一时间\n一\n二 <三>");
    }

    #[test]
    fn white_space_inside_a_block_is_one_space() {
        assert_eq!(
            text_of("<p>a\n  b</p><pre><code>x   y\nz</code></pre>"),
            "a b\nx y\nz"
        );
    }

    #[test]
    fn scripts_and_styles_are_not_text() {
        assert_eq!(text_of("<p>a</p><style>p{}</style><p>b</p>"), "a\nb");
    }

    #[test]
    fn lines_are_read_as_the_standard_library_splits_them() {
        // Lines split at line breaks, words at what `char::is_whitespace`
        // calls white space: the reader looks at most characters only by
        // their first byte, so every kind of white space is here, and
        // characters that start with the same bytes but are not.
        let pieces = [
            "睡", "不着", "。", "「", "」", "a", "Ｂ", " ", "  ", "\t", "\n", "\r", "\r\n",
            "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{202F}", "\u{205F}",
            "\u{3000}", "\u{3001}", "\u{2010}", "\u{1681}", "\u{A1}", "\u{FEFF}", "<", "&", "\0",
        ];
        let oracle = |raw: &str| -> String {
            let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
            let lines: Vec<String> = raw.lines().map(words).filter(|l| !l.is_empty()).collect();
            lines.join("\n")
        };
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..20_000 {
            let raw: String = (0..rng.usize(0..16))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            assert_eq!(lines_of(&raw), oracle(&raw), "{raw:?}");
        }
    }

    #[test]
    fn the_fast_reader_reads_what_the_tokenizer_reads() {
        let pieces = [
            "<p>",
            "</p>",
            "<h2 id=\"x-1\">",
            "</h2>",
            "<pre>",
            "</pre>",
            "<code>",
            "</code>",
            "<br>",
            "<br/>",
            "<hr />",
            "<li>",
            "</li>",
            "<a href=\"/a?b=1&amp;c=2\" title='x>y'>",
            "</a>",
            "<img alt=\"图 &quot;一&quot;\" src=\"a.png\">",
            "<strong>",
            "</strong >",
            "睡不着",
            "晚上 ",
            "\n",
            "  ",
            "a",
            ">",
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;",
            "&nbsp;",
            "&#39;",
            "&#x4E2D;",
            "&#20013;",
            "&#128;",
            "&#10;",
            "&foo;",
            "& ",
            "<!-- c -->",
            "<P>",
            "<pA>",
            "<a href=x>",
            "<script>x</script>",
            "<my-el>",
            "\r\n",
            "<",
            "</",
            "<td class=\"align-left\">",
            "</td>",
            "<svg><text>t</text></svg>",
            "\u{3000}",
        ];
        let mut rng = fastrand::Rng::with_seed(3);
        let mut fast = 0;
        for _ in 0..5000 {
            let html: String = (0..rng.usize(1..12))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            if let Some(text) = serialized(&html) {
                fast += 1;
                assert_eq!(text, lines_of(&tokenized(&html)), "{html:?}");
            }
        }
        assert!(fast > 1000, "the fast reader took {fast} of 5000");
    }
}
