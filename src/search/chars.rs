//! Which articles of a chunk hold each character: a set of articles per
//! character, marked as the text is read. A character's posting lists
//! articles, not places, so the set is all it needs, and marking a bit
//! costs less than putting every first occurrence into a part and
//! gathering it (characters are a third of the short grams at 10,000
//! articles). Characters past the Basic Multilingual Plane, rare, are
//! short grams like pairs.

use super::encoding::{FNV_OFFSET, PARTS, fnv_step, varint};

/// The most a character's code (its code point plus one) may be to be
/// marked here: the Basic Multilingual Plane.
pub const MAX_CODE: u32 = 0x1_0000;

/// The characters of a chunk by part, each with the articles holding it.
#[derive(Default)]
pub struct CharSets {
    /// Where each part's characters start in `codes`; then the end.
    bounds: Vec<usize>,
    /// Each character's code, by part, in the order they were first met.
    codes: Vec<u32>,
    /// Per character, `2 * words` words: the articles holding it in the
    /// text, then in the title, one bit an article of the chunk.
    bits: Vec<u64>,
    /// Words of one set.
    words: usize,
}

impl CharSets {
    /// The characters of part `part`: (code, articles holding it in the
    /// text, in the title).
    pub fn part(&self, part: usize) -> impl Iterator<Item = (u32, &[u64], &[u64])> {
        let words = self.words;
        (self.bounds[part]..self.bounds[part + 1]).map(move |k| {
            let sets = &self.bits[k * 2 * words..(k + 1) * 2 * words];
            let (text, title) = sets.split_at(words);
            (self.codes[k], text, title)
        })
    }
}

/// A worker's marks of the chunk it reads, kept for its next chunk.
#[derive(Default)]
pub struct Marking {
    /// Per code up to [`MAX_CODE`], its character's number in this chunk
    /// plus one; 0: not met yet.
    numbers: Vec<u32>,
    /// Each character met, by number.
    codes: Vec<u32>,
    /// Per character met, by number: as [`CharSets::bits`].
    bits: Vec<u64>,
    /// Words of one set.
    words: usize,
}

impl Marking {
    /// Starts marking a chunk of `articles` articles.
    pub fn begin(&mut self, articles: usize) {
        self.numbers.resize(MAX_CODE as usize + 1, 0);
        self.codes.clear();
        self.bits.clear();
        self.words = articles.div_ceil(64).max(1);
    }

    /// Marks character `code` (at most [`MAX_CODE`]) as held by `article`
    /// of the chunk, in its title or not.
    pub fn mark(&mut self, code: u32, article: usize, in_title: bool) {
        let number = &mut self.numbers[code as usize];
        if *number == 0 {
            self.codes.push(code);
            self.bits.resize(self.bits.len() + 2 * self.words, 0);
            *number = self.codes.len() as u32;
        }
        let at = (*number as usize - 1) * 2 * self.words
            + usize::from(in_title) * self.words
            + article / 64;
        self.bits[at] |= 1 << (article % 64);
    }

    /// Puts the chunk's marks into `sets` by part, and forgets them.
    pub fn finish(&mut self, sets: &mut CharSets) {
        let words = self.words;
        let part_of = |code: u32| fnv_step(FNV_OFFSET, code) as usize % PARTS;
        sets.bounds.clear();
        sets.bounds.resize(PARTS + 1, 0);
        for &code in &self.codes {
            sets.bounds[part_of(code) + 1] += 1;
        }
        for p in 0..PARTS {
            sets.bounds[p + 1] += sets.bounds[p];
        }
        let mut next = sets.bounds.clone();
        sets.codes.clear();
        sets.codes.resize(self.codes.len(), 0);
        sets.bits.clear();
        sets.bits.resize(self.bits.len(), 0);
        sets.words = words;
        for (number, &code) in self.codes.iter().enumerate() {
            let k = &mut next[part_of(code)];
            sets.codes[*k] = code;
            sets.bits[*k * 2 * words..(*k + 1) * 2 * words]
                .copy_from_slice(&self.bits[number * 2 * words..(number + 1) * 2 * words]);
            *k += 1;
            self.numbers[code as usize] = 0;
        }
    }
}

/// Writes a character's posting, as a short gram's (see
/// [`super::posting`]), from its sets in each chunk that holds it: (the
/// chunk's first article, in the text, in the title), chunks in order.
pub fn write_posting<'a>(
    out: &mut Vec<u8>,
    sets: impl Iterator<Item = (usize, &'a [u64], &'a [u64])>,
) {
    let mut previous = 0;
    for (first, text, title) in sets {
        for (w, (&text, &title)) in text.iter().zip(title).enumerate() {
            let mut held = text | title;
            while held != 0 {
                let bit = held.trailing_zeros() as usize;
                let article = first + w * 64 + bit;
                let in_title = (title >> bit) & 1;
                varint(out, (article - previous) << 1 | in_title as usize);
                previous = article;
                held &= held - 1;
            }
        }
    }
}
