//! Every gram of a range of articles, as it occurs: characters, pairs and
//! triples of adjacent characters, each put into one of [`PARTS`] parts by a
//! hash of the gram, so that each part can then be gathered on its own, in
//! a table small enough to stay in the processor's cache.

use rustc_hash::FxHashSet;

use super::fold::{fold, is_space};

/// How many parts a range's grams are spread over: the most files a range
/// of the index can have. A power of two, so that any smaller power of two
/// of buckets takes whole parts (`hash % buckets == part % buckets`).
pub const PARTS: usize = 1024;

/// Keys of triples are at least this; of characters and pairs, less. A
/// gram's key is its characters' codes (code point plus one, so no field
/// is zero and the key tells the gram's length), 21 bits each.
pub const TRIGRAM: u64 = 1 << 42;

/// Bits of a short gram's entry below its key: the article (13 bits) and
/// whether this occurrence is in the title (1 bit).
const SHORT_SHIFT: u32 = 14;

/// Slots of the table that drops repeats of a short gram in an article.
const SEEN_SLOTS: usize = 4096;

/// Articles numbered within a range fit in the 13 bits a short gram's
/// entry keeps for them.
pub const MAX_RANGE: usize = 1 << (SHORT_SHIFT - 1);

/// The gram occurrences of some articles, by part.
pub struct Occurrences {
    /// Per part, each occurrence of a character or a pair, in article
    /// order: `key << 14 | article << 1 | in_title`.
    pub short: Vec<Vec<u64>>,
    /// Per part, each occurrence of a triple, in article order and
    /// ascending positions: (key, `article << 32 | position`).
    pub triples: Vec<Vec<(u64, u64)>>,
}

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
    /// The text searched, folded, into `codes`, a code a character: the
    /// title, a line break, the rest, less the lines in `skip` (each leaves
    /// its line break, so no run of text forms across it). A character's
    /// code is its folded code point plus one; white space's is 0, since
    /// no gram spans it. Returns the title's length in characters.
    fn codes_into(&self, codes: &mut Vec<u32>, skip: &FxHashSet<&str>) -> usize {
        let code = |c: char| {
            let c = fold(c);
            if is_space(c) { 0 } else { u32::from(c) + 1 }
        };
        codes.clear();
        codes.extend(self.title.chars().map(code));
        let title_len = codes.len();
        for line in self.text.split('\n') {
            codes.push(0);
            if !skip.contains(line) {
                codes.extend(line.chars().map(code));
            }
        }
        title_len
    }
}

/// The occurrences of the grams of `docs`, numbered from `first` within
/// their range, less the lines in `skip`, and each one's title length in
/// characters.
pub fn occurrences(
    docs: &[Text<'_>],
    first: usize,
    skip: &FxHashSet<&str>,
) -> (Occurrences, Vec<u32>) {
    let mut found = Occurrences {
        short: vec![Vec::new(); PARTS],
        triples: vec![Vec::new(); PARTS],
    };
    // Room for about what the chunk has, so the lists seldom grow.
    let bytes: usize = docs.iter().map(|d| d.title.len() + d.text.len()).sum();
    let per_part = bytes / PARTS / 2 + 1;
    for part in 0..PARTS {
        found.short[part].reserve(per_part * 2);
        found.triples[part].reserve(per_part);
    }
    let mut title_lens = Vec::with_capacity(docs.len());
    let mut codes = Vec::new();
    // The character or pair last put into each slot, and for which
    // article: most repeats of a short gram in an article stop here. (A
    // first occurrence in the title comes before any in the text.)
    let mut seen = vec![(0u64, u64::MAX); SEEN_SLOTS];
    for (k, doc) in docs.iter().enumerate() {
        let article = (first + k) as u64;
        let title_len = doc.codes_into(&mut codes, skip);
        title_lens.push(title_len as u32);
        let mut short = |key: u64, hash: u32, i: usize| {
            let slot = &mut seen[hash as usize % SEEN_SLOTS];
            if *slot != (key, article) {
                *slot = (key, article);
                let in_title = u64::from(i < title_len);
                found.short[hash as usize % PARTS]
                    .push(key << SHORT_SHIFT | article << 1 | in_title);
            }
        };
        // The grams of up to three characters from each place, up to a
        // space.
        for i in 0..codes.len() {
            let a = codes[i];
            if a == 0 {
                continue;
            }
            let (key, hash) = (u64::from(a), fnv_step(FNV_OFFSET, a));
            short(key, hash, i);
            let b = codes.get(i + 1).copied().unwrap_or(0);
            if b == 0 {
                continue;
            }
            let (key, hash) = (key << 21 | u64::from(b), fnv_step(hash, b));
            short(key, hash, i);
            let c = codes.get(i + 2).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            let (key, hash) = (key << 21 | u64::from(c), fnv_step(hash, c));
            found.triples[hash as usize % PARTS].push((key, article << 32 | i as u64));
        }
    }
    (found, title_lens)
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

const FNV_OFFSET: u32 = 0x811C_9DC5;

/// One step of FNV-1a over code points rather than bytes (`code` is a
/// code point plus one): one multiply a character, which `search.js`
/// repeats with `Math.imul`.
fn fnv_step(hash: u32, code: u32) -> u32 {
    (hash ^ (code - 1)).wrapping_mul(0x0100_0193)
}

#[cfg(test)]
/// Which of `buckets` (a power of two, at most [`PARTS`]) files of its
/// range holds `gram`.
pub fn bucket(gram: &str, buckets: usize) -> usize {
    gram.chars()
        .fold(FNV_OFFSET, |hash, c| fnv_step(hash, u32::from(c) + 1)) as usize
        % buckets
}
