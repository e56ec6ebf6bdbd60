//! The in-memory store.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;

use super::{Records, Store};
use crate::application::{Application, State};
use crate::audit::AuditEntry;
use crate::clock::lesotho_offset;
use crate::fees::Quote;
use crate::money::Money;
use crate::payment::records::MemoryRecords;
use crate::payment::{
    LedgerRecords, Payment, PaymentOutcome, QuoteAccount, QuoteRecord, RefundRequest, SeriesRecord,
};
use crate::receipt::IssuedReceipt;
use crate::Result;

#[derive(Debug, Clone, Default)]
struct Memory {
    ledger: MemoryRecords,
    audit: BTreeMap<String, Vec<AuditEntry>>,
    applications: BTreeMap<String, Application>,
}

/// Records in memory, under one lock. A writing transaction works on a copy that replaces
/// the records only when it succeeds, so it is all-or-nothing; the copy makes each write
/// cost in proportion to everything held: this store is for tests and for callers that
/// persist elsewhere, not for a long-lived office ledger (use [`SqliteStore`](super)).
///
/// ```
/// use eservices::store::{MemoryStore, Records, Store};
/// let store = MemoryStore::new();
/// let refused: eservices::Result<()> = store.write(|r| {
///     r.put_series(&eservices::payment::SeriesRecord {
///         office: "MSU".into(), series: "2026".into(), head: None })?;
///     Err(eservices::Error::UnknownOffice { office: "changed my mind".into() })
/// });
/// assert!(refused.is_err());
/// assert!(store.read(|r| r.series("MSU"))?.is_none()); // rolled back
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Memory>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, Memory> {
        // A transaction replaces the records only after it succeeded, so a panic inside
        // one leaves them as they were: a poisoned lock guards consistent records.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for MemoryStore {
    fn write<T>(&self, f: impl FnOnce(&mut dyn Records) -> Result<T>) -> Result<T> {
        let mut held = self.lock();
        let mut work = held.clone();
        let out = f(&mut work)?;
        *held = work;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&dyn Records) -> Result<T>) -> Result<T> {
        let held = self.lock();
        f(&*held)
    }
}

impl LedgerRecords for Memory {
    fn quote_account(&self, application: &str) -> Result<Option<QuoteAccount>> {
        self.ledger.quote_account(application)
    }
    fn quote(&self, application: &str, quote_id: &str) -> Result<Option<QuoteRecord>> {
        self.ledger.quote(application, quote_id)
    }
    fn put_quote(&mut self, application: &str, quote: &Quote) -> Result<()> {
        self.ledger.put_quote(application, quote)
    }
    fn set_paid(&mut self, application: &str, paid: Money) -> Result<()> {
        self.ledger.set_paid(application, paid)
    }
    fn payment_by_key(&self, key: &str) -> Result<Option<PaymentOutcome>> {
        self.ledger.payment_by_key(key)
    }
    fn payment_by_receipt(&self, receipt: &str) -> Result<Option<PaymentOutcome>> {
        self.ledger.payment_by_receipt(receipt)
    }
    fn receipt_for_reference(&self, channel: &str, reference: &str) -> Result<Option<String>> {
        self.ledger.receipt_for_reference(channel, reference)
    }
    fn payment_count(&self) -> Result<u64> {
        self.ledger.payment_count()
    }
    fn put_payment(&mut self, outcome: &PaymentOutcome) -> Result<()> {
        self.ledger.put_payment(outcome)
    }
    fn payments(&self) -> Result<Vec<Payment>> {
        self.ledger.payments()
    }
    fn refunded(&self, receipt: &str) -> Result<Option<Money>> {
        self.ledger.refunded(receipt)
    }
    fn set_refunded(&mut self, receipt: &str, amount: Money) -> Result<()> {
        self.ledger.set_refunded(receipt, amount)
    }
    fn refund_count(&self) -> Result<u64> {
        self.ledger.refund_count()
    }
    fn refund(&self, id: &str) -> Result<Option<RefundRequest>> {
        self.ledger.refund(id)
    }
    fn put_refund(&mut self, request: &RefundRequest) -> Result<()> {
        self.ledger.put_refund(request)
    }
    fn refunds(&self) -> Result<Vec<RefundRequest>> {
        self.ledger.refunds()
    }
    fn series(&self, office: &str) -> Result<Option<SeriesRecord>> {
        self.ledger.series(office)
    }
    fn put_series(&mut self, series: &SeriesRecord) -> Result<()> {
        self.ledger.put_series(series)
    }
    fn append_receipt(&mut self, receipt: &IssuedReceipt) -> Result<()> {
        self.ledger.append_receipt(receipt)
    }
    fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        self.ledger.receipts(office)
    }
}

impl Records for Memory {
    fn audit_head(&self, log_id: &str) -> Result<Option<AuditEntry>> {
        Ok(self.audit.get(log_id).and_then(|l| l.last()).cloned())
    }

    fn append_audit(&mut self, log_id: &str, entry: &AuditEntry) -> Result<()> {
        self.audit
            .entry(log_id.into())
            .or_default()
            .push(entry.clone());
        Ok(())
    }

    fn audit_entries(&self, log_id: &str) -> Result<Vec<AuditEntry>> {
        Ok(self.audit.get(log_id).cloned().unwrap_or_default())
    }

    fn application(&self, reference: &str) -> Result<Option<Application>> {
        Ok(self.applications.get(reference).cloned())
    }

    fn put_application(&mut self, application: &Application) -> Result<()> {
        self.applications
            .insert(application.reference().to_string(), application.clone());
        Ok(())
    }

    fn applications_in(&self, office: &str, state: State) -> Result<Vec<Application>> {
        Ok(self
            .applications
            .values()
            .filter(|a| a.reference().office() == office && a.state() == state)
            .cloned()
            .collect())
    }

    fn all_applications(&self) -> Result<Vec<Application>> {
        Ok(self.applications.values().cloned().collect())
    }

    fn receipts_of_day(&self, office: &str, day: NaiveDate) -> Result<Vec<IssuedReceipt>> {
        Ok(self
            .ledger
            .receipts(office)?
            .into_iter()
            .filter(|r| r.receipt.time.with_timezone(&lesotho_offset()).date_naive() == day)
            .collect())
    }

    fn receipt_texts(&self, office: &str) -> Result<Vec<String>> {
        Ok(self
            .ledger
            .receipts(office)?
            .into_iter()
            .map(|r| r.json)
            .collect())
    }
}
