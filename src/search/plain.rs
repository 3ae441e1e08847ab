//! The plain text of an article's HTML, as a reader sees it: tags dropped,
//! character references decoded, one line per block so that text from two
//! paragraphs never runs together into a match that is not on the page.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The text of the HTML fragment `html`: blocks on their own lines, runs of
/// white space inside a block as one space.
pub fn text_of(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let raw = tokenizer.sink.text.take();
    raw.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
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
}
