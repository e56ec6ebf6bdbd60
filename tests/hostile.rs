//! Hostile inputs (tests/data/hostile/): each file is fed to the verifier and must give the
//! reason code listed for it in hostile/manifest.json — never a panic, never "valid" by accident.
//!
//! The files are produced by [`cases`] from the fixed test keys; `ESERVICES_REGENERATE=1`
//! rewrites them, otherwise they are compared byte for byte. The verdict test reads only the
//! files and the manifest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod signing_common;

use eservices::document::{
    parse_time, qr, Alg, SignedEnvelope, Signer, StatusEntry, UnsignedEnvelope,
};
use eservices::status::{StatusListManager, MIN_SIZE};
use eservices::trust::TrustList;
use eservices::verify::{Reason, Verifier};
use eservices::Error;
use serde_json::{json, Map, Value};
use signing_common::*;

struct Case {
    name: &'static str,
    ext: &'static str,
    bytes: Vec<u8>,
    /// `document` (default), `trust_list` (load as the verifier's first list),
    /// `trust_list_update` (offered to a verifier holding the golden list, seq 2) or
    /// `status_list` (added to a verifier holding the golden trust list).
    kind: &'static str,
    at: Option<&'static str>,
    expect: &'static str,
}

fn case(name: &'static str, bytes: impl Into<Vec<u8>>, expect: &'static str) -> Case {
    Case {
        name,
        ext: "json",
        bytes: bytes.into(),
        kind: "document",
        at: None,
        expect,
    }
}

impl Case {
    fn ext(mut self, ext: &'static str) -> Case {
        self.ext = ext;
        self
    }
    fn kind(mut self, kind: &'static str) -> Case {
        self.kind = kind;
        self
    }
    fn at(mut self, at: &'static str) -> Case {
        self.at = Some(at);
        self
    }
}

fn canon(v: &Value) -> Vec<u8> {
    eservices::json::canonical(v).unwrap()
}

fn cert_value() -> Map<String, Value> {
    match serde_json::from_str(&birth_certificate().json).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// The golden certificate with `f` applied (not re-signed).
fn with(f: impl FnOnce(&mut Map<String, Value>)) -> Vec<u8> {
    let mut m = cert_value();
    f(&mut m);
    canon(&Value::Object(m))
}

fn cert_text() -> String {
    birth_certificate().json
}

fn sig_text() -> String {
    cert_value()["sig"].as_str().unwrap().to_string()
}

/// An unsigned certificate for `signer`'s key, to be varied and signed.
fn unsigned(seed: u8, when: &str) -> UnsignedEnvelope {
    let key = public(seed);
    let payload = match serde_json::from_str(&sample_payload()).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    UnsignedEnvelope {
        typ: BIRTH_CERTIFICATE.into(),
        id: "BC-MSU-2026-004211".into(),
        kid: key.kid(),
        alg: Alg::Ed25519,
        iat: parse_time(when).unwrap(),
        exp: None,
        status: None,
        payload,
    }
}

fn signed(seed: u8, env: UnsignedEnvelope) -> Vec<u8> {
    env.sign(&ed25519(seed))
        .unwrap()
        .to_json()
        .unwrap()
        .into_bytes()
}

/// Signs an arbitrary envelope value without any checks (so invalid payloads can be signed).
fn force_sign(seed: u8, mut value: Map<String, Value>) -> Vec<u8> {
    value.remove("sig");
    let mut input = eservices::document::SIGNING_CONTEXT.to_vec();
    input.extend(canon(&Value::Object(value.clone())));
    let sig = ed25519(seed).sign(&input).unwrap();
    value.insert("sig".into(), Value::from(b64(&sig)));
    canon(&Value::Object(value))
}

fn trust_value() -> Map<String, Value> {
    match serde_json::from_str(&signed_trust_list().json).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn status_value() -> Map<String, Value> {
    match serde_json::from_str(&status_list().json).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// RFC 9285 base45, written independently of the crate's.
fn base45(data: &[u8]) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for c in data.chunks(2) {
        let (n, digits) = match c {
            [a, b] => (usize::from(*a) * 256 + usize::from(*b), 3),
            [a] => (usize::from(*a), 2),
            _ => unreachable!(),
        };
        let mut n = n;
        for _ in 0..digits {
            out.push(char::from(A[n % 45]));
            n /= 45;
        }
    }
    out
}

fn qr_of(bytes: &[u8]) -> Vec<u8> {
    format!("LS1:{}", base45(&zlib(bytes))).into_bytes()
}

/// DER encoding of a 64-byte r||s signature (what many ECDSA APIs return).
fn der(sig: &[u8]) -> Vec<u8> {
    fn int(x: &[u8]) -> Vec<u8> {
        let mut x: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
        if x.first().is_some_and(|b| b & 0x80 != 0) {
            x.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(x.len()).unwrap()];
        out.extend(x);
        out
    }
    let mut body = int(&sig[..32]);
    body.extend(int(&sig[32..]));
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

fn cases() -> Vec<Case> {
    let cert = cert_text();
    let sig = sig_text();
    let raw_sig = unb64(&sig);
    let mut c = vec![
        // ---- not an envelope at all
        case("empty", "", "malformed").ext("txt"),
        case("whitespace-only", " \n\t", "malformed").ext("txt"),
        case("json-null", "null", "malformed"),
        case("json-array", "[]", "malformed"),
        case("json-string", "\"LS1\"", "malformed"),
        case(
            "truncated-half",
            &cert.as_bytes()[..cert.len() / 2],
            "malformed",
        ),
        case(
            "truncated-last-brace",
            &cert.as_bytes()[..cert.len() - 1],
            "malformed",
        ),
        case(
            "huge-1.1MiB",
            format!("{{\"v\":1,\"pad\":\"{}\"}}", "A".repeat(1_100_000)),
            "malformed",
        ),
        case(
            "deeply-nested-payload",
            with(|m| {
                let mut v = json!("bottom");
                for _ in 0..40 {
                    v = json!([v]);
                }
                m["payload"]["nested"] = v;
            }),
            "malformed",
        ),
        case("nesting-100k", "[".repeat(100_000), "malformed"),
        case(
            "bad-utf8",
            {
                let mut b = cert.clone().into_bytes();
                b[cert.find("Lineo").unwrap() + 1] = 0xff;
                b
            },
            "malformed",
        )
        .ext("bin"),
        case(
            "utf8-bom",
            [&[0xef, 0xbb, 0xbf][..], cert.as_bytes()].concat(),
            "malformed",
        )
        .ext("bin"),
        case(
            "overlong-utf8",
            {
                // 'i' written as the overlong two-byte sequence C1 A9.
                let b = cert.as_bytes();
                let pos = cert.find("Lineo").unwrap() + 1;
                [&b[..pos], &[0xc1, 0xa9][..], &b[pos + 1..]].concat()
            },
            "malformed",
        )
        .ext("bin"),
        // ---- strict JSON
        case(
            "duplicate-top-level-id",
            cert.replacen('{', "{\"id\":\"BC-MSU-2026-000001\",", 1),
            "malformed",
        ),
        case(
            "duplicate-payload-member",
            cert.replacen("\"payload\":{", "\"payload\":{\"child\":{},", 1),
            "malformed",
        ),
        case(
            "float-in-payload",
            cert.replacen("\"sex\":\"F\"", "\"sex\":1.5", 1),
            "malformed",
        ),
        case(
            "float-index",
            cert.replacen("\"index\":48213", "\"index\":48213.0", 1),
            "malformed",
        ),
        case(
            "exponent-index",
            cert.replacen("\"index\":48213", "\"index\":4.8213e4", 1),
            "malformed",
        ),
        case(
            "unsafe-integer",
            cert.replacen("\"index\":48213", "\"index\":9007199254740993", 1),
            "malformed",
        ),
        // ---- members
        case(
            "embedded-jwk",
            with(|m| {
                m.insert(
                    "jwk".into(),
                    json!({"kty":"OKP","crv":"Ed25519","x": public(ROGUE_SEED).to_base64url()}),
                );
            }),
            "malformed",
        ),
        case(
            "unknown-member",
            with(|m| {
                m.insert("nonce".into(), json!("x"));
            }),
            "malformed",
        ),
        case("missing-sig", with(|m| drop(m.remove("sig"))), "malformed"),
        case("missing-kid", with(|m| drop(m.remove("kid"))), "malformed"),
        case(
            "missing-payload",
            with(|m| drop(m.remove("payload"))),
            "malformed",
        ),
        case("missing-v", with(|m| drop(m.remove("v"))), "malformed"),
        case("v-2", with(|m| m["v"] = json!(2)), "unsupported_version"),
        case("v-0", with(|m| m["v"] = json!(0)), "unsupported_version"),
        case("v-string", with(|m| m["v"] = json!("1")), "malformed"),
        case("v-true", with(|m| m["v"] = json!(true)), "malformed"),
        case(
            "exp-null",
            with(|m| drop(m.insert("exp".into(), Value::Null))),
            "malformed",
        ),
        case(
            "exp-before-iat",
            with(|m| drop(m.insert("exp".into(), json!("2026-02-19T00:00:00Z")))),
            "malformed",
        ),
        case(
            "iat-fraction",
            with(|m| m["iat"] = json!("2026-02-20T08:00:00.000Z")),
            "malformed",
        ),
        case(
            "iat-offset",
            with(|m| m["iat"] = json!("2026-02-20T10:00:00+02:00")),
            "malformed",
        ),
        case(
            "iat-date-only",
            with(|m| m["iat"] = json!("2026-02-20")),
            "malformed",
        ),
        case(
            "iat-number",
            with(|m| m["iat"] = json!(1771574400)),
            "malformed",
        ),
        case(
            "status-index-negative",
            with(|m| m["status"]["index"] = json!(-1)),
            "malformed",
        ),
        case(
            "status-extra-member",
            with(|m| m["status"]["purpose"] = json!("revocation")),
            "malformed",
        ),
        case(
            "status-list-empty",
            with(|m| m["status"]["list"] = json!("")),
            "malformed",
        ),
        case(
            "payload-array",
            with(|m| m["payload"] = json!([1, 2])),
            "malformed",
        ),
        case("alg-none", with(|m| m["alg"] = json!("none")), "malformed"),
        case(
            "alg-eddsa",
            with(|m| m["alg"] = json!("EdDSA")),
            "malformed",
        ),
        case(
            "alg-lowercase",
            with(|m| m["alg"] = json!("ed25519")),
            "malformed",
        ),
        case(
            "typ-uppercase",
            with(|m| m["typ"] = json!("LS.GOV.HOME-AFFAIRS.BIRTH-CERTIFICATE")),
            "malformed",
        ),
        case("id-empty", with(|m| m["id"] = json!("")), "malformed"),
        case(
            "id-too-long",
            with(|m| m["id"] = json!("X".repeat(300))),
            "malformed",
        ),
        case(
            "kid-wrong-length",
            with(|m| m["kid"] = json!("ajgD1fBZkCocba-8m6Ryk")),
            "malformed",
        ),
        // ---- signature encoding
        case(
            "sig-padded",
            with(|m| m["sig"] = json!(format!("{sig}=="))),
            "malformed",
        ),
        case(
            "sig-standard-alphabet",
            with(|m| m["sig"] = json!(format!("+{}", &sig[1..]))),
            "malformed",
        ),
        case(
            "sig-non-canonical-trailing-bits",
            with(|m| {
                // 64 bytes use 86 characters; the last one carries 4 unused bits that must be 0.
                let mut s = sig.clone();
                let last = s.pop().unwrap();
                const A: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let v = A.find(last).unwrap();
                s.push(A.as_bytes()[v | 1] as char);
                m["sig"] = json!(s);
            }),
            "malformed",
        ),
        case(
            "sig-der",
            with(|m| m["sig"] = json!(b64(&der(&raw_sig)))),
            "malformed",
        ),
        case(
            "sig-63-bytes",
            with(|m| m["sig"] = json!(b64(&raw_sig[..63]))),
            "malformed",
        ),
        case("sig-empty", with(|m| m["sig"] = json!("")), "malformed"),
        case(
            "sig-whitespace",
            with(|m| m["sig"] = json!(format!(" {sig}"))),
            "malformed",
        ),
        // ---- keys and algorithms
        case(
            "alg-confusion-es256-claim",
            with(|m| m["alg"] = json!("ES256")),
            "alg_mismatch",
        ),
        case(
            "alg-confusion-ed25519-on-es256-key",
            with(|m| m["kid"] = json!(es256_public().kid())),
            "alg_mismatch",
        ),
        case(
            "untrusted-key",
            signed(ROGUE_SEED, unsigned(ROGUE_SEED, ISSUED_AT)),
            "unknown_key",
        ),
        case(
            "root-key-signs-a-document",
            signed(ROOT_SEED, unsigned(ROOT_SEED, ISSUED_AT)),
            "unknown_key",
        ),
        case(
            "kid-swapped-to-transport-key",
            with(|m| m["kid"] = json!(public(TRANSPORT_SEED).kid())),
            "bad_signature",
        ),
        // ---- tampering
        case(
            "payload-tampered",
            cert.replacen("Lineo Palesa", "Lineo Pulane", 1),
            "bad_signature",
        ),
        case(
            "id-tampered",
            with(|m| m["id"] = json!("BC-MSU-2026-004210")),
            "bad_signature",
        ),
        case(
            "iat-tampered",
            with(|m| m["iat"] = json!("2026-02-20T08:00:01Z")),
            "bad_signature",
        ),
        case(
            "status-removed-from-revoked",
            {
                let mut m: Map<String, Value> =
                    serde_json::from_str(&revoked_certificate().json).unwrap();
                m.remove("status");
                canon(&Value::Object(m))
            },
            "bad_signature",
        ),
        case(
            "status-index-changed",
            {
                let mut m: Map<String, Value> =
                    serde_json::from_str(&revoked_certificate().json).unwrap();
                m["status"]["index"] = json!(CERT_INDEX);
                canon(&Value::Object(m))
            },
            "bad_signature",
        ),
        case(
            "sig-all-zero",
            with(|m| m["sig"] = json!(b64(&[0; 64]))),
            "bad_signature",
        ),
        case(
            "sig-of-another-document",
            with(|m| {
                let other: Map<String, Value> =
                    serde_json::from_str(&revoked_certificate().json).unwrap();
                m["sig"] = other["sig"].clone();
            }),
            "bad_signature",
        ),
        // ---- key validity and authorisation
        case(
            "retired-key-signs-in-2026",
            signed(RETIRED_SEED, unsigned(RETIRED_SEED, ISSUED_AT)),
            "key_not_valid_at_issue",
        ),
        case(
            "future-key-signs-in-2026",
            signed(FUTURE_SEED, unsigned(FUTURE_SEED, ISSUED_AT)),
            "key_not_valid_at_issue",
        ),
        case(
            "retired-key-document-from-2024-still-valid",
            signed(RETIRED_SEED, unsigned(RETIRED_SEED, "2024-06-01T10:00:00Z")),
            "valid",
        ),
        case(
            "transport-key-signs-birth-certificate",
            signed(TRANSPORT_SEED, unsigned(TRANSPORT_SEED, ISSUED_AT)),
            "doc_type_not_authorised",
        ),
        case(
            "prefix-without-dot-boundary",
            signed(
                HOME_AFFAIRS_SEED,
                UnsignedEnvelope {
                    typ: "ls.gov.home-affairsx.birth-certificate".into(),
                    ..unsigned(HOME_AFFAIRS_SEED, ISSUED_AT)
                },
            ),
            "doc_type_not_authorised",
        ),
        case(
            "prefix-itself-is-not-covered",
            signed(
                HOME_AFFAIRS_SEED,
                UnsignedEnvelope {
                    typ: "ls.gov.home-affairs".into(),
                    ..unsigned(HOME_AFFAIRS_SEED, ISSUED_AT)
                },
            ),
            "doc_type_not_authorised",
        ),
        // ---- time and status
        case(
            "issued-in-the-future",
            signed(
                HOME_AFFAIRS_SEED,
                unsigned(HOME_AFFAIRS_SEED, "2026-03-02T00:00:00Z"),
            ),
            "not_yet_valid",
        ),
        case(
            "expired",
            signed(
                HOME_AFFAIRS_SEED,
                UnsignedEnvelope {
                    exp: Some(parse_time("2026-02-28T00:00:00Z").unwrap()),
                    ..unsigned(HOME_AFFAIRS_SEED, ISSUED_AT)
                },
            ),
            "expired",
        ),
        case("revoked", revoked_certificate().json, "revoked"),
        case(
            "status-list-not-held",
            signed(
                HOME_AFFAIRS_SEED,
                UnsignedEnvelope {
                    status: Some(StatusEntry {
                        list: "home-affairs-2025-9".into(),
                        index: 7,
                    }),
                    ..unsigned(HOME_AFFAIRS_SEED, ISSUED_AT)
                },
            ),
            "status_unknown",
        ),
        case(
            "status-index-beyond-list",
            signed(
                HOME_AFFAIRS_SEED,
                UnsignedEnvelope {
                    status: entry(MIN_SIZE),
                    ..unsigned(HOME_AFFAIRS_SEED, ISSUED_AT)
                },
            ),
            "status_unknown",
        ),
        case("status-list-stale", cert.clone(), "status_unknown").at("2026-03-09T00:00:00Z"),
        // ---- equivalent JSON still verifies
        case(
            "reordered-members-and-whitespace",
            {
                let m = cert_value();
                let mut keys: Vec<&String> = m.keys().collect();
                keys.reverse();
                let body: Vec<String> = keys
                    .iter()
                    .map(|k| format!("\n  {} : {}", json!(k), m[k.as_str()]))
                    .collect();
                format!("{{{}\n}}\n", body.join(" ,"))
            },
            "valid",
        ),
        case(
            "unicode-escapes",
            cert.replacen("\"Lineo Palesa\"", "\"\\u004cineo\\u0020Palesa\"", 1),
            "valid",
        ),
        // ---- QR form
        case(
            "qr-valid-with-newline",
            birth_certificate().qr().unwrap() + "\n",
            "valid",
        )
        .ext("txt"),
        case(
            "qr-zip-bomb",
            format!("LS1:{}", base45(&zlib(&vec![b' '; 1 << 20]))),
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-lowercase-base45",
            format!("LS1:{}", base45(&zlib(cert.as_bytes())).to_lowercase()),
            "malformed",
        )
        .ext("txt"),
        case("qr-base45-group-overflow", "LS1:GGW", "malformed").ext("txt"),
        case("qr-base45-final-pair-overflow", "LS1:BB8::", "malformed").ext("txt"),
        case("qr-base45-single-trailing-char", "LS1:BB8A", "malformed").ext("txt"),
        case("qr-empty-body", "LS1:", "malformed").ext("txt"),
        case(
            "qr-not-zlib",
            format!("LS1:{}", base45(cert.as_bytes())),
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-zlib-trailing-garbage",
            format!(
                "LS1:{}",
                base45(&[zlib(cert.as_bytes()), vec![0, 0]].concat())
            ),
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-too-long",
            format!("LS1:{}", "0".repeat(9000)),
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-truncated",
            {
                let q = birth_certificate().qr().unwrap();
                q[..q.len() - 3].to_string()
            },
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-truncated-zlib-stream",
            {
                let z = zlib(cert.as_bytes());
                format!("LS1:{}", base45(&z[..z.len() - 4]))
            },
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-wrong-prefix",
            birth_certificate()
                .qr()
                .unwrap()
                .replacen("LS1:", "LS2:", 1),
            "malformed",
        )
        .ext("txt"),
        case(
            "qr-tampered-envelope",
            qr_of(cert.replacen("Lineo Palesa", "Lineo Pulane", 1).as_bytes()),
            "bad_signature",
        )
        .ext("txt"),
        case(
            "qr-of-json-with-duplicate-keys",
            qr_of(cert.replacen('{', "{\"id\":\"X\",", 1).as_bytes()),
            "malformed",
        )
        .ext("txt"),
    ];

    // ---- trust lists
    let root_signed = |list: &TrustList| list.sign(&root_issuer(), None).unwrap().json;
    let mut trust_cases = vec![
        case(
            "trust-list-rollback-to-seq-1",
            root_signed(&trust_list_seq1()),
            "trust_list_rollback",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-signed-by-issuing-key",
            trust_list()
                .sign(&issuer(HOME_AFFAIRS_SEED, TRUST_LIST_AT), None)
                .unwrap()
                .json,
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-small-order-key",
            {
                let mut m = trust_value();
                let mut identity = [0u8; 32];
                identity[0] = 1;
                let digest = ring::digest::digest(&ring::digest::SHA256, &identity);
                m["payload"]["keys"][0]["public_key"] = json!(b64(&identity));
                m["payload"]["keys"][0]["kid"] = json!(b64(&digest.as_ref()[..16]));
                m["payload"]["seq"] = json!(3);
                force_sign(ROOT_SEED, m)
            },
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-kid-not-matching-key",
            {
                let mut m = trust_value();
                m["payload"]["keys"][1]["kid"] = json!(public(ROGUE_SEED).kid());
                m["payload"]["seq"] = json!(3);
                force_sign(ROOT_SEED, m)
            },
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-unknown-key-member",
            {
                let mut m = trust_value();
                m["payload"]["keys"][0]["comment"] = json!("x");
                m["payload"]["seq"] = json!(3);
                force_sign(ROOT_SEED, m)
            },
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-seq-bumped-without-resigning",
            {
                let mut m = trust_value();
                m["payload"]["seq"] = json!(3);
                canon(&Value::Object(m))
            },
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "trust-list-same-seq-other-content",
            {
                let mut list = trust_list();
                list.keys.truncate(2);
                root_signed(&list)
            },
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case(
            "certificate-offered-as-trust-list",
            cert.clone(),
            "trust_list_invalid",
        )
        .kind("trust_list_update"),
        case("trust-list-garbage", "{}", "trust_list_invalid").kind("trust_list"),
        case(
            "trust-list-alg-confusion",
            {
                let mut m = trust_value();
                m["alg"] = json!("ES256");
                canon(&Value::Object(m))
            },
            "trust_list_invalid",
        )
        .kind("trust_list"),
        case(
            "trust-list-expired",
            trust_list()
                .sign(
                    &root_issuer(),
                    Some(parse_time("2026-02-01T00:00:00Z").unwrap()),
                )
                .unwrap()
                .json,
            "trust_list_invalid",
        )
        .kind("trust_list"),
        case(
            "trust-list-newer-seq-accepted",
            {
                let mut list = trust_list();
                list.seq = 3;
                root_signed(&list)
            },
            "valid",
        )
        .kind("trust_list_update"),
    ];
    c.append(&mut trust_cases);

    // ---- status lists
    let mut status_cases = vec![
        case(
            "status-list-signed-by-unauthorised-key",
            status_manager()
                .publish(
                    &issuer(TRANSPORT_SEED, STATUS_AT),
                    parse_time(STATUS_UNTIL).unwrap(),
                )
                .unwrap()
                .json,
            "doc_type_not_authorised",
        )
        .kind("status_list"),
        case(
            "status-list-signed-by-untrusted-key",
            status_manager()
                .publish(
                    &issuer(ROGUE_SEED, STATUS_AT),
                    parse_time(STATUS_UNTIL).unwrap(),
                )
                .unwrap()
                .json,
            "unknown_key",
        )
        .kind("status_list"),
        case(
            "status-list-revocation-cleared-without-resigning",
            {
                let mut m = status_value();
                let fresh = StatusListManager::new(STATUS_LIST_ID, MIN_SIZE).unwrap();
                let clean = fresh.snapshot(parse_time(STATUS_UNTIL).unwrap());
                m["payload"] = Value::Object(clean.to_payload().unwrap());
                canon(&Value::Object(m))
            },
            "bad_signature",
        )
        .kind("status_list"),
        case(
            "status-list-too-small",
            {
                let mut m = status_value();
                m["payload"]["size"] = json!(1024);
                m["payload"]["bits"] = json!(b64(&zlib(&[0; 128])));
                force_sign(HOME_AFFAIRS_SEED, m)
            },
            "malformed",
        )
        .kind("status_list"),
        case(
            "status-list-bits-zip-bomb",
            {
                let mut m = status_value();
                m["payload"]["bits"] = json!(b64(&zlib(&vec![0; 1 << 20])));
                force_sign(HOME_AFFAIRS_SEED, m)
            },
            "malformed",
        )
        .kind("status_list"),
        case(
            "status-list-bits-too-short",
            {
                let mut m = status_value();
                m["payload"]["bits"] = json!(b64(&zlib(&[0; 100])));
                force_sign(HOME_AFFAIRS_SEED, m)
            },
            "malformed",
        )
        .kind("status_list"),
        case(
            "status-list-id-differs-from-list",
            {
                let mut m = status_value();
                m["id"] = json!("home-affairs-2026-2");
                force_sign(HOME_AFFAIRS_SEED, m)
            },
            "malformed",
        )
        .kind("status_list"),
        case("certificate-offered-as-status-list", cert, "malformed").kind("status_list"),
    ];
    c.append(&mut status_cases);
    c
}

fn file_name(i: usize, c: &Case) -> String {
    format!("{:03}-{}.{}", i + 1, c.name, c.ext)
}

#[test]
fn hostile_files_are_current() {
    let cases = cases();
    assert!(cases.len() >= 40);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let name = file_name(i, c);
        let mut entry = json!({ "file": name, "kind": c.kind, "expect": c.expect });
        if let Some(at) = c.at {
            entry["at"] = json!(at);
        }
        manifest.push(entry);
        files.push((name, c.bytes.clone()));
    }
    let manifest = json!({
        "about": "Hostile inputs for the signed-document verifier. Context: the golden vectors (../golden/root.pub, trust-list.json, status-list.json) at verify_at unless 'at' is given. kind: document = verify the file; trust_list = load it as the first trust list; trust_list_update = offer it to a verifier holding golden trust list seq 2; status_list = add it as a status list. expect: 'valid' or the reason code.",
        "verify_at": VERIFY_AT,
        "cases": manifest,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap();
    text.push('\n');
    files.push(("manifest.json".into(), text.into_bytes()));
    write_or_compare(&data_dir().join("hostile"), &files);
}

fn outcome(r: Result<(), Error>) -> String {
    match r {
        Ok(()) => "valid".into(),
        Err(Error::Rejected { reason, .. }) => reason.code().into(),
        Err(other) => format!("error {}", other.code()),
    }
}

#[test]
fn hostile_inputs_give_their_reason_codes() {
    let dir = data_dir().join("hostile");
    let golden = data_dir().join("golden");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let root: eservices::document::PublicKey = std::fs::read_to_string(golden.join("root.pub"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let trust = std::fs::read_to_string(golden.join("trust-list.json")).unwrap();
    let status = std::fs::read_to_string(golden.join("status-list.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    let mut reasons_seen = std::collections::BTreeSet::new();
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let when = c["at"]
            .as_str()
            .unwrap_or(manifest["verify_at"].as_str().unwrap());
        let fresh = || Verifier::new(root.clone(), &trust, at(when)).unwrap();
        let got = match c["kind"].as_str().unwrap() {
            "document" => {
                let mut v = fresh();
                v.add_status_list(&status).unwrap();
                let verdict = v.verify_bytes(&bytes);
                verdict
                    .reason()
                    .map_or("valid".to_string(), |r| r.code().to_string())
            }
            "trust_list" => match std::str::from_utf8(&bytes) {
                Ok(text) => outcome(Verifier::new(root.clone(), text, at(when)).map(drop)),
                Err(_) => "trust_list_invalid".into(),
            },
            "trust_list_update" => {
                outcome(fresh().update_trust_list(std::str::from_utf8(&bytes).unwrap()))
            }
            "status_list" => outcome(fresh().add_status_list(std::str::from_utf8(&bytes).unwrap())),
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(got, c["expect"].as_str().unwrap(), "{file}");
        reasons_seen.insert(got);
    }
    // Every reason code is exercised by at least one hostile input.
    for r in Reason::ALL {
        assert!(
            reasons_seen.contains(r.code()),
            "no hostile case for {}",
            r.code()
        );
    }
}

/// The QR module's own decoder refuses the zip bomb without inflating it.
#[test]
fn zip_bomb_is_refused_by_the_decoder() {
    let bomb = format!("LS1:{}", base45(&zlib(&vec![b' '; 1 << 20])));
    assert!(matches!(qr::decode(&bomb), Err(Error::MalformedQr { .. })));
    assert!(SignedEnvelope::from_qr(&bomb).is_err());
}
