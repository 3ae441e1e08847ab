//! The postings of one part of a range: its grams' occurrences gathered by
//! gram and written in the index's binary form.
//!
//! A character's or pair's posting: per article, `varint(delta << 1 |
//! in_title)`. A triple's is in columns, so that gzip finds what repeats in
//! each: `varint(articles)`, then per article `varint(delta)`, then per
//! article `varint(in_title)`, then per article `varint(rest)`, then per
//! position (all `in_title + rest` of each article, ascending) `varint(p >>
//! 8)`, then per position the byte `p & 0xFF`. `delta` is the article's
//! number in the range less the previous article's (the first counts from
//! 0).

use rustc_hash::FxHashMap;

use super::grams::{Occurrences, short_entry};

/// The postings of one part: grams in the order they first occur (which
/// the articles fix), each with where its posting is in `bytes`.
pub struct PartPostings {
    /// (key, start, end) of each gram's posting in `bytes`.
    pub grams: Vec<(u64, u32, u32)>,
    /// Every posting, one after another.
    pub bytes: Vec<u8>,
}

impl PartPostings {
    /// The posting of gram `g` of [`Self::grams`].
    pub fn posting(&self, g: usize) -> &[u8] {
        let (_, start, end) = self.grams[g];
        &self.bytes[start as usize..end as usize]
    }
}

/// Gathers part `part` of every chunk's occurrences (chunks in article
/// order) into postings. `title_lens` has the title length of every
/// article of the range.
pub fn part_postings(chunks: &[Occurrences], part: usize, title_lens: &[u32]) -> PartPostings {
    let mut out = PartPostings {
        grams: Vec::new(),
        bytes: Vec::new(),
    };
    let count = chunks.iter().map(|c| c.short[part].len()).sum();
    let short = group(count, chunks.iter().flat_map(|c| &c.short[part]), |e| {
        short_entry(*e).0
    });
    for (key, entries) in short.iter() {
        let start = out.bytes.len();
        write_short(&mut out.bytes, entries);
        out.grams.push((key, start as u32, out.bytes.len() as u32));
    }
    let count = chunks.iter().map(|c| c.triples[part].len()).sum();
    let triples = group(count, chunks.iter().flat_map(|c| &c.triples[part]), |e| e.0);
    let mut scratch = Scratch::default();
    for (key, entries) in triples.iter() {
        let start = out.bytes.len();
        write_triple(&mut out.bytes, entries, title_lens, &mut scratch);
        out.grams.push((key, start as u32, out.bytes.len() as u32));
    }
    out
}

/// Lists a triple's posting is made from, kept from one triple to the
/// next (most triples are in one or two articles: an allocation each
/// would cost more than the work).
#[derive(Default)]
struct Scratch {
    /// Per article: (article, positions in the title, elsewhere).
    articles: Vec<(u32, u32, u32)>,
    positions: Vec<u32>,
}

/// Entries gathered by key, in the order they came within each key.
struct Grouped<T> {
    /// Per gram: key and end of its entries in `entries`.
    keys: Vec<(u64, usize)>,
    entries: Vec<T>,
}

impl<T> Grouped<T> {
    fn iter(&self) -> impl Iterator<Item = (u64, &[T])> {
        let mut start = 0;
        self.keys.iter().map(move |&(key, end)| {
            let slice = &self.entries[start..end];
            start = end;
            (key, slice)
        })
    }
}

/// Gathers the `count` `entries` by `key_of` with a counting sort, keeping their order
/// within each key: two passes and one small table, no list per gram.
fn group<'a, T: Copy + Default + 'a>(
    count: usize,
    entries: impl Iterator<Item = &'a T> + Clone,
    key_of: impl Fn(&T) -> u64,
) -> Grouped<T> {
    let mut ids: FxHashMap<u64, u32> =
        FxHashMap::with_capacity_and_hasher(count, Default::default());
    let mut keys: Vec<(u64, usize)> = Vec::with_capacity(count);
    let mut of: Vec<u32> = Vec::with_capacity(count);
    for e in entries.clone() {
        let key = key_of(e);
        let id = *ids.entry(key).or_insert_with(|| {
            keys.push((key, 0));
            (keys.len() - 1) as u32
        });
        keys[id as usize].1 += 1;
        of.push(id);
    }
    // Counts to starts, then starts to ends as entries are placed.
    let mut next = Vec::with_capacity(keys.len());
    let mut total = 0;
    for (_, count) in &mut keys {
        next.push(total);
        total += *count;
        *count = total;
    }
    let mut placed = vec![T::default(); total];
    for (e, id) in entries.zip(&of) {
        let slot = &mut next[*id as usize];
        placed[*slot] = *e;
        *slot += 1;
    }
    Grouped {
        keys,
        entries: placed,
    }
}

/// A character's or pair's posting from its occurrences.
fn write_short(out: &mut Vec<u8>, entries: &[u64]) {
    let mut last: Option<(u32, bool)> = None;
    let mut previous = 0;
    for &e in entries {
        let (_, article, in_title) = short_entry(e);
        match &mut last {
            Some((a, t)) if *a == article => *t |= in_title,
            _ => {
                if let Some((a, t)) = last {
                    varint(out, ((a - previous) as usize) << 1 | usize::from(t));
                    previous = a;
                }
                last = Some((article, in_title));
            }
        }
    }
    if let Some((a, t)) = last {
        varint(out, ((a - previous) as usize) << 1 | usize::from(t));
    }
}

/// A triple's posting from its occurrences.
fn write_triple(
    out: &mut Vec<u8>,
    entries: &[(u64, u64)],
    title_lens: &[u32],
    scratch: &mut Scratch,
) {
    let Scratch {
        articles,
        positions,
    } = scratch;
    articles.clear();
    positions.clear();
    for &(_, at) in entries {
        let (article, position) = ((at >> 32) as u32, at as u32);
        let in_title = position < title_lens[article as usize];
        match articles.last_mut() {
            Some(last) if last.0 == article => {}
            _ => articles.push((article, 0, 0)),
        }
        let last = articles.last_mut().expect("just pushed");
        if in_title {
            last.1 += 1;
        } else {
            last.2 += 1;
        }
        positions.push(position);
    }
    varint(out, articles.len());
    let mut previous = 0;
    for &(article, ..) in articles.iter() {
        varint(out, (article - previous) as usize);
        previous = article;
    }
    for &(_, in_title, _) in articles.iter() {
        varint(out, in_title as usize);
    }
    for &(_, _, rest) in articles.iter() {
        varint(out, rest as usize);
    }
    for &p in positions.iter() {
        varint(out, (p >> 8) as usize);
    }
    out.extend(positions.iter().map(|&p| p as u8));
}

/// LEB128: seven bits a byte, low bits first.
pub fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}
