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
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("a", ["rel"])
        .set_tag_attribute_value("input", "type", "checkbox")
        // External Markdown links get rel="noopener noreferrer" when they
        // are written; links inside the site need none. That is the only
        // rel kept.
        .link_rel(None)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("a", "rel") => (value == "noopener noreferrer").then(|| value.into()),
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
