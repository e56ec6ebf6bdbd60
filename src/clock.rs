//! Where "now" comes from.
//!
//! Everything in this crate that depends on the current time (which fee schedule is in force,
//! whether a document has expired, the time on a receipt) asks a [`Clock`] rather than the
//! operating system, so tests and replays are deterministic.
//!
//! ```
//! use eservices::{Clock, FixedClock};
//! let clock = FixedClock::parse("2026-03-01T09:30:00Z").unwrap();
//! assert_eq!(clock.today().to_string(), "2026-03-01");
//! ```

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// Lesotho's civil time: UTC+02:00 all year (no daylight saving).
pub fn lesotho_offset() -> FixedOffset {
    // 7200 seconds is always in range, so `east_opt` cannot fail; fall back to UTC regardless.
    FixedOffset::east_opt(2 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Lesotho (UTC+02:00): the date that decides which fee schedule and which
    /// tax rate are in force.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&lesotho_offset()).date_naive()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant: for tests, replays and batch jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A fixed clock at an RFC 3339 instant, e.g. `"2026-03-01T09:30:00Z"`.
    pub fn parse(rfc3339: &str) -> crate::Result<Self> {
        DateTime::parse_from_rfc3339(rfc3339)
            .map(|t| FixedClock(t.with_timezone(&Utc)))
            .map_err(|e| crate::Error::InvalidTime {
                value: rfc3339.into(),
                reason: e.to_string(),
            })
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_lesotho_date() {
        // 23:30 UTC on 28 Feb is already 1 March in Maseru.
        let c = FixedClock::parse("2026-02-28T23:30:00Z").unwrap();
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    }
}
