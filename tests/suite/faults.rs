//! Faults around a build: the process killed at any moment, an output
//! folder it may not write. `public/` is always a whole build, old or new.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::process::{Command, Stdio};

use crate::common::{Site, snapshot, wait_until};

/// A digest of every file's path and bytes below `dir`.
fn digest(dir: &std::path::Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    snapshot(dir).hash(&mut hasher);
    hasher.finish()
}

/// The fixture with `n` more articles, so that a build takes long enough
/// to be killed in every phase; `version` changes every article's text.
fn big_site(site: &Site, n: usize, version: &str) {
    for i in 0..n {
        site.write(
            &format!("issues/001/{:03}-extra-{i}.md", i + 10),
            &format!(
                "+++\ntitle = \"第{i}篇\"\naudiences = [\"elders\", \"workers\"]\n+++\n\n{version}：{}\n",
                "睡不着的时候，先别急着看时间。".repeat(40)
            ),
        );
    }
}

/// How far a build has gone: files in its staging folder beside `public/`.
fn files_staged(site: &Site) -> usize {
    walkdir::WalkDir::new(site.path(".public.weikan-new"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// The identity of the folder at `public/`: a build puts a new one there.
#[cfg(unix)]
fn folder_id(path: &std::path::Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.ino())
}

/// When a round's kill comes, each named by what the build has done by then
/// rather than by a time, so a slow machine moves the kills with the build.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// As soon as the process runs: before it writes anything.
    Start,
    /// Once it has written this many files of the new build.
    Staged(usize),
    /// Once the new build is in place, while the old one is removed.
    Swapped,
}

/// SIGKILL at spread-out moments of many builds, each switching the site to
/// the other of two versions: after every kill `public/` exists and is exactly
/// the whole of one version, never a mix and never half-written.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_public_whole() {
    let site = Site::fixture();
    big_site(&site, 150, "旧");
    site.build_ok(&[]);
    let old = digest(&site.path("public"));
    let files = snapshot(&site.path("public")).len();
    big_site(&site, 150, "新");
    site.build_ok(&[]);
    let new = digest(&site.path("public"));
    assert_ne!(old, new);

    // A fixed pseudo-random sequence: the same moments on every run.
    let mut seed: u64 = 0x005e_ed0f_3eeb;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    // Rounds killed while writing whose kill kept the earlier build.
    let (mut mid_write, mut unchanged, mut replaced) = (0, 0, 0);
    let rounds = 30;
    for round in 0..rounds {
        // Always build the version public/ does not hold, so a build that
        // finishes before its kill shows.
        let before = digest(&site.path("public"));
        big_site(&site, 150, if before == old { "新" } else { "旧" });
        let at = match round % 6 {
            0 => KillAt::Start,
            5 => KillAt::Swapped,
            _ => KillAt::Staged(1 + next() as usize % files),
        };
        let public_id = folder_id(&site.path("public"));
        if let KillAt::Staged(_) = at {
            // Files a killed build left behind would count as this build's.
            let leftover = site.path(".public.weikan-new");
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).unwrap();
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_weikan"))
            .args(["build", "--root", site.root().to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let reached = || match at {
            KillAt::Start => true,
            KillAt::Staged(n) => files_staged(&site) >= n,
            KillAt::Swapped => folder_id(&site.path("public")) != public_id,
        };
        // A build that finishes first is a round like any other.
        wait_until(&format!("round {round}: the build reaches {at:?}"), || {
            reached() || child.try_wait().unwrap().is_some()
        });
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let public = site.path("public");
        assert!(public.is_dir(), "round {round}: public/ is missing");
        assert!(public.join(".weikan-output").is_file());
        let now = digest(&public);
        assert!(
            now == old || now == new,
            "round {round}: public/ is neither build after a kill at {at:?}"
        );
        if now == before {
            unchanged += 1;
            if let KillAt::Staged(_) = at {
                mid_write += 1;
            }
        } else {
            replaced += 1;
        }
    }
    eprintln!(
        "{rounds} kills over builds of {files} files: public/ kept the earlier build {unchanged} times ({mid_write} of them killed while writing) and held the new one {replaced} times"
    );
    // Kills landed while the new build was being written, not only at the
    // ends (which the first and last kinds of round reach by design).
    assert!(mid_write > 0, "no kill landed while a build was writing");

    // A build after all that is clean and leaves no staging folder behind.
    site.build_ok(&[]);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The image cache stays on purpose (see tests/suite/media.rs).
        .filter(|name| name.contains("weikan-") && name != ".weikan-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The output folder sits in a folder the build may not write: a clear
/// error naming the folder, exit 1, and the old output untouched. As root
/// (which may write anywhere) the build runs as `nobody` through setpriv.
#[cfg(unix)]
#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;

    let site = Site::fixture();
    let parent = site.path("locked");
    std::fs::create_dir(&parent).unwrap();
    let output = parent.join("public");
    // An earlier build, then the folder is locked.
    site.build_ok(&["--output", output.to_str().unwrap()]);
    let before = snapshot(&output);
    for entry in walkdir::WalkDir::new(site.root()) {
        let path = entry.unwrap().into_path();
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    // The temporary folder above the site must let `nobody` in.
    std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();

    let root_user = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut command = if root_user {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_weikan"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_weikan"))
    };
    let out = command
        .args(["build", "--root", site.root().to_str().unwrap()])
        .args(["--output", output.to_str().unwrap()])
        .output()
        .expect("run weikan (as root this needs setpriv, from util-linux)");
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let staging = parent.join(".public.weikan-new");
    assert!(
        stderr.contains(&format!(
            "{}: error: the site could not be written: cannot create {}: Permission denied",
            output.display(),
            staging.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "beside the output folder, in {}",
            parent.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("The previous output is unchanged"),
        "{stderr}"
    );
    assert_eq!(snapshot(&output), before);
}
