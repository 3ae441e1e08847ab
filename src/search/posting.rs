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

use super::chars;
use super::encoding::varint;
use super::grams::{Chunk, short_entry};

/// The postings of one part: characters, other short grams, then
/// triples, each with where its posting is in `bytes`. The order of the
/// grams depends only on the occurrences: the same give the same bytes.
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

/// Lists kept from one part to the next by a worker that gathers parts
/// (most parts are small: allocating them afresh would cost more than the
/// work).
#[derive(Default)]
pub struct Gathering {
    short: Groups<u64, ShortPosting>,
    triples: Groups<(u64, u64), TriplePosting>,
}

/// Gathers part `part` of every chunk's occurrences (chunks in article
/// order) into postings: characters, then the other short grams, then
/// triples.
pub fn part_postings(chunks: &[Chunk], part: usize, work: &mut Gathering) -> PartPostings {
    let mut out = PartPostings {
        grams: Vec::new(),
        bytes: Vec::new(),
    };
    let mut chars: Vec<(u32, usize, &[u64], &[u64])> = chunks
        .iter()
        .enumerate()
        .flat_map(|(c, chunk)| {
            chunk
                .chars(part)
                .map(move |(code, text, title)| (code, c, text, title))
        })
        .collect();
    // By character, then chunk: so each posting lists articles in order.
    chars.sort_unstable_by_key(|&(code, c, ..)| (code, c));
    for group in chars.chunk_by(|a, b| a.0 == b.0) {
        let start = out.bytes.len();
        let sets = group
            .iter()
            .map(|&(_, c, text, title)| (chunks[c].first(), text, title));
        chars::write_posting(&mut out.bytes, sets);
        let key = u64::from(group[0].0);
        out.grams.push((key, start as u32, out.bytes.len() as u32));
    }
    let short: Vec<&[u64]> = chunks.iter().map(|c| c.part(part).0).collect();
    work.short.write(&short, |e| short_entry(*e).0, &mut out);
    let triples: Vec<&[(u64, u64)]> = chunks.iter().map(|c| c.part(part).1).collect();
    work.triples.write(&triples, |e| e.0, &mut out);
    out
}

/// A posting written as its gram's occurrences come, in text order.
trait Posting<T>: Default {
    /// Starts again, for another gram.
    fn clear(&mut self);
    /// Takes the next occurrence.
    fn add(&mut self, entry: &T);
    /// Appends the posting to `out`.
    fn finish(&mut self, out: &mut Vec<u8>);
}

/// A character's or pair's posting as it is written.
#[derive(Default)]
struct ShortPosting {
    /// The article before the last, whose delta is written.
    previous: u32,
    /// The last article met, and whether it holds the gram in its title:
    /// written when the next article comes.
    last: Option<(u32, bool)>,
    bytes: Vec<u8>,
}

impl Posting<u64> for ShortPosting {
    fn clear(&mut self) {
        (self.previous, self.last) = (0, None);
        self.bytes.clear();
    }

    #[inline]
    fn add(&mut self, entry: &u64) {
        let (_, article, in_title) = short_entry(*entry);
        match &mut self.last {
            Some((a, t)) if *a == article => *t |= in_title,
            _ => {
                if let Some((a, t)) = self.last {
                    varint(
                        &mut self.bytes,
                        ((a - self.previous) as usize) << 1 | usize::from(t),
                    );
                    self.previous = a;
                }
                self.last = Some((article, in_title));
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
        if let Some((a, t)) = self.last {
            varint(out, ((a - self.previous) as usize) << 1 | usize::from(t));
        }
    }
}

/// A triple's posting as it is written: each column on its own.
#[derive(Default)]
struct TriplePosting {
    articles: usize,
    previous: u32,
    /// The article being read and its positions in the title, elsewhere.
    current: Option<(u32, usize, usize)>,
    deltas: Vec<u8>,
    in_title: Vec<u8>,
    rest: Vec<u8>,
    high: Vec<u8>,
    low: Vec<u8>,
}

impl TriplePosting {
    fn columns(&mut self) -> [&mut Vec<u8>; 5] {
        let TriplePosting {
            deltas,
            in_title,
            rest,
            high,
            low,
            ..
        } = self;
        [deltas, in_title, rest, high, low]
    }

    /// Writes the counts of the article being read.
    #[inline]
    fn close_article(&mut self) {
        if let Some((_, t, r)) = self.current {
            varint(&mut self.in_title, t);
            varint(&mut self.rest, r);
        }
    }
}

impl Posting<(u64, u64)> for TriplePosting {
    fn clear(&mut self) {
        (self.articles, self.previous, self.current) = (0, 0, None);
        for column in self.columns() {
            column.clear();
        }
    }

    #[inline]
    fn add(&mut self, &(_, at): &(u64, u64)) {
        let (article, title, position) =
            ((at >> 32) as u32, at & 1 << 31 != 0, at as u32 & !(1 << 31));
        match &mut self.current {
            Some((a, t, r)) if *a == article => {
                *t += usize::from(title);
                *r += usize::from(!title);
            }
            _ => {
                self.close_article();
                varint(&mut self.deltas, (article - self.previous) as usize);
                self.previous = article;
                self.articles += 1;
                self.current = Some((article, usize::from(title), usize::from(!title)));
            }
        }
        varint(&mut self.high, (position >> 8) as usize);
        self.low.push(position as u8);
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        self.close_article();
        self.current = None;
        varint(out, self.articles);
        for column in self.columns() {
            out.extend_from_slice(column);
        }
    }
}

/// Occurrences gathered by gram and written as postings, with the lists
/// that do it kept for the next part.
#[derive(Default)]
struct Groups<T, P> {
    /// A small table of the keys met so far: (key, its number), or
    /// [`NO_KEY`]; empty while no part is under way.
    table: Vec<(u64, u32)>,
    /// Each key met, by number.
    keys: Vec<u64>,
    /// Each key's posting as it is written, by number.
    postings: Vec<P>,
    /// While many keys are gathered: per slot, how many entries, then
    /// where they start.
    slots: Vec<u32>,
    /// While many keys are gathered: each entry's slot, in the order the
    /// entries came.
    of: Vec<u32>,
    /// While many keys are gathered: the entries, by slot, then by key.
    entries: Vec<T>,
    /// While many keys are gathered: where each key's entries end in
    /// `entries`, by number.
    ends: Vec<u32>,
    /// A slot's entries whose key is not its first key, while its keys
    /// are put in order.
    rest: Vec<T>,
}

/// Marks an empty place of [`Groups::table`]: no key is all ones.
const NO_KEY: u64 = u64::MAX;
/// Keys a part may have to be written as its entries come; a part with
/// more is gathered by a counting sort on a hash of its keys first.
const FEW: usize = 256;
/// Places of the table: twice [`FEW`], so a probe meets few others.
const TABLE_BITS: u32 = 9;

/// Fibonacci hashing: the top `bits` bits of `key` times 2^64 / φ.
fn fibonacci(key: u64, bits: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

impl<T: Copy + Default, P: Posting<T>> Groups<T, P> {
    /// Writes the postings of the entries of `pieces` (in order) by
    /// `key_of` into `out`. A part of a range mostly has a few keys, each
    /// with many entries (common grams): each entry goes straight to its
    /// key's posting, the key found in a small table (not by asking first
    /// whether it is the last entry's: keys of a part come mixed, and that
    /// question's answer is mispredicted more often than the table costs),
    /// keys in the order they first come.
    /// Past [`FEW`] keys, [`Self::gather_many`] takes over.
    fn write(&mut self, pieces: &[&[T]], key_of: impl Fn(&T) -> u64, out: &mut PartPostings) {
        if self.write_few(pieces, &key_of) {
            for (key, posting) in self.keys.iter().zip(&mut self.postings) {
                let start = out.bytes.len();
                posting.finish(&mut out.bytes);
                out.grams.push((*key, start as u32, out.bytes.len() as u32));
            }
            return;
        }
        self.gather_many(pieces, &key_of);
        // Gathered: each key's entries in a row.
        let posting = &mut self.postings[0];
        let mut start = 0;
        for (&key, &end) in self.keys.iter().zip(&self.ends) {
            posting.clear();
            for e in &self.entries[start..end as usize] {
                posting.add(e);
            }
            start = end as usize;
            let at = out.bytes.len();
            posting.finish(&mut out.bytes);
            out.grams.push((key, at as u32, out.bytes.len() as u32));
        }
    }

    /// [`Self::write`] by a table of at most [`FEW`] keys; false (and
    /// nothing kept) if there are more.
    fn write_few(&mut self, pieces: &[&[T]], key_of: impl Fn(&T) -> u64) -> bool {
        let Groups {
            table,
            keys,
            postings,
            ..
        } = self;
        keys.clear();
        table.resize(1 << TABLE_BITS, (NO_KEY, 0));
        // Loops of their own rather than a flattened iterator: this is the
        // gathering's innermost loop.
        for piece in pieces {
            for e in piece.iter() {
                let key = key_of(e);
                let mut at = fibonacci(key, TABLE_BITS);
                let number = loop {
                    match table[at] {
                        (k, number) if k == key => break number as usize,
                        (NO_KEY, _) => {
                            if keys.len() == FEW {
                                clear_table(table, keys);
                                return false;
                            }
                            let number = keys.len();
                            table[at] = (key, number as u32);
                            keys.push(key);
                            if postings.len() == number {
                                postings.push(P::default());
                            }
                            postings[number].clear();
                            break number;
                        }
                        _ => at = (at + 1) & ((1 << TABLE_BITS) - 1),
                    }
                };
                postings[number].add(e);
            }
        }
        clear_table(table, keys);
        true
    }

    /// Gathers the entries of many keys into [`Self::entries`], each key's
    /// in a row ([`Self::keys`], with where each ends in [`Self::ends`]):
    /// a counting sort by a hash of the key into at least as many slots as
    /// entries, then the few slots that two keys share sorted out. Keys
    /// are in the order of their hashes.
    fn gather_many(&mut self, pieces: &[&[T]], key_of: impl Fn(&T) -> u64) {
        let Groups {
            keys,
            postings,
            slots,
            of,
            entries: placed,
            ends,
            rest,
            ..
        } = self;
        let entries = pieces.iter().flat_map(|p| p.iter());
        let count = entries.clone().count();
        of.clear();
        of.resize(count, 0);
        let bits = count.max(2).next_power_of_two().trailing_zeros();
        slots.clear();
        slots.resize(1 << bits, 0);
        for (slot, e) in of.iter_mut().zip(entries.clone()) {
            *slot = fibonacci(key_of(e), bits) as u32;
            slots[*slot as usize] += 1;
        }
        let mut total = 0;
        for slot in slots.iter_mut() {
            let start = total;
            total += *slot;
            *slot = start;
        }
        placed.clear();
        placed.resize(count, T::default());
        for (e, slot) in entries.zip(of.iter()) {
            let next = &mut slots[*slot as usize];
            placed[*next as usize] = *e;
            *next += 1;
        }
        // Each slot now ends where the next starts; within a slot, the
        // entries of each key in turn.
        keys.clear();
        ends.clear();
        let mut start = 0;
        for &end in slots.iter() {
            let end = end as usize;
            while start < end {
                let key = key_of(&placed[start]);
                let mut kept = start;
                rest.clear();
                for i in start..end {
                    let e = placed[i];
                    if key_of(&e) == key {
                        placed[kept] = e;
                        kept += 1;
                    } else {
                        rest.push(e);
                    }
                }
                placed[kept..end].copy_from_slice(rest);
                keys.push(key);
                ends.push(kept as u32);
                start = kept;
            }
        }
        if postings.is_empty() {
            postings.push(P::default());
        }
    }
}

/// Empties the places of `table` that `keys` took, rather than the whole
/// table: most parts have a few keys.
fn clear_table(table: &mut [(u64, u32)], keys: &[u64]) {
    for &key in keys {
        let mut at = fibonacci(key, TABLE_BITS);
        while table[at].0 != key {
            at = (at + 1) & ((1 << TABLE_BITS) - 1);
        }
        table[at] = (NO_KEY, 0);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Both ways of writing (a few keys as they come, many gathered first)
    /// give each key exactly the posting of its entries taken in order.
    #[test]
    fn few_and_many_keys_give_each_key_the_posting_of_its_entries() {
        let mut rng = fastrand::Rng::with_seed(5);
        for keys in [1, 10, FEW, FEW + 1, 3000] {
            // Entries in article order, keys mixed, some repeated in an
            // article and some in its title.
            let entries: Vec<u64> = (0..8000u64)
                .map(|i| {
                    let key = rng.u64(1..=keys as u64);
                    key << 14 | (i / 4) << 1 | u64::from(rng.bool())
                })
                .collect();
            let pieces: Vec<&[u64]> = entries.chunks(700).collect();
            let mut groups = Groups::<u64, ShortPosting>::default();
            let mut out = PartPostings {
                grams: Vec::new(),
                bytes: Vec::new(),
            };
            groups.write(&pieces, |e| short_entry(*e).0, &mut out);
            let mut expected: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
            for &e in &entries {
                expected.entry(short_entry(e).0).or_default().push(e);
            }
            let written: BTreeMap<u64, &[u8]> = (0..out.grams.len())
                .map(|g| (out.grams[g].0, out.posting(g)))
                .collect();
            assert_eq!(written.len(), out.grams.len(), "{keys} keys: a key twice");
            assert_eq!(written.len(), expected.len(), "{keys} keys");
            for (key, entries) in expected {
                let mut posting = ShortPosting::default();
                for e in &entries {
                    posting.add(e);
                }
                let mut bytes = Vec::new();
                posting.finish(&mut bytes);
                assert_eq!(written[&key], &bytes[..], "{keys} keys, key {key}");
            }
        }
    }
}
