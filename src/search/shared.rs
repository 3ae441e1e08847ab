//! Lines many articles share word for word, such as the closing paragraph
//! with the hotline that every article of a journal may end with. Each is
//! indexed once, as if it were an article of its own placed after the
//! range's articles, with a list of the articles holding it: a query for
//! words of it then fetches one short posting and that list, not a
//! position in every article.

use rustc_hash::{FxHashMap, FxHashSet};

use super::encoding::varint;

/// A line is shared when at least half the articles of its range hold it
/// (what every article carries, not what many happen to): each query that
/// finds it fetches the lists of every shared line of the range, and a
/// list of half the articles or more costs little more than a bit each.
/// And never by fewer articles than this.
const MIN_ARTICLES: usize = 8;
/// A line shorter than this (in bytes) is left in its articles: it costs
/// them little.
const MIN_BYTES: usize = 12;

/// The shared lines of a range and the articles holding each.
pub struct Shared<'a> {
    /// The lines, in the order they first occur.
    pub lines: Vec<&'a str>,
    /// Which lines are shared, for skipping them in the articles.
    pub set: FxHashSet<&'a str>,
    /// Per line, the articles (numbered within the range) holding it,
    /// ascending.
    pub holders: Vec<Vec<u32>>,
}

/// The lines of `texts` (one per article, lines split at `\n`) held by
/// enough of them to be shared, at most `room` of them.
pub fn find<'a>(texts: &[&'a str], room: usize) -> Shared<'a> {
    // Per line: index of first sight, its first holder, and every holder
    // once it has a second (most lines are in one article: no list).
    let mut seen: FxHashMap<&str, (usize, u32, Vec<u32>)> = FxHashMap::default();
    for (article, text) in texts.iter().enumerate() {
        let article = article as u32;
        for line in text.split('\n').filter(|l| l.len() >= MIN_BYTES) {
            let next = seen.len();
            let (_, first, more) = seen.entry(line).or_insert((next, article, Vec::new()));
            let last = more.last().unwrap_or(first);
            if *last != article {
                if more.is_empty() {
                    more.push(*first);
                }
                more.push(article);
            }
        }
    }
    let mut shared: Vec<(usize, &str, Vec<u32>)> = seen
        .into_iter()
        .filter(|(_, (_, _, holders))| {
            holders.len() >= MIN_ARTICLES && holders.len() * 2 >= texts.len()
        })
        .map(|(line, (first, _, holders))| (first, line, holders))
        .collect();
    shared.sort_unstable_by_key(|s| s.0);
    shared.truncate(room);
    Shared {
        set: shared.iter().map(|s| s.1).collect(),
        lines: shared.iter().map(|s| s.1).collect(),
        holders: shared.into_iter().map(|s| s.2).collect(),
    }
}

impl Shared<'_> {
    /// The file listing each line's articles: `varint(lines)`, then per
    /// line `varint(articles)` and per article `varint(delta)` (the first
    /// from 0). `None` when no line is shared.
    pub fn file(&self) -> Option<Vec<u8>> {
        if self.lines.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        varint(&mut out, self.holders.len());
        for holders in &self.holders {
            varint(&mut out, holders.len());
            let mut previous = 0;
            for &a in holders {
                varint(&mut out, (a - previous) as usize);
                previous = a;
            }
        }
        Some(out)
    }
}
