//! The audit log for the bindings: one [`AuditLog`] object, shared by the applications
//! whose transitions it records.
//!
//! Every [`Application`](super::application::Application) operation takes the log it records
//! into; the log also owns the clock that stamps the entries and decides "today" for form
//! validation (the system clock, or a fixed instant for tests and replays).
//!
//! Locking: an operation locks its application, then the log, and never the other way
//! round, so applications that share a log cannot deadlock. Every change is all-or-nothing
//! (the core builds the new state before committing it), so what a lock guards is always
//! consistent: reads never fail; an operation that finds a lock poisoned by an earlier panic
//! refuses with `Internal` (`lock_poisoned`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use super::GovError;
use crate::application::Actor;
use crate::audit::{self as core, Checkpoint};
use crate::{json, Clock, FixedClock, SystemClock};

/// Locks for a change: a poisoned lock is refused, never silently used for writing.
pub(crate) fn lock_for_change<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, GovError> {
    m.lock().map_err(|_| GovError::Internal {
        code: "lock_poisoned".into(),
        detail: "an earlier call panicked while holding this object's lock".into(),
    })
}

/// Locks for reading (see the [module docs](self) for why a poisoned lock may be read).
pub(crate) fn lock_for_read<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A tamper-evident, append-only, hash-chained audit log (see [`crate::audit`]). Entries are
/// appended only by application operations.
///
/// ```
/// use eservices::ffi::audit::AuditLog;
/// let log = AuditLog::new("MSU-2026".into())?;
/// assert_eq!(log.len(), 0);
/// log.verify()?;
/// assert_eq!(AuditLog::new("no spaces".into()).unwrap_err().code(), "invalid_audit_input");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(uniffi::Object)]
pub struct AuditLog {
    inner: Mutex<core::AuditLog>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("log_id", &lock_for_read(&self.inner).log_id())
            .finish_non_exhaustive()
    }
}

/// One audit entry, as stored and hashed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditLogEntry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was recorded (RFC 3339 UTC).
    pub time: DateTime<Utc>,
    /// Who acted.
    pub actor: Actor,
    /// What they did, in snake_case (e.g. `take_into_review`).
    pub action: String,
    /// The application reference it concerns.
    pub reference: String,
    /// Action-specific details as canonical JSON (an object; amounts are decimal strings).
    pub details_json: String,
    /// The previous entry's hash (the log's genesis hash for entry 0).
    pub prev: String,
    /// This entry's hash.
    pub hash: String,
}

#[uniffi::export]
impl AuditLog {
    /// An empty log stamped by the system clock. The id names it (e.g. office and year,
    /// `MSU-2026`): 1 to 128 characters of `A-Z a-z 0-9 . _ : -` (`invalid_audit_input`
    /// otherwise).
    #[uniffi::constructor]
    pub fn new(log_id: String) -> Result<Arc<Self>, GovError> {
        Ok(Self::wrap(
            core::AuditLog::new(&log_id)?,
            Arc::new(SystemClock),
        ))
    }

    /// An empty log whose clock always says `time` (RFC 3339): for tests, replays and
    /// examples, so entries and checkpoints are reproducible. "Today" for form validation is
    /// Lesotho's date at that instant.
    #[uniffi::constructor]
    pub fn with_fixed_time(log_id: String, time: DateTime<Utc>) -> Result<Arc<Self>, GovError> {
        Ok(Self::wrap(
            core::AuditLog::new(&log_id)?,
            Arc::new(FixedClock(time)),
        ))
    }

    /// Reads a stored log (the text of [`AuditLog::to_json`], strict JSON) and **verifies**
    /// it before anything can be appended: a tampered log is refused with `Integrity`
    /// (`audit_log_tampered`, whose detail names the first bad index and what is wrong
    /// there, e.g. `entry 1 edited`). New entries are stamped by the system clock.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, GovError> {
        let log = core::AuditLog::from_json(&json)?;
        log.verify()?;
        Ok(Self::wrap(log, Arc::new(SystemClock)))
    }

    /// The log's id.
    pub fn log_id(&self) -> String {
        lock_for_read(&self.inner).log_id().to_string()
    }

    /// The number of entries.
    pub fn len(&self) -> u64 {
        lock_for_read(&self.inner).len() as u64
    }

    /// True when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        lock_for_read(&self.inner).is_empty()
    }

    /// The hash the next entry will chain to (the last entry's, or the genesis hash).
    pub fn head_hash(&self) -> Result<String, GovError> {
        Ok(lock_for_read(&self.inner).head_hash()?)
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Result<Vec<AuditLogEntry>, GovError> {
        lock_for_read(&self.inner)
            .entries()
            .iter()
            .map(|e| {
                Ok(AuditLogEntry {
                    seq: e.seq,
                    time: e.time,
                    actor: e.actor.clone(),
                    action: e.action.clone(),
                    reference: e.reference.clone(),
                    details_json: json::canonical_string(&e.details)?,
                    prev: e.prev.clone(),
                    hash: e.hash.clone(),
                })
            })
            .collect()
    }

    /// The log as JSON text, `{"log_id": ..., "entries": [...]}`, for storage.
    pub fn to_json(&self) -> Result<String, GovError> {
        Ok(lock_for_read(&self.inner).to_json()?)
    }

    /// Checks the whole hash chain: nothing, or `Integrity` (`audit_log_tampered`) naming
    /// the first bad index and its kind (`edited`, `deleted`, `inserted`, `reordered`).
    pub fn verify(&self) -> Result<(), GovError> {
        Ok(lock_for_read(&self.inner).verify()?)
    }

    /// A checkpoint of the log as it is now, as the canonical JSON of its payload
    /// `{"head_hash", "log_id", "seq", "time"}`: keep it (signed, as a document of type
    /// `ls.gov.eservices.audit-checkpoint`) to prove later that the log was neither
    /// truncated nor rewritten. Verifies the log first.
    ///
    /// ```
    /// use eservices::ffi::audit::AuditLog;
    /// let log = AuditLog::with_fixed_time("MSU-2026".into(), "2026-03-02T08:00:00Z".parse()?)?;
    /// let checkpoint = log.checkpoint_json()?;
    /// assert!(checkpoint.contains(r#""seq":0"#));
    /// log.verify_against_checkpoint(checkpoint)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn checkpoint_json(&self) -> Result<String, GovError> {
        let checkpoint = Checkpoint::of(&lock_for_read(&self.inner), self.clock.as_ref())?;
        Ok(json::canonical_string(&checkpoint.payload()?)?)
    }

    /// Verifies the log against a checkpoint taken earlier (the JSON of
    /// [`AuditLog::checkpoint_json`]; check its signature first): `invalid_json` for text
    /// that is not a checkpoint, `checkpoint_mismatch` for another log's, and
    /// `audit_log_tampered` (`truncated` when entries it covers are gone, `edited` when its
    /// head entry differs) — all `Integrity` but the first.
    pub fn verify_against_checkpoint(&self, checkpoint_json: String) -> Result<(), GovError> {
        let checkpoint = Checkpoint::from_json(&checkpoint_json)?;
        Ok(lock_for_read(&self.inner).verify_against(&checkpoint)?)
    }
}

impl AuditLog {
    fn wrap(log: core::AuditLog, clock: Arc<dyn Clock>) -> Arc<Self> {
        Arc::new(AuditLog {
            inner: Mutex::new(log),
            clock,
        })
    }

    /// The log, locked for appending.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, core::AuditLog>, GovError> {
        lock_for_change(&self.inner)
    }

    /// The clock that stamps this log's entries.
    pub(crate) fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The log, locked for reading.
    pub(crate) fn read(&self) -> MutexGuard<'_, core::AuditLog> {
        lock_for_read(&self.inner)
    }
}
