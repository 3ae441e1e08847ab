//! The markup of images and players: pure functions of what the index
//! knows, so the sanitiser's allow-list can be read against them.

use std::fmt::Write;

use super::{ImageInfo, PlayerInfo};
use crate::content::PlayerKind;
use crate::html::escape;
use crate::words::{Word, Words};

/// How wide an image shows: the full screen on a phone, the text column
/// (40rem) beyond. A 360 px phone at DPR 2 thus picks the 960 px size.
const SIZES: &str = "(max-width: 40rem) 100vw, 40rem";

/// `<img>` with every published size, its dimensions so nothing moves
/// while it loads, and loading deferred until it is near the screen.
pub fn image(info: &ImageInfo, alt: &str, title: &str) -> String {
    let first = &info.variants[0];
    let mut html = format!("<img src=\"{}\"", escape(&first.url));
    if info.variants.len() > 1 {
        let srcset: Vec<String> = info
            .variants
            .iter()
            .rev()
            .map(|v| format!("{} {}w", escape(&v.url), v.width))
            .collect();
        let _ = write!(html, " srcset=\"{}\" sizes=\"{SIZES}\"", srcset.join(", "));
    }
    let _ = write!(
        html,
        " width=\"{}\" height=\"{}\" alt=\"{}\"",
        first.width,
        first.height,
        escape(alt)
    );
    if !title.is_empty() {
        let _ = write!(html, " title=\"{}\"", escape(title));
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    html
}

/// A `<figure>` with an `<audio>` or `<video>` player that fetches nothing
/// until the reader presses play, its title, size and a download link, in
/// the site's `words` and `language` (the captions' `srclang`).
pub fn player(info: &PlayerInfo, title: &str, words: &Words, language: &str) -> String {
    let url = escape(&info.url);
    let size = size(info.bytes);
    let kind = words.get(info.kind.word());
    let fill = |word| escape(&words.fill(word, &[("kind", kind), ("size", &size)]));
    let tag = match info.kind {
        PlayerKind::Audio => "audio",
        PlayerKind::Video => "video",
    };
    let mut html =
        format!("<figure class=\"media media-{tag}\">\n<{tag} controls preload=\"none\"");
    if info.kind == PlayerKind::Video {
        html.push_str(" playsinline");
        if let Some(poster) = &info.poster {
            let _ = write!(
                html,
                " poster=\"{}\" width=\"{}\" height=\"{}\"",
                escape(&poster.url),
                poster.width,
                poster.height
            );
        }
    }
    let _ = write!(html, " src=\"{url}\">");
    if let Some(captions) = &info.captions {
        let _ = write!(
            html,
            "<track kind=\"captions\" src=\"{}\" srclang=\"{}\" label=\"{}\" default>",
            escape(captions),
            escape(language),
            escape(words.get(Word::Captions))
        );
    }
    // Shown only by browsers that cannot play it.
    let _ = writeln!(
        html,
        "<a href=\"{url}\">{}</a></{tag}>",
        fill(Word::MediaFallback)
    );
    let _ = write!(
        html,
        "<figcaption><span class=\"media-title\">{}</span> <span class=\"media-meta\">{}</span> <a class=\"media-download\" href=\"{url}\" download>{}</a></figcaption>\n</figure>",
        escape(title),
        fill(Word::MediaMeta),
        fill(Word::MediaDownload),
    );
    html
}

/// A file size as phones show it: `3.2 MB`, `850 KB` (powers of 1000).
pub fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else if bytes >= 1000 {
        format!("{} KB", (bytes + 500) / 1000)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::Variant;

    #[test]
    fn sizes_read_like_a_phone() {
        assert_eq!(size(3_240_000), "3.2 MB");
        assert_eq!(size(849_600), "850 KB");
        assert_eq!(size(12), "12 B");
    }

    #[test]
    fn images_offer_both_sizes_and_keep_their_place() {
        let v = |w, h, url: &str| Variant {
            url: url.into(),
            width: w,
            height: h,
        };
        let info = ImageInfo {
            variants: vec![v(960, 640, "/a.jpg"), v(480, 320, "/a-480w.jpg")],
        };
        assert_eq!(
            image(&info, "花\"园", ""),
            "<img src=\"/a.jpg\" srcset=\"/a-480w.jpg 480w, /a.jpg 960w\" sizes=\"(max-width: 40rem) 100vw, 40rem\" width=\"960\" height=\"640\" alt=\"花&quot;园\" loading=\"lazy\" decoding=\"async\">"
        );
    }
}
