//! Media measurements and sample files.
//!
//! Usage:
//!   cargo run --release --example media -- photo OUT.jpg [WIDTH HEIGHT QUALITY]
//!       the sample site's photo-style image: a landscape stored as a phone
//!       stores a turned photo (EXIF orientation 6) with a GPS position
//!   cargo run --release --example media -- quality IMAGE.jpg
//!       bytes of IMAGE published at 960 px wide at each JPEG quality
//!   cargo run --release --example media -- bench N [WEIKAN_BIN]
//!       a site with N phone photos (4000 × 3000): build time with a cold
//!       and with a warm image cache

#[path = "../tests/media/photo.rs"]
mod photo;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("photo") => {
            let w = args.get(2).map_or(3000, |a| a.parse().expect("width"));
            let h = args.get(3).map_or(2000, |a| a.parse().expect("height"));
            let q = args.get(4).map_or(40, |a| a.parse().expect("quality"));
            let jpeg = photo::phone_jpeg(&photo::landscape(w, h, 7), q);
            fs::write(&args[1], &jpeg).expect("write");
            println!("{}: {w} × {h}, {} bytes", args[1], jpeg.len());
        }
        Some("quality") => quality(Path::new(&args[1])),
        Some("bench") => bench(
            args[1].parse().expect("N"),
            args.get(2).map_or("target/release/weikan", String::as_str),
        ),
        _ => eprintln!("usage: see the top of examples/media.rs"),
    }
}

/// Decodes, turns upright and resizes as weikan does, then encodes at each
/// quality: the table behind `JPEG_QUALITY`.
fn quality(path: &Path) {
    let bytes = fs::read(path).expect("read");
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .expect("format")
        .into_decoder()
        .expect("decoder");
    use image::ImageDecoder;
    let orientation = decoder.orientation().expect("orientation");
    let mut img = image::DynamicImage::from_decoder(decoder).expect("decode");
    img.apply_orientation(orientation);
    let w = 960;
    let h = img.height() * w / img.width();
    let small = img
        .resize_exact(w, h, image::imageops::FilterType::Lanczos3)
        .to_rgb8();
    println!(
        "source {} bytes, {} × {}; at {w} × {h}:",
        bytes.len(),
        img.width(),
        img.height()
    );
    for q in [50u8, 60, 70, 75, 80, 85, 90, 95] {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
            .encode_image(&small)
            .expect("encode");
        println!("  quality {q}: {} bytes", out.len());
    }
}

/// Times `weikan build` on a site of `n` photos, cold and warm cache.
fn bench(n: u32, bin: &str) {
    let dir = tempdir();
    let root = dir.as_path();
    fs::write(
        root.join("site.toml"),
        "title = \"基准\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("site.toml");
    let issue = root.join("issues/001");
    fs::create_dir_all(&issue).expect("issue folder");
    fs::write(
        issue.join("issue.md"),
        "+++\nnumber = 1\ntitle = \"照片\"\ndate = 2026-01-01\n+++\n\n卷首语。\n",
    )
    .expect("issue.md");
    let mut total = 0;
    for i in 0..n {
        let jpeg = photo::phone_jpeg(&photo::landscape(4000, 3000, i), 85);
        total += jpeg.len();
        fs::write(issue.join(format!("p{i:03}.jpg")), jpeg).expect("photo");
        fs::write(
            issue.join(format!("a{i:03}.md")),
            format!(
                "+++\ntitle = \"第{i}篇\"\n+++\n\n一张照片：\n\n![社区花园的早晨](p{i:03}.jpg)\n"
            ),
        )
        .expect("article");
    }
    println!("{n} photos, {:.1} MB of JPEG", total as f64 / 1e6);
    for run in ["cold cache", "warm cache", "warm cache again"] {
        let start = Instant::now();
        let status = Command::new(bin)
            .args(["build", "--root"])
            .arg(root)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run weikan");
        assert!(status.success());
        println!("{run}: {:.2} s", start.elapsed().as_secs_f64());
    }
    fs::remove_dir_all(root).ok();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("weikan-media-bench-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}
