"""Applications, their transitions, the audit log and reference numbers from Python."""

import json

import pytest

import eservices
from eservices import (
    Action,
    Actor,
    Application,
    AuditLog,
    Catalogue,
    Correction,
    FieldErrorCode,
    GovError,
    NewApplication,
    Role,
    State,
)

from conftest import ANSWERS, NOW, PASSPORT, admin, approver, cashier, citizen, clerk, issuer, reviewer


def new_application(lesotho, log, answers, sequence=123):
    quote = lesotho.quote(PASSPORT, {"pages": "64", "urgent": "true"}, "general", "2026-03-02")
    return Application.create(
        NewApplication(
            reference=eservices.format_application_reference("MSU", "PSP", 2026, sequence),
            service_id=PASSPORT,
            applicant_id=citizen.id,
            fee=eservices.application_fee(quote),
            answers=answers,
            attachments=[],
        ),
        citizen,
        log,
    )


def test_an_application_goes_through_every_step(lesotho):
    log = AuditLog.with_fixed_time("MSU-2026", NOW)
    app = new_application(lesotho, log, dict(ANSWERS, phone="12345"))
    assert app.state() == State.DRAFT
    assert app.reference() == "MSU-PSP-2026-000123-U"
    fee = app.fee()
    assert (fee.amount, fee.currency, fee.due) == ("800.00", "LSL", eservices.PaymentDue.UPFRONT)

    # An invalid field: the error lists it; nothing changes.
    with pytest.raises(GovError.InvalidInput) as caught:
        app.submit(citizen, lesotho, log)
    assert caught.value.code == "invalid_answers"
    assert [(e.field, e.code) for e in caught.value.field_errors] == [
        ("phone", FieldErrorCode.INVALID_PHONE)
    ]
    assert (app.state(), log.len()) == (State.DRAFT, 1)

    assert app.save_draft(citizen, ANSWERS, [], log) == State.DRAFT
    assert app.submit(citizen, lesotho, log) == State.SUBMITTED
    assert app.revision_count() == 1

    # Upfront fee: not into review before it is paid.
    with pytest.raises(GovError.Conflict) as caught:
        app.take_into_review(clerk, log)
    assert caught.value.code == "payment_outstanding"
    assert app.record_payment(cashier, "RCPT-1", "300.00", "LSL", log) == State.SUBMITTED
    assert app.outstanding() == "500.00"
    with pytest.raises(GovError.Refused) as caught:
        app.record_payment(cashier, "RCPT-2", "600.00", "LSL", log)
    assert caught.value.code == "overpayment"
    with pytest.raises(GovError.Conflict) as caught:
        app.record_payment(cashier, "RCPT-1", "500.00", "LSL", log)
    assert caught.value.code == "duplicate_payment"
    app.record_payment(cashier, "RCPT-2", "500", "LSL", log)
    assert (app.paid(), app.outstanding()) == ("800.00", "0.00")
    assert [p.payment_ref for p in app.payments()] == ["RCPT-1", "RCPT-2"]

    assert app.take_into_review(clerk, log) == State.UNDER_REVIEW
    corrections = [Correction(field="surname", reason="does not match the ID")]
    assert app.return_for_correction(reviewer, corrections, log) == State.RETURNED_FOR_CORRECTION
    assert app.corrections() == corrections
    fixed = dict(ANSWERS, surname="Mokoena-Thabo")
    assert app.resubmit(citizen, fixed, [], lesotho, log) == State.SUBMITTED
    assert app.revision_count() == 2
    revisions = app.revisions()
    assert revisions[1].answered_corrections == corrections
    assert revisions[1].answers["surname"] == "Mokoena-Thabo"
    assert app.answers() == fixed
    app.take_into_review(clerk, log)

    # Maker-checker: the clerk who took it into review may not approve it.
    entries = log.len()
    with pytest.raises(GovError.Refused) as caught:
        app.approve(Actor(id=clerk.id, role=Role.APPROVER, office="MSU"), log)
    assert caught.value.code == "maker_checker"
    assert "officer-17" in caught.value.detail
    # A reviewer may not approve at all.
    with pytest.raises(GovError.Conflict) as caught:
        app.approve(reviewer, log)
    assert caught.value.code == "transition_refused"
    assert (app.state(), log.len()) == (State.UNDER_REVIEW, entries)

    assert app.approve(approver, log) == State.APPROVED
    assert app.issue(issuer, "PSP-DOC-2026-000123", log) == State.ISSUED
    assert app.document_id() == "PSP-DOC-2026-000123"
    assert app.revoke(admin, "reported stolen", log) == State.REVOKED
    assert app.revocation_reason() == "reported stolen"

    history = app.history()
    assert [e.action for e in history] == [
        Action.CREATE, Action.SAVE_DRAFT, Action.SUBMIT, Action.RECORD_PAYMENT,
        Action.RECORD_PAYMENT, Action.TAKE_INTO_REVIEW, Action.RETURN_FOR_CORRECTION,
        Action.RESUBMIT, Action.TAKE_INTO_REVIEW, Action.APPROVE, Action.ISSUE, Action.REVOKE,
    ]
    assert history[0].from_state is None and history[-1].to_state == State.REVOKED
    assert json.loads(history[3].details_json)["amount"] == "300.00"
    assert [e.audit_seq for e in history] == list(range(len(history)))
    assert history[0].at == NOW

    log.verify()
    app.check_recorded_in(log)
    entries = log.entries()
    assert [e.hash for e in entries] == [e.audit_hash for e in history]
    assert entries[1].prev == entries[0].hash
    assert entries[-1].actor == admin and entries[-1].reference == app.reference()

    back = Application.from_json(app.to_json())
    assert back.history() == history and back.state() == State.REVOKED


def test_withdraw_and_reject(lesotho):
    log = AuditLog("MSU-2026")
    app = new_application(lesotho, log, ANSWERS)
    assert app.withdraw(citizen, None, log) == State.WITHDRAWN
    with pytest.raises(GovError.Conflict) as caught:
        app.submit(citizen, lesotho, log)
    assert caught.value.code == "transition_refused"

    other = new_application(lesotho, log, ANSWERS, sequence=124)
    other.submit(citizen, lesotho, log)
    other.record_payment(cashier, "RCPT-9", "800.00", "LSL", log)
    other.take_into_review(clerk, log)
    assert other.reject(reviewer, "photo is not a likeness", log) == State.REJECTED
    assert other.rejection_reason() == "photo is not a likeness"
    log.verify()
    assert log.len() == 7


def test_only_the_applicant_may_submit(lesotho):
    log = AuditLog("MSU-2026")
    app = new_application(lesotho, log, ANSWERS)
    with pytest.raises(GovError.Refused) as caught:
        app.submit(Actor(id="someone-else", role=Role.APPLICANT, office="online"), lesotho, log)
    assert caught.value.code == "not_the_applicant"
    with pytest.raises(GovError.NotFound) as caught:
        app.submit(citizen, Catalogue.from_json(_one_service_catalogue()), log)
    assert caught.value.code == "unknown_service"


def _one_service_catalogue() -> str:
    lesotho = json.loads(Catalogue.lesotho().to_json())
    lesotho["services"] = [s for s in lesotho["services"] if s["id"] != PASSPORT]
    return json.dumps(lesotho)


def test_a_tampered_audit_log_is_refused_with_index_and_kind(lesotho):
    log = AuditLog.with_fixed_time("MSU-2026", NOW)
    app = new_application(lesotho, log, ANSWERS)
    app.submit(citizen, lesotho, log)
    stored = json.loads(log.to_json())
    stored["entries"][1]["actor"]["id"] = "someone-else"
    with pytest.raises(GovError.Integrity) as caught:
        AuditLog.from_json(json.dumps(stored))
    assert caught.value.code == "audit_log_tampered"
    assert "entry 1 edited" in caught.value.detail

    stored = json.loads(log.to_json())
    del stored["entries"][0]
    with pytest.raises(GovError.Integrity) as caught:
        AuditLog.from_json(json.dumps(stored))
    assert "entry 0 deleted" in caught.value.detail

    again = AuditLog.from_json(log.to_json())
    again.verify()
    assert again.entries() == log.entries()


def test_checkpoints_reveal_truncation(lesotho):
    log = AuditLog.with_fixed_time("MSU-2026", NOW)
    app = new_application(lesotho, log, ANSWERS)
    app.submit(citizen, lesotho, log)
    checkpoint = log.checkpoint_json()
    assert json.loads(checkpoint) == {
        "head_hash": log.head_hash(),
        "log_id": "MSU-2026",
        "seq": 2,
        "time": NOW,
    }
    log.verify_against_checkpoint(checkpoint)

    stored = json.loads(log.to_json())
    stored["entries"].pop()
    truncated = AuditLog.from_json(json.dumps(stored))  # the chain alone looks fine
    with pytest.raises(GovError.Integrity) as caught:
        truncated.verify_against_checkpoint(checkpoint)
    assert caught.value.code == "audit_log_tampered"
    assert "entry 1 truncated" in caught.value.detail

    with pytest.raises(GovError.Integrity) as caught:
        AuditLog("OTHER-LOG").verify_against_checkpoint(checkpoint)
    assert caught.value.code == "checkpoint_mismatch"
    for bad in ("", "{}", '{"log_id": "MSU-2026", "seq": 1.5}', checkpoint + "x"):
        with pytest.raises(GovError.InvalidInput) as caught:
            log.verify_against_checkpoint(bad)
        assert caught.value.code == "invalid_json"


def test_reference_numbers():
    assert eservices.format_application_reference("MSU", "PSP", 2026, 123) == "MSU-PSP-2026-000123-U"
    r = eservices.parse_application_reference(" msu-psp-2026-000123-u ")
    assert (r.text, r.office, r.service, r.year, r.sequence, r.check_char) == (
        "MSU-PSP-2026-000123-U", "MSU", "PSP", 2026, 123, "U"
    )
    assert eservices.is_valid_application_reference("MSU-PSP-2026-000123-U")
    assert not eservices.is_valid_application_reference("MSU-PSP-2026-000132-U")
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.parse_application_reference("MSU-PSP-2026-000132-U")
    assert caught.value.code == "reference_check_failed"
    for bad in ("", "MSU", "MASERU-PSP-2026-000123-U", "x" * 100_000, "MSU-PSP-2026-000123-Ü"):
        with pytest.raises(GovError.InvalidInput) as caught:
            eservices.parse_application_reference(bad)
        assert caught.value.code == "invalid_reference"
        assert len(caught.value.detail) < 300
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.format_application_reference("MSU", "PSP", 2026, 0)
    assert caught.value.code == "invalid_reference"
    with pytest.raises((OverflowError, ValueError)):
        eservices.format_application_reference("MSU", "PSP", 70000, 1)


def test_hostile_inputs_are_refused_with_codes_and_change_nothing(lesotho):
    log = AuditLog("MSU-2026")
    app = new_application(lesotho, log, ANSWERS)
    app.submit(citizen, lesotho, log)
    huge = "x" * (1024 * 1024)
    cases = [
        (lambda: app.record_payment(cashier, "R", "1.5.5", "LSL", log), "invalid_amount"),
        (lambda: app.record_payment(cashier, "R", "abc", "LSL", log), "invalid_amount"),
        (lambda: app.record_payment(cashier, "R", "1e3", "LSL", log), "invalid_amount"),
        (lambda: app.record_payment(cashier, "R", "12.345", "LSL", log), "invalid_amount"),
        (lambda: app.record_payment(cashier, "R", "-5.00", "LSL", log), "invalid_amount"),
        (lambda: app.record_payment(cashier, "R", "5.00", "USD", log), "unknown_currency"),
        (lambda: app.record_payment(cashier, "R", "5.00", huge, log), "unknown_currency"),
        (lambda: app.record_payment(cashier, "", "5.00", "LSL", log), "input_required"),
        (lambda: app.record_payment(cashier, huge, "5.00", "LSL", log), "input_required"),
        (lambda: app.record_payment(Actor(id=huge, role=Role.CASHIER, office="MSU"), "R", "5.00", "LSL", log), "invalid_actor"),
        (lambda: app.record_payment(Actor(id="", role=Role.CASHIER, office="MSU"), "R", "5.00", "LSL", log), "invalid_actor"),
        (lambda: Application.from_json(""), "invalid_json"),
        (lambda: Application.from_json("{"), "invalid_json"),
        (lambda: Application.from_json(huge), "invalid_json"),
        (lambda: AuditLog.from_json('{"log_id": "x", "entries": [1.5]}'), "invalid_json"),
        (lambda: AuditLog(""), "invalid_audit_input"),
        (lambda: AuditLog(huge), "invalid_audit_input"),
        (lambda: AuditLog.with_fixed_time("L", "yesterday"), "invalid_time"),
    ]
    for call, code in cases:
        with pytest.raises(GovError.InvalidInput) as caught:
            call()
        assert caught.value.code == code, caught.value
        assert len(caught.value.detail) < 1000
    assert (app.state(), app.paid(), log.len()) == (State.SUBMITTED, "0", 2)

    stored = json.loads(app.to_json())
    stored["state"] = "issued"
    with pytest.raises(GovError.Integrity) as caught:
        Application.from_json(json.dumps(stored))
    assert caught.value.code == "inconsistent_application"

    with pytest.raises(GovError.InvalidInput) as caught:
        new_application(lesotho, log, ANSWERS, sequence=0)
    assert caught.value.code == "invalid_reference"
    with pytest.raises((TypeError, AttributeError)):  # a Python error, before Rust runs
        app.approve("officer-99", log)  # type: ignore[arg-type]
