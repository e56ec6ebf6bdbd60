//! Rewriting JSON text into its RFC 8785 canonical form without building a tree.
//!
//! An application hands [`crate::document::Issuer::issue`] its payload as JSON text, usually
//! written by its own serialiser: members in the order the program declared them, perhaps
//! with spaces. Parsing that into a [`serde_json::Value`] (one allocation per string, map
//! node and array) only to write it out again sorted is most of what issuing costs besides
//! the signature. [`to_canonical`] does it in one pass instead: it copies the text to its
//! output without whitespace, checking it as it goes, and where an object's members are out
//! of order it moves them into place (members are kept as spans of the output, so a
//! reordered object costs one copy of its own text).
//!
//! It answers `None` for anything it does not handle — a text the strict profile refuses
//! (floats, unsafe integers, duplicate names, invalid JSON), `-0`, a member name with a
//! character that canonical form escapes, nesting deeper than the fast path's limit, a top
//! level that is not an object — and the caller then takes the general path
//! ([`parse_strict`](super::parse_strict) and [`canonical_object`](super::canonical_object)),
//! which gives the precise error or the result. Whatever it returns is exactly what that path
//! gives (property tests below; the `envelope` fuzz target checks it on every input).

use std::cmp::Ordering;

use super::scan::{scalar_end, utf16_cmp, MAX_FAST_DEPTH};
use super::{plain_run, write_canonical_str, MAX_TEXT_LEN};

/// The canonical text of the JSON object in `text`, when `text` is one that the strict
/// profile accepts and that the fast path handles (see the [module docs](self)).
pub(crate) fn to_canonical(text: &str) -> Option<String> {
    if text.len() > MAX_TEXT_LEN {
        return None;
    }
    let mut r = Rewrite {
        text,
        bytes: text.as_bytes(),
        at: 0,
        copied: 0,
        out: String::with_capacity(text.len()),
        members: Vec::with_capacity(32),
        names: String::new(),
        scratch: String::new(),
    };
    r.whitespace()?;
    if r.peek()? != b'{' {
        return None;
    }
    r.object(1)?;
    r.whitespace()?;
    if r.at != r.bytes.len() {
        return None;
    }
    r.flush()?;
    Some(r.out)
}

/// Where a member name's text is: in the input (a name without escapes is its own canonical
/// form) or, decoded, in [`Rewrite::names`].
#[derive(Clone, Copy)]
enum Name {
    Input(usize, usize),
    Decoded(usize, usize),
}

/// A member read: its name, and the whole `"name":value` at `start..end` in output offsets.
#[derive(Clone, Copy)]
struct Span {
    name: Name,
    start: usize,
    end: usize,
}

/// The rewriter. Input that is already canonical is not copied token by token: the output
/// lags behind the input, and the run `copied..at` is appended only when something must be
/// changed (whitespace dropped, a string with escapes rewritten, an object reordered) or at
/// the end. So a canonical text costs one copy, and output offsets are `out.len()` plus
/// `at - copied`.
struct Rewrite<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Input before this offset is in `out`.
    copied: usize,
    out: String,
    /// The members of the objects being read, innermost last.
    members: Vec<Span>,
    /// Member names that had escapes, decoded.
    names: String,
    /// An object's text while its members are put in order.
    scratch: String,
}

impl Rewrite<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// The output offset of the input offset `at`.
    fn position(&self) -> usize {
        self.out.len() + (self.at - self.copied)
    }

    /// Appends the input not yet copied, up to `at`.
    fn flush(&mut self) -> Option<()> {
        self.out.push_str(self.text.get(self.copied..self.at)?);
        self.copied = self.at;
        Some(())
    }

    /// Skips whitespace (copying what precedes it first). Inlined: canonical text has none.
    #[inline]
    fn whitespace(&mut self) -> Option<()> {
        if matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.skip_whitespace()
        } else {
            Some(())
        }
    }

    #[cold]
    fn skip_whitespace(&mut self) -> Option<()> {
        self.flush()?;
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
        self.copied = self.at;
        Some(())
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        self.whitespace()?;
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string(false).map(|_| ()),
            // A literal, or a safe integer already in canonical form (anything else, `-0`
            // included, is left to the general path).
            _ => {
                self.at = scalar_end(self.bytes, self.at)?;
                Some(())
            }
        }
    }

    /// Past the opening bracket of an array or object at `depth` and any whitespace after
    /// it; `true` when it is empty (its `close` read too).
    fn open(&mut self, depth: usize, close: u8) -> Option<bool> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        self.at += 1;
        self.whitespace()?;
        let empty = self.peek()? == close;
        if empty {
            self.at += 1;
        }
        Some(empty)
    }

    /// A string, in canonical form. For a member `name`, which must come out without
    /// escapes, returns where its text is.
    fn string(&mut self, name: bool) -> Option<Name> {
        let start = self.at;
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        self.at += plain_run(self.bytes.get(self.at..)?);
        match self.peek()? {
            b'"' => {
                // No escape and no control character: the text is its canonical form.
                self.at += 1;
                Some(Name::Input(start + 1, self.at - 1))
            }
            b'\\' => {
                // Find the closing quote, then let serde_json decode the escapes (as the
                // strict parser does: lone surrogates refused).
                loop {
                    self.at += plain_run(self.bytes.get(self.at..)?);
                    match self.peek()? {
                        b'"' => break,
                        b'\\' => self.at += 2,
                        _ => return None,
                    }
                }
                let token = self.text.get(start..=self.at)?;
                let decoded: String = serde_json::from_str(token).ok()?;
                self.at = start;
                self.flush()?;
                self.at += token.len();
                self.copied = self.at;
                if name {
                    if plain_run(decoded.as_bytes()) != decoded.len() {
                        return None;
                    }
                    let from = self.names.len();
                    self.names.push_str(&decoded);
                    self.out.push('"');
                    self.out.push_str(&decoded);
                    self.out.push('"');
                    Some(Name::Decoded(from, self.names.len()))
                } else {
                    write_canonical_str(&mut self.out, &decoded);
                    Some(Name::Decoded(0, 0))
                }
            }
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if self.open(depth, b']')? {
            return Some(());
        }
        loop {
            self.value(depth)?;
            self.whitespace()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn name(&self, name: Name) -> &str {
        match name {
            Name::Input(from, to) => self.text.get(from..to),
            Name::Decoded(from, to) => self.names.get(from..to),
        }
        .unwrap_or_default()
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if self.open(depth, b'}')? {
            return Some(());
        }
        let first = self.members.len();
        let body = self.position();
        let mut in_order = true;
        loop {
            self.whitespace()?;
            let start = self.position();
            let name = self.string(true)?;
            if let Some(previous) = self.members.get(first..).and_then(<[Span]>::last) {
                match utf16_cmp(self.name(previous.name), self.name(name)) {
                    Ordering::Less => {}
                    Ordering::Equal => return None,
                    Ordering::Greater => in_order = false,
                }
            }
            self.whitespace()?;
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.value(depth)?;
            let end = self.position();
            self.members.push(Span { name, start, end });
            self.whitespace()?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        if !in_order {
            self.flush()?;
            self.reorder(first, body)?;
        }
        self.members.truncate(first);
        self.at += 1;
        Some(())
    }

    /// Puts the members from `first` on, written from output offset `body` on, in order
    /// (same length: the spans of enclosing objects stay right).
    fn reorder(&mut self, first: usize, body: usize) -> Option<()> {
        let mut members = std::mem::take(&mut self.members);
        let ours = members.get_mut(first..)?;
        ours.sort_unstable_by(|a, b| utf16_cmp(self.name(a.name), self.name(b.name)));
        if ours
            .windows(2)
            .any(|w| self.name(w[0].name) == self.name(w[1].name))
        {
            return None;
        }
        if self.scratch.capacity() == 0 {
            // Room for the largest object there can be (output is never longer than its
            // input), so that reordering an enclosing object after an inner one does not
            // grow it again.
            self.scratch.reserve(self.bytes.len());
        }
        self.scratch.clear();
        self.scratch.push_str(self.out.get(body..)?);
        self.out.truncate(body);
        for (i, m) in ours.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out
                .push_str(self.scratch.get(m.start - body..m.end - body)?);
        }
        self.members = members;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{canonical_value, parse_strict};
    use serde_json::Value;

    /// What the general path gives: the canonical text of a strictly parsed object.
    fn reference(text: &str) -> Option<String> {
        match parse_strict(text).ok()? {
            v @ Value::Object(_) => canonical_value(&v).ok(),
            _ => None,
        }
    }

    #[test]
    fn objects_are_rewritten_in_canonical_form() {
        for (text, canonical) in [
            ("{}", "{}"),
            (" { } ", "{}"),
            (
                "{ \"b\" : [ 1 , -2, true,false ,null, { } , [ ] ] ,\n\t\"a\":\"x\" }\r\n",
                r#"{"a":"x","b":[1,-2,true,false,null,{},[]]}"#,
            ),
            (
                r#"{"z":{"y":1,"x":{"w":2,"v":3}},"a":[{"d":4,"c":5}]}"#,
                r#"{"a":[{"c":5,"d":4}],"z":{"x":{"v":3,"w":2},"y":1}}"#,
            ),
            (
                r#"{"s":"\u00e9\/\"\n\u001F\ud83d\ude00","\u0061":"\u2028"}"#,
                "{\"a\":\"\u{2028}\",\"s\":\"é/\\\"\\n\\u001f😀\"}",
            ),
            (
                "{\"\u{e000}\":1,\"\u{10000}\":2}",
                "{\"\u{10000}\":2,\"\u{e000}\":1}",
            ),
            (
                r#"{"n":9007199254740991,"m":-9007199254740991,"o":0}"#,
                r#"{"m":-9007199254740991,"n":9007199254740991,"o":0}"#,
            ),
        ] {
            assert_eq!(to_canonical(text).as_deref(), Some(canonical), "{text}");
            assert_eq!(reference(text).as_deref(), Some(canonical), "{text}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_path() {
        for text in [
            r#"{"a":1,"a":2}"#,          // duplicate, in order
            r#"{"b":1,"a":2,"b":3}"#,    // duplicate, out of order
            r#"{"a":1,"\u0061":2}"#,     // duplicate after decoding
            r#"{"a":1.5}"#,              // float
            r#"{"a":1e3}"#,              // exponent
            r#"{"a":-0}"#,               // -0
            r#"{"a":01}"#,               // leading zero
            r#"{"a":+1}"#,               // plus
            r#"{"a":9007199254740992}"#, // beyond 2^53 - 1
            r#"{"a":"\ud800"}"#,         // lone surrogate
            r#"{"a":"\x"}"#,             // bad escape
            "{\"a\":\"\u{1}\"}",         // raw control character
            r#"{"\u0001":1}"#,           // name that canonical form escapes
            r#"{"a\"":1}"#,              // likewise
            r#"{"a":1"#,                 // truncated
            r#"{"a":1}x"#,               // trailing text
            r#"{"a":1,}"#,               // trailing comma
            r#"{"a" 1}"#,                // no colon
            r#"{"a":tru}"#,
            "\u{feff}{}", // byte order mark
            "[1]",        // not an object
            "",
        ] {
            assert_eq!(to_canonical(text), None, "{text}");
        }
    }

    #[test]
    fn nesting_beyond_the_fast_depth_is_left_to_the_general_path() {
        let nested = |n: usize| format!("{{\"a\": {}1{}}}", "[".repeat(n), "]".repeat(n));
        assert!(to_canonical(&nested(MAX_FAST_DEPTH - 1)).is_some());
        assert!(to_canonical(&nested(MAX_FAST_DEPTH)).is_none());
        assert!(to_canonical(&format!("{{\"a\":{}", "{\"a\":".repeat(100_000))).is_none());
    }

    /// A non-canonical text of `v`: members in reverse order, whitespace around every token,
    /// and (when `escape`) every string character from `a` to `z` written as `\u00xx`.
    fn scrambled(v: &Value, escape: bool, out: &mut String) {
        let string = |s: &str, out: &mut String| {
            out.push('"');
            for c in s.chars() {
                if escape && c.is_ascii_lowercase() {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    let quoted = serde_json::to_string(&c.to_string()).unwrap_or_default();
                    out.push_str(&quoted[1..quoted.len() - 1]);
                }
            }
            out.push('"');
        };
        match v {
            Value::Object(m) => {
                out.push_str("{ ");
                for (i, (k, v)) in m.iter().rev().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\n");
                    }
                    string(k, out);
                    out.push_str(" :\t");
                    scrambled(v, escape, out);
                }
                out.push_str(" }");
            }
            Value::Array(items) => {
                out.push_str("[ ");
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" , ");
                    }
                    scrambled(v, escape, out);
                }
                out.push_str(" ]");
            }
            Value::String(s) => string(s, out),
            other => out.push_str(&other.to_string()),
        }
    }

    /// Objects of arbitrary integer-only JSON values; member names without the characters
    /// canonical form escapes (those are left to the general path).
    fn arb_object() -> impl proptest::strategy::Strategy<Value = Value> {
        crate::json::scan::tests::arb_object()
    }

    proptest::proptest! {
        /// Complete and right: every scrambled text of a value comes out as the value's
        /// canonical form.
        #[test]
        fn every_text_of_a_value_comes_out_canonical(v in arb_object(), escape in proptest::prelude::any::<bool>()) {
            let mut text = String::new();
            scrambled(&v, escape, &mut text);
            let canonical = canonical_value(&v).unwrap();
            proptest::prop_assert_eq!(to_canonical(&text), Some(canonical.clone()), "{}", text);
            proptest::prop_assert_eq!(to_canonical(&canonical), Some(canonical));
        }

        /// Sound: whatever it rewrites, even after mutation, is exactly what the general path
        /// gives.
        #[test]
        fn whatever_it_rewrites_the_general_path_writes_the_same(
            v in arb_object(),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            cut in proptest::prelude::any::<bool>(),
        ) {
            let mut text = String::new();
            scrambled(&v, false, &mut text);
            let mut bytes = text.into_bytes();
            let i = at.index(bytes.len());
            if cut { bytes.remove(i); } else { bytes[i] = byte; }
            if let Ok(text) = String::from_utf8(bytes) {
                if let Some(fast) = to_canonical(&text) {
                    proptest::prop_assert_eq!(Some(fast), reference(&text), "{}", text);
                }
            }
        }
    }
}
