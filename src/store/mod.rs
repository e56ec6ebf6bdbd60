//! Durable records: the storage behind payments, receipts, applications and the audit log.
//!
//! A [`Store`] runs operations as transactions over [`Records`]: everything an operation
//! writes commits together or not at all. Two stores are provided:
//!
//! * [`MemoryStore`] — in memory, for tests and for callers with their own persistence;
//! * [`SqliteStore`] (feature `sqlite`, on by default) — an embedded SQLite database file in
//!   WAL mode with `synchronous=FULL`; writers take the database lock up front
//!   (`BEGIN IMMEDIATE`, waiting up to a busy timeout), so several threads and several
//!   processes may write the same file. Its schema is versioned and migrated on open.
//!
//! A [`Registry`] performs the library's operations on a store: payments, refunds and void
//! numbers under the same rules as [`PaymentLedger`](crate::payment::PaymentLedger) (the
//! rules are shared code), applications and their transitions, each with its audit entry in
//! the same transaction; and the queries of a counter clerk.
//!
//! ```
//! use std::sync::Arc;
//! use eservices::store::{MemoryStore, Registry};
//! use eservices::payment::LedgerPolicy;
//! use eservices::FixedClock;
//!
//! let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
//! let registry = Registry::new(MemoryStore::new(), "MSU-2026", clock, LedgerPolicy::default())?;
//! assert!(registry.audit_log()?.is_empty());
//! # Ok::<(), eservices::Error>(())
//! ```

mod memory;
mod registry;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use memory::MemoryStore;
pub use registry::Registry;
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteStore, StoreOptions, SCHEMA_VERSION};

use chrono::NaiveDate;

use crate::application::{Application, State};
use crate::audit::AuditEntry;
use crate::payment::LedgerRecords;
use crate::receipt::IssuedReceipt;
use crate::Result;

/// A place where records live, with transactions.
///
/// `write` runs its closure as one transaction: all of its writes are kept when it returns
/// `Ok`, none when it returns `Err` (or the process dies before the commit). `read` runs its
/// closure on a consistent view and writes nothing.
pub trait Store: Send + Sync {
    /// Runs `f` as one writing transaction.
    fn write<T>(&self, f: impl FnOnce(&mut dyn Records) -> Result<T>) -> Result<T>;
    /// Runs `f` on a consistent view, writing nothing.
    fn read<T>(&self, f: impl FnOnce(&dyn Records) -> Result<T>) -> Result<T>;
}

/// The records of a store: the payment ledger's ([`LedgerRecords`]), the audit logs and the
/// applications, and the queries on them. Writes are called only after every check passed.
pub trait Records: LedgerRecords {
    /// The last entry of an audit log (`None` while it is empty).
    fn audit_head(&self, log_id: &str) -> Result<Option<AuditEntry>>;
    /// Appends an entry (chained to the head by the caller).
    fn append_audit(&mut self, log_id: &str, entry: &AuditEntry) -> Result<()>;
    /// Every entry of an audit log, in order.
    fn audit_entries(&self, log_id: &str) -> Result<Vec<AuditEntry>>;

    /// An application by its reference (as text, e.g. `MSU-PSP-2026-000123-U`).
    fn application(&self, reference: &str) -> Result<Option<Application>>;
    /// Stores an application, new or changed.
    fn put_application(&mut self, application: &Application) -> Result<()>;
    /// The applications of an office (the office code of their reference) in a state, by
    /// reference.
    fn applications_in(&self, office: &str, state: State) -> Result<Vec<Application>>;
    /// Every stored application, by reference.
    fn all_applications(&self) -> Result<Vec<Application>>;

    /// The office's entries issued on a Lesotho day, in number order.
    fn receipts_of_day(&self, office: &str, day: NaiveDate) -> Result<Vec<IssuedReceipt>>;
    /// The JSON texts of the office's entries, in number order, as stored (for an audit).
    fn receipt_texts(&self, office: &str) -> Result<Vec<String>>;
}
