//! The foreign-function interface (uniffi) for Python, Kotlin and Swift.
//!
//! Everything the bindings need beyond the records that derive uniffi where they are defined
//! lives here; nothing else in the crate imports this module.
//!
//! * [`GovError`] ([`error`]) is the one error the bindings see, mapped once from
//!   [`crate::Error`]; exported functions return `Result<T, GovError>`.
//! * [`types`] makes `Decimal`, `DateTime<Utc>` and `NaiveDate` cross as strings.
//! * Exported functions are thin: parse/convert, call the core, map the error with `?`.
//!
//! Adding to the API (all three languages see it after `bash bindings/test.sh`; the scripts
//! regenerate the bindings from the built library, so nothing is listed twice):
//!
//! * a function or object: `#[uniffi::export]` it in a small file here (`src/ffi/<area>.rs`),
//!   returning `Result<T, GovError>` and converting with `?` (the `From<crate::Error>` impl);
//! * a record or enum: `#[cfg_attr(feature = "ffi", derive(uniffi::Record))]` (or `Enum`) where
//!   it is defined; `Decimal`/`DateTime<Utc>`/`NaiveDate` fields already work ([`types`]);
//! * a foreign-implemented trait: `#[uniffi::export(with_foreign)]` on a trait here;
//! * then a test per language in `bindings/{python/tests,kotlin/tests,swift/Tests}`.
//!
//! uniffi catches a panic that unwinds out of an exported function and raises it as an
//! internal error in the host language (the release profile keeps `panic = "unwind"` for
//! this), so nothing here may rely on aborting.

pub mod error;
pub mod types;

pub use error::GovError;

/// The library's version, as the bindings see it (the crate version, e.g. `"0.1.0"`).
///
/// ```
/// assert_eq!(eservices::ffi::library_version(), env!("CARGO_PKG_VERSION"));
/// ```
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The RFC 8785 (JCS) canonical form of a JSON text, read under the strict profile of
/// [`crate::json::parse_strict`]: duplicate member names, non-integer numbers, unsafe
/// integers, deep nesting and texts over 1 MiB are refused with code `invalid_json`.
///
/// ```
/// use eservices::ffi::canonical_json;
/// assert_eq!(canonical_json(r#"{"b": 1, "a": [true, null]}"#.into())?, r#"{"a":[true,null],"b":1}"#);
/// assert_eq!(canonical_json(r#"{"a": 1, "a": 2}"#.into()).unwrap_err().code(), "invalid_json");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn canonical_json(json: String) -> Result<String, GovError> {
    let value = crate::json::parse_strict(&json)?;
    Ok(crate::json::canonical_string(&value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_members_and_refuses_loose_json() {
        assert_eq!(
            canonical_json(r#"{"b":"\u00e9","a":{"d":1,"c":[]}}"#.into()).unwrap(),
            r#"{"a":{"c":[],"d":1},"b":"é"}"#
        );
        for bad in ["", "{", r#"{"a":1,"a":1}"#, r#"{"a":1.5}"#, "[1] [2]"] {
            let e = canonical_json(bad.into()).unwrap_err();
            assert!(matches!(e, GovError::InvalidInput { .. }), "{bad:?}: {e:?}");
            assert_eq!(e.code(), "invalid_json");
        }
        let huge = format!("\"{}\"", "x".repeat(2 << 20));
        assert_eq!(canonical_json(huge).unwrap_err().code(), "invalid_json");
    }
}
