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

    /// Reads `root/rel_path`: see [`SourceFile::from_bytes`].
    pub fn read(root: &Path, rel_path: &Path) -> Result<Self, Diagnostic> {
        let bytes = std::fs::read(root.join(rel_path))
            .map_err(|e| Diagnostic::file_error(rel_path, format!("cannot read the file: {e}")))?;
        Self::from_bytes(rel_path, bytes)
    }

    /// Takes a file's bytes as text, rejecting what is not UTF-8 or holds a
    /// NUL, with the byte offset of the first bad byte in the file.
    pub fn from_bytes(rel_path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let rel_path = rel_path.into();
        match String::from_utf8(bytes) {
            Ok(text) => {
                let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                let file = SourceFile::new(rel_path, text);
                match file.text.find('\0') {
                    // A NUL never belongs in text: the file is damaged, or
                    // saved as UTF-16 by an office program.
                    Some(at) => Err(file
                        .error(
                            at..at + 1,
                            format!("the file contains a NUL byte (byte offset {})", at + bom),
                        )
                        .with_help("the file may be damaged or saved as UTF-16: save it again as UTF-8 text")),
                    None => Ok(file),
                }
            }
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
        let start = floor_char_boundary(&self.text, span.start);
        let line_index = self.line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = self.line_starts[line_index];
        let line_end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let col = self.text[line_start..start].chars().count() + 1;
        // A span may end one byte into a CJK character: round to its start.
        // The start may sit on a `\r` trimmed from the shown line.
        let end = floor_char_boundary(&self.text, span.end)
            .min(line_start + line_text.len())
            .max(start);
        let width = self.text[start..end].chars().count().max(1);
        let (line_text, shown_col, width) = excerpt(line_text, col, width);
        Location {
            line: line_index + 1,
            col,
            line_text,
            shown_col,
            width,
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
        if text.trim().is_empty() {
            return Err(self
                .error(0..0, "the file is empty")
                .with_help("start it with front matter: a line `+++`, e.g. `title = \"...\"`, another `+++` line, then the text"));
        }
        let first_line = text.lines().next().unwrap_or("").trim_end();
        if is_full_width_fence(first_line) {
            return Err(full_width_fence(self, 0, first_line.len()));
        }
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
        let mut offset = toml_start;
        for line in text[toml_start..].split_inclusive('\n') {
            if is_full_width_fence(line.trim_end()) {
                return Err(full_width_fence(self, offset, line.trim_end().len()));
            }
            offset += line.len();
        }
        Err(self
            .error(0..3, "the front matter is never closed")
            .with_help("add a line `+++` after the last front-matter key"))
    }
}

/// A fence typed with full-width plus signs (`＋＋＋`), as a Chinese input
/// method in full-width mode writes it.
fn is_full_width_fence(line: &str) -> bool {
    line.chars().count() >= 3 && line.chars().all(|c| c == '＋' || c == '+') && line.contains('＋')
}

fn full_width_fence(file: &SourceFile, at: usize, len: usize) -> Diagnostic {
    file.error(
        at..at + len,
        "this front-matter line is written with full-width plus signs `＋`; weikan needs three ASCII `+++`",
    )
    .with_help("switch the input method to half-width (半角) and type +++ again")
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

/// `offset` moved back to the start of the character it falls in (the
/// standard library's own is newer than this crate's minimum Rust).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Lines longer than this many characters are shown cut around the problem.
const SHOWN_LINE_CHARS: usize = 100;
/// How many characters before the problem a cut line keeps.
const SHOWN_BEFORE: usize = 20;

/// The part of `line` to show for a problem at 1-based character `col`
/// spanning `width` characters: the whole line when it is short, else
/// [`SHOWN_LINE_CHARS`] characters from [`SHOWN_BEFORE`] before `col`, marked `…`
/// where cut, so a pasted 10 MB line never floods the terminal (nor is
/// copied into every message). Returns the text, the column inside it and
/// the width that fits.
fn excerpt(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    let len = line.chars().count();
    if len <= SHOWN_LINE_CHARS {
        return (line.to_owned(), col, width);
    }
    let first = col
        .saturating_sub(1 + SHOWN_BEFORE)
        .min(len - SHOWN_LINE_CHARS);
    let last = first + SHOWN_LINE_CHARS;
    let mut text = String::new();
    if first > 0 {
        text.push('…');
    }
    text.extend(line.chars().skip(first).take(SHOWN_LINE_CHARS));
    if last < len {
        text.push('…');
    }
    let shown_col = col - first + usize::from(first > 0);
    let width = width.min((last + 1).saturating_sub(col)).max(1);
    (text, shown_col, width)
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
    fn a_long_line_is_shown_cut_around_the_problem() {
        let line = format!("{}错{}", "长".repeat(5000), "长".repeat(5000));
        let f = SourceFile::new("a.md", format!("{line}\n"));
        let at = f.text.find('错').unwrap();
        let loc = f.location(at..at + 3);
        assert_eq!(loc.col, 5001);
        assert_eq!(loc.line_text.chars().count(), SHOWN_LINE_CHARS + 2);
        assert!(loc.line_text.starts_with('…') && loc.line_text.ends_with('…'));
        assert_eq!(loc.line_text.chars().nth(loc.shown_col - 1), Some('错'));
        // At the very end of the line the window ends there, uncut.
        let end = f.text.len() - 1;
        let loc = f.location(end..end);
        assert!(!loc.line_text.ends_with('…'));
        assert_eq!(loc.shown_col, SHOWN_LINE_CHARS + 2);
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
