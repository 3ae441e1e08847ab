//! QR codes as inline SVG, made at build time for printed notice-board sheets.
//!
//! The `qrcode` crate chooses the smallest version that holds the URL at the
//! chosen error-correction level; the SVG is drawn here as one path of
//! horizontal runs, about a third the size of the crate's one-square-per-module
//! SVG, since a sheet carries many codes.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

use crate::markdown::escape;

/// Medium error correction: survives about 15% damage (a crease, a stain on
/// a notice board) while keeping codes small enough for old phone cameras.
pub const EC_LEVEL: EcLevel = EcLevel::M;

/// The light border scanners need, in modules, as the standard asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code ready to print.
#[derive(Debug, Clone)]
pub struct QrSvg {
    /// The `<svg>` element.
    pub svg: String,
    /// The QR version (1–40): how dense the code is.
    pub version: i16,
}

/// Encodes `url`; `label` names the code for screen readers.
pub fn svg(url: &str, label: &str) -> Result<QrSvg, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EC_LEVEL)
        .map_err(|e| format!("`{url}` cannot be put in a QR code: {e}"))?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                )
                .expect("writing to a String cannot fail");
            } else {
                x += 1;
            }
        }
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        escape(label)
    );
    Ok(QrSvg { svg, version })
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
            qr.svg.contains("d=\"M4 4h7v1h-7z"),
            "finder pattern starts at the quiet zone"
        );
    }
}
