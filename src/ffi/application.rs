//! Applications for the bindings: create, every transition, getters, storage, and reference
//! numbers.
//!
//! An [`Application`] object wraps one application; every operation takes the [`Actor`]
//! who acts and the [`AuditLog`] it is recorded in, returns the new [`State`], and on any
//! error changes nothing (neither the application nor the log). A refused transition is
//! `Conflict` (`transition_refused`); maker-checker and ownership rules are `Refused`
//! (`maker_checker`, `not_the_applicant`); answers that do not validate are `InvalidInput`
//! (`invalid_answers`) with every refused answer in `field_errors`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::audit::{lock_for_change, lock_for_read, AuditLog};
use super::catalogue::{Catalogue, FeeQuote};
use super::GovError;
use crate::application::{
    self as core, Action, Actor, ApplicationRef, AttachmentRef, Correction, Fee, Payment, State,
};
use crate::catalogue::{Answers, PaymentDue};
use crate::money::Money;
use crate::{json, Clock};

/// The fee an application owes: an exact amount in one currency, and when it is due.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationFee {
    /// When it falls due.
    pub due: PaymentDue,
    /// The amount (a decimal string such as `"800.00"`; zero for a free service).
    pub amount: Decimal,
    /// ISO 4217 code, e.g. `LSL`.
    pub currency: String,
}

/// What is needed to open a draft.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewApplication {
    /// Its reference number as text, e.g. `MSU-PSP-2026-000123-U` (see
    /// [`format_application_reference`] to make one from its parts).
    pub reference: String,
    /// The catalogue service id.
    pub service_id: String,
    /// The applicant's account id (who alone may submit, resubmit and withdraw).
    pub applicant_id: String,
    /// The fee: usually [`application_fee`] of the service's quote.
    pub fee: ApplicationFee,
    /// Draft answers, field id → answer text (validated on submission).
    pub answers: HashMap<String, String>,
    /// Attachment references.
    pub attachments: Vec<AttachmentRef>,
}

impl NewApplication {
    /// The core form: reference parsed, fee amount checked against its currency.
    pub(crate) fn into_core(self) -> Result<core::NewApplication, GovError> {
        let amount = exact_amount(self.fee.amount, &self.fee.currency)?;
        let fee = Fee::new(self.fee.due, amount, &self.fee.currency)?;
        Ok(core::NewApplication {
            reference: ApplicationRef::parse(&self.reference)?,
            service_id: self.service_id,
            applicant_id: self.applicant_id,
            fee,
            answers: self.answers.into_iter().collect(),
            attachments: self.attachments,
        })
    }
}

/// A payment recorded on an application.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationPayment {
    /// The payment's own reference (receipt number, transaction id…).
    pub payment_ref: String,
    /// The amount, in the fee's currency.
    pub amount: Decimal,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The id of the cashier who recorded it.
    pub recorded_by: String,
}

/// One submitted version of the answers (revision 1 is the first submission).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationRevision {
    /// 1, 2, 3…
    pub number: u32,
    /// The answers submitted.
    pub answers: HashMap<String, String>,
    /// The attachments submitted.
    pub attachments: Vec<AttachmentRef>,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// The corrections this revision answered (empty for revision 1).
    pub answered_corrections: Vec<Correction>,
}

/// One event in an application's history, with the audit entry that records it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// What.
    pub action: Action,
    /// The state before (none for `create`).
    pub from_state: Option<State>,
    /// The state after.
    pub to_state: State,
    /// The same details as the audit entry, as canonical JSON.
    pub details_json: String,
    /// The audit log's id.
    pub log_id: String,
    /// The audit entry's sequence number.
    pub audit_seq: u64,
    /// The audit entry's hash.
    pub audit_hash: String,
}

/// An application reference number taken apart.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationReference {
    /// The reference as text, e.g. `MSU-PSP-2026-000123-U`.
    pub text: String,
    /// Office code (3 of `A-Z 0-9`).
    pub office: String,
    /// Service code (2 to 8 of `A-Z 0-9`).
    pub service: String,
    /// Year, 2000–9999.
    pub year: u16,
    /// Sequence number, 1–999999.
    pub sequence: u32,
    /// The ISO/IEC 7064 MOD 37-2 check character.
    pub check_char: String,
}

/// An application and its history. Operations lock it, so one object may be shared across
/// threads; store it with [`Application::to_json`] and read it back with
/// [`Application::from_json`].
///
/// ```
/// use std::collections::HashMap;
/// use eservices::application::{Actor, Role, State};
/// use eservices::ffi::application::{application_fee, Application, NewApplication};
/// use eservices::ffi::audit::AuditLog;
/// use eservices::ffi::catalogue::Catalogue;
///
/// let catalogue = Catalogue::lesotho()?;
/// let answers = HashMap::from([("pages".to_string(), "32".to_string())]);
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
/// let quote = catalogue.quote("home-affairs.passport.ordinary".into(), answers.clone(),
///     "general".into(), date)?;
/// let log = AuditLog::with_fixed_time("MSU-2026".into(), "2026-03-02T08:00:00Z".parse()?)?;
/// let citizen = Actor::new("citizen-1", Role::Applicant, "online")?;
/// let app = Application::create(NewApplication {
///     reference: "MSU-PSP-2026-000123-U".into(),
///     service_id: quote.service_id.clone(),
///     applicant_id: "citizen-1".into(),
///     fee: application_fee(quote),
///     answers,
///     attachments: vec![],
/// }, citizen.clone(), log.clone())?;
/// assert_eq!(app.state(), State::Draft);
/// // The passport form asks for more than the booklet: every missing answer at once.
/// let e = app.submit(citizen, catalogue, log.clone()).unwrap_err();
/// assert_eq!(e.code(), "invalid_answers");
/// assert_eq!(log.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct Application {
    inner: Mutex<core::Application>,
}

#[uniffi::export]
impl Application {
    /// Opens a draft, by the applicant or by a clerk capturing it on their behalf; records
    /// `create` in `log`. Errors: `invalid_reference` / `reference_check_failed` for the
    /// reference text, `create_refused` for another role, `not_the_applicant`,
    /// `invalid_actor`, `input_required` (service id), `invalid_amount` /
    /// `unknown_currency` (fee), `invalid_attachment`.
    #[uniffi::constructor]
    pub fn create(
        new: NewApplication,
        by: Actor,
        log: Arc<AuditLog>,
    ) -> Result<Arc<Self>, GovError> {
        let new = new.into_core()?;
        let mut entries = log.lock()?;
        let app = core::Application::create(new, &by, &mut entries, log.clock())?;
        Ok(Arc::new(Application {
            inner: Mutex::new(app),
        }))
    }

    /// Reads a stored application (the text of [`Application::to_json`], strict JSON) and
    /// checks that its parts agree (`inconsistent_application` otherwise). Check it against
    /// its log with [`Application::check_recorded_in`].
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, GovError> {
        Ok(Arc::new(Application {
            inner: Mutex::new(core::Application::from_json(&json)?),
        }))
    }

    /// Replaces a draft's answers and attachments (applicant; `draft → draft`).
    pub fn save_draft(
        &self,
        by: Actor,
        answers: HashMap<String, String>,
        attachments: Vec<AttachmentRef>,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        let answers: Answers = answers.into_iter().collect();
        self.step(&log, |app, l, clock| {
            Ok(app.save_draft(&by, answers, attachments, l, clock)?)
        })
    }

    /// Submits the draft (applicant; `draft → submitted`). Its answers must validate against
    /// the service's form in `catalogue` (`NotFound` when the catalogue lacks the service;
    /// `invalid_answers` with `field_errors` when they do not validate); they become
    /// revision 1.
    pub fn submit(
        &self,
        by: Actor,
        catalogue: Arc<Catalogue>,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| {
            let service = catalogue.find(app.service_id())?;
            Ok(app.submit(&by, service, l, clock)?)
        })
    }

    /// Resubmits corrected answers (applicant; `returned_for_correction → submitted`),
    /// validated like [`Application::submit`]; they become a new revision.
    pub fn resubmit(
        &self,
        by: Actor,
        answers: HashMap<String, String>,
        attachments: Vec<AttachmentRef>,
        catalogue: Arc<Catalogue>,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        let answers: Answers = answers.into_iter().collect();
        self.step(&log, |app, l, clock| {
            let service = catalogue.find(app.service_id())?;
            Ok(app.resubmit(&by, answers, attachments, service, l, clock)?)
        })
    }

    /// Withdraws before a decision (applicant; to `withdrawn`); the reason is optional.
    pub fn withdraw(
        &self,
        by: Actor,
        reason: Option<String>,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| {
            Ok(app.withdraw(&by, reason.as_deref(), l, clock)?)
        })
    }

    /// Takes a submitted application into review (clerk; `submitted → under_review`); a fee
    /// due upfront must be paid (`payment_outstanding`).
    pub fn take_into_review(&self, by: Actor, log: Arc<AuditLog>) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| {
            Ok(app.take_into_review(&by, l, clock)?)
        })
    }

    /// Returns it for correction with per-field reasons (reviewer;
    /// `under_review → returned_for_correction`); at least one correction.
    pub fn return_for_correction(
        &self,
        by: Actor,
        corrections: Vec<Correction>,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| {
            Ok(app.return_for_correction(&by, corrections, l, clock)?)
        })
    }

    /// Rejects it with a reason (reviewer; `under_review → rejected`).
    pub fn reject(&self, by: Actor, reason: String, log: Arc<AuditLog>) -> Result<State, GovError> {
        self.step(
            &log,
            |app, l, clock| Ok(app.reject(&by, &reason, l, clock)?),
        )
    }

    /// Approves it (approver; to `approved`, or `awaiting_payment` when a fee due on
    /// approval is owed). Maker-checker: an approver who took any earlier part in it is
    /// `Refused` (`maker_checker`).
    pub fn approve(&self, by: Actor, log: Arc<AuditLog>) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| Ok(app.approve(&by, l, clock)?))
    }

    /// Records a payment made elsewhere (e.g. by a payment ledger) as a fact (cashier):
    /// its reference, amount (decimal string) and currency code, which must be the fee's.
    /// The payment that completes a fee due on approval moves it to `approved`. Errors:
    /// `payment_not_expected`, `overpayment`, `duplicate_payment`, `currency_mismatch`,
    /// `invalid_amount` (not positive).
    pub fn record_payment(
        &self,
        by: Actor,
        payment_reference: String,
        amount: Decimal,
        currency: String,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        let payment = application_payment(&payment_reference, amount, &currency)?;
        self.step(&log, |app, l, clock| {
            Ok(app.record_payment(&by, &payment, l, clock)?)
        })
    }

    /// Marks it issued, naming the issued document (issuing officer; `approved → issued`).
    pub fn issue(
        &self,
        by: Actor,
        document_id: String,
        log: Arc<AuditLog>,
    ) -> Result<State, GovError> {
        self.step(&log, |app, l, clock| {
            Ok(app.issue(&by, &document_id, l, clock)?)
        })
    }

    /// Revokes the issued document with a reason (approver or administrator;
    /// `issued → revoked`).
    pub fn revoke(&self, by: Actor, reason: String, log: Arc<AuditLog>) -> Result<State, GovError> {
        self.step(
            &log,
            |app, l, clock| Ok(app.revoke(&by, &reason, l, clock)?),
        )
    }

    /// The reference number, e.g. `MSU-PSP-2026-000123-U`.
    pub fn reference(&self) -> String {
        self.read().reference().to_string()
    }

    /// The catalogue service id.
    pub fn service_id(&self) -> String {
        self.read().service_id().to_string()
    }

    /// The applicant's account id.
    pub fn applicant_id(&self) -> String {
        self.read().applicant_id().to_string()
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.read().state()
    }

    /// The fee.
    pub fn fee(&self) -> ApplicationFee {
        let app = self.read();
        let fee = app.fee();
        ApplicationFee {
            due: fee.due,
            amount: fee.amount,
            currency: fee.currency.clone(),
        }
    }

    /// Total paid so far.
    pub fn paid(&self) -> Decimal {
        self.read().paid()
    }

    /// What is still owed (never negative).
    pub fn outstanding(&self) -> Decimal {
        self.read().outstanding()
    }

    /// The payments recorded, in order.
    pub fn payments(&self) -> Vec<ApplicationPayment> {
        self.read()
            .payments()
            .iter()
            .map(|p| ApplicationPayment {
                payment_ref: p.payment_ref.clone(),
                amount: p.amount,
                at: p.at,
                recorded_by: p.recorded_by.clone(),
            })
            .collect()
    }

    /// The current answers (the draft's, or the latest revision's).
    pub fn answers(&self) -> HashMap<String, String> {
        self.read().answers().clone().into_iter().collect()
    }

    /// The current attachment references.
    pub fn attachments(&self) -> Vec<AttachmentRef> {
        self.read().attachments().to_vec()
    }

    /// The number of submitted revisions (0 for a draft).
    pub fn revision_count(&self) -> u32 {
        u32::try_from(self.read().revision_count()).unwrap_or(u32::MAX)
    }

    /// Every submitted revision, oldest first.
    pub fn revisions(&self) -> Vec<ApplicationRevision> {
        self.read()
            .revisions()
            .iter()
            .map(|r| ApplicationRevision {
                number: r.number,
                answers: r.answers.clone().into_iter().collect(),
                attachments: r.attachments.clone(),
                submitted_at: r.submitted_at,
                answered_corrections: r.answered_corrections.clone(),
            })
            .collect()
    }

    /// The corrections asked for by the latest return (empty once resubmitted).
    pub fn corrections(&self) -> Vec<Correction> {
        self.read().corrections().to_vec()
    }

    /// Why it was rejected.
    pub fn rejection_reason(&self) -> Option<String> {
        self.read().rejection_reason().map(str::to_string)
    }

    /// The id of the issued document.
    pub fn document_id(&self) -> Option<String> {
        self.read().document_id().map(str::to_string)
    }

    /// Why the issued document was revoked.
    pub fn revocation_reason(&self) -> Option<String> {
        self.read().revocation_reason().map(str::to_string)
    }

    /// Every event, oldest first (the first is always `create`).
    pub fn history(&self) -> Result<Vec<ApplicationEvent>, GovError> {
        self.read()
            .history()
            .iter()
            .map(|e| {
                Ok(ApplicationEvent {
                    at: e.at,
                    actor: e.actor.clone(),
                    action: e.action,
                    from_state: e.from,
                    to_state: e.to,
                    details_json: json::canonical_string(&e.details)?,
                    log_id: e.audit.log_id.clone(),
                    audit_seq: e.audit.seq,
                    audit_hash: e.audit.hash.clone(),
                })
            })
            .collect()
    }

    /// The application as JSON text, for storage.
    pub fn to_json(&self) -> Result<String, GovError> {
        Ok(self.read().to_json()?)
    }

    /// Checks that every history event is recorded in `log` where it says
    /// (`Integrity`, `history_not_in_log`, otherwise). Verify the log itself with
    /// [`AuditLog::verify`].
    pub fn check_recorded_in(&self, log: Arc<AuditLog>) -> Result<(), GovError> {
        let app = self.read();
        let entries = log.read();
        Ok(app.check_recorded_in(&entries)?)
    }
}

impl Application {
    fn read(&self) -> std::sync::MutexGuard<'_, core::Application> {
        lock_for_read(&self.inner)
    }

    /// Runs one operation: locks the application, then the log (always in that order).
    fn step(
        &self,
        log: &AuditLog,
        op: impl FnOnce(
            &mut core::Application,
            &mut crate::audit::AuditLog,
            &dyn Clock,
        ) -> Result<(), GovError>,
    ) -> Result<State, GovError> {
        let mut app = lock_for_change(&self.inner)?;
        let mut entries = log.lock()?;
        op(&mut app, &mut entries, log.clock())?;
        Ok(app.state())
    }
}

/// An amount checked against its currency (`LSL` or `ZAR`): `unknown_currency` for another
/// code, `invalid_amount` for more minor digits than the currency has (`12.345`); shorter
/// amounts are padded (`130` → `130.00`).
fn exact_amount(amount: Decimal, currency: &str) -> Result<Decimal, GovError> {
    Ok(Money::new(amount, super::payment::currency(currency)?)?.amount())
}

/// A payment to record on an application (see [`Application::record_payment`]): its amount
/// checked against its currency.
pub(crate) fn application_payment(
    payment_reference: &str,
    amount: Decimal,
    currency: &str,
) -> Result<Payment, GovError> {
    let amount = exact_amount(amount, currency)?;
    Ok(Payment::new(payment_reference, amount, currency))
}

/// The fee of an application made from a quote: its `payment_due`, `total` and `currency`.
///
/// See [`Application`] for an example.
#[uniffi::export]
pub fn application_fee(quote: FeeQuote) -> ApplicationFee {
    ApplicationFee {
        due: quote.payment_due,
        amount: quote.total,
        currency: quote.currency,
    }
}

/// An application reference from its parts, with its check character computed
/// (`invalid_reference` for parts out of range).
///
/// ```
/// use eservices::ffi::application::format_application_reference;
/// assert_eq!(format_application_reference("MSU".into(), "PSP".into(), 2026, 123)?,
///            "MSU-PSP-2026-000123-U");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn format_application_reference(
    office: String,
    service: String,
    year: u16,
    sequence: u32,
) -> Result<String, GovError> {
    Ok(ApplicationRef::new(&office, &service, year, sequence)?.to_string())
}

/// Parses a reference as a person may type it (lower case and surrounding spaces are
/// accepted): `invalid_reference` for a wrong shape, `reference_check_failed` for a typo the
/// check character catches.
///
/// ```
/// use eservices::ffi::application::parse_application_reference;
/// let r = parse_application_reference(" msu-psp-2026-000123-u ".into())?;
/// assert_eq!((r.text.as_str(), r.sequence), ("MSU-PSP-2026-000123-U", 123));
/// assert_eq!(parse_application_reference("MSU-PSP-2026-000132-U".into()).unwrap_err().code(),
///            "reference_check_failed");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn parse_application_reference(text: String) -> Result<ApplicationReference, GovError> {
    let r = ApplicationRef::parse(&text)?;
    Ok(ApplicationReference {
        text: r.to_string(),
        office: r.office().to_string(),
        service: r.service().to_string(),
        year: r.year(),
        sequence: r.sequence(),
        check_char: r.check_char().to_string(),
    })
}

/// Whether `text` is a well-formed reference whose check character matches.
///
/// ```
/// use eservices::ffi::application::is_valid_application_reference;
/// assert!(is_valid_application_reference("MSU-PSP-2026-000123-U".into()));
/// assert!(!is_valid_application_reference("MSU-PSP-2026-000123-V".into()));
/// ```
#[uniffi::export]
pub fn is_valid_application_reference(text: String) -> bool {
    ApplicationRef::parse(&text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::Role;
    use crate::ffi::test_fixtures::{actor, passport_answers};

    #[test]
    fn a_passport_goes_from_draft_to_revoked() {
        let catalogue = Catalogue::lesotho().unwrap();
        let service = catalogue
            .service("home-affairs.passport.ordinary".into())
            .unwrap();
        let log =
            AuditLog::with_fixed_time("MSU-2026".into(), "2026-03-02T08:00:00Z".parse().unwrap())
                .unwrap();
        let quote = catalogue
            .quote(
                service.id.clone(),
                HashMap::from([
                    ("pages".to_string(), "64".to_string()),
                    ("urgent".to_string(), "true".to_string()),
                ]),
                "general".into(),
                "2026-03-02".parse().unwrap(),
            )
            .unwrap();
        let citizen = actor("citizen-1", Role::Applicant);
        let answers = passport_answers();
        let app = Application::create(
            NewApplication {
                reference: format_application_reference("MSU".into(), "PSP".into(), 2026, 1)
                    .unwrap(),
                service_id: service.id.clone(),
                applicant_id: "citizen-1".into(),
                fee: application_fee(quote),
                answers: HashMap::new(),
                attachments: vec![],
            },
            citizen.clone(),
            log.clone(),
        )
        .unwrap();
        let e = app
            .submit(citizen.clone(), catalogue.clone(), log.clone())
            .unwrap_err();
        match &e {
            GovError::InvalidInput { field_errors, .. } => assert!(!field_errors.is_empty()),
            other => panic!("{other:?}"),
        }
        let errors = catalogue
            .validate_answers(
                service.id.clone(),
                answers.clone(),
                "2026-03-02".parse().unwrap(),
            )
            .unwrap();
        assert_eq!(errors, vec![], "fix the test answers");
        app.save_draft(citizen.clone(), answers, vec![], log.clone())
            .unwrap();
        assert_eq!(
            app.submit(citizen.clone(), catalogue.clone(), log.clone())
                .unwrap(),
            State::Submitted
        );
        assert_eq!(app.revision_count(), 1);
        log.verify().unwrap();
        app.check_recorded_in(log.clone()).unwrap();
        let back = Application::from_json(app.to_json().unwrap()).unwrap();
        assert_eq!(back.history().unwrap(), app.history().unwrap());
    }

    #[test]
    fn applications_on_many_threads_share_one_log() {
        let catalogue = Catalogue::lesotho().unwrap();
        let log = AuditLog::new("MSU-2026".into()).unwrap();
        let citizen = actor("citizen-1", Role::Applicant);
        let threads: Vec<_> = (1..=8u32)
            .map(|n| {
                let (catalogue, log, citizen) = (catalogue.clone(), log.clone(), citizen.clone());
                std::thread::spawn(move || {
                    let app = Application::create(
                        NewApplication {
                            reference: format_application_reference(
                                "MSU".into(),
                                "PSP".into(),
                                2026,
                                n,
                            )
                            .unwrap(),
                            service_id: "home-affairs.passport.ordinary".into(),
                            applicant_id: "citizen-1".into(),
                            fee: ApplicationFee {
                                due: PaymentDue::Upfront,
                                amount: Decimal::new(13000, 2),
                                currency: "LSL".into(),
                            },
                            answers: passport_answers(),
                            attachments: vec![],
                        },
                        citizen.clone(),
                        log.clone(),
                    )
                    .unwrap();
                    app.submit(citizen, catalogue, log.clone()).unwrap();
                    app
                })
            })
            .collect();
        let apps: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(log.len(), 16);
        log.verify().unwrap();
        for app in apps {
            app.check_recorded_in(log.clone()).unwrap();
        }
    }
}
