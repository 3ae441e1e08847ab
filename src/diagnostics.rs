//! Errors and warnings as values.
//!
//! Every stage of the pipeline pushes [`Diagnostic`]s into a [`Diagnostics`]
//! collection instead of stopping at the first problem, so an editor sees
//! every mistake of a build at once. The CLI prints them; tests assert on them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Only errors fail a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something probably is not what the editor meant.
    Warning,
}

/// A place in a source file, already resolved to what an editor sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes), so CJK text lines up.
    pub col: usize,
    /// The offending line without its line ending; a very long line is cut
    /// to the part around `col`, with `…` where it was cut.
    pub line_text: String,
    /// 1-based column of the problem inside `line_text`.
    pub shown_col: usize,
    /// How many characters of `line_text` to underline (at least 1).
    pub width: usize,
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: Option<PathBuf>,
    /// Line and column inside `path`, when the problem has a place (boxed
    /// to keep `Result<_, Diagnostic>` small).
    pub location: Option<Box<Location>>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What the editor can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error that belongs to no particular file.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            location: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error about a whole file (no line to point at).
    pub fn file_error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: Some(path.into()),
            ..Diagnostic::error(message)
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Turns the diagnostic into a warning.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// `path:line:col`, or as much of it as is known.
    pub fn position(&self) -> Option<String> {
        let path = self.path.as_deref().map(display_path)?;
        Some(match &self.location {
            Some(loc) => format!("{path}:{}:{}", loc.line, loc.col),
            None => path,
        })
    }

    fn sort_key(&self) -> (Option<&Path>, usize, usize, Severity, &str) {
        let (line, col) = self.location.as_ref().map_or((0, 0), |l| (l.line, l.col));
        (
            self.path.as_deref(),
            line,
            col,
            self.severity,
            &self.message,
        )
    }
}

/// Paths print with `/` on every platform, as editors type them.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A character as it can safely be shown on a terminal: tabs as spaces,
/// other control characters (NUL, ESC …) as their Unicode pictures (␀, ␛),
/// so a damaged file can neither hide them nor drive the terminal.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
        '\u{7f}' => '␡',
        c => c,
    }
}

impl fmt::Display for Diagnostic {
    /// Prints `path:line:col: error: message`, the offending line with the
    /// place underlined, and the help, like a compiler does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.position() {
            Some(pos) => writeln!(f, "{pos}: {label}: {}", self.message)?,
            None => writeln!(f, "{label}: {}", self.message)?,
        }
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let text: String = loc.line_text.chars().map(visible).collect();
            // Columns count characters; wide CJK characters take two cells in
            // a terminal, so the caret indent counts cells to line up.
            let indent: usize = text
                .chars()
                .take(loc.shown_col.saturating_sub(1))
                .map(char_cells)
                .sum();
            let width: usize = text
                .chars()
                .skip(loc.shown_col.saturating_sub(1))
                .take(loc.width.max(1))
                .map(char_cells)
                .sum::<usize>()
                .max(1);
            writeln!(f, " {pad} |")?;
            writeln!(f, " {number} | {text}")?;
            writeln!(f, " {pad} | {}{}", " ".repeat(indent), "^".repeat(width))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// Terminal cells a character takes: CJK and full-width forms take two.
fn char_cells(c: char) -> usize {
    let c = c as u32;
    let wide = (0x1100..=0x115F).contains(&c)
        || (0x2E80..=0xA4CF).contains(&c)
        || (0xAC00..=0xD7A3).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
        || (0xFE30..=0xFE4F).contains(&c)
        || (0xFF00..=0xFF60).contains(&c)
        || (0xFFE0..=0xFFE6).contains(&c)
        || (0x1F300..=0x1FAFF).contains(&c)
        || (0x20000..=0x3FFFD).contains(&c);
    if wide { 2 } else { 1 }
}

/// Every diagnostic of one run, in a stable order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records many diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// How many errors were recorded.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The diagnostics sorted by file and position, so output does not depend
    /// on the order parallel work finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// Iterates in recording order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_position_line_and_caret_under_wide_text() {
        let d = Diagnostic {
            severity: Severity::Error,
            path: Some("issues/001/01-a.md".into()),
            location: Some(Box::new(Location {
                line: 3,
                col: 4,
                line_text: "标题 = 1".into(),
                shown_col: 4,
                width: 1,
            })),
            message: "bad".into(),
            help: Some("fix it".into()),
        };
        let text = d.to_string();
        assert!(text.starts_with("issues/001/01-a.md:3:4: error: bad\n"));
        assert!(text.contains(" 3 | 标题 = 1\n"));
        // "标题 " is 5 cells wide, so the caret sits under '='.
        assert!(text.contains("   |      ^\n"), "{text}");
        assert!(text.ends_with("  = help: fix it\n"));
    }
}
