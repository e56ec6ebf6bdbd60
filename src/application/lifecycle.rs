//! The operations that move an application, each checked in full before anything changes.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::payment::check_currency;
use super::{
    answers_digest, attachment, Action, Actor, Application, AttachmentRef, AuditPointer,
    Correction, FormValidator, HistoryEvent, NewApplication, Payment, PaymentDue, PaymentRecord,
    Revision, Role, State, CREATE_ROLES, MAX_TEXT, TRANSITIONS,
};
use crate::audit::AuditLog;
use crate::catalogue::Answers;
use crate::clock::lesotho_offset;
use crate::{Clock, Error, Result};

type Details = Map<String, Value>;

fn text(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

/// A required free text (reason, document id, payment reference): not blank, at most
/// [`MAX_TEXT`] characters, no control characters other than line breaks.
fn required(action: Action, input: &str, value: &str) -> Result<()> {
    let ok = !value.trim().is_empty()
        && value.chars().count() <= MAX_TEXT
        && !value.chars().any(|c| c.is_control() && c != '\n');
    if ok {
        Ok(())
    } else {
        Err(Error::InputRequired {
            action,
            input: format!("{input} (1 to {MAX_TEXT} characters, no control characters)"),
        })
    }
}

fn validate(
    app: &Application,
    validator: &dyn FormValidator,
    answers: &Answers,
    today: NaiveDate,
) -> Result<()> {
    if validator.service_id() != app.service_id {
        return Err(Error::ValidatorMismatch {
            service: app.service_id.clone(),
            validator_service: validator.service_id().to_string(),
        });
    }
    validator
        .validate(answers, today)
        .map_err(|errors| Error::InvalidAnswers { errors })
}

/// The context a change runs in.
struct Step<'a> {
    now: DateTime<Utc>,
    today: NaiveDate,
    by: &'a Actor,
    details: Details,
}

impl Step<'_> {
    /// Checks a required free text of `action` ([`required`]) and records it in the audit
    /// details as `input`.
    fn record_text(&mut self, action: Action, input: &str, value: &str) -> Result<()> {
        required(action, input, value)?;
        self.details.insert(input.into(), text(value));
        Ok(())
    }
}

impl Application {
    /// Opens a draft, by the applicant themself or by a clerk capturing it on their behalf
    /// ([`CREATE_ROLES`]); records `create` in the log.
    pub fn create(
        new: NewApplication,
        by: &Actor,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<Application> {
        by.check()?;
        if !CREATE_ROLES.contains(&by.role) {
            return Err(Error::CreateRefused { role: by.role });
        }
        Actor::new(
            new.applicant_id.as_str(),
            Role::Applicant,
            by.office.as_str(),
        )?;
        if by.role == Role::Applicant && by.id != new.applicant_id {
            return Err(Error::NotTheApplicant {
                reference: new.reference.to_string(),
                actor_id: by.id.clone(),
            });
        }
        let service_ok = !new.service_id.is_empty()
            && new.service_id.len() <= 128
            && new.service_id.bytes().all(|b| b.is_ascii_graphic());
        if !service_ok {
            return Err(Error::InputRequired {
                action: Action::Create,
                input: "service_id (1 to 128 printable ASCII characters)".into(),
            });
        }
        new.fee.check()?;
        attachment::check_all(&new.attachments)?;

        let now = clock.now();
        let mut details = Details::new();
        details.insert("service_id".into(), text(new.service_id.as_str()));
        details.insert("applicant_id".into(), text(new.applicant_id.as_str()));
        details.insert("fee".into(), text(new.fee.amount.to_string()));
        details.insert("currency".into(), text(new.fee.currency.as_str()));
        details.insert("payment_due".into(), due_name(new.fee.due));
        details.insert("to".into(), text(State::Draft.as_str()));
        let reference = new.reference.to_string();
        let log_id = log.log_id().to_string();
        let entry = log.append_at(
            by,
            Action::Create.as_str(),
            &reference,
            details.clone(),
            now,
        )?;
        let audit = AuditPointer {
            log_id,
            seq: entry.seq,
            hash: entry.hash.clone(),
        };
        Ok(Application {
            reference: new.reference,
            service_id: new.service_id,
            applicant_id: new.applicant_id,
            state: State::Draft,
            fee: new.fee,
            paid: Decimal::ZERO,
            payments: Vec::new(),
            answers: new.answers,
            attachments: new.attachments,
            revisions: Vec::new(),
            corrections: Vec::new(),
            rejection_reason: None,
            document_id: None,
            revocation_reason: None,
            history: vec![HistoryEvent {
                at: now,
                actor: by.clone(),
                action: Action::Create,
                from: None,
                to: State::Draft,
                details,
                audit,
            }],
        })
    }

    /// The one path for every transition: table check, ownership check, then `change` on a
    /// copy (which checks the action's own conditions and returns the new state), then the
    /// audit entry, then the copy replaces `self`. Any error before the last step leaves
    /// `self` and `log` unchanged.
    fn act(
        &mut self,
        by: &Actor,
        action: Action,
        log: &mut AuditLog,
        clock: &dyn Clock,
        change: impl FnOnce(&mut Application, &mut Step<'_>) -> Result<State>,
    ) -> Result<()> {
        let refused = Error::TransitionRefused {
            state: self.state,
            action,
            role: by.role,
        };
        if !super::transition_allowed(self.state, action, by.role) {
            return Err(refused);
        }
        by.check()?;
        if by.role == Role::Applicant && by.id != self.applicant_id {
            return Err(Error::NotTheApplicant {
                reference: self.reference.to_string(),
                actor_id: by.id.clone(),
            });
        }
        let mut next = self.clone();
        let now = clock.now();
        let mut step = Step {
            now,
            // Lesotho's date at the same instant as `now` (one reading of the clock).
            today: now.with_timezone(&lesotho_offset()).date_naive(),
            by,
            details: Details::new(),
        };
        let to = change(&mut next, &mut step)?;
        let in_table = TRANSITIONS
            .iter()
            .any(|t| t.from == self.state && t.action == action && t.to == to);
        if !in_table {
            return Err(refused);
        }
        let mut details = step.details;
        details.insert("from".into(), text(self.state.as_str()));
        details.insert("to".into(), text(to.as_str()));
        let reference = self.reference.to_string();
        let log_id = log.log_id().to_string();
        let entry = log.append_at(by, action.as_str(), &reference, details.clone(), step.now)?;
        next.history.push(HistoryEvent {
            at: step.now,
            actor: by.clone(),
            action,
            from: Some(self.state),
            to,
            details,
            audit: AuditPointer {
                log_id,
                seq: entry.seq,
                hash: entry.hash.clone(),
            },
        });
        next.state = to;
        *self = next;
        Ok(())
    }

    /// Replaces a draft's answers and attachments (applicant; `draft → draft`).
    pub fn save_draft(
        &mut self,
        by: &Actor,
        answers: Answers,
        attachments: Vec<AttachmentRef>,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::SaveDraft, log, clock, |app, step| {
            attachment::check_all(&attachments)?;
            step.details.insert(
                "answers_sha256".into(),
                text(answers_digest(&answers, &attachments)?),
            );
            app.answers = answers;
            app.attachments = attachments;
            Ok(State::Draft)
        })
    }

    /// Submits the draft (applicant; `draft → submitted`). The answers must validate with
    /// `validator`, which must be the application's service's ([`Error::InvalidAnswers`],
    /// [`Error::ValidatorMismatch`]); they become revision 1.
    pub fn submit(
        &mut self,
        by: &Actor,
        validator: &dyn FormValidator,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Submit, log, clock, |app, step| {
            validate(app, validator, &app.answers, step.today)?;
            attachment::check_all(&app.attachments)?;
            let answers = app.answers.clone();
            let attachments = app.attachments.clone();
            app.new_revision(step, answers, attachments)?;
            Ok(State::Submitted)
        })
    }

    /// Resubmits corrected answers (applicant; `returned_for_correction → submitted`). They
    /// must validate; they become a new revision, earlier revisions are kept, and the
    /// outstanding corrections are recorded as answered.
    pub fn resubmit(
        &mut self,
        by: &Actor,
        answers: Answers,
        attachments: Vec<AttachmentRef>,
        validator: &dyn FormValidator,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Resubmit, log, clock, |app, step| {
            validate(app, validator, &answers, step.today)?;
            attachment::check_all(&attachments)?;
            app.new_revision(step, answers, attachments)?;
            Ok(State::Submitted)
        })
    }

    fn new_revision(
        &mut self,
        step: &mut Step<'_>,
        answers: Answers,
        attachments: Vec<AttachmentRef>,
    ) -> Result<()> {
        let number = u32::try_from(self.revisions.len())
            .ok()
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| Error::Overflow {
                operation: "revision count".into(),
            })?;
        step.details.insert("revision".into(), Value::from(number));
        step.details.insert(
            "answers_sha256".into(),
            text(answers_digest(&answers, &attachments)?),
        );
        let answered = std::mem::take(&mut self.corrections);
        if !answered.is_empty() {
            let fields: Vec<Value> = answered.iter().map(|c| text(c.field.as_str())).collect();
            step.details
                .insert("corrected_fields".into(), Value::Array(fields));
        }
        self.answers = answers.clone();
        self.attachments = attachments.clone();
        self.revisions.push(Revision {
            number,
            answers,
            attachments,
            submitted_at: step.now,
            answered_corrections: answered,
        });
        Ok(())
    }

    /// Withdraws the application before a decision (applicant; from `draft`, `submitted`,
    /// `under_review` or `returned_for_correction` to `withdrawn`). The reason is optional.
    pub fn withdraw(
        &mut self,
        by: &Actor,
        reason: Option<&str>,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Withdraw, log, clock, |_, step| {
            if let Some(reason) = reason {
                step.record_text(Action::Withdraw, "reason", reason)?;
            }
            Ok(State::Withdrawn)
        })
    }

    /// Takes a submitted application into review (clerk; `submitted → under_review`). A fee
    /// due upfront must be paid in full ([`Error::PaymentOutstanding`]).
    pub fn take_into_review(
        &mut self,
        by: &Actor,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::TakeIntoReview, log, clock, |app, _| {
            if app.fee.due == PaymentDue::Upfront {
                app.require_paid()?;
            }
            Ok(State::UnderReview)
        })
    }

    /// Returns the application for correction with per-field reasons (reviewer;
    /// `under_review → returned_for_correction`). At least one correction; every field and
    /// reason non-blank.
    pub fn return_for_correction(
        &mut self,
        by: &Actor,
        corrections: Vec<Correction>,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::ReturnForCorrection, log, clock, |app, step| {
            if corrections.is_empty() {
                return Err(Error::InputRequired {
                    action: Action::ReturnForCorrection,
                    input: "at least one correction".into(),
                });
            }
            let mut listed = Vec::new();
            for c in &corrections {
                required(Action::ReturnForCorrection, "correction field", &c.field)?;
                required(Action::ReturnForCorrection, "correction reason", &c.reason)?;
                let mut item = Map::new();
                item.insert("field".into(), text(c.field.as_str()));
                item.insert("reason".into(), text(c.reason.as_str()));
                listed.push(Value::Object(item));
            }
            step.details
                .insert("corrections".into(), Value::Array(listed));
            app.corrections = corrections;
            Ok(State::ReturnedForCorrection)
        })
    }

    /// Rejects the application with a reason (reviewer; `under_review → rejected`).
    pub fn reject(
        &mut self,
        by: &Actor,
        reason: &str,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Reject, log, clock, |app, step| {
            step.record_text(Action::Reject, "reason", reason)?;
            app.rejection_reason = Some(reason.to_string());
            Ok(State::Rejected)
        })
    }

    /// Approves the application (approver; `under_review → approved`, or
    /// `→ awaiting_payment` when a fee due on approval is owed).
    ///
    /// **Maker-checker**: the approver must not have taken any earlier action on this
    /// application — captured it, taken it into review, reviewed it, recorded a payment, or
    /// applied — whatever role they acted in then ([`Error::MakerChecker`]).
    pub fn approve(&mut self, by: &Actor, log: &mut AuditLog, clock: &dyn Clock) -> Result<()> {
        self.act(by, Action::Approve, log, clock, |app, step| {
            if let Some(earlier) = app.history.iter().find(|e| e.actor.id == step.by.id) {
                return Err(Error::MakerChecker {
                    reference: app.reference.to_string(),
                    actor_id: step.by.id.clone(),
                    earlier_action: earlier.action,
                });
            }
            if step.by.id == app.applicant_id {
                return Err(Error::MakerChecker {
                    reference: app.reference.to_string(),
                    actor_id: step.by.id.clone(),
                    earlier_action: Action::Create,
                });
            }
            let outstanding = app.outstanding();
            if outstanding.is_zero() {
                return Ok(State::Approved);
            }
            if app.fee.due == PaymentDue::OnApproval {
                step.details
                    .insert("outstanding".into(), text(outstanding.to_string()));
                return Ok(State::AwaitingPayment);
            }
            app.require_paid()?;
            Ok(State::Approved)
        })
    }

    /// Records a payment (cashier). In `submitted`, only for a fee due upfront; in
    /// `awaiting_payment`, the payment that completes the fee moves the application to
    /// `approved`. The currency must be the fee's, the amount positive and no more than is
    /// owed, and the payment reference new to this application.
    pub fn record_payment(
        &mut self,
        by: &Actor,
        payment: &Payment,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::RecordPayment, log, clock, |app, step| {
            let reference = app.reference.to_string();
            let outstanding = app.outstanding();
            let expected = match app.state {
                State::Submitted => app.fee.due == PaymentDue::Upfront,
                State::AwaitingPayment => true,
                _ => false,
            };
            if !expected || outstanding.is_zero() {
                return Err(Error::PaymentNotExpected {
                    reference,
                    state: app.state,
                });
            }
            required(Action::RecordPayment, "payment_ref", &payment.payment_ref)?;
            check_currency(&payment.currency)?;
            if payment.currency != app.fee.currency {
                return Err(Error::CurrencyMismatch {
                    left: app.fee.currency.clone(),
                    right: payment.currency.clone(),
                });
            }
            if payment.amount <= Decimal::ZERO {
                return Err(Error::InvalidAmount {
                    value: payment.amount.to_string(),
                    reason: "a payment must be positive".into(),
                });
            }
            if app
                .payments
                .iter()
                .any(|p| p.payment_ref == payment.payment_ref)
            {
                return Err(Error::DuplicatePayment {
                    reference,
                    payment_ref: payment.payment_ref.clone(),
                });
            }
            if payment.amount > outstanding {
                return Err(Error::Overpayment {
                    reference,
                    outstanding: outstanding.to_string(),
                    offered: payment.amount.to_string(),
                    currency: app.fee.currency.clone(),
                });
            }
            app.paid = app
                .paid
                .checked_add(payment.amount)
                .ok_or_else(|| Error::Overflow {
                    operation: "add payment".into(),
                })?;
            app.payments.push(PaymentRecord {
                payment_ref: payment.payment_ref.clone(),
                amount: payment.amount,
                at: step.now,
                recorded_by: step.by.id.clone(),
            });
            let d = &mut step.details;
            d.insert("payment_ref".into(), text(payment.payment_ref.as_str()));
            d.insert("amount".into(), text(payment.amount.to_string()));
            d.insert("currency".into(), text(payment.currency.as_str()));
            d.insert("paid".into(), text(app.paid.to_string()));
            d.insert("outstanding".into(), text(app.outstanding().to_string()));
            Ok(match app.state {
                State::AwaitingPayment if app.outstanding().is_zero() => State::Approved,
                other => other,
            })
        })
    }

    /// Marks the application issued, recording the issued document's id (issuing officer;
    /// `approved → issued`). Nothing may be owed.
    pub fn issue(
        &mut self,
        by: &Actor,
        document_id: &str,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Issue, log, clock, |app, step| {
            step.record_text(Action::Issue, "document_id", document_id)?;
            app.require_paid()?;
            app.document_id = Some(document_id.to_string());
            Ok(State::Issued)
        })
    }

    /// Revokes the issued document with a reason (approver or administrator;
    /// `issued → revoked`).
    pub fn revoke(
        &mut self,
        by: &Actor,
        reason: &str,
        log: &mut AuditLog,
        clock: &dyn Clock,
    ) -> Result<()> {
        self.act(by, Action::Revoke, log, clock, |app, step| {
            step.record_text(Action::Revoke, "reason", reason)?;
            if let Some(doc) = &app.document_id {
                step.details
                    .insert("document_id".into(), text(doc.as_str()));
            }
            app.revocation_reason = Some(reason.to_string());
            Ok(State::Revoked)
        })
    }

    fn require_paid(&self) -> Result<()> {
        let outstanding = self.outstanding();
        if outstanding.is_zero() {
            Ok(())
        } else {
            Err(Error::PaymentOutstanding {
                reference: self.reference.to_string(),
                outstanding: outstanding.to_string(),
                currency: self.fee.currency.clone(),
            })
        }
    }
}

fn due_name(due: PaymentDue) -> Value {
    text(match due {
        PaymentDue::Upfront => "upfront",
        PaymentDue::OnApproval => "on_approval",
    })
}
