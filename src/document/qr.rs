//! The QR form of a signed envelope: `LS1:` followed by base45 (RFC 9285) of zlib
//! (RFC 1950) of the envelope's canonical JSON, `sig` included.
//!
//! Base45 uses only characters of the QR code's alphanumeric mode, so the text fits a QR code
//! densely. Decoding is bounded: the text may hold at most [`MAX_QR_LEN`] characters and may
//! inflate to at most [`MAX_INFLATED_LEN`] bytes (a zip bomb is refused, never expanded).
//!
//! ```
//! use eservices::document::qr;
//! let text = qr::encode(br#"{"a":1}"#)?;
//! assert!(text.starts_with("LS1:"));
//! assert_eq!(qr::decode(&text)?, br#"{"a":1}"#);
//! # Ok::<(), eservices::Error>(())
//! ```

use super::zlib;
use crate::{Error, Result};

/// The prefix of every QR text (format version 1).
pub const QR_PREFIX: &str = "LS1:";

/// Longest QR text accepted, in characters, prefix included. (The largest QR code holds 4,296
/// alphanumeric characters; the margin leaves room for other carriers of the same text.)
pub const MAX_QR_LEN: usize = 8192;

/// Largest inflated envelope accepted from a QR text, in bytes (64 KiB).
pub const MAX_INFLATED_LEN: usize = 64 * 1024;

/// The RFC 9285 alphabet: value `i` is written as `ALPHABET[i]`.
const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn bad(reason: impl Into<String>) -> Error {
    Error::MalformedQr {
        reason: reason.into(),
    }
}

/// The QR text of canonical envelope bytes. Refuses input that would not read back (more than
/// [`MAX_INFLATED_LEN`] bytes, or a text longer than [`MAX_QR_LEN`]).
pub fn encode(canonical_json: &[u8]) -> Result<String> {
    if canonical_json.len() > MAX_INFLATED_LEN {
        return Err(bad(format!(
            "document is {} bytes; the QR form holds at most {MAX_INFLATED_LEN}",
            canonical_json.len()
        )));
    }
    let compressed =
        zlib::compress(canonical_json).map_err(|e| bad(format!("compression failed: {e}")))?;
    let text = format!("{QR_PREFIX}{}", base45_encode(&compressed));
    if text.len() > MAX_QR_LEN {
        return Err(bad(format!(
            "QR text would be {} characters; the limit is {MAX_QR_LEN}",
            text.len()
        )));
    }
    Ok(text)
}

/// The envelope bytes held by a QR text (not yet parsed or verified). The text must be exact:
/// no surrounding whitespace, the prefix in upper case.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    if text.len() > MAX_QR_LEN {
        return Err(bad(format!(
            "text is {} bytes; the limit is {MAX_QR_LEN}",
            text.len()
        )));
    }
    let body = text
        .strip_prefix(QR_PREFIX)
        .ok_or_else(|| bad(format!("must start with {QR_PREFIX:?}")))?;
    let compressed = base45_decode(body)?;
    zlib::inflate_bounded(&compressed, MAX_INFLATED_LEN).map_err(bad)
}

/// RFC 9285 base45 encoding.
pub(crate) fn base45_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(2) * 3);
    let mut push = |v: usize| {
        if let Some(&c) = ALPHABET.get(v) {
            out.push(char::from(c));
        }
    };
    for chunk in data.chunks(2) {
        match *chunk {
            [a, b] => {
                let n = usize::from(a) * 256 + usize::from(b);
                push(n % 45);
                push(n / 45 % 45);
                push(n / 2025);
            }
            [a] => {
                let n = usize::from(a);
                push(n % 45);
                push(n / 45);
            }
            _ => {}
        }
    }
    out
}

/// RFC 9285 base45 decoding, strict: only the 45 alphabet characters, groups of three worth
/// at most 65535, a final group of two worth at most 255, no final group of one.
pub(crate) fn base45_decode(text: &str) -> Result<Vec<u8>> {
    let digit = |(pos, c): (usize, u8)| -> Result<usize> {
        ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or_else(|| bad(format!("character {pos} is not in the base45 alphabet")))
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for (g, group) in bytes.chunks(3).enumerate() {
        let start = g * 3;
        let values = group
            .iter()
            .enumerate()
            .map(|(i, &c)| digit((start + i, c)))
            .collect::<Result<Vec<usize>>>()?;
        match values[..] {
            [c, d, e] => {
                let n = c + d * 45 + e * 2025;
                let pair = u16::try_from(n)
                    .map_err(|_| bad(format!("base45 group at {start} exceeds 65535")))?;
                out.extend_from_slice(&pair.to_be_bytes());
            }
            [c, d] => {
                let n = c + d * 45;
                let byte = u8::try_from(n)
                    .map_err(|_| bad(format!("final base45 group at {start} exceeds 255")))?;
                out.push(byte);
            }
            _ => return Err(bad("base45 text cannot end with a single character")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9285_examples() {
        for (raw, text) in [
            (&b"AB"[..], "BB8"),
            (b"Hello!!", "%69 VD92EX0"),
            (b"base-45", "UJCLQE7W581"),
            (b"ietf!", "QED8WEX0"),
            (b"", ""),
        ] {
            assert_eq!(base45_encode(raw), text);
            assert_eq!(base45_decode(text).unwrap(), raw);
        }
    }

    #[test]
    fn strict_base45() {
        assert!(base45_decode("GGW").is_err()); // 65536
        assert!(base45_decode("::").is_err()); // 2024 > 255
        assert!(base45_decode("A").is_err());
        assert!(base45_decode("bb8").is_err()); // lower case
        assert!(base45_decode("BB8\n").is_err());
        assert_eq!(base45_decode("FGW").unwrap(), vec![0xff, 0xff]);
        assert_eq!(base45_decode("U5").unwrap(), vec![0xff]);
    }

    #[test]
    fn zip_bombs_are_refused() {
        let bomb = super::zlib::compress(&vec![b' '; 10 * MAX_INFLATED_LEN]).unwrap();
        let text = format!("{QR_PREFIX}{}", base45_encode(&bomb));
        assert!(text.len() < MAX_QR_LEN);
        assert!(matches!(decode(&text), Err(Error::MalformedQr { .. })));
    }

    #[test]
    fn prefix_and_length() {
        assert!(decode("LS2:BB8").is_err());
        assert!(decode("ls1:BB8").is_err());
        assert!(decode(&format!("LS1:{}", "0".repeat(MAX_QR_LEN))).is_err());
    }
}
