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

use base64::Engine as _;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

pub use super::grams::Chunk;
use super::grams::{MAX_RANGE, PARTS, TRIGRAM, Text, write_gram};
use super::posting::{Gathering, PartPostings, part_postings, varint};
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
/// its site path under `dir` and bytes.
pub fn manifest(docs: usize, ranges: &[RangeNames], dir: &str) -> (String, Vec<u8>) {
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
    (format!("{dir}index.json"), bytes)
}

/// Every file of the index of `docs` (oldest first), the manifest first.
#[cfg(test)]
pub fn build(docs: &[Doc], dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut ranges = Vec::new();
    let mut chunks = Vec::new();
    for (r, range) in docs.chunks(RANGE).enumerate() {
        let (names, built) = range_files(range, r, dir, &mut chunks);
        ranges.push(names);
        files.extend(built);
    }
    files.insert(0, manifest(docs.len(), &ranges, dir));
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

/// The files of range `r`, whose articles are `docs`: site paths under
/// `dir` and bytes, and the names the manifest lists. `chunks` are lists
/// kept from one range to the next.
pub fn range_files(
    docs: &[Doc],
    r: usize,
    dir: &str,
    chunks: &mut Vec<Chunk>,
) -> (RangeNames, Vec<File>) {
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
        .map_init(Gathering::default, |work, part| {
            part_postings(chunks, part, work)
        })
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
    let shards: Vec<(Option<String>, Vec<File>)> = (0..buckets)
        .into_par_iter()
        .map(|b| shard_files(&parts, b, buckets, r, dir))
        .collect();
    let mut files = Vec::new();
    let mut names = String::new();
    for (hash, built) in shards {
        names.push_str(hash.as_deref().unwrap_or(NO_FILE));
        files.extend(built);
    }
    let first_block = r * RANGE / BLOCK;
    let blocks: Vec<(String, (String, Vec<u8>))> = docs
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(k, block)| {
            let bytes = serde_json::to_vec(block).expect("plain data serialises");
            let hash = content_hash(&bytes);
            let path = format!("{dir}d/{}-{hash}.json", first_block + k);
            (hash, (path, bytes))
        })
        .collect();
    let mut block_names = String::new();
    for (hash, file) in blocks {
        block_names.push_str(&hash);
        files.push(file);
    }
    let shared_name = match shared.file() {
        Some(bytes) => {
            let hash = content_hash(&bytes);
            files.push((format!("{dir}s/{r}-{hash}.bin"), bytes));
            hash
        }
        None => NO_FILE.to_owned(),
    };
    let names = RangeNames {
        buckets,
        shards: names,
        blocks: block_names,
        shared: shared_name,
    };
    (names, files)
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
