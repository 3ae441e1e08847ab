//! Choosing a QR code's mask: of the eight masks, the one whose symbol has
//! the lowest penalty (ISO/IEC 18004 §7.8.3, rules N1–N4, scored over the
//! whole symbol with its format bits, as the reference implementation does).
//!
//! `qrcodegen` makes the same choice, but re-masks and re-scores the symbol
//! module by module eight times, with a data-dependent branch at nearly
//! every module: about 95% of its cost for a site's short URLs (some 210 of
//! 220 µs a code on a 2-core build machine). Here the symbol is encoded once
//! with mask 0, each candidate is derived from it as rows and columns of
//! bits (flipping the data modules where the two masks differ, redrawing
//! the format bits) and scored with word operations; a test checks mask and
//! modules against `qrcodegen`'s own choice.

use std::sync::LazyLock;

use qrcodegen::{QrCode, QrCodeEcc};

/// Penalty weights of the standard.
const N1: u32 = 3;
const N2: u32 = 3;
const N3: u32 = 40;
const N4: u32 = 10;

/// The modules of `code` (encoded with mask 0) under the best mask, row by
/// row, dark as `true`, and that mask's number.
pub(super) fn best(code: &QrCode) -> (Vec<bool>, u8) {
    debug_assert_eq!(code.mask().value(), 0, "candidates are derived from mask 0");
    let size = code.size();
    let n = size as usize;
    let base = Lines::from_fn(n, |x, y| code.get_module(x as i32, y as i32));
    let data = data_modules(code);
    let data = Lines::from_fn(n, |x, y| data[y * n + x]);
    let ecl = code.error_correction_level();
    let mut best: Option<(u32, Lines, u8)> = None;
    for mask in 0..8 {
        let mut candidate = base.clone();
        // Flip the data modules that mask 0 and this mask treat differently.
        for (y, row) in candidate.rows.iter_mut().enumerate() {
            let (a, b) = (&ROWS[0][y % 12], &ROWS[usize::from(mask)][y % 12]);
            for w in 0..3 {
                row[w] ^= data.rows[y][w] & (a[w] ^ b[w]);
            }
        }
        for (x, col) in candidate.cols.iter_mut().enumerate() {
            let (a, b) = (&COLS[0][x % 12], &COLS[usize::from(mask)][x % 12]);
            for w in 0..3 {
                col[w] ^= data.cols[x][w] & (a[w] ^ b[w]);
            }
        }
        draw_format_bits(n, ecl, mask, |x, y, dark| candidate.set(x, y, dark));
        // Strictly lower: on a tie the lower mask number stays, as in the
        // reference implementation.
        let bound = best.as_ref().map_or(u32::MAX, |(s, _, _)| *s);
        if let Some(score) = penalty_below(&candidate, n, bound) {
            best = Some((score, candidate, mask));
        }
    }
    let (_, lines, mask) = best.expect("eight masks were scored");
    let modules = (0..n)
        .flat_map(|y| (0..n).map(move |x| (x, y)))
        .map(|(x, y)| lines.rows[y][x / 64] >> (x % 64) & 1 == 1)
        .collect();
    (modules, mask)
}

/// A symbol as bit lines, both by row and by column, so that every line is
/// scored with word operations.
#[derive(Clone)]
struct Lines {
    rows: Vec<Line>,
    cols: Vec<Line>,
}

impl Lines {
    /// The `n`×`n` symbol whose module at column `x`, row `y` is `dark(x, y)`.
    fn from_fn(n: usize, dark: impl Fn(usize, usize) -> bool) -> Self {
        let mut lines = Self {
            rows: vec![[0; 3]; n],
            cols: vec![[0; 3]; n],
        };
        for y in 0..n {
            for x in 0..n {
                lines.set(x, y, dark(x, y));
            }
        }
        lines
    }

    fn set(&mut self, x: usize, y: usize, dark: bool) {
        let (row, col) = (&mut self.rows[y][x / 64], &mut self.cols[x][y / 64]);
        *row = *row & !(1 << (x % 64)) | u64::from(dark) << (x % 64);
        *col = *col & !(1 << (y % 64)) | u64::from(dark) << (y % 64);
    }
}

/// Every mask depends on a row's (column's) index only modulo 12.
type Phases = [[Line; 12]; 8];

/// `ROWS[mask][y % 12]`: the modules of row `y` the mask inverts.
static ROWS: LazyLock<Phases> = LazyLock::new(|| phases(|mask, y, x| inverts(mask, x, y)));

/// `COLS[mask][x % 12]`: the modules of column `x` the mask inverts.
static COLS: LazyLock<Phases> = LazyLock::new(|| phases(inverts));

/// The lines of every mask and phase, from `inverts(mask, phase, i)`.
fn phases(inverts: fn(u8, usize, usize) -> bool) -> Phases {
    let mut all = [[[0; 3]; 12]; 8];
    for (mask, lines) in (0..8).zip(&mut all) {
        for (phase, line) in lines.iter_mut().enumerate() {
            for i in 0..192 {
                line[i / 64] |= u64::from(inverts(mask, phase, i)) << (i % 64);
            }
        }
    }
    all
}

/// Whether mask `mask` inverts the module at column `x`, row `y`.
fn inverts(mask: u8, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + x * y % 3).is_multiple_of(2),
    }
}

/// Which modules carry data (and so are masked), row by row: all but the
/// finder patterns with their separators and format areas, the timing
/// patterns, the alignment patterns and the version areas.
fn data_modules(code: &QrCode) -> Vec<bool> {
    let n = code.size() as usize;
    let version = usize::from(code.version().value());
    let mut data = vec![true; n * n];
    let mut function = |x0: usize, y0: usize, w: usize, h: usize| {
        for row in data[y0 * n..(y0 + h) * n].chunks_mut(n) {
            row[x0..x0 + w].fill(false);
        }
    };
    function(0, 0, 9, 9);
    function(n - 8, 0, 8, 9);
    function(0, n - 8, 9, 8);
    function(6, 0, 1, n);
    function(0, 6, n, 1);
    let centres = alignment_centres(version, n);
    let last = centres.len().saturating_sub(1);
    for (i, &cy) in centres.iter().enumerate() {
        for (j, &cx) in centres.iter().enumerate() {
            // None on the three finder corners.
            if !((i == 0 && (j == 0 || j == last)) || (i == last && j == 0)) {
                function(cx - 2, cy - 2, 5, 5);
            }
        }
    }
    if version >= 7 {
        function(n - 11, 0, 3, 6);
        function(0, n - 11, 6, 3);
    }
    data
}

/// The rows (and columns) of the alignment patterns' centres.
fn alignment_centres(version: usize, n: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut centres: Vec<usize> = (0..count - 1).map(|i| n - 7 - i * step).collect();
    centres.push(6);
    centres.reverse();
    centres
}

/// Draws both copies of the 15 format bits (level and mask, BCH-protected).
fn draw_format_bits(n: usize, ecl: QrCodeEcc, mask: u8, mut set: impl FnMut(usize, usize, bool)) {
    // The level's two bits, as the standard numbers them.
    let level: u8 = match ecl {
        QrCodeEcc::Low => 1,
        QrCodeEcc::Medium => 0,
        QrCodeEcc::Quartile => 3,
        QrCodeEcc::High => 2,
    };
    let data = u32::from(level << 3 | mask);
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    let bits = (data << 10 | rem) ^ 0x5412;
    let bit = |i: usize| (bits >> i) & 1 == 1;
    for i in 0..6 {
        set(8, i, bit(i));
    }
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for i in 9..15 {
        set(14 - i, 8, bit(i));
    }
    for i in 0..8 {
        set(n - 1 - i, 8, bit(i));
    }
    for i in 8..15 {
        set(8, n - 15 + i, bit(i));
    }
    set(8, n - 8, true);
}

/// A row or column of up to 177 modules as bits, dark as 1, module `i` at
/// bit `i % 64` of word `i / 64`. Scoring lines as bits rather than module
/// by module avoids a mispredicted branch at nearly every module, which is
/// what makes mask choice slow.
type Line = [u64; 3];

/// The symbol's penalty (runs and finder-like patterns in rows and
/// columns, 2×2 blocks of one colour, and the balance of dark and light)
/// if it is below `bound`; `None` as soon as it cannot be, since a mask
/// that already scores worse than the best so far need not be scored to
/// the end.
fn penalty_below(lines: &Lines, n: usize, bound: u32) -> Option<u32> {
    let (rows, cols) = (&lines.rows, &lines.cols);
    // The cheap parts first, so that the bound bites early.
    let dark: usize = rows.iter().flatten().map(|w| w.count_ones() as usize).sum();
    let total = n * n;
    // The smallest k ≥ 0 with (45 − 5k)% ≤ dark share ≤ (55 + 5k)%.
    let k = (dark * 20).abs_diff(total * 10).div_ceil(total) - 1;
    let mut score = k as u32 * N4;
    // Bits 0..n-1: the 2×2 blocks' left columns.
    let inner = ones(n - 1);
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (a_right, b_right) = (shift_down(a), shift_down(b));
        let blocks: u32 = (0..3)
            .map(|w| {
                (!(a[w] ^ b[w]) & !(a[w] ^ a_right[w]) & !(b[w] ^ b_right[w]) & inner[w])
                    .count_ones()
            })
            .sum();
        score += blocks * N2;
    }
    for line in rows.iter().chain(cols) {
        if score >= bound {
            return None;
        }
        score += if n <= WORD_LINE {
            word_line_penalty(line, n)
        } else {
            line_penalty(line, n)
        };
    }
    (score < bound).then_some(score)
}

/// Bits `0..count` set.
fn ones(count: usize) -> Line {
    let mut line = [0; 3];
    for (w, word) in line.iter_mut().enumerate() {
        let bits = count.saturating_sub(w * 64).min(64);
        *word = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
    }
    line
}

/// Module `i + 1` at position `i`.
fn shift_down(line: &Line) -> Line {
    [
        line[0] >> 1 | line[1] << 63,
        line[1] >> 1 | line[2] << 63,
        line[2] >> 1,
    ]
}

/// Penalty of one line of `n` modules: N1 for runs of five or more of one
/// colour, N3 for each dark 1:1:3:1:1 pattern with four light modules on
/// either side (the quiet zone counting as light).
fn line_penalty(line: &Line, n: usize) -> u32 {
    // Bit i set where module i differs from module i - 1 (light before 0).
    let shifted = [
        line[0] << 1,
        line[1] << 1 | line[0] >> 63,
        line[2] << 1 | line[1] >> 63,
    ];
    let within = ones(n);
    let mut score = 0;
    let mut runs = Runs::new(n);
    let mut dark = false;
    let mut start = 0;
    for w in 0..n.div_ceil(64) {
        let mut changes = (line[w] ^ shifted[w]) & within[w];
        while changes != 0 {
            let end = w * 64 + changes.trailing_zeros() as usize;
            changes &= changes - 1;
            score += long_run(end - start);
            runs.push(end - start);
            if !dark {
                score += runs.finder_like() * N3;
            }
            dark = !dark;
            start = end;
        }
    }
    let last = n - start;
    score += long_run(last);
    if dark {
        runs.push(last);
        runs.push(n);
    } else {
        runs.push(last + n);
    }
    score + runs.finder_like() * N3
}

/// The widest line [`word_line_penalty`] scores: one word holds the line
/// with at least 12 light modules on either side.
const WORD_LINE: usize = 100;

/// [`line_penalty`] for a line of at most [`WORD_LINE`] modules, with a
/// few operations on one 128-bit word instead of a step a run, unless the
/// line has a dark run of six or more (a finder-like pattern two or more
/// modules a unit could then be there, which only the runs tell).
fn word_line_penalty(line: &Line, n: usize) -> u32 {
    // Module i at bit i + 8; the bits around the line are light, as the
    // quiet zone is.
    let x = (u128::from(line[1]) << 64 | u128::from(line[0])) << 8;
    let dark_six = x & x >> 1 & x >> 2 & x >> 3 & x >> 4 & x >> 5;
    if dark_six != 0 {
        return line_penalty(line, n);
    }
    // Bit j: modules j and j + 1 (both in the line) of one colour.
    let pairs = (1u128 << (n - 1)) - 1;
    let same = !(x ^ x >> 1) & pairs << 8;
    // Bit j: five modules of one colour from j. A run of L ≥ 5 has L − 4
    // such starts and scores N1 + L − 5 = (L − 4) + (N1 − 1).
    let five = same & same >> 1 & same >> 2 & same >> 3;
    let runs = (five & !(five << 1)).count_ones();
    let mut score = five.count_ones() + runs * (N1 - 1);
    // Bit q: modules q..q+8 are light, dark, light, dark ×3, light, dark,
    // light: a dark 1:1:3:1:1 pattern with light on both sides.
    let light = !x;
    let core =
        light & x >> 1 & light >> 2 & x >> 3 & x >> 4 & x >> 5 & light >> 6 & x >> 7 & light >> 8;
    // Four light modules before it (q−3..q) and after it (q+8..q+11).
    let before = light & light << 1 & light << 2 & light << 3;
    let after = light >> 8 & light >> 9 & light >> 10 & light >> 11;
    score += ((core & before).count_ones() + (core & after).count_ones()) * N3;
    score
}

/// N1 for a run of `length` modules of one colour, and 1 more for each
/// module past five.
fn long_run(length: usize) -> u32 {
    if length >= 5 {
        N1 + (length - 5) as u32
    } else {
        0
    }
}

/// The last seven run lengths of a line, starting on light, in a ring (a
/// shifting array stalls on store forwarding in this hot loop).
struct Runs {
    ring: [usize; 8],
    /// How many runs were pushed.
    count: usize,
    border: usize,
}

impl Runs {
    fn new(n: usize) -> Self {
        Self {
            ring: [0; 8],
            count: 0,
            border: n,
        }
    }

    fn push(&mut self, length: usize) {
        // The first light run continues into the quiet zone.
        let border = if self.count == 0 { self.border } else { 0 };
        self.ring[self.count % 8] = length + border;
        self.count += 1;
    }

    /// The run pushed `back` pushes ago (0: the latest), 0 before the line:
    /// slots not yet written are still 0, so no branch is needed.
    fn back(&self, back: usize) -> usize {
        self.ring[self.count.wrapping_sub(1 + back) % 8]
    }

    /// Finder-like patterns ending at the light run just pushed: 0, 1 or 2.
    fn finder_like(&self) -> u32 {
        let r = |i| self.back(i);
        let m = r(1);
        // `&`, not `&&`: evaluating every test beats a branch per test.
        let core = (m > 0) & (r(2) == m) & (r(3) == m * 3) & (r(4) == m) & (r(5) == m);
        u32::from(core & (r(0) >= m * 4) & (r(6) >= m))
            + u32::from(core & (r(6) >= m * 4) & (r(0) >= m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_scoring_agrees_with_run_scoring() {
        let mut rng = fastrand::Rng::with_seed(5);
        let mut fast = 0;
        for _ in 0..20_000 {
            let n = [21, 25, 29, 33, 37, 57, 77, 97, 100][rng.usize(..9)];
            // Dense, sparse and even lines, so every pattern turns up.
            let dark = [0.2, 0.5, 0.7][rng.usize(..3)];
            let mut line = [0; 3];
            for i in 0..n {
                if rng.f64() < dark {
                    line[i / 64] |= 1 << (i % 64);
                }
            }
            let x = u128::from(line[1]) << 64 | u128::from(line[0]);
            fast += usize::from(x & x >> 1 & x >> 2 & x >> 3 & x >> 4 & x >> 5 == 0);
            assert_eq!(
                word_line_penalty(&line, n),
                line_penalty(&line, n),
                "{line:?} {n}"
            );
        }
        assert!(fast > 10_000, "{fast} lines took the word path");
    }
    use qrcodegen::{QrSegment, Version};

    fn encode(text: &str, mask: Option<qrcodegen::Mask>) -> QrCode {
        let segments = QrSegment::make_segments(text);
        QrCode::encode_segments_advanced(
            &segments,
            QrCodeEcc::Medium,
            Version::MIN,
            Version::MAX,
            mask,
            false,
        )
        .unwrap()
    }

    /// The reference implementation's own choice is the oracle: same mask,
    /// same modules, for versions 1 to 27 (with and without version areas
    /// and alignment patterns) and every mask winning somewhere.
    #[test]
    fn picks_the_reference_implementations_mask() {
        let mut winners = [0; 8];
        let mut versions = std::collections::BTreeSet::new();
        let lengths = (1..120).chain((120..900).step_by(37));
        for (i, len) in lengths.enumerate() {
            let text: String = format!("https://example.org/weikan/issues/{i}/")
                .chars()
                .chain(
                    "abcdefghijklmnopqrstuvwxyz0123456789-/"
                        .chars()
                        .cycle()
                        .skip(i),
                )
                .take(len)
                .collect();
            let reference = encode(&text, None);
            let (modules, mask) = best(&encode(&text, Some(qrcodegen::Mask::new(0))));
            assert_eq!(mask, reference.mask().value(), "{text}");
            let size = reference.size();
            let expected: Vec<bool> = (0..size)
                .flat_map(|y| (0..size).map(move |x| (x, y)))
                .map(|(x, y)| reference.get_module(x, y))
                .collect();
            assert!(modules == expected, "modules differ for {text}");
            winners[usize::from(mask)] += 1;
            versions.insert(reference.version().value());
        }
        assert!(winners.iter().all(|&w| w > 0), "{winners:?}");
        assert!(
            versions.contains(&1) && versions.contains(&7),
            "{versions:?}"
        );
        assert!(versions.last() > Some(&20), "{versions:?}");
    }
}
