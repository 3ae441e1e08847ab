//! Loaded source files: text, a line index for turning byte offsets into
//! `line:col`, and the split of TOML front matter from the Markdown body.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location, Severity};

/// One text file of the site, read whole.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, used in every message.
    pub rel_path: PathBuf,
    /// The file's text, without a leading byte-order mark.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps text already in memory (used by tests and by [`SourceFile::read`]).
    pub fn new(rel_path: impl Into<PathBuf>, text: String) -> Self {
        // Editors on Windows save a BOM; it is invisible and means nothing here.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            rel_path: rel_path.into(),
            text,
            line_starts,
        }
    }

    /// Reads `root/rel_path`, rejecting text that is not UTF-8 with the place
    /// of the first bad byte.
    pub fn read(root: &Path, rel_path: &Path) -> Result<Self, Diagnostic> {
        let bytes = std::fs::read(root.join(rel_path))
            .map_err(|e| Diagnostic::file_error(rel_path, format!("cannot read the file: {e}")))?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(rel_path, text)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                let partial = SourceFile::new(rel_path, valid);
                let end = partial.text.len();
                Err(partial
                    .error(
                        end..end,
                        format!("the file is not valid UTF-8 text (byte offset {offset})"),
                    )
                    .with_help(
                        "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                    ))
            }
        }
    }

    /// Resolves a byte range of the text to what an editor sees.
    pub fn location(&self, span: Range<usize>) -> Location {
        let start = span.start.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = self.line_starts[line_index];
        let line_end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let col = self.text[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_start + line_text.len());
        Location {
            line: line_index + 1,
            col,
            line_text: line_text.to_owned(),
            width: self.text[start..end].chars().count().max(1),
        }
    }

    /// The byte offset of 1-based `line` and character column `col`.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// An error pointing at `span` of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, span, message)
    }

    /// A warning pointing at `span` of this file.
    pub fn warning(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, span, message)
    }

    fn diagnostic(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            path: Some(self.rel_path.clone()),
            location: Some(Box::new(self.location(span))),
            message: message.into(),
            help: None,
        }
    }

    /// Turns a TOML error into a diagnostic. `offset` is where the TOML text
    /// starts in this file (after the `+++` line for front matter).
    pub fn toml_error(&self, err: &toml::de::Error, offset: usize) -> Diagnostic {
        let message = err.message().trim().to_owned();
        let span = match err.span() {
            // A span covering the whole table (e.g. a missing key) points best
            // at the table's first line.
            Some(span) if span.start == 0 && span.end >= self.text.len().saturating_sub(offset) => {
                offset..offset
            }
            Some(span) => offset + span.start..offset + span.end,
            None => offset..offset,
        };
        let diagnostic = self.error(span, message.clone());
        if message.starts_with("unknown field") {
            diagnostic.with_help("check the spelling of the key; only the keys listed are allowed")
        } else if message.starts_with("missing field") {
            diagnostic.with_help("add the key to the front matter or settings")
        } else {
            diagnostic
        }
    }

    /// Splits `+++` TOML front matter from the body, keeping both offsets so
    /// that errors inside either map back to lines of this file.
    pub fn split_front_matter(&self) -> Result<FrontMatter<'_>, Diagnostic> {
        let text = self.text.as_str();
        let first_line = text.lines().next().unwrap_or("").trim_end();
        if first_line == "---" {
            return Err(self
                .error(0..3, "this front matter is YAML (`---`), but weikan reads TOML between `+++` lines")
                .with_help("replace both `---` lines with `+++` and write the keys as TOML, e.g. `title = \"...\"`"));
        }
        if first_line != "+++" {
            return Err(self
                .error(0..first_line.len(), "the file must start with front matter: TOML between two `+++` lines")
                .with_help("put a line `+++` first, then e.g. `title = \"...\"`, then another `+++` line, then the text"));
        }
        let toml_start = text.find('\n').map_or(text.len(), |i| i + 1);
        let mut offset = toml_start;
        for line in text[toml_start..].split_inclusive('\n') {
            if line.trim_end() == "+++" {
                let body_start = offset + line.len();
                return Ok(FrontMatter {
                    toml: &text[toml_start..offset],
                    toml_offset: toml_start,
                    body: &text[body_start..],
                    body_offset: body_start,
                });
            }
            offset += line.len();
        }
        Err(self
            .error(0..3, "the front matter is never closed")
            .with_help("add a line `+++` after the last front-matter key"))
    }
}

/// The two parts of a content file.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The TOML between the fences.
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub toml_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters_and_lines() {
        let f = SourceFile::new("a.md", "+++\ntitle = \"睡眠\"\nx\n".into());
        let at = f.text.find('x').unwrap();
        let loc = f.location(at..at + 1);
        assert_eq!((loc.line, loc.col, loc.line_text.as_str()), (3, 1, "x"));
        let quote = f.text.find('睡').unwrap();
        assert_eq!(f.location(quote..quote + 3).col, 10);
    }

    #[test]
    fn splits_front_matter_with_crlf_and_bom() {
        let f = SourceFile::new(
            "a.md",
            "\u{feff}+++\r\ntitle = \"t\"\r\n+++\r\nbody\r\n".into(),
        );
        let fm = f.split_front_matter().unwrap();
        assert_eq!(fm.toml, "title = \"t\"\r\n");
        assert_eq!(fm.body, "body\r\n");
        assert_eq!(&f.text[fm.body_offset..], "body\r\n");
    }

    #[test]
    fn rejects_yaml_and_unclosed_front_matter() {
        let yaml = SourceFile::new("a.md", "---\ntitle: t\n---\n".into());
        assert!(
            yaml.split_front_matter()
                .unwrap_err()
                .message
                .contains("TOML between `+++`")
        );
        let open = SourceFile::new("a.md", "+++\ntitle = 't'\n".into());
        assert!(
            open.split_front_matter()
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }
}
