//! HTML text at the bottom of the layers: every writer of markup (Markdown,
//! media, QR sheets, feeds, the sitemap) escapes through this one function,
//! so none of them borrows it from another stage.

/// Escapes `&<>"'` for HTML and XML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}
