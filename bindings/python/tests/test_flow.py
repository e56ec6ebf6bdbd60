"""The full flow from Python (issue 7): catalogue, quote, application, payments, receipts,
a signed approval through a Python signer, verification from JSON and QR, tampering, revocation."""

import json

import pytest

import eservices
from eservices import (
    Actor,
    Application,
    AuditLog,
    Catalogue,
    FieldErrorCode,
    GovError,
    Issuer,
    NewApplication,
    PaymentInput,
    PaymentLedger,
    Reason,
    Role,
    State,
    StatusListManager,
    TimeSource,
    TrustListKey,
    Verifier,
)

from conftest import ANSWERS, NOW, PASSPORT, admin, approver, cashier, citizen, clerk, issuer
from test_signing import PythonSigner  # the ministry's signer in Python: a deployment would call its HSM


def trusted(name, signer, doc_types):
    return TrustListKey(
        name=name,
        alg=signer.alg(),
        public_key=signer.public_key(),
        not_before="2026-01-01T00:00:00Z",
        not_after="2028-01-01T00:00:00Z",
        doc_types=doc_types,
    )


def test_full_flow():
    clock = TimeSource.fixed(NOW)

    # The catalogue and the quote: a 64-page urgent passport is M 800.00.
    catalogue = Catalogue.lesotho()
    quote = catalogue.quote(PASSPORT, {"pages": "64", "urgent": "true"}, "general", "2026-03-02")
    assert (quote.total, quote.currency) == ("800.00", "LSL")
    assert [(l.description, l.amount) for l in quote.lines] == [
        ("Passport booklet (64 pages)", "300.00"),
        ("Urgent processing", "500.00"),
    ]

    # The application, submitted with one invalid field, then fixed.
    log = AuditLog.with_fixed_time("MSU-2026", NOW)
    app = Application.create(
        NewApplication(
            reference=eservices.format_application_reference("MSU", "PSP", 2026, 123),
            service_id=PASSPORT,
            applicant_id=citizen.id,
            fee=eservices.application_fee(quote),
            answers=dict(ANSWERS, phone="12345"),
            attachments=[],
        ),
        citizen,
        log,
    )
    with pytest.raises(GovError.InvalidInput) as caught:
        app.submit(citizen, catalogue, log)
    assert caught.value.code == "invalid_answers"
    assert [(e.field, e.code) for e in caught.value.field_errors] == [("phone", FieldErrorCode.INVALID_PHONE)]
    app.save_draft(citizen, ANSWERS, [], log)
    assert app.submit(citizen, catalogue, log) == State.SUBMITTED

    # Payment by M-Pesa in two parts; the second callback is retried and counts once.
    till = PythonSigner(bytes([9]) * 32)
    ledger = PaymentLedger(clock, None)
    ledger.open_series("MSU", "2026", till)
    ledger.register_quote(app.reference(), quote.json)

    def mpesa(code, amount):
        return PaymentInput(
            idempotency_key=f"mpesa:{code}",
            office="MSU",
            application=app.reference(),
            quote_id=quote.quote_id,
            channel="mpesa",
            external_reference=code,
            amount=amount,
            currency="LSL",
            cashier=cashier.id,
        )

    for code, amount in [("QK71H2XY9A", "300.00"), ("QK71H2XY9P", "500.00")]:
        paid = ledger.pay(mpesa(code, amount))
        assert ledger.pay(mpesa(code, amount)) == paid  # the retried callback
        app.record_payment(cashier, paid.receipt.id, paid.amount, paid.currency, log)
    balance = ledger.balance(app.reference())
    assert (balance.paid, balance.outstanding) == ("800.00", "0.00")
    assert (app.paid(), app.outstanding()) == ("800.00", "0.00")
    receipts = ledger.receipts("MSU")
    assert [(r.id, r.amount) for r in receipts] == [("MSU/2026/1", "300.00"), ("MSU/2026/2", "500.00")]

    # Review and approval by a second officer (maker-checker).
    assert app.take_into_review(clerk, log) == State.UNDER_REVIEW
    with pytest.raises(GovError.Refused) as caught:
        app.approve(Actor(id=clerk.id, role=Role.APPROVER, office="MSU"), log)
    assert caught.value.code == "maker_checker"
    assert app.approve(approver, log) == State.APPROVED

    # Keys: a pinned root signs the trust list naming the ministry's (Python) signer and the till.
    root = Issuer(eservices.software_signer_from_seed(bytes([1]) * 32), clock)
    ministry_signer = PythonSigner(bytes([2]) * 32)
    ministry = Issuer(ministry_signer, clock)
    trust = root.sign_trust_list(
        "Government of Lesotho",
        1,
        [
            trusted("Ministry of Home Affairs", ministry_signer, ["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"]),
            trusted("Maseru passport office till", till, ["ls.gov.eservices.receipt"]),
        ],
        None,
    )
    verifier = Verifier(root.public_key_text(), trust.json, clock)
    for r in receipts:
        assert verifier.verify(r.json).valid and verifier.verify(r.qr).valid
    assert ledger.audit_series("MSU", verifier).ok

    # The approval letter, signed through the Python signer, with a revocation entry.
    status = StatusListManager("home-affairs-2026-1", 131072)
    entry = status.allocate()
    payload = json.dumps(
        {
            "application": app.reference(),
            "service": PASSPORT,
            "surname": "Mokoena",
            "given_names": "Lineo",
            "fee": {"amount": quote.total, "currency": quote.currency},
            "receipts": [r.id for r in receipts],
        }
    )
    letter = ministry.issue("ls.gov.home-affairs.passport-approval", "PSP-APPROVAL-2026-000123", payload, None, entry)
    assert ministry_signer.calls == 1
    verifier.add_status_list(status.publish(ministry, "2026-03-09T08:00:00Z").json)
    for text in (letter.json, letter.qr):
        result = verifier.verify(text)
        assert result.valid, result.detail
        assert result.document.issuer == "Ministry of Home Affairs"
        assert json.loads(result.document.payload)["application"] == "MSU-PSP-2026-000123-U"
    assert app.issue(issuer, letter.id, log) == State.ISSUED

    # A tampered copy fails.
    tampered = verifier.verify(letter.json.replace("Lineo", "Palesa"))
    assert (tampered.valid, tampered.reason, tampered.reason_code) == (False, Reason.BAD_SIGNATURE, "bad_signature")

    # Revoked: a new status list is published and the letter no longer verifies.
    status.revoke(entry.index)
    verifier.add_status_list(status.publish(ministry, "2026-03-09T08:00:00Z").json)
    revoked = verifier.verify(letter.qr)
    assert (revoked.valid, revoked.reason_code) == (False, "revoked")
    assert app.revoke(admin, "passport reported stolen", log) == State.REVOKED

    # The day's books and the audit log.
    z = json.loads(ledger.z_report_json("MSU", None, catalogue))
    assert z["payments"]["by_channel"] == {"mpesa": {"LSL": "800.00"}}
    assert z["count"] == 2
    log.verify()
    app.check_recorded_in(log)
