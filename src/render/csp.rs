//! The Content-Security-Policy every page carries in a `<meta>`: nothing
//! loads from another host, and the only inline scripts that run are the
//! theme's own, allowed by the SHA-256 of their text. A `<script>` that
//! reaches a page any other way (a site with `unsafe_html`, a bad template
//! edit) does not run.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::theme::Theme;

/// The policy for pages rendered with `theme`.
pub fn policy(theme: &Theme) -> String {
    let mut hashes: Vec<String> = theme
        .templates
        .values()
        .flat_map(|t| inline_scripts(&t.text))
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    // 'self' in connect-src lets `serve`'s live-reload stream through;
    // data: images are the empty favicon.
    format!(
        "default-src 'none'; script-src 'self'{}; style-src 'self'; img-src 'self' data:; \
         media-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'",
        hashes.concat()
    )
}

/// The text of each `<script>` without `src` in a template whose text is
/// fixed (no template tags inside), exactly as the browser hashes it.
fn inline_scripts(template: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..open_end];
        let body_and_rest = &after[open_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        let body = &body_and_rest[..close];
        let fixed = !body.contains("{{") && !body.contains("{%");
        if !attributes.contains("src=") && fixed && !body.trim().is_empty() {
            scripts.push(body);
        }
        rest = &body_and_rest[close..];
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fixed_inline_scripts_only() {
        let t = r#"<script>a()</script><script src="x.js" defer></script>
<script>{{ var }}</script><script type="module">b()</script>"#;
        assert_eq!(inline_scripts(t), ["a()", "b()"]);
    }

    #[test]
    fn the_policy_allows_the_default_themes_script_by_hash() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
        let policy = policy(&theme);
        assert!(policy.starts_with("default-src 'none'; script-src 'self' 'sha256-"));
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(!policy.contains("unsafe-inline"));
    }
}
