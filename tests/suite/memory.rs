//! A build's memory does not grow with what it writes: pages go to disk as
//! they are rendered. The same site is built with the default theme and with
//! a theme whose pages are each 128 KB heavier; the heavier output is over
//! 100 MB larger, and the build's peak memory must not follow it.

use crate::common;

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};

use crate::common::Site;

/// Runs `weikan build` on `site`; returns how it ended and its peak
/// resident memory in bytes, as the kernel counted it.
fn build_with_peak_memory(site: &Site) -> (ExitStatus, u64) {
    #[expect(clippy::zombie_processes, reason = "wait4 below reaps it")]
    let child = Command::new(env!("CARGO_BIN_EXE_weikan"))
        .args(["build", "--root", site.root().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run weikan");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct, and
    // wait4 only writes into the two locals for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    // ru_maxrss is in KiB on Linux.
    (ExitStatus::from_raw(status), usage.ru_maxrss as u64 * 1024)
}

/// 1,000 articles in 100 issues: enough pages that holding them all would
/// show.
fn many_articles() -> Site {
    let site = Site::empty();
    site.write("site.toml", common::SITE_TOML);
    let paragraph = "每天在同一时间起床，身体会慢慢记住这个节奏。".repeat(8);
    for i in 1..=100 {
        site.write(
            &format!("issues/{i:03}/issue.md"),
            &format!(
                "+++\nnumber = {i}\ntitle = \"第{i}期\"\ndate = 2026-01-01\n+++\n\n卷首语。\n"
            ),
        );
        for a in 1..=10 {
            site.write(
                &format!("issues/{i:03}/{a:02}-a{a}.md"),
                &format!("+++\ntitle = \"文章{i}-{a}\"\naudiences = [\"elders\"]\n+++\n\n{paragraph}\n\n## 小标题\n\n{paragraph}\n"),
            );
        }
    }
    site
}

/// The default theme's base template.
fn default_base() -> String {
    let (_, text) = weikan::render::theme::DEFAULT_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "base.html")
        .expect("the default theme has base.html");
    (*text).to_owned()
}

fn output_bytes(site: &Site) -> u64 {
    walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[test]
fn peak_memory_does_not_follow_the_size_of_the_output() {
    let site = many_articles();
    let (status, plain_peak) = build_with_peak_memory(&site);
    assert!(status.success(), "the plain build failed");
    let plain_bytes = output_bytes(&site);

    // The same pages, each carrying 128 KB more.
    let padding = "<!-- ".to_owned() + &"轻".repeat(128 * 1024 / 3) + " -->";
    site.write(
        "templates/base.html",
        &default_base().replace("</body>", &format!("{padding}\n</body>")),
    );
    let (status, heavy_peak) = build_with_peak_memory(&site);
    assert!(status.success(), "the heavy build failed");
    let heavy_bytes = output_bytes(&site);

    let more_output = heavy_bytes - plain_bytes;
    assert!(
        more_output > 100_000_000,
        "the heavy theme added only {more_output} bytes"
    );
    let more_memory = heavy_peak.saturating_sub(plain_peak);
    eprintln!(
        "output {plain_bytes} → {heavy_bytes} bytes; peak memory {plain_peak} → {heavy_peak} bytes"
    );
    assert!(
        more_memory < more_output / 10,
        "peak memory grew by {more_memory} bytes ({plain_peak} → {heavy_peak}) for {more_output} more bytes of output"
    );
}
