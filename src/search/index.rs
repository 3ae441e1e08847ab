//! The index: character grams of every article, with positions, split into
//! small files a browser fetches only when a query needs them.
//!
//! Articles are numbered oldest first (a new issue only adds numbers) and
//! cut into ranges of [`RANGE`]. Within a range every character and every
//! pair of adjacent characters lists the articles holding it, and every run
//! of three lists them with its positions. A query part of up to three
//! characters is one gram; a longer part is found exactly by the triples at
//! offsets 0, 3, 6 … and the last triple, which must sit at those distances
//! from each other: no word list, no stored text to check against, and
//! nothing found that is not there. (Pairs need no positions, so the most
//! common query, two characters, fetches only a short list.)
//! The grams of a range are spread over `buckets` files by a hash of the
//! gram, each file named by a hash of its content, so a rebuild changes only
//! the files whose content changed. A triple in many articles has a file of
//! its own, named in its bucket's file, so that fetching it brings no other
//! grams along and fetching another gram of the bucket does not bring it.

use base64::Engine as _;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::fold::{fold, is_space};

/// Articles per range of the index.
pub const RANGE: usize = 2048;
/// Articles per file of stored text.
pub const BLOCK: usize = 8;
/// The size aimed at for one index file, before compression.
const SHARD_TARGET: usize = 8 * 1024;
/// A triple's posting longer than this is a file of its own.
const OWN_FILE: usize = 2048;
/// At most this many index files per range.
const MAX_BUCKETS: usize = 1024;
/// Characters of a file's content hash in its name (36 bits).
const HASH_CHARS: usize = 6;
/// Stands for a file that is not written because it would be empty.
const NO_FILE: &str = "~~~~~~";

/// What search knows of one article: what a result shows, and its text.
#[derive(Debug, Serialize)]
pub struct Doc {
    /// Its title.
    #[serde(rename = "t")]
    pub title: String,
    /// Link to it.
    #[serde(rename = "u")]
    pub url: String,
    /// Its issue's number.
    #[serde(rename = "n")]
    pub issue: u32,
    /// Its date as shown, `2026年1月15日`.
    #[serde(rename = "d")]
    pub date: String,
    /// Its date for `<time datetime>`.
    #[serde(rename = "i")]
    pub iso: String,
    /// Names of its audiences; empty: everyone.
    #[serde(rename = "a")]
    pub audiences: Vec<String>,
    /// The rest of its searchable text (summary when not in the body, then
    /// the body), one line per block.
    #[serde(rename = "x")]
    pub text: String,
}

impl Doc {
    /// The text searched, folded, one `char` per character: the title, a
    /// line break, the rest.
    fn folded(&self) -> (Vec<char>, usize) {
        let title: Vec<char> = self.title.chars().map(fold).collect();
        let title_len = title.len();
        let mut chars = title;
        chars.push('\n');
        chars.extend(self.text.chars().map(fold));
        (chars, title_len)
    }
}

/// The manifest, `search/index.json`: what the browser needs to name the
/// files a query needs.
#[derive(Serialize)]
struct Manifest {
    /// Format version.
    v: u32,
    /// How many articles.
    docs: usize,
    range: usize,
    block: usize,
    buckets: usize,
    /// Per range, the content hash of each bucket's file, concatenated.
    p: Vec<String>,
    /// The content hash of each block of stored text, concatenated.
    d: String,
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

/// Builds every file of the index of `docs` (oldest first): site paths
/// under `dir` (e.g. `search/`) and bytes, the manifest first.
pub fn build(docs: &[Doc], dir: &str) -> Vec<(String, Vec<u8>)> {
    let ranges: Vec<Vec<(u64, Vec<u8>)>> = docs.par_chunks(RANGE).map(range_postings).collect();
    let total: usize = ranges
        .iter()
        .flatten()
        .map(|(key, posting)| {
            8 + if own_file(*key, posting) {
                HASH_CHARS
            } else {
                posting.len()
            }
        })
        .sum();
    let buckets = total
        .div_ceil(SHARD_TARGET * ranges.len().max(1))
        .next_power_of_two()
        .clamp(1, MAX_BUCKETS);
    let mut files = Vec::new();
    let mut p = Vec::new();
    for (r, postings) in ranges.iter().enumerate() {
        let mut shards = vec![Vec::new(); buckets];
        for (key, posting) in postings {
            let gram = gram_text(*key);
            let b = bucket(&gram, buckets);
            let shard = &mut shards[b];
            varint(shard, gram.len());
            shard.extend_from_slice(gram.as_bytes());
            if own_file(*key, posting) {
                // No two trigrams share a position, so no two such files
                // of a range have the same content (and name).
                let hash = content_hash(posting);
                varint(shard, HASH_CHARS << 1 | 1);
                shard.extend_from_slice(hash.as_bytes());
                files.push((format!("{dir}p/{r}-{b}-{hash}.bin"), posting.clone()));
            } else {
                varint(shard, posting.len() << 1);
                shard.extend_from_slice(posting);
            }
        }
        let mut names = String::new();
        for (b, shard) in shards.into_iter().enumerate() {
            if shard.is_empty() {
                names.push_str(NO_FILE);
                continue;
            }
            let hash = content_hash(&shard);
            files.push((format!("{dir}p/{r}-{b}-{hash}.bin"), shard));
            names.push_str(&hash);
        }
        p.push(names);
    }
    let mut d = String::new();
    for (k, block) in docs.chunks(BLOCK).enumerate() {
        let bytes = serde_json::to_vec(block).expect("plain data serialises");
        let hash = content_hash(&bytes);
        files.push((format!("{dir}d/{k}-{hash}.json"), bytes));
        d.push_str(&hash);
    }
    let manifest = Manifest {
        v: 2,
        docs: docs.len(),
        range: RANGE,
        block: BLOCK,
        buckets,
        p,
        d,
    };
    let bytes = serde_json::to_vec(&manifest).expect("plain data serialises");
    files.insert(0, (format!("{dir}index.json"), bytes));
    files
}

/// One article's grams: characters and pairs with whether they are in the
/// title, triples with how many of their positions are in the title and
/// the positions (ascending) in `positions`. One sorted list of the
/// triples' occurrences spares an allocation per triple.
fn doc_grams(doc: &Doc) -> DocGrams {
    let (chars, title_len) = doc.folded();
    let mut present: FxHashMap<u64, bool> = FxHashMap::default();
    let mut triples: Vec<(u64, u32)> = Vec::with_capacity(chars.len());
    for i in 0..chars.len() {
        // The grams of up to three characters from here without a space.
        let mut key = 0;
        for &c in chars[i..].iter().take(3).take_while(|c| !is_space(**c)) {
            key = extend(key, c);
            if key < TRIGRAM {
                *present.entry(key).or_default() |= i < title_len;
            } else {
                triples.push((key, i as u32));
            }
        }
    }
    triples.sort_unstable();
    let mut grams = DocGrams {
        grams: present
            .into_iter()
            .map(|(key, in_title)| (key, usize::from(in_title), 0..0))
            .collect(),
        positions: Vec::with_capacity(triples.len()),
    };
    for group in triples.chunk_by(|a, b| a.0 == b.0) {
        let start = grams.positions.len();
        grams.positions.extend(group.iter().map(|(_, p)| *p));
        let in_title = group
            .iter()
            .filter(|(_, p)| (*p as usize) < title_len)
            .count();
        grams
            .grams
            .push((group[0].0, in_title, start..grams.positions.len()));
    }
    grams
}

/// One article's grams: (key, positions in the title, where its positions
/// are in `positions`).
struct DocGrams {
    grams: Vec<(u64, usize, std::ops::Range<usize>)>,
    positions: Vec<u32>,
}

/// The postings of one range of articles, by gram key.
///
/// A unigram's or bigram's posting: per article, `varint(delta << 1 |
/// in_title)`. A trigram's is in columns, so that gzip finds what repeats
/// in each: `varint(articles)`, then per article `varint(delta)`, then per
/// article `varint(in_title)`, then per article `varint(rest)`, then per
/// position (all `in_title + rest` of each article, ascending) `varint(p >>
/// 8)`, then per position the byte `p & 0xFF`. `delta` is the article's
/// number in the range less the previous article's (the first counts from
/// 0).
fn range_postings(docs: &[Doc]) -> Vec<(u64, Vec<u8>)> {
    let per_doc: Vec<DocGrams> = docs.par_iter().map(doc_grams).collect();
    // Per gram, (article, index in that article's grams), articles ascending.
    let mut holders: FxHashMap<u64, Vec<(u32, u32)>> = FxHashMap::default();
    for (local, doc) in per_doc.iter().enumerate() {
        for (g, (key, ..)) in doc.grams.iter().enumerate() {
            holders
                .entry(*key)
                .or_default()
                .push((local as u32, g as u32));
        }
    }
    let mut postings: Vec<(u64, Vec<u8>)> = holders
        .into_par_iter()
        .map(|(key, holders)| (key, posting(key, &holders, &per_doc)))
        .collect();
    postings.par_sort_unstable_by_key(|(key, _)| *key);
    postings
}

/// The posting of the gram `key` held by `holders` (see [`range_postings`]).
fn posting(key: u64, holders: &[(u32, u32)], per_doc: &[DocGrams]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(holders.len() * 3);
    let grams = || {
        holders.iter().map(|&(d, g)| {
            let doc = &per_doc[d as usize];
            (doc, &doc.grams[g as usize])
        })
    };
    let deltas = holders.iter().scan(0, |last, &(d, _)| {
        let delta = d - *last;
        *last = d;
        Some(delta as usize)
    });
    if key < TRIGRAM {
        for (delta, (_, (_, in_title, _))) in deltas.zip(grams()) {
            varint(&mut bytes, delta << 1 | usize::from(*in_title > 0));
        }
        return bytes;
    }
    varint(&mut bytes, holders.len());
    deltas.for_each(|delta| varint(&mut bytes, delta));
    for (_, (_, in_title, _)) in grams() {
        varint(&mut bytes, *in_title);
    }
    for (_, (_, in_title, range)) in grams() {
        varint(&mut bytes, range.len() - in_title);
    }
    let positions = || grams().flat_map(|(doc, (_, _, range))| &doc.positions[range.clone()]);
    positions().for_each(|&p| varint(&mut bytes, (p >> 8) as usize));
    bytes.extend(positions().map(|&p| p as u8));
    bytes
}

/// Keys of trigrams are at least this; of unigrams and bigrams, less.
const TRIGRAM: u64 = 1 << 42;

/// The key of a gram one character longer: each character takes 21 bits
/// and is stored plus one, so no field of a shorter gram's key is zero and
/// the key alone tells its length.
fn extend(key: u64, c: char) -> u64 {
    key << 21 | (u64::from(u32::from(c)) + 1)
}

/// The characters of a gram key.
fn gram_text(mut key: u64) -> String {
    let mut chars = Vec::with_capacity(3);
    while key != 0 {
        chars.push(char::from_u32((key & 0x1F_FFFF) as u32 - 1).unwrap_or('\u{FFFD}'));
        key >>= 21;
    }
    chars.iter().rev().collect()
}

/// Which file of its range holds `gram`: FNV-1a (32 bits) of its UTF-8,
/// which `search.js` computes the same way.
pub fn bucket(gram: &str, buckets: usize) -> usize {
    let mut hash: u32 = 0x811C_9DC5;
    for byte in gram.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % buckets
}

/// LEB128: seven bits a byte, low bits first.
fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A short name for `bytes`: the start of its SHA-256 in URL-safe base64.
fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    text.truncate(HASH_CHARS);
    text
}
