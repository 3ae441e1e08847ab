//! The integration tests, as one binary: each module below builds fixture
//! sites with the real `weikan` binary and inspects what it wrote. One
//! binary links the crate once instead of once per file, which cuts the
//! suite's build time. A new test file goes in this folder and gets one
//! `mod` line here. Run one part with `cargo test --test suite serve::`.

#[path = "../common/mod.rs"]
mod common;
/// What each fuzz target does with an input, shared with `fuzz/`.
#[path = "../../fuzz/harness.rs"]
mod harness;

mod build_output;
mod doc_links;
mod editor_commands;
mod errors;
mod faults;
mod feeds_qr;
mod fuzz_regressions;
mod layers;
mod media;
mod memory;
mod nasty_inputs;
mod output_security;
mod plan;
mod print;
mod sample_site;
mod search;
mod selfcheck;
mod serve;
mod theme;
mod themes_doc;
mod wechat;
