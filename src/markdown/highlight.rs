//! Fenced code blocks marked up with CSS classes (never inline styles), so
//! the theme decides the colours and dark mode can change them.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::html::escape;

/// Loaded on the first code block only: most journals have none.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The class prefix, so highlighting classes never clash with the theme's.
const PREFIX: &str = "hl-";

/// Renders a code block; `lang` is the fence's info string.
pub fn code_block(code: &str, lang: &str, highlight: bool) -> String {
    let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    let syntax = (highlight && !lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                &SYNTAXES,
                ClassStyle::SpacedPrefixed { prefix: PREFIX },
            );
            let highlighted = LinesWithEndings::from(code)
                .try_for_each(|line| generator.parse_html_for_line_which_includes_newline(line));
            match highlighted {
                Ok(()) => generator.finalize(),
                // A grammar that fails on odd input still leaves readable code.
                Err(_) => escape(code),
            }
        }
        None => escape(code),
    };
    format!("<pre class=\"code\"{lang_attr}><code>{body}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_not_styles() {
        let html = code_block("fn main() {}\n", "rust", true);
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code>"));
    }

    #[test]
    fn unknown_language_or_off_is_escaped_plain() {
        assert_eq!(
            code_block("<b>&\n", "nosuch", true),
            "<pre class=\"code\" data-lang=\"nosuch\"><code>&lt;b&gt;&amp;\n</code></pre>\n"
        );
        assert!(!code_block("fn a() {}", "rust", false).contains("hl-"));
    }
}
