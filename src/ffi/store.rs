//! The durable store from the bindings: [`RecordStore`], a
//! [`Registry`] over an SQLite file (feature `sqlite`).
//!
//! Payments, receipts and refunds cross in the same records as for the in-memory
//! [`PaymentLedger`](super::PaymentLedger) ([`PaymentInput`], [`PaymentResult`],
//! [`ReceiptInfo`], [`RefundInfo`]...); applications as their JSON text (read it with
//! [`Application::from_json`](super::application::Application::from_json)), after every
//! action as well.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::application::{application_payment, NewApplication};
use super::catalogue::Catalogue;
use super::payment::{
    ledger_policy, money, quote_from_json, receipt_infos, refund_infos, z_report_json,
    ApplicationBalance, PaymentInput, PaymentResult, ReceiptInfo, RefundInfo, SeriesAuditReport,
};
use super::signing::SignerAdapter;
use super::{GovError, Signer, TimeSource, Verifier};
use crate::application::{Actor, Application, AttachmentRef, Correction, State};
use crate::audit::AuditLog;
use crate::catalogue::Answers;
use crate::receipt::ChainPoint;
use crate::store::{Registry, SqliteStore};
use crate::Clock;

/// Payments, receipts, applications and their audit log kept in one SQLite file: every
/// change is one transaction, on disk before the call returns, so a store dropped (or a
/// process killed) and opened again has everything it reported. Several objects, threads and
/// processes may use the same file. Signing keys are not stored: attach each office's key
/// with [`open_series`](Self::open_series) after every open. Thread-safe.
///
/// What it offers:
///
/// * **payments and receipts**, as [`PaymentLedger`](super::PaymentLedger): `open_series`,
///   `register_quote`, `pay`, `balance`, `receipts`, `receipts_of_day`, `head`,
///   `void_number`, `z_report_json`, `audit_series`;
/// * **refunds** (maker-checker: another actor decides): `refundable`, `request_refund`,
///   `approve_refund` (issues the credit note), `decline_refund`, `refund_requests`;
/// * **applications**: `create_application`, `application_json`, `applications_in`, and the
///   actions of [`Application`](super::application::Application) — `save_draft`, `submit`,
///   `resubmit`, `withdraw`, `take_into_review`, `return_for_correction`, `reject`,
///   `approve`, `record_payment`, `issue`, `revoke` — with the reference first and no log
///   argument, each returning the stored application's JSON;
/// * **the audit log**: `verify_audit`. Every payment, void, refund decision and
///   application action appends its entry in the same transaction as the change; a refused
///   one writes nothing.
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
        let policy = ledger_policy(quote_validity_days);
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
        receipt_infos(self.inner.receipts(&office)?)
    }

    /// The office's entries issued on a Lesotho day, in number order.
    pub fn receipts_of_day(
        &self,
        office: String,
        day: NaiveDate,
    ) -> Result<Vec<ReceiptInfo>, GovError> {
        receipt_infos(self.inner.receipts_of_day(&office, day)?)
    }

    /// The office's Z-report for a Lesotho day (`None`: today by the store's clock), as
    /// canonical JSON; revenue accounts come from `catalogue`.
    pub fn z_report_json(
        &self,
        office: String,
        day: Option<NaiveDate>,
        catalogue: Arc<Catalogue>,
    ) -> Result<String, GovError> {
        z_report_json(&self.clock, day, |day| {
            self.inner.z_report(&office, day, catalogue.core())
        })
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

    /// The office's last entry (number and hash) as stored. Error: `unknown_office`.
    pub fn head(&self, office: String) -> Result<Option<ChainPoint>, GovError> {
        Ok(self.inner.head(&office)?)
    }

    /// Records a spoiled number as a void entry (numbers are never reused), with its audit
    /// entry. Errors: `unknown_office`, `invalid_payment_request`, `invalid_actor`.
    pub fn void_number(
        &self,
        office: String,
        actor: String,
        reason: String,
    ) -> Result<ReceiptInfo, GovError> {
        ReceiptInfo::of(self.inner.void_number(&office, &actor, &reason)?)
    }

    /// What may still be refunded on a payment receipt (an amount in its currency). Error:
    /// `unknown_receipt`.
    pub fn refundable(&self, receipt: String) -> Result<String, GovError> {
        Ok(self.inner.refundable(&receipt)?.to_string_amount())
    }

    /// Asks for a refund on a payment receipt, with its audit entry; another actor must
    /// approve it. Errors: `unknown_receipt`, `currency_mismatch`,
    /// `refund_exceeds_refundable`, `invalid_payment_request`, `invalid_amount`,
    /// `invalid_actor`.
    pub fn request_refund(
        &self,
        receipt: String,
        amount: String,
        currency: String,
        reason: String,
        actor: String,
    ) -> Result<RefundInfo, GovError> {
        let amount = money(&amount, &currency)?;
        Ok(self
            .inner
            .request_refund(&receipt, amount, &reason, &actor)?
            .into())
    }

    /// Approves a pending refund as `approver` (not the requester: `same_actor_approval`)
    /// and issues its credit note, with its audit entry, in one transaction. Errors:
    /// `unknown_refund_request`, `refund_not_pending`.
    pub fn approve_refund(
        &self,
        request_id: String,
        approver: String,
    ) -> Result<ReceiptInfo, GovError> {
        ReceiptInfo::of(self.inner.approve_refund(&request_id, &approver)?)
    }

    /// Declines a pending refund as `actor` (not the requester), with its audit entry.
    pub fn decline_refund(&self, request_id: String, actor: String) -> Result<(), GovError> {
        Ok(self.inner.decline_refund(&request_id, &actor)?)
    }

    /// Every refund request, in order.
    pub fn refund_requests(&self) -> Result<Vec<RefundInfo>, GovError> {
        Ok(refund_infos(self.inner.refund_requests()?))
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

    // Application actions: those of `Application` (same arguments, the reference first and
    // no log), each one transaction with its audit entry, returning the stored JSON.

    /// Replaces a draft's answers and attachments (applicant; `draft → draft`).
    pub fn save_draft(
        &self,
        reference: String,
        by: Actor,
        answers: HashMap<String, String>,
        attachments: Vec<AttachmentRef>,
    ) -> Result<String, GovError> {
        let answers: Answers = answers.into_iter().collect();
        self.act(&reference, |app, log, clock| {
            app.save_draft(&by, answers, attachments, log, clock)
        })
    }

    /// Submits the draft (applicant; `draft → submitted`); its answers must validate against
    /// the service's form in `catalogue` (`invalid_answers` with `field_errors`).
    pub fn submit(
        &self,
        reference: String,
        by: Actor,
        catalogue: Arc<Catalogue>,
    ) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            let service = catalogue.find(app.service_id())?;
            app.submit(&by, service, log, clock)
        })
    }

    /// Resubmits corrected answers (applicant; `returned_for_correction → submitted`),
    /// validated like [`submit`](Self::submit); they become a new revision.
    pub fn resubmit(
        &self,
        reference: String,
        by: Actor,
        answers: HashMap<String, String>,
        attachments: Vec<AttachmentRef>,
        catalogue: Arc<Catalogue>,
    ) -> Result<String, GovError> {
        let answers: Answers = answers.into_iter().collect();
        self.act(&reference, |app, log, clock| {
            let service = catalogue.find(app.service_id())?;
            app.resubmit(&by, answers, attachments, service, log, clock)
        })
    }

    /// Withdraws before a decision (applicant; to `withdrawn`); the reason is optional.
    pub fn withdraw(
        &self,
        reference: String,
        by: Actor,
        reason: Option<String>,
    ) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.withdraw(&by, reason.as_deref(), log, clock)
        })
    }

    /// Takes a submitted application into review (clerk; `submitted → under_review`); a fee
    /// due upfront must be paid (`payment_outstanding`).
    pub fn take_into_review(&self, reference: String, by: Actor) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.take_into_review(&by, log, clock)
        })
    }

    /// Returns it for correction with per-field reasons (reviewer;
    /// `under_review → returned_for_correction`); at least one correction.
    pub fn return_for_correction(
        &self,
        reference: String,
        by: Actor,
        corrections: Vec<Correction>,
    ) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.return_for_correction(&by, corrections, log, clock)
        })
    }

    /// Rejects it with a reason (reviewer; `under_review → rejected`).
    pub fn reject(&self, reference: String, by: Actor, reason: String) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.reject(&by, &reason, log, clock)
        })
    }

    /// Approves it (approver; to `approved`, or `awaiting_payment` when a fee due on
    /// approval is owed). Maker-checker: an approver who took any earlier part in it is
    /// `Refused` (`maker_checker`).
    pub fn approve(&self, reference: String, by: Actor) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| app.approve(&by, log, clock))
    }

    /// Records a payment made elsewhere (e.g. by [`pay`](Self::pay): its receipt id) as a
    /// fact (cashier): its reference, amount (decimal string) and currency code, which must
    /// be the fee's. The payment that completes a fee due on approval moves it to
    /// `approved`. Errors: `payment_not_expected`, `overpayment`, `duplicate_payment`,
    /// `currency_mismatch`, `invalid_amount` (not positive).
    pub fn record_payment(
        &self,
        reference: String,
        by: Actor,
        payment_reference: String,
        amount: Decimal,
        currency: String,
    ) -> Result<String, GovError> {
        let payment = application_payment(&payment_reference, amount, &currency)?;
        self.act(&reference, |app, log, clock| {
            app.record_payment(&by, &payment, log, clock)
        })
    }

    /// Marks it issued, naming the issued document (issuing officer; `approved → issued`).
    pub fn issue(
        &self,
        reference: String,
        by: Actor,
        document_id: String,
    ) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.issue(&by, &document_id, log, clock)
        })
    }

    /// Revokes the issued document with a reason (approver or administrator;
    /// `issued → revoked`).
    pub fn revoke(&self, reference: String, by: Actor, reason: String) -> Result<String, GovError> {
        self.act(&reference, |app, log, clock| {
            app.revoke(&by, &reason, log, clock)
        })
    }
}

impl RecordStore {
    /// Runs one action on a stored application and stores the result with its audit entry
    /// in one transaction ([`Registry::update_application`]); returns the application's JSON.
    /// A refused action stores nothing. Errors: the action's, and `application_not_found`,
    /// `invalid_reference`.
    fn act(
        &self,
        reference: &str,
        action: impl FnOnce(&mut Application, &mut AuditLog, &dyn Clock) -> crate::Result<()>,
    ) -> Result<String, GovError> {
        Ok(self
            .inner
            .update_application(reference, action)?
            .to_json()?)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::application::Role;
    use crate::catalogue::PaymentDue;
    use crate::ffi::application::{format_application_reference, ApplicationFee};
    use crate::ffi::test_fixtures::{actor, cash, clock, passport_answers, quote_json, till};

    const APP: &str = "MSU-PSP-2026-000123-U";

    fn open(path: &Path) -> Arc<RecordStore> {
        let store = RecordStore::open(path.display().to_string(), "MSU-2026".into(), clock(), None)
            .unwrap();
        store
            .open_series("MSU".into(), "2026".into(), till())
            .unwrap();
        store
    }

    /// A fresh directory for one test's store file.
    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("eservices-ffi-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A store in a fresh directory with the fixture quote registered for [`APP`]: the
    /// directory (to remove), the file (to reopen) and the store.
    fn store_with_quote(name: &str) -> (PathBuf, PathBuf, Arc<RecordStore>) {
        let dir = temp_dir(name);
        let path = dir.join("msu.db");
        let store = open(&path);
        store
            .register_quote(APP.into(), quote_json().into())
            .unwrap();
        (dir, path, store)
    }

    /// Asks `store` for a refund of `amount` LSL on `receipt`, as `cashier-7`.
    fn refund(
        store: &RecordStore,
        receipt: &str,
        amount: &str,
        reason: &str,
    ) -> Result<RefundInfo, GovError> {
        store.request_refund(
            receipt.into(),
            amount.into(),
            "LSL".into(),
            reason.into(),
            "cashier-7".into(),
        )
    }

    fn audit_len(store: &RecordStore) -> usize {
        store.inner.audit_log().unwrap().len()
    }

    #[test]
    fn a_retried_payment_counts_once_across_a_reopen() {
        let (dir, path, store) = store_with_quote("retry");
        let paid = store.pay(cash(APP, "k1", "300")).unwrap();
        assert_eq!(store.pay(cash(APP, "k1", "300")).unwrap(), paid);
        drop(store);
        let store = open(&path);
        assert_eq!(store.pay(cash(APP, "k1", "300")).unwrap(), paid);
        assert_eq!(store.balance(APP.into()).unwrap().paid, "300.00");
        assert_eq!(store.receipts("MSU".into()).unwrap().len(), 1);
        store.verify_audit().unwrap();
        let e = store.application_json(APP.into()).unwrap_err();
        assert_eq!(e.code(), "application_not_found");
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refunds_and_voids_across_a_reopen() {
        let (dir, path, store) = store_with_quote("refunds");
        let paid = store.pay(cash(APP, "k1", "300")).unwrap();
        let receipt = paid.receipt.id.clone();
        assert_eq!(store.refundable(receipt.clone()).unwrap(), "300.00");
        let e = refund(&store, &receipt, "300.01", "paid twice").unwrap_err();
        assert_eq!(
            (e.code(), matches!(e, GovError::Refused { .. })),
            ("refund_exceeds_refundable", true)
        );
        assert_eq!(audit_len(&store), 1, "a refused request writes nothing");
        let asked = refund(&store, &receipt, "100", "paid twice").unwrap();
        assert_eq!(
            (asked.state.as_str(), asked.amount.as_str()),
            ("pending", "100.00")
        );
        drop(store);

        let store = open(&path);
        let e = store
            .approve_refund(asked.id.clone(), "cashier-7".into())
            .unwrap_err();
        assert_eq!(e.code(), "same_actor_approval");
        let note = store
            .approve_refund(asked.id.clone(), "supervisor-2".into())
            .unwrap();
        assert_eq!(
            (note.kind.as_str(), note.number, note.amount.as_deref()),
            ("credit_note", 2, Some("-100.00"))
        );
        assert_eq!(store.refundable(receipt.clone()).unwrap(), "200.00");
        let e = refund(&store, &receipt, "200.01", "too much").unwrap_err();
        assert_eq!(e.code(), "refund_exceeds_refundable");
        let second = refund(&store, &receipt, "50", "typo").unwrap();
        store
            .decline_refund(second.id.clone(), "supervisor-2".into())
            .unwrap();
        let e = store
            .approve_refund(second.id.clone(), "supervisor-3".into())
            .unwrap_err();
        assert_eq!(e.code(), "refund_not_pending");
        let void = store
            .void_number("MSU".into(), "cashier-7".into(), "printer jam".into())
            .unwrap();
        assert_eq!(
            (void.kind.as_str(), void.number, void.amount),
            ("void", 3, None)
        );
        drop(store);

        let store = open(&path);
        let requests = store.refund_requests().unwrap();
        let states: Vec<_> = requests
            .iter()
            .map(|r| (r.state.as_str(), r.decided_by.as_deref()))
            .collect();
        assert_eq!(
            states,
            [
                ("approved", Some("supervisor-2")),
                ("declined", Some("supervisor-2"))
            ]
        );
        assert_eq!(requests[0].credit_note.as_deref(), Some(note.id.as_str()));
        assert_eq!(
            store.head("MSU".into()).unwrap(),
            Some(ChainPoint {
                number: 3,
                hash: void.hash.clone()
            })
        );
        assert_eq!(
            store.head("XYZ".into()).unwrap_err().code(),
            "unknown_office"
        );
        assert_eq!(store.refundable(receipt).unwrap(), "200.00");
        assert_eq!(store.balance(APP.into()).unwrap().paid, "200.00");
        let kinds: Vec<_> = store
            .receipts("MSU".into())
            .unwrap()
            .into_iter()
            .map(|r| r.kind)
            .collect();
        assert_eq!(kinds, ["payment", "credit_note", "void"]);
        // pay, request, approve, request, decline, void
        assert_eq!(audit_len(&store), 6);
        store.verify_audit().unwrap();
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn new_application(reference: &str) -> NewApplication {
        NewApplication {
            reference: reference.into(),
            service_id: "home-affairs.passport.ordinary".into(),
            applicant_id: "citizen-1".into(),
            fee: ApplicationFee {
                due: PaymentDue::OnApproval,
                amount: Decimal::new(80000, 2),
                currency: "LSL".into(),
            },
            answers: HashMap::new(),
            attachments: vec![],
        }
    }

    fn state(json: &str) -> State {
        crate::application::Application::from_json(json)
            .unwrap()
            .state()
    }

    /// `f` fails with `code` and leaves the stored application and the audit log as they were.
    fn refused(
        store: &RecordStore,
        reference: &str,
        code: &str,
        f: impl FnOnce() -> Result<String, GovError>,
    ) {
        let (before, entries) = (
            store.application_json(reference.into()).unwrap(),
            audit_len(store),
        );
        assert_eq!(f().unwrap_err().code(), code);
        assert_eq!(store.application_json(reference.into()).unwrap(), before);
        assert_eq!(audit_len(store), entries);
    }

    #[test]
    fn an_application_walks_through_the_store_across_reopens() {
        let dir = temp_dir("walk");
        let path = dir.join("msu.db");
        let catalogue = Catalogue::lesotho().unwrap();
        let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
        let clerk = actor("officer-17", Role::Clerk);
        let reviewer = actor("officer-21", Role::Reviewer);
        let approver = actor("officer-99", Role::Approver);
        let cashier = actor("officer-30", Role::Cashier);
        let issuer = actor("officer-40", Role::IssuingOfficer);
        let admin = Actor::new("admin-1", Role::Administrator, "HQ").unwrap();

        let store = open(&path);
        store
            .create_application(new_application(APP), citizen.clone())
            .unwrap();
        refused(&store, APP, "invalid_answers", || {
            store.submit(APP.into(), citizen.clone(), catalogue.clone())
        });
        let json = store
            .save_draft(APP.into(), citizen.clone(), passport_answers(), vec![])
            .unwrap();
        assert_eq!(state(&json), State::Draft);
        let json = store
            .submit(APP.into(), citizen.clone(), catalogue.clone())
            .unwrap();
        assert_eq!(state(&json), State::Submitted);
        refused(&store, APP, "transition_refused", || {
            store.approve(APP.into(), approver.clone())
        });
        drop(store);

        let store = open(&path);
        assert_eq!(
            store
                .applications_in("MSU".into(), State::Submitted)
                .unwrap(),
            [APP]
        );
        store.take_into_review(APP.into(), clerk.clone()).unwrap();
        let corrections = vec![Correction::new("surname", "does not match the ID")];
        let json = store
            .return_for_correction(APP.into(), reviewer.clone(), corrections)
            .unwrap();
        assert_eq!(state(&json), State::ReturnedForCorrection);
        let mut fixed = passport_answers();
        fixed.insert("surname".into(), "Mokoena-Thabo".into());
        store
            .resubmit(
                APP.into(),
                citizen.clone(),
                fixed,
                vec![],
                catalogue.clone(),
            )
            .unwrap();
        store.take_into_review(APP.into(), clerk.clone()).unwrap();
        refused(&store, APP, "maker_checker", || {
            store.approve(APP.into(), actor("officer-17", Role::Approver))
        });
        let json = store.approve(APP.into(), approver.clone()).unwrap();
        assert_eq!(state(&json), State::AwaitingPayment);
        drop(store);

        let store = open(&path);
        refused(&store, APP, "overpayment", || {
            store.record_payment(
                APP.into(),
                cashier.clone(),
                "MSU/2026/1".into(),
                Decimal::new(90000, 2),
                "LSL".into(),
            )
        });
        let json = store
            .record_payment(
                APP.into(),
                cashier.clone(),
                "MSU/2026/1".into(),
                Decimal::new(800, 0),
                "LSL".into(),
            )
            .unwrap();
        assert_eq!(state(&json), State::Approved);
        let json = store
            .issue(APP.into(), issuer.clone(), "PSP-RA0012345".into())
            .unwrap();
        assert_eq!(state(&json), State::Issued);
        let json = store
            .revoke(APP.into(), admin.clone(), "reported stolen".into())
            .unwrap();
        assert_eq!(state(&json), State::Revoked);

        // A second application: withdrawn; a third: rejected.
        let reference = |n| format_application_reference("MSU".into(), "PSP".into(), 2026, n);
        let (other, third) = (reference(124).unwrap(), reference(125).unwrap());
        let (other, third) = (other.as_str(), third.as_str());
        for reference in [other, third] {
            store
                .create_application(new_application(reference), citizen.clone())
                .unwrap();
            store
                .save_draft(
                    reference.into(),
                    citizen.clone(),
                    passport_answers(),
                    vec![],
                )
                .unwrap();
            store
                .submit(reference.into(), citizen.clone(), catalogue.clone())
                .unwrap();
        }
        refused(&store, other, "not_the_applicant", || {
            store.withdraw(
                other.into(),
                Actor::new("citizen-2", Role::Applicant, "online").unwrap(),
                None,
            )
        });
        let json = store
            .withdraw(
                other.into(),
                citizen.clone(),
                Some("travel cancelled".into()),
            )
            .unwrap();
        assert_eq!(state(&json), State::Withdrawn);
        store.take_into_review(third.into(), clerk).unwrap();
        let json = store
            .reject(
                third.into(),
                reviewer,
                "photo is not of the applicant".into(),
            )
            .unwrap();
        assert_eq!(state(&json), State::Rejected);
        let e = store
            .approve(reference(126).unwrap(), approver)
            .unwrap_err();
        assert_eq!(e.code(), "application_not_found");
        drop(store);

        let store = open(&path);
        let app = crate::application::Application::from_json(
            &store.application_json(APP.into()).unwrap(),
        )
        .unwrap();
        let actions: Vec<_> = app.history().iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "create",
                "save_draft",
                "submit",
                "take_into_review",
                "return_for_correction",
                "resubmit",
                "take_into_review",
                "approve",
                "record_payment",
                "issue",
                "revoke"
            ]
        );
        assert_eq!(app.revision_count(), 2);
        assert_eq!(
            store
                .applications_in("MSU".into(), State::Withdrawn)
                .unwrap(),
            [other]
        );
        // 11 + 2 × 3 + withdraw + review + reject
        assert_eq!(audit_len(&store), 20);
        store.verify_audit().unwrap();
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
