//! The library's operations on a store, each one transaction.

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::{Records, Store};
use crate::application::{Actor, Application, ApplicationRef, NewApplication, Role, State};
use crate::audit::AuditLog;
use crate::catalogue::Catalogue;
use crate::document::Signer;
use crate::fees::Quote;
use crate::money::Money;
use crate::payment::rules::{self, Recorded, Rules, Signers};
use crate::payment::{
    Balance, LedgerPolicy, Payment, PaymentOutcome, PaymentRequest, RefundRequest, SeriesRecord,
};
use crate::receipt::audit::{audit_series, AuditOptions, AuditReport};
use crate::receipt::report::ZReport;
use crate::receipt::{ChainPoint, IssuedReceipt, ReceiptSeries};
use crate::verify::Verifier;
use crate::{Clock, Error, Result};

/// Payments, receipts, refunds, applications and their audit log, kept in a [`Store`].
///
/// Every method that changes something is one transaction of the store: a payment, its
/// receipt number, its signed receipt and its audit entry are written together or not at
/// all; so are an application's new state and its audit entry. The payment rules are those of
/// [`PaymentLedger`](crate::payment::PaymentLedger) (the same code), including idempotency:
/// a payment retried with the same key and content — after a crash, from another process —
/// returns the original. Thread-safe; every method takes `&self`.
///
/// The registry appends to one audit log, `log_id`: an entry for every application action
/// (as [`Application`] records it), every payment (`pay`), void number (`void_number`) and
/// refund decision (`request_refund`, `approve_refund`, `decline_refund`), whose reference is
/// the receipt id. Registering a quote is not audited (it names no actor; a quote's id is the
/// hash of its content).
///
/// The offices' signing keys are not stored: attach each office's key with
/// [`open_series`](Self::open_series) after opening.
///
/// See the README section "Durable records (SQLite)" for an example.
pub struct Registry<S: Store> {
    store: S,
    log_id: String,
    clock: Arc<dyn Clock>,
    policy: LedgerPolicy,
    signers: RwLock<Signers>,
}

impl<S: Store> std::fmt::Debug for Registry<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("log_id", &self.log_id)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

fn text(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

#[cfg(feature = "sqlite")]
impl Registry<super::SqliteStore> {
    /// Opens (creating if needed) the SQLite store at `path` with the default
    /// [`StoreOptions`](super::StoreOptions) and a registry over it: the one call an app or
    /// a binding needs before attaching its offices' keys with
    /// [`open_series`](Self::open_series).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use eservices::payment::LedgerPolicy;
    /// use eservices::store::Registry;
    /// use eservices::FixedClock;
    /// let path = std::env::temp_dir().join(format!("eservices-open-{}.db", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// let registry = Registry::open(&path, "MSU-2026", clock, LedgerPolicy::default())?;
    /// assert!(registry.payments()?.is_empty());
    /// # drop(registry);
    /// # for ext in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{ext}", path.display())); }
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn open(
        path: impl AsRef<std::path::Path>,
        log_id: &str,
        clock: Arc<dyn Clock>,
        policy: LedgerPolicy,
    ) -> Result<Registry<super::SqliteStore>> {
        Registry::new(super::SqliteStore::open(path)?, log_id, clock, policy)
    }
}

impl<S: Store> Registry<S> {
    /// A registry over `store`, appending to the audit log `log_id` (see
    /// [`AuditLog::new`] for its form) and reading the time from `clock`.
    pub fn new(
        store: S,
        log_id: &str,
        clock: Arc<dyn Clock>,
        policy: LedgerPolicy,
    ) -> Result<Registry<S>> {
        AuditLog::new(log_id)?;
        Ok(Registry {
            store,
            log_id: log_id.into(),
            clock,
            policy,
            signers: RwLock::new(Signers::new()),
        })
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The audit log this registry appends to.
    pub fn log_id(&self) -> &str {
        &self.log_id
    }

    fn signers(&self) -> RwLockReadGuard<'_, Signers> {
        // The map is replaced only by a completed insert, so a poisoned lock guards a
        // consistent map.
        self.signers.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn rules<'a>(&'a self, signers: &'a Signers) -> Rules<'a> {
        Rules {
            clock: self.clock.as_ref(),
            policy: self.policy,
            signers,
        }
    }

    /// Appends the entries of a continuation log to the stored log.
    fn write_log(&self, r: &mut dyn Records, log: &AuditLog) -> Result<()> {
        for entry in log.entries() {
            r.append_audit(&self.log_id, entry)?;
        }
        Ok(())
    }

    /// The stored log's continuation.
    fn continue_log(&self, r: &dyn Records) -> Result<AuditLog> {
        let head = r.audit_head(&self.log_id)?;
        AuditLog::continuing(&self.log_id, head.as_ref())
    }

    fn audit(
        &self,
        r: &mut dyn Records,
        actor: &Actor,
        action: &str,
        reference: &str,
        details: Map<String, Value>,
        time: DateTime<Utc>,
    ) -> Result<()> {
        let mut log = self.continue_log(r)?;
        log.append_at(actor, action, reference, details, time)?;
        self.write_log(r, &log)
    }

    // ---- receipt series ---------------------------------------------------------------

    /// Attaches `signer` as the key of the office's receipt series, creating the series if
    /// the store has none for the office. The stored series must have the name `series`
    /// ([`Error::SeriesMismatch`]); an office attached twice to this registry is
    /// [`Error::SeriesAlreadyOpen`]. Numbering continues from the stored head.
    pub fn open_series(&self, office: &str, series: &str, signer: Arc<dyn Signer>) -> Result<()> {
        // Checks the codes and the key.
        ReceiptSeries::new(office, series, signer.clone())?;
        let mut signers = self.signers.write().unwrap_or_else(PoisonError::into_inner);
        if signers.contains_key(office) {
            return Err(Error::SeriesAlreadyOpen {
                office: office.into(),
            });
        }
        self.store.write(|r| match r.series(office)? {
            None => r.put_series(&SeriesRecord {
                office: office.into(),
                series: series.into(),
                head: None,
            }),
            Some(stored) if stored.series == series => Ok(()),
            Some(stored) => Err(Error::SeriesMismatch {
                office: office.into(),
                stored: stored.series,
                given: series.into(),
            }),
        })?;
        signers.insert(office.into(), signer);
        Ok(())
    }

    /// The office's last entry (`None` before the first). [`Error::UnknownOffice`] if the
    /// store has no series for it.
    pub fn head(&self, office: &str) -> Result<Option<ChainPoint>> {
        let series = self.store.read(|r| r.series(office))?;
        Ok(series
            .ok_or_else(|| Error::UnknownOffice {
                office: office.into(),
            })?
            .head)
    }

    /// Every entry of the office's series, in number order.
    pub fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        self.store.read(|r| r.receipts(office))
    }

    /// The office's entries issued on a Lesotho day, in number order.
    pub fn receipts_of_day(&self, office: &str, day: NaiveDate) -> Result<Vec<IssuedReceipt>> {
        self.store.read(|r| r.receipts_of_day(office, day))
    }

    /// The office's day-end report (see [`ZReport::build`]).
    pub fn z_report(&self, office: &str, day: NaiveDate, catalogue: &Catalogue) -> Result<ZReport> {
        let receipts = self.receipts_of_day(office, day)?;
        ZReport::build(office, day, &receipts, catalogue)
    }

    /// Audits the office's whole series as stored (see [`audit_series`]), against the
    /// stored head: an entry edited, removed or reordered outside the library is reported.
    pub fn audit_series(&self, office: &str, verifier: &Verifier) -> Result<AuditReport> {
        let (series, texts) = self.store.read(|r| {
            let series = r.series(office)?.ok_or_else(|| Error::UnknownOffice {
                office: office.into(),
            })?;
            Ok((series, r.receipt_texts(office)?))
        })?;
        let options = AuditOptions {
            office: Some(series.office),
            series: Some(series.series),
            after: None,
            expected_head: series.head,
        };
        Ok(audit_series(&texts, verifier, &options))
    }

    // ---- payments ---------------------------------------------------------------------

    /// Registers a quote for an application (see
    /// [`PaymentLedger::register_quote`](crate::payment::PaymentLedger::register_quote)).
    pub fn register_quote(&self, application: &str, quote: Quote) -> Result<()> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store
            .write(|r| rules.register_quote(r, application, &quote))
    }

    /// Records a payment, its receipt and its audit entry in one transaction (see
    /// [`PaymentLedger::pay`](crate::payment::PaymentLedger::pay) for the rules). The actor
    /// must also be a valid audit [`Actor`] (no surrounding spaces).
    pub fn pay(&self, request: &PaymentRequest) -> Result<PaymentOutcome> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.write(|r| {
            let (outcome, recorded) = rules.pay(r, request)?;
            if recorded == Recorded::New {
                let actor = Actor::new(
                    request.actor.as_str(),
                    Role::Cashier,
                    request.office.as_str(),
                )?;
                let mut d = Map::new();
                d.insert(
                    "idempotency_key".into(),
                    text(request.idempotency_key.as_str()),
                );
                d.insert("application".into(), text(request.application.as_str()));
                d.insert("quote_id".into(), text(request.quote_id.as_str()));
                d.insert("channel".into(), text(request.channel.code()));
                d.insert(
                    "external_reference".into(),
                    request
                        .external_reference
                        .clone()
                        .map_or(Value::Null, Value::from),
                );
                d.insert("amount".into(), text(request.amount.to_string_amount()));
                d.insert("currency".into(), text(request.amount.currency().code()));
                d.insert("receipt_hash".into(), text(outcome.receipt.hash.as_str()));
                let id = outcome.receipt.id().to_string();
                self.audit(r, &actor, "pay", &id, d, outcome.payment.time)?;
            }
            Ok(outcome)
        })
    }

    /// Where an application stands against its quote in force.
    pub fn balance(&self, application: &str) -> Result<Balance> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.read(|r| rules.balance(r, application))
    }

    /// Every payment, in order.
    pub fn payments(&self) -> Result<Vec<Payment>> {
        self.store.read(|r| r.payments())
    }

    /// Records a spoiled number as a void entry, with its audit entry.
    pub fn void_number(&self, office: &str, actor: &str, reason: &str) -> Result<IssuedReceipt> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.write(|r| {
            let void = rules.void_number(r, office, actor, reason)?;
            let by = Actor::new(actor, Role::Cashier, office)?;
            let mut d = Map::new();
            d.insert("reason".into(), text(reason));
            d.insert("receipt_hash".into(), text(void.hash.as_str()));
            self.audit(r, &by, "void_number", void.id(), d, void.receipt.time)?;
            Ok(void)
        })
    }

    /// What may still be refunded on a payment receipt.
    pub fn refundable(&self, receipt: &str) -> Result<Money> {
        self.store.read(|r| rules::refundable(r, receipt))
    }

    /// Every refund request, in order.
    pub fn refund_requests(&self) -> Result<Vec<RefundRequest>> {
        self.store.read(|r| r.refunds())
    }

    /// The office of a payment receipt.
    fn office_of(r: &dyn Records, receipt: &str) -> Result<String> {
        r.payment_by_receipt(receipt)?
            .map(|o| o.payment.request.office)
            .ok_or_else(|| Error::UnknownReceipt {
                receipt: receipt.into(),
            })
    }

    /// Asks for a refund (see
    /// [`PaymentLedger::request_refund`](crate::payment::PaymentLedger::request_refund)),
    /// with its audit entry.
    pub fn request_refund(
        &self,
        receipt: &str,
        amount: Money,
        reason: &str,
        actor: &str,
    ) -> Result<RefundRequest> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.write(|r| {
            let request = rules.request_refund(r, receipt, amount, reason, actor)?;
            let by = Actor::new(actor, Role::Cashier, Self::office_of(r, receipt)?)?;
            let mut d = Map::new();
            d.insert("request".into(), text(request.id.as_str()));
            d.insert("amount".into(), text(amount.to_string_amount()));
            d.insert("currency".into(), text(amount.currency().code()));
            d.insert("reason".into(), text(reason));
            self.audit(r, &by, "request_refund", receipt, d, request.time)?;
            Ok(request)
        })
    }

    /// Approves a refund request and issues its credit note (see
    /// [`PaymentLedger::approve_refund`](crate::payment::PaymentLedger::approve_refund)),
    /// with its audit entry.
    pub fn approve_refund(&self, request: &str, approver: &str) -> Result<IssuedReceipt> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.write(|r| {
            let (note, approved) = rules.approve_refund(r, request, approver)?;
            let by = Actor::new(approver, Role::Approver, note.receipt.office.as_str())?;
            let mut d = Map::new();
            d.insert("request".into(), text(request));
            d.insert("credit_note".into(), text(note.id()));
            d.insert("receipt_hash".into(), text(note.hash.as_str()));
            let time = note.receipt.time;
            self.audit(r, &by, "approve_refund", &approved.receipt, d, time)?;
            Ok(note)
        })
    }

    /// Declines a refund request, with its audit entry.
    pub fn decline_refund(&self, request: &str, actor: &str) -> Result<()> {
        let signers = self.signers();
        let rules = self.rules(&signers);
        self.store.write(|r| {
            let declined = rules.decline_refund(r, request, actor)?;
            let by = Actor::new(
                actor,
                Role::Approver,
                Self::office_of(r, &declined.receipt)?,
            )?;
            let mut d = Map::new();
            d.insert("request".into(), text(request));
            self.audit(r, &by, "decline_refund", &declined.receipt, d, rules.now())?;
            Ok(())
        })
    }

    // ---- applications -----------------------------------------------------------------

    /// Opens a draft application (see [`Application::create`]) and stores it with its
    /// audit entry. [`Error::ApplicationExists`] if the reference is taken.
    pub fn create_application(&self, new: NewApplication, by: &Actor) -> Result<Application> {
        let reference = new.reference.to_string();
        self.store.write(|r| {
            if r.application(&reference)?.is_some() {
                return Err(Error::ApplicationExists { reference });
            }
            let mut log = self.continue_log(r)?;
            let app = Application::create(new, by, &mut log, self.clock.as_ref())?;
            self.write_log(r, &log)?;
            r.put_application(&app)?;
            Ok(app)
        })
    }

    /// Runs an action on a stored application and stores the result with the audit entry
    /// it appended, in one transaction. `f` gets the application, the audit log to pass to
    /// the action, and the registry's clock; if it fails nothing is stored. The log continues
    /// the stored one but holds only the entries appended here (read or verify the whole log
    /// with [`audit_log`](Self::audit_log) and [`verify_audit`](Self::verify_audit)).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::application::*;
    /// # use eservices::store::{MemoryStore, Registry};
    /// # use eservices::payment::LedgerPolicy;
    /// # use eservices::FixedClock;
    /// # use rust_decimal::Decimal;
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let registry = Registry::new(MemoryStore::new(), "MSU-2026", clock, LedgerPolicy::default())?;
    /// let citizen = Actor::new("citizen-1", Role::Applicant, "online")?;
    /// let reference = ApplicationRef::new("MSU", "PSP", 2026, 123)?;
    /// registry.create_application(NewApplication {
    ///     reference: reference.clone(),
    ///     service_id: "home-affairs.passport.ordinary".into(),
    ///     applicant_id: "citizen-1".into(),
    ///     fee: Fee::new(PaymentDue::OnApproval, Decimal::new(13000, 2), "LSL")?,
    ///     answers: Default::default(),
    ///     attachments: vec![],
    /// }, &citizen)?;
    /// let app = registry.update_application(&reference.to_string(), |app, log, clock| {
    ///     app.withdraw(&citizen, Some("travel cancelled"), log, clock)
    /// })?;
    /// assert_eq!(app.state(), State::Withdrawn);
    /// assert_eq!(registry.audit_log()?.len(), 2);
    /// registry.verify_audit()?;
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn update_application(
        &self,
        reference: &str,
        f: impl FnOnce(&mut Application, &mut AuditLog, &dyn Clock) -> Result<()>,
    ) -> Result<Application> {
        let reference = ApplicationRef::parse(reference)?.to_string();
        self.store.write(|r| {
            let mut app = r
                .application(&reference)?
                .ok_or_else(|| Error::ApplicationNotFound {
                    reference: reference.clone(),
                })?;
            let mut log = self.continue_log(r)?;
            f(&mut app, &mut log, self.clock.as_ref())?;
            if app.reference().to_string() != reference {
                return Err(Error::InconsistentApplication {
                    reference,
                    reason: "an action changed the reference".into(),
                });
            }
            self.write_log(r, &log)?;
            r.put_application(&app)?;
            Ok(app)
        })
    }

    /// An application by reference ([`Error::ApplicationNotFound`] if not stored).
    pub fn application(&self, reference: &str) -> Result<Application> {
        let reference = ApplicationRef::parse(reference)?.to_string();
        self.store
            .read(|r| r.application(&reference))?
            .ok_or(Error::ApplicationNotFound { reference })
    }

    /// The applications of an office (the office code of their reference) in a state, by
    /// reference: e.g. the `submitted` ones waiting at a counter.
    pub fn applications_in(&self, office: &str, state: State) -> Result<Vec<Application>> {
        self.store.read(|r| r.applications_in(office, state))
    }

    // ---- audit ------------------------------------------------------------------------

    /// The whole audit log as stored (verify it with [`AuditLog::verify`], or use
    /// [`verify_audit`](Self::verify_audit)).
    pub fn audit_log(&self) -> Result<AuditLog> {
        let entries = self.store.read(|r| r.audit_entries(&self.log_id))?;
        Ok(AuditLog::from_entries(&self.log_id, entries))
    }

    /// Verifies the stored audit log ([`AuditLog::verify`]: an entry edited, removed or
    /// moved outside the library is [`Error::AuditLogTampered`]) and that every stored
    /// application's history is recorded in it ([`Application::check_recorded_in`]).
    pub fn verify_audit(&self) -> Result<()> {
        let (entries, applications) = self
            .store
            .read(|r| Ok((r.audit_entries(&self.log_id)?, r.all_applications()?)))?;
        let log = AuditLog::from_entries(&self.log_id, entries);
        log.verify()?;
        for app in &applications {
            if app.history().iter().all(|e| e.audit.log_id == self.log_id) {
                app.check_recorded_in(&log)?;
            }
        }
        Ok(())
    }
}
