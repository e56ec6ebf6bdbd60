#![no_main]
//! Fuzz target `receipt_audit`: the body is [`bodies::receipt_audit`], shared with `tests/fuzz_corpus.rs`.

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::receipt_audit(data));
