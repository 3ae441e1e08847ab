//! Offline search (`/search/`): the index files written at build time from
//! the articles' rendered HTML, and what the search page needs. The page's
//! script, `search.js` of the theme, does the searching on the reader's
//! phone; the query never leaves it.

mod chars;
mod encoding;
mod fold;
mod grams;
mod index;
pub mod plain;
mod posting;
mod shared;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

use crate::site::{ArticleRef, Site};
use index::Doc;

/// The folder of the index files; the manifest is `search/index.json`.
const DIR: &str = crate::paths::SEARCH_DIR;

/// Every index file of `site`: (output path, bytes), one range of
/// articles at a time, the manifest last; so a build holds one range's
/// grams and text at a time, however large the site.
pub fn files(site: &Site) -> IndexFiles<'_> {
    IndexFiles {
        site,
        oldest: site.newest.iter().rev().copied().collect(),
        ranges: Vec::new(),
        chunks: Vec::new(),
        range: None,
        done: false,
    }
}

/// The index's files as they are built: see [`files`].
pub struct IndexFiles<'a> {
    site: &'a Site,
    /// Every article, oldest first.
    oldest: Vec<ArticleRef>,
    /// What the manifest lists of each range built so far.
    ranges: Vec<index::RangeNames>,
    /// Lists the grams of a range are found in, kept for the next range.
    chunks: Vec<index::Chunk>,
    /// The range whose files are being taken.
    range: Option<index::RangeFiles>,
    /// Whether the manifest was taken.
    done: bool,
}

impl Iterator for IndexFiles<'_> {
    type Item = index::File;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(file) = self.range.as_mut().and_then(index::RangeFiles::next_file) {
            return Some(file);
        }
        if let Some(range) = self.range.take() {
            self.ranges.push(range.names());
        }
        let start = self.ranges.len() * index::RANGE;
        if start < self.oldest.len() {
            let refs = &self.oldest[start..(start + index::RANGE).min(self.oldest.len())];
            let docs = docs(self.site, refs);
            let r = self.ranges.len();
            self.range = Some(index::range_files(docs, r, DIR, &mut self.chunks));
            return self.next();
        }
        if self.done {
            return None;
        }
        self.done = true;
        Some(index::manifest(self.oldest.len(), &self.ranges))
    }
}

/// What search knows of the articles `refs`.
fn docs(site: &Site, refs: &[ArticleRef]) -> Vec<Doc> {
    refs.par_iter()
        .map(|r| {
            let (issue, article) = site.article(*r);
            let body = plain::text_of(&article.html);
            let summary = article.summary.trim_end_matches('…');
            // A summary is most often the body's start: no searcher needed.
            let text = if summary.is_empty() || body.starts_with(summary) || body.contains(summary)
            {
                body
            } else {
                format!("{}\n{body}", article.summary)
            };
            Doc {
                title: article
                    .title
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                url: site.config.base_url.link(&article.path),
                issue: issue.number.get(),
                date: article.date.display(),
                iso: article.date.iso(),
                audiences: article
                    .audiences
                    .iter()
                    .filter_map(|k| site.config.audience(k))
                    .map(|a| a.name.clone())
                    .collect(),
                text,
            }
        })
        .collect()
}
