"""The durable store from Python: payments, receipts and applications kept in an SQLite file."""

import gc
import json
import sqlite3

import pytest

import eservices
from eservices import (
    Actor,
    Application,
    ApplicationFee,
    Correction,
    GovError,
    NewApplication,
    PaymentDue,
    RecordStore,
    Role,
    State,
    TimeSource,
)

from conftest import ANSWERS, APP, NOW, QUOTE_JSON, approver, citizen, clerk, issuer, payment, receipt_verifier, reviewer, till


def open_store(path):
    store = RecordStore.open(str(path), "MSU-2026", TimeSource.fixed(NOW), None)
    store.open_series("MSU", "2026", till())
    return store


def test_payments_and_applications_survive_a_reopen(tmp_path):
    path = tmp_path / "msu.db"
    store = open_store(path)
    store.register_quote(APP, QUOTE_JSON)
    first = store.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A"))
    second = store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
    assert store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P")) == second
    assert (first.receipt.number, second.receipt.number) == (1, 2)
    created = store.create_application(
        NewApplication(
            reference=APP,
            service_id="home-affairs.passport.ordinary",
            applicant_id="citizen-1",
            fee=ApplicationFee(due=PaymentDue.UPFRONT, amount="800.00", currency="LSL"),
            answers={},
            attachments=[],
        ),
        clerk,
    )
    del store
    gc.collect()  # the power goes off

    store = open_store(path)
    retried = store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
    assert retried == second  # the retry after the restart counts once
    balance = store.balance(APP)
    assert (balance.paid, balance.outstanding) == ("800.00", "0.00")
    receipts = store.receipts("MSU")
    assert [r.id for r in receipts] == ["MSU/2026/1", "MSU/2026/2"]
    assert [r.number for r in store.receipts_of_day("MSU", "2026-03-02")] == [1, 2]
    assert store.receipts_of_day("MSU", "2026-03-03") == []
    z = json.loads(store.z_report_json("MSU", None, eservices.Catalogue.lesotho()))
    assert z["payments"]["by_channel"] == {"mpesa": {"LSL": "800.00"}}
    report = store.audit_series("MSU", receipt_verifier())
    assert report.ok and report.checked == 2 and report.head.number == 2
    store.verify_audit()

    assert store.application_json(APP) == created
    assert eservices.Application.from_json(created).state() == State.DRAFT
    assert store.applications_in("MSU", State.DRAFT) == [APP]
    assert store.applications_in("MSU", State.SUBMITTED) == []
    with pytest.raises(GovError.NotFound) as caught:
        store.application_json(eservices.format_application_reference("MSU", "PSP", 2026, 124))
    assert caught.value.code == "application_not_found"


def test_a_path_that_cannot_hold_a_store_is_a_typed_error(tmp_path):
    clock = TimeSource.fixed(NOW)
    with pytest.raises(GovError) as caught:
        RecordStore.open(str(tmp_path / "no-such-dir" / "msu.db"), "MSU-2026", clock, None)
    assert caught.value.code == "store_failed"
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just some notes\n" * 200, encoding="utf-8")
    with pytest.raises(GovError.Integrity) as caught:
        RecordStore.open(str(text), "MSU-2026", clock, None)
    assert caught.value.code == "store_corrupt"
    store = open_store(tmp_path / "msu.db")
    with pytest.raises(GovError.Conflict) as caught:
        store.open_series("MSU", "2026", till())
    assert caught.value.code == "series_already_open"


def reopen(store, path):
    """Drops the store (the power goes off) and opens the file again."""
    del store
    gc.collect()
    return open_store(path)


def test_a_refund_needs_a_second_officer_and_a_void_keeps_its_number(tmp_path):
    path = tmp_path / "msu.db"
    store = open_store(path)
    store.register_quote(APP, QUOTE_JSON)
    paid = store.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A"))
    receipt = paid.receipt.id
    with pytest.raises(GovError.Refused) as caught:
        store.request_refund(receipt, "300.01", "LSL", "paid twice", "cashier-7")
    assert caught.value.code == "refund_exceeds_refundable"
    request = store.request_refund(receipt, "100", "LSL", "paid twice", "cashier-7")
    assert (request.state, request.amount, request.requested_by) == ("pending", "100.00", "cashier-7")
    store = reopen(store, path)

    with pytest.raises(GovError.Refused) as caught:
        store.approve_refund(request.id, "cashier-7")  # maker-checker: not the requester
    assert caught.value.code == "same_actor_approval"
    note = store.approve_refund(request.id, "supervisor-2")
    assert (note.kind, note.number, note.amount, note.cashier) == ("credit_note", 2, "-100.00", "supervisor-2")
    assert store.refundable(receipt) == "200.00"
    declined = store.request_refund(receipt, "50", "LSL", "typo", "cashier-7")
    store.decline_refund(declined.id, "supervisor-2")
    void = store.void_number("MSU", "cashier-7", "printer jam")
    assert (void.kind, void.number, void.amount, void.currency) == ("void", 3, None, None)
    store = reopen(store, path)

    assert [(r.state, r.decided_by, r.credit_note) for r in store.refund_requests()] == [
        ("approved", "supervisor-2", note.id),
        ("declined", "supervisor-2", None),
    ]
    head = store.head("MSU")
    assert (head.number, head.hash) == (3, void.hash)
    assert [r.kind for r in store.receipts("MSU")] == ["payment", "credit_note", "void"]
    assert store.balance(APP).paid == "200.00"
    report = store.audit_series("MSU", receipt_verifier())
    assert report.ok and report.checked == 3
    store.verify_audit()


def test_an_application_walks_to_issued_through_the_store(tmp_path):
    lesotho_catalogue = eservices.Catalogue.lesotho()
    path = tmp_path / "msu.db"
    cashier = Actor(id="cashier-7", role=Role.CASHIER, office="MSU")  # who took the payment

    def state(text):
        return Application.from_json(text).state()

    store = open_store(path)
    store.register_quote(APP, QUOTE_JSON)
    store.create_application(
        NewApplication(
            reference=APP,
            service_id="home-affairs.passport.ordinary",
            applicant_id=citizen.id,
            fee=ApplicationFee(due=PaymentDue.ON_APPROVAL, amount="800.00", currency="LSL"),
            answers=ANSWERS,
            attachments=[],
        ),
        citizen,
    )
    assert state(store.submit(APP, citizen, lesotho_catalogue)) == State.SUBMITTED
    assert state(store.take_into_review(APP, clerk)) == State.UNDER_REVIEW
    corrections = [Correction(field="surname", reason="does not match the ID")]
    assert state(store.return_for_correction(APP, reviewer, corrections)) == State.RETURNED_FOR_CORRECTION
    store = reopen(store, path)

    fixed = dict(ANSWERS, surname="Mokoena-Thabo")
    assert state(store.resubmit(APP, citizen, fixed, [], lesotho_catalogue)) == State.SUBMITTED
    assert state(store.take_into_review(APP, clerk)) == State.UNDER_REVIEW
    # Maker-checker: the clerk who took it into review may not approve it; nothing is stored.
    before = store.application_json(APP)
    with pytest.raises(GovError.Refused) as caught:
        store.approve(APP, Actor(id=clerk.id, role=Role.APPROVER, office="MSU"))
    assert caught.value.code == "maker_checker"
    assert store.application_json(APP) == before
    assert state(store.approve(APP, approver)) == State.AWAITING_PAYMENT
    with pytest.raises(GovError.Conflict) as caught:
        store.issue(APP, issuer, "PSP-RA0012345")
    assert caught.value.code == "transition_refused"
    store = reopen(store, path)

    paid = store.pay(payment("mpesa:QK71H2XY9P", "800", "mpesa", "QK71H2XY9P"))
    assert state(store.record_payment(APP, cashier, paid.receipt.id, "800.00", "LSL")) == State.APPROVED
    issued = store.issue(APP, issuer, "PSP-RA0012345")
    assert state(issued) == State.ISSUED
    store = reopen(store, path)

    assert store.application_json(APP) == issued
    app = Application.from_json(issued)
    assert [e.action for e in app.history()] == [
        eservices.Action.CREATE,
        eservices.Action.SUBMIT,
        eservices.Action.TAKE_INTO_REVIEW,
        eservices.Action.RETURN_FOR_CORRECTION,
        eservices.Action.RESUBMIT,
        eservices.Action.TAKE_INTO_REVIEW,
        eservices.Action.APPROVE,
        eservices.Action.RECORD_PAYMENT,
        eservices.Action.ISSUE,
    ]
    assert (app.revision_count(), app.document_id(), app.payments()[0].payment_ref) == (2, "PSP-RA0012345", "MSU/2026/1")
    assert store.applications_in("MSU", State.ISSUED) == [APP]
    store.verify_audit()


def test_a_foreign_or_newer_file_is_refused_and_left_alone(tmp_path):
    clock = TimeSource.fixed(NOW)
    foreign = tmp_path / "notes.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    with pytest.raises(GovError.InvalidInput) as caught:
        RecordStore.open(str(foreign), "MSU-2026", clock, None)
    assert caught.value.code == "store_foreign"

    newer = tmp_path / "msu.db"
    store = open_store(newer)
    del store
    gc.collect()
    conn = sqlite3.connect(newer)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version + 1}")  # written by a later library
    conn.close()
    with pytest.raises(GovError.Refused) as caught:
        RecordStore.open(str(newer), "MSU-2026", clock, None)
    assert caught.value.code == "store_too_new"
    conn = sqlite3.connect(newer)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version + 1  # never downgraded
    conn.close()
