//! uniffi's binding generator, built from this crate so its version always matches.
//!
//! `cargo run --features bindgen --bin uniffi-bindgen -- generate --library <libeservices.so> ...`
//! (the `bindings/` scripts and maturin run it for you).

fn main() {
    uniffi::uniffi_bindgen_main()
}
