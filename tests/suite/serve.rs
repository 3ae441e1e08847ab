//! `weikan serve` run as an editor would: a real server on an ephemeral
//! port, real file edits, and the page's event stream read off the socket.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{Site, wait_until};

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
        let mut lines = BufReader::new(stdout).lines();
        while let Some(Ok(line)) = lines.next() {
            if line.contains("http://") && !keep_reading {
                // Closed before the test goes on, as when the terminal goes away.
                drop(lines);
                let _ = tx.send(line);
                break;
            }
            let _ = tx.send(line);
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
/// Returns once the server has answered, so it sends every later change.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /__weikan/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    // The server subscribes this connection before it answers.
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        assert!(
            reader.read_line(&mut head).unwrap() > 0,
            "the event stream closed: {head}"
        );
    }
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    reader.get_ref().set_read_timeout(None).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut name, mut data) = (String::new(), Vec::new());
        for line in reader.lines().map_while(Result::ok) {
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
fn warnings_of_a_good_build_show_on_pages_opened_after_it() {
    let site = Site::fixture();
    site.write("site.toml", &format!("{}\n[wechat]\n", common::SITE_TOML));
    let server = serve(&site);
    let port = server.port;
    let live = events(port);
    let title = "很长".repeat(33);
    site.write(
        "issues/001/01-alpha.md",
        &format!("+++\ntitle = \"{title}\"\naudiences = [\"elders\"]\n+++\n\n正文。\n"),
    );
    assert_eq!(next_event(&live).0, "reload");
    // The reloaded page connects again and is shown the warning.
    let reloaded = events(port);
    let (name, data) = next_event(&reloaded);
    assert_eq!(name, "warnings");
    assert!(
        data.contains("issues/001/01-alpha.md:2:9: warning: this title is 66 characters; a 公众号 title takes at most 64"),
        "{data}"
    );
    // Mended: a page opened now is shown nothing.
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha 文章\"\naudiences = [\"elders\"]\n+++\n\n正文。\n",
    );
    assert_eq!(next_event(&live).0, "reload");
    let clean = events(port);
    assert!(clean.recv_timeout(Duration::from_secs(1)).is_err());
    drop(server);
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
    // serve says what changed before it rebuilds and what it rebuilt before
    // it serves the result: both lines went to the closed output.
    wait_until("the edit is served", || {
        get(server.port, "/issues/1/alpha/").1.contains("新的")
    });
    assert!(server.child.try_wait().unwrap().is_none(), "serve exited");
}

#[test]
fn polling_finds_changes_too() {
    let site = Site::fixture();
    let server = serve_with(&site, true, &["--poll"]);
    let live = events(server.port);
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
    let files = common::snapshot(&site.path("public"));
    assert!(files.len() > 20, "{} files", files.len());
    for (name, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__weikan"),
            "{name}"
        );
    }
}

/// Sends `request` exactly as given and returns what came back (empty if
/// the server closed the connection without answering).
fn raw(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may close before reading everything it was sent.
    let _ = stream.write_all(request);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn malformed_requests_are_refused_and_the_server_goes_on() {
    let site = Site::fixture();
    let server = serve(&site);
    let port = server.port;
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(200_000));
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..2_000)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not HTTP", b"HELLO THERE\r\n\r\n".to_vec()),
        ("no path", b"GET\r\n\r\n".to_vec()),
        ("unknown version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_vec()),
        ("bytes that are not text", b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("a control byte in the path", b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("a 200 kB path", long_path.into_bytes()),
        ("2,000 headers", many_headers.into_bytes()),
        ("a broken header", b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec()),
        ("a lying length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc".to_vec()),
        ("an upload", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".to_vec()),
        ("a delete", b"DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("traversal in absolute form", b"GET http://x/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("traversal in a chunked body", b"GET /%2e%2e/site.toml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec()),
    ];
    for (what, request) in cases {
        let response = raw(port, &request);
        let status: u16 = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        // Refused with a 4xx, or the connection closed unanswered; never a
        // page, never a server error.
        assert!(
            response.is_empty() || (400..500).contains(&status),
            "{what}: {}",
            response.lines().next().unwrap_or("")
        );
        assert!(!response.contains("base_url"), "{what} leaked site.toml");
        assert_eq!(get(port, "/").0, 200, "the server stopped after {what}");
    }
    // A path starting `//` redirects inside the site, not to a host.
    let response = raw(port, b"GET //about HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(response.contains("\r\nlocation: /about/\r\n"), "{response}");
}

#[test]
fn the_server_survives_deleted_folders_and_a_deleted_site_toml() {
    let site = Site::fixture();
    let mut server = serve(&site);
    let port = server.port;
    let live = events(port);
    assert_eq!(get(port, "/issues/2/").0, 200);

    // A whole issue folder goes: its pages go with it.
    std::fs::remove_dir_all(site.path("issues/002-later")).unwrap();
    assert_eq!(next_event(&live).0, "reload");
    assert_eq!(get(port, "/issues/2/").0, 404);
    assert_eq!(get(port, "/issues/1/alpha/").0, 200);

    // The settings go: an error, and the last good site is still served.
    std::fs::remove_file(site.path("site.toml")).unwrap();
    let (name, report) = next_event(&live);
    assert_eq!(name, "problem");
    assert!(report.contains("site.toml"), "{report}");
    assert_eq!(get(port, "/issues/1/alpha/").0, 200);

    // content/ and static/ go too, while the settings are still missing.
    std::fs::remove_dir_all(site.path("content")).unwrap();
    std::fs::remove_dir_all(site.path("static")).unwrap();
    // A rebuild was tried and failed.
    assert_eq!(next_event(&live).0, "problem");
    assert_eq!(get(port, "/issues/1/alpha/").0, 200);
    // The two removals may have come as two rebuilds.
    while live.try_recv().is_ok() {}

    // Half-saved and garbage files while the settings come back.
    site.write(
        "site.toml",
        &common::SITE_TOML[..common::SITE_TOML.len() / 2],
    );
    site.write_bytes("issues/001/01-alpha.md", b"+++\ntitle = \"\xff\xfe");
    assert_eq!(next_event(&live).0, "problem");
    site.write("site.toml", common::SITE_TOML);
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"又回来了\"\naudiences = [\"elders\"]\n+++\n\n恢复。\n",
    );
    // Folders written back while serving are watched again.
    site.write(
        "issues/002-later/issue.md",
        "+++\nnumber = 2\ntitle = \"第二期\"\ndate = 2026-02-01\n+++\n\n卷首语。\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"关于\"\n+++\n\n回来了。\n",
    );
    wait_until("the site comes back", || {
        get(port, "/issues/2/").0 == 200
            && get(port, "/about/").1.contains("回来了")
            && get(port, "/issues/1/alpha/").1.contains("又回来了")
    });
    assert!(server.child.try_wait().unwrap().is_none(), "serve exited");
}

#[test]
fn binds_loopback_unless_told_and_warns_when_told() {
    let site = Site::fixture();
    let server = serve(&site);
    // `serve` printed http://127.0.0.1:<port>/ and answers there.
    assert_eq!(get(server.port, "/").0, 200);
    drop(server);

    let mut child = Command::new(env!("CARGO_BIN_EXE_weikan"))
        .args(["serve", "--root", site.root().to_str().unwrap()])
        .args(["--port", "0", "--bind", "0.0.0.0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("warning: serving on 0.0.0.0:")
            && first.contains("other machines can reach"),
        "{first}"
    );
}

/// How many sockets process `pid` holds open.
#[cfg(target_os = "linux")]
fn open_sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |fds| {
        fds.filter_map(Result::ok)
            .filter_map(|fd| std::fs::read_link(fd.path()).ok())
            .filter(|target| target.to_string_lossy().starts_with("socket:"))
            .count()
    })
}

/// 64 connections for 10 seconds with Debian's `wrk`, cycling through every
/// kind of file while two edits rebuild the site underneath: no request may
/// fail. (Installed by `scripts/test`.)
#[cfg(target_os = "linux")]
#[test]
fn sixty_four_connections_for_ten_seconds_without_a_failure() {
    let site = Site::fixture();
    let server = serve(&site);
    let port = server.port;
    let script = site.path("paths.lua");
    std::fs::write(
        &script,
        r#"
local paths = { "/", "/issues/1/", "/issues/1/alpha/", "/for/elders/", "/feed.xml",
                "/weikan.css", "/issues/1/pic.png", "/issues/1/qr/", "/about/" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"#,
    )
    .unwrap();
    let mut wrk = Command::new("wrk")
        .args(["--threads", "2", "--connections", "64", "--duration", "10s"])
        .args(["--timeout", "5s", "--script", script.to_str().unwrap()])
        .arg(format!("http://127.0.0.1:{port}/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wrk is needed for this test: `apt-get install wrk` (scripts/test installs it)");
    // Load first, then the edits under it.
    wait_until("wrk opens its 64 connections", || {
        open_sockets(wrk.id()) >= 64
    });
    for text in ["第一次改动。", "第二次改动。"] {
        site.write(
            "issues/001/01-alpha.md",
            &format!("+++\ntitle = \"Alpha\"\naudiences = [\"elders\"]\n+++\n\n{text}\n"),
        );
        wait_until(&format!("`{text}` is served"), || {
            get(port, "/issues/1/alpha/").1.contains(text)
        });
    }
    assert!(
        wrk.try_wait().unwrap().is_none(),
        "wrk's 10 s ended before the site was rebuilt twice underneath it"
    );
    let out = wrk.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests: u64 = report
        .lines()
        .find_map(|l| l.trim().split_once(" requests in "))
        .and_then(|(n, _)| n.parse().ok())
        .expect("wrk reports its request count");
    assert!(requests > 1_000, "{report}");
    assert!(!report.contains("Socket errors"), "{report}");
    assert!(!report.contains("Non-2xx or 3xx responses"), "{report}");
    assert!(get(port, "/issues/1/alpha/").1.contains("第二次改动"));
}

#[test]
fn a_missing_image_is_an_error_in_the_preview_and_photos_are_served_published() {
    let site = Site::fixture();
    let server = serve(&site);
    let port = server.port;
    // The fixture's PNG is served as published (re-encoded: no metadata).
    let (status, _) = get(port, "/issues/1/pic.png");
    assert_eq!(status, 200);

    let live = events(port);
    site.write(
        "issues/001/01-alpha.md",
        "+++\ntitle = \"Alpha 文章\"\naudiences = [\"elders\"]\n+++\n\n![缺图](gone.png)\n",
    );
    let (name, data) = next_event(&live);
    assert_eq!(name, "problem");
    assert!(
        data.contains(
            "issues/001/01-alpha.md:6:7: error: `gone.png` points to `issues/001/gone.png`"
        ),
        "{data}"
    );
    drop(server);
}
