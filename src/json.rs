//! Canonical and strict JSON.
//!
//! * [`canonical`] writes the RFC 8785 JSON Canonicalization Scheme (JCS) form of a value: the
//!   exact bytes that are hashed (quote ids, audit entries, receipt chains) and signed
//!   (signed envelopes). Equal values always give equal bytes.
//! * [`parse_strict`] reads JSON the way a verifier must: it refuses what `serde_json` would
//!   silently accept — duplicate member names (the last would win), numbers that are not
//!   integers, integers outside ±(2^53 − 1) (not portable between JCS implementations),
//!   nesting deeper than [`MAX_DEPTH`], and texts longer than [`MAX_TEXT_LEN`].
//!
//! ```
//! use eservices::json::{canonical, parse_strict};
//! let v = parse_strict(r#"{ "b": "\u00e9", "a": 1 }"#).unwrap();
//! assert_eq!(canonical(&v).unwrap(), "{\"a\":1,\"b\":\"é\"}".as_bytes());
//! assert!(parse_strict(r#"{"a": 1, "a": 2}"#).is_err());
//! assert!(parse_strict(r#"{"amount": 1.5}"#).is_err());
//! ```

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Error, Result};

/// Deepest nesting of arrays and objects that [`parse_strict`] accepts.
pub const MAX_DEPTH: usize = 32;

/// Longest JSON text (in bytes) that [`parse_strict`] accepts: 1 MiB.
pub const MAX_TEXT_LEN: usize = 1 << 20;

/// Largest integer magnitude that JCS implementations agree on (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The RFC 8785 canonical bytes of any serialisable value.
pub fn canonical<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| Error::InvalidJson {
        path: "$".into(),
        reason: format!("cannot canonicalise: {e}"),
    })
}

/// The RFC 8785 canonical text of any serialisable value.
pub fn canonical_string<T: Serialize>(value: &T) -> Result<String> {
    let bytes = canonical(value)?;
    String::from_utf8(bytes).map_err(|e| Error::InvalidJson {
        path: "$".into(),
        reason: format!("canonical form is not UTF-8: {e}"),
    })
}

/// Parses JSON text under the strict profile described in the [module docs](self).
///
/// Errors are [`Error::InvalidJson`] with the JSON path of the offending member.
pub fn parse_strict(text: &str) -> Result<Value> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Error::InvalidJson {
            path: "$".into(),
            reason: format!("text is {} bytes; the limit is {MAX_TEXT_LEN}", text.len()),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Strict {
        path: "$".to_string(),
        depth: 0,
    };
    let value = seed.deserialize(&mut de).map_err(strict_error)?;
    de.end().map_err(strict_error)?;
    Ok(value)
}

/// Parses strictly from bytes, refusing text that is not UTF-8.
pub fn parse_strict_bytes(bytes: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidJson {
        path: "$".into(),
        reason: format!("not UTF-8: {e}"),
    })?;
    parse_strict(text)
}

/// Turns a serde_json error into ours. Our own messages start with `@<path>: `, so the path
/// survives serde's error type; anything else is a syntax error reported at the root.
fn strict_error(e: serde_json::Error) -> Error {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix('@') {
        if let Some((path, reason)) = rest.split_once(": ") {
            return Error::InvalidJson {
                path: path.to_string(),
                reason: reason.to_string(),
            };
        }
    }
    Error::InvalidJson {
        path: "$".into(),
        reason: text,
    }
}

struct Strict {
    path: String,
    depth: usize,
}

impl Strict {
    fn fail<E: serde::de::Error>(&self, reason: impl fmt::Display) -> E {
        E::custom(format!("@{}: {reason}", self.path))
    }

    /// The seed for a child at `path`, refused when it would nest too deep.
    fn child(&self, path: String) -> Result<Strict, String> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH}"));
        }
        Ok(Strict {
            path,
            depth: self.depth + 1,
        })
    }
}

/// The JSON path of member `name` of the object at `parent`: `$.a`, or `$["a b"]` for a name
/// that is not a plain identifier (shown to at most 64 characters).
pub(crate) fn member_path(parent: &str, name: &str) -> String {
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if simple {
        format!("{parent}.{name}")
    } else {
        let shown: String = name.chars().take(64).collect();
        format!("{parent}[{}]", Value::String(shown))
    }
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(self.fail(format!(
                "integer {v} is outside ±(2^53 − 1); carry it as a string"
            )));
        }
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(self.fail(format!(
                "integer {v} is outside ±(2^53 − 1); carry it as a string"
            )));
        }
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Err(self.fail(format!(
            "number {v} is not an integer; amounts and fractions are decimal strings"
        )))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let child = self
                .child(format!("{}[{}]", self.path, out.len()))
                .map_err(|r| self.fail::<A::Error>(r))?;
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self
                .child(member_path(&self.path, &key))
                .map_err(|r| self.fail::<A::Error>(r))?;
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom(format!(
                    "@{}: duplicate member name",
                    child.path
                )));
            }
            let v = map.next_value_seed(child)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_path(text: &str) -> String {
        match parse_strict(text) {
            Err(Error::InvalidJson { path, .. }) => path,
            other => panic!("expected InvalidJson, got {other:?}"),
        }
    }

    #[test]
    fn duplicate_member_names_are_refused_with_their_path() {
        assert_eq!(err_path(r#"{"a":{"b":1,"b":2}}"#), "$.a.b");
    }

    #[test]
    fn floats_are_refused_with_their_path() {
        assert_eq!(err_path(r#"{"fees":[{"amount":1.5}]}"#), "$.fees[0].amount");
        assert_eq!(err_path(r#"{"x":1e3}"#), "$.x");
    }

    #[test]
    fn unsafe_integers_are_refused() {
        assert!(parse_strict("9007199254740991").is_ok());
        assert_eq!(err_path("9007199254740992"), "$");
        assert_eq!(err_path("-9007199254740992"), "$");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse_strict(&deep).is_err());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_strict(&ok).is_ok());
        // Far beyond serde_json's own recursion limit: still an error, never a stack overflow.
        let huge = "[".repeat(100_000);
        assert!(parse_strict(&huge).is_err());
    }

    #[test]
    fn trailing_garbage_is_refused() {
        assert!(parse_strict(r#"{"a":1} x"#).is_err());
        assert!(parse_strict(r#"{"a":1}{"#).is_err());
    }

    #[test]
    fn odd_member_names_are_quoted_in_paths() {
        assert_eq!(err_path(r#"{"a b":{"c":1.0}}"#), "$[\"a b\"].c");
    }

    #[test]
    fn canonical_sorts_and_escapes() {
        let v = parse_strict("{\"é\":\"\\u00e9\",\"a\":[true,null,-1]}").unwrap();
        assert_eq!(
            canonical_string(&v).unwrap(),
            "{\"a\":[true,null,-1],\"é\":\"é\"}"
        );
    }
}
