//! Media for phones: images published small and private, audio and video
//! lessons (微课) as players.
//!
//! [`publish`] is the one seam into the pipeline: while the site is built it
//! takes the list of copied files, publishes every JPEG and PNG once
//! (oriented, stripped of metadata, resized; cached by content hash), notes
//! the size, captions and poster of every audio and video file, and returns
//! a [`MediaIndex`] the Markdown stage looks up by URL.

mod cache;
pub mod html;
mod picture;
mod vector;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::{ImageOptions, SiteConfig};
use crate::content::{CopiedFile, PlayerKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::urls::BaseUrl;
use crate::words::Words;

/// The folder of the site that keeps published images between builds.
pub const CACHE_DIR: &str = ".weikan-cache/images";

/// A player file over this size is a warning: residents pay for data.
const LARGE_MEDIA_BYTES: u64 = 50 * 1_000_000;

/// The kind of lesson a file's extension makes it, if any.
fn player_kind(path: &str) -> Option<PlayerKind> {
    match extension(path).as_str() {
        "mp3" | "m4a" | "ogg" => Some(PlayerKind::Audio),
        "mp4" | "webm" => Some(PlayerKind::Video),
        _ => None,
    }
}

/// One published size of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Its URL, from the base path.
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A published image: its sizes, widest first (the first is its own URL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageInfo {
    /// One or two sizes; never empty.
    pub variants: Vec<Variant>,
}

/// An audio or video file beside a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlayerInfo {
    /// Audio or video.
    pub kind: PlayerKind,
    /// Its URL.
    pub url: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The URL of the `.vtt` captions beside it.
    pub captions: Option<String>,
    /// The `.jpg` beside it, published as an image: a video's poster.
    pub poster: Option<Variant>,
}

/// What the Markdown stage knows about a file it links.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MediaInfo {
    /// A published JPEG or PNG.
    Image(ImageInfo),
    /// An audio or video lesson.
    Player(PlayerInfo),
    /// An image that could not be read; the message says why.
    Broken(String),
}

/// Every image and player of the site, by URL.
#[derive(Debug, Default)]
pub struct MediaIndex {
    entries: HashMap<String, MediaInfo>,
    /// The `srclang` of captions: the site's language.
    pub language: String,
    /// The words of players' labels.
    pub words: Words,
}

impl MediaIndex {
    /// What is known of the file at `url` (a link as the Markdown stage
    /// rewrote it, without `#` or `?` parts).
    pub fn get(&self, url: &str) -> Option<&MediaInfo> {
        self.entries.get(url)
    }

    /// A hash of everything pages show of media: rendered bodies stay valid
    /// while it is unchanged.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut entries: Vec<_> = self.entries.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        entries.hash(&mut hasher);
        self.language.hash(&mut hasher);
        self.words.hash(&mut hasher);
        hasher.finish()
    }
}

/// Publishes the media among `files` (see the module docs): each JPEG and
/// PNG is replaced by its published sizes, read from the cache under
/// `root` or made and stored there (only checked when `read_only`);
/// players are labelled in `words`. A
/// damaged image stays out of the output; pages that show it report it
/// where they do.
pub fn publish(
    root: &Path,
    read_only: bool,
    config: &SiteConfig,
    words: &Words,
    files: &mut Vec<CopiedFile>,
    diagnostics: &mut Diagnostics,
) -> MediaIndex {
    let base = &config.base_url;
    let cache = cache::Cache::new(root, config.images, !read_only);
    let (images, others): (Vec<CopiedFile>, Vec<CopiedFile>) = std::mem::take(files)
        .into_iter()
        .partition(|f| picture::Format::of(&f.path).is_some());
    let published: Vec<(CopiedFile, Result<cache::Published, String>)> = images
        .into_par_iter()
        .map(|f| {
            let result = cache.publish(&f);
            (f, result)
        })
        .collect();

    let mut index = MediaIndex {
        language: config.language.clone(),
        words: words.clone(),
        ..MediaIndex::default()
    };
    *files = others;
    for (file, result) in published {
        let url = base.link(&file.path);
        match result {
            Ok(p) => {
                let variants = p
                    .sizes
                    .iter()
                    .map(|s| Variant {
                        url: base.link(&s.path),
                        width: s.width,
                        height: s.height,
                    })
                    .collect();
                files.extend(p.sizes.into_iter().map(|s| CopiedFile {
                    source: s.cache_file,
                    path: s.path,
                }));
                index
                    .entries
                    .insert(url, MediaInfo::Image(ImageInfo { variants }));
            }
            Err(message) => {
                // Pages that show it make this an error at their line.
                diagnostics.push(
                    Diagnostic::file_error(
                        &file.source,
                        format!("{message}; it is left out of the site"),
                    )
                    .as_warning()
                    .with_help(
                        "save it again from the phone or an editor as JPEG or PNG, or remove it",
                    ),
                );
                index.entries.insert(url, MediaInfo::Broken(message));
            }
        }
    }
    add_players(root, base, files, &mut index, diagnostics);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    index
}

/// What is made from an image for the 公众号.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Make {
    /// A JPEG cover crop of this width and height.
    Crop(u32, u32),
    /// The SVG drawing as a PNG.
    Png,
}

/// An image to make from another: from which, to which site path, what.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The image, relative to the site folder (a published image's file).
    pub source: std::path::PathBuf,
    /// The new image's site path.
    pub path: String,
    /// What to make.
    pub make: Make,
    /// The article it is for, relative to the site folder, for messages.
    pub article: std::path::PathBuf,
}

/// Makes each of `wanted` through the image cache of the site at `root`
/// (stored unless `read_only`), in parallel: the files to copy. An image
/// that cannot be made is a warning at its article, and left out.
pub fn derive(
    root: &Path,
    read_only: bool,
    options: ImageOptions,
    wanted: Vec<Derived>,
    diagnostics: &mut Diagnostics,
) -> Vec<CopiedFile> {
    let cache = cache::Cache::new(root, options, !read_only);
    let made: Vec<(Derived, Result<std::path::PathBuf, String>)> = wanted
        .into_par_iter()
        // `check` stores nothing, so an image published for the first time
        // has no file yet to crop; the build that stores it makes the crop.
        .filter(|c| !read_only || root.join(&c.source).is_file())
        .map(|d| {
            let result = match d.make {
                Make::Crop(width, height) => cache.crop(&d.source, (width, height)),
                Make::Png => cache.svg_png(&d.source),
            };
            (d, result)
        })
        .collect();
    let mut files = Vec::with_capacity(made.len());
    for (crop, result) in made {
        match result {
            Ok(source) => files.push(CopiedFile {
                source,
                path: crop.path,
            }),
            Err(message) => diagnostics.push(
                Diagnostic::file_error(
                    &crop.article,
                    format!("its 公众号 cover cannot be made: {message}"),
                )
                .as_warning(),
            ),
        }
    }
    files
}

/// Notes every audio and video file with what lies beside it.
fn add_players(
    root: &Path,
    base: &BaseUrl,
    files: &[CopiedFile],
    index: &mut MediaIndex,
    diagnostics: &mut Diagnostics,
) {
    let by_path: HashMap<&str, &CopiedFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    for file in files {
        let Some(kind) = player_kind(&file.path) else {
            continue;
        };
        let bytes = std::fs::metadata(root.join(&file.source)).map_or(0, |m| m.len());
        if bytes > LARGE_MEDIA_BYTES {
            diagnostics.push(
                Diagnostic::file_error(
                    &file.source,
                    format!(
                        "this {} is {}: a large download on mobile data",
                        kind.english(),
                        html::size(bytes)
                    ),
                )
                .as_warning()
                .with_help(
                    "shorten it, or export it at a lower bitrate (64 kbps is plenty for speech)",
                ),
            );
        }
        let stem = file
            .path
            .rsplit_once('.')
            .map_or(file.path.as_str(), |(s, _)| s);
        let captions = format!("{stem}.vtt");
        let captions = by_path
            .contains_key(captions.as_str())
            .then(|| base.link(&captions));
        let poster = match (kind, index.get(&base.link(&format!("{stem}.jpg")))) {
            (PlayerKind::Video, Some(MediaInfo::Image(image))) => image.variants.first().cloned(),
            _ => None,
        };
        index.entries.insert(
            base.link(&file.path),
            MediaInfo::Player(PlayerInfo {
                kind,
                url: base.link(&file.path),
                bytes,
                captions,
                poster,
            }),
        );
    }
}

/// The lowercased extension of a path, `""` when it has none.
fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}
