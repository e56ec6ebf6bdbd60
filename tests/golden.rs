//! Golden vectors: fixed Ed25519 seeds and fixed payloads give exact envelope bytes and QR
//! strings (tests/data/golden/), so that any other implementation can check itself byte for
//! byte. ES256 signatures are randomised, so the ES256 vectors are verify-only.
//!
//! `ESERVICES_REGENERATE=1 cargo test --test golden` rewrites the files; otherwise they are
//! compared with what the code produces now.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod signing_common;

use eservices::document::{SignedEnvelope, Signer, SIGNING_CONTEXT};
use eservices::verify::{Reason, Verdict, Verifier};
use serde_json::{json, Value};
use signing_common::*;

fn key_info(name: &str, seed: Option<u8>, key: &eservices::document::PublicKey) -> Value {
    let mut v = json!({
        "name": name,
        "alg": key.alg().name(),
        "public_key": key.to_base64url(),
        "public_key_hex": hex(key.as_bytes()),
        "kid": key.kid(),
    });
    if let Some(seed) = seed {
        v["seed_hex"] = Value::from(hex(&[seed; 32]));
    }
    v
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s.into_bytes()
}

#[test]
fn golden_vectors_are_reproduced_byte_for_byte() {
    let cert = birth_certificate();
    let revoked = revoked_certificate();
    let status = status_list();
    let licence = issuer(TRANSPORT_SEED, ISSUED_AT)
        .issue(
            DRIVING_LICENCE,
            "DL-2026-118733",
            r#"{"holder":"Lerato Sello","licence_number":"LS-DL-118733","classes":["B","EB"],"issued":"2026-02-20"}"#,
            Some(eservices::document::parse_time("2031-02-20T00:00:00Z").unwrap()),
            None,
        )
        .unwrap();

    let keys = json!({
        "note": "Test keys only. Ed25519 private keys are RFC 8032 seeds (32 bytes); the ES256 key is in es256/ as PKCS#8.",
        "root": key_info("root (pinned)", Some(ROOT_SEED), &public(ROOT_SEED)),
        "home_affairs": key_info("Ministry of Home Affairs, civil registration 2026", Some(HOME_AFFAIRS_SEED), &public(HOME_AFFAIRS_SEED)),
        "transport": key_info("Ministry of Public Works and Transport, licensing", Some(TRANSPORT_SEED), &public(TRANSPORT_SEED)),
        "retired": key_info("Ministry of Home Affairs, civil registration 2024 (retired)", Some(RETIRED_SEED), &public(RETIRED_SEED)),
        "future": key_info("Ministry of Home Affairs, civil registration 2027 (not yet in service)", Some(FUTURE_SEED), &public(FUTURE_SEED)),
        "rogue": key_info("untrusted key", Some(ROGUE_SEED), &public(ROGUE_SEED)),
        "revenue_es256": key_info("Revenue Services Lesotho, receipts", None, &es256_public()),
    });

    let mut input = cert.envelope.signing_input().unwrap();
    assert!(input.starts_with(SIGNING_CONTEXT));
    let signing_input = std::mem::take(&mut input);

    let files: Vec<(String, Vec<u8>)> = vec![
        ("keys.json".into(), pretty(&keys)),
        (
            "root.pub".into(),
            format!("{}\n", public(ROOT_SEED)).into_bytes(),
        ),
        (
            "trust-list.json".into(),
            signed_trust_list().json.into_bytes(),
        ),
        (
            "trust-list-seq1.json".into(),
            trust_list_seq1()
                .sign(&root_issuer(), None)
                .unwrap()
                .json
                .into_bytes(),
        ),
        (
            "birth-certificate.json".into(),
            cert.json.clone().into_bytes(),
        ),
        ("birth-certificate.signing-input.bin".into(), signing_input),
        (
            "birth-certificate.qr.txt".into(),
            cert.qr().unwrap().into_bytes(),
        ),
        ("revoked-certificate.json".into(), revoked.json.into_bytes()),
        ("status-list.json".into(), status.json.into_bytes()),
        (
            "driving-licence.json".into(),
            licence.json.clone().into_bytes(),
        ),
        (
            "driving-licence.qr.txt".into(),
            licence.qr().unwrap().into_bytes(),
        ),
    ];
    write_or_compare(&data_dir().join("golden"), &files);
}

/// Every golden file verifies with the verdict listed in golden/manifest.json.
#[test]
fn golden_manifest_verdicts() {
    let dir = data_dir().join("golden");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let root = std::fs::read_to_string(dir.join(manifest["root"].as_str().unwrap())).unwrap();
    let trust =
        std::fs::read_to_string(dir.join(manifest["trust_list"].as_str().unwrap())).unwrap();
    let status =
        std::fs::read_to_string(dir.join(manifest["status_list"].as_str().unwrap())).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let when = case["at"]
            .as_str()
            .unwrap_or(manifest["verify_at"].as_str().unwrap());
        let mut v = Verifier::new(root.trim().parse().unwrap(), &trust, at(when)).unwrap();
        v.add_status_list(&status).unwrap();
        let file = case["file"].as_str().unwrap();
        let verdict = v.verify_bytes(&std::fs::read(dir.join(file)).unwrap());
        let got = verdict.reason().map_or("valid", Reason::code);
        assert_eq!(
            got,
            case["expect"].as_str().unwrap(),
            "{file} at {when}: {verdict}"
        );
        if let (Verdict::Valid { document }, Some(issuer)) = (&verdict, case["issuer"].as_str()) {
            assert_eq!(document.issuer, issuer, "{file}");
        }
    }
}

/// The stored signing input is exactly context + JCS(envelope without sig), and the stored
/// signature verifies over it with the Home Affairs key.
#[test]
fn signing_input_is_context_plus_jcs() {
    let dir = data_dir().join("golden");
    let json = std::fs::read_to_string(dir.join("birth-certificate.json")).unwrap();
    let input = std::fs::read(dir.join("birth-certificate.signing-input.bin")).unwrap();
    let mut value: Value = serde_json::from_str(&json).unwrap();
    let sig = value.as_object_mut().unwrap().remove("sig").unwrap();
    let mut expected = SIGNING_CONTEXT.to_vec();
    expected.extend(eservices::json::canonical(&value).unwrap());
    assert_eq!(input, expected);
    let sig = unb64(sig.as_str().unwrap());
    assert!(public(HOME_AFFAIRS_SEED).verify(&input, &sig));
    // The envelope file is itself canonical.
    assert_eq!(
        SignedEnvelope::parse(&json).unwrap().to_json().unwrap(),
        json
    );
}

/// ES256 vectors are verify-only (ECDSA signatures are randomised): the files under
/// golden/es256/ were produced once and must keep verifying.
#[test]
fn es256_vectors_verify() {
    let v = verifier(); // loads (or first creates) the ES256 key
    let dir = data_dir().join("golden/es256");
    if regenerate() || !dir.join("receipt.json").exists() {
        let doc = es256_issuer(ISSUED_AT)
            .issue(
                "ls.gov.revenue.receipt",
                "RCPT-2026-000917",
                r#"{"payer":"Mpho Letsie","amount":"350.00","currency":"LSL","service":"passport-renewal"}"#,
                None,
                None,
            )
            .unwrap();
        std::fs::write(dir.join("receipt.json"), &doc.json).unwrap();
        std::fs::write(dir.join("receipt.qr.txt"), doc.qr().unwrap()).unwrap();
    }
    for file in ["receipt.json", "receipt.qr.txt"] {
        let verdict = v.verify_bytes(&std::fs::read(dir.join(file)).unwrap());
        match verdict {
            Verdict::Valid { document } => {
                assert_eq!(document.issuer, "Revenue Services Lesotho, receipts");
                assert_eq!(document.typ, "ls.gov.revenue.receipt");
            }
            other => panic!("{file}: {other}"),
        }
    }
    // A fresh ES256 signature over the same content also verifies, and is different.
    let stored = std::fs::read_to_string(dir.join("receipt.json")).unwrap();
    let env = SignedEnvelope::parse(&stored).unwrap();
    let again = env
        .to_unsigned()
        .sign(&es256_key().signer().unwrap())
        .unwrap();
    assert!(v.verify_envelope(&again).is_valid());
    assert_ne!(again.signature(), env.signature());
    // Tampering is caught.
    let tampered = stored.replace("350.00", "35.00");
    assert_eq!(v.verify(&tampered).reason(), Some(Reason::BadSignature));
    // The signer reports ES256 and a 65-byte uncompressed key.
    let signer = es256_key().signer().unwrap();
    assert_eq!(signer.public_key().len(), 65);
}

/// The QR size of the sample birth certificate, as stated in the README.
#[test]
fn sample_birth_certificate_qr_size() {
    let qr = std::fs::read_to_string(data_dir().join("golden/birth-certificate.qr.txt")).unwrap();
    println!("birth certificate QR: {} characters", qr.len());
    assert!(qr.len() <= 700, "{}", qr.len());
}
