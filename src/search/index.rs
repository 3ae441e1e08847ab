//! The index: character grams of every article, with positions, split into
//! small files a browser fetches only when a query needs them.
//!
//! Articles are numbered oldest first (a new issue only adds numbers) and
//! cut into ranges of [`RANGE`], each built and written on its own, so a
//! build holds one range's grams at a time. Within a range every character
//! and every pair of adjacent characters lists the articles holding it,
//! and every run of three lists them with its positions. A query part of
//! up to three characters is one gram; a longer part is found exactly by
//! the triples at offsets 0, 3, 6 … and the last triple, which must sit at
//! those distances from each other: no word list, no stored text to check
//! against, and nothing found that is not there. (Pairs need no positions,
//! so the most common query, two characters, fetches only a short list.)
//! A line many articles of a range share word for word (the closing
//! paragraph with the hotline, say) is indexed once: see [`super::shared`].
//!
//! The grams of a range are spread over the range's `buckets` files by a
//! hash of the gram, each file named by a hash of its content, so a rebuild
//! changes only the files whose content changed. A triple in many articles
//! has a file of its own, named in its bucket's file, so that fetching it
//! brings no other grams along and fetching another gram of the bucket
//! does not bring it.

use std::cell::RefCell;

use base64::Engine as _;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::encoding::{PARTS, varint};
pub use super::grams::Chunk;
use super::grams::{MAX_RANGE, TRIGRAM, Text, write_gram};
use super::posting::{Gathering, PartPostings, part_postings};
use super::shared;

/// Articles per range of the index: few ranges keep a query's requests
/// few (each gram is looked up once a range); a range is still small
/// enough that a new issue renames only the last range's files.
pub const RANGE: usize = 4096;
const _: () = assert!(RANGE <= MAX_RANGE && RANGE.is_multiple_of(BLOCK));
/// Articles a worker scatters at a time.
const CHUNK: usize = 256;
/// Articles per file of stored text.
pub const BLOCK: usize = 8;
/// The size aimed at for one index file, before compression.
const SHARD_TARGET: usize = 8 * 1024;
/// A triple's posting longer than this is a file of its own.
const OWN_FILE: usize = 2048;
/// Characters of a file's content hash in its name (36 bits).
const HASH_CHARS: usize = 6;
/// Stands for a file that is not written because it would be empty.
const NO_FILE: &str = "~~~~~~";

/// What search knows of one article: what a result shows, and its text.
/// A block of stored text is a JSON array of these, each an object whose
/// keys are the one letter given with each field (see [`write_block`]).
#[derive(Debug)]
#[cfg_attr(test, derive(Clone))]
pub struct Doc {
    /// Its title: `t`.
    pub title: String,
    /// Link to it: `u`.
    pub url: String,
    /// Its issue's number: `n`.
    pub issue: u32,
    /// Its date as shown, `2026年1月15日`: `d`.
    pub date: String,
    /// Its date for `<time datetime>`: `i`.
    pub iso: String,
    /// Names of its audiences; empty: everyone: `a`.
    pub audiences: Vec<String>,
    /// The rest of its searchable text (summary when not in the body, then
    /// the body), one line per block: `x`.
    pub text: String,
}

/// A file of the index: its site path and bytes.
pub type File = (String, Vec<u8>);

/// What the manifest needs of one built range.
pub struct RangeNames {
    /// How many bucket files the range has.
    buckets: usize,
    /// The content hash of each bucket's file, concatenated.
    shards: String,
    /// The content hash of each block of stored text, concatenated.
    blocks: String,
    /// The content hash of the file of its shared lines, or [`NO_FILE`].
    shared: String,
}

/// The manifest, `search/index.json`: what the browser needs to name the
/// files a query needs.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Format version.
    v: u32,
    /// How many articles.
    docs: usize,
    range: usize,
    block: usize,
    /// Per range, how many bucket files it has.
    b: Vec<usize>,
    /// Per range, the content hash of each bucket's file, concatenated.
    p: Vec<&'a str>,
    /// The content hash of each block of stored text, concatenated.
    d: String,
    /// Per range, the content hash of the file of its shared lines, or
    /// `~~~~~~`: none, concatenated.
    s: String,
}

/// The manifest of an index of `docs` articles whose ranges are `ranges`:
/// its site path and bytes.
pub fn manifest(docs: usize, ranges: &[RangeNames]) -> (String, Vec<u8>) {
    let manifest = Manifest {
        v: 4,
        docs,
        range: RANGE,
        block: BLOCK,
        b: ranges.iter().map(|r| r.buckets).collect(),
        p: ranges.iter().map(|r| r.shards.as_str()).collect(),
        d: ranges.iter().map(|r| r.blocks.as_str()).collect(),
        s: ranges.iter().map(|r| r.shared.as_str()).collect(),
    };
    let bytes = serde_json::to_vec(&manifest).expect("plain data serialises");
    (crate::paths::SEARCH_MANIFEST.to_owned(), bytes)
}

/// Every file of the index of `docs` (oldest first), the manifest first.
#[cfg(test)]
pub fn build(docs: &[Doc], dir: &str) -> Vec<(String, Vec<u8>)> {
    let len = docs.len();
    let mut files = Vec::new();
    let mut ranges = Vec::new();
    let mut chunks = Vec::new();
    for (r, range) in docs.chunks(RANGE).enumerate() {
        let mut range = range_files(range.to_vec(), r, dir, &mut chunks);
        while let Some(file) = range.next_file() {
            files.push(file);
        }
        ranges.push(range.names());
    }
    files.insert(0, manifest(len, &ranges));
    files
}

/// Whether the posting of `key` is a file of its own, named in its shard,
/// rather than in the shard: a triple's that is long (it is in many
/// articles), so that a query for it does not also fetch a shard's worth
/// of other grams, and a query for another gram of its shard does not
/// fetch it. (Characters and pairs cost about a byte an article and
/// compress well: they stay in their shards.)
fn own_file(key: u64, posting: &[u8]) -> bool {
    key >= TRIGRAM && posting.len() > OWN_FILE
}

/// The files of one range of the index, made one at a time as they are
/// taken, so that each file's memory is used again for the next rather
/// than every file of the range held at once (first touches of fresh
/// memory are a good part of what the index costs a build).
pub struct RangeFiles {
    /// The range's number.
    r: usize,
    /// Its site folder.
    dir: String,
    /// Its articles, oldest first.
    docs: Vec<Doc>,
    /// The postings of each part.
    parts: Vec<PartPostings>,
    /// How many bucket files the range has.
    buckets: usize,
    /// The file of its shared lines, until taken.
    shared: Option<Vec<u8>>,
    /// Buckets made so far.
    next_bucket: usize,
    /// Blocks of stored text made so far.
    next_block: usize,
    /// Files of the last bucket made, not yet taken.
    pending: Vec<File>,
    /// What the manifest lists of the range, as its files are made.
    names: RangeNames,
}

impl RangeFiles {
    /// The range's next file; `None` when all are taken, and then
    /// [`Self::names`] is complete.
    pub fn next_file(&mut self) -> Option<File> {
        if let Some(file) = self.pending.pop() {
            return Some(file);
        }
        let RangeFiles { r, dir, .. } = self;
        if self.next_bucket < self.buckets {
            let (hash, mut built) =
                shard_files(&self.parts, self.next_bucket, self.buckets, *r, dir);
            self.next_bucket += 1;
            self.names
                .shards
                .push_str(hash.as_deref().unwrap_or(NO_FILE));
            built.reverse();
            self.pending = built;
            return self.next_file();
        }
        if let Some(block) = self.docs.chunks(BLOCK).nth(self.next_block) {
            // Sized for the text up front: growing a block's bytes step by
            // step copies them and touches fresh memory each time.
            let size = block.iter().map(|d| d.text.len() + d.url.len() + 128).sum();
            let mut bytes = Vec::with_capacity(size);
            write_block(block, &mut bytes);
            let hash = content_hash(&bytes);
            let k = *r * RANGE / BLOCK + self.next_block;
            self.next_block += 1;
            self.names.blocks.push_str(&hash);
            return Some((format!("{dir}d/{k}-{hash}.json"), bytes));
        }
        let bytes = self.shared.take()?;
        let hash = content_hash(&bytes);
        self.names.shared = hash.clone();
        Some((format!("{dir}s/{r}-{hash}.bin"), bytes))
    }

    /// What the manifest lists of the range: complete once
    /// [`Self::next_file`] has given `None`.
    pub fn names(self) -> RangeNames {
        self.names
    }
}

/// Range `r`, whose articles are `docs`, with site paths under `dir`: its
/// grams found and gathered, its files to be made. `chunks` are lists kept
/// from one range to the next.
pub fn range_files(docs: Vec<Doc>, r: usize, dir: &str, chunks: &mut Vec<Chunk>) -> RangeFiles {
    let texts: Vec<Text> = docs
        .iter()
        .map(|d| Text {
            title: &d.title,
            text: &d.text,
        })
        .collect();
    let bodies: Vec<&str> = texts.iter().map(|t| t.text).collect();
    let shared = shared::find(&bodies, MAX_RANGE - docs.len());
    // The shared lines are articles numbered after the range's own.
    let lines: Vec<Text> = shared
        .lines
        .iter()
        .map(|line| Text {
            title: "",
            text: line,
        })
        .collect();
    // The shared lines come last, as a chunk of their own.
    let mut spans: Vec<(&[Text], usize)> = texts
        .chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| (chunk, c * CHUNK))
        .collect();
    spans.push((&lines, docs.len()));
    chunks.resize_with(spans.len(), Chunk::default);
    let none = FxHashSet::default();
    chunks
        .par_iter_mut()
        .zip(&spans)
        .for_each(|(chunk, &(texts, first))| {
            let skip = if first < docs.len() {
                &shared.set
            } else {
                &none
            };
            chunk.fill(texts, first, skip);
        });
    let chunks = &chunks[..spans.len()];
    let parts: Vec<PartPostings> = (0..PARTS)
        .into_par_iter()
        .map(|part| GATHERING.with_borrow_mut(|work| part_postings(chunks, part, work)))
        .collect();
    let total: usize = parts
        .iter()
        .flat_map(|part| (0..part.grams.len()).map(move |g| (part.grams[g].0, part.posting(g))))
        .map(|(key, posting)| {
            8 + if own_file(key, posting) {
                HASH_CHARS
            } else {
                posting.len()
            }
        })
        .sum();
    let buckets = total
        .div_ceil(SHARD_TARGET)
        .next_power_of_two()
        .clamp(1, PARTS);
    let shared = shared.file();
    RangeFiles {
        r,
        dir: dir.to_owned(),
        docs,
        parts,
        buckets,
        shared,
        next_bucket: 0,
        next_block: 0,
        pending: Vec::new(),
        names: RangeNames {
            buckets,
            shards: String::new(),
            blocks: String::new(),
            shared: NO_FILE.to_owned(),
        },
    }
}

thread_local! {
    /// Each worker's lists for gathering parts, kept for its next part
    /// and range rather than made afresh for each share of the work.
    static GATHERING: RefCell<Gathering> = RefCell::default();
}

/// Bucket `b` of range `r`: the hash naming its file (`None`: no file, it
/// would be empty) and its files, the shard last. The bucket holds every
/// part `p` with `p % buckets == b`, in order.
fn shard_files(
    parts: &[PartPostings],
    b: usize,
    buckets: usize,
    r: usize,
    dir: &str,
) -> (Option<String>, Vec<File>) {
    let mut shard = Vec::new();
    let mut files = Vec::new();
    for part in parts.iter().skip(b).step_by(buckets) {
        for (g, &(key, ..)) in part.grams.iter().enumerate() {
            let posting = part.posting(g);
            write_gram(&mut shard, key);
            if own_file(key, posting) {
                // No two trigrams share a position, so no two such files
                // of a range have the same content (and name).
                let hash = content_hash(posting);
                varint(&mut shard, HASH_CHARS << 1 | 1);
                shard.extend_from_slice(hash.as_bytes());
                files.push((format!("{dir}p/{r}-{b}-{hash}.bin"), posting.to_vec()));
            } else {
                varint(&mut shard, posting.len() << 1);
                shard.extend_from_slice(posting);
            }
        }
    }
    if shard.is_empty() {
        return (None, files);
    }
    let hash = content_hash(&shard);
    files.push((format!("{dir}p/{r}-{b}-{hash}.bin"), shard));
    (Some(hash), files)
}

/// Writes `docs` to `out` as a block of stored text: a JSON array of
/// objects (see [`Doc`]). Written here rather than by serde_json, whose
/// escaping looks at each byte on its own: the text is most of the
/// index's bytes, and [`write_json_string`] passes over eight clean bytes
/// at a time.
fn write_block(docs: &[Doc], out: &mut Vec<u8>) {
    out.push(b'[');
    for (k, doc) in docs.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        for (key, value) in [("{\"t\":", &doc.title), (",\"u\":", &doc.url)] {
            out.extend_from_slice(key.as_bytes());
            write_json_string(out, value);
        }
        out.extend_from_slice(format!(",\"n\":{}", doc.issue).as_bytes());
        for (key, value) in [(",\"d\":", &doc.date), (",\"i\":", &doc.iso)] {
            out.extend_from_slice(key.as_bytes());
            write_json_string(out, value);
        }
        out.extend_from_slice(b",\"a\":[");
        for (a, name) in doc.audiences.iter().enumerate() {
            if a > 0 {
                out.push(b',');
            }
            write_json_string(out, name);
        }
        out.extend_from_slice(b"],\"x\":");
        write_json_string(out, &doc.text);
        out.push(b'}');
    }
    out.push(b']');
}

/// Writes `text` to `out` as a JSON string: `"` and `\\` escaped, and
/// control characters (`\n` most often, one a line of text).
fn write_json_string(out: &mut Vec<u8>, text: &str) {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `word` less than `n`: the lowest is
    // exact (a borrow can only mark a byte above one truly marked).
    let less = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let escapes = |word: u64| {
        less(word, 0x20)
            | less(word ^ (ONES * u64::from(b'"')), 1)
            | less(word ^ (ONES * u64::from(b'\\')), 1)
    };
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut written, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            // Little-endian, so the lowest marked byte comes first.
            let marks = escapes(u64::from_le_bytes(word.try_into().expect("eight bytes")));
            if marks == 0 {
                i += 8;
                continue;
            }
            i += marks.trailing_zeros() as usize / 8;
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0..0x20 => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[written..i]);
        out.extend_from_slice(escape);
        i += 1;
        written = i;
    }
    out.extend_from_slice(&bytes[written..]);
    out.push(b'"');
}

/// Hexadecimal digits, as JSON's `\u` escapes write them.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A short name for `bytes`: the start of its XXH3 in URL-safe base64.
/// Names only tell one version of a file from the next (a file that
/// changes gets a new name, so a phone never takes an old copy for it);
/// nothing depends on them being hard to forge, and 40 MB of index at
/// 10,000 articles is hashed in a few milliseconds rather than 30 of
/// SHA-256.
fn content_hash(bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes();
    let mut text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash);
    text.truncate(HASH_CHARS);
    text
}
