//! The foreign-function interface (uniffi) for Python, Kotlin and Swift.
//!
//! Everything the bindings need beyond the records that derive uniffi where they are defined
//! lives here; nothing else in the crate imports this module.

/// The library's version, as the bindings see it.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
