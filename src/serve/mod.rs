//! `weikan serve`: a live preview. Builds in memory, serves the result over
//! HTTP (loopback unless told otherwise), watches the sources, rebuilds what
//! an edit touches, and reloads open pages; on an error it keeps serving the
//! last good build and shows the error over the page.

mod change;
mod http;
#[cfg(test)]
mod kinds_tests;
mod live;
mod pages;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use crate::commands::CommandError;
use crate::config::ConfigOverrides;
use crate::diagnostics::Diagnostics;
use crate::output::{Content, Output, OutputPath};
use crate::site::BuildOptions;
use crate::urls::BaseUrl;
pub use http::output_key;
use http::{Notice, Shared};
use live::{Live, Outcome};
use watch::Waited;

/// Prints a line for the editor. A closed terminal must not stop the
/// preview, so write errors are ignored (`println!` would panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Like `say!`, on standard error: warnings and build problems.
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// What `weikan serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Poll the files instead of waiting for file events.
    pub poll: bool,
}

/// Serves until the process is stopped.
pub fn run(args: &ServeArgs) -> Result<(), CommandError> {
    crate::commands::require_folder(&args.root)?;
    let listener = TcpListener::bind(SocketAddr::new(args.bind, args.port)).map_err(|e| {
        CommandError::Usage(format!("cannot listen on {}:{}: {e}", args.bind, args.port))
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| CommandError::Usage(e.to_string()))?;
    if !args.bind.is_loopback() {
        say_err!(
            "warning: serving on {address}, which other machines can reach; the preview is meant for this computer (--bind 127.0.0.1)"
        );
    }
    // Links point at the preview itself, whatever site.toml says.
    let base = BaseUrl::parse(&format!("http://{address}/")).map_err(CommandError::Usage)?;
    let mut live = Live::new(
        args.root.clone(),
        ConfigOverrides {
            base_url: Some(base),
        },
        BuildOptions {
            drafts: args.drafts,
            ..BuildOptions::default()
        },
    );
    let shared = Shared::new(Output::default());
    apply(&shared, live.rebuild(&[]));

    let (changes, batches) = mpsc::channel();
    let mut guard = watch::watch(&args.root, changes, args.poll).map_err(CommandError::Usage)?;
    if let Some(notice) = guard.polled().and_then(watch::Polled::notice) {
        say_err!("{notice}");
    }
    say!(
        "serving {} at http://{address}/ (stop with Ctrl+C)",
        args.root.display()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::Usage(format!("cannot start the server: {e}")))?;
    let server = {
        let shared = Arc::clone(&shared);
        listener
            .set_nonblocking(true)
            .map_err(|e| CommandError::Usage(e.to_string()))?;
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, http::router(shared)).await
        })
    };
    // Rebuilds run on this thread, one batch of changes at a time. What a
    // rebuild leaves for later (the search index) waits until the editor
    // pauses, so a quick run of saves is never held up by it.
    loop {
        let changed = if live.has_deferred() {
            match watch::next_batch_within(&batches, watch::DEBOUNCE) {
                Waited::Batch(changed) => changed,
                Waited::Quiet => {
                    match live.render_deferred() {
                        Some(Outcome::Patch(files)) => patch(&shared, files),
                        Some(Outcome::Failed(problems)) => print(&problems),
                        _ => {}
                    }
                    continue;
                }
                Waited::Gone => break,
            }
        } else {
            match watch::next_batch(&batches) {
                Some(changed) => changed,
                None => break,
            }
        };
        if changed.iter().any(|p| p.components().count() == 1) {
            guard.refresh(&args.root);
        }
        let names: Vec<String> = changed
            .iter()
            .map(|p| crate::diagnostics::display_path(p))
            .collect();
        say!("changed: {}", names.join(", "));
        apply(&shared, live.rebuild(&changed));
    }
    drop(server);
    Ok(())
}

/// Puts a rebuild's result in place and tells open pages.
fn apply(shared: &Shared, rebuilt: live::Rebuilt) {
    print(&rebuilt.warnings);
    // What changed and what that cost, after the first build: "an
    // article's text, 12 ms", "a template, compiled the templates, 90 ms".
    let mut cost = Vec::new();
    if let Some(kind) = rebuilt.kind {
        cost.push(kind.describe());
        if rebuilt.work.loaded {
            cost.push("loaded the content");
        }
        if rebuilt.work.compiled {
            cost.push("compiled the templates");
        }
    }
    let ms = format!("{} ms", rebuilt.elapsed.as_millis());
    cost.push(&ms);
    let cost = cost.join(", ");
    let notice = match rebuilt.outcome {
        Outcome::Full(output) => {
            say!("rebuilt the site: {} ({cost})", files_count(output.len()));
            *http::write(&shared.output) = output;
            Notice::Reload
        }
        Outcome::Patch(files) => {
            say!("rebuilt {} ({cost})", files_count(files.len()));
            patch(shared, files);
            Notice::Reload
        }
        Outcome::Failed(problems) => {
            print(&problems);
            say_err!("the site has errors; still serving the last good build");
            let report = report(&problems);
            *http::write(&shared.problem) = Some(report.clone());
            let _ = shared.notices.send(Notice::Problem(report));
            return;
        }
    };
    *http::write(&shared.problem) = None;
    // Pages reload and, connecting again, are shown these.
    let warned = rebuilt.warnings.iter().next().is_some();
    *http::write(&shared.warnings) = warned.then(|| report(&rebuilt.warnings));
    let _ = shared.notices.send(notice);
}

/// Diagnostics as the overlay shows them: sorted, one after another.
fn report(diagnostics: &Diagnostics) -> String {
    diagnostics
        .clone()
        .sorted()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// "1 file", "5 files".
fn files_count(n: usize) -> String {
    if n == 1 {
        "1 file".to_owned()
    } else {
        format!("{n} files")
    }
}

/// Replaces some files of the output being served.
fn patch(shared: &Shared, files: Vec<(String, Vec<u8>)>) {
    let mut output = http::write(&shared.output);
    for (path, bytes) in files {
        if let Ok(path) = OutputPath::new(&path) {
            output.set(path, Content::Bytes(bytes));
        }
    }
}

fn print(diagnostics: &Diagnostics) {
    for d in diagnostics.clone().sorted() {
        say_err!("{d}");
    }
}
