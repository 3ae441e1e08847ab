//! Measures `weikan serve`'s save-to-reload latency: starts the server on a
//! site, edits one article several times, and times each save until open
//! pages are told to reload (the server-sent `reload` event) and until the
//! new text is served.
//!
//! Usage: cargo run --release --example serve_latency -- WEIKAN_BINARY SITE_DIR ARTICLE [RUNS] [PAUSE_MS]
//! (ARTICLE relative to SITE_DIR, e.g. issues/00500/03-sleep-3.md). PAUSE_MS
//! (default 2000) is the editor's pause between saves: `serve` updates the
//! search index once the editor pauses, and a save made while it does so
//! waits for it (about 0.6 s at 10,000 articles).

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[path = "measure/serve.rs"]
mod serve;

use serve::{get, wait_for};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: serve_latency WEIKAN_BINARY SITE_DIR ARTICLE [RUNS] [PAUSE_MS]");
        std::process::exit(2);
    }
    let (binary, site, article) = (&args[0], std::path::Path::new(&args[1]), &args[2]);
    let runs: usize = args
        .get(3)
        .map_or(10, |r| r.parse().expect("RUNS is a number"));
    let pause = Duration::from_millis(
        args.get(4)
            .map_or(2000, |p| p.parse().expect("PAUSE_MS is a number")),
    );
    if !site.join(article).is_file() {
        eprintln!("no article {article} in {}", site.display());
        std::process::exit(2);
    }
    let started = Instant::now();
    let (mut child, lines, port) = serve::start(binary, &args[1]);
    println!(
        "first build and start: {} ms",
        started.elapsed().as_millis()
    );
    // Keep draining the server's output so it never blocks.
    std::thread::spawn(move || for _ in lines {});

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(events, "GET /__weikan/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut events = BufReader::new(events);
    let path = site.join(article);
    let original = std::fs::read_to_string(&path).unwrap();
    let page = page_of(&mut events, port, article);
    let (mut to_event, mut to_page) = (Vec::new(), Vec::new());
    for run in 0..runs {
        std::thread::sleep(pause);
        let marker = format!("延迟测量第{run}次");
        let t0 = Instant::now();
        std::fs::write(&path, format!("{original}\n{marker}\n")).unwrap();
        wait_for(&mut events, "event: reload");
        to_event.push(t0.elapsed());
        while !get(port, &page).contains(&marker) {}
        to_page.push(t0.elapsed());
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    report("save → reload event", &mut to_event);
    report("save → new text served", &mut to_page);
}

/// The article's URL: asked of the server by scanning its issue page.
fn page_of(_events: &mut BufReader<TcpStream>, port: u16, article: &str) -> String {
    let issue: u32 = article
        .split('/')
        .nth(1)
        .unwrap()
        .trim_start_matches('0')
        .parse()
        .unwrap();
    let stem = article.rsplit('/').next().unwrap().trim_end_matches(".md");
    let slug = stem.split_once('-').map_or(stem, |(_, rest)| rest);
    let url = format!("/issues/{issue}/{slug}/");
    assert!(
        get(port, &url).contains("<article"),
        "{url} is not an article page"
    );
    url
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.0} ms, min {:.0} ms, max {:.0} ms over {} saves",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
