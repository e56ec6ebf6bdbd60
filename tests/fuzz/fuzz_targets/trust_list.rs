#![no_main]
//! Fuzz target `trust_list`: the body is [`bodies::trust_list`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::trust_list(data));
