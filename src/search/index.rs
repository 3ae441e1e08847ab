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
//! the files whose content changed.

use std::collections::HashMap;

use base64::Engine as _;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::fold::{fold, is_space};

/// Articles per range of the index.
pub const RANGE: usize = 2048;
/// Articles per file of stored text.
pub const BLOCK: usize = 8;
/// The size aimed at for one index file, before compression.
const SHARD_TARGET: usize = 8 * 1024;
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

/// Builds every file of the index of `docs` (oldest first): site paths
/// under `dir` (e.g. `search/`) and bytes, the manifest first.
pub fn build(docs: &[Doc], dir: &str) -> Vec<(String, Vec<u8>)> {
    let ranges: Vec<Vec<(u128, Vec<u8>)>> = docs.par_chunks(RANGE).map(range_postings).collect();
    let total: usize = ranges
        .iter()
        .flatten()
        .map(|(_, posting)| posting.len() + 8)
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
            let shard = &mut shards[bucket(&gram, buckets)];
            varint(shard, gram.len());
            shard.extend_from_slice(gram.as_bytes());
            varint(shard, posting.len());
            shard.extend_from_slice(posting);
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
        v: 1,
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

/// One article's grams, by key: for a trigram its positions, of which the
/// first `in_title` are in the title; for a unigram or bigram `in_title`
/// is 1 when it is in the title.
fn doc_grams(doc: &Doc) -> Vec<(u128, Occurrences)> {
    let (chars, title_len) = doc.folded();
    let mut grams: HashMap<u128, Occurrences> = HashMap::new();
    for i in 0..chars.len() {
        let in_title = u32::from(i < title_len);
        // The run of up to three characters from here without a space.
        let run = chars[i..]
            .iter()
            .take(3)
            .take_while(|c| !is_space(**c))
            .count();
        for n in 1..=run.min(2) {
            grams.entry(key(&chars[i..i + n])).or_default().in_title |= in_title;
        }
        if run == 3 {
            let tri = grams.entry(key(&chars[i..i + 3])).or_default();
            tri.positions.push(i as u32);
            tri.in_title += in_title;
        }
    }
    let mut grams: Vec<_> = grams.into_iter().collect();
    grams.sort_unstable_by_key(|(key, _)| *key);
    grams
}

#[derive(Default)]
struct Occurrences {
    in_title: u32,
    positions: Vec<u32>,
}

/// The postings of one range of articles, by gram key.
///
/// A unigram's or bigram's posting: per article, `varint(delta << 1 |
/// in_title)`. A trigram's: per article, `varint(delta) varint(in_title)
/// varint(rest)` and then `in_title + rest` positions, each as the distance
/// from the previous. `delta` is the article's number in the range less the
/// previous article's (the first counts from 0).
fn range_postings(docs: &[Doc]) -> Vec<(u128, Vec<u8>)> {
    let per_doc: Vec<Vec<(u128, Occurrences)>> = docs.par_iter().map(doc_grams).collect();
    let mut postings: HashMap<u128, (usize, Vec<u8>)> = HashMap::new();
    for (local, grams) in per_doc.into_iter().enumerate() {
        for (key, occ) in grams {
            let (last, bytes) = postings.entry(key).or_default();
            let delta = local - *last;
            *last = local;
            if key >> 64 < 3 {
                varint(bytes, delta << 1 | occ.in_title as usize);
                continue;
            }
            varint(bytes, delta);
            varint(bytes, occ.in_title as usize);
            varint(bytes, occ.positions.len() - occ.in_title as usize);
            let mut previous = 0;
            for p in occ.positions {
                varint(bytes, (p - previous) as usize);
                previous = p;
            }
        }
    }
    let mut postings: Vec<(u128, Vec<u8>)> = postings
        .into_iter()
        .map(|(key, (_, bytes))| (key, bytes))
        .collect();
    postings.sort_unstable_by_key(|(key, _)| *key);
    postings
}

/// The key of a gram of one to three characters: its length above bit 64,
/// its characters (21 bits each) below.
fn key(chars: &[char]) -> u128 {
    let packed = chars
        .iter()
        .fold(0u128, |acc, c| acc << 21 | u128::from(u32::from(*c)));
    (chars.len() as u128) << 64 | packed
}

/// The characters of a gram key.
fn gram_text(key: u128) -> String {
    let len = (key >> 64) as u32;
    (0..len)
        .rev()
        .filter_map(|k| char::from_u32(((key >> (21 * k)) & 0x1F_FFFF) as u32))
        .collect()
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
