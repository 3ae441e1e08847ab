//! Published images kept between builds under `.weikan-cache/images/` in
//! the site folder, named by a hash of the source bytes and of everything
//! that shapes the result, so a rebuild with no new image decodes nothing
//! and still writes byte-identical output.
//!
//! An entry is `<hash>-<width>.<ext>` per size and `<hash>.txt` listing the
//! sizes, written last: an entry without its list is incomplete and made
//! again.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::CACHE_DIR;
use super::picture::{self, Format};
use crate::config::ImageOptions;
use crate::content::CopiedFile;

/// Bump when the published bytes change for the same input (new encoder,
/// new settings), so old entries are not used.
const PIPELINE_VERSION: u32 = 1;

/// The image cache of one site.
pub struct Cache {
    root: PathBuf,
    options: ImageOptions,
    /// Whether new entries are stored; when not, images are only checked.
    write: bool,
}

/// One published size of an image.
pub struct Size {
    /// Its site path.
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The cached file, relative to the site folder.
    pub cache_file: PathBuf,
}

/// An image's published sizes, widest first.
pub struct Published {
    /// Never empty.
    pub sizes: Vec<Size>,
}

impl Cache {
    /// The cache of the site at `root`, storing new entries if `write`.
    pub fn new(root: &Path, options: ImageOptions, write: bool) -> Cache {
        Cache {
            root: root.to_path_buf(),
            options,
            write,
        }
    }

    /// Publishes `file` (a JPEG or PNG), from the cache when it has it.
    pub fn publish(&self, file: &CopiedFile) -> Result<Published, String> {
        let format = Format::of(&file.path).ok_or("not an image")?;
        let bytes = fs::read(self.root.join(&file.source))
            .map_err(|e| format!("cannot read the image: {e}"))?;
        let key = self.key(&bytes, format);
        let ext = if format == Format::Png { "png" } else { "jpg" };
        let dir = Path::new(CACHE_DIR);
        let cached = |width: u32| dir.join(format!("{key}-{width}.{ext}"));
        let list = dir.join(format!("{key}.txt"));
        let sizes_of = |dims: &[(u32, u32)]| -> Vec<Size> {
            dims.iter()
                .enumerate()
                .map(|(i, &(width, height))| Size {
                    path: if i == 0 {
                        file.path.clone()
                    } else {
                        sized_path(&file.path, width)
                    },
                    width,
                    height,
                    cache_file: cached(width),
                })
                .collect()
        };

        if let Some(dims) = self.read_list(&list)
            && dims
                .iter()
                .all(|(w, _)| self.root.join(cached(*w)).is_file())
        {
            return Ok(Published {
                sizes: sizes_of(&dims),
            });
        }
        let encoded = picture::publish(&bytes, format, self.options.max_width.get())?;
        let dims: Vec<(u32, u32)> = encoded.iter().map(|e| (e.width, e.height)).collect();
        if !self.write {
            return Ok(Published {
                sizes: sizes_of(&dims),
            });
        }
        fs::create_dir_all(self.root.join(dir)).map_err(|e| cache_error(dir, &e))?;
        let mut text = String::new();
        for e in &encoded {
            write_atomically(&self.root.join(cached(e.width)), &e.bytes)
                .map_err(|err| cache_error(&cached(e.width), &err))?;
            text.push_str(&format!("{} {}\n", e.width, e.height));
        }
        write_atomically(&self.root.join(&list), text.as_bytes())
            .map_err(|e| cache_error(&list, &e))?;
        Ok(Published {
            sizes: sizes_of(&dims),
        })
    }

    /// The cover crop of `width` × `height` of the image at `source`
    /// (relative to the site folder): the cached file, made and stored
    /// first when the cache does not have it yet.
    pub fn crop(&self, source: &Path, (width, height): (u32, u32)) -> Result<PathBuf, String> {
        let quality = picture::JPEG_QUALITY;
        let name = format!("crop-{width}x{height}.jpg");
        self.derived(
            source,
            &format!("crop|{width}x{height}|q{quality}"),
            &name,
            |bytes| picture::crop(bytes, (width, height)),
        )
    }

    /// The SVG drawing at `source` as a PNG, likewise.
    pub fn svg_png(&self, source: &Path) -> Result<PathBuf, String> {
        let max = self.options.max_width.get();
        self.derived(source, &format!("svg|w{max}"), "svg.png", |bytes| {
            super::vector::png(bytes, max)
        })
    }

    /// A file made from the one at `source` by `make`, cached under a hash
    /// of its bytes and `recipe` (everything else that shapes it), named
    /// `<hash>-<name>`.
    fn derived(
        &self,
        source: &Path,
        recipe: &str,
        name: &str,
        make: impl FnOnce(&[u8]) -> Result<Vec<u8>, String>,
    ) -> Result<PathBuf, String> {
        let bytes =
            fs::read(self.root.join(source)).map_err(|e| format!("cannot read the image: {e}"))?;
        let mut hash = Sha256::new();
        hash.update(&bytes);
        hash.update(format!("|{recipe}|v{PIPELINE_VERSION}").as_bytes());
        let key: String = hash
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        let dir = Path::new(CACHE_DIR);
        let cached = dir.join(format!("{key}-{name}"));
        if self.root.join(&cached).is_file() {
            return Ok(cached);
        }
        let made = make(&bytes)?;
        if self.write {
            fs::create_dir_all(self.root.join(dir)).map_err(|e| cache_error(dir, &e))?;
            write_atomically(&self.root.join(&cached), &made)
                .map_err(|e| cache_error(&cached, &e))?;
        }
        Ok(cached)
    }

    /// The cache key: the source and every setting that shapes the output.
    fn key(&self, bytes: &[u8], format: Format) -> String {
        let mut hash = Sha256::new();
        hash.update(bytes);
        hash.update(
            format!(
                "|v{PIPELINE_VERSION}|w{}|q{}|{format:?}",
                self.options.max_width,
                picture::JPEG_QUALITY
            )
            .as_bytes(),
        );
        hash.finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The sizes an entry lists, if its list is there and well formed.
    fn read_list(&self, list: &Path) -> Option<Vec<(u32, u32)>> {
        let text = fs::read_to_string(self.root.join(list)).ok()?;
        let dims: Option<Vec<(u32, u32)>> = text
            .lines()
            .map(|l| {
                let (w, h) = l.split_once(' ')?;
                Some((w.parse().ok()?, h.parse().ok()?))
            })
            .collect();
        dims.filter(|d| !d.is_empty())
    }
}

/// `photo-480w.jpg` for `photo.jpg` at 480 px.
fn sized_path(path: &str, width: u32) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("{stem}-{width}w.{ext}"),
        _ => format!("{path}-{width}w"),
    }
}

fn cache_error(path: &Path, e: &std::io::Error) -> String {
    format!(
        "cannot write the image cache `{}`: {e} (the site folder must be writable)",
        path.display()
    )
}

/// Writes through a temporary file and a rename, so a build running at the
/// same time, or killed halfway, never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!(
        "tmp{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::sized_path;

    #[test]
    fn smaller_sizes_are_named_by_width() {
        assert_eq!(sized_path("issues/1/图.jpg", 480), "issues/1/图-480w.jpg");
        assert_eq!(sized_path("a.b/c", 480), "a.b/c-480w");
    }
}
