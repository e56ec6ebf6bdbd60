//! The full story of one passport application, then every way of tampering with its audit
//! log, each detected at the right index.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod applications_common;

use applications_common::*;
use eservices::application::*;
use eservices::audit::{AuditEntry, AuditLog, Checkpoint, TamperKind};
use eservices::Error;
use serde_json::Value;

/// Drafted, submitted, returned for a wrong date of birth, resubmitted, approved by a second
/// officer, paid, issued, later revoked. Answers are validated by the shipped catalogue's
/// passport form.
fn passport_story() -> (Application, AuditLog) {
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let clerk = Actor::new("officer-1", Role::Clerk, "MSU").unwrap();
    let reviewer = Actor::new("officer-2", Role::Reviewer, "MSU").unwrap();
    let approver = Actor::new("officer-3", Role::Approver, "MSU").unwrap();
    let cashier = Actor::new("officer-4", Role::Cashier, "MSU").unwrap();
    let issuer = Actor::new("officer-5", Role::IssuingOfficer, "MSU").unwrap();
    let admin = Actor::new("admin-1", Role::Administrator, "HQ").unwrap();

    let mut new = new_app(PaymentDue::OnApproval, 80000); // 64 pages, urgent: M800.00
    new.answers = answers("Mokoena", "");
    let mut app =
        Application::create(new, &citizen, &mut log, &at("2026-03-02T08:00:00Z")).unwrap();
    app.save_draft(
        &citizen,
        answers("Mokoena", "1990-07-15"),
        vec![AttachmentRef::new(
            "birth-certificate.pdf",
            "application/pdf",
            120_331,
            "4f8e6b2d9a1c3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f",
        )
        .unwrap()],
        &mut log,
        &at("2026-03-02T08:05:00Z"),
    )
    .unwrap();
    app.submit(
        &citizen,
        catalogue().service(SERVICE).unwrap(),
        &mut log,
        &at("2026-03-02T08:06:00Z"),
    )
    .unwrap();
    app.take_into_review(&clerk, &mut log, &at("2026-03-02T09:00:00Z"))
        .unwrap();
    app.return_for_correction(
        &reviewer,
        vec![Correction::new(
            "date_of_birth",
            "does not match the birth certificate (1990-05-17)",
        )],
        &mut log,
        &at("2026-03-02T10:00:00Z"),
    )
    .unwrap();
    assert_eq!(app.state(), State::ReturnedForCorrection);
    assert_eq!(app.corrections().len(), 1);

    let attachments = app.attachments().to_vec();
    app.resubmit(
        &citizen,
        answers("Mokoena", "1990-05-17"),
        attachments,
        catalogue().service(SERVICE).unwrap(),
        &mut log,
        &at("2026-03-03T07:30:00Z"),
    )
    .unwrap();
    app.take_into_review(&clerk, &mut log, &at("2026-03-03T08:00:00Z"))
        .unwrap();

    // The reviewer may not also approve, even holding the approver role.
    let reviewer_as_approver = Actor::new("officer-2", Role::Approver, "MSU").unwrap();
    let e = app
        .approve(&reviewer_as_approver, &mut log, &at("2026-03-03T09:00:00Z"))
        .unwrap_err();
    assert_eq!(e.code(), "maker_checker");

    app.approve(&approver, &mut log, &at("2026-03-03T09:30:00Z"))
        .unwrap();
    assert_eq!(app.state(), State::AwaitingPayment);
    let e = app
        .issue(
            &issuer,
            "LS-PSP-A1234567",
            &mut log,
            &at("2026-03-03T09:40:00Z"),
        )
        .unwrap_err();
    assert_eq!(e.code(), "transition_refused");

    app.record_payment(
        &cashier,
        &Payment::new("RCPT-2026-000042", lsl(30000), "LSL"),
        &mut log,
        &at("2026-03-03T10:00:00Z"),
    )
    .unwrap();
    assert_eq!(app.state(), State::AwaitingPayment);
    assert_eq!(app.outstanding(), lsl(50000));
    app.record_payment(
        &cashier,
        &Payment::new("RCPT-2026-000043", lsl(50000), "LSL"),
        &mut log,
        &at("2026-03-03T10:05:00Z"),
    )
    .unwrap();
    assert_eq!(app.state(), State::Approved);

    app.issue(
        &issuer,
        "LS-PSP-A1234567",
        &mut log,
        &at("2026-03-05T11:00:00Z"),
    )
    .unwrap();
    app.revoke(
        &admin,
        "reported stolen (police case 2026/311)",
        &mut log,
        &at("2026-09-01T12:00:00Z"),
    )
    .unwrap();
    (app, log)
}

#[test]
fn the_story_is_recorded_and_verifies() {
    let (app, log) = passport_story();
    assert_eq!(app.state(), State::Revoked);
    assert_eq!(app.revision_count(), 2);
    let revs = app.revisions();
    assert_eq!(revs[0].answers["date_of_birth"], "1990-07-15");
    assert_eq!(revs[1].answers["date_of_birth"], "1990-05-17");
    assert_eq!(revs[1].answered_corrections[0].field, "date_of_birth");
    assert_eq!(app.document_id(), Some("LS-PSP-A1234567"));
    assert_eq!(
        app.revocation_reason(),
        Some("reported stolen (police case 2026/311)")
    );
    assert_eq!(app.paid(), lsl(80000));

    let actions: Vec<&str> = log.entries().iter().map(|e| e.action.as_str()).collect();
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
            "record_payment",
            "issue",
            "revoke"
        ]
    );
    // The refused attempts left no trace.
    assert_eq!(log.len(), app.history().len());
    log.verify().unwrap();
    app.check_recorded_in(&log).unwrap();

    // Answers stay out of the log; only their digest is there.
    let log_json = log.to_json().unwrap();
    assert!(!log_json.contains("1990-07-15"));
    assert!(!log_json.contains("Mokoena"));
    assert!(log_json.contains("answers_sha256"));
    assert!(log_json.contains("\"corrections\":[{\"field\":\"date_of_birth\""));

    // Both round-trip through JSON.
    let app2 = Application::from_json(&app.to_json().unwrap()).unwrap();
    assert_eq!(app2, app);
    let log2 = AuditLog::from_json(&log_json).unwrap();
    assert_eq!(log2, log);
    log2.verify().unwrap();
    app2.check_recorded_in(&log2).unwrap();
}

// ---- tampering ------------------------------------------------------------------------------

fn entries_json(log: &AuditLog) -> (Value, Vec<Value>) {
    let mut whole: Value = serde_json::from_str(&log.to_json().unwrap()).unwrap();
    let entries = whole["entries"].as_array_mut().unwrap().clone();
    (whole, entries)
}

fn rebuilt(whole: &Value, entries: Vec<Value>) -> AuditLog {
    let mut whole = whole.clone();
    whole["entries"] = Value::Array(entries);
    AuditLog::from_json(&whole.to_string()).unwrap()
}

fn tamper(index: usize, kind: TamperKind) -> Result<(), Error> {
    Err(Error::AuditLogTampered {
        index: index as u64,
        kind,
    })
}

#[test]
fn editing_any_entry_is_detected_at_that_entry() {
    let (_, log) = passport_story();
    let (whole, entries) = entries_json(&log);
    type Edit = (&'static str, fn(&mut Value));
    let edits: [Edit; 6] = [
        ("time", |e| e["time"] = "2026-01-01T00:00:00Z".into()),
        ("actor", |e| e["actor"]["id"] = "officer-3".into()),
        ("role", |e| e["actor"]["role"] = "auditor".into()),
        ("action", |e| e["action"] = "approve".into()),
        ("reference", |e| {
            e["reference"] = "MSU-PSP-2026-000124-S".into()
        }),
        ("details", |e| {
            e["details"]["to"] = "rejected".into();
        }),
    ];
    for i in 0..entries.len() {
        for (what, edit) in &edits {
            let mut changed = entries.clone();
            let before = changed[i].clone();
            edit(&mut changed[i]);
            if changed[i] == before {
                continue; // the edit happens to be a no-op for this entry
            }
            let tampered = rebuilt(&whole, changed);
            assert_eq!(
                tampered.verify(),
                tamper(i, TamperKind::Edited),
                "edit of {what} at {i}"
            );
        }
    }
}

#[test]
fn an_edit_with_a_recomputed_hash_is_detected_at_that_entry() {
    let (_, log) = passport_story();
    let checkpoint = Checkpoint::of(&log, &at("2026-09-02T00:00:00Z")).unwrap();
    let n = log.len();
    for i in 0..n {
        let mut entries = log.entries().to_vec();
        entries[i]
            .details
            .insert("note".into(), "inserted later".into());
        entries[i].hash = entries[i].computed_hash().unwrap();
        let (whole, _) = entries_json(&log);
        let values = entries
            .iter()
            .map(|e| serde_json::to_value(e).unwrap())
            .collect();
        let tampered = rebuilt(&whole, values);
        if i + 1 < n {
            assert_eq!(tampered.verify(), tamper(i, TamperKind::Edited), "at {i}");
        } else {
            // The last entry has no successor to contradict it: only a checkpoint can.
            tampered.verify().unwrap();
            assert_eq!(
                tampered.verify_against(&checkpoint),
                tamper(i, TamperKind::Edited)
            );
        }
    }
}

#[test]
fn deleting_inserting_and_reordering_are_detected_at_the_right_index() {
    let (_, log) = passport_story();
    let (whole, entries) = entries_json(&log);
    let n = entries.len();

    for i in 0..n - 1 {
        let mut v = entries.clone();
        v.remove(i);
        assert_eq!(
            rebuilt(&whole, v).verify(),
            tamper(i, TamperKind::Deleted),
            "delete {i}"
        );
    }

    for i in 0..n - 1 {
        let mut v = entries.clone();
        v.swap(i, i + 1);
        assert_eq!(
            rebuilt(&whole, v).verify(),
            tamper(i, TamperKind::Reordered),
            "swap {i}"
        );
    }

    // Move entry 2 to the end.
    let mut v = entries.clone();
    let moved = v.remove(2);
    v.push(moved);
    assert_eq!(
        rebuilt(&whole, v).verify(),
        tamper(2, TamperKind::Reordered)
    );

    // A well-formed forgery: right seq, chained to the entry before, correct own hash.
    let approver = Actor::new("officer-9", Role::Approver, "MSU").unwrap();
    for i in 0..n {
        let prev = if i == 0 {
            eservices::audit::genesis_hash("MSU-2026").unwrap()
        } else {
            log.entries()[i - 1].hash.clone()
        };
        let mut forged = AuditEntry {
            seq: i as u64,
            time: log.entries()[i].time,
            actor: approver.clone(),
            action: "approve".into(),
            reference: "MSU-PSP-2026-000123-U".into(),
            details: Default::default(),
            prev,
            hash: String::new(),
        };
        forged.hash = forged.computed_hash().unwrap();
        let mut v = entries.clone();
        v.insert(i, serde_json::to_value(&forged).unwrap());
        assert_eq!(
            rebuilt(&whole, v).verify(),
            tamper(i, TamperKind::Inserted),
            "forge {i}"
        );
    }

    // A replayed copy of an earlier entry.
    for i in 1..=n {
        let mut v = entries.clone();
        v.insert(i, entries[0].clone());
        assert_eq!(
            rebuilt(&whole, v).verify(),
            tamper(i, TamperKind::Inserted),
            "replay {i}"
        );
    }
}

#[test]
fn truncation_is_detected_against_a_checkpoint() {
    let (_, log) = passport_story();
    let checkpoint = Checkpoint::of(&log, &at("2026-09-02T00:00:00Z")).unwrap();
    log.verify_against(&checkpoint).unwrap();
    let (whole, entries) = entries_json(&log);
    for keep in 0..entries.len() {
        let truncated = rebuilt(&whole, entries[..keep].to_vec());
        truncated.verify().unwrap();
        assert_eq!(
            truncated.verify_against(&checkpoint),
            tamper(keep, TamperKind::Truncated),
            "keep {keep}"
        );
    }
    // Entries appended after the checkpoint are fine.
    let mut longer = log.clone();
    longer
        .append(
            &Actor::new("auditor-1", Role::Auditor, "HQ").unwrap(),
            "audit_review",
            "MSU-PSP-2026-000123-U",
            Default::default(),
            &at("2026-09-03T00:00:00Z"),
        )
        .unwrap();
    longer.verify_against(&checkpoint).unwrap();
}

#[test]
fn a_log_under_another_id_fails_at_entry_zero() {
    let (_, log) = passport_story();
    let json = log.to_json().unwrap().replacen("MSU-2026", "MSU-2027", 1);
    let renamed = AuditLog::from_json(&json).unwrap();
    assert_eq!(renamed.verify(), tamper(0, TamperKind::Edited));
}

/// Submission goes through the catalogue's own form: every bad answer is reported at once and
/// the application stays a draft.
#[test]
fn submission_is_validated_by_the_catalogue_form() {
    let mut log = AuditLog::new("MSU-2026").unwrap();
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let mut new = new_app(PaymentDue::OnApproval, 80000);
    let mut bad = answers("Mokoena", "2031-01-01"); // in the future
    bad.insert("phone".into(), "12345".into());
    bad.insert("pages".into(), "48".into());
    new.answers = bad;
    let mut app =
        Application::create(new, &citizen, &mut log, &at("2026-03-02T08:00:00Z")).unwrap();
    let before = app.to_json().unwrap();
    let entries = log.entries().len();
    let err = app
        .submit(
            &citizen,
            catalogue().service(SERVICE).unwrap(),
            &mut log,
            &at("2026-03-02T08:06:00Z"),
        )
        .unwrap_err();
    let Error::InvalidAnswers { errors } = err else {
        panic!("expected invalid answers, got {err:?}");
    };
    let mut got: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("date_of_birth", "in_future"),
            ("pages", "not_a_choice"),
            ("phone", "invalid_phone")
        ]
    );
    assert_eq!(app.to_json().unwrap(), before);
    assert_eq!(log.entries().len(), entries);
}
