//! Offline search (`/search/`): the index files written at build time from
//! the articles' rendered HTML, and what the search page needs. The page's
//! script, `search.js` of the theme, does the searching on the reader's
//! phone; the query never leaves it.

mod fold;
mod index;
mod plain;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

use crate::site::Site;
use index::Doc;

/// The search page's site path.
pub const PAGE: &str = "search/";
/// The folder of the index files; the manifest is `search/index.json`.
const DIR: &str = "search/";

/// Every index file of `site`: (output path, bytes).
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    index::build(&docs(site), DIR)
}

/// What search knows of every article, oldest first.
fn docs(site: &Site) -> Vec<Doc> {
    let newest: Vec<_> = site.newest.iter().rev().collect();
    newest
        .par_iter()
        .map(|r| {
            let (issue, article) = site.article(**r);
            let body = plain::text_of(&article.html);
            let summary = article.summary.trim_end_matches('…');
            let text = if summary.is_empty() || body.contains(summary) {
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
