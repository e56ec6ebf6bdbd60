//! JSON helpers for the bindings.

use super::GovError;

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
    Ok(crate::json::canonicalise(&json)?)
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
