#![no_main]
//! Fuzz target `catalogue`: the body is [`bodies::catalogue`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::catalogue(data));
