#![no_main]
//! Fuzz target `qr`: the body is [`bodies::qr`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::qr(data));
