//! One image made fit for phones: decoded, turned upright by its EXIF
//! orientation, resized, and encoded again, which leaves every piece of
//! metadata (EXIF, GPS, XMP, text chunks) behind.

use std::io::Cursor;

use fast_image_resize::{self as fr, images::Image as FrImage};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits};

/// JPEG quality of published images. Measured on the sample photo at
/// 960 px (see README, "Images"): 80 is where the size curve bends; above
/// it bytes grow fast for differences nobody sees on a phone.
pub const JPEG_QUALITY: u8 = 80;

/// The published formats: each image keeps its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.jpg` / `.jpeg`.
    Jpeg,
    /// `.png`.
    Png,
}

impl Format {
    /// The format a site path's extension names, if it is one.
    pub fn of(path: &str) -> Option<Format> {
        match super::extension(path).as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }
}

/// One encoded size.
pub struct Encoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Decodes `bytes` and encodes it as `format` at its own width when that is
/// at most `max_width`, else at `max_width` and at half of it (widest
/// first). A damaged or unreadable image is an error saying why.
pub fn publish(bytes: &[u8], format: Format, max_width: u32) -> Result<Vec<Encoded>, String> {
    // The decoders are meant never to panic; a damaged file must not stop
    // the build even if one does.
    std::panic::catch_unwind(|| publish_inner(bytes, format, max_width))
        .unwrap_or_else(|_| Err("the image decoder failed on this file".into()))
}

fn publish_inner(bytes: &[u8], format: Format, max_width: u32) -> Result<Vec<Encoded>, String> {
    let image = decode_upright(bytes)?;
    let (width, height) = (image.width(), image.height());
    let widths = if width > max_width {
        vec![max_width, (max_width / 2).max(1)]
    } else {
        vec![width]
    };
    let image = match (format, image.color().has_alpha()) {
        (Format::Png, true) => DynamicImage::ImageRgba8(image.to_rgba8()),
        _ => DynamicImage::ImageRgb8(image.to_rgb8()),
    };
    widths
        .into_iter()
        .map(|w| {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
                .max(1) as u32;
            let sized = if w == width {
                image.clone()
            } else {
                resize(&image, w, h)?
            };
            Ok(Encoded {
                width: w,
                height: h,
                bytes: encode(&sized, format)?,
            })
        })
        .collect()
}

/// A JPEG of `width` × `height` cut from the middle of the image `bytes`
/// (the largest region of that shape, centred) and resized to it: a cover
/// crop. Transparent pixels are laid on white.
pub fn crop(bytes: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, String> {
    std::panic::catch_unwind(|| {
        let image = decode_upright(bytes)?;
        let (w, h) = (u64::from(image.width()), u64::from(image.height()));
        let (tw, th) = (u64::from(width), u64::from(height));
        // The largest region of the target's shape: full width or full height.
        let (cw, ch) = if w * th > h * tw {
            ((h * tw / th).max(1), h)
        } else {
            (w, (w * th / tw).max(1))
        };
        let (x, y) = ((w - cw) / 2, (h - ch) / 2);
        let region = image.crop_imm(x as u32, y as u32, cw as u32, ch as u32);
        let rgb = DynamicImage::ImageRgb8(on_white(&region));
        let sized = resize(&rgb, width, height)?;
        encode(&sized, Format::Jpeg)
    })
    .unwrap_or_else(|_| Err("the image decoder failed on this file".into()))
}

/// The image as RGB, transparent pixels laid on white.
fn on_white(image: &DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// Decodes and applies the EXIF orientation, so the pixels stand as the
/// photographer saw them once the tag is gone.
fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    // A 100-megapixel photo fits; a file claiming more is damaged or hostile.
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(1024 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let orientation = decoder.orientation().map_err(describe)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn describe(e: image::ImageError) -> String {
    match e {
        image::ImageError::Unsupported(_) => {
            format!("this is not a JPEG or PNG weikan can read ({e})")
        }
        other => format!("the image is damaged or unreadable ({other})"),
    }
}

/// Resizes with a Lanczos filter, alpha handled premultiplied.
fn resize(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let pixel = match image {
        DynamicImage::ImageRgba8(_) => fr::PixelType::U8x4,
        _ => fr::PixelType::U8x3,
    };
    let mut dst = FrImage::new(width, height, pixel);
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new()
        .resize(image, &mut dst, &options)
        .map_err(|e| format!("resizing failed: {e}"))?;
    let buffer = dst.into_vec();
    let image = match pixel {
        fr::PixelType::U8x4 => {
            image::RgbaImage::from_raw(width, height, buffer).map(DynamicImage::ImageRgba8)
        }
        _ => image::RgbImage::from_raw(width, height, buffer).map(DynamicImage::ImageRgb8),
    };
    image.ok_or_else(|| "resizing gave a buffer of the wrong size".to_owned())
}

/// Encodes with no metadata at all.
fn encode(image: &DynamicImage, format: Format) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h, color) = (image.width(), image.height(), image.color().into());
    let result = match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
            image.as_bytes(),
            w,
            h,
            color,
        ),
        Format::Png => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive)
                .write_image(image.as_bytes(), w, h, color)
        }
    };
    result.map_err(|e| format!("encoding failed: {e}"))?;
    Ok(out)
}
