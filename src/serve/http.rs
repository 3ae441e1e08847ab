//! The HTTP side of `serve`: pages from memory (never from the disk outside
//! the site), the live-reload script injected into HTML, and server-sent
//! events that tell open pages to reload or show a build error.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::{Stream, StreamExt, wrappers::BroadcastStream};

use crate::output::{Content, Output};

/// Where the live-reload script is served. Generated pages never use this
/// prefix (slugs cannot start with `_`); a site file under
/// `static/__weikan/` would be hidden while previewing, never in `build`.
pub const LIVE_JS: &str = "/__weikan/live.js";
/// The event stream open pages listen to.
pub const EVENTS: &str = "/__weikan/events";

const SCRIPT: &str = include_str!("live.js");

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Notice {
    /// A good build: reload.
    Reload,
    /// A failed build: show this report over the page.
    Problem(String),
    /// A good build with warnings: show them in a panel the editor can
    /// close, below the page's content.
    Warnings(String),
}

/// What the server and the rebuild loop share.
pub struct Shared {
    /// The last good build.
    pub output: RwLock<Output>,
    /// The report of the last build when it failed.
    pub problem: RwLock<Option<String>>,
    /// The warnings of the last good build, if it had any.
    pub warnings: RwLock<Option<String>>,
    /// Notices to open pages.
    pub notices: broadcast::Sender<Notice>,
}

impl Shared {
    /// Starts with `output` (empty before the first good build).
    pub fn new(output: Output) -> Arc<Shared> {
        Arc::new(Shared {
            output: RwLock::new(output),
            problem: RwLock::new(None),
            warnings: RwLock::new(None),
            notices: broadcast::channel(16).0,
        })
    }
}

/// The routes of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVE_JS, get(live_js))
        .route(EVENTS, get(events))
        .fallback(get(page))
        .with_state(shared)
}

async fn live_js() -> Response<Body> {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
    )
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.notices.subscribe();
    // A page opened while the site is broken shows the report at once;
    // one opened after a good build with warnings shows those.
    let now = read(&shared.problem)
        .clone()
        .map(Notice::Problem)
        .or_else(|| read(&shared.warnings).clone().map(Notice::Warnings));
    let stream = tokio_stream::iter(now)
        .chain(BroadcastStream::new(receiver).filter_map(Result::ok))
        .map(|notice| {
            Ok(match notice {
                Notice::Reload => Event::default().event("reload").data("reload"),
                Notice::Problem(text) => Event::default().event("problem").data(text),
                Notice::Warnings(text) => Event::default().event("warnings").data(text),
            })
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    let Some(key) = output_key(uri.path()) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"bad request path\n".to_vec(),
        );
    };
    let found = {
        let output = read(&shared.output);
        match output.get(&key) {
            Some(content) => Some((key.clone(), content.clone())),
            None if !key.ends_with(".html")
                && output.get(&format!("{key}/index.html")).is_some() =>
            {
                // `/about` → `/about/`, so relative links on the page work.
                let mut response =
                    respond(StatusCode::PERMANENT_REDIRECT, "text/plain", Vec::new());
                // One leading slash: `//host/path` would send the browser
                // to another site.
                let location = format!("/{}/", uri.path().trim_start_matches('/'));
                if let Ok(value) = HeaderValue::from_str(&location) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                return response;
            }
            None => output
                .get("404.html")
                .map(|c| ("404.html".to_owned(), c.clone())),
        }
    };
    let status = if found.as_ref().is_some_and(|(k, _)| *k == key) {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let Some((served, content)) = found else {
        return respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            b"not found\n".to_vec(),
        );
    };
    let bytes = match content {
        Content::Bytes(bytes) => bytes,
        Content::Copy(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return respond(
                    StatusCode::NOT_FOUND,
                    "text/plain; charset=utf-8",
                    b"not found\n".to_vec(),
                );
            }
        },
    };
    let mime = mime_guess::from_path(&served).first_or_octet_stream();
    if mime.subtype() == "html" {
        respond(status, "text/html; charset=utf-8", inject(bytes))
    } else {
        respond(status, mime.as_ref(), bytes)
    }
}

/// The output file a request path names, or `None` for a path that tries to
/// leave the site: `..` or `.` segments, backslashes or NUL bytes in any
/// encoding, or bytes that are not UTF-8.
pub fn output_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let bad = decoded.contains(['\\', '\0']) || decoded.split('/').any(|s| s == ".." || s == ".");
    // A second round of decoding must not reveal one either.
    let twice = percent_encoding::percent_decode_str(&decoded).decode_utf8_lossy();
    if bad || twice.split(['/', '\\']).any(|s| s == "..") {
        return None;
    }
    let key = decoded.trim_start_matches('/');
    Some(if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_owned()
    })
}

/// Adds the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must never show a stale page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Reads a lock even if a panicking writer poisoned it: the data is whole
/// (writers only swap complete values).
pub fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes a lock even if poisoned, for the same reason.
pub fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_output_files() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            output_key("/issues/1/").as_deref(),
            Some("issues/1/index.html")
        );
        assert_eq!(output_key("/feed.xml").as_deref(), Some("feed.xml"));
        assert_eq!(
            output_key("/issues/1/%E5%9B%BE.png").as_deref(),
            Some("issues/1/图.png")
        );
    }

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a/%252e%252e/x",
            "/a\\..\\x",
            "/a%5c..%5cx",
            "/a%00b",
            "/./x",
            "/%ff",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_body_closes() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<html><body><p>x</p><script src=\"{LIVE_JS}\" defer></script></body></html>")
        );
    }
}
