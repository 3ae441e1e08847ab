//! What the 公众号 editor refuses or cuts, checked at build time so the
//! editor hears it from `build`, `check` and `serve` rather than from the
//! 公众号 after pasting: each is a warning at the place that breaks it.

use super::Source;
use crate::content::front_matter::ArticleHead;
use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

/// The longest title the 公众号 editor takes, in characters.
pub const TITLE_MAX: usize = 64;
/// The longest 摘要 it takes.
pub const DIGEST_MAX: usize = 120;
/// The longest 正文 it takes, in characters of text.
pub const TEXT_MAX: usize = 20_000;
/// The largest image it takes from a pasted address, in bytes.
pub const IMAGE_MAX: u64 = 1_000_000;

/// The 摘要 of an article whose summary is `summary`: at most
/// [`DIGEST_MAX`] characters, cut with an ellipsis.
pub fn digest(summary: &str) -> String {
    let summary = summary.trim();
    if summary.chars().count() <= DIGEST_MAX {
        return summary.to_owned();
    }
    let mut cut: String = summary.chars().take(DIGEST_MAX - 1).collect();
    cut.push('…');
    cut
}

/// The warnings of an article's front matter: a title or a written summary
/// longer than the 公众号 takes.
pub fn head_warnings(file: &SourceFile, head: &ArticleHead) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let title = head.title.chars().count();
    if title > TITLE_MAX {
        warnings.push(
            file.warning(
                head.spans.title.clone(),
                format!(
                    "this title is {title} characters; a 公众号 title takes at most {TITLE_MAX}"
                ),
            )
            .with_help("shorten the title, or give the 公众号 a shorter one when you paste it"),
        );
    }
    if let (Some(summary), Some(span)) = (&head.summary, &head.spans.summary) {
        let chars = summary.trim().chars().count();
        if chars > DIGEST_MAX {
            warnings.push(
                file.warning(
                    span.clone(),
                    format!(
                        "this summary is {chars} characters; a 公众号 摘要 takes at most {DIGEST_MAX}, so the 公众号 page cuts it"
                    ),
                )
                .with_help("shorten the summary to one or two sentences"),
            );
        }
    }
    warnings
}

/// The warning of a 正文 of `chars` characters longer than the 公众号
/// takes, at the start of the body.
pub fn text_warnings(source: &Source<'_>, chars: usize) -> Vec<Diagnostic> {
    if chars <= TEXT_MAX {
        return Vec::new();
    }
    let at = source.body_offset + (source.body.len() - source.body.trim_start().len());
    vec![
        source
            .file
            .warning(
                at..at,
                format!("the 公众号 正文 of this article is {chars} characters; the 公众号 takes at most {TEXT_MAX}"),
            )
            .with_help("split it into two articles, or shorten it"),
    ]
}

/// The warning of an image of `bytes` bytes at `span`, when the 公众号
/// would refuse it.
pub fn image_warning(
    file: &SourceFile,
    span: std::ops::Range<usize>,
    bytes: u64,
) -> Option<Diagnostic> {
    (bytes > IMAGE_MAX).then(|| {
        file.warning(
            span,
            format!(
                "this image is {} as published; the 公众号 takes images of at most 1 MB",
                crate::media::html::size(bytes)
            ),
        )
        .with_help("save it smaller (e.g. as JPEG at quality 80), or lower [images] max_width")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_summary_is_cut_to_the_digest_limit() {
        let long = "很".repeat(150);
        let cut = digest(&long);
        assert_eq!(cut.chars().count(), DIGEST_MAX);
        assert!(cut.ends_with('…'));
        assert_eq!(digest(" 短短一句。 "), "短短一句。");
    }
}
