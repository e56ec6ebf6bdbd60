//! The durable store from the bindings: [`RecordStore`], a
//! [`Registry`] over an SQLite file (feature `sqlite`).
//!
//! Payments, receipts and applications cross in the same records as for the in-memory
//! [`PaymentLedger`](super::PaymentLedger) ([`PaymentInput`], [`PaymentResult`],
//! [`ReceiptInfo`]...); applications as their JSON text (read it with
//! [`Application::from_json`](super::application::Application::from_json)).

use std::sync::Arc;

use chrono::NaiveDate;

use super::application::NewApplication;
use super::catalogue::Catalogue;
use super::payment::{
    quote_from_json, ApplicationBalance, PaymentInput, PaymentResult, ReceiptInfo,
    SeriesAuditReport,
};
use super::signing::SignerAdapter;
use super::{GovError, Signer, TimeSource, Verifier};
use crate::application::{Actor, State};
use crate::payment::LedgerPolicy;
use crate::store::{Registry, SqliteStore};

/// Payments, receipts, applications and their audit log kept in one SQLite file: every
/// change is one transaction, on disk before the call returns, so a store dropped (or a
/// process killed) and opened again has everything it reported. Several objects, threads and
/// processes may use the same file. Signing keys are not stored: attach each office's key
/// with [`open_series`](Self::open_series) after every open. Thread-safe.
///
/// Python `RecordStore.open(path, log_id, clock, None)`; Kotlin `RecordStore.open(...)`
/// (close it with `close()`); Swift `try RecordStore.open(path:logId:clock:quoteValidityDays:)`.
///
/// ```
/// use eservices::ffi::store::RecordStore;
/// use eservices::ffi::*;
/// use eservices::ffi::types::timestamp_from_text as t;
/// let path = std::env::temp_dir().join(format!("eservices-ffi-{}.db", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let clock = TimeSource::fixed(t("2026-03-02T08:00:00Z")?);
/// let store = RecordStore::open(path.display().to_string(), "MSU-2026".into(), clock.clone(), None)?;
/// store.open_series("MSU".into(), "2026".into(), software_signer_from_seed(vec![9; 32])?)?;
/// assert!(store.receipts("MSU".into())?.is_empty());
/// drop(store);
/// let err = RecordStore::open("/nonexistent/dir/x.db".into(), "MSU-2026".into(), clock, None)
///     .unwrap_err();
/// assert_eq!(err.code(), "store_failed");
/// # for ext in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{ext}", path.display())); }
/// # Ok::<(), GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct RecordStore {
    inner: Registry<SqliteStore>,
    clock: Arc<TimeSource>,
}

#[uniffi::export]
impl RecordStore {
    /// Opens (creating if needed) the store file at `path`, appending to the audit log
    /// `log_id` and reading the time from `clock`; a quote may be paid up to
    /// `quote_validity_days` (default 30) days after its date. Errors: `store_failed` (the
    /// file cannot be opened, e.g. its directory does not exist), `store_corrupt` (not a
    /// database), `store_foreign` (another application's database), `store_too_new`,
    /// `store_busy`, `invalid_audit_input` (the log id).
    #[uniffi::constructor]
    pub fn open(
        path: String,
        log_id: String,
        clock: Arc<TimeSource>,
        quote_validity_days: Option<u32>,
    ) -> Result<Arc<Self>, GovError> {
        let mut policy = LedgerPolicy::default();
        if let Some(days) = quote_validity_days {
            policy.quote_validity_days = days;
        }
        let inner = Registry::open(&path, &log_id, clock.clock(), policy)?;
        Ok(Arc::new(RecordStore { inner, clock }))
    }

    /// Attaches `signer` as the key of `office`'s receipt series `series`, creating the
    /// series if the store has none; numbering continues from the stored head. Errors:
    /// `series_mismatch` (the store keeps another series for the office),
    /// `series_already_open`, `invalid_payment_request`, `signer_failed`.
    pub fn open_series(
        &self,
        office: String,
        series: String,
        signer: Arc<dyn Signer>,
    ) -> Result<(), GovError> {
        Ok(self
            .inner
            .open_series(&office, &series, SignerAdapter::adapt(signer)?)?)
    }

    /// Registers a quote for an application, given as its canonical JSON (as
    /// [`PaymentLedger::register_quote`](super::PaymentLedger::register_quote)).
    pub fn register_quote(&self, application: String, quote_json: String) -> Result<(), GovError> {
        let quote = quote_from_json(&quote_json)?;
        Ok(self.inner.register_quote(&application, quote)?)
    }

    /// Records a payment, its receipt and its audit entry in one transaction, or returns the
    /// original for a retried idempotency key (also after a restart or from another
    /// process). Errors as [`PaymentLedger::pay`](super::PaymentLedger::pay), and
    /// `invalid_actor` for a cashier id with surrounding spaces.
    pub fn pay(&self, payment: PaymentInput) -> Result<PaymentResult, GovError> {
        PaymentResult::of(self.inner.pay(&payment.into_request()?)?)
    }

    /// Where an application stands: owed, paid, outstanding, credit. Error:
    /// `unknown_application`.
    pub fn balance(&self, application: String) -> Result<ApplicationBalance, GovError> {
        Ok(self.inner.balance(&application)?.into())
    }

    /// Every entry of the office's series, in number order.
    pub fn receipts(&self, office: String) -> Result<Vec<ReceiptInfo>, GovError> {
        self.inner
            .receipts(&office)?
            .into_iter()
            .map(ReceiptInfo::of)
            .collect()
    }

    /// The office's entries issued on a Lesotho day, in number order.
    pub fn receipts_of_day(
        &self,
        office: String,
        day: NaiveDate,
    ) -> Result<Vec<ReceiptInfo>, GovError> {
        self.inner
            .receipts_of_day(&office, day)?
            .into_iter()
            .map(ReceiptInfo::of)
            .collect()
    }

    /// The office's Z-report for a Lesotho day (`None`: today by the store's clock), as
    /// canonical JSON; revenue accounts come from `catalogue`.
    pub fn z_report_json(
        &self,
        office: String,
        day: Option<NaiveDate>,
        catalogue: Arc<Catalogue>,
    ) -> Result<String, GovError> {
        let day = day.unwrap_or_else(|| self.clock.today());
        Ok(self
            .inner
            .z_report(&office, day, catalogue.core())?
            .to_json()?)
    }

    /// Audits the office's whole series as stored, against the stored head: an entry
    /// edited, removed or reordered outside the library is reported, not raised. Error:
    /// `unknown_office`.
    pub fn audit_series(
        &self,
        office: String,
        verifier: Arc<Verifier>,
    ) -> Result<SeriesAuditReport, GovError> {
        SeriesAuditReport::of(verifier.with(|v| self.inner.audit_series(&office, v))??)
    }

    /// Verifies the stored audit log and every stored application's history against it.
    /// Error: `audit_log_tampered` (an entry edited, removed or moved outside the library)
    /// and the errors of `Application.check_recorded_in`.
    pub fn verify_audit(&self) -> Result<(), GovError> {
        Ok(self.inner.verify_audit()?)
    }

    /// Opens a draft application and stores it with its audit entry; returns its JSON.
    /// Errors as `Application.create`, and `application_exists` for a reference taken.
    pub fn create_application(&self, new: NewApplication, by: Actor) -> Result<String, GovError> {
        Ok(self
            .inner
            .create_application(new.into_core()?, &by)?
            .to_json()?)
    }

    /// A stored application as JSON (read it with `Application.from_json`). Errors:
    /// `application_not_found`, `invalid_reference`.
    pub fn application_json(&self, reference: String) -> Result<String, GovError> {
        Ok(self.inner.application(&reference)?.to_json()?)
    }

    /// The references of an office's applications in a state, in order: e.g. the
    /// `Submitted` ones waiting at a counter.
    pub fn applications_in(&self, office: String, state: State) -> Result<Vec<String>, GovError> {
        Ok(self
            .inner
            .applications_in(&office, state)?
            .iter()
            .map(|a| a.reference().to_string())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::software_signer_from_seed;
    use crate::ffi::types::timestamp_from_text as t;

    const APP: &str = "MSU-PSP-2026-000123-U";

    fn open(path: &std::path::Path) -> Arc<RecordStore> {
        let clock = TimeSource::fixed(t("2026-03-02T08:00:00Z").unwrap());
        let store =
            RecordStore::open(path.display().to_string(), "MSU-2026".into(), clock, None).unwrap();
        let till = software_signer_from_seed(vec![9; 32]).unwrap();
        store
            .open_series("MSU".into(), "2026".into(), till)
            .unwrap();
        store
    }

    fn cash(key: &str) -> PaymentInput {
        let quote = include_str!("../../bindings/testdata/quote-passport-64-urgent.json");
        let quote_id = crate::json::parse_strict(quote).unwrap()["quote_id"]
            .as_str()
            .unwrap()
            .to_string();
        PaymentInput {
            idempotency_key: key.into(),
            office: "MSU".into(),
            application: APP.into(),
            quote_id,
            channel: "cash".into(),
            external_reference: None,
            amount: "300".into(),
            currency: "LSL".into(),
            cashier: "cashier-7".into(),
        }
    }

    #[test]
    fn a_retried_payment_counts_once_across_a_reopen() {
        let dir = std::env::temp_dir().join(format!("eservices-ffi-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("msu.db");
        let store = open(&path);
        let quote = include_str!("../../bindings/testdata/quote-passport-64-urgent.json");
        store
            .register_quote(APP.into(), quote.trim_end().into())
            .unwrap();
        let paid = store.pay(cash("k1")).unwrap();
        assert_eq!(store.pay(cash("k1")).unwrap(), paid);
        drop(store);
        let store = open(&path);
        assert_eq!(store.pay(cash("k1")).unwrap(), paid);
        assert_eq!(store.balance(APP.into()).unwrap().paid, "300.00");
        assert_eq!(store.receipts("MSU".into()).unwrap().len(), 1);
        store.verify_audit().unwrap();
        let e = store.application_json(APP.into()).unwrap_err();
        assert_eq!(e.code(), "application_not_found");
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
