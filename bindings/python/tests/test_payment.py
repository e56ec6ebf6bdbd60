"""Payments and receipts from Python: the ledger, receipts, refunds, audit, Z-report, reconciliation."""

import json

import pytest

import eservices
from eservices import GovError, PaymentLedger, StatementEntry, TimeSource

from conftest import APP, NOW, QUOTE_JSON, payment, receipt_verifier


class TillSigner(eservices.Signer):
    """The till's signer, in Python (wrapping a built-in key)."""

    def __init__(self):
        self._key = eservices.software_signer_from_seed(bytes([9]) * 32)

    def alg(self):
        return self._key.alg()

    def public_key(self):
        return self._key.public_key()

    def sign(self, message):
        return self._key.sign(message)


@pytest.fixture()
def ledger():
    ledger = PaymentLedger(TimeSource.fixed(NOW), None)
    ledger.open_series("MSU", "2026", TillSigner())
    ledger.register_quote(APP, QUOTE_JSON)
    return ledger


@pytest.fixture()
def verifier():
    return receipt_verifier()


def test_two_part_mpesa_payment_with_a_retry_counts_once(ledger, verifier):
    first = ledger.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A"))
    second = ledger.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
    retried = ledger.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
    assert retried == second
    assert (first.receipt.number, second.receipt.number) == (1, 2)
    assert second.receipt.id == "MSU/2026/2" and second.amount == "500.00" and second.channel == "mpesa"
    balance = ledger.balance(APP)
    assert (balance.owed, balance.paid, balance.outstanding, balance.credit) == ("800.00", "800.00", "0.00", "0.00")
    receipts = ledger.receipts("MSU")
    assert [r.number for r in receipts] == [1, 2]
    for r in receipts:
        assert verifier.verify(r.json).valid and verifier.verify(r.qr).valid
    assert ledger.audit_series("MSU", verifier).ok
    with pytest.raises(GovError.Conflict) as caught:
        ledger.pay(payment("mpesa:QK71H2XY9P", "400", "mpesa", "QK71H2XY9P"))
    assert caught.value.code == "idempotency_conflict"


def test_refund_void_audit_report_and_reconciliation(ledger, verifier):
    paid = ledger.pay(payment("k1", "800", "mpesa", "QK1"))
    request = ledger.request_refund(paid.receipt.id, "100.00", "LSL", "charged twice", "cashier-7")
    with pytest.raises(GovError.Refused) as caught:
        ledger.approve_refund(request.id, "cashier-7")
    assert caught.value.code == "same_actor_approval"
    note = ledger.approve_refund(request.id, "supervisor-2")
    assert (note.kind, note.amount, note.number) == ("credit_note", "-100.00", 2)
    assert ledger.refundable(paid.receipt.id) == "700.00"
    assert ledger.refund_requests()[0].state == "approved"
    void = ledger.void_number("MSU", "cashier-7", "printer jam")
    assert (void.kind, void.amount) == ("void", None)

    texts = [r.json for r in ledger.receipts("MSU")]
    assert eservices.audit_receipts(texts, verifier, "MSU", "2026", None, None).ok
    report = eservices.audit_receipts([texts[0], texts[2]], verifier, None, None, None, None)
    assert not report.ok and report.problem.kind == "gap" and report.problem.index == 1
    edited = eservices.audit_receipts([texts[0].replace("QK1", "QK2"), texts[1]], verifier, None, None, None, None)
    assert edited.problem.kind in ("bad_signature", "edited_content")

    z = json.loads(ledger.z_report_json("MSU", "2026-03-02", eservices.Catalogue.lesotho()))
    assert z["payments"]["by_channel"] == {"mpesa": {"LSL": "800.00"}}
    assert z["voids"] == [3]

    statement = [
        StatementEntry(external_reference="QK1", amount="800.00", currency="LSL", time="2026-03-02T08:00:05Z"),
        StatementEntry(external_reference="QK9", amount="50.00", currency="LSL", time="2026-03-02T09:00:00Z"),
    ]
    rec = ledger.reconcile("MSU", "mpesa", statement)
    assert not rec.balanced
    assert [(l.kind, l.external_reference) for l in rec.lines] == [("matched", "QK1"), ("missing_in_ledger", "QK9")]


HUGE = "9" * (1 << 20)


@pytest.mark.parametrize(
    "amount,currency,code",
    [
        ("1.5.5", "LSL", "invalid_amount"),
        ("abc", "LSL", "invalid_amount"),
        ("1e3", "LSL", "invalid_amount"),
        ("12.345", "LSL", "invalid_amount"),
        ("", "LSL", "invalid_amount"),
        (" 10", "LSL", "invalid_amount"),
        (HUGE, "LSL", "invalid_amount"),
        ("0", "LSL", "invalid_payment_request"),
        ("-10", "LSL", "invalid_payment_request"),
        ("10", "XYZ", "unknown_currency"),
        ("10", "lsl", "unknown_currency"),
        ("10", "", "unknown_currency"),
    ],
)
def test_bad_amounts_are_typed_errors(ledger, amount, currency, code):
    with pytest.raises(GovError) as caught:
        ledger.pay(payment("k", amount, "cash", None, currency))
    assert caught.value.code == code
    assert len(str(caught.value)) < 1000
    assert ledger.receipts("MSU") == []  # a refused payment changes nothing


@pytest.mark.parametrize("channel", ["BITCOIN", "bitcoin", "mpessa", "M-Pesa", "m pesa", "", "a/b", "x" * 40])
def test_bad_channels_are_typed_errors(ledger, channel):
    with pytest.raises(GovError.InvalidInput) as caught:
        ledger.pay(payment("k", "10", channel, "REF1"))
    assert caught.value.code == "invalid_payment_request"


def test_other_bad_requests(ledger):
    cases = [
        (lambda: ledger.pay(payment("", "10")), "invalid_payment_request"),
        (lambda: ledger.pay(payment("k" * 200_000, "10")), "invalid_payment_request"),
        (lambda: ledger.pay(payment("k", "10", "mpesa", None)), "invalid_payment_request"),
        (lambda: ledger.register_quote("APP-2", "{"), "invalid_json"),
        (lambda: ledger.register_quote("APP-2", "[]"), "invalid_json"),
        (lambda: ledger.register_quote("APP-2", '{"quote_id": "x"}'), "invalid_json"),
        (lambda: ledger.register_quote("APP-2", QUOTE_JSON.replace('"800.00"', '"8.00"')), "quote_id_mismatch"),
        (lambda: ledger.register_quote("APP-2", "x" * (2 << 20)), "invalid_json"),
        (lambda: ledger.balance("nobody"), "unknown_application"),
        (lambda: ledger.receipts("ZZZ"), "unknown_office"),
        (lambda: ledger.open_series("MSU", "2026", TillSigner()), "series_already_open"),
        (lambda: ledger.open_series("MSU/HQ", "2026", TillSigner()), "invalid_payment_request"),
        (lambda: ledger.z_report_json("MSU", "2026-02-30", eservices.Catalogue.lesotho()), "invalid_time"),
        (lambda: ledger.approve_refund("RF-99", "supervisor-2"), "unknown_refund_request"),
    ]
    for call, code in cases:
        with pytest.raises(GovError) as caught:
            call()
        assert caught.value.code == code, caught.value
