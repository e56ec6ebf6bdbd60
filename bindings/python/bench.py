"""Verification throughput from Python, in one run: the bindings, the native Rust benchmark,
and a pure-Python verifier (``cryptography`` + ``rfc8785``) on the same documents.

Run it with ``bash bindings/python/bench.sh`` (builds the release wheel into a benchmark venv,
runs the Rust ``documents`` benchmark, then this script). Directly::

    python bindings/python/bench.py [--criterion DIR] [--seconds S]

"in bulk" is ``Verifier.verify_all`` over 100 documents per call (per document).
``--criterion`` is cargo's ``target/criterion`` folder; when given, the native Rust times of the
same operation (``documents/<alg>/verify`` and ``ring_verify``) are read from it and the ratios
printed. Nothing here asserts a speed: it measures and prints.
"""

from __future__ import annotations

import argparse
import base64
import json
import pathlib
import platform
import time
import zlib
from datetime import datetime, timedelta, timezone
from typing import Callable

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import eservices
from eservices import Alg, Issuer, StatusListManager, TimeSource, TrustListKey, Verifier

NOW = "2026-03-02T09:30:00Z"
TYP = "ls.gov.home-affairs.birth-certificate"
LIST = "home-affairs-2026-1"
PAYLOAD = (pathlib.Path(__file__).resolve().parents[2] / "benches" / "data" / "payload-1k.json").read_text().strip()
CONTEXT = b"ls.gov.eservices/v1\n"
ENVELOPE_MEMBERS = {"v", "typ", "id", "kid", "alg", "iat", "exp", "status", "payload", "sig"}


# --- A pure-Python verifier of the same wire format ---------------------------------------


def b64url(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text:
        raise ValueError("not canonical base64url")
    return raw


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate member {k!r}")
        out[k] = v
    return out


def _no_float(text):
    raise ValueError(f"number {text} is not an integer")


def strict_loads(text: str):
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_no_float, parse_constant=_no_float)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


class PyKey:
    def __init__(self, alg: str, raw: bytes):
        self.alg = alg
        if alg == "Ed25519":
            self._key = ed25519.Ed25519PublicKey.from_public_bytes(raw)
        else:
            self._key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)

    def verify(self, message: bytes, sig: bytes) -> bool:
        try:
            if self.alg == "Ed25519":
                self._key.verify(sig, message)
            else:
                der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
                self._key.verify(der, message, ec.ECDSA(hashes.SHA256()))
            return True
        except InvalidSignature:
            return False


class PyVerifier:
    """The checks of eservices' Verifier, in Python: strict JSON, trusted key, algorithm,
    signature over the context and the RFC 8785 form without ``sig``, key validity at ``iat``,
    type authorisation, time window, status bit, and the verified payload as canonical JSON."""

    def __init__(self, root: PyKey, trust_json: str, now: datetime, skew=timedelta(minutes=5)):
        self.now, self.skew = now, skew
        env = self._authentic(trust_json, lambda kid: root)
        self.keys = {}
        for k in env["payload"]["keys"]:
            self.keys[k["kid"]] = {
                "name": k["name"],
                "key": PyKey(k["alg"], b64url(k["public_key"])),
                "not_before": parse_time(k["not_before"]),
                "not_after": parse_time(k["not_after"]),
                "doc_types": k["doc_types"],
            }
        self.status = {}

    def _authentic(self, text: str, key_for: Callable[[str], PyKey | None]) -> dict:
        env = strict_loads(text)
        if not isinstance(env, dict) or set(env) - ENVELOPE_MEMBERS or env.get("v") != 1:
            raise ValueError("malformed")
        key = key_for(env["kid"])
        if key is None:
            raise ValueError("unknown_key")
        if key.alg != env["alg"]:
            raise ValueError("alg_mismatch")
        sig = b64url(env["sig"])
        if len(sig) != 64:
            raise ValueError("malformed")
        unsigned = {k: v for k, v in env.items() if k != "sig"}
        if not key.verify(CONTEXT + rfc8785.dumps(unsigned), sig):
            raise ValueError("bad_signature")
        return env

    def add_status_list(self, text: str) -> None:
        ok, env = self.verify_envelope(text)
        if not ok:
            raise ValueError(env)
        p = env["payload"]
        self.status[p["list"]] = (zlib.decompress(b64url(p["bits"])), parse_time(p["valid_until"]))

    @staticmethod
    def _authorises(types, typ: str) -> bool:
        return any(typ.startswith(t[:-1]) and len(typ) > len(t) - 1 if t.endswith(".*") else t == typ for t in types)

    def verify_envelope(self, text: str):
        try:
            env = self._authentic(text, lambda kid: self.keys.get(kid, {}).get("key"))
        except (ValueError, KeyError, TypeError) as e:
            return False, str(e)
        trusted = self.keys[env["kid"]]
        iat = parse_time(env["iat"])
        if not trusted["not_before"] <= iat < trusted["not_after"]:
            return False, "key_not_valid_at_issue"
        if not self._authorises(trusted["doc_types"], env["typ"]):
            return False, "doc_type_not_authorised"
        if iat > self.now + self.skew:
            return False, "not_yet_valid"
        if "exp" in env and self.now - self.skew >= parse_time(env["exp"]):
            return False, "expired"
        status = env.get("status")
        if status is not None:
            held = self.status.get(status["list"])
            if held is None or self.now - self.skew >= held[1]:
                return False, "status_unknown"
            i = status["index"]
            if held[0][i // 8] & (0x80 >> (i % 8)):
                return False, "revoked"
        return True, env

    def verify(self, text: str):
        ok, env = self.verify_envelope(text)
        if not ok:
            return False, env
        return True, rfc8785.dumps(env["payload"]).decode()


# --- The same documents as the Rust benchmark ----------------------------------------------


def world(alg: Alg):
    clock = TimeSource.fixed(NOW)
    root_signer = eservices.software_signer_from_seed(bytes([1]) * 32)
    root = Issuer(root_signer, clock)
    if alg == Alg.ED25519:
        signer = eservices.software_signer_from_seed(bytes([2]) * 32)
    else:
        signer = eservices.software_signer_from_pkcs8(alg, eservices.generate_pkcs8(alg))
    issuer = Issuer(signer, clock)
    key = TrustListKey(
        name="Home Affairs",
        alg=issuer.alg(),
        public_key=issuer.public_key(),
        not_before="2026-01-01T00:00:00Z",
        not_after="2028-01-01T00:00:00Z",
        doc_types=["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"],
    )
    trust = root.sign_trust_list("Government of Lesotho", 1, [key], None)
    verifier = Verifier(root.public_key_text(), trust.json, clock)
    status = StatusListManager(LIST, 131072).publish(issuer, "2026-03-08T00:00:00Z")
    verifier.add_status_list(status.json)
    entry = eservices.StatusEntry(list=LIST, index=48213)
    doc = issuer.issue(TYP, "BC-MSU-2026-004211", PAYLOAD, None, entry)
    py = PyVerifier(PyKey("Ed25519", root_signer.public_key()), trust.json, parse_time(NOW))
    py.add_status_list(status.json)
    return verifier, py, doc.json


#: Documents per ``verify_all`` call in the bulk measurement.
BATCH = 100


def per_second(fn: Callable[[], object], seconds: float) -> float:
    """Best of five runs of about ``seconds / 5`` each: calls per second."""
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.2:
        fn()
        n += 1
    batch = max(1, int(n * seconds / 5 / 0.2))
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        best = max(best, batch / (time.perf_counter() - t0))
    return best


def criterion_rate(folder: pathlib.Path, group: str, bench: str) -> float | None:
    path = folder / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    ns = json.loads(path.read_text())["mean"]["point_estimate"]
    return 1e9 / ns


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--criterion", type=pathlib.Path, help="cargo's target/criterion folder")
    ap.add_argument("--seconds", type=float, default=5.0, help="time per measurement (default 5)")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, eservices bindings vs native vs pure Python")
    print(f"{'':10} {'bindings/s':>11} {'in bulk/s':>10} {'native/s':>10} {'ring/s':>9} {'pure-Py/s':>10} {'bind/native':>11} {'bulk/nat':>9} {'bind/pure-Py':>12}")
    for alg, name in ((Alg.ED25519, "ed25519"), (Alg.ES256, "es256")):
        verifier, py, doc = world(alg)
        result = verifier.verify(doc)
        assert result.valid, result.detail
        ok, payload = py.verify(doc)
        assert ok and payload == result.document.payload, payload
        assert py.verify(doc.replace("Lineo", "Neo"))[1] == "bad_signature"
        bindings = per_second(lambda: verifier.verify(doc), args.seconds)
        batch = [doc] * BATCH
        assert all(r == result for r in verifier.verify_all(batch))
        bulk = BATCH * per_second(lambda: verifier.verify_all(batch), args.seconds)
        pure = per_second(lambda: py.verify(doc), args.seconds)
        native = ring = None
        if args.criterion:
            native = criterion_rate(args.criterion, f"documents_{name}", "verify")
            ring = criterion_rate(args.criterion, f"documents_{name}", "ring_verify")
        fmt = lambda x: f"{x:,.0f}" if x else "-"  # noqa: E731
        ratio = f"{bindings / native:.2f}" if native else "-"
        bulk_ratio = f"{bulk / native:.2f}" if native else "-"
        print(
            f"{name:10} {fmt(bindings):>11} {fmt(bulk):>10} {fmt(native):>10} {fmt(ring):>9} {fmt(pure):>10} {ratio:>11} {bulk_ratio:>9} {bindings / pure:>12.2f}"
        )


if __name__ == "__main__":
    main()
