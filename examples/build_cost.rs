//! What the search index adds to a build, measured as a build pays it: in a
//! fresh process, with nothing warmed. Loads a site, renders every page,
//! feed, sheet and booklet (and, unless told not to, the search index) in
//! parallel, writing each file into an empty folder as it is rendered, and
//! prints one JSON object: wall and processor time, and files written.
//! bench/search runs it with and without the index, taking turns, and
//! reports the difference.
//!
//! Usage: cargo run --release --example build_cost -- SITE_DIR OUT_DIR [--without-index]

mod measure;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use weikan::config::{ConfigOverrides, SiteConfig};
use weikan::plan::PageKind;
use weikan::render::{Renderer, Theme};
use weikan::site::{BuildOptions, Site};

use measure::{cpu_time, ms};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: build_cost SITE_DIR OUT_DIR [--without-index]");
        std::process::exit(2);
    };
    let with_index = !args.iter().any(|a| a == "--without-index");
    let (root, out) = (Path::new(root), Path::new(out));
    if out.exists() {
        std::fs::remove_dir_all(out).expect("the old output folder can be removed");
    }
    // Removing the last run's output is not part of this build.
    let (started, cpu_before) = (Instant::now(), cpu_time());

    let config = SiteConfig::load(root, &ConfigOverrides::default()).expect("a valid site.toml");
    let theme = Theme::load(root, &config.theme).expect("the theme");
    let (site, _) = Site::build(root, config, &theme.words, BuildOptions::default(), None)
        .expect("a valid site");
    let renderer = Renderer::new(&site, &theme).expect("the theme compiles");
    let jobs: Vec<PageKind> = site
        .plan()
        .entries()
        .iter()
        .map(|entry| entry.kind)
        .filter(|job| with_index || *job != PageKind::SearchIndex)
        .collect();
    let folders = Mutex::new(HashSet::new());
    let files: usize = jobs
        .par_iter()
        .map(|job| {
            let files = renderer.render(std::slice::from_ref(job)).expect("renders");
            for (path, bytes) in &files {
                write(out, path, bytes, &folders);
            }
            files.len()
        })
        .sum();

    println!(
        "{{\"index\": {with_index}, \"articles\": {}, \"files\": {files}, \"wall_ms\": {:.1}, \"cpu_ms\": {:.1}}}",
        site.newest.len(),
        ms(started.elapsed()),
        ms(cpu_time() - cpu_before),
    );
}

/// Writes `bytes` to `path` under `out`, making each folder once, as the
/// build's staging folder does.
fn write(out: &Path, path: &str, bytes: &[u8], folders: &Mutex<HashSet<PathBuf>>) {
    let target = out.join(path);
    if let Some(folder) = target.parent() {
        let mut made = folders.lock().expect("no writer panicked");
        if !made.contains(folder) {
            std::fs::create_dir_all(folder).expect("the folder can be made");
            made.insert(folder.to_path_buf());
        }
    }
    std::fs::write(&target, bytes).expect("the file can be written");
}
