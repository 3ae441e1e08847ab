//! What QR codes cost a build: times `weikan::qr::svg` over the addresses a
//! site of ISSUES issues of 10 articles makes (as `examples/corpus` writes it,
//! under its base_url), once for each place a code is printed: the issue's
//! QR sheet (the issue, its articles, its booklet) and the issue's booklet
//! cover. Prints one JSON object: codes per pass, median time per code over
//! RUNS passes, the fastest and slowest pass, and the SVG bytes per code.
//!
//! Usage: cargo run --release --example qr_cost -- [ISSUES] [RUNS]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The corpus's base_url and article topics (see examples/corpus.rs).
const BASE: &str = "https://example.org/weikan/";
const TOPICS: &[&str] = &[
    "sleep", "worry", "family", "work", "study", "rest", "help", "news", "friends", "money",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let issues: usize = args
        .first()
        .map_or(1000, |s| s.parse().expect("ISSUES is a number"));
    let runs: usize = args
        .get(1)
        .map_or(5, |s| s.parse().expect("RUNS is a number"));
    let urls = addresses(issues);

    let mut passes: Vec<Duration> = Vec::new();
    let mut bytes = 0;
    let mut versions = BTreeMap::new();
    for _ in 0..runs.max(1) {
        bytes = 0;
        versions.clear();
        let started = Instant::now();
        for url in &urls {
            let code = weikan::qr::svg(url, "二维码").expect("an address fits a QR code");
            bytes += code.svg.len();
            *versions.entry(code.version).or_insert(0_usize) += 1;
        }
        passes.push(started.elapsed());
    }
    passes.sort();
    let per_code = |d: Duration| d.as_secs_f64() * 1e6 / urls.len() as f64;
    let versions: Vec<String> = versions
        .iter()
        .map(|(v, n)| format!("\"{v}\": {n}"))
        .collect();
    println!(
        "{{\"codes\": {}, \"runs\": {}, \"us_per_code_median\": {:.2}, \"us_per_code_min\": {:.2}, \"us_per_code_max\": {:.2}, \"svg_bytes_per_code\": {:.0}, \"versions\": {{{}}}}}",
        urls.len(),
        passes.len(),
        per_code(passes[passes.len() / 2]),
        per_code(passes[0]),
        per_code(passes[passes.len() - 1]),
        bytes as f64 / urls.len() as f64,
        versions.join(", "),
    );
}

/// Every address a code is made for, once per place it is printed.
fn addresses(issues: usize) -> Vec<String> {
    let mut urls = Vec::new();
    for i in 1..=issues {
        let issue = format!("{BASE}issues/{i}/");
        urls.push(issue.clone());
        for n in 1..=10 {
            let topic = TOPICS[(i * 7 + n * 3) % TOPICS.len()];
            urls.push(format!("{issue}{topic}-{n}/"));
        }
        urls.push(format!("{issue}print/"));
        // The booklet's cover carries the issue's code again.
        urls.push(issue);
    }
    urls
}
