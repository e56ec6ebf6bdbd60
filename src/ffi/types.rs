//! Custom types: Rust types that cross the FFI as strings.
//!
//! | Rust                        | Python / Kotlin / Swift | Form                              |
//! |-----------------------------|-------------------------|-----------------------------------|
//! | `rust_decimal::Decimal`     | `DecimalString` (str)   | plain decimal, e.g. `"800.00"`    |
//! | `chrono::DateTime<Utc>`     | `TimestampString` (str) | RFC 3339, e.g. `"2026-03-01T09:30:00Z"` |
//! | `chrono::NaiveDate`         | `DateString` (str)      | ISO 8601 date, e.g. `"2026-03-01"` |
//!
//! The foreign names end in `String` so they never shadow a host type (Swift's
//! `Foundation.Decimal` and `Date`). A string that does not parse is refused with
//! [`GovError::InvalidInput`] (code `invalid_amount` or `invalid_time`) before the Rust
//! function runs. Records and functions simply use the Rust types; the conversion is implicit.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

use super::GovError;
use crate::Error;

/// `rust_decimal::Decimal` under its foreign name (a string such as `"800.00"`).
pub type DecimalString = Decimal;
/// `chrono::DateTime<Utc>` under its foreign name (an RFC 3339 string).
pub type TimestampString = DateTime<Utc>;
/// `chrono::NaiveDate` under its foreign name (an ISO 8601 `YYYY-MM-DD` string).
pub type DateString = NaiveDate;

/// Longest text kept from a refused value in an error (the value may be huge).
const ECHO_LIMIT: usize = 64;

/// The first [`ECHO_LIMIT`] characters of `text`, marked when cut.
pub(crate) fn echo(text: &str) -> String {
    match text.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// Parses a plain decimal (`"-12.50"`): an optional `-`, digits, and optionally `.` and more
/// digits. No exponent, spaces, `+` or separators; more digits than `Decimal` holds is an error,
/// never a silent rounding.
///
/// ```
/// use eservices::ffi::types::decimal_from_text;
/// assert_eq!(decimal_from_text("800.00").unwrap().to_string(), "800.00");
/// assert_eq!(decimal_from_text("8e2").unwrap_err().code(), "invalid_amount");
/// ```
pub fn decimal_from_text(text: &str) -> Result<Decimal, GovError> {
    let refuse = |reason: String| {
        GovError::from(Error::InvalidAmount {
            value: echo(text),
            reason,
        })
    };
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !fraction.is_none_or(digits) {
        return Err(refuse(
            "expected a plain decimal such as \"800.00\"".to_string(),
        ));
    }
    Decimal::from_str_exact(text).map_err(|e| refuse(e.to_string()))
}

/// Parses an RFC 3339 timestamp with any offset and returns it in UTC.
///
/// ```
/// use eservices::ffi::types::{timestamp_from_text, timestamp_to_text};
/// let t = timestamp_from_text("2026-03-01T11:30:00+02:00").unwrap();
/// assert_eq!(timestamp_to_text(&t), "2026-03-01T09:30:00Z");
/// assert_eq!(timestamp_from_text("yesterday").unwrap_err().code(), "invalid_time");
/// ```
pub fn timestamp_from_text(text: &str) -> Result<DateTime<Utc>, GovError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            GovError::from(Error::InvalidTime {
                value: echo(text),
                reason: format!("expected RFC 3339: {e}"),
            })
        })
}

/// Writes a UTC timestamp as RFC 3339 with a `Z` suffix (fractional seconds only if present).
pub fn timestamp_to_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses an ISO 8601 calendar date (`YYYY-MM-DD`).
///
/// ```
/// use eservices::ffi::types::date_from_text;
/// assert_eq!(date_from_text("2026-02-28").unwrap().to_string(), "2026-02-28");
/// assert_eq!(date_from_text("2026-02-30").unwrap_err().code(), "invalid_time");
/// ```
pub fn date_from_text(text: &str) -> Result<NaiveDate, GovError> {
    let shaped = text.len() == 10 && text.as_bytes().get(4) == Some(&b'-');
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| {
            GovError::from(Error::InvalidTime {
                value: echo(text),
                reason: "expected an ISO 8601 date YYYY-MM-DD".to_string(),
            })
        })
}

uniffi::custom_type!(DecimalString, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| Ok(decimal_from_text(&s)?),
});

uniffi::custom_type!(TimestampString, String, {
    remote,
    lower: |t| timestamp_to_text(&t),
    try_lift: |s| Ok(timestamp_from_text(&s)?),
});

uniffi::custom_type!(DateString, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| Ok(date_from_text(&s)?),
});

#[cfg(test)]
mod tests {
    use super::*;
    use uniffi::{Lift, Lower};

    use crate::UniFfiTag;

    #[test]
    fn decimals_are_plain_and_keep_their_scale() {
        assert_eq!(decimal_from_text("800.00").unwrap().to_string(), "800.00");
        assert_eq!(decimal_from_text("-0.5").unwrap().to_string(), "-0.5");
        for bad in [
            "", " 1", "1,000.00", "1e3", "+1", "1.2.3", "--1", "NaN", "½",
        ] {
            let e = decimal_from_text(bad).unwrap_err();
            assert!(matches!(e, GovError::InvalidInput { .. }), "{bad:?}: {e:?}");
            assert_eq!(e.code(), "invalid_amount", "{bad:?}");
        }
        let huge = "9".repeat(100_000);
        let e = decimal_from_text(&huge).unwrap_err();
        assert!(
            e.to_string().len() < 300,
            "the refused value is echoed in full"
        );
    }

    #[test]
    fn timestamps_round_trip_in_utc() {
        let t = timestamp_from_text("2026-03-01T09:30:00Z").unwrap();
        assert_eq!(timestamp_to_text(&t), "2026-03-01T09:30:00Z");
        let t = timestamp_from_text("2026-03-01T09:30:00.250+00:00").unwrap();
        assert_eq!(timestamp_to_text(&t), "2026-03-01T09:30:00.250Z");
        for bad in [
            "",
            "2026-03-01",
            "2026-03-01 09:30:00",
            "2026-13-01T00:00:00Z",
        ] {
            assert_eq!(timestamp_from_text(bad).unwrap_err().code(), "invalid_time");
        }
    }

    #[test]
    fn dates_are_strict_iso() {
        assert_eq!(
            date_from_text("2026-03-01").unwrap().to_string(),
            "2026-03-01"
        );
        for bad in [
            "",
            "2026-3-1",
            "01/03/2026",
            "2026-03-01T00:00:00Z",
            "+2026-03-01",
        ] {
            assert_eq!(
                date_from_text(bad).unwrap_err().code(),
                "invalid_time",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_failed_lift_surfaces_as_gov_error() {
        // What uniffi does with a foreign argument: lift it, and on failure downcast the
        // error to the function's error type (so the caller gets GovError, not a crash).
        let buf = <String as Lower<UniFfiTag>>::lower("12,50".to_string());
        let err = <DecimalString as Lift<UniFfiTag>>::try_lift(buf).unwrap_err();
        let gov = err.downcast::<GovError>().unwrap();
        assert_eq!(gov.code(), "invalid_amount");

        let buf = <String as Lower<UniFfiTag>>::lower("2026-03-01T09:30:00Z".to_string());
        let t = <TimestampString as Lift<UniFfiTag>>::try_lift(buf).unwrap();
        assert_eq!(timestamp_to_text(&t), "2026-03-01T09:30:00Z");
    }
}
