//! Raw HTML in Markdown is cleaned with ammonia unless the site opts out.
//!
//! The whole rendered body goes through the cleaner, not only the raw HTML
//! pieces, because an editor's tag may open in one piece and close in
//! another. The allow-list therefore also admits what weikan itself emits:
//! heading ids, highlighting classes, footnotes and task-list checkboxes.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tags(["input", "figure", "figcaption", "section", "mark"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["width", "height", "loading"])
        // Images and players as src/media/html.rs writes them; an editor's
        // own player gets no autoplay and fetches nothing before play.
        .add_tags(["audio", "video", "track"])
        .add_tag_attributes("img", ["srcset", "sizes", "decoding"])
        .add_tag_attributes("audio", ["controls", "preload", "src"])
        .add_tag_attributes(
            "video",
            [
                "controls",
                "preload",
                "playsinline",
                "poster",
                "src",
                "width",
                "height",
            ],
        )
        .add_tag_attributes("track", ["kind", "src", "srclang", "label", "default"])
        .add_tag_attributes("a", ["download"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("a", ["rel"])
        .set_tag_attribute_value("input", "type", "checkbox")
        // External Markdown links get rel="noopener noreferrer" when they
        // are written; links inside the site need none. That is the only
        // rel kept.
        .link_rel(None)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("a", "rel") => (value == "noopener noreferrer").then(|| value.into()),
            ("audio" | "video", "preload") => Some("none".into()),
            // Only this site's own files: no scheme, no other host.
            ("img", "srcset") => {
                (!value.contains(':') && !value.contains("//")).then(|| value.into())
            }
            _ => Some(value.into()),
        });
    let schemes: HashSet<&str> = ["http", "https", "mailto", "tel", "sms"].into();
    b.url_schemes(schemes);
    b
});

/// Removes scripts, event handlers, `javascript:` and `data:` URLs and any
/// tag or attribute outside the allow-list.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Something the cleaner will take out of an editor's raw HTML.
#[derive(Debug, PartialEq, Eq)]
pub struct Removal {
    /// The line of the fragment it is on, from 1.
    pub line: usize,
    /// What is removed, and why.
    pub message: String,
}

/// What an editor's raw HTML fragment does, read with html5ever's
/// tokenizer as the cleaner reads it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inspection {
    /// What [`clean`] will remove, judged by the same allow-lists, so each
    /// removal can be reported where it is written.
    pub removals: Vec<Removal>,
    /// Elements left open at the end of the fragment, less those closed
    /// that it did not open.
    pub net_depth: isize,
    /// The most elements open at once inside the fragment, counted from
    /// its start.
    pub peak_depth: usize,
}

/// Inspects the raw HTML `fragment`: see [`Inspection`].
pub fn inspect(fragment: &str) -> Inspection {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};

    let sink = Inspector::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    Inspection {
        removals: tokenizer.sink.found.take(),
        net_depth: tokenizer.sink.depth.get(),
        peak_depth: tokenizer.sink.peak.get(),
    }
}

/// Elements that never hold others (void) or that the parser closes by
/// itself when a sibling starts (`<p>`, `<li>`, table rows …): they do not
/// deepen the tree however many are written unclosed.
fn never_nests(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "html"
            | "head"
            | "body"
    )
}

/// The cleaner's rules, read once from the configured builder.
struct Policy {
    tags: HashSet<&'static str>,
    dropped_with_content: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    per_tag: std::collections::HashMap<&'static str, HashSet<&'static str>>,
    schemes: HashSet<&'static str>,
}

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy {
    tags: CLEANER.clone_tags(),
    dropped_with_content: CLEANER.clone_clean_content_tags(),
    generic: CLEANER.clone_generic_attributes(),
    per_tag: CLEANER.clone_tag_attributes(),
    schemes: CLEANER.clone_url_schemes(),
});

/// Attributes whose value is a URL the cleaner checks.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "poster", "action", "formaction"];

#[derive(Default)]
struct Inspector {
    found: std::cell::RefCell<Vec<Removal>>,
    depth: std::cell::Cell<isize>,
    peak: std::cell::Cell<usize>,
}

impl html5ever::tokenizer::TokenSink for Inspector {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token};
        let Token::TagToken(tag) = token else {
            return html5ever::tokenizer::TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        if !never_nests(name) {
            let depth = self.depth.get();
            let depth = match tag.kind {
                // `<div/>` opens a div like `<div>` does in HTML.
                TagKind::StartTag => depth + 1,
                TagKind::EndTag => depth - 1,
            };
            self.depth.set(depth);
            self.peak
                .set(self.peak.get().max(usize::try_from(depth).unwrap_or(0)));
        }
        if tag.kind != TagKind::StartTag {
            return html5ever::tokenizer::TokenSinkResult::Continue;
        }
        let policy = &*POLICY;
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let mut found = self.found.borrow_mut();
        let mut report = |message: String| found.push(Removal { line, message });
        if policy.dropped_with_content.contains(name) {
            report(format!(
                "`<{name}>` and everything in it is removed: pages never run scripts or styles from articles"
            ));
            return html5ever::tokenizer::TokenSinkResult::Continue;
        }
        if !policy.tags.contains(name) {
            report(format!(
                "the `<{name}>` tag is removed (its text is kept): it is not allowed in articles"
            ));
            return html5ever::tokenizer::TokenSinkResult::Continue;
        }
        for attribute in &tag.attrs {
            let attr: &str = &attribute.name.local;
            let value: &str = &attribute.value;
            let allowed = policy.generic.contains(attr)
                || policy.per_tag.get(name).is_some_and(|a| a.contains(attr));
            if attr.starts_with("on") {
                report(format!(
                    "the `{attr}` event handler on `<{name}>` is removed: pages never run scripts from articles"
                ));
            } else if !allowed {
                report(format!(
                    "the `{attr}` attribute on `<{name}>` is removed: it is not allowed in articles"
                ));
            } else if URL_ATTRIBUTES.contains(&attr)
                && let Some(scheme) = url_scheme(value)
                && !policy.schemes.contains(scheme.as_str())
            {
                report(format!(
                    "the `{scheme}:` address in `{attr}` on `<{name}>` is removed: only web, mail and phone links are kept"
                ));
            }
        }
        html5ever::tokenizer::TokenSinkResult::Continue
    }
}

/// The scheme of an absolute URL, lowercased; none for a relative one.
fn url_scheme(value: &str) -> Option<String> {
    let value = value.trim_start();
    let colon = value.find(':')?;
    let scheme = &value[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a `/`, `?` or `#` belongs to a path, not a scheme.
    is_scheme.then(|| scheme.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_bad_urls() {
        let out = clean(
            r#"<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)">b</a><img src="data:image/png;base64,AA" onerror="x()"></p>"#,
        );
        assert!(!out.contains("script"), "{out}");
        assert!(
            !out.contains("onclick") && !out.contains("onerror"),
            "{out}"
        );
        assert!(
            !out.contains("javascript:") && !out.contains("data:"),
            "{out}"
        );
    }

    #[test]
    fn names_each_removal_with_its_line() {
        let found = inspect(
            "<div onclick=\"x()\">\n<script>alert(1)</script>\n<iframe src=\"https://x.org\"></iframe>\n<a href=\" JavaScript:alert(1)\">a</a><img src=\"data:image/png;base64,AA\" alt=\"\">\n<p style=\"color:red\" lang=\"zh\">ok</p><a href=\"https://x.org/a:b\">fine</a>",
        );
        let lines: Vec<(usize, &str)> = found
            .removals
            .iter()
            .map(|r| (r.line, r.message.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            lines,
            [
                (1, "the `onclick` event handler on `<div>` is removed"),
                (2, "`<script>` and everything in it is removed"),
                (3, "the `<iframe>` tag is removed (its text is kept)"),
                (4, "the `javascript"),
                (4, "the `data"),
                (5, "the `style` attribute on `<p>` is removed"),
            ]
        );
    }

    #[test]
    fn counts_how_deep_elements_nest() {
        let open = inspect("<div><blockquote><b>x</b><p>a<p>b<br><li>c");
        assert_eq!((open.net_depth, open.peak_depth), (2, 3));
        let close = inspect("</blockquote></div></div>");
        assert_eq!((close.net_depth, close.peak_depth), (-3, 0));
    }

    #[test]
    fn keeps_what_weikan_emits() {
        let html = r#"<h2 id="x">t</h2><pre class="code" data-lang="rust"><code><span class="hl-keyword">fn</span></code></pre><input disabled="" type="checkbox" checked=""><td class="align-center">c</td>"#;
        let out = clean(&format!("<table><tr>{}</tr></table>", html));
        for part in [
            r#"id="x""#,
            r#"class="hl-keyword""#,
            r#"type="checkbox""#,
            r#"data-lang="rust""#,
            r#"class="align-center""#,
        ] {
            assert!(out.contains(part), "{part} missing in {out}");
        }
    }
}
