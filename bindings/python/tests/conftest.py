"""Shared fixtures for the eservices Python binding tests (run by bindings/python/test.sh):
the clock's time, the passport service with answers its form accepts and the officers who
handle it, the bindings' quote fixture with a payment of it, and the till's key with a
verifier that trusts it."""

import json
import pathlib
import re

import pytest

import eservices
from eservices import Actor, Issuer, PaymentInput, Role, TimeSource, TrustListKey, Verifier

REPO = pathlib.Path(__file__).resolve().parents[3]

NOW = "2026-03-02T08:00:00Z"
PASSPORT = "home-affairs.passport.ordinary"
APP = "MSU-PSP-2026-000123-U"
QUOTE_JSON = (REPO / "bindings" / "testdata" / "quote-passport-64-urgent.json").read_text(encoding="utf-8").strip()
QUOTE_ID = json.loads(QUOTE_JSON)["quote_id"]

PHOTO = json.dumps(
    {
        "name": "photo.jpg",
        "media_type": "image/jpeg",
        "size": 48213,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    }
)
# Answers the shipped catalogue's passport form accepts (64 pages, urgent: M 800.00).
ANSWERS = {
    "surname": "Mokoena",
    "given_names": "Lineo",
    "date_of_birth": "1990-05-17",
    "national_id": "012345678901",
    "phone": "5881 2345",
    "pages": "64",
    "urgent": "true",
    "photo": PHOTO,
}

citizen = Actor(id="citizen-1", role=Role.APPLICANT, office="online")
clerk = Actor(id="officer-17", role=Role.CLERK, office="MSU")
cashier = Actor(id="officer-30", role=Role.CASHIER, office="MSU")
reviewer = Actor(id="officer-21", role=Role.REVIEWER, office="MSU")
approver = Actor(id="officer-99", role=Role.APPROVER, office="MSU")
issuer = Actor(id="officer-40", role=Role.ISSUING_OFFICER, office="MSU")
admin = Actor(id="admin-1", role=Role.ADMINISTRATOR, office="HQ")


def payment(key, amount, channel="cash", reference=None, currency="LSL"):
    """A payment of the fixture quote for APP, at MSU by cashier-7."""
    return PaymentInput(
        idempotency_key=key,
        office="MSU",
        application=APP,
        quote_id=QUOTE_ID,
        channel=channel,
        external_reference=reference,
        amount=amount,
        currency=currency,
        cashier="cashier-7",
    )


def till():
    """The MSU till's key."""
    return eservices.software_signer_from_seed(bytes([9]) * 32)


def receipt_verifier():
    """A verifier whose trust list holds the till's key for receipts."""
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


@pytest.fixture(scope="session")
def lesotho() -> eservices.Catalogue:
    """The shipped Lesotho catalogue."""
    return eservices.Catalogue.lesotho()


@pytest.fixture(scope="session")
def cargo_version() -> str:
    """The version in the crate's Cargo.toml ([package] section)."""
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', package, re.MULTILINE)
    assert match, "no version in Cargo.toml"
    return match.group(1)
