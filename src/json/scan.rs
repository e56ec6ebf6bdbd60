//! Recognising text that is already in RFC 8785 canonical form, without building a tree.
//!
//! Signed envelopes travel in canonical form (this crate writes nothing else, and the QR form
//! carries canonical JSON), so a verifier usually receives text whose signing input can be
//! cut straight out of it. [`canonical_members`] checks that a text is exactly the canonical
//! form of a value that [`parse_strict`](super::parse_strict) accepts, and returns the spans
//! of the top-level object's members. It answers `None` for anything else — other
//! whitespace or escapes, unsorted or duplicate member names, floats, unsafe integers, deep
//! nesting, invalid JSON — and the caller then takes the general path, which gives the
//! precise error. It never accepts a text the general path would refuse or read differently:
//! the tests check that every accepted text parses strictly and canonicalises to itself.

use super::MAX_SAFE_INTEGER;

/// Deepest nesting of arrays and objects recognised (the top-level object is 1). Deeper
/// values are left to the general path (whose limit, [`super::MAX_DEPTH`], is higher).
pub(super) const MAX_FAST_DEPTH: usize = 16;

/// One member of the top-level object, as byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Member<'a> {
    /// The member name (canonical names here never contain escapes).
    pub name: &'a str,
    /// Offset of the `"` that opens the name.
    pub start: usize,
    /// The value's canonical text.
    pub value: &'a str,
    /// Offset just past the value.
    pub end: usize,
}

/// The members of the object `text`, when `text` (without surrounding JSON whitespace, which
/// canonical form has none of but a file may end with) is exactly the canonical form of an
/// object that [`parse_strict`](super::parse_strict) accepts; offsets are into the trimmed
/// text, returned alongside. Member names that contain escapes are not recognised.
pub(crate) fn canonical_members(text: &str) -> Option<(&str, Vec<Member<'_>>)> {
    let mut members = Vec::with_capacity(10);
    let trimmed = scan_object(text, &mut members)?;
    Some((trimmed, members))
}

fn scan_object<'a>(text: &'a str, members: &mut Vec<Member<'a>>) -> Option<&'a str> {
    if text.len() > super::MAX_TEXT_LEN {
        return None;
    }
    let trimmed = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    let mut scan = Scan {
        text: trimmed,
        bytes: trimmed.as_bytes(),
        at: 0,
    };
    scan.object(1, Some(members))?;
    (scan.at == scan.bytes.len()).then_some(trimmed)
}

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1, None),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(|_| ()),
            _ => {
                self.at = scalar_end(self.bytes, self.at)?;
                Some(())
            }
        }
    }

    /// A string in canonical form; returns its text between the quotes and whether it has
    /// escapes.
    fn string(&mut self) -> Option<(&'a str, bool)> {
        self.eat(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            // Skip the run of bytes that stand for themselves.
            self.at += super::plain_run(self.bytes.get(self.at..)?);
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            // Only control characters without a short escape are written as
                            // `\u00xx`, in lower-case hex.
                            let hex = self.bytes.get(self.at + 1..self.at + 5)?;
                            let code = match hex {
                                [b'0', b'0', hi @ b'0'..=b'1', lo] => {
                                    let lo = match lo {
                                        b'0'..=b'9' => lo - b'0',
                                        b'a'..=b'f' => lo - b'a' + 10,
                                        _ => return None,
                                    };
                                    (hi - b'0') * 16 + lo
                                }
                                _ => return None,
                            };
                            if matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d) {
                                return None;
                            }
                            self.at += 5;
                        }
                        _ => return None,
                    }
                }
                0x00..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let inner = self.text.get(start..self.at)?;
        self.at += 1;
        Some((inner, escaped))
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.value(depth)?;
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

    /// An object whose member names are strictly increasing in UTF-16 code units (so there
    /// are no duplicates); with `out`, its members are recorded.
    fn object(&mut self, depth: usize, mut out: Option<&mut Vec<Member<'a>>>) -> Option<()> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let mut previous: Option<&str> = None;
        loop {
            let start = self.at;
            let (name, escaped) = self.string()?;
            if escaped {
                return None;
            }
            if let Some(previous) = previous {
                if !utf16_less(previous, name) {
                    return None;
                }
            }
            previous = Some(name);
            self.eat(b':')?;
            let value_start = self.at;
            self.value(depth)?;
            if let Some(out) = out.as_deref_mut() {
                out.push(Member {
                    name,
                    start,
                    value: self.text.get(value_start..self.at)?,
                    end: self.at,
                });
            }
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// The end of the `true`, `false`, `null` or safe integer in canonical form (see
/// [`integer_end`]) that starts at `at`: the scalar values both fast readers, this scan and
/// [`super::rewrite`], take as they are.
pub(super) fn scalar_end(bytes: &[u8], at: usize) -> Option<usize> {
    let word: &[u8] = match bytes.get(at)? {
        b't' => b"true",
        b'f' => b"false",
        b'n' => b"null",
        b'-' | b'0'..=b'9' => return integer_end(bytes, at),
        _ => return None,
    };
    let end = at + word.len();
    (bytes.get(at..end)? == word).then_some(end)
}

/// The end of the safe integer in canonical form that starts at `at`: no `+`, no leading
/// zeros, no `-0`, no fraction or exponent (the strict profile refuses floats; canonical form
/// would write the others differently), magnitude at most 2^53 − 1.
fn integer_end(bytes: &[u8], at: usize) -> Option<usize> {
    let negative = bytes.get(at) == Some(&b'-');
    let start = at + usize::from(negative);
    let len = bytes
        .get(start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = start + len;
    let digits = bytes.get(start..end)?;
    match digits {
        [] => return None,
        [b'0'] if negative => return None,
        [b'0', _, ..] => return None,
        _ => {}
    }
    if matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) || digits.len() > 16 {
        return None;
    }
    let magnitude = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    (magnitude <= MAX_SAFE_INTEGER).then_some(end)
}

/// `a < b` in UTF-16 code units (RFC 8785's member order).
fn utf16_less(a: &str, b: &str) -> bool {
    utf16_cmp(a, b) == std::cmp::Ordering::Less
}

/// `a` against `b` in UTF-16 code units. UTF-8 bytes sort like code points, and code points
/// like UTF-16 except that characters beyond U+FFFF (surrogate pairs, D800–DFFF) sort before
/// U+E000–U+FFFF in UTF-16; so the first differing byte decides, unless both are lead bytes of
/// those ranges (0xEE and above; continuation bytes are below 0xC0).
pub(super) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).find(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some((p, q)) if *p >= 0xee && *q >= 0xee => a.encode_utf16().cmp(b.encode_utf16()),
        Some((p, q)) => p.cmp(q),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::json::{canonical_value, parse_strict};

    fn accepted(text: &str) -> bool {
        canonical_members(text).is_some()
    }

    #[test]
    fn canonical_objects_are_recognised_with_their_members() {
        let text = r#"{"a":[1,-2,true,null,{"x":"y"}],"b":"\u001f\n\"\\","é":{}}"#;
        let (trimmed, members) = canonical_members(text).unwrap();
        assert_eq!(trimmed, text);
        let names: Vec<&str> = members.iter().map(|m| m.name).collect();
        assert_eq!(names, ["a", "b", "é"]);
        assert_eq!(members[0].value, r#"[1,-2,true,null,{"x":"y"}]"#);
        assert_eq!(members[1].value, r#""\u001f\n\"\\""#);
        assert_eq!(&text[members[2].start..members[2].end], r#""é":{}"#);
        // Surrounding whitespace (a file's last newline) is not part of the value.
        let with_newline = format!("{text}\r\n");
        let (trimmed, _) = canonical_members(&with_newline).unwrap();
        assert_eq!(trimmed, text);
    }

    #[test]
    fn anything_not_canonical_is_left_to_the_general_path() {
        for text in [
            r#"{"b":1,"a":2}"#,          // unsorted
            r#"{"a":1,"a":2}"#,          // duplicate
            r#"{"a": 1}"#,               // whitespace inside
            r#"{"a":1.5}"#,              // float
            r#"{"a":1e3}"#,              // exponent
            r#"{"a":-0}"#,               // -0 is written 0
            r#"{"a":01}"#,               // leading zero
            r#"{"a":9007199254740992}"#, // beyond 2^53 - 1
            r#"{"a":"\/"}"#,             // needless escape
            r#"{"a":"\u00e9"}"#,         // non-control character escaped
            r#"{"a":"\u000a"}"#,         // control character with a short escape
            r#"{"a":"\u001F"}"#,         // upper-case hex
            "{\"a\":\"\u{1}\"}",         // raw control character
            r#"{"\u0001":1}"#,           // escaped name
            r#"{"a":1"#,                 // truncated
            r#"{"a":1}x"#,               // trailing text
            r#"[1]"#,                    // not an object
            r#"{"a":tru}"#,
        ] {
            assert!(!accepted(text), "{text}");
        }
        assert!(accepted(
            r#"{"a":9007199254740991,"b":-9007199254740991,"c":0}"#
        ));
    }

    proptest::proptest! {
        /// The byte shortcut agrees with comparing UTF-16 code units.
        #[test]
        fn utf16_cmp_is_utf16_order(
            a in "[a\u{7f}\u{e9}\u{800}\u{d7ff}\u{e000}\u{ffff}\u{10000}\u{10ffff}]{0,4}",
            b in "[a\u{7f}\u{e9}\u{800}\u{d7ff}\u{e000}\u{ffff}\u{10000}\u{10ffff}]{0,4}",
        ) {
            proptest::prop_assert_eq!(utf16_cmp(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
        }
    }

    #[test]
    fn member_order_is_utf16_order() {
        // U+E000 sorts after U+10000 in UTF-8 but before it in UTF-16.
        assert!(accepted("{\"\u{10000}\":1,\"\u{e000}\":2}"));
        assert!(!accepted("{\"\u{e000}\":1,\"\u{10000}\":2}"));
    }

    #[test]
    fn nesting_beyond_the_fast_depth_is_left_to_the_general_path() {
        let nested = |n: usize| format!("{{\"a\":{}1{}}}", "[".repeat(n), "]".repeat(n));
        assert!(accepted(&nested(MAX_FAST_DEPTH - 1)));
        assert!(!accepted(&nested(MAX_FAST_DEPTH)));
        assert!(!accepted(&format!("{{\"a\":{}", "[".repeat(100_000))));
    }

    /// Objects of arbitrary integer-only JSON values (the strings over all of Unicode); member
    /// names without the characters canonical form escapes, which are left to the general path.
    pub(crate) fn arb_object() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        fn plain_names(v: Value) -> Value {
            match v {
                Value::Object(m) => Value::Object(
                    m.into_iter()
                        .map(|(k, v)| {
                            let k: String = k
                                .chars()
                                .filter(|c| !matches!(c, '\u{0}'..='\u{1f}' | '"' | '\\'))
                                .collect();
                            (k, plain_names(v))
                        })
                        .collect(),
                ),
                Value::Array(items) => Value::Array(items.into_iter().map(plain_names).collect()),
                other => other,
            }
        }
        crate::json::tests::arb_value().prop_map(|v| match plain_names(v) {
            Value::Object(m) => Value::Object(m),
            other => serde_json::json!({ "v": other }),
        })
    }

    proptest::proptest! {
        /// Complete: the canonical form of every value is recognised.
        #[test]
        fn every_canonical_text_is_recognised(v in arb_object()) {
            let text = canonical_value(&v).unwrap();
            proptest::prop_assert!(accepted(&text), "{}", text);
        }

        /// Sound: whatever is recognised, even after mutation, parses strictly and is its own
        /// canonical form.
        #[test]
        fn whatever_is_recognised_is_canonical(
            v in arb_object(),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            cut in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = canonical_value(&v).unwrap().into_bytes();
            let i = at.index(bytes.len());
            if cut { bytes.remove(i); } else { bytes[i] = byte; }
            if let Ok(text) = String::from_utf8(bytes) {
                if accepted(&text) {
                    let parsed = parse_strict(&text).unwrap();
                    proptest::prop_assert_eq!(canonical_value(&parsed).unwrap(), text);
                }
            }
        }
    }
}
