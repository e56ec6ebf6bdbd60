//! Strict serde helpers for the catalogue format, and the small protocol by which their
//! errors reach the loader as precise [`Error`](crate::Error) variants.
//!
//! serde only lets a deserializer return a message; the loader adds the JSON path. To turn
//! the message back into a typed error, helpers here write it as
//! `\u{1}kind\u{1}suffix\u{1}value\u{1}reason` and [`classify`] reads it back.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

use crate::money::{parse_decimal, Currency};

const TAG: char = '\u{1}';

/// What a tagged message stands for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tagged {
    /// A decimal that is not a plain decimal string.
    Amount { value: String, reason: String },
    /// A price below zero.
    Negative { value: String },
    /// A date that is not `YYYY-MM-DD` or does not exist.
    Date { value: String },
    /// An unknown ISO 4217 code.
    Currency { code: String },
    /// An unknown rule kind.
    RuleKind { kind: String },
    /// A structural problem with a member (`suffix` names it) of the current object.
    Member { suffix: String, reason: String },
}

pub(crate) fn tag(kind: &str, suffix: &str, value: &str, reason: &str) -> String {
    format!("{TAG}{kind}{TAG}{suffix}{TAG}{value}{TAG}{reason}")
}

/// Reads a tagged message back; `None` for ordinary serde messages.
pub(crate) fn classify(message: &str) -> Option<Tagged> {
    let rest = message.strip_prefix(TAG)?;
    let mut parts = rest.splitn(4, TAG);
    let kind = parts.next()?;
    let suffix = parts.next()?.to_string();
    let value = parts.next()?.to_string();
    let reason = parts.next()?.to_string();
    Some(match kind {
        "amount" => Tagged::Amount { value, reason },
        "negative" => Tagged::Negative { value },
        "date" => Tagged::Date { value },
        "currency" => Tagged::Currency { code: value },
        "kind" => Tagged::RuleKind { kind: value },
        "member" => Tagged::Member { suffix, reason },
        _ => return None,
    })
}

struct DecimalVisitor {
    non_negative: bool,
}

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal string such as \"130.00\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        let d = parse_decimal(v).map_err(|e| match e {
            crate::Error::InvalidAmount { reason, .. } => E::custom(tag("amount", "", v, &reason)),
            other => E::custom(tag("amount", "", v, &other.to_string())),
        })?;
        if self.non_negative && d.is_sign_negative() && !d.is_zero() {
            return Err(E::custom(tag("negative", "", v, "below zero")));
        }
        Ok(d)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Err(E::custom(tag(
            "amount",
            "",
            &v.to_string(),
            "a JSON number; write amounts as decimal strings",
        )))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Err(E::custom(tag(
            "amount",
            "",
            &v.to_string(),
            "a JSON number; write amounts as decimal strings",
        )))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(tag(
            "amount",
            "",
            &v.to_string(),
            "a JSON number; write amounts as decimal strings",
        )))
    }
}

/// A decimal string of any sign.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor {
        non_negative: false,
    })
}

/// A decimal string that is zero or more (prices, caps, percentages).
pub(crate) fn non_negative<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor { non_negative: true })
}

/// An optional [`decimal`].
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

/// An optional [`non_negative`].
pub(crate) fn opt_non_negative<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Decimal>, D::Error> {
    non_negative(d).map(Some)
}

/// Parses `YYYY-MM-DD` exactly (four-digit year, two-digit month and day, a real date).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    // The shape is checked: read the digits directly (chrono's format parser costs more
    // than the rest of a late-penalty quote line).
    let number = |range: std::ops::Range<usize>| {
        b.get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'))
    };
    let year = i32::try_from(number(0..4)).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
}

/// A `YYYY-MM-DD` date.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text: String = serde::Deserialize::deserialize(d)?;
    parse_date(&text).ok_or_else(|| {
        de::Error::custom(tag("date", "", &text, "not a real date written YYYY-MM-DD"))
    })
}

/// An optional [`date`].
pub(crate) fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    date(d).map(Some)
}

/// An ISO 4217 code this crate knows.
pub(crate) fn currency<'de, D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
    let code: String = serde::Deserialize::deserialize(d)?;
    Currency::from_code(&code)
        .map_err(|_| de::Error::custom(tag("currency", "", &code, "unknown currency")))
}

/// `skip_serializing_if` helper.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Reading the digits directly agrees with what `parse_date` did before: the
        /// `YYYY-MM-DD` shape check, then chrono's `%Y-%m-%d` parser (which alone would also
        /// take a sign and short fields, such as `-0000-01-1`).
        #[test]
        fn parse_date_agrees_with_chrono(text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]|[0-9-]{10}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let b = text.as_bytes();
            let shape = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            let reference = if shape {
                chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
            } else {
                None
            };
            proptest::prop_assert_eq!(super::parse_date(&text), reference, "{}", text);
        }
    }

    #[test]
    fn parse_date_edges() {
        for (text, ok) in [
            ("-0000-01-1", false),
            ("+2026-01-01", false),
            ("0000-01-01", true),
            ("9999-12-31", true),
            ("2024-02-29", true),
            ("2025-02-29", false),
            ("2026-00-10", false),
            ("2026-13-10", false),
            ("2026-04-31", false),
            ("2026-04-00", false),
            ("2026-4-1", false),
            ("+2026-04-01", false),
        ] {
            let chrono = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(super::parse_date(text).is_some(), ok, "{text}");
            if ok {
                assert_eq!(super::parse_date(text), chrono, "{text}");
            }
        }
    }
    use super::*;

    #[test]
    fn tags_round_trip() {
        assert_eq!(
            classify(&tag("member", ".options", "", "required")),
            Some(Tagged::Member {
                suffix: ".options".into(),
                reason: "required".into()
            })
        );
        assert_eq!(classify("plain serde message"), None);
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2019-10-01").is_some());
        for bad in [
            "2019-02-30",
            "2019-1-01",
            "19-01-01",
            "2019-01-01T00:00",
            "+2019-01-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
