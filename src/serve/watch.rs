//! Watching the site folder: native file events where the system has them,
//! polling where it does not. Changes are gathered until the folder has been
//! quiet for a moment, because editors save in several steps.
//!
//! Events come from `notify` directly rather than through a debouncer crate:
//! the debouncers drop the event kind, and a build's own reads (`open`
//! events) would then start the next build.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::content::load::{CONTENT_DIR, ISSUES_DIR, STATIC_DIR};
use crate::render::theme::{SITE_TEMPLATES_DIR, THEMES_DIR};

/// Quiet time after the last change before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// How often the polling fallback looks at the files. It compares their
/// contents too, because notify's poller keeps modification times in whole
/// seconds and would miss an edit made in the same second as its last look.
const POLL: Duration = Duration::from_millis(500);

/// The folders of a site that hold its sources.
const WATCHED: [&str; 5] = [
    ISSUES_DIR,
    CONTENT_DIR,
    STATIC_DIR,
    SITE_TEMPLATES_DIR,
    THEMES_DIR,
];

/// Keeps the watcher alive; dropping it stops watching.
pub enum Guard {
    /// Native file events.
    Native(RecommendedWatcher),
    /// Polling, and why.
    Polling(PollWatcher, Polled),
}

/// Why the site folder is polled rather than watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Polled {
    /// `--poll` asked for it.
    Asked,
    /// The folder is on a network or user-space file system (its name),
    /// where change events do not arrive.
    Network(&'static str),
    /// Native events could not start (the watcher's error).
    NoEvents(String),
}

impl Polled {
    /// What `serve` tells the editor, once; nothing when it was asked for.
    pub fn notice(&self) -> Option<String> {
        let every = format!("every {} ms", POLL.as_millis());
        match self {
            Polled::Asked => None,
            Polled::Network(fs) => Some(format!(
                "note: the site folder is on {fs}, where changes are not announced; checking for changes {every}"
            )),
            Polled::NoEvents(why) => Some(format!(
                "note: file events are unavailable here ({why}); checking for changes {every}"
            )),
        }
    }
}

impl Guard {
    /// Starts watching source folders created since the watch began (a new
    /// `static/`, say); the ones already watched are unaffected.
    pub fn refresh(&mut self, root: &Path) {
        let Ok(root) = root.canonicalize() else {
            return;
        };
        let _ = match self {
            Guard::Native(w) => add_watches(w, &root),
            Guard::Polling(w, _) => add_watches(w, &root),
        };
    }

    /// Why changes are found by polling, if they are.
    pub fn polled(&self) -> Option<&Polled> {
        match self {
            Guard::Native(_) => None,
            Guard::Polling(_, why) => Some(why),
        }
    }
}

/// Watches `root` and sends each changed source path (relative to `root`)
/// to `changes`. Only the source folders and `site.toml` are watched, never
/// the output or anything else in the folder. With `poll`, on a network
/// file system, or where native events are unavailable, the files are
/// polled instead.
pub fn watch(root: &Path, changes: Sender<PathBuf>, poll: bool) -> Result<Guard, String> {
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    let handler = {
        let root = root.clone();
        move |result: notify::Result<Event>| {
            let Ok(event) = result else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in event.paths.iter().filter_map(|p| relevant(&root, p)) {
                let _ = changes.send(path);
            }
        }
    };
    let polled = if poll {
        Some(Polled::Asked)
    } else {
        network_file_system(&root).map(Polled::Network)
    };
    let native = match polled {
        Some(why) => Err(why),
        None => RecommendedWatcher::new(handler.clone(), notify::Config::default())
            .and_then(|mut w| add_watches(&mut w, &root).map(|()| w))
            .map_err(|e| Polled::NoEvents(e.to_string())),
    };
    match native {
        Ok(w) => Ok(Guard::Native(w)),
        Err(why) => {
            let mut w = PollWatcher::new(
                handler,
                notify::Config::default()
                    .with_poll_interval(POLL)
                    .with_compare_contents(true),
            )
            .map_err(|e| format!("cannot watch the site folder ({why:?}; polling: {e})"))?;
            add_watches(&mut w, &root).map_err(|e| format!("cannot watch the site folder: {e}"))?;
            Ok(Guard::Polling(w, why))
        }
    }
}

/// The name of the file system `root` is on, when it is one where change
/// events do not arrive: network shares and user-space file systems (as
/// WSL's Windows drives and sshfs are).
#[cfg(target_os = "linux")]
fn network_file_system(root: &Path) -> Option<&'static str> {
    let stat = rustix::fs::statfs(root).ok()?;
    // `f_type` is signed on some targets; the magic numbers are 32 bits.
    file_system_name(stat.f_type as u64 & 0xFFFF_FFFF)
}

/// Elsewhere, native events or their failure decide.
#[cfg(not(target_os = "linux"))]
fn network_file_system(_root: &Path) -> Option<&'static str> {
    None
}

/// The network or user-space file system whose `statfs` magic is `magic`
/// (from Linux's `magic.h` and the file systems' own headers).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn file_system_name(magic: u64) -> Option<&'static str> {
    Some(match magic {
        0x6969 => "NFS",
        0x517B => "SMB",
        0xFF53_4D42 => "CIFS",
        0xFE53_4D42 => "SMB2",
        0x0102_1997 => "9p",
        0x6573_5546 => "FUSE",
        0x00C3_6400 => "Ceph",
        0x5346_414F => "AFS",
        0x564C => "NCP",
        _ => return None,
    })
}

/// Waits for a change, then gathers more until none came for [`DEBOUNCE`]:
/// the changed paths, sorted, or `None` once the watcher is gone.
pub fn next_batch(changes: &Receiver<PathBuf>) -> Option<Vec<PathBuf>> {
    let first = changes.recv().ok()?;
    Some(gather(changes, first))
}

/// What came of waiting a while for a change.
pub enum Waited {
    /// A batch of changes, as [`next_batch`] gives.
    Batch(Vec<PathBuf>),
    /// Nothing changed in that time.
    Quiet,
    /// The watcher is gone.
    Gone,
}

/// Like [`next_batch`], but gives up when no change comes within `wait`.
pub fn next_batch_within(changes: &Receiver<PathBuf>, wait: Duration) -> Waited {
    match changes.recv_timeout(wait) {
        Ok(first) => Waited::Batch(gather(changes, first)),
        Err(RecvTimeoutError::Timeout) => Waited::Quiet,
        Err(RecvTimeoutError::Disconnected) => Waited::Gone,
    }
}

/// `first` and the changes that follow it until none came for [`DEBOUNCE`].
fn gather(changes: &Receiver<PathBuf>, first: PathBuf) -> Vec<PathBuf> {
    gather_until_quiet(changes, first, DEBOUNCE)
}

/// `first` and the changes that follow it until none came for `quiet`.
fn gather_until_quiet(
    changes: &Receiver<PathBuf>,
    first: PathBuf,
    quiet: Duration,
) -> Vec<PathBuf> {
    let mut batch = vec![first];
    while let Ok(path) = changes.recv_timeout(quiet) {
        batch.push(path);
    }
    batch.sort();
    batch.dedup();
    batch
}

fn add_watches(watcher: &mut dyn Watcher, root: &Path) -> notify::Result<()> {
    // The root itself only for site.toml and new source folders.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// The path relative to `root` when it is a source: under a source folder
/// or `site.toml`, and not a hidden or backup file an editor writes.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = rel.file_name()?.to_string_lossy();
    let hidden = name.starts_with('.') || name.ends_with('~') || name.starts_with('#');
    (!hidden && (WATCHED.contains(&first) || rel == Path::new(CONFIG_FILE)))
        .then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_and_user_space_file_systems_are_known_by_their_magic() {
        assert_eq!(file_system_name(0x6969), Some("NFS"));
        assert_eq!(file_system_name(0xFF53_4D42), Some("CIFS"));
        assert_eq!(file_system_name(0xFE53_4D42), Some("SMB2"));
        assert_eq!(file_system_name(0x0102_1997), Some("9p"));
        assert_eq!(file_system_name(0x6573_5546), Some("FUSE"));
        // ext4, tmpfs, btrfs, overlayfs: events arrive there.
        for local in [0xEF53, 0x0102_1994, 0x9123_683E, 0x794C_7630] {
            assert_eq!(file_system_name(local), None, "{local:#x}");
        }
    }

    #[test]
    fn a_local_folder_is_watched_and_polling_says_why() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_file_system(dir.path()), None);
        let (tx, _rx) = std::sync::mpsc::channel();
        let guard = watch(dir.path(), tx, false).unwrap();
        assert_eq!(guard.polled(), None);
        let (tx, _rx) = std::sync::mpsc::channel();
        let asked = watch(dir.path(), tx, true).unwrap();
        assert_eq!(asked.polled(), Some(&Polled::Asked));
        assert_eq!(Polled::Asked.notice(), None);
        let nfs = Polled::Network("NFS").notice().unwrap();
        assert!(
            nfs.contains("on NFS") && nfs.contains("every 500 ms"),
            "{nfs}"
        );
    }

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, Path::new(p)).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(
            r("/site/issues/001/01-a.md").as_deref(),
            Some("issues/001/01-a.md")
        );
        assert_eq!(r("/site/site.toml").as_deref(), Some("site.toml"));
        assert_eq!(r("/site/public/index.html"), None);
        assert_eq!(r("/site/.public.weikan-new/x"), None);
        assert_eq!(r("/site/issues/001/.01-a.md.swp"), None);
        assert_eq!(r("/site/issues/001/01-a.md~"), None);
        assert_eq!(r("/site/README.md"), None);
    }

    #[test]
    fn a_batch_waits_for_quiet() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(PathBuf::from("b")).unwrap();
        tx.send(PathBuf::from("a")).unwrap();
        tx.send(PathBuf::from("b")).unwrap();
        // A change that comes while the batch is still gathering joins it.
        // The quiet window is long, so a loaded machine that is slow to
        // run the sender cannot close the batch first.
        let (started, gathering) = std::sync::mpsc::channel();
        let sender = std::thread::spawn(move || {
            gathering.recv().unwrap();
            tx.send(PathBuf::from("c")).unwrap();
        });
        let first = rx.recv().unwrap();
        started.send(()).unwrap();
        let batch = gather_until_quiet(&rx, first, Duration::from_secs(3));
        assert_eq!(batch, ["a", "b", "c"].map(PathBuf::from));
        sender.join().unwrap();
        assert_eq!(next_batch(&rx), None);
    }
}
