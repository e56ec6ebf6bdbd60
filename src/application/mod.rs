//! Applications for services: their lifecycle, who may move them, and their history.
//!
//! An [`Application`] moves through the [`State`]s of the transition table
//! ([`TRANSITIONS`]); each operation is taken by an [`Actor`] whose [`Role`] the table allows.
//! Every operation
//!
//! * checks everything first and, when refused, returns a typed error and leaves the
//!   application (and the audit log) **unchanged** — a refused transition is
//!   [`Error::TransitionRefused`] naming the state, the action and the role;
//! * appends exactly one entry to the [`AuditLog`] it is given, and records the entry's
//!   sequence number and hash in the application's history, so no transition can happen
//!   without an audit entry (check with [`Application::check_recorded_in`]).
//!
//! Answers are validated by a [`FormValidator`] for the application's service, which
//! [`Application::submit`] and [`Application::resubmit`] require. Payments are facts passed
//! in ([`Payment`]); the [`Fee`] says how much is owed and when ([`PaymentDue`]).
//!
//! ```
//! use eservices::application::*;
//! use eservices::audit::AuditLog;
//! use eservices::catalogue::{Answers, FieldError};
//! use eservices::FixedClock;
//! use rust_decimal::Decimal;
//!
//! struct AnythingGoes;
//! impl FormValidator for AnythingGoes {
//!     fn service_id(&self) -> &str { "home-affairs.passport.ordinary" }
//!     fn validate(&self, _: &Answers, _: chrono::NaiveDate) -> Result<(), Vec<FieldError>> {
//!         Ok(())
//!     }
//! }
//!
//! let clock = FixedClock::parse("2026-03-02T08:00:00Z")?;
//! let mut log = AuditLog::new("MSU-2026")?;
//! let citizen = Actor::new("citizen-1", Role::Applicant, "online")?;
//! let mut app = Application::create(
//!     NewApplication {
//!         reference: ApplicationRef::new("MSU", "PSP", 2026, 123)?,
//!         service_id: "home-affairs.passport.ordinary".into(),
//!         applicant_id: "citizen-1".into(),
//!         fee: Fee::new(PaymentDue::OnApproval, Decimal::new(13000, 2), "LSL")?,
//!         answers: Answers::new(),
//!         attachments: vec![],
//!     },
//!     &citizen,
//!     &mut log,
//!     &clock,
//! )?;
//! app.submit(&citizen, &AnythingGoes, &mut log, &clock)?;
//! assert_eq!(app.state(), State::Submitted);
//!
//! // A reviewer may not take it into review; nothing changes.
//! let reviewer = Actor::new("officer-2", Role::Reviewer, "MSU")?;
//! let refused = app.take_into_review(&reviewer, &mut log, &clock).unwrap_err();
//! assert_eq!(refused.code(), "transition_refused");
//! assert_eq!(app.state(), State::Submitted);
//! assert_eq!(log.len(), 2);
//! # Ok::<(), eservices::Error>(())
//! ```

pub mod attachment;
pub mod payment;
pub mod reference;
mod roles;
mod state;

pub use attachment::AttachmentRef;
pub use payment::{Fee, Payment, PaymentDue, PaymentRecord};
pub use reference::ApplicationRef;
pub use roles::{Actor, Role, MAX_ACTOR_TEXT};
pub use state::{transition_allowed, Action, State, Transition, CREATE_ROLES, TRANSITIONS};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::audit::{self, AuditLog};
use crate::catalogue::form::{BasicNationalIdValidator, NationalIdValidator};
use crate::catalogue::{Answers, FieldError, Service};
use crate::{json, Error, Result};

/// Validates an application's answers against its service's form. Submission requires one:
/// the library refuses to submit answers that it has not seen validated.
///
/// The catalogue's [`Service`] implements it (with the default national-ID validator), and
/// [`ServiceForm`] pairs a service with the deployment's own validator; tests and small
/// deployments may implement it directly.
pub trait FormValidator {
    /// The id of the service whose form this validates (must equal the application's).
    fn service_id(&self) -> &str;

    /// Every field error at once, or `Ok(())`. `today` is Lesotho's date (for rules such as
    /// "a date of birth is not in the future").
    fn validate(
        &self,
        answers: &Answers,
        today: NaiveDate,
    ) -> std::result::Result<(), Vec<FieldError>>;
}

/// A catalogue service's form, validated with the deployment's national-ID validator.
///
/// ```
/// use eservices::application::{FormValidator, ServiceForm};
/// use eservices::catalogue::{form::BasicNationalIdValidator, Answers, Catalogue};
/// let catalogue = Catalogue::lesotho()?;
/// let passport = catalogue.service("home-affairs.passport.ordinary")?;
/// let form = ServiceForm::new(passport, &BasicNationalIdValidator);
/// let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
/// let errors = form.validate(&Answers::new(), today).unwrap_err();
/// assert!(errors.iter().all(|e| e.code.as_str() == "required"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ServiceForm<'a> {
    service: &'a Service,
    national_ids: &'a dyn NationalIdValidator,
}

impl<'a> ServiceForm<'a> {
    /// The form of `service`, checking national ID numbers with `national_ids`.
    pub fn new(service: &'a Service, national_ids: &'a dyn NationalIdValidator) -> Self {
        ServiceForm {
            service,
            national_ids,
        }
    }
}

impl FormValidator for ServiceForm<'_> {
    fn service_id(&self) -> &str {
        &self.service.id
    }

    fn validate(
        &self,
        answers: &Answers,
        today: NaiveDate,
    ) -> std::result::Result<(), Vec<FieldError>> {
        self.service
            .validate_answers(answers, today, self.national_ids)
    }
}

/// A catalogue service validates its own form, with the documented default national-ID
/// validator ([`BasicNationalIdValidator`]); use [`ServiceForm`] to configure another.
impl FormValidator for Service {
    fn service_id(&self) -> &str {
        &self.id
    }

    fn validate(
        &self,
        answers: &Answers,
        today: NaiveDate,
    ) -> std::result::Result<(), Vec<FieldError>> {
        self.validate_answers(answers, today, &BasicNationalIdValidator)
    }
}

/// What a reviewer asks the applicant to correct: a field and why.
///
/// ```
/// use eservices::application::Correction;
/// let c = Correction::new("date_of_birth", "does not match the birth certificate");
/// assert_eq!(c.field, "date_of_birth");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Correction {
    /// The field id, as in the catalogue.
    pub field: String,
    /// Why it must be corrected.
    pub reason: String,
}

impl Correction {
    /// A correction request.
    pub fn new(field: &str, reason: &str) -> Self {
        Correction {
            field: field.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// One submitted version of the answers. Revision 1 is the first submission; each
/// resubmission after a correction adds one. All are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// 1 for the first submission, then 2, 3…
    pub number: u32,
    /// The answers submitted.
    pub answers: Answers,
    /// The attachments submitted.
    pub attachments: Vec<AttachmentRef>,
    /// When.
    #[serde(with = "crate::audit::utc_time")]
    pub submitted_at: DateTime<Utc>,
    /// The corrections this revision answered (empty for revision 1).
    pub answered_corrections: Vec<Correction>,
}

/// Where an action was recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditPointer {
    /// The log's id.
    pub log_id: String,
    /// The entry's sequence number.
    pub seq: u64,
    /// The entry's hash.
    pub hash: String,
}

/// One event in an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEvent {
    /// When.
    #[serde(with = "crate::audit::utc_time")]
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// What.
    pub action: Action,
    /// The state before (`None` for [`Action::Create`]).
    pub from: Option<State>,
    /// The state after.
    pub to: State,
    /// The same details as the audit entry.
    pub details: Map<String, Value>,
    /// The audit entry that records it.
    pub audit: AuditPointer,
}

/// What is needed to open a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    /// Its reference number (allocated by the caller's store).
    pub reference: ApplicationRef,
    /// The catalogue service id, e.g. `home-affairs.passport.ordinary`.
    pub service_id: String,
    /// The account id of the applicant (who alone may submit, resubmit and withdraw).
    pub applicant_id: String,
    /// The fee owed and when it is due.
    pub fee: Fee,
    /// Draft answers (validated only on submission).
    pub answers: Answers,
    /// Attachment references.
    pub attachments: Vec<AttachmentRef>,
}

/// An application and its full history. Serialises to JSON ([`Application::to_json`]) so a
/// caller can store it anywhere; read it back with [`Application::from_json`]. Every way of
/// deserialising it checks that its parts agree (see [`Application::from_json`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "Stored")]
pub struct Application {
    reference: ApplicationRef,
    service_id: String,
    applicant_id: String,
    state: State,
    fee: Fee,
    paid: Decimal,
    payments: Vec<PaymentRecord>,
    answers: Answers,
    attachments: Vec<AttachmentRef>,
    revisions: Vec<Revision>,
    corrections: Vec<Correction>,
    rejection_reason: Option<String>,
    document_id: Option<String>,
    revocation_reason: Option<String>,
    history: Vec<HistoryEvent>,
}

/// An application as read from storage, before its parts are checked against each other.
/// Deserialising an [`Application`] always goes through this and
/// `Application::check_consistent`, so no inconsistent application can be read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    reference: ApplicationRef,
    service_id: String,
    applicant_id: String,
    state: State,
    fee: Fee,
    paid: Decimal,
    payments: Vec<PaymentRecord>,
    answers: Answers,
    attachments: Vec<AttachmentRef>,
    revisions: Vec<Revision>,
    corrections: Vec<Correction>,
    rejection_reason: Option<String>,
    document_id: Option<String>,
    revocation_reason: Option<String>,
    history: Vec<HistoryEvent>,
}

impl TryFrom<Stored> for Application {
    type Error = Error;

    fn try_from(s: Stored) -> Result<Self> {
        let app = Application {
            reference: s.reference,
            service_id: s.service_id,
            applicant_id: s.applicant_id,
            state: s.state,
            fee: s.fee,
            paid: s.paid,
            payments: s.payments,
            answers: s.answers,
            attachments: s.attachments,
            revisions: s.revisions,
            corrections: s.corrections,
            rejection_reason: s.rejection_reason,
            document_id: s.document_id,
            revocation_reason: s.revocation_reason,
            history: s.history,
        };
        app.check_consistent()?;
        Ok(app)
    }
}

/// Longest reason, document id or payment reference accepted, in characters.
pub const MAX_TEXT: usize = 2000;

mod lifecycle;

impl Application {
    /// The reference number.
    pub fn reference(&self) -> &ApplicationRef {
        &self.reference
    }

    /// The catalogue service id.
    pub fn service_id(&self) -> &str {
        &self.service_id
    }

    /// The applicant's account id.
    pub fn applicant_id(&self) -> &str {
        &self.applicant_id
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The fee.
    pub fn fee(&self) -> &Fee {
        &self.fee
    }

    /// Total paid so far.
    pub fn paid(&self) -> Decimal {
        self.paid
    }

    /// What is still owed (fee minus paid; never negative).
    pub fn outstanding(&self) -> Decimal {
        self.fee
            .amount
            .checked_sub(self.paid)
            .filter(|d| !d.is_sign_negative() || d.is_zero())
            .unwrap_or(Decimal::ZERO)
    }

    /// The payments recorded, in order.
    pub fn payments(&self) -> &[PaymentRecord] {
        &self.payments
    }

    /// The current answers (the draft's, or the latest revision's).
    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    /// The current attachment references.
    pub fn attachments(&self) -> &[AttachmentRef] {
        &self.attachments
    }

    /// Every submitted revision, oldest first.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The number of submitted revisions (0 for a draft).
    pub fn revision_count(&self) -> usize {
        self.revisions.len()
    }

    /// The corrections asked for by the latest return (empty once resubmitted).
    pub fn corrections(&self) -> &[Correction] {
        &self.corrections
    }

    /// Why it was rejected.
    pub fn rejection_reason(&self) -> Option<&str> {
        self.rejection_reason.as_deref()
    }

    /// The id of the issued document.
    pub fn document_id(&self) -> Option<&str> {
        self.document_id.as_deref()
    }

    /// Why the issued document was revoked.
    pub fn revocation_reason(&self) -> Option<&str> {
        self.revocation_reason.as_deref()
    }

    /// Every event, oldest first; the first is always [`Action::Create`].
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// Who opened the application (the applicant, or a clerk capturing it).
    pub fn captured_by(&self) -> Option<&Actor> {
        self.history.first().map(|e| &e.actor)
    }

    /// The application as JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// Reads a stored application (strict JSON) and checks that its parts agree: a history
    /// that starts with `create` and runs state to state to the current state, revisions
    /// numbered 1, 2…, payments adding up to what is paid and never more than the fee, and
    /// valid fee, actors and attachments. Otherwise [`Error::InconsistentApplication`].
    pub fn from_json(text: &str) -> Result<Self> {
        let value = json::parse_strict(text)?;
        let stored: Stored = serde_json::from_value(value).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })?;
        Application::try_from(stored)
    }

    /// Checks that every history event is recorded in `log` at the sequence number and
    /// hash it names, for this application and action ([`Error::HistoryNotInLog`]
    /// otherwise). Verify the log itself with [`AuditLog::verify`].
    pub fn check_recorded_in(&self, log: &AuditLog) -> Result<()> {
        let reference = self.reference.to_string();
        for (i, event) in self.history.iter().enumerate() {
            let recorded = event.audit.log_id == log.log_id()
                && usize::try_from(event.audit.seq)
                    .ok()
                    .and_then(|seq| log.entries().get(seq))
                    .is_some_and(|entry| {
                        entry.hash == event.audit.hash
                            && entry.reference == reference
                            && entry.action == event.action.as_str()
                            && entry.actor == event.actor
                    });
            if !recorded {
                return Err(Error::HistoryNotInLog {
                    reference,
                    event: i as u64,
                    seq: event.audit.seq,
                });
            }
        }
        Ok(())
    }

    fn check_consistent(&self) -> Result<()> {
        let bad = |reason: &str| Error::InconsistentApplication {
            reference: self.reference.to_string(),
            reason: reason.to_string(),
        };
        self.fee.check()?;
        attachment::check_all(&self.attachments)?;
        let Some(first) = self.history.first() else {
            return Err(bad("history is empty"));
        };
        if first.action != Action::Create || first.from.is_some() || first.to != State::Draft {
            return Err(bad("history does not start with create"));
        }
        let mut state = State::Draft;
        for event in &self.history {
            event.actor.check()?;
            if let Some(from) = event.from {
                if from != state {
                    return Err(bad("history events do not follow one another"));
                }
                let allowed = TRANSITIONS.iter().any(|t| {
                    t.from == from
                        && t.action == event.action
                        && t.to == event.to
                        && t.roles.contains(&event.actor.role)
                });
                if !allowed {
                    return Err(bad("history holds a transition the table does not allow"));
                }
            }
            state = event.to;
        }
        if state != self.state {
            return Err(bad("state is not where the history ends"));
        }
        for (i, r) in self.revisions.iter().enumerate() {
            if usize::try_from(r.number).ok() != Some(i + 1) {
                return Err(bad("revisions are not numbered 1, 2, 3…"));
            }
            attachment::check_all(&r.attachments)?;
        }
        let mut total = Decimal::ZERO;
        for p in &self.payments {
            total = total
                .checked_add(p.amount)
                .ok_or_else(|| bad("payments overflow"))?;
        }
        if total != self.paid || self.paid > self.fee.amount {
            return Err(bad(
                "payments do not add up to what is paid, or exceed the fee",
            ));
        }
        Ok(())
    }
}

/// base64url SHA-256 of the JCS form of `{"answers", "attachments"}`: recorded in the audit
/// log instead of the answers themselves, which stay out of the log. A digest lets an auditor
/// confirm a stored revision; it does not hide answers that can be guessed.
fn answers_digest(answers: &Answers, attachments: &[AttachmentRef]) -> Result<String> {
    let mut v = Map::new();
    v.insert(
        "answers".into(),
        serde_json::to_value(answers).map_err(|e| Error::InvalidJson {
            path: "$.answers".into(),
            reason: e.to_string(),
        })?,
    );
    v.insert(
        "attachments".into(),
        serde_json::to_value(attachments).map_err(|e| Error::InvalidJson {
            path: "$.attachments".into(),
            reason: e.to_string(),
        })?,
    );
    Ok(audit::sha256_b64(&json::canonical(&v)?))
}
