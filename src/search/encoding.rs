//! What the index's writers and `search.js` agree on below the grams: the
//! hash that puts each gram into a part, and how numbers are written.
//! The gram, character and posting modules all build on it, so it sits
//! under them.

/// How many parts a range's grams are spread over: the most files a range
/// of the index can have. A power of two, so that any smaller power of two
/// of buckets takes whole parts (`hash % buckets == part % buckets`).
pub const PARTS: usize = 1024;

/// Where FNV-1a starts, before any character.
pub const FNV_OFFSET: u32 = 0x811C_9DC5;

/// One step of FNV-1a over code points rather than bytes (`code` is a
/// code point plus one): one multiply a character, which `search.js`
/// repeats with `Math.imul`. (Code 0, no character, gives a hash that is
/// never used: the fill computes it before knowing it needs it.)
pub fn fnv_step(hash: u32, code: u32) -> u32 {
    (hash ^ code.wrapping_sub(1)).wrapping_mul(0x0100_0193)
}

#[cfg(test)]
/// Which of `buckets` (a power of two, at most [`PARTS`]) files of its
/// range holds `gram`.
pub fn bucket(gram: &str, buckets: usize) -> usize {
    gram.chars()
        .fold(FNV_OFFSET, |hash, c| fnv_step(hash, u32::from(c) + 1)) as usize
        % buckets
}

/// LEB128: seven bits a byte, low bits first.
pub fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}
