#![no_main]
//! Fuzz target `envelope`: the body is [`bodies::envelope`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::envelope(data));
