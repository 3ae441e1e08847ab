//! `weikan serve` run as an editor would: a real server on an ephemeral
//! port, real file edits, and the page's event stream read off the socket.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Site;

/// A running `weikan serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &Site) -> Server {
    serve_with(site, true, &[])
}

/// Starts the server; unless `keep_reading`, its standard output is closed
/// once it has printed its address, as when its terminal goes away.
fn serve_with(site: &Site, keep_reading: bool, extra: &[&str]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_weikan"))
        .args([
            "serve",
            "--root",
            site.root().to_str().unwrap(),
            "--port",
            "0",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by the guard from here on, so a failed start still stops it.
    let mut server = Server { child, port: 0 };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let address = line.contains("http://");
            let _ = tx.send(line);
            if address && !keep_reading {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = rx
            .recv_timeout(deadline - Instant::now())
            .expect("serve prints its address");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            server.port = rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            return server;
        }
    }
}

/// A GET with the path sent exactly as given: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The page's live connection: the events the server sends, one per item.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__weikan/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut name, mut data) = (String::new(), Vec::new());
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            // Chunked transfer puts size lines between events; they carry no colon.
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_owned();
            } else if let Some(v) = line
                .strip_prefix("data: ")
                .or_else(|| line.strip_prefix("data:"))
            {
                data.push(v.to_owned());
            } else if line.is_empty() && !name.is_empty() {
                if tx
                    .send((std::mem::take(&mut name), data.join("\n")))
                    .is_err()
                {
                    break;
                }
                data.clear();
            }
        }
    });
    rx
}

#[track_caller]
fn next_event(events: &mpsc::Receiver<(String, String)>) -> (String, String) {
    events
        .recv_timeout(Duration::from_secs(15))
        .expect("an event within 15 s")
}

#[test]
fn edits_reload_open_pages_and_errors_show_while_the_last_build_is_served() {
    let site = Site::fixture();
    let server = serve(&site);
    let port = server.port;

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("<script src=\"/__weikan/live.js\" defer></script></body>"),
        "reload script injected"
    );
    assert!(
        home.contains("href=\"/issues/\""),
        "links point at the preview, not base_url's path: {home}"
    );
    let (status, js) = get(port, "/__weikan/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));

    let live = events(port);
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha 文章\"\naudiences = [\"elders\"]\n+++\n\n改过的第一段。\n",
    );
    assert_eq!(next_event(&live).0, "reload");
    assert!(get(port, "/issues/1/alpha/").1.contains("改过的第一段"));
    assert!(
        get(port, "/for/elders/").1.contains("改过的第一段"),
        "the audience page shows the new summary"
    );

    // A broken save: the old page is still served, the error goes to the page.
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha 文章\"\naudience = [\"elders\"]\n+++\n\n又改了。\n",
    );
    let (name, data) = next_event(&live);
    assert_eq!(name, "problem");
    assert!(
        data.contains("issues/001/01-alpha.md:3:1: error: unknown field `audience`"),
        "{data}"
    );
    let (status, page) = get(port, "/issues/1/alpha/");
    assert_eq!(status, 200);
    assert!(page.contains("改过的第一段"));
    // A page opened now learns of the error at once.
    let late = events(port);
    assert_eq!(next_event(&late).0, "problem");

    // Fixed: the overlay's page reloads and shows the new text.
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha 文章\"\naudiences = [\"elders\"]\n+++\n\n修好了。\n",
    );
    assert_eq!(next_event(&live).0, "reload");
    assert!(get(port, "/issues/1/alpha/").1.contains("修好了"));

    // A settings change rebuilds everything.
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("测试微刊", "改名的微刊"),
    );
    assert_eq!(next_event(&live).0, "reload");
    assert!(get(port, "/issues/1/alpha/").1.contains("改名的微刊"));
    drop(server);
}

#[test]
fn the_server_survives_its_terminal_going_away() {
    let site = Site::fixture();
    let mut server = serve_with(&site, false, &[]);
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha\"\n+++\n\n新的。\n",
    );
    std::thread::sleep(Duration::from_millis(800));
    assert!(server.child.try_wait().unwrap().is_none(), "serve exited");
    assert!(get(server.port, "/issues/1/alpha/").1.contains("新的"));
}

#[test]
fn polling_finds_changes_too() {
    let site = Site::fixture();
    let server = serve_with(&site, true, &["--poll"]);
    let live = events(server.port);
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/about.md",
        "+++\ntitle = \"关于\"\nweight = 2\n+++\n\n轮询看到的改动。\n",
    );
    assert_eq!(next_event(&live).0, "reload");
    assert!(get(server.port, "/about/").1.contains("轮询看到的改动"));
}

#[test]
fn missing_pages_traversal_and_many_requests() {
    let site = Site::fixture();
    site.build_ok(&[]);
    let server = serve(&site);
    let port = server.port;
    let (status, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("找不到这个页面"), "the site's 404 page");
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/issues/%2E%2E/%2E%2E/site.toml",
        "/a/%252e%252e/%252e%252e/site.toml",
        "/..%5c..%5csite.toml",
        "/%00",
    ] {
        let (status, body) = get(port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked site.toml");
    }
    assert_eq!(get(port, "/site.toml").0, 404, "sources are not served");
    assert_eq!(
        get(port, "/public/index.html").0,
        404,
        "nor an earlier build"
    );
    let (status, _) = get(port, "/about");
    assert_eq!(status, 308);

    let threads: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                let pages = [
                    "/",
                    "/issues/1/",
                    "/issues/1/alpha/",
                    "/for/elders/",
                    "/feed.xml",
                    "/weikan.css",
                    "/issues/1/pic.png",
                ];
                (0..10)
                    .map(|n| get(port, pages[(i + n) % pages.len()]).0)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().iter().all(|s| *s == 200));
    }
}

#[test]
fn build_output_never_carries_the_reload_script() {
    let site = Site::fixture();
    site.build_ok(&[]);
    for (name, bytes) in common::snapshot(&site.path("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__weikan"),
            "{name}"
        );
    }
}
