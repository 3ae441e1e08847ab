//! Measures `weikan serve`'s save-to-served time for each kind of change:
//! an article's text, an article's front matter, a template, the words
//! table, a static file, a standing page, a self-check, an issue's note, an
//! issue's title, a media file and `site.toml`.
//! For each it saves a change, and times the save until open pages are told
//! to reload (the server-sent `reload` event) and until the change is
//! served; it also reads the work the server reports for the rebuild
//! ("rebuilt … (… 12 ms)"). Each change is undone (untimed) before the next.
//!
//! Usage: cargo run --release --example serve_kinds -- WEIKAN_BINARY SITE_DIR [RUNS] [PAUSE_MS]
//! SITE_DIR is a site written by `examples/corpus` (issues/00001 …); a few
//! files are added to it for the kinds the corpus lacks (a standing page, a
//! self-check, a static file, an audio file). PAUSE_MS (default 2000) is
//! the editor's pause between saves, in which `serve` updates the search
//! index after an article's edit.

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// One kind of change: the file it saves, how, and the page that shows it.
struct Kind {
    name: &'static str,
    file: PathBuf,
    /// The file's new text, given its old text and a marker to find.
    change: fn(&str, &str) -> String,
    /// The page to fetch, and whether it must show the marker (else it
    /// must only differ from before).
    page: String,
    shows_marker: bool,
}

const QUESTIONNAIRE: &str = "+++\ntitle = \"测量用自测\"\nitems = [\"一\", \"二\"]\noptions = [\n  { label = \"否\", score = 0 },\n  { label = \"是\", score = 1 },\n]\n[[bands]]\nmin = 0\nmax = 2\nlabel = \"结果\"\nadvice = \"建议。\"\n+++\n\n说明。\n\n细则。\n";

#[path = "measure/serve.rs"]
mod serve;

use serve::{get, wait_for};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: serve_kinds WEIKAN_BINARY SITE_DIR [RUNS] [PAUSE_MS]");
        std::process::exit(2);
    }
    let (binary, site) = (&args[0], Path::new(&args[1]));
    let runs: usize = args
        .get(2)
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    let pause = Duration::from_millis(
        args.get(3)
            .map_or(2000, |p| p.parse().expect("PAUSE_MS is a number")),
    );
    let kinds = prepare(site);

    let started = Instant::now();
    let (mut child, lines, port) = serve::start(binary, &args[1]);
    println!(
        "first build and start: {} ms",
        started.elapsed().as_millis()
    );
    // The server's own report of each rebuild's work, as it prints it.
    let (works, reported) = mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(ms) = rebuild_ms(&line) {
                let _ = works.send(ms);
            }
        }
    });
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut events = BufReader::new(stream);
    write!(
        events.get_mut(),
        "GET /__weikan/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();

    println!("| change | work (server) | save → reload event | save → served |");
    println!("|---|---|---|---|");
    for kind in &kinds {
        let path = site.join(&kind.file);
        let original = std::fs::read_to_string(&path).unwrap();
        let (mut work, mut to_event, mut to_page) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs {
            std::thread::sleep(pause);
            drain(&reported);
            let before = get(port, &kind.page);
            let marker = format!("测量{run}号");
            let t0 = Instant::now();
            std::fs::write(&path, (kind.change)(&original, &marker)).unwrap();
            wait_for(&mut events, "event: reload");
            to_event.push(t0.elapsed());
            loop {
                let now = get(port, &kind.page);
                let done = if kind.shows_marker {
                    now.contains(&marker)
                } else {
                    now != before
                };
                if done {
                    break;
                }
            }
            to_page.push(t0.elapsed());
            work.push(next_work(&reported));
            // Undo, untimed.
            std::thread::sleep(pause);
            std::fs::write(&path, &original).unwrap();
            wait_for(&mut events, "event: reload");
        }
        println!(
            "| {} | {} | {} | {} |",
            kind.name,
            median(&mut work),
            median(&mut to_event),
            median(&mut to_page)
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Adds what the corpus lacks and lists the kinds to measure.
fn prepare(site: &Path) -> Vec<Kind> {
    let write = |rel: &str, text: &str| {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "content/measure.md",
        "+++\ntitle = \"测量用页面\"\n+++\n\n正文。\n",
    );
    write("content/selfcheck/measure.md", QUESTIONNAIRE);
    write("static/measure.txt", "measure\n");
    // A site override of a template, the same as the default theme's.
    write(
        "templates/404.html",
        include_str!("../themes/default/templates/404.html"),
    );
    // The site's words table, with the default's word for audio.
    write("templates/words.toml", "audio = \"音频\"\n");
    // An issue in the middle, and its second article as a lesson with audio.
    let issue = "issues/00250";
    let article = first_article(site, issue, "02-");
    let text = std::fs::read_to_string(site.join(&article)).unwrap();
    if !text.contains("measure.mp3") {
        write(
            &article.to_string_lossy(),
            &format!("{text}\n\n![练习](measure.mp3)\n"),
        );
    }
    write(&format!("{issue}/measure.mp3"), &"ID3 ".repeat(1000));
    let body = first_article(site, issue, "05-");
    let url = article_url(&body);
    let lesson = article_url(&article);
    vec![
        Kind {
            name: "article text",
            file: body.clone(),
            change: |old, marker| format!("{old}\n{marker}\n"),
            page: url.clone(),
            shows_marker: true,
        },
        Kind {
            name: "article front matter (title)",
            file: body,
            change: |old, marker| old.replacen("title = \"", &format!("title = \"{marker}"), 1),
            page: url,
            shows_marker: true,
        },
        Kind {
            name: "template",
            file: "templates/404.html".into(),
            change: |old, marker| old.replace("找不到这个页面", marker),
            page: "/404.html".into(),
            shows_marker: true,
        },
        Kind {
            name: "words table (the player's word for audio)",
            file: "templates/words.toml".into(),
            change: |_, marker| format!("audio = \"{marker}\"\n"),
            page: lesson.clone(),
            shows_marker: true,
        },
        Kind {
            name: "static file",
            file: "static/measure.txt".into(),
            change: |_, marker| format!("{marker}\n"),
            page: "/measure.txt".into(),
            shows_marker: true,
        },
        Kind {
            name: "standing page",
            file: "content/measure.md".into(),
            change: |old, marker| old.replace("正文。", marker),
            page: "/measure/".into(),
            shows_marker: true,
        },
        Kind {
            name: "self-check (its first paragraph, also its summary)",
            file: "content/selfcheck/measure.md".into(),
            change: |old, marker| old.replace("说明。", marker),
            page: "/selfcheck/measure/".into(),
            shows_marker: true,
        },
        Kind {
            name: "self-check (a later paragraph)",
            file: "content/selfcheck/measure.md".into(),
            change: |old, marker| old.replace("细则。", marker),
            page: "/selfcheck/measure/".into(),
            shows_marker: true,
        },
        Kind {
            name: "issue note (issue.md body)",
            file: format!("{issue}/issue.md").into(),
            change: |old, marker| format!("{old}\n{marker}\n"),
            page: "/issues/250/".into(),
            shows_marker: true,
        },
        Kind {
            name: "issue (issue.md)",
            file: format!("{issue}/issue.md").into(),
            change: |old, marker| old.replacen("title = \"", &format!("title = \"{marker}"), 1),
            page: "/issues/250/".into(),
            shows_marker: true,
        },
        Kind {
            name: "media file (audio size)",
            file: format!("{issue}/measure.mp3").into(),
            change: |old, _| old.repeat(3),
            page: lesson,
            shows_marker: false,
        },
        Kind {
            name: "site.toml",
            file: "site.toml".into(),
            change: |old, marker| old.replacen("title = \"", &format!("title = \"{marker}"), 1),
            page: "/".into(),
            shows_marker: true,
        },
    ]
}

/// The article of `issue` whose file name starts with `prefix`.
fn first_article(site: &Path, issue: &str, prefix: &str) -> PathBuf {
    let mut names: Vec<String> = std::fs::read_dir(site.join(issue))
        .expect("the corpus has issue 250")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".md"))
        .collect();
    names.sort();
    Path::new(issue).join(&names[0])
}

/// `issues/00250/05-sleep-5.md` → `/issues/250/sleep-5/`.
fn article_url(article: &Path) -> String {
    let text = article.to_string_lossy();
    let issue: u32 = text.split('/').nth(1).unwrap().parse().unwrap();
    let stem = article.file_stem().unwrap().to_string_lossy();
    let slug = stem.split_once('-').map_or(&*stem, |(_, rest)| rest);
    format!("/issues/{issue}/{slug}/")
}

/// The milliseconds of work in a line such as "rebuilt 5 files (an
/// article's text, 12 ms)" or, from older versions, "(12 ms)".
fn rebuild_ms(line: &str) -> Option<Duration> {
    if !line.starts_with("rebuilt ") {
        return None;
    }
    let inside = line.rsplit_once('(')?.1.trim_end_matches(')');
    let ms = inside.rsplit(", ").next()?.strip_suffix(" ms")?;
    Some(Duration::from_millis(ms.parse().ok()?))
}

fn drain(reported: &Receiver<Duration>) {
    while reported.try_recv().is_ok() {}
}

fn next_work(reported: &Receiver<Duration>) -> Duration {
    reported
        .recv_timeout(Duration::from_secs(120))
        .expect("serve reports the rebuild")
}

fn median(times: &mut [Duration]) -> String {
    times.sort();
    format!("{} ms", times[times.len() / 2].as_millis())
}
