//! Every gram of a range of articles, as it occurs: pairs and triples of
//! adjacent characters, each put into one of [`PARTS`] parts by a hash of
//! the gram, so that each part can then be gathered on its own, in a table
//! small enough to stay in the processor's cache. Characters are marked in
//! sets of articles instead ([`super::chars`]), but for the rare ones past
//! the Basic Multilingual Plane, which are put into parts like pairs.

use std::cell::RefCell;

use rustc_hash::FxHashSet;

use super::chars::{CharSets, MAX_CODE, Marking};
use super::encoding::{FNV_OFFSET, PARTS, fnv_step};
use super::fold::{fold, is_space};

/// Keys of triples are at least this; of characters and pairs, less. A
/// gram's key is its characters' codes (code point plus one, so no field
/// is zero and the key tells the gram's length), 21 bits each.
pub const TRIGRAM: u64 = 1 << 42;

/// Bits of a short gram's entry below its key: the article (13 bits) and
/// whether this occurrence is in the title (1 bit).
pub const SHORT_SHIFT: u32 = 14;

/// Slots of the table that drops repeats of a short gram in an article.
const SEEN_SLOTS: usize = 4096;

/// Articles numbered within a range fit in the 13 bits a short gram's
/// entry keeps for them.
pub const MAX_RANGE: usize = 1 << (SHORT_SHIFT - 1);

/// What is searched of one article (or of one shared line, which has no
/// title).
#[derive(Clone, Copy)]
pub struct Text<'a> {
    /// The title.
    pub title: &'a str,
    /// The rest, one line per block.
    pub text: &'a str,
}

impl Text<'_> {
    /// Appends the text searched, folded, to `codes`, a code a character:
    /// the title, a line break, the rest, less the lines in `skip` (each
    /// leaves its line break, so no run of text forms across it), at most
    /// [`MAX_CODES`] of them, then a 0. A character's code is its folded
    /// code point plus one; white space's and a line break's is 0, since no
    /// gram spans them. Returns the title's length in characters.
    fn codes_into(&self, codes: &mut Vec<u32>, skip: &FxHashSet<&str>) -> usize {
        let code = |c: char| {
            // Between the ideographic space and the byte-order mark (all of
            // Chinese) nothing folds and nothing is white space.
            if ('\u{3001}'..'\u{FEFF}').contains(&c) {
                return u32::from(c) + 1;
            }
            let c = fold(c);
            if is_space(c) { 0 } else { u32::from(c) + 1 }
        };
        let start = codes.len();
        codes.extend(self.title.chars().map(code));
        let title_len = codes.len() - start;
        for line in self.text.split('\n') {
            codes.push(0);
            if !skip.contains(line) {
                codes.extend(line.chars().map(code));
            }
        }
        codes.truncate(start + MAX_CODES);
        codes.push(0);
        title_len.min(MAX_CODES)
    }
}

/// Characters of one article that are indexed, so that a position fits
/// the 31 bits a triple's entry keeps for it: what lies past them (gigabytes
/// into one article) is not.
const MAX_CODES: usize = 1 << 31;

/// Marks a gram of a place that is not put into any part: it does not
/// exist there (the text ends) or repeats a short gram of the article.
const NOWHERE: u16 = PARTS as u16 + 1;

/// The gram occurrences of a chunk of a range's articles, by part. Its
/// lists are kept from one chunk to the next: [`Chunk::fill`] clears and
/// refills them.
#[derive(Default)]
pub struct Chunk {
    /// The number within the range of the chunk's first article.
    first: usize,
    /// Where each part's short grams start in `short`; then the end.
    short_bounds: Vec<usize>,
    /// Each occurrence of a pair (or of a character past the Basic
    /// Multilingual Plane), less most repeats within an article, by part,
    /// in text order within one: `key << 14 | article << 1 | in_title`.
    short: Vec<u64>,
    /// Where each part's triples start in `triples`; then the end.
    triple_bounds: Vec<usize>,
    /// Each occurrence of a triple, by part, in text order within one:
    /// (key, `article << 32 | in_title << 31 | position`).
    triples: Vec<(u64, u64)>,
    /// The characters, each with the articles holding it.
    chars: CharSets,
}

/// What a chunk's articles are read into while the chunk is filled.
#[derive(Default)]
struct Reading {
    /// The chunk's articles one after another, each as
    /// [`Text::codes_into`] writes it and a 0.
    codes: Vec<u32>,
    /// Where each article starts in `codes`; then where the last ends.
    starts: Vec<usize>,
    /// Each article's title length in characters.
    title_lens: Vec<u32>,
    /// Per place, the part of its character, pair and triple, or
    /// [`NOWHERE`]: the first pass's work, which the second puts in parts.
    parts: Vec<[u16; 3]>,
    /// The character or pair last put into each slot, with the article
    /// (`key << 13 | article`): most repeats of a short gram in an article
    /// stop here (a first occurrence in the title comes before any in the
    /// text).
    seen: Vec<u64>,
    /// Which articles hold each character.
    marking: Marking,
}

thread_local! {
    /// Each worker's [`Reading`], kept for its next chunk: one per chunk
    /// would be tens of megabytes at 10,000 articles, and every page of
    /// memory a build touches first costs it a fault.
    static READING: RefCell<Reading> = RefCell::default();
}

impl Chunk {
    /// Finds the grams of `docs`, numbered from `first` within their
    /// range, less the lines in `skip`.
    pub fn fill(&mut self, docs: &[Text<'_>], first: usize, skip: &FxHashSet<&str>) {
        self.first = first;
        READING.with_borrow_mut(|reading| {
            reading.read(docs, skip);
            reading.find_parts(self);
            reading.put_in_parts(self);
        });
    }

    /// The number within the range of the chunk's first article.
    pub fn first(&self) -> usize {
        self.first
    }

    /// The characters of part `part`: (code, articles of the chunk
    /// holding it in the text, in the title).
    pub fn chars(&self, part: usize) -> impl Iterator<Item = (u32, &[u64], &[u64])> {
        self.chars.part(part)
    }

    /// The characters past the Basic Multilingual Plane and pairs, and the
    /// triples, of part `part`, in text order.
    pub fn part(&self, part: usize) -> (&[u64], &[(u64, u64)]) {
        let span = |bounds: &[usize]| bounds[part]..bounds[part + 1];
        (
            &self.short[span(&self.short_bounds)],
            &self.triples[span(&self.triple_bounds)],
        )
    }
}

impl Reading {
    /// Reads `docs` into the codes, less the lines in `skip`.
    fn read(&mut self, docs: &[Text<'_>], skip: &FxHashSet<&str>) {
        self.codes.clear();
        self.starts.clear();
        self.title_lens.clear();
        for doc in docs {
            self.starts.push(self.codes.len());
            let title_len = doc.codes_into(&mut self.codes, skip);
            self.title_lens.push(title_len as u32);
        }
        self.starts.push(self.codes.len());
        self.codes.extend([0, 0]);
    }

    /// The first pass: the part of each gram at each place, and how many
    /// each part gets (in the bounds).
    fn find_parts(&mut self, chunk: &mut Chunk) {
        let Reading {
            codes,
            starts,
            title_lens,
            parts,
            seen,
            marking,
        } = self;
        let Chunk {
            short_bounds,
            triple_bounds,
            chars,
            ..
        } = chunk;
        marking.begin(title_lens.len());
        // One more count than parts: [`NOWHERE`]'s, which is not used.
        for bounds in [&mut *short_bounds, &mut *triple_bounds] {
            bounds.clear();
            bounds.resize(PARTS + 2, 0);
        }
        // Every place is written below: no need to fill the list first.
        fit(parts, codes.len(), [NOWHERE; 3]);
        seen.clear();
        seen.resize(SEEN_SLOTS, u64::MAX);
        for (k, span) in starts.windows(2).enumerate() {
            let (article, title_end) = (k as u64, span[0] + title_lens[k] as usize);
            // Branch-free: whether a gram repeats is as good as random.
            let mut short = |key: u64, hash: u32| -> u16 {
                let slot = &mut seen[hash as usize % SEEN_SLOTS];
                let mark = key << (SHORT_SHIFT - 1) | article;
                let part = if *slot == mark {
                    NOWHERE
                } else {
                    (hash as usize % PARTS) as u16
                };
                *slot = mark;
                short_bounds[usize::from(part)] += 1;
                part
            };
            // Every article ends in a 0 and the codes in two more, so a
            // character's next two codes are there, and there is no gram
            // across a 0.
            for i in span[0]..span[1] {
                let a = codes[i];
                if a == 0 {
                    parts[i] = [NOWHERE; 3];
                    continue;
                }
                let (b, c) = (codes[i + 1], codes[i + 2]);
                let (key, hash) = (u64::from(a), fnv_step(FNV_OFFSET, a));
                let one = if a <= MAX_CODE {
                    marking.mark(a, k, i < title_end);
                    NOWHERE
                } else {
                    short(key, hash)
                };
                let (key, hash) = (key << 21 | u64::from(b), fnv_step(hash, b));
                let two = if b == 0 { NOWHERE } else { short(key, hash) };
                let three = if b == 0 || c == 0 {
                    NOWHERE
                } else {
                    (fnv_step(hash, c) as usize % PARTS) as u16
                };
                triple_bounds[usize::from(three)] += 1;
                parts[i] = [one, two, three];
            }
        }
        marking.finish(chars);
    }

    /// The second pass: each occurrence into its part's place. (Whether a
    /// gram goes nowhere is tested, not written to a spare place: a
    /// counter written at every place makes each wait for the last.)
    fn put_in_parts(&self, chunk: &mut Chunk) {
        let Reading {
            codes,
            starts,
            title_lens,
            parts,
            ..
        } = self;
        let Chunk {
            first,
            short_bounds,
            short,
            triple_bounds,
            triples,
            ..
        } = chunk;
        let mut next_short = counts_to_starts(short_bounds);
        let mut next_triple = counts_to_starts(triple_bounds);
        let (short_len, triple_len) = (short_bounds[PARTS], triple_bounds[PARTS]);
        // Every place of these is written below.
        fit(short, short_len, 0);
        fit(triples, triple_len, (0, 0));
        for (k, span) in starts.windows(2).enumerate() {
            let (start, end) = (span[0], span[1]);
            let article = (*first + k) as u64;
            let title_end = start + title_lens[k] as usize;
            for i in start..end {
                let [one, two, three] = parts[i];
                let in_title = u64::from(i < title_end);
                let key = u64::from(codes[i]);
                let entry = article << 1 | in_title;
                // Almost never: characters are marked in sets.
                if one != NOWHERE {
                    let slot = &mut next_short[usize::from(one)];
                    short[*slot] = key << SHORT_SHIFT | entry;
                    *slot += 1;
                }
                let key = key << 21 | u64::from(codes[i + 1]);
                if two != NOWHERE {
                    let slot = &mut next_short[usize::from(two)];
                    short[*slot] = key << SHORT_SHIFT | entry;
                    *slot += 1;
                }
                let key = key << 21 | u64::from(codes[i + 2]);
                if three != NOWHERE {
                    let slot = &mut next_triple[usize::from(three)];
                    triples[*slot] = (key, article << 32 | in_title << 31 | (i - start) as u64);
                    *slot += 1;
                }
            }
        }
    }
}

/// Makes `list` `len` long, keeping what it holds (to be written over) and
/// filling only what it grows by: clearing and filling a long list again
/// for every chunk costs more than the chunk's other work.
fn fit<T: Copy>(list: &mut Vec<T>, len: usize, fill: T) {
    if list.len() < len {
        list.resize(len, fill);
    } else {
        list.truncate(len);
    }
}

/// Turns per-part counts (and a last 0) into where each part starts (and
/// the total), and returns a copy to count up as the part is filled.
fn counts_to_starts(bounds: &mut [usize]) -> Vec<usize> {
    let mut total = 0;
    for bound in bounds.iter_mut() {
        let count = *bound;
        *bound = total;
        total += count;
    }
    bounds.to_vec()
}

/// A short gram's entry: (key, article, in the title).
pub fn short_entry(entry: u64) -> (u64, u32, bool) {
    (
        entry >> SHORT_SHIFT,
        ((entry >> 1) & (MAX_RANGE as u64 - 1)) as u32,
        entry & 1 == 1,
    )
}

/// Writes the gram of `key` to `out` as its UTF-8 length (one byte: at
/// most 12) and its UTF-8.
pub fn write_gram(out: &mut Vec<u8>, key: u64) {
    let length_at = out.len();
    out.push(0);
    let mut buf = [0; 4];
    for shift in [42, 21, 0] {
        let field = (key >> shift) & 0x1F_FFFF;
        if field != 0 {
            let c = char::from_u32(field as u32 - 1).unwrap_or('\u{FFFD}');
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out[length_at] = (out.len() - length_at - 1) as u8;
}
