//! QR codes as inline SVG, made at build time for printed notice-board sheets.
//!
//! `qrcodegen` (the reference implementation's port) encodes the URL in the
//! smallest version that holds it at the chosen error-correction level;
//! `qr/mask.rs` picks the mask with the lowest penalty, as the standard asks,
//! faster than the crate's own choice (a 10,000-article site has 13,000
//! codes; `examples/qr_cost` times them). The SVG is drawn here as one
//! stroked path of horizontal runs, since a sheet carries many codes.

mod mask;

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

use crate::html::escape;

/// Medium error correction: survives about 15% damage (a crease, a stain on
/// a notice board) while keeping codes small enough for old phone cameras.
pub const EC_LEVEL: QrCodeEcc = QrCodeEcc::Medium;

/// The light border scanners need, in modules, as the standard asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code ready to print.
#[derive(Debug, Clone)]
pub struct QrSvg {
    /// The `<svg>` element.
    pub svg: String,
    /// The QR version (1–40): how dense the code is.
    pub version: u8,
}

/// The modules of the code of `url`, row by row, its width and version.
fn modules(url: &str) -> Result<(Vec<bool>, usize, u8), String> {
    // Mask 0 first; `mask::best` derives the other seven from it. The level
    // stays M even where a higher one would fit (no boost), as printed
    // sheets promise.
    let code = QrCode::encode_segments_advanced(
        &QrSegment::make_segments(url),
        EC_LEVEL,
        Version::MIN,
        Version::MAX,
        Some(Mask::new(0)),
        false,
    )
    .map_err(|e| format!("`{url}` cannot be put in a QR code: {e}"))?;
    let (modules, _) = mask::best(&code);
    Ok((modules, code.size() as usize, code.version().value()))
}

/// Pixels per module of a PNG code: a version-4 code is 264 px, sharp
/// when the 公众号 shows it at 160 px on a phone of DPR 1.5.
const PNG_SCALE: usize = 8;

/// Encodes `url` as a black-on-white PNG, for a 公众号 正文, which keeps
/// no SVG.
pub fn png(url: &str) -> Result<Vec<u8>, String> {
    let (modules, width, _) = modules(url)?;
    let size = (width + 2 * QUIET_ZONE) * PNG_SCALE;
    let pixels = image::GrayImage::from_fn(size as u32, size as u32, |x, y| {
        let (mx, my) = (x as usize / PNG_SCALE, y as usize / PNG_SCALE);
        let inside = (QUIET_ZONE..QUIET_ZONE + width).contains(&mx)
            && (QUIET_ZONE..QUIET_ZONE + width).contains(&my);
        let dark = inside && modules[(my - QUIET_ZONE) * width + mx - QUIET_ZONE];
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| format!("the QR code could not be written as PNG: {e}"))?;
    Ok(out)
}

/// Encodes `url`; `label` names the code for screen readers.
pub fn svg(url: &str, label: &str) -> Result<QrSvg, String> {
    let (modules, width, version) = modules(url)?;
    let size = width + 2 * QUIET_ZONE;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{}\"/></svg>",
        escape(label),
        runs_path(&modules, width)
    );
    Ok(QrSvg { svg, version })
}

/// Path data drawing each horizontal run of dark modules as a 1-unit-wide
/// stroke along the middle of its row, moving relatively from the end of
/// the previous run: `M4 4.5h7m2 0h1…m-25 1h7`. A stroke with butt caps
/// covers exactly the run's modules, in a third of the bytes of a filled
/// rectangle per run.
fn runs_path(modules: &[bool], width: usize) -> String {
    let mut path = String::with_capacity(width * width / 2);
    let mut pen: Option<(usize, usize)> = None;
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            match pen {
                None => {
                    path.push('M');
                    push_number(&mut path, (start + QUIET_ZONE) as isize);
                    path.push(' ');
                    push_number(&mut path, (y + QUIET_ZONE) as isize);
                    path.push_str(".5");
                }
                Some((px, py)) => {
                    path.push('m');
                    push_number(&mut path, start as isize - px as isize);
                    path.push(' ');
                    push_number(&mut path, (y - py) as isize);
                }
            }
            path.push('h');
            push_number(&mut path, (x - start) as isize);
            pen = Some((x, y));
        }
    }
    path
}

/// Writes `n` in decimal: a sheet has thousands of runs, and `write!`
/// costs several times this.
fn push_number(path: &mut String, n: isize) {
    if n < 0 {
        path.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    path.extend(digits[at..].iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_urls_make_small_codes_with_a_quiet_zone() {
        let qr = svg("https://example.org/weikan/", "首页").unwrap();
        assert_eq!(qr.version, 3);
        // Version 3 is 29 modules wide, plus 4 on each side.
        assert!(qr.svg.contains("viewBox=\"0 0 37 37\""), "{}", qr.svg);
        assert!(qr.svg.contains("aria-label=\"首页\""));
        assert!(
            qr.svg.contains("d=\"M4 4.5h7m"),
            "finder pattern starts at the quiet zone"
        );
    }

    /// Every dark module is painted and no light one: the picture, sampled
    /// at each module's centre, is the symbol the encoder made.
    #[test]
    fn the_picture_is_the_symbol() {
        let url = "https://example.org/weikan/issues/12/sleep-3/";
        let code = QrCode::encode_segments_advanced(
            &QrSegment::make_segments(url),
            EC_LEVEL,
            Version::MIN,
            Version::MAX,
            None,
            false,
        )
        .unwrap();
        let tree = resvg::usvg::Tree::from_str(
            &svg(url, "码").unwrap().svg,
            &resvg::usvg::Options::default(),
        )
        .unwrap();
        let scale = 4;
        let side = tree.size().width() as u32 * scale;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(side, side).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32),
            &mut pixmap.as_mut(),
        );
        let quiet = QUIET_ZONE as i32;
        for y in -quiet..code.size() + quiet {
            for x in -quiet..code.size() + quiet {
                // Every pixel of the module, not only its centre, so a run
                // drawn half a module off would fail.
                for (dx, dy) in [(0, 0), (3, 0), (0, 3), (3, 3)] {
                    let px = (x + quiet) as u32 * scale + dx;
                    let py = (y + quiet) as u32 * scale + dy;
                    let dark = pixmap.pixel(px, py).unwrap().red() < 128;
                    assert_eq!(dark, code.get_module(x, y), "module {x},{y}");
                }
            }
        }
    }
}
