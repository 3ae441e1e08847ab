//! Choosing a QR code's mask: of the eight masks, the one whose symbol has
//! the lowest penalty (ISO/IEC 18004 §7.8.3, rules N1–N4, scored over the
//! whole symbol with its format bits, as the reference implementation does).
//!
//! `qrcodegen` makes the same choice, but re-scores a symbol through bounds-
//! checked module look-ups eight times, which is 95% of its cost for a
//! site's short URLs (about 230 of 240 µs a code). Here the symbol is
//! encoded once with mask 0 and each candidate is derived from it by
//! flipping the data modules where the two masks differ and redrawing the
//! format bits; a test checks the result against `qrcodegen`'s own choice.

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
    let base: Vec<bool> = (0..size)
        .flat_map(|y| (0..size).map(move |x| (x, y)))
        .map(|(x, y)| code.get_module(x, y))
        .collect();
    let data = data_modules(code);
    let ecl = code.error_correction_level();
    let mut best: Option<(u32, Vec<bool>, u8)> = None;
    let mut candidate = vec![false; n * n];
    for mask in 0..8 {
        for (i, module) in candidate.iter_mut().enumerate() {
            let (x, y) = (i % n, i / n);
            *module = base[i] ^ (data[i] && (inverts(0, x, y) != inverts(mask, x, y)));
        }
        draw_format_bits(&mut candidate, n, ecl, mask);
        let score = penalty(&candidate, n);
        // Strictly lower: on a tie the lower mask number stays, as in the
        // reference implementation.
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, candidate.clone(), mask));
        }
    }
    let (_, modules, mask) = best.expect("eight masks were scored");
    (modules, mask)
}

/// Whether mask `mask` inverts the module at column `x`, row `y`.
fn inverts(mask: u8, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (x / 3 + y / 2) % 2 == 0,
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3) % 2 == 0,
        _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
    }
}

/// Which modules carry data (and so are masked), row by row: all but the
/// finder patterns with their separators and format areas, the timing
/// patterns, the alignment patterns and the version areas.
fn data_modules(code: &QrCode) -> Vec<bool> {
    let n = code.size() as usize;
    let version = usize::from(code.version().value());
    let centres = alignment_centres(version, n);
    let last = centres.len().saturating_sub(1);
    let aligned = |c: usize, x: usize| c.abs_diff(x) <= 2;
    let mut data = vec![true; n * n];
    for (i, module) in data.iter_mut().enumerate() {
        let (x, y) = (i % n, i / n);
        let finder = (x < 9 && y < 9) || (x >= n - 8 && y < 9) || (x < 9 && y >= n - 8);
        let timing = x == 6 || y == 6;
        let alignment = centres.iter().enumerate().any(|(i, &cy)| {
            centres.iter().enumerate().any(|(j, &cx)| {
                // None on the three finder corners.
                let corner = (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0);
                !corner && aligned(cx, x) && aligned(cy, y)
            })
        });
        let version_info = version >= 7
            && ((x < 6 && (n - 11..n - 8).contains(&y)) || (y < 6 && (n - 11..n - 8).contains(&x)));
        *module = !(finder || timing || alignment || version_info);
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
fn draw_format_bits(modules: &mut [bool], n: usize, ecl: QrCodeEcc, mask: u8) {
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
    let mut set = |x: usize, y: usize, dark: bool| modules[y * n + x] = dark;
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

/// The symbol's penalty: runs and finder-like patterns in rows and columns,
/// 2×2 blocks of one colour, and the balance of dark and light.
fn penalty(modules: &[bool], n: usize) -> u32 {
    let mut score = 0;
    for k in 0..n {
        score += line_penalty((0..n).map(|x| modules[k * n + x]), n);
        score += line_penalty((0..n).map(|y| modules[y * n + k]), n);
    }
    for y in 0..n - 1 {
        let (row, next) = (
            &modules[y * n..(y + 1) * n],
            &modules[(y + 1) * n..(y + 2) * n],
        );
        for x in 0..n - 1 {
            let c = row[x];
            if row[x + 1] == c && next[x] == c && next[x + 1] == c {
                score += N2;
            }
        }
    }
    let dark = modules.iter().filter(|&&m| m).count();
    let total = n * n;
    // The smallest k ≥ 0 with (45 − 5k)% ≤ dark share ≤ (55 + 5k)%.
    let k = ((dark * 20).abs_diff(total * 10) + total - 1) / total - 1;
    score + k as u32 * N4
}

/// Penalty of one row or column of `n` modules: N1 for runs of five or more
/// of one colour, N3 for each dark 1:1:3:1:1 pattern with four light
/// modules on either side (the quiet zone counting as light).
fn line_penalty(line: impl Iterator<Item = bool>, n: usize) -> u32 {
    let mut score = 0;
    let mut runs = Runs::new(n);
    let mut colour = false;
    let mut length = 0;
    for module in line {
        if module == colour {
            length += 1;
            if length == 5 {
                score += N1;
            } else if length > 5 {
                score += 1;
            }
        } else {
            runs.push(length);
            if !colour {
                score += runs.finder_like() * N3;
            }
            colour = module;
            length = 1;
        }
    }
    if colour {
        runs.push(length);
        length = 0;
    }
    runs.push(length + n);
    score + runs.finder_like() * N3
}

/// The last seven run lengths of a line, newest first, starting on light.
struct Runs {
    lengths: [usize; 7],
    border: usize,
}

impl Runs {
    fn new(n: usize) -> Self {
        Self {
            lengths: [0; 7],
            border: n,
        }
    }

    fn push(&mut self, mut length: usize) {
        if self.lengths[0] == 0 {
            // The first light run continues into the quiet zone.
            length += self.border;
        }
        self.lengths.copy_within(0..6, 1);
        self.lengths[0] = length;
    }

    /// Finder-like patterns ending at the light run just pushed: 0, 1 or 2.
    fn finder_like(&self) -> u32 {
        let r = &self.lengths;
        let m = r[1];
        let core = m > 0 && r[2] == m && r[3] == m * 3 && r[4] == m && r[5] == m;
        u32::from(core && r[0] >= m * 4 && r[6] >= m)
            + u32::from(core && r[6] >= m * 4 && r[0] >= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
