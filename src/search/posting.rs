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

use super::grams::{Chunk, short_entry};

/// The postings of one part: characters and pairs, then triples, each
/// kind in the order of a hash of its grams (the same occurrences give
/// the same bytes), each with where its posting is in `bytes`.
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
    short: Groups<u64>,
    triples: Groups<(u64, u64)>,
    scratch: Scratch,
}

/// Gathers part `part` of every chunk's occurrences (chunks in article
/// order) into postings.
pub fn part_postings(chunks: &[Chunk], part: usize, work: &mut Gathering) -> PartPostings {
    let mut out = PartPostings {
        grams: Vec::new(),
        bytes: Vec::new(),
    };
    let short = chunks.iter().flat_map(|c| c.part(part).0);
    work.short.gather(short, |e| short_entry(*e).0);
    for (key, entries) in work.short.iter() {
        let start = out.bytes.len();
        write_short(&mut out.bytes, entries);
        out.grams.push((key, start as u32, out.bytes.len() as u32));
    }
    let triples = chunks.iter().flat_map(|c| c.part(part).1);
    work.triples.gather(triples, |e| e.0);
    for (key, entries) in work.triples.iter() {
        let start = out.bytes.len();
        write_triple(&mut out.bytes, entries, &mut work.scratch);
        out.grams.push((key, start as u32, out.bytes.len() as u32));
    }
    out
}

/// Lists a triple's posting is made from, kept from one triple to the
/// next (most triples are in one or two articles).
#[derive(Default)]
struct Scratch {
    /// Per article: (article, positions in the title, elsewhere).
    articles: Vec<(u32, u32, u32)>,
    positions: Vec<u32>,
}

/// Entries gathered by key, in the order they came within each key, with
/// the lists that gather them kept for the next gathering.
#[derive(Default)]
struct Groups<T> {
    /// Per key: the key and the end of its entries in `entries`.
    keys: Vec<(u64, usize)>,
    /// Per slot of the table, how many entries, then where they start.
    slots: Vec<u32>,
    /// Each entry's slot, in the order the entries came.
    of: Vec<u32>,
    /// The entries, by slot, then by key.
    entries: Vec<T>,
    /// A slot's entries whose key is not its first key, while its keys
    /// are put in order.
    rest: Vec<T>,
}

impl<T: Copy + Default> Groups<T> {
    /// Gathers `entries` by `key_of`, keeping their order within each key:
    /// a counting sort by a hash of the key into at least as many slots
    /// as entries, then the few slots that two keys share sorted out. (No
    /// table of keys to probe: this is most of building the index.)
    fn gather<'a>(
        &mut self,
        entries: impl Iterator<Item = &'a T> + Clone,
        key_of: impl Fn(&T) -> u64,
    ) where
        T: 'a,
    {
        let Groups {
            keys,
            slots,
            of,
            entries: placed,
            rest,
        } = self;
        keys.clear();
        let count = entries.clone().count();
        of.clear();
        of.resize(count, 0);
        let bits = count.max(2).next_power_of_two().trailing_zeros();
        slots.clear();
        slots.resize(1 << bits, 0);
        for (slot, e) in of.iter_mut().zip(entries.clone()) {
            // Fibonacci hashing: the top bits of the key times 2^64 / φ.
            *slot = (key_of(e).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as u32;
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
                keys.push((key, kept));
                start = kept;
            }
        }
    }

    /// Each key with its entries.
    fn iter(&self) -> impl Iterator<Item = (u64, &[T])> {
        let mut start = 0;
        self.keys.iter().map(move |&(key, end)| {
            let slice = &self.entries[start..end];
            start = end;
            (key, slice)
        })
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
fn write_triple(out: &mut Vec<u8>, entries: &[(u64, u64)], scratch: &mut Scratch) {
    let Scratch {
        articles,
        positions,
    } = scratch;
    articles.clear();
    positions.clear();
    for &(_, at) in entries {
        let (article, in_title, position) =
            ((at >> 32) as u32, at & 1 << 31 != 0, at as u32 & !(1 << 31));
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
