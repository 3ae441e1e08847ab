//! Image syntax that shows a published image or a player: `![说明](a.jpg)`
//! becomes an `<img>` with its sizes, `![放松练习](relax.mp3)` a player
//! figure. The Markdown writer's own `<img>` is replaced whole, so the
//! events between the image's start and end (its alt text) are swallowed.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::content::MediaUse;
use crate::media::{MediaIndex, MediaInfo, html};

/// An image being read whose target the media index knows.
struct Pending {
    info: MediaInfo,
    title: String,
    range: Range<usize>,
}

/// What an embed turned into at its end.
pub enum Embed {
    /// Markup to emit in place of the image.
    Events(Vec<Event<'static>>),
    /// The image is damaged: an error at `range` of the body.
    Broken {
        message: String,
        range: Range<usize>,
    },
}

/// Media embeds of one body.
#[derive(Default)]
pub struct Embeds {
    pending: Option<Pending>,
    /// Images written inside the alt text of the pending one.
    nested: usize,
    in_paragraph: bool,
    /// The players the body shows.
    pub uses: Vec<MediaUse>,
}

impl Embeds {
    /// Notes paragraph boundaries: a player is a block and may not stay
    /// inside a `<p>`.
    pub fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Paragraph) => self.in_paragraph = true,
            Event::End(TagEnd::Paragraph) => self.in_paragraph = false,
            _ => {}
        }
    }

    /// Whether the event belongs to a pending embed and is dropped.
    pub fn swallows(&mut self, event: &Event<'_>) -> bool {
        if self.pending.is_none() {
            return false;
        }
        match event {
            Event::Start(Tag::Image { .. }) => self.nested += 1,
            Event::End(TagEnd::Image) if self.nested > 0 => self.nested -= 1,
            Event::End(TagEnd::Image) => return false,
            _ => {}
        }
        true
    }

    /// Starts an image whose destination was rewritten to `url`; true when
    /// it is media and its events are taken over.
    pub fn start(
        &mut self,
        media: &MediaIndex,
        url: &str,
        title: &str,
        range: Range<usize>,
    ) -> bool {
        let path = url.split(['#', '?']).next().unwrap_or(url);
        let Some(info) = media.get(path) else {
            return false;
        };
        self.pending = Some(Pending {
            info: info.clone(),
            title: title.to_owned(),
            range,
        });
        true
    }

    /// Ends the pending embed, whose alt text was `alt`, in the words and
    /// language of `media`; `None` when no embed is pending.
    pub fn end(&mut self, alt: &str, media: &MediaIndex) -> Option<Embed> {
        let Pending { info, title, range } = self.pending.take()?;
        let embed = match info {
            MediaInfo::Image(image) => Embed::Events(vec![Event::InlineHtml(
                html::image(&image, alt, &title).into(),
            )]),
            MediaInfo::Player(player) => {
                self.uses.push(MediaUse {
                    kind: player.kind,
                    bytes: player.bytes,
                });
                let name = if alt.trim().is_empty() { &title } else { alt };
                let figure =
                    Event::Html(html::player(&player, name, &media.words, &media.language).into());
                Embed::Events(if self.in_paragraph {
                    vec![
                        Event::End(TagEnd::Paragraph),
                        figure,
                        Event::Start(Tag::Paragraph),
                    ]
                } else {
                    vec![figure]
                })
            }
            MediaInfo::Broken(message) => Embed::Broken { message, range },
        };
        Some(embed)
    }
}

/// Removes the empty paragraphs left where a player stood alone in one.
pub fn drop_empty_paragraphs(events: &mut Vec<Event<'_>>) {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = std::mem::take(events).into_iter().peekable();
    while let Some(event) = iter.next() {
        if matches!(event, Event::Start(Tag::Paragraph))
            && matches!(iter.peek(), Some(Event::End(TagEnd::Paragraph)))
        {
            iter.next();
            continue;
        }
        out.push(event);
    }
    *events = out;
}
