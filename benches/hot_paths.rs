//! Micro-benchmarks of the build's hot paths on the sample site: Markdown
//! to HTML, rendering one article page, one QR code, one feed, and the
//! whole in-memory build. Run with `cargo bench --bench hot_paths`; under
//! `cargo test` each runs once, as a smoke test.

use std::path::Path;
use std::sync::OnceLock;

use weikan::config::{ConfigOverrides, SiteConfig};
use weikan::feed::{self, Channel};
use weikan::markdown::{self, LinkIndex, MarkdownContext};
use weikan::plan::PageKind;
use weikan::render::{Renderer, Theme};
use weikan::site::{ArticleRef, BuildOptions, Site};
use weikan::source::SourceFile;

fn main() {
    divan::main();
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample site, loaded and checked once.
fn sample() -> &'static (Site, Theme) {
    static SAMPLE: OnceLock<(Site, Theme)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let config = SiteConfig::load(root(), &ConfigOverrides::default()).expect("site.toml");
        let theme = Theme::load(root(), &config.theme).expect("theme");
        let (site, _) = Site::build(root(), config, &theme.words, BuildOptions::default(), None)
            .expect("sample site");
        (site, theme)
    })
}

/// The longest article of the sample site (about 2,300 bytes).
#[divan::bench]
fn markdown_to_html(bencher: divan::Bencher) {
    let file = SourceFile::read(root(), Path::new("issues/2026-05-home/01-study-routine.md"))
        .expect("sample article");
    let front = file.split_front_matter().expect("front matter");
    let (body, offset) = (front.body.to_owned(), front.body_offset);
    let (site, _) = sample();
    let links = LinkIndex::default();
    let media = weikan::media::MediaIndex::default();
    let ctx = MarkdownContext {
        links: &links,
        base: &site.config.base_url,
        options: site.config.markdown,
        media: &media,
    };
    bencher.bench(|| markdown::render(&file, &body, offset, ctx));
}

#[divan::bench]
fn article_page(bencher: divan::Bencher) {
    let (site, theme) = sample();
    let renderer = Renderer::new(site, theme).expect("templates");
    let job = [PageKind::Article(ArticleRef {
        issue: 0,
        article: 0,
    })];
    bencher.bench(|| renderer.render(&job).expect("page"));
}

#[divan::bench]
fn qr_code(bencher: divan::Bencher) {
    bencher.bench(|| {
        weikan::qr::svg(
            "https://example.org/weikan/issues/12/study-routine/",
            "二维码",
        )
    });
}

/// The site feed with every sample article's full text.
#[divan::bench]
fn site_feed(bencher: divan::Bencher) {
    let (site, _) = sample();
    let channel = Channel {
        title: &site.config.title,
        page: "",
        description: &site.config.description,
        feed: "feed.xml",
    };
    bencher.bench(|| feed::render(site, &channel, &site.newest));
}

/// Load, check and render the whole sample site (49 files) in memory.
#[divan::bench(sample_count = 20)]
fn whole_sample_site() {
    weikan::build_in_memory(root(), &ConfigOverrides::default(), BuildOptions::default())
        .expect("sample site");
}
