//! Helpers shared by the application integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use eservices::application::*;
use eservices::audit::AuditLog;
use eservices::catalogue::{Answers, FieldError, FieldErrorCode};
use eservices::FixedClock;
use rust_decimal::Decimal;

pub const SERVICE: &str = "home-affairs.passport.ordinary";

/// A small stand-in for the catalogue's form validation: surname required, date of birth
/// required, a date, and not in the future.
pub struct PassportForm;

impl FormValidator for PassportForm {
    fn service_id(&self) -> &str {
        SERVICE
    }

    fn validate(&self, answers: &Answers, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if answers.get("surname").is_none_or(|s| s.trim().is_empty()) {
            errors.push(FieldError {
                field: "surname".into(),
                code: FieldErrorCode::Required,
                reason: "required".into(),
            });
        }
        match answers.get("date_of_birth") {
            None => errors.push(FieldError {
                field: "date_of_birth".into(),
                code: FieldErrorCode::Required,
                reason: "required".into(),
            }),
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Err(_) => errors.push(FieldError {
                    field: "date_of_birth".into(),
                    code: FieldErrorCode::InvalidType,
                    reason: "not a date".into(),
                }),
                Ok(d) if d > today => errors.push(FieldError {
                    field: "date_of_birth".into(),
                    code: FieldErrorCode::InFuture,
                    reason: "in the future".into(),
                }),
                Ok(_) => {}
            },
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A complete 64-page urgent passport form (valid against the shipped Lesotho catalogue when
/// `surname` and `dob` are), with the given surname and date of birth.
pub fn answers(surname: &str, dob: &str) -> Answers {
    let mut a = Answers::new();
    for (k, v) in [
        ("surname", surname),
        ("given_names", "Lineo"),
        ("date_of_birth", dob),
        ("national_id", "0123456789"),
        ("pages", "64"),
        ("urgent", "true"),
        ("phone", "+266 5881 2345"),
        (
            "photo",
            r#"{"media_type":"image/jpeg","name":"photo.jpg","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","size":48213}"#,
        ),
    ] {
        a.insert(k.into(), v.into());
    }
    a
}

/// The shipped Lesotho catalogue (its services validate their own forms).
pub fn catalogue() -> &'static eservices::catalogue::Catalogue {
    static C: std::sync::OnceLock<eservices::catalogue::Catalogue> = std::sync::OnceLock::new();
    C.get_or_init(|| eservices::catalogue::Catalogue::lesotho().unwrap())
}

pub fn clock() -> FixedClock {
    FixedClock::parse("2026-03-02T08:00:00Z").unwrap()
}

pub fn at(time: &str) -> FixedClock {
    FixedClock::parse(time).unwrap()
}

/// One actor per role, each with its own id.
pub fn actor(role: Role) -> Actor {
    let id = match role {
        Role::Applicant => "citizen-1",
        Role::Clerk => "clerk-1",
        Role::Reviewer => "reviewer-1",
        Role::Approver => "approver-1",
        Role::Cashier => "cashier-1",
        Role::IssuingOfficer => "issuer-1",
        Role::Auditor => "auditor-1",
        Role::Administrator => "admin-1",
    };
    let office = if role == Role::Applicant {
        "online"
    } else {
        "MSU"
    };
    Actor::new(id, role, office).unwrap()
}

pub fn lsl(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

pub fn new_app(due: PaymentDue, fee_cents: i64) -> NewApplication {
    NewApplication {
        reference: ApplicationRef::new("MSU", "PSP", 2026, 123).unwrap(),
        service_id: SERVICE.into(),
        applicant_id: "citizen-1".into(),
        fee: Fee::new(due, lsl(fee_cents), "LSL").unwrap(),
        answers: answers("Mokoena", "1990-05-17"),
        attachments: vec![],
    }
}

/// An application brought to `state` along the shortest path, with a fee of M130.00 due
/// `due`. (For `Submitted` with `Upfront`, the fee is still unpaid.)
pub fn app_in(state: State, due: PaymentDue) -> (Application, AuditLog) {
    let c = clock();
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = actor(Role::Applicant);
    let mut app = Application::create(new_app(due, 13000), &citizen, &mut log, &c).unwrap();
    let go = |app: &mut Application, log: &mut AuditLog, to: State| {
        match to {
            State::Draft => {}
            State::Submitted => app.submit(&citizen, &PassportForm, log, &c).unwrap(),
            State::UnderReview => {
                if due == PaymentDue::Upfront && !app.outstanding().is_zero() {
                    let p = Payment::new("PAY-UP", lsl(13000), "LSL");
                    app.record_payment(&actor(Role::Cashier), &p, log, &c)
                        .unwrap();
                }
                app.take_into_review(&actor(Role::Clerk), log, &c).unwrap()
            }
            State::ReturnedForCorrection => app
                .return_for_correction(
                    &actor(Role::Reviewer),
                    vec![Correction::new("date_of_birth", "does not match")],
                    log,
                    &c,
                )
                .unwrap(),
            State::Rejected => app
                .reject(&actor(Role::Reviewer), "forged", log, &c)
                .unwrap(),
            State::Withdrawn => app.withdraw(&citizen, None, log, &c).unwrap(),
            State::AwaitingPayment | State::Approved => {
                if app.state() == State::UnderReview {
                    app.approve(&actor(Role::Approver), log, &c).unwrap();
                }
                if to == State::Approved && app.state() == State::AwaitingPayment {
                    let p = Payment::new("PAY-1", lsl(13000), "LSL");
                    app.record_payment(&actor(Role::Cashier), &p, log, &c)
                        .unwrap();
                }
            }
            State::Issued => app
                .issue(&actor(Role::IssuingOfficer), "DOC-1", log, &c)
                .unwrap(),
            State::Revoked => app
                .revoke(&actor(Role::Administrator), "lost", log, &c)
                .unwrap(),
        }
        assert_eq!(app.state(), to, "path to {to}");
    };
    let path: &[State] = match state {
        State::Draft => &[],
        State::Submitted => &[State::Submitted],
        State::UnderReview => &[State::Submitted, State::UnderReview],
        State::ReturnedForCorrection => &[
            State::Submitted,
            State::UnderReview,
            State::ReturnedForCorrection,
        ],
        State::Rejected => &[State::Submitted, State::UnderReview, State::Rejected],
        State::Withdrawn => &[State::Withdrawn],
        State::AwaitingPayment => &[State::Submitted, State::UnderReview, State::AwaitingPayment],
        State::Approved => &[
            State::Submitted,
            State::UnderReview,
            State::AwaitingPayment,
            State::Approved,
        ],
        State::Issued => &[
            State::Submitted,
            State::UnderReview,
            State::AwaitingPayment,
            State::Approved,
            State::Issued,
        ],
        State::Revoked => &[
            State::Submitted,
            State::UnderReview,
            State::AwaitingPayment,
            State::Approved,
            State::Issued,
            State::Revoked,
        ],
    };
    for s in path {
        go(&mut app, &mut log, *s);
    }
    (app, log)
}

/// Takes `action` as `by` with inputs that satisfy every condition of an allowed row.
pub fn perform(
    app: &mut Application,
    action: Action,
    by: &Actor,
    log: &mut AuditLog,
) -> eservices::Result<()> {
    let c = at("2026-03-03T09:00:00Z");
    match action {
        Action::Create => panic!("create is not a transition"),
        Action::SaveDraft => app.save_draft(by, answers("Mokoena", "1990-05-17"), vec![], log, &c),
        Action::Submit => app.submit(by, &PassportForm, log, &c),
        Action::Withdraw => app.withdraw(by, Some("no longer needed"), log, &c),
        Action::TakeIntoReview => app.take_into_review(by, log, &c),
        Action::ReturnForCorrection => {
            app.return_for_correction(by, vec![Correction::new("surname", "spelling")], log, &c)
        }
        Action::Resubmit => app.resubmit(
            by,
            answers("Mokoena", "1990-05-18"),
            vec![],
            &PassportForm,
            log,
            &c,
        ),
        Action::Reject => app.reject(by, "not eligible", log, &c),
        Action::Approve => app.approve(by, log, &c),
        Action::RecordPayment => {
            let owed = app.outstanding();
            app.record_payment(by, &Payment::new("PAY-T", owed, "LSL"), log, &c)
        }
        Action::Issue => app.issue(by, "DOC-T", log, &c),
        Action::Revoke => app.revoke(by, "issued in error", log, &c),
    }
}
