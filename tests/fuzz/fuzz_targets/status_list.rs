#![no_main]
//! Fuzz target `status_list`: the body is [`bodies::status_list`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::status_list(data));
