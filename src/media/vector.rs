//! SVG drawings as PNG, for the 公众号, which takes no SVG. Text is drawn
//! with the fonts of the machine that builds (a Chinese system font on an
//! editor's PC), found once per run.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// Fonts with Chinese characters, as Windows, macOS and Linux name them,
/// preferred in this order for a drawing's `sans-serif` (and `serif`) text.
const CHINESE_FONTS: [&str; 8] = [
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
    "SimSun",
    "DejaVu Sans",
];

/// The fonts of this machine, loaded on first use, the generic families
/// set to one with Chinese characters (the library's default is Arial).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            let present = |name: &str| {
                db.faces()
                    .any(|f| f.families.iter().any(|(family, _)| family == name))
            };
            if let Some(name) = CHINESE_FONTS.iter().find(|n| present(n)) {
                db.set_sans_serif_family(*name);
                db.set_serif_family(*name);
            }
            Arc::new(db)
        })
        .clone()
}

/// The drawing `bytes` as a PNG on white, twice its own size (sharp on a
/// phone) but at most `max_width` wide.
pub fn png(bytes: &[u8], max_width: u32) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|e| format!("the drawing cannot be read as SVG: {e}"))?;
    let size = tree.size();
    let scale = (2.0f32).min(max_width as f32 / size.width());
    let (width, height) = (
        (size.width() * scale).ceil().max(1.0) as u32,
        (size.height() * scale).ceil().max(1.0) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("the drawing is too large to draw ({width}×{height})"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("the drawing could not be written as PNG: {e}"))
}
