"""The durable store from Python: payments, receipts and applications kept in an SQLite file."""

import gc
import json

import pytest

import eservices
from eservices import (
    Actor,
    ApplicationFee,
    GovError,
    Issuer,
    NewApplication,
    PaymentDue,
    PaymentInput,
    RecordStore,
    Role,
    State,
    TimeSource,
    TrustListKey,
    Verifier,
)

from conftest import REPO

NOW = "2026-03-02T08:00:00Z"
APP = "MSU-PSP-2026-000123-U"
QUOTE_JSON = (REPO / "bindings" / "testdata" / "quote-passport-64-urgent.json").read_text(encoding="utf-8").strip()
QUOTE_ID = json.loads(QUOTE_JSON)["quote_id"]


def till():
    return eservices.software_signer_from_seed(bytes([9]) * 32)


def open_store(path):
    store = RecordStore.open(str(path), "MSU-2026", TimeSource.fixed(NOW), None)
    store.open_series("MSU", "2026", till())
    return store


def payment(key, amount, reference):
    return PaymentInput(
        idempotency_key=key,
        office="MSU",
        application=APP,
        quote_id=QUOTE_ID,
        channel="mpesa",
        external_reference=reference,
        amount=amount,
        currency="LSL",
        cashier="cashier-7",
    )


def receipt_verifier():
    clock = TimeSource.fixed(NOW)
    root = Issuer(eservices.software_signer_from_seed(bytes([1]) * 32), clock)
    key = till()
    trust = root.sign_trust_list(
        "Government of Lesotho",
        1,
        [
            TrustListKey(
                name="Maseru till",
                alg=key.alg(),
                public_key=key.public_key(),
                not_before="2026-01-01T00:00:00Z",
                not_after="2027-01-01T00:00:00Z",
                doc_types=["ls.gov.eservices.receipt"],
            )
        ],
        None,
    )
    return Verifier(root.public_key_text(), trust.json, clock)


def test_payments_and_applications_survive_a_reopen(tmp_path):
    path = tmp_path / "msu.db"
    store = open_store(path)
    store.register_quote(APP, QUOTE_JSON)
    first = store.pay(payment("mpesa:QK71H2XY9A", "300.00", "QK71H2XY9A"))
    second = store.pay(payment("mpesa:QK71H2XY9P", "500", "QK71H2XY9P"))
    assert store.pay(payment("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")) == second
    assert (first.receipt.number, second.receipt.number) == (1, 2)
    clerk = Actor(id="officer-17", role=Role.CLERK, office="MSU")
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
    retried = store.pay(payment("mpesa:QK71H2XY9P", "500", "QK71H2XY9P"))
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
