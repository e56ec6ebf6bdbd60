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

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Error, Result};

pub(crate) mod rewrite;
pub(crate) mod scan;

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
        step: Step::Root,
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

/// Where a value sits, kept as a chain of borrowed steps so that the JSON path text is only
/// built when something is refused.
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Member(&'a Strict<'a>, &'a str),
    Element(&'a Strict<'a>, usize),
}

struct Strict<'a> {
    step: Step<'a>,
    depth: usize,
}

impl Strict<'_> {
    /// The JSON path of this value (`$`, `$.a[2]`, `$["a b"]`).
    fn path(&self) -> String {
        match self.step {
            Step::Root => "$".to_string(),
            Step::Member(parent, name) => member_path(&parent.path(), name),
            Step::Element(parent, index) => format!("{}[{index}]", parent.path()),
        }
    }

    fn fail<E: serde::de::Error>(&self, reason: impl fmt::Display) -> E {
        E::custom(format!("@{}: {reason}", self.path()))
    }

    /// The seed for a child at `step`, refused when it would nest too deep.
    fn child<'b, E: serde::de::Error>(&self, step: Step<'b>) -> Result<Strict<'b>, E> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.fail(format!("nesting deeper than {MAX_DEPTH}")));
        }
        Ok(Strict {
            step,
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

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
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
            let child = self.child(Step::Element(&self, out.len()))?;
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(Step::Member(&self, &key))?;
            if out.contains_key(&key) {
                return Err(child.fail("duplicate member name"));
            }
            let v = map.next_value_seed(child)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// The RFC 8785 canonical text of a JSON value, written directly when every number in it is
/// an integer within ±(2^53 − 1) (always so for values from [`parse_strict`]); any other
/// value goes through [`canonical_string`] (the `serde_json_canonicalizer` crate, which stays
/// the reference: the two are checked against each other in the tests). About four times
/// faster than the general path, which matters where every verification canonicalises.
pub fn canonical_value(value: &Value) -> Result<String> {
    let mut out = String::with_capacity(512);
    if write_canonical(&mut out, value) {
        Ok(out)
    } else {
        canonical_string(value)
    }
}

/// Appends `value`'s canonical text; `false` (leaving `out` partly written) on a number
/// that is not a safe integer.
fn write_canonical(out: &mut String, value: &Value) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            let safe = n
                .as_i64()
                .filter(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER)
                .map(|i| i.to_string())
                .or_else(|| {
                    n.as_u64()
                        .filter(|u| *u <= MAX_SAFE_INTEGER)
                        .map(|u| u.to_string())
                });
            match safe {
                Some(digits) => out.push_str(&digits),
                None => return false,
            }
        }
        Value::String(text) => write_canonical_str(out, text),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_canonical(out, item) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(members) => return write_canonical_object(out, members),
    }
    true
}

/// Appends an object's canonical text (see [`write_canonical`]).
fn write_canonical_object(out: &mut String, members: &Map<String, Value>) -> bool {
    // RFC 8785 orders member names by their UTF-16 code units. The map iterates in UTF-8
    // byte order, which is the same unless a name has a character beyond U+FFFF (UTF-16
    // surrogates sort below U+E000..U+FFFF): only then are the names sorted again.
    let beyond_bmp = members.keys().any(|k| k.bytes().any(|b| b >= 0xf0));
    let write = |out: &mut String, i: usize, name: &str, v: &Value| {
        if i > 0 {
            out.push(',');
        }
        write_canonical_str(out, name);
        out.push(':');
        write_canonical(out, v)
    };
    out.push('{');
    if beyond_bmp {
        let mut names: Vec<(&String, &Value)> = members.iter().collect();
        names.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        for (i, (name, v)) in names.into_iter().enumerate() {
            if !write(out, i, name, v) {
                return false;
            }
        }
    } else {
        for (i, (name, v)) in members.iter().enumerate() {
            if !write(out, i, name, v) {
                return false;
            }
        }
    }
    out.push('}');
    true
}

/// The RFC 8785 canonical text of JSON text read under the strict profile: the same as
/// [`parse_strict`] followed by [`canonical_value`], and the same errors, but an object of
/// strings, integers, booleans, nulls, arrays and objects (the usual document payload) is
/// rewritten in one pass without building a tree (see `json::rewrite` in the source).
///
/// ```
/// use eservices::json::canonicalise;
/// assert_eq!(canonicalise(r#"{ "b": "\u00e9", "a": [1, {"d": null, "c": true}] }"#)?,
///            r#"{"a":[1,{"c":true,"d":null}],"b":"é"}"#);
/// assert!(canonicalise(r#"{"a": 1, "a": 2}"#).is_err());
/// assert_eq!(canonicalise("[3, 2]")?, "[3,2]");
/// # Ok::<(), eservices::Error>(())
/// ```
pub fn canonicalise(text: &str) -> Result<String> {
    match rewrite::to_canonical(text) {
        Some(canonical) => Ok(canonical),
        None => canonical_value(&parse_strict(text)?),
    }
}

/// [`canonical_value`] of a JSON object.
pub fn canonical_object(members: &Map<String, Value>) -> Result<String> {
    let mut out = String::with_capacity(512);
    if write_canonical_object(&mut out, members) {
        Ok(out)
    } else {
        canonical_string(members)
    }
}

/// Appends a string in RFC 8785 form: `"` and `\` escaped, the short escapes for
/// backspace, form feed, line feed, carriage return and tab, other control characters as
/// `\u00xx` (lower-case hex), everything else as itself.
pub(crate) fn write_canonical_str(out: &mut String, text: &str) {
    out.push('"');
    let mut rest = text;
    loop {
        // Every byte that needs an escape is ASCII, so the split is at a character boundary.
        let (plain, tail) = rest.split_at(plain_run(rest.as_bytes()));
        out.push_str(plain);
        let Some(b) = tail.bytes().next() else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
        rest = tail.get(1..).unwrap_or_default();
    }
    out.push('"');
}

/// How many leading bytes of `bytes` stand for themselves inside a JSON string (neither `"`,
/// `\` nor a control character), looked at eight at a time.
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = bytes
        .get(at..at + 8)
        .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
    {
        let special = escape_mask(u64::from_le_bytes(word));
        if special != 0 {
            // The lowest flagged byte is the first special one (little-endian order).
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    // One to seven bytes left after plain words (or in all): one word that covers them says
    // at once whether they are plain.
    if (1..8).contains(&tail.len()) && covering_word(bytes).is_some_and(|w| !needs_escape(w)) {
        return bytes.len();
    }
    at + tail
        .iter()
        .position(|&b| is_special(b))
        .unwrap_or(tail.len())
}

/// A word of bytes of `bytes` that covers its last seven bytes (or all of it): its last
/// eight bytes, or for a text of four to seven bytes its first four and its last four. `None`
/// for fewer than four.
pub(crate) fn covering_word(bytes: &[u8]) -> Option<u64> {
    if let Some(last) = bytes.last_chunk::<8>() {
        return Some(u64::from_le_bytes(*last));
    }
    let first = u32::from_le_bytes(*bytes.first_chunk::<4>()?);
    let last = u32::from_le_bytes(*bytes.last_chunk::<4>()?);
    Some(u64::from(first) | u64::from(last) << 32)
}

/// Whether `b` needs escaping inside a JSON string: a control character, `"` or `\`.
pub(crate) fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of the eight bytes in `w` is a control character (below 0x20), `"` or `\`.
pub(crate) fn needs_escape(w: u64) -> bool {
    escape_mask(w) != 0
}

/// Flags (top bit) the bytes of `w` (read little-endian) that are control characters (below
/// 0x20), `"` or `\`, and perhaps bytes after the first of them: zero exactly when there is
/// none, and the lowest set bit is in the first. The usual word-at-a-time tests:
/// `x - 0x01…01 & !x & 0x80…80` flags every zero byte of `x`, and likewise "below 0x20" with
/// 0x20…20 (bytes of 0x80 and above never match, as `!x` clears their top bit); a borrow can
/// only flag bytes *after* a true match, never before it.
fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    (below_space | quote | backslash) & HIGH
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// A JSON value with integer numbers only, strings over the whole of Unicode (control
    /// characters, quotes, backslashes, characters beyond the BMP and in U+E000..U+FFFF
    /// whose UTF-8 and UTF-16 orders differ).
    pub(crate) fn arb_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        fn text() -> impl Strategy<Value = String> {
            proptest::string::string_regex(
                "[\\x00-\\x1f\"\\\\a-z\u{7f}\u{e9}\u{2028}\u{e000}-\u{ffff}\u{10000}-\u{10ffff}]{0,6}",
            )
            .unwrap_or_else(|e| unreachable!("{e}"))
        }
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-(MAX_SAFE_INTEGER as i64)..=MAX_SAFE_INTEGER as i64).prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(text(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn the_fast_writer_agrees_with_the_reference_canonicaliser(v in arb_value()) {
            proptest::prop_assert_eq!(canonical_value(&v).unwrap(), canonical_string(&v).unwrap());
        }
    }

    proptest::proptest! {
        /// Long strings too (the plain runs are looked at eight bytes at a time).
        #[test]
        fn strings_are_written_as_the_reference_writes_them(
            text in "[\\x00-\\x1f\"\\\\a-z\u{7f}\u{e9}\u{2028}\u{10000}]{0,40}|[a-z ]{0,30}[\"\\\\\\x00-\\x1f][a-z ]{0,30}"
        ) {
            let mut out = String::new();
            write_canonical_str(&mut out, &text);
            proptest::prop_assert_eq!(out, canonical_string(&text).unwrap());
            let naive = text
                .bytes()
                .position(|b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(text.len());
            proptest::prop_assert_eq!(plain_run(text.as_bytes()), naive);
        }
    }

    /// The word test against the byte test (is there one, and where is the first): every pair
    /// of byte values at every pair of positions, over fillers that are plain, special and non-ASCII.
    #[test]
    fn the_word_test_finds_exactly_the_bytes_needing_escape() {
        let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for filler in [b'a', 0x00, b'"', 0x80, 0xff, 0x21, 0x5d] {
            for (i, j) in [(0, 0), (0, 7), (3, 4), (7, 6), (1, 5)] {
                for x in 0..=255u8 {
                    for y in 0..=255u8 {
                        let mut w = [filler; 8];
                        w[i] = x;
                        w[j] = y;
                        let first = w.iter().position(|b| special(*b));
                        let mask = escape_mask(u64::from_le_bytes(w));
                        let found = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
                        assert_eq!(found, first, "{w:?}");
                    }
                }
            }
        }
    }

    /// Every length around the word size, with a special byte at every position (and none):
    /// the last, overlapping word must not hide a special byte in an earlier word or in the
    /// tail.
    #[test]
    fn plain_runs_of_every_length_agree_with_the_byte_test() {
        for len in 0..=34 {
            for special in [None, Some(0u8), Some(b'"'), Some(b'\\'), Some(0x1f)] {
                for at in 0..len.max(1) {
                    let mut bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    if let (Some(b), Some(slot)) = (special, bytes.get_mut(at)) {
                        *slot = b;
                    }
                    let naive = bytes
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(bytes.len());
                    assert_eq!(plain_run(&bytes), naive, "{len} {special:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn plain_runs_stop_at_every_special_byte_in_every_position() {
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = special;
                assert_eq!(plain_run(&bytes), at, "{special:#x} at {at}");
            }
        }
        let plain: Vec<u8> = (0x20u8..=0xff)
            .filter(|b| *b != b'"' && *b != b'\\')
            .collect();
        assert_eq!(plain_run(&plain), plain.len());
    }

    #[test]
    fn the_fast_writer_falls_back_for_floats_and_large_integers() {
        for text in [
            "[1.5e300,-0.0,3.0]",
            "{\"a\":18446744073709551615}",
            "[9007199254740993]",
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                canonical_value(&v).unwrap(),
                canonical_string(&v).unwrap(),
                "{text}"
            );
        }
    }
}
