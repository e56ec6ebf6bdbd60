//! Application reference numbers: `MSU-PSP-2026-000123-U`.
//!
//! A reference is five segments joined by `-`:
//!
//! | segment | form | example |
//! |---|---|---|
//! | office code | exactly 3 of `A-Z 0-9` | `MSU` |
//! | service code | 2 to 8 of `A-Z 0-9` | `PSP` |
//! | year | 4 digits, 2000–9999 | `2026` |
//! | sequence | 6 digits, 000001–999999 | `000123` |
//! | check character | 1 of `0-9 A-Z *` | `U` |
//!
//! The check character is ISO/IEC 7064 MOD 37-2 (pure system, modulus 37, radix 2) over the
//! first four segments written together without hyphens (`MSUPSP2026000123`). Because 37 is
//! prime and 2 generates its multiplicative group, it detects **every** single-character
//! substitution and **every** transposition of two adjacent characters; fixed-width office,
//! year and sequence segments make any moved hyphen a shape error. [`ApplicationRef::parse`]
//! accepts lower case and surrounding spaces, and otherwise refuses a mistyped reference:
//! [`Error::InvalidReference`] for a wrong shape, [`Error::ReferenceCheckFailed`] when the
//! shape is right but the check character does not match.
//!
//! ```
//! use eservices::application::ApplicationRef;
//! let r = ApplicationRef::new("MSU", "PSP", 2026, 123)?;
//! assert_eq!(r.to_string(), "MSU-PSP-2026-000123-U");
//! assert_eq!(ApplicationRef::parse(" msu-psp-2026-000123-u ")?, r);
//! let typo = ApplicationRef::parse("MSU-PSP-2026-000132-U").unwrap_err();
//! assert_eq!(typo.code(), "reference_check_failed");
//! # Ok::<(), eservices::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The MOD 37-2 alphabet: the value of a character is its index; `*` (36) appears only as a
/// check character.
const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

/// Largest sequence number (six digits).
pub const MAX_SEQUENCE: u32 = 999_999;

/// Longest text [`ApplicationRef::parse`] looks at (after trimming).
const MAX_TEXT: usize = 32;

/// The ISO/IEC 7064 MOD 37-2 check character for `data`, which must be non-empty and consist
/// of `0-9` and `A-Z` only; `None` otherwise.
///
/// ```
/// use eservices::application::reference::mod37_2_check;
/// assert_eq!(mod37_2_check("G123498654321"), Some('H'));
/// assert_eq!(mod37_2_check("g123"), None);
/// ```
pub fn mod37_2_check(data: &str) -> Option<char> {
    if data.is_empty() {
        return None;
    }
    let mut p: u32 = 0;
    for b in data.bytes() {
        let v = char_value(b).filter(|v| *v < 36)?;
        p = ((p + v) * 2) % 37;
    }
    let check = (38 - p) % 37;
    ALPHABET.get(check as usize).map(|b| char::from(*b))
}

fn char_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'*' => Some(36),
        _ => None,
    }
}

/// A checked application reference (see the [module docs](self)). Serialises as its text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationRef {
    office: String,
    service: String,
    year: u16,
    sequence: u32,
}

impl ApplicationRef {
    /// A reference from its parts; the check character is computed.
    ///
    /// ```
    /// use eservices::application::ApplicationRef;
    /// assert!(ApplicationRef::new("MSU", "PSP", 2026, 0).is_err());
    /// assert!(ApplicationRef::new("MASERU", "PSP", 2026, 1).is_err());
    /// ```
    pub fn new(office: &str, service: &str, year: u16, sequence: u32) -> Result<Self> {
        let shown = format!("{office}-{service}-{year:04}-{sequence:06}");
        let bad = |reason: String| Error::InvalidReference {
            value: shown.clone(),
            reason,
        };
        check_code(office, 3, 3).map_err(|r| bad(format!("office code {r}")))?;
        check_code(service, 2, 8).map_err(|r| bad(format!("service code {r}")))?;
        if !(2000..=9999).contains(&year) {
            return Err(bad(format!("year {year} is outside 2000-9999")));
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(bad(format!(
                "sequence {sequence} is outside 1-{MAX_SEQUENCE}"
            )));
        }
        Ok(ApplicationRef {
            office: office.to_string(),
            service: service.to_string(),
            year,
            sequence,
        })
    }

    /// Parses a reference as a person may type it: surrounding spaces and lower case are
    /// accepted; anything else that is not exactly a reference is refused.
    pub fn parse(text: &str) -> Result<Self> {
        let value = text.trim();
        let bad = |reason: &str| Error::InvalidReference {
            value: text.chars().take(MAX_TEXT * 2).collect(),
            reason: reason.to_string(),
        };
        if value.len() > MAX_TEXT {
            return Err(bad("too long"));
        }
        if !value.is_ascii() {
            return Err(bad("contains a character that is not A-Z, 0-9 or '-'"));
        }
        let upper = value.to_ascii_uppercase();
        let parts: Vec<&str> = upper.split('-').collect();
        let [office, service, year, sequence, check] = parts.as_slice() else {
            return Err(bad(
                "expected five parts OFFICE-SERVICE-YEAR-SEQUENCE-CHECK separated by '-'",
            ));
        };
        check_code(office, 3, 3).map_err(|r| bad(&format!("office code {r}")))?;
        check_code(service, 2, 8).map_err(|r| bad(&format!("service code {r}")))?;
        let year = digits(year, 4).ok_or_else(|| bad("year must be 4 digits"))?;
        let sequence = digits(sequence, 6).ok_or_else(|| bad("sequence must be 6 digits"))?;
        let [check] = check.as_bytes() else {
            return Err(bad("check character must be a single character"));
        };
        if char_value(*check).is_none() {
            return Err(bad("check character must be one of 0-9, A-Z or '*'"));
        }
        let year = u16::try_from(year).map_err(|_| bad("year is out of range"))?;
        let parsed = ApplicationRef::new(office, service, year, sequence).map_err(|e| match e {
            Error::InvalidReference { reason, .. } => bad(&reason),
            other => other,
        })?;
        if parsed.check_char() != char::from(*check) {
            return Err(Error::ReferenceCheckFailed {
                value: value.to_string(),
            });
        }
        Ok(parsed)
    }

    /// The office code, e.g. `MSU`.
    pub fn office(&self) -> &str {
        &self.office
    }

    /// The service code, e.g. `PSP`.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The sequence number within office, service and year.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// The check character.
    pub fn check_char(&self) -> char {
        let data = format!(
            "{}{}{:04}{:06}",
            self.office, self.service, self.year, self.sequence
        );
        // The parts were checked on construction, so the data is never empty or out of the
        // alphabet; '*' is only a fallback that can never be reached.
        mod37_2_check(&data).unwrap_or('*')
    }
}

fn check_code(code: &str, min: usize, max: usize) -> std::result::Result<(), String> {
    if code.len() < min || code.len() > max {
        return Err(if min == max {
            format!("must be {min} characters")
        } else {
            format!("must be {min} to {max} characters")
        });
    }
    if !code
        .bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return Err("may hold only A-Z and 0-9".into());
    }
    Ok(())
}

fn digits(text: &str, len: usize) -> Option<u32> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for ApplicationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:04}-{:06}-{}",
            self.office,
            self.service,
            self.year,
            self.sequence,
            self.check_char()
        )
    }
}

impl FromStr for ApplicationRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        ApplicationRef::parse(s)
    }
}

impl TryFrom<String> for ApplicationRef {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        // Stored references must be exactly canonical, not merely typeable.
        let parsed = ApplicationRef::parse(&s)?;
        if parsed.to_string() != s {
            return Err(Error::InvalidReference {
                value: s,
                reason: "not in canonical form (upper case, no spaces)".into(),
            });
        }
        Ok(parsed)
    }
}

impl From<ApplicationRef> for String {
    fn from(r: ApplicationRef) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Check characters computed independently (see tests/data/reference/SOURCE.md).
    const VECTORS: &str = include_str!("../../tests/data/reference/mod37_2.txt");

    #[test]
    fn independent_vectors() {
        let mut n = 0;
        for line in VECTORS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (data, check) = line.split_once(' ').unwrap();
            assert_eq!(
                mod37_2_check(data),
                Some(check.chars().next().unwrap()),
                "{data}"
            );
            n += 1;
        }
        assert!(n >= 5);
    }

    #[test]
    fn display_and_parse_round_trip() {
        let r = ApplicationRef::new("LRB", "NID", 2027, 999_999).unwrap();
        assert_eq!(r.to_string(), "LRB-NID-2027-999999-N");
        assert_eq!(ApplicationRef::parse(&r.to_string()).unwrap(), r);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, "\"LRB-NID-2027-999999-N\"");
        assert_eq!(serde_json::from_str::<ApplicationRef>(&json).unwrap(), r);
    }

    #[test]
    fn stored_references_must_be_canonical() {
        assert!(serde_json::from_str::<ApplicationRef>("\"lrb-nid-2027-999999-n\"").is_err());
    }

    #[test]
    fn shape_errors_are_invalid_reference() {
        for bad in [
            "",
            "MSU-PSP-2026-000123",
            "MSU-PSP-2026-000123-U-X",
            "MS-PSP-2026-000123-U",
            "MSU-P-2026-000123-U",
            "MSU-PSPPSPPSP-2026-000123-U",
            "MSU-PSP-26-000123-U",
            "MSU-PSP-2026-123-U",
            "MSU-PSP-2026-000000-U",
            "MSU-PSP-1999-000123-U",
            "MSU-PSP-2026-000123-UU",
            "MSU-PSP-2026-000123-?",
            "MSU–PSP–2026–000123–U",
            "MSU-PSP-2026-+00123-U",
            "MSU_PSP-2026-000123-U",
        ] {
            let e = ApplicationRef::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_reference", "{bad:?}: {e}");
        }
    }

    #[test]
    fn check_char_errors_are_reference_check_failed() {
        let e = ApplicationRef::parse("MSU-PSP-2026-000123-K").unwrap_err();
        assert_eq!(
            e,
            Error::ReferenceCheckFailed {
                value: "MSU-PSP-2026-000123-K".into()
            }
        );
    }
}
