"""Signed documents from Python: a Python Signer, built-in keys, trust and status lists, verification."""

import pytest

import eservices
from eservices import Alg, GovError, Issuer, Reason, StatusListManager, TimeSource, TrustListKey, Verifier

from conftest import NOW


class PythonSigner(eservices.Signer):
    """A signer implemented in Python: here it wraps a built-in key, as an HSM client would wrap its device."""

    def __init__(self, seed: bytes):
        self._key = eservices.software_signer_from_seed(seed)
        self.calls = 0

    def alg(self) -> Alg:
        return Alg.ED25519

    def public_key(self) -> bytes:
        return self._key.public_key()

    def sign(self, message: bytes) -> bytes:
        self.calls += 1
        return self._key.sign(message)


class RaisingSigner(PythonSigner):
    def __init__(self, error: Exception):
        super().__init__(bytes([5]) * 32)
        self.error = error

    def sign(self, message: bytes) -> bytes:
        raise self.error


def key(issuer: Issuer, name: str, doc_types: list[str]) -> TrustListKey:
    return TrustListKey(
        name=name,
        alg=issuer.alg(),
        public_key=issuer.public_key(),
        not_before="2026-01-01T00:00:00Z",
        not_after="2028-01-01T00:00:00Z",
        doc_types=doc_types,
    )


def ministry_world():
    """A government root key, the Ministry of Home Affairs issuing through a Python signer, and
    the root's trust list naming the ministry: (clock, root, signer, ministry, trust)."""
    clock = TimeSource.fixed(NOW)
    root = Issuer(eservices.software_signer_from_seed(bytes([1]) * 32), clock)
    signer = PythonSigner(bytes([2]) * 32)
    ministry = Issuer(signer, clock)
    trust = root.sign_trust_list(
        "Government of Lesotho",
        1,
        [key(ministry, "Ministry of Home Affairs", ["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"])],
        None,
    )
    return clock, root, signer, ministry, trust


@pytest.fixture()
def world():
    clock, root, signer, ministry, trust = ministry_world()
    verifier = Verifier(root.public_key_text(), trust.json, clock)
    return clock, root, ministry, signer, verifier


def test_a_python_signer_issues_documents_that_verify(world):
    _, _, ministry, signer, verifier = world
    doc = ministry.issue("ls.gov.home-affairs.permit", "P-1", '{"holder": "Palesa"}', None, None)
    assert signer.calls == 1
    assert doc.kid == ministry.kid() and doc.iat == NOW
    for text in (doc.json, doc.qr):
        result = verifier.verify(text)
        assert result.valid, result.detail
        assert result.reason is None and result.reason_code is None
        assert result.document.issuer == "Ministry of Home Affairs"
        assert result.document.payload == '{"holder":"Palesa"}'


def test_tampering_and_revocation(world):
    _, _, ministry, _, verifier = world
    lists = StatusListManager("home-affairs-1", 131072)
    entry = lists.allocate()
    doc = ministry.issue("ls.gov.home-affairs.permit", "P-2", '{"holder": "Lineo"}', None, entry)
    forged = verifier.verify(doc.json.replace("Lineo", "Palesa"))
    assert (forged.valid, forged.reason, forged.reason_code) == (False, Reason.BAD_SIGNATURE, "bad_signature")
    assert verifier.verify(doc.json).reason_code == "status_unknown"
    verifier.add_status_list(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
    assert verifier.verify(doc.qr).valid
    lists.revoke(entry.index)
    assert lists.is_revoked(entry.index)
    verifier.add_status_list(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
    revoked = verifier.verify(doc.qr)
    assert (revoked.valid, revoked.reason_code) == (False, "revoked")
    assert eservices.reason_code(Reason.REVOKED) == "revoked"
    # In bulk: one call, each result the one-at-a-time result, in order.
    plain = ministry.issue("ls.gov.home-affairs.permit", "P-3", "{}", None, None)
    texts = [plain.json, doc.qr, "not a document", plain.json.replace("P-3", "P-4")]
    results = verifier.verify_all(texts)
    assert results == [verifier.verify(t) for t in texts]
    assert [r.reason_code for r in results] == [None, "revoked", "malformed", "bad_signature"]
    assert verifier.verify_all([]) == []


def test_a_status_list_survives_a_restart(world):
    lists = StatusListManager("home-affairs-2", 131072)
    entry = lists.allocate()
    lists.revoke(entry.index)
    again = StatusListManager.restore("home-affairs-2", 131072, lists.allocated_bits(), lists.revoked_bits())
    assert again.is_revoked(entry.index)
    with pytest.raises(GovError.InvalidInput) as caught:
        again.revoke(131072)
    assert caught.value.code == "status_index_out_of_range"


@pytest.mark.parametrize("alg", [Alg.ED25519, Alg.ES256])
def test_generated_keys_round_trip_through_pkcs8(alg):
    pkcs8 = eservices.generate_pkcs8(alg)
    a = eservices.software_signer_from_pkcs8(alg, pkcs8)
    b = eservices.software_signer_from_pkcs8(alg, pkcs8)
    assert a.public_key() == b.public_key()
    assert eservices.public_key_text(alg, a.public_key()).startswith(("Ed25519 ", "ES256 "))
    assert len(a.sign(b"m")) == 64


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("HSM offline"),
        ValueError("bad PIN"),
        GovError.Refused(code="pin_locked", detail="too many attempts"),
    ],
)
def test_a_signer_that_raises_is_a_typed_error(error):
    issuer = Issuer(RaisingSigner(error), TimeSource.fixed(NOW))
    with pytest.raises(GovError.Internal) as caught:
        issuer.issue("ls.gov.t", "1", "{}", None, None)
    assert caught.value.code == "signer_failed"
    # The host's own words reach the caller (shortened), for the log.
    assert ("HSM offline" in caught.value.detail) or ("bad PIN" in caught.value.detail) or (
        "pin_locked" in caught.value.detail
    )


def test_a_signer_without_a_public_key_is_refused_up_front():
    class NoKey(PythonSigner):
        def public_key(self) -> bytes:
            raise OSError("keystore locked")

    with pytest.raises(GovError.Internal) as caught:
        Issuer(NoKey(bytes([3]) * 32), TimeSource.fixed(NOW))
    assert caught.value.code == "signer_failed"


def test_a_signer_returning_garbage_is_caught():
    class Garbage(PythonSigner):
        def sign(self, message: bytes) -> bytes:
            return b"\0" * 64

    issuer = Issuer(Garbage(bytes([3]) * 32), TimeSource.fixed(NOW))
    with pytest.raises(GovError.Internal) as caught:
        issuer.issue("ls.gov.t", "1", "{}", None, None)
    assert caught.value.code == "signer_failed"


def test_hostile_signing_inputs(world):
    clock, root, ministry, _, verifier = world
    huge = "x" * (2 * 1024 * 1024)
    cases = [
        (lambda: ministry.issue("ls.gov.t", "1", '{"a": ', None, None), "invalid_json"),
        (lambda: ministry.issue("ls.gov.t", "1", '{"a": 1.5}', None, None), "invalid_json"),
        (lambda: ministry.issue("ls.gov.t", "1", huge, None, None), "invalid_json"),
        (lambda: ministry.issue("Not A Type", "1", "{}", None, None), "malformed_envelope"),
        (lambda: ministry.issue("ls.gov.t", "", "{}", None, None), "malformed_envelope"),
        (lambda: ministry.issue("ls.gov.t", huge, "{}", None, None), "malformed_envelope"),
        (lambda: ministry.issue("ls.gov.t", "1", "{}", "yesterday", None), "invalid_time"),
        (lambda: eservices.software_signer_from_seed(b"short"), "invalid_key"),
        (lambda: eservices.software_signer_from_pkcs8(Alg.ES256, b"\x30\x00"), "invalid_key"),
        (lambda: Verifier("RSA abc", "{}", clock), "unsupported_alg"),
        (lambda: Verifier(huge, "{}", clock), "invalid_key"),
        (lambda: Verifier(root.public_key_text(), "{", clock), "rejected"),
        (lambda: Verifier(root.public_key_text(), huge, clock), "rejected"),
        (lambda: StatusListManager("l", 1000), "invalid_status_list_size"),
        (lambda: verifier.add_status_list("[]"), "rejected"),
    ]
    for call, code in cases:
        with pytest.raises(GovError) as caught:
            call()
        assert caught.value.code == code, caught.value
        assert len(str(caught.value)) < 1000
    for text in ["", "{}", "LS1:", "LS1:%%%", huge, "LS1:" + "A" * 9000]:
        result = verifier.verify(text)
        assert not result.valid and result.reason_code == "malformed"


def test_a_verifier_refuses_a_trust_list_it_cannot_verify(world):
    clock, _, ministry, _, _ = world
    other_root = Issuer(eservices.software_signer_from_seed(bytes([7]) * 32), clock)
    trust = other_root.sign_trust_list("Someone", 1, [key(ministry, "x", ["ls.gov.x"])], None)
    root = Issuer(eservices.software_signer_from_seed(bytes([1]) * 32), clock)
    with pytest.raises(GovError.Integrity) as caught:
        Verifier.with_root_key(root.alg(), root.public_key(), trust.json, clock)
    assert caught.value.code == "rejected"
    assert "trust_list_invalid" in caught.value.detail or "trust list" in caught.value.detail
