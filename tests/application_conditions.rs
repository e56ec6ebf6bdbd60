//! The conditions on allowed transitions: payments, maker-checker, validation, required
//! inputs. Every refusal is typed and leaves the application and the log unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod applications_common;

use applications_common::*;
use eservices::application::*;
use eservices::audit::AuditLog;
use eservices::catalogue::{Answers, FieldError, FieldErrorCode};
use eservices::Error;

/// Runs `f`, expects the error `code`, and checks nothing changed.
fn refused(
    app: &mut Application,
    log: &mut AuditLog,
    code: &str,
    f: impl FnOnce(&mut Application, &mut AuditLog) -> eservices::Result<()>,
) -> Error {
    let before = app.to_json().unwrap();
    let log_before = log.to_json().unwrap();
    let e = f(app, log).unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(app.to_json().unwrap(), before);
    assert_eq!(log.to_json().unwrap(), log_before);
    e
}

#[test]
fn upfront_fee_must_be_paid_in_full_before_review() {
    let (mut app, mut log) = app_in(State::Submitted, PaymentDue::Upfront);
    let clerk = actor(Role::Clerk);
    let cashier = actor(Role::Cashier);
    let e = refused(&mut app, &mut log, "payment_outstanding", |a, l| {
        a.take_into_review(&clerk, l, &clock())
    });
    assert_eq!(
        e,
        Error::PaymentOutstanding {
            reference: "MSU-PSP-2026-000123-U".into(),
            outstanding: "130.00".into(),
            currency: "LSL".into()
        }
    );
    app.record_payment(
        &cashier,
        &Payment::new("P1", lsl(10000), "LSL"),
        &mut log,
        &clock(),
    )
    .unwrap();
    refused(&mut app, &mut log, "payment_outstanding", |a, l| {
        a.take_into_review(&clerk, l, &clock())
    });
    app.record_payment(
        &cashier,
        &Payment::new("P2", lsl(3000), "LSL"),
        &mut log,
        &clock(),
    )
    .unwrap();
    assert_eq!(app.state(), State::Submitted);
    assert!(app.outstanding().is_zero());
    // Paid in full: no further payment is expected.
    refused(&mut app, &mut log, "payment_not_expected", |a, l| {
        a.record_payment(&cashier, &Payment::new("P3", lsl(1), "LSL"), l, &clock())
    });
    app.take_into_review(&clerk, &mut log, &clock()).unwrap();
    // Upfront and paid: approval goes straight to approved.
    app.approve(&actor(Role::Approver), &mut log, &clock())
        .unwrap();
    assert_eq!(app.state(), State::Approved);
}

#[test]
fn fee_due_on_approval_is_not_taken_before_approval() {
    let (mut app, mut log) = app_in(State::Submitted, PaymentDue::OnApproval);
    refused(&mut app, &mut log, "payment_not_expected", |a, l| {
        a.record_payment(
            &actor(Role::Cashier),
            &Payment::new("P1", lsl(13000), "LSL"),
            l,
            &clock(),
        )
    });
}

#[test]
fn payments_are_exact() {
    let (mut app, mut log) = app_in(State::AwaitingPayment, PaymentDue::OnApproval);
    let cashier = actor(Role::Cashier);
    let c = clock();
    refused(&mut app, &mut log, "currency_mismatch", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(13000), "ZAR"), l, &c)
    });
    refused(&mut app, &mut log, "unknown_currency", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(13000), "lsl"), l, &c)
    });
    refused(&mut app, &mut log, "invalid_amount", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(0), "LSL"), l, &c)
    });
    refused(&mut app, &mut log, "invalid_amount", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(-100), "LSL"), l, &c)
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.record_payment(&cashier, &Payment::new(" ", lsl(100), "LSL"), l, &c)
    });
    let e = refused(&mut app, &mut log, "overpayment", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(13001), "LSL"), l, &c)
    });
    assert_eq!(
        e.to_string(),
        "MSU-PSP-2026-000123-U: payment of 130.01 LSL exceeds the 130.00 LSL owed"
    );
    app.record_payment(
        &cashier,
        &Payment::new("P1", lsl(12999), "LSL"),
        &mut log,
        &c,
    )
    .unwrap();
    assert_eq!(app.state(), State::AwaitingPayment);
    refused(&mut app, &mut log, "duplicate_payment", |a, l| {
        a.record_payment(&cashier, &Payment::new("P1", lsl(1), "LSL"), l, &c)
    });
    // Decimal scale does not matter, only value: 0.010 is one lisente.
    app.record_payment(
        &cashier,
        &Payment::new("P2", rust_decimal::Decimal::new(10, 3), "LSL"),
        &mut log,
        &c,
    )
    .unwrap();
    assert_eq!(app.state(), State::Approved);
    assert_eq!(app.paid(), lsl(13000));
    assert_eq!(app.payments().len(), 2);
}

#[test]
fn a_free_service_is_approved_without_payment() {
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = actor(Role::Applicant);
    let c = clock();
    let mut app =
        Application::create(new_app(PaymentDue::OnApproval, 0), &citizen, &mut log, &c).unwrap();
    app.submit(&citizen, &PassportForm, &mut log, &c).unwrap();
    app.take_into_review(&actor(Role::Clerk), &mut log, &c)
        .unwrap();
    app.approve(&actor(Role::Approver), &mut log, &c).unwrap();
    assert_eq!(app.state(), State::Approved);
    app.issue(&actor(Role::IssuingOfficer), "DOC-9", &mut log, &c)
        .unwrap();
    assert_eq!(app.document_id(), Some("DOC-9"));
}

#[test]
fn maker_checker_refuses_anyone_who_took_part() {
    let (mut app, mut log) = app_in(State::ReturnedForCorrection, PaymentDue::OnApproval);
    app.resubmit(
        &actor(Role::Applicant),
        answers("Mokoena", "1990-05-18"),
        vec![],
        &PassportForm,
        &mut log,
        &clock(),
    )
    .unwrap();
    app.take_into_review(&actor(Role::Clerk), &mut log, &clock())
        .unwrap();
    // The reviewer, the clerk and the applicant, now acting as approvers.
    for (id, earlier) in [
        ("reviewer-1", Action::ReturnForCorrection),
        ("clerk-1", Action::TakeIntoReview),
        ("citizen-1", Action::Create),
    ] {
        let same_person = Actor::new(id, Role::Approver, "MSU").unwrap();
        let e = refused(&mut app, &mut log, "maker_checker", |a, l| {
            a.approve(&same_person, l, &clock())
        });
        assert_eq!(
            e,
            Error::MakerChecker {
                reference: "MSU-PSP-2026-000123-U".into(),
                actor_id: id.into(),
                earlier_action: earlier
            }
        );
    }
    app.approve(&actor(Role::Approver), &mut log, &clock())
        .unwrap();
    assert_eq!(app.state(), State::AwaitingPayment);
}

#[test]
fn a_capturing_clerk_may_not_approve() {
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let c = clock();
    let counter = Actor::new("officer-9", Role::Clerk, "MSU").unwrap();
    let citizen = actor(Role::Applicant);
    let mut app =
        Application::create(new_app(PaymentDue::OnApproval, 0), &counter, &mut log, &c).unwrap();
    app.submit(&citizen, &PassportForm, &mut log, &c).unwrap();
    app.take_into_review(&actor(Role::Clerk), &mut log, &c)
        .unwrap();
    let same = Actor::new("officer-9", Role::Approver, "MSU").unwrap();
    let e = refused(&mut app, &mut log, "maker_checker", |a, l| {
        a.approve(&same, l, &c)
    });
    assert!(matches!(
        e,
        Error::MakerChecker {
            earlier_action: Action::Create,
            ..
        }
    ));
}

#[test]
fn answers_must_validate_and_every_error_is_reported() {
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = actor(Role::Applicant);
    let c = clock();
    let mut new = new_app(PaymentDue::OnApproval, 13000);
    new.answers = Answers::new();
    let mut app = Application::create(new, &citizen, &mut log, &c).unwrap();
    let e = refused(&mut app, &mut log, "invalid_answers", |a, l| {
        a.submit(&citizen, &PassportForm, l, &c)
    });
    let Error::InvalidAnswers { errors } = e else {
        panic!()
    };
    assert_eq!(errors.len(), 2);

    app.save_draft(
        &citizen,
        answers("Mokoena", "2031-01-01"),
        vec![],
        &mut log,
        &c,
    )
    .unwrap();
    let e = refused(&mut app, &mut log, "invalid_answers", |a, l| {
        a.submit(&citizen, &PassportForm, l, &c)
    });
    assert_eq!(
        e,
        Error::InvalidAnswers {
            errors: vec![FieldError {
                field: "date_of_birth".into(),
                code: FieldErrorCode::InFuture,
                reason: "in the future".into()
            }]
        }
    );
}

struct OtherService;
impl FormValidator for OtherService {
    fn service_id(&self) -> &str {
        "transport.learner-licence"
    }
    fn validate(&self, _: &Answers, _: chrono::NaiveDate) -> Result<(), Vec<FieldError>> {
        Ok(())
    }
}

#[test]
fn a_validator_for_another_service_is_refused() {
    let (mut app, mut log) = app_in(State::Draft, PaymentDue::OnApproval);
    let citizen = actor(Role::Applicant);
    let e = refused(&mut app, &mut log, "validator_mismatch", |a, l| {
        a.submit(&citizen, &OtherService, l, &clock())
    });
    assert_eq!(
        e,
        Error::ValidatorMismatch {
            service: SERVICE.into(),
            validator_service: "transport.learner-licence".into()
        }
    );
}

#[test]
fn reasons_and_corrections_are_required() {
    let (mut app, mut log) = app_in(State::UnderReview, PaymentDue::OnApproval);
    let reviewer = actor(Role::Reviewer);
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.return_for_correction(&reviewer, vec![], l, &clock())
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.return_for_correction(
            &reviewer,
            vec![Correction::new("surname", " ")],
            l,
            &clock(),
        )
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.return_for_correction(&reviewer, vec![Correction::new("", "why")], l, &clock())
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.reject(&reviewer, "", l, &clock())
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.reject(&reviewer, &"x".repeat(MAX_TEXT + 1), l, &clock())
    });
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.withdraw(&actor(Role::Applicant), Some("\u{7}"), l, &clock())
    });

    let (mut app, mut log) = app_in(State::Approved, PaymentDue::OnApproval);
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.issue(&actor(Role::IssuingOfficer), "  ", l, &clock())
    });
    let (mut app, mut log) = app_in(State::Issued, PaymentDue::OnApproval);
    refused(&mut app, &mut log, "input_required", |a, l| {
        a.revoke(&actor(Role::Approver), "", l, &clock())
    });
}

#[test]
fn bad_attachments_are_refused() {
    let (mut app, mut log) = app_in(State::Draft, PaymentDue::OnApproval);
    let bad = AttachmentRef {
        name: "photo.jpg".into(),
        media_type: "image/jpeg".into(),
        size: 10,
        sha256: "not-a-hash".into(),
    };
    refused(&mut app, &mut log, "invalid_attachment", |a, l| {
        a.save_draft(
            &actor(Role::Applicant),
            answers("M", "1990-01-01"),
            vec![bad],
            l,
            &clock(),
        )
    });
}

#[test]
fn an_invalid_actor_is_refused() {
    let (mut app, mut log) = app_in(State::Submitted, PaymentDue::OnApproval);
    let mut clerk = actor(Role::Clerk);
    clerk.office = String::new();
    refused(&mut app, &mut log, "invalid_actor", |a, l| {
        a.take_into_review(&clerk, l, &clock())
    });
}

#[test]
fn history_must_be_in_the_log_it_names() {
    let (app, log) = app_in(State::UnderReview, PaymentDue::OnApproval);
    app.check_recorded_in(&log).unwrap();
    let other = AuditLog::new("MSU-2026").unwrap();
    assert_eq!(
        app.check_recorded_in(&other).unwrap_err(),
        Error::HistoryNotInLog {
            reference: "MSU-PSP-2026-000123-U".into(),
            event: 0,
            seq: 0
        }
    );
}

#[test]
fn inconsistent_stored_applications_are_refused() {
    let (app, _) = app_in(State::AwaitingPayment, PaymentDue::OnApproval);
    let json = app.to_json().unwrap();
    // Jump the state ahead of the history.
    let ahead = json.replace("\"state\":\"awaiting_payment\"", "\"state\":\"approved\"");
    assert_ne!(ahead, json);
    assert_eq!(
        Application::from_json(&ahead).unwrap_err().code(),
        "inconsistent_application"
    );
    // Plain serde goes through the same check.
    assert!(serde_json::from_str::<Application>(&ahead).is_err());
    assert_eq!(serde_json::from_str::<Application>(&json).unwrap(), app);
    // Claim a payment that is not recorded.
    let paid = json.replace("\"paid\":\"0\"", "\"paid\":\"130.00\"");
    assert_ne!(paid, json);
    assert_eq!(
        Application::from_json(&paid).unwrap_err().code(),
        "inconsistent_application"
    );
    // Unknown members are refused, not ignored.
    let extra = json.replacen('{', "{\"approved_by_minister\":true,", 1);
    assert_eq!(
        Application::from_json(&extra).unwrap_err().code(),
        "invalid_json"
    );
}

#[test]
fn validation_uses_lesotho_today() {
    // 23:30 UTC on 1 March is already 2 March in Maseru: a date of birth of 2 March is
    // today, not in the future.
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = actor(Role::Applicant);
    let late = at("2026-03-01T23:30:00Z");
    let mut new = new_app(PaymentDue::OnApproval, 0);
    new.answers = answers("Mokoena", "2026-03-02");
    let mut app = Application::create(new, &citizen, &mut log, &late).unwrap();
    app.submit(&citizen, &PassportForm, &mut log, &late)
        .unwrap();
    assert_eq!(app.state(), State::Submitted);
}
