//! Property tests of signed documents: any payload issues and verifies; any flipped signature
//! bit or changed payload value gives `bad_signature`; another member order still verifies;
//! the QR form round-trips; arbitrary input never panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod signing_common;

use std::sync::OnceLock;

use eservices::document::{IssuedDocument, Issuer, SignedEnvelope};
use eservices::json::MAX_SAFE_INTEGER;
use eservices::verify::{Reason, Verdict, Verifier};
use proptest::prelude::*;
use serde_json::{Map, Value};
use signing_common::*;

fn shared_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(verifier)
}

fn home_affairs() -> &'static Issuer {
    static I: OnceLock<Issuer> = OnceLock::new();
    I.get_or_init(|| issuer(HOME_AFFAIRS_SEED, ISSUED_AT))
}

fn leaf() -> impl Strategy<Value = Value> {
    let safe = i64::try_from(MAX_SAFE_INTEGER).unwrap();
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-safe..=safe).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        // Characters that JCS escapes or sorts specially.
        prop::sample::select(vec![
            "\u{0}\u{1f}\"\\",
            "é",
            "😀",
            "\u{e000}",
            "\u{2028}",
            "€"
        ])
        .prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn payload() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-zA-Z_é😀]{1,8}", value(), 0..6)
        .prop_map(|m| m.into_iter().collect())
}

fn issue(payload: Map<String, Value>) -> IssuedDocument {
    home_affairs()
        .issue_object(BIRTH_CERTIFICATE, "BC-PROP-1", payload, None, None)
        .unwrap()
}

/// Writes `v` as JSON with object members in reverse order, with whitespace.
fn reversed(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let members: Vec<String> = m
                .iter()
                .rev()
                .map(|(k, v)| format!("{} : {}", Value::from(k.clone()), reversed(v)))
                .collect();
            format!("{{ {} }}", members.join(" ,\n "))
        }
        Value::Array(a) => format!(
            "[ {} ]",
            a.iter().map(reversed).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Replaces the first leaf found (depth-first) with a different value; false if none.
fn change_a_value(v: &mut Value) -> bool {
    match v {
        Value::Object(m) => m.values_mut().any(change_a_value),
        Value::Array(a) => a.iter_mut().any(change_a_value),
        Value::String(s) => {
            s.push('x');
            true
        }
        Value::Bool(b) => {
            *b = !*b;
            true
        }
        Value::Null => {
            *v = Value::from(0);
            true
        }
        Value::Number(n) => {
            let i = n.as_i64().unwrap();
            *v = Value::from(if i == 0 { 1 } else { -i });
            true
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_payload_issues_and_verifies(p in payload()) {
        let doc = issue(p.clone());
        match shared_verifier().verify(&doc.json) {
            Verdict::Valid { document } => {
                prop_assert_eq!(document.payload, eservices::json::canonical_string(&p).unwrap());
            }
            other => prop_assert!(false, "{}", other),
        }
    }

    #[test]
    fn flipping_any_signature_bit_is_bad_signature(p in payload(), bit in 0usize..512) {
        let doc = issue(p);
        let mut v: Value = serde_json::from_str(&doc.json).unwrap();
        let mut sig = unb64(v["sig"].as_str().unwrap());
        sig[bit / 8] ^= 0x80 >> (bit % 8);
        v["sig"] = Value::from(b64(&sig));
        let verdict = shared_verifier().verify(&v.to_string());
        prop_assert_eq!(verdict.reason(), Some(Reason::BadSignature));
    }

    #[test]
    fn changing_any_payload_value_is_bad_signature(p in payload(), key in "[a-z]{1,8}") {
        let doc = issue(p.clone());
        let mut v: Value = serde_json::from_str(&doc.json).unwrap();
        let payload = &mut v["payload"];
        if !change_a_value(payload) {
            // No leaf to change: add a member instead.
            payload[key] = Value::from("added");
        }
        let verdict = shared_verifier().verify(&v.to_string());
        prop_assert_eq!(verdict.reason(), Some(Reason::BadSignature));
    }

    #[test]
    fn another_member_order_still_verifies(p in payload()) {
        let doc = issue(p);
        let v: Value = serde_json::from_str(&doc.json).unwrap();
        let text = reversed(&v);
        prop_assert!(shared_verifier().verify(&text).is_valid(), "{}", text);
        prop_assert_eq!(SignedEnvelope::parse(&text).unwrap(), doc.envelope);
    }

    #[test]
    fn qr_form_round_trips(p in payload()) {
        let doc = issue(p);
        let qr = doc.qr().unwrap();
        prop_assert!(qr.starts_with("LS1:"));
        prop_assert_eq!(SignedEnvelope::from_qr(&qr).unwrap(), doc.envelope);
        prop_assert!(shared_verifier().verify(&qr).is_valid());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let verdict = shared_verifier().verify_bytes(&bytes);
        prop_assert!(!verdict.is_valid());
        let mut qr = b"LS1:".to_vec();
        qr.extend(&bytes);
        prop_assert!(!shared_verifier().verify_bytes(&qr).is_valid());
    }

    #[test]
    fn mutated_envelopes_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let cert = birth_certificate().json.into_bytes();
        let mut bytes = cert.clone();
        let i = pos.index(bytes.len());
        bytes[i] = byte;
        let verdict = shared_verifier().verify_bytes(&bytes);
        if verdict.is_valid() {
            // Only an equivalent text (same canonical form) may still verify.
            let a: Value = serde_json::from_slice(&bytes).unwrap();
            let b: Value = serde_json::from_slice(&cert).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
