//! The Markdown docs link to each other (README → docs/editors.md →
//! ARCHITECTURE.md#the-search-index …). Every relative link must lead to a
//! file that exists and, when it names a heading, to a heading that exists,
//! with anchors made as GitHub makes them.

use std::fs;
use std::path::{Path, PathBuf};

/// The docs: `*.md` at the top level and in `docs/`.
fn docs(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in [root.to_path_buf(), root.join("docs")] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The text outside fenced code blocks and inline code, where links are.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Drop inline code: what is between pairs of backticks.
        out.extend(line.split('`').step_by(2));
        out.push('\n');
    }
    out
}

/// Every `](target)` of `text`.
fn links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(t, _)| t.to_owned()))
        .collect()
}

/// A heading's anchor as GitHub makes it: lower case, spaces to `-`, and
/// punctuation other than `-` and `_` dropped (Chinese kept).
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of every heading of `text`.
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            found.push(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn relative_links_between_the_docs_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = docs(root);
    assert!(docs.len() >= 4, "too few docs found: {docs:?}");
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in &docs {
        let text = fs::read_to_string(doc).unwrap();
        for link in links(&prose(&text)) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, heading) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(file)
            };
            let name = doc.strip_prefix(root).unwrap().display();
            checked += 1;
            if !target.exists() {
                broken.push(format!("{name}: ({link}): no such file"));
                continue;
            }
            if !heading.is_empty() {
                let text = fs::read_to_string(&target).unwrap();
                if !anchors(&text).iter().any(|a| a == heading) {
                    broken.push(format!("{name}: ({link}): no such heading"));
                }
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} links found: the link scan is broken"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn anchors_are_made_as_github_makes_them() {
    assert_eq!(anchor(" Self-checks (自测)"), "self-checks-自测");
    assert_eq!(anchor("site.toml"), "sitetoml");
    assert_eq!(anchor("Photos, audio and video"), "photos-audio-and-video");
}
