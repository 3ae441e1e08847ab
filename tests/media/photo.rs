//! Photo-style test images, made here so no real person's photo is ever
//! needed: a landscape with sky, sun, hills and grass, and the EXIF a phone
//! writes (orientation and the GPS position where it was taken).
//! Shared by tests/suite/media.rs and examples/media.rs.

#![allow(dead_code)] // each user takes a part

use std::io::Cursor;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, Rgb, RgbImage};

/// A landscape `width` × `height`, different for each `seed`, with a
/// little grain so it compresses like a photo, not like a drawing.
pub fn landscape(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut grain = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 3) as f32 - 1.0
    };
    let (w, h) = (width as f32, height as f32);
    let phase = seed as f32 * 0.7;
    let sun = (w * (0.25 + 0.1 * (seed % 5) as f32), h * 0.28, h * 0.08);
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let hill = h * (0.55 + 0.06 * (fx / w * 6.0 + phase).sin() + 0.03 * (fx / w * 17.0).cos());
        let far = h * (0.5 + 0.05 * (fx / w * 3.0 + phase * 2.0).sin());
        let g = grain();
        let px = if fy > hill {
            let t = (fy - hill) / (h - hill).max(1.0);
            let stripe = 8.0 * ((fx * 0.004 + fy * 0.01).sin());
            [
                60.0 + 30.0 * t + stripe,
                120.0 + 40.0 * t + stripe,
                50.0 + 10.0 * t,
            ]
        } else if fy > far {
            [90.0, 120.0, 140.0]
        } else {
            let d = ((fx - sun.0).powi(2) + (fy - sun.1).powi(2)).sqrt();
            let t = fy / far;
            let glow = (1.0 - d / (sun.2 * 4.0)).max(0.0) * 80.0;
            if d < sun.2 {
                [255.0, 236.0, 180.0]
            } else {
                [
                    120.0 + 100.0 * t + glow,
                    170.0 + 60.0 * t + glow * 0.8,
                    235.0 - 20.0 * t,
                ]
            }
        };
        Rgb(px.map(|c| (c + g).clamp(0.0, 255.0) as u8))
    })
}

/// The EXIF block (TIFF data) of a phone photo: `orientation` (1–8), a
/// camera model, and a GPS position (a sample position in Beijing).
pub fn phone_exif(orientation: u16) -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::Model,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Sample Phone".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![dms(39), dms(54), dms(27)]),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![dms(116), dms(23), dms(50)]),
        },
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).expect("EXIF writes");
    out.into_inner()
}

fn dms(n: u32) -> Rational {
    Rational { num: n, denom: 1 }
}

/// `image` stored as a phone stores a photo taken with the phone turned:
/// pixels turned a quarter to the left and EXIF orientation 6 (turn right
/// to show), with GPS, as JPEG at `quality`.
pub fn phone_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let stored = image::imageops::rotate270(image);
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, quality);
    encoder
        .set_exif_metadata(phone_exif(6))
        .expect("JPEG takes EXIF");
    encoder
        .write_image(
            stored.as_raw(),
            stored.width(),
            stored.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("JPEG encodes");
    out
}

/// `image` as PNG with an eXIf chunk carrying orientation 1 and GPS.
pub fn png_with_gps(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new(&mut out);
    encoder
        .set_exif_metadata(phone_exif(1))
        .expect("PNG takes EXIF");
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("PNG encodes");
    out
}
