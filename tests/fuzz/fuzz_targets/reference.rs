#![no_main]
//! Fuzz target `reference`: the body is [`bodies::reference`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::reference(data));
