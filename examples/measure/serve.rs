//! What the serve-measuring examples share: starting `weikan serve` on a
//! free port, waiting for an event on its reload stream, fetching a page.

use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};

/// Starts `binary serve` on `site` at a free port: the process, the rest of
/// its output (read it, or drain it, so it never blocks) and the port.
pub fn start(binary: &str, site: &str) -> (Child, Lines<BufReader<ChildStdout>>, u16) {
    let mut child = Command::new(binary)
        .args(["serve", "--root", site, "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start weikan serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    (child, lines, port)
}

/// Reads the event stream until the line `wanted`; a problem event fails.
pub fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        events
            .read_line(&mut line)
            .expect("the event stream stays open");
        if line.trim_end() == wanted {
            return;
        }
        assert!(
            !line.starts_with("event: problem"),
            "the change broke the site"
        );
    }
}

/// The whole answer (head and body) to `GET path`.
pub fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}
