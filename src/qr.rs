//! QR codes as inline SVG, made at build time for printed notice-board sheets.
//!
//! The `fast_qr` crate chooses the smallest version that holds the URL at the
//! chosen error-correction level and the mask with the lowest penalty, as
//! the standard asks, about six times faster than the `qrcode` crate (a
//! 10,000-article site has 11,000 codes). The SVG is drawn here as one path
//! of horizontal runs, since a sheet carries many codes.

use std::fmt::Write;

use fast_qr::ECL;
use fast_qr::qr::QRBuilder;

use crate::markdown::escape;

/// Medium error correction: survives about 15% damage (a crease, a stain on
/// a notice board) while keeping codes small enough for old phone cameras.
pub const EC_LEVEL: ECL = ECL::M;

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
    let code = QRBuilder::new(url.as_bytes())
        .ecl(EC_LEVEL)
        .build()
        .map_err(|e| format!("`{url}` cannot be put in a QR code: {e}"))?;
    let width = code.size;
    // A version-v code is 4v + 17 modules wide.
    let version = i16::try_from((width - 17) / 4).expect("QR versions are 1 to 40");
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width);
    for (y, row) in code.data[..width * width].chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x].value() {
                let start = x;
                while x < width && row[x].value() {
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
