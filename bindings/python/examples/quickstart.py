"""Quick start: an urgent passport from quote to a signed, offline-verifiable approval letter.

Quote the fee from the shipped Lesotho catalogue, apply (an invalid phone number is refused
with its field error), pay by M-Pesa in two parts (a retried callback counts once), get signed
receipts, approve with a second officer, issue the approval letter through a signer written in
Python, and verify it from JSON and from its QR text; a tampered copy and a revoked letter fail.

Run (after `pip install ./bindings/python`):  python bindings/python/examples/quickstart.py
The keys come from fixed demo seeds: never use them in production.
"""

import json
import sys

import eservices
from eservices import (
    Actor,
    Application,
    AuditLog,
    Catalogue,
    GovError,
    Issuer,
    NewApplication,
    PaymentInput,
    PaymentLedger,
    Role,
    StatusListManager,
    TimeSource,
    TrustListKey,
    Verifier,
)

NOW = "2026-03-02T08:00:00Z"  # the story's clock; use TimeSource.system() in production
PASSPORT = "home-affairs.passport.ordinary"


class PythonSigner(eservices.Signer):
    """A signer written in Python. In production, call your HSM or key vault here; this demo
    wraps a built-in key made from a public demo seed."""

    def __init__(self, seed: int):
        self._key = eservices.software_signer_from_seed(bytes([seed]) * 32)

    def alg(self):
        return self._key.alg()

    def public_key(self):
        return self._key.public_key()

    def sign(self, message):
        return self._key.sign(message)


def trusted(name, signer, doc_types):
    return TrustListKey(
        name=name,
        alg=signer.alg(),
        public_key=signer.public_key(),
        not_before="2026-01-01T00:00:00Z",
        not_after="2028-01-01T00:00:00Z",
        doc_types=doc_types,
    )


def main() -> int:
    print(f"eservices {eservices.library_version()}")
    clock = TimeSource.fixed(NOW)
    citizen = Actor(id="citizen-1", role=Role.APPLICANT, office="online")
    clerk = Actor(id="officer-17", role=Role.CLERK, office="MSU")
    cashier = Actor(id="officer-30", role=Role.CASHIER, office="MSU")
    approver = Actor(id="officer-99", role=Role.APPROVER, office="MSU")

    catalogue = Catalogue.lesotho()
    quote = catalogue.quote(PASSPORT, {"pages": "64", "urgent": "true"}, "general", "2026-03-02")
    for line in quote.lines:
        print(f"  {line.description:<40} M {line.amount:>8}")
    print(f"  {'TOTAL':<40} M {quote.total:>8}")

    answers = {
        "surname": "Mokoena",
        "given_names": "Lineo",
        "date_of_birth": "1990-05-17",
        "national_id": "012345678901",
        "phone": "12345",  # wrong: refused below
        "pages": "64",
        "urgent": "true",
        "photo": json.dumps(
            {"name": "photo.jpg", "media_type": "image/jpeg", "size": 48213, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
        ),
    }
    log = AuditLog.with_fixed_time("MSU-2026", NOW)
    reference = eservices.format_application_reference("MSU", "PSP", 2026, 123)
    app = Application.create(
        NewApplication(
            reference=reference,
            service_id=PASSPORT,
            applicant_id=citizen.id,
            fee=eservices.application_fee(quote),
            answers=answers,
            attachments=[],
        ),
        citizen,
        log,
    )
    try:
        app.submit(citizen, catalogue, log)
    except GovError.InvalidInput as err:
        for e in err.field_errors:
            print(f"refused: {e.field}: {e.reason}")
    answers["phone"] = "5881 2345"
    app.save_draft(citizen, answers, [], log)
    print(f"{reference}: {app.submit(citizen, catalogue, log).name}")

    till = PythonSigner(9)
    ledger = PaymentLedger(clock, None)
    ledger.open_series("MSU", "2026", till)
    ledger.register_quote(reference, quote.json)
    for code, amount in [("QK71H2XY9A", "300.00"), ("QK71H2XY9P", "500.00")]:
        request = PaymentInput(
            idempotency_key=f"mpesa:{code}",
            office="MSU",
            application=reference,
            quote_id=quote.quote_id,
            channel="mpesa",
            external_reference=code,
            amount=amount,
            currency="LSL",
            cashier=cashier.id,
        )
        paid = ledger.pay(request)
        ledger.pay(request)  # M-Pesa retries its callback: the same receipt, counted once
        app.record_payment(cashier, paid.receipt.id, paid.amount, paid.currency, log)
        print(f"paid M {paid.amount} by {paid.channel}: receipt {paid.receipt.id}")
    print(f"outstanding: M {ledger.balance(reference).outstanding}")

    app.take_into_review(clerk, log)
    try:
        app.approve(Actor(id=clerk.id, role=Role.APPROVER, office="MSU"), log)
    except GovError.Refused as err:
        print(f"the same officer may not approve: {err.code}")
    print(f"a second officer approves: {app.approve(approver, log).name}")

    root = Issuer(eservices.software_signer_from_seed(bytes([1]) * 32), clock)
    ministry_signer = PythonSigner(2)
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
    verifier = Verifier(root.public_key_text(), trust.json, clock)  # what a bank clerk's app holds
    status = StatusListManager("home-affairs-2026-1", 131072)
    entry = status.allocate()
    payload = json.dumps({"application": reference, "surname": "Mokoena", "given_names": "Lineo"})
    letter = ministry.issue("ls.gov.home-affairs.passport-approval", "PSP-APPROVAL-2026-000123", payload, None, entry)
    verifier.add_status_list(status.publish(ministry, "2026-03-09T08:00:00Z").json)

    copies = [
        ("receipt MSU/2026/2 (QR)", ledger.receipts("MSU")[1].qr),
        ("approval letter (JSON)", letter.json),
        ("approval letter (QR)", letter.qr),
        ("tampered letter", letter.json.replace("Lineo", "Palesa")),
    ]
    for name, text in copies:
        print(f"  {name:<28} {describe(verifier.verify(text))}")
    status.revoke(entry.index)
    verifier.add_status_list(status.publish(ministry, "2026-03-09T08:00:00Z").json)
    print(f"  {'revoked letter':<28} {describe(verifier.verify(letter.qr))}")
    return 0


def describe(result) -> str:
    return "VALID" if result.valid else f"INVALID {result.reason_code}"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GovError as err:  # every failure of the library is a GovError with a stable code
        print(f"error {err}", file=sys.stderr)
        sys.exit(1)
