//! What the search index costs a build: loads a site once, then times the
//! whole render (every page, feed and the index) and the index alone, and
//! sizes the index's files. Prints one JSON object, read by bench/search.
//!
//! Usage: cargo run --release --example search_cost -- SITE_DIR [RUNS]

mod measure;

use std::path::Path;
use std::time::{Duration, Instant};

use weikan::config::{ConfigOverrides, SiteConfig};
use weikan::render::{self, Theme};
use weikan::site::{BuildOptions, Site};

use measure::{cpu_time, ms};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(Path::new) else {
        eprintln!("usage: search_cost SITE_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(1)
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    let started = Instant::now();
    let config = SiteConfig::load(root, &ConfigOverrides::default()).expect("a valid site.toml");
    let theme = Theme::load(root, &config.theme).expect("the theme");
    let words = weikan::words::Words::built_in();
    let (site, _) =
        Site::build(root, config, &words, BuildOptions::default(), None).expect("a valid site");
    let load = started.elapsed();

    let (render, render_cpu) = median(runs, || {
        render::render(&site, &theme).expect("renders");
    });
    let mut files = Vec::new();
    let (index, index_cpu) = median(runs, || files = weikan::search::files(&site).collect());
    let raw: usize = files.iter().map(|(_, b)| b.len()).sum();
    let largest = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    println!(
        "{{\"articles\": {}, \"load_ms\": {:.1}, \"render_ms\": {:.1}, \"index_ms\": {:.1}, \"render_cpu_ms\": {:.1}, \"index_cpu_ms\": {:.1}, \"index_files\": {}, \"index_bytes\": {raw}, \"largest_file\": {largest}}}",
        site.newest.len(),
        ms(load),
        ms(render),
        ms(index),
        ms(render_cpu),
        ms(index_cpu),
        files.len(),
    );
}

/// The median wall time and the median processor time (every thread's,
/// user and system) of `runs` calls of `f`: on a busy machine the second
/// still tells what the work costs.
fn median(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..runs.max(1))
        .map(|_| {
            let (t, c) = (Instant::now(), cpu_time());
            f();
            (t.elapsed(), cpu_time() - c)
        })
        .unzip();
    wall.sort();
    cpu.sort();
    (wall[wall.len() / 2], cpu[cpu.len() / 2])
}
