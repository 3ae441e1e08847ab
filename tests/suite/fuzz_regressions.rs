//! Replays every input kept in `fuzz/regressions/<target>/` (the fuzzers'
//! finds, copied there by `fuzz/run`, and a few written by hand) through the
//! same code the fuzz targets run, so a fixed crash stays fixed in the
//! normal test run.

use std::path::Path;

/// Runs `run` on every input of `target`'s folder; each target has at least
/// one, so a missing or emptied folder fails rather than replaying nothing.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    assert!(
        !inputs.is_empty(),
        "no input to replay in {}",
        dir.display()
    );
    inputs.sort();
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        // A panic names the input that caused it.
        eprintln!("replaying {}", input.display());
        run(&data);
    }
}

#[test]
fn site_toml_regressions_do_not_panic() {
    replay("site_toml", crate::harness::site_toml);
}

#[test]
fn front_matter_regressions_do_not_panic() {
    replay("front_matter", crate::harness::front_matter);
}

#[test]
fn markdown_regressions_do_not_panic_and_stay_sanitised() {
    replay("markdown", crate::harness::markdown);
}
