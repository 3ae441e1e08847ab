//! A content file → front matter of an article, an issue, a page and a questionnaire. See `harness.rs`.
#![no_main]

// Each target calls one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::front_matter(data));
