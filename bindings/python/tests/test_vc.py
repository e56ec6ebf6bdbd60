"""W3C Verifiable Credentials from Python: export with a Python signer, verify, tamper, revoke, hostile input."""

import pytest

import eservices
from eservices import Alg, GovError, Issuer, StatusListManager, VcReason, VcVerdict, VcVerifier

from test_signing import ministry_world


@pytest.fixture()
def world():
    return ministry_world()


def test_export_verify_and_tamper(world):
    clock, _, signer, ministry, _ = world
    doc = ministry.issue("ls.gov.home-affairs.permit", "P-1", '{"holder": "Palesa"}', None, None)
    credential = eservices.vc_export(doc.json, signer, clock)
    assert eservices.vc_export(doc.qr, signer, clock) == credential
    verifier = VcVerifier(clock)
    verdict = verifier.verify(credential)
    assert isinstance(verdict, VcVerdict.VALID), verdict
    c = verdict.credential
    assert (c.document_type, c.document_id, c.subject) == ("ls.gov.home-affairs.permit", "P-1", '{"holder":"Palesa"}')
    assert c.issuer.startswith("did:key:z6Mk") and c.trusted_key_name is None

    forged = verifier.verify(credential.replace("Palesa", "Mpho"))
    assert isinstance(forged, VcVerdict.INVALID)
    assert forged.reason == VcReason.BAD_SIGNATURE
    assert eservices.vc_reason_code(forged.reason) == "bad_signature"


def test_trust_list_mode_and_revocation(world):
    clock, root, signer, ministry, trust = world
    lists = StatusListManager("home-affairs-1", 131072)
    entry = lists.allocate()
    doc = ministry.issue("ls.gov.home-affairs.letter", "L-1", "{}", None, entry)
    credential = eservices.vc_export(doc.json, signer, clock)
    verifier = VcVerifier.with_trust_list(root.public_key_text(), trust.json, clock)
    assert verifier.verify(credential).reason == VcReason.STATUS_UNKNOWN
    verifier.add_status_list(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
    verdict = verifier.verify(credential)
    assert isinstance(verdict, VcVerdict.VALID), verdict
    assert verdict.credential.trusted_key_name == "Ministry of Home Affairs"
    lists.revoke(entry.index)
    verifier.add_status_list(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
    assert verifier.verify(credential).reason == VcReason.REVOKED
    with pytest.raises(GovError) as caught:
        verifier.add_status_list('{"not": "a status list"}')
    assert caught.value.code == "rejected"

    outsider = Issuer(eservices.software_signer_from_seed(bytes([9]) * 32), clock)
    stranger = outsider.issue("ls.gov.home-affairs.permit", "P-9", "{}", None, None)
    foreign = eservices.vc_export(stranger.json, eservices.software_signer_from_seed(bytes([9]) * 32), clock)
    assert VcVerifier(clock).verify(foreign).credential.kid == outsider.kid()
    assert verifier.verify(foreign).reason == VcReason.UNKNOWN_KEY


def test_es256_signer_is_refused(world):
    clock = world[0]
    es256 = eservices.software_signer_from_pkcs8(Alg.ES256, eservices.generate_pkcs8(Alg.ES256))
    doc = Issuer(es256, clock).issue("ls.gov.t.permit", "E-1", "{}", None, None)
    with pytest.raises(GovError) as caught:
        eservices.vc_export(doc.json, es256, clock)
    assert caught.value.code == "vc_unsupported_alg"


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '{"a": 1.5}', '{"a":1,"a":2}', "x" * (2 << 20), "\u0000"])
def test_hostile_credentials_are_malformed_never_a_crash(world, text):
    assert VcVerifier(world[0]).verify(text).reason == VcReason.MALFORMED


@pytest.mark.parametrize("text", ["", "{", "LS1:!!", '{"v": 1}'])
def test_hostile_documents_are_gov_errors(world, text):
    clock, _, signer, _, _ = world
    with pytest.raises(GovError.InvalidInput):
        eservices.vc_export(text, signer, clock)
