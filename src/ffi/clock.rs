//! [`TimeSource`]: the clock that issuers, verifiers and ledgers read, chosen by the host.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{Clock, FixedClock, SystemClock};

/// Where "now" comes from: the system clock in production, or a fixed instant for tests and
/// for re-checking a document as of a given time. Python `TimeSource.system()`,
/// `TimeSource.fixed("2026-03-02T08:00:00Z")`; Kotlin `TimeSource.system()`; Swift
/// `TimeSource.fixed(at:)`.
///
/// ```
/// use eservices::ffi::TimeSource;
/// let t = eservices::ffi::types::timestamp_from_text("2026-03-02T08:00:00Z")?;
/// let clock = TimeSource::fixed(t);
/// assert_eq!(clock.now(), t);
/// assert_eq!(clock.today().to_string(), "2026-03-02"); // Lesotho date (UTC+2)
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(uniffi::Object)]
pub struct TimeSource {
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TimeSource {{ now: {} }}", self.clock.now())
    }
}

impl TimeSource {
    /// The clock, for the core types.
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }
}

#[uniffi::export]
impl TimeSource {
    /// The operating system's clock.
    #[uniffi::constructor]
    pub fn system() -> Arc<Self> {
        Arc::new(TimeSource {
            clock: Arc::new(SystemClock),
        })
    }

    /// A clock that always reads `at` (RFC 3339; any offset, kept in UTC).
    #[uniffi::constructor]
    pub fn fixed(at: DateTime<Utc>) -> Arc<Self> {
        Arc::new(TimeSource {
            clock: Arc::new(FixedClock(at)),
        })
    }

    /// The current instant, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date in Lesotho (UTC+2).
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
}
