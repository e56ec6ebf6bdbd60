//! W3C credentials made from signed documents: the member mapping, a golden credential
//! (tests/data/vc/), the round trip issue → export → verify in both verifier modes, every
//! reason code, tampering with every member, and hostile input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod signing_common;

use eservices::document::{parse_time, IssuedDocument};
use eservices::vc::{self, did_key, eddsa_jcs_2022 as suite, VcReason, VcVerdict, VcVerifier};
use serde_json::{json, Map, Value};
use signing_common::*;

/// When the sample credentials are exported.
const EXPORTED_AT: &str = "2026-02-20T08:05:00Z";

fn export(doc: &IssuedDocument, seed: u8) -> String {
    vc::export(&doc.envelope, &ed25519(seed), at(EXPORTED_AT).as_ref()).unwrap()
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn did_of(seed: u8) -> String {
    did_key::did(&public(seed)).unwrap()
}

/// Signature-only verifier at `when`, holding the golden status list.
fn key_only_at(when: &str) -> VcVerifier {
    let mut v = VcVerifier::new(at(when));
    v.add_status_list(&status_list().json).unwrap();
    v
}

/// Trust-list verifier at `when`, holding the golden trust list (and no status list).
fn trust_only_at(when: &str) -> VcVerifier {
    let trust =
        eservices::verify::Verifier::new(public(ROOT_SEED), &signed_trust_list().json, at(when))
            .unwrap();
    VcVerifier::with_trust_list(trust, at(when))
}

/// Trust-list verifier at `when`, holding the golden trust list and status list.
fn trusted_at(when: &str) -> VcVerifier {
    let mut v = trust_only_at(when);
    v.add_status_list(&status_list().json).unwrap();
    v
}

fn reason(verdict: &VcVerdict) -> Option<VcReason> {
    verdict.reason()
}

#[test]
fn the_mapping_is_as_documented() {
    let v = value(&export(&birth_certificate(), HOME_AFFAIRS_SEED));
    let did = did_of(HOME_AFFAIRS_SEED);
    let list = "urn:ls-gov:ls.gov.eservices.status-list:home-affairs-2026-1";
    let payload: Value = serde_json::from_str(&sample_payload()).unwrap();
    assert_eq!(
        v["@context"],
        json!(["https://www.w3.org/ns/credentials/v2"])
    );
    assert_eq!(
        v["id"],
        "urn:ls-gov:ls.gov.home-affairs.birth-certificate:BC-MSU-2026-004211"
    );
    assert_eq!(
        v["type"],
        json!(["VerifiableCredential", "BirthCertificateCredential"])
    );
    assert_eq!(v["issuer"], did.as_str());
    assert_eq!(v["validFrom"], ISSUED_AT);
    assert!(v.get("validUntil").is_none());
    assert_eq!(v["credentialSubject"], payload);
    assert_eq!(
        v["credentialStatus"],
        json!({
            "id": format!("{list}#{CERT_INDEX}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": CERT_INDEX.to_string(),
            "statusListCredential": list,
        })
    );
    let proof = v["proof"].as_object().unwrap();
    let mut members: Vec<&str> = proof.keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [
            "@context",
            "created",
            "cryptosuite",
            "proofPurpose",
            "proofValue",
            "type",
            "verificationMethod"
        ]
    );
    assert_eq!(proof["type"], "DataIntegrityProof");
    assert_eq!(proof["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(proof["created"], EXPORTED_AT);
    assert_eq!(proof["proofPurpose"], "assertionMethod");
    assert_eq!(proof["@context"], v["@context"]);
    let mk = &did["did:key:".len()..];
    assert_eq!(proof["verificationMethod"], format!("{did}#{mk}"));
    let signature = did_key::multibase_decode(proof["proofValue"].as_str().unwrap()).unwrap();
    assert_eq!(signature.len(), 64);
}

#[test]
fn validity_ends_at_exp() {
    let doc = issuer(HOME_AFFAIRS_SEED, ISSUED_AT)
        .issue(
            "ls.gov.home-affairs.visa",
            "V-1",
            r#"{"holder":"Lineo"}"#,
            Some(parse_time("2026-06-01T00:00:00Z").unwrap()),
            None,
        )
        .unwrap();
    let text = export(&doc, HOME_AFFAIRS_SEED);
    assert_eq!(value(&text)["validUntil"], "2026-06-01T00:00:00Z");
    assert!(value(&text).get("credentialStatus").is_none());
    assert!(trusted_at(VERIFY_AT).verify(&text).is_valid());
    let late = trusted_at("2026-06-01T00:05:01Z").verify(&text);
    assert_eq!(reason(&late), Some(VcReason::Expired), "{late}");
    assert!(trusted_at("2026-06-01T00:04:59Z").verify(&text).is_valid());
}

/// The sample birth certificate as a credential, byte for byte (Ed25519 is deterministic).
/// `ESERVICES_REGENERATE=1` rewrites it.
#[test]
fn golden_credential() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    let pretty = serde_json::to_vec_pretty(&value(&text)).unwrap();
    write_or_compare(
        &data_dir().join("vc"),
        &[(
            "birth-certificate.vc.json".into(),
            [pretty, b"\n".to_vec()].concat(),
        )],
    );
    let stored = std::fs::read_to_string(data_dir().join("vc/birth-certificate.vc.json")).unwrap();
    assert!(trusted_at(VERIFY_AT).verify(&stored).is_valid());
}

#[test]
fn round_trip_signature_only() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    let verdict = key_only_at(VERIFY_AT).verify(&text);
    let VcVerdict::Valid { credential } = &verdict else {
        panic!("{verdict}");
    };
    assert_eq!(
        verdict.to_string(),
        format!(
            "VALID {BIRTH_CERTIFICATE} BC-MSU-2026-004211 (signed by {}; no trust list)",
            did_of(HOME_AFFAIRS_SEED)
        )
    );
    assert_eq!(credential.document_type.as_deref(), Some(BIRTH_CERTIFICATE));
    assert_eq!(
        credential.document_id.as_deref(),
        Some("BC-MSU-2026-004211")
    );
    assert_eq!(credential.issuer, did_of(HOME_AFFAIRS_SEED));
    assert_eq!(credential.kid, public(HOME_AFFAIRS_SEED).kid());
    assert_eq!(credential.trusted_key_name, None);
    assert_eq!(credential.valid_from.as_deref(), Some(ISSUED_AT));
    assert_eq!(credential.created.as_deref(), Some(EXPORTED_AT));
    assert_eq!(
        credential.subject,
        birth_certificate().envelope.payload_json().unwrap()
    );
    // Without a status list the entry cannot be answered.
    let bare = VcVerifier::new(at(VERIFY_AT)).verify(&text);
    assert_eq!(reason(&bare), Some(VcReason::StatusUnknown), "{bare}");
}

#[test]
fn round_trip_against_the_trust_list() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    let verdict = trusted_at(VERIFY_AT).verify(&text);
    let VcVerdict::Valid { credential } = &verdict else {
        panic!("{verdict}");
    };
    assert_eq!(
        verdict.to_string(),
        format!("VALID {BIRTH_CERTIFICATE} BC-MSU-2026-004211")
    );
    assert_eq!(
        credential.trusted_key_name.as_deref(),
        Some("Ministry of Home Affairs, civil registration 2026")
    );
}

#[test]
fn revoked_documents_are_revoked_credentials() {
    let text = export(&revoked_certificate(), HOME_AFFAIRS_SEED);
    for verifier in [key_only_at(VERIFY_AT), trusted_at(VERIFY_AT)] {
        let verdict = verifier.verify(&text);
        assert_eq!(reason(&verdict), Some(VcReason::Revoked), "{verdict}");
        assert!(verdict.to_string().starts_with("INVALID revoked: "));
    }
}

#[test]
fn status_lists_are_checked_for_time_and_signer() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    // Past the list's valid_until.
    let stale = key_only_at("2026-03-09T00:00:00Z").verify(&text);
    assert_eq!(reason(&stale), Some(VcReason::StatusUnknown), "{stale}");
    // A credential by another key cannot lean on a list the Home Affairs key signed.
    let rogue = issuer(ROGUE_SEED, ISSUED_AT)
        .issue(BIRTH_CERTIFICATE, "X-1", "{}", None, entry(CERT_INDEX))
        .unwrap();
    let verdict = key_only_at(VERIFY_AT).verify(&export(&rogue, ROGUE_SEED));
    assert_eq!(reason(&verdict), Some(VcReason::StatusUnknown), "{verdict}");
    // In trust mode, a status list must verify against the trust list when it is added.
    let mut v = trusted_at(VERIFY_AT);
    let forged = status_manager()
        .publish(
            &issuer(ROGUE_SEED, STATUS_AT),
            parse_time(STATUS_UNTIL).unwrap(),
        )
        .unwrap();
    assert_eq!(
        v.add_status_list(&forged.json).unwrap_err().code(),
        "rejected"
    );
    assert!(v.add_status_list(&birth_certificate().json).is_err());
}

#[test]
fn trust_list_reasons() {
    let case = |seed: u8, typ: &str| {
        let doc = issuer(seed, ISSUED_AT)
            .issue(typ, "D-1", r#"{"a":"b"}"#, None, None)
            .unwrap();
        let verdict = trusted_at(VERIFY_AT).verify(&export(&doc, seed));
        (reason(&verdict), verdict.to_string())
    };
    let (r, s) = case(ROGUE_SEED, BIRTH_CERTIFICATE);
    assert_eq!(r, Some(VcReason::UnknownKey), "{s}");
    let (r, s) = case(TRANSPORT_SEED, BIRTH_CERTIFICATE);
    assert_eq!(r, Some(VcReason::DocTypeNotAuthorised), "{s}");
    let (r, s) = case(RETIRED_SEED, BIRTH_CERTIFICATE);
    assert_eq!(r, Some(VcReason::KeyNotValidAtIssue), "{s}");
    let (r, s) = case(TRANSPORT_SEED, DRIVING_LICENCE);
    assert_eq!(r, None, "{s}");
    // The same credentials by signature alone: valid (they are genuinely signed).
    let doc = issuer(ROGUE_SEED, ISSUED_AT)
        .issue(BIRTH_CERTIFICATE, "D-1", "{}", None, None)
        .unwrap();
    assert!(VcVerifier::new(at(VERIFY_AT))
        .verify(&export(&doc, ROGUE_SEED))
        .is_valid());
}

#[test]
fn time_reasons() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    // Before validFrom (beyond the 5-minute skew).
    let early = trust_only_at("2026-02-20T07:54:59Z").verify(&text);
    assert_eq!(reason(&early), Some(VcReason::NotYetValid), "{early}");
    // A skew of zero is stricter.
    let strict = VcVerifier::new(at("2026-02-20T07:59:59Z")).with_skew(chrono::Duration::zero());
    assert_eq!(reason(&strict.verify(&text)), Some(VcReason::NotYetValid));
    // The proof's created (08:05) counts too.
    let before_created = trust_only_at("2026-02-20T07:59:59Z").verify(&text);
    assert_eq!(
        reason(&before_created),
        Some(VcReason::NotYetValid),
        "{before_created}"
    );
    // Within the skew, the credential itself is current (its status is then the question).
    let close = trust_only_at("2026-02-20T08:00:01Z").verify(&text);
    assert_eq!(reason(&close), Some(VcReason::StatusUnknown), "{close}");
}

/// Signs an arbitrary credential with the Home Affairs key (to test what the proof alone does
/// not decide).
fn signed(mut credential: Map<String, Value>, seed: u8) -> String {
    credential.remove("proof");
    let method = did_key::verification_method(&public(seed)).unwrap();
    let created = parse_time(EXPORTED_AT).unwrap();
    let options = suite::proof_options(&method, Some(&created));
    let secured = suite::add_proof(credential, &options, &ed25519(seed)).unwrap();
    serde_json::to_string(&secured).unwrap()
}

#[test]
fn issuer_must_be_the_signing_key() {
    let original = value(&export(&birth_certificate(), HOME_AFFAIRS_SEED));
    let mut other = original.as_object().unwrap().clone();
    other.insert("issuer".into(), did_of(TRANSPORT_SEED).into());
    let text = signed(other, HOME_AFFAIRS_SEED);
    let verdict = key_only_at(VERIFY_AT).verify(&text);
    assert_eq!(
        reason(&verdict),
        Some(VcReason::IssuerMismatch),
        "{verdict}"
    );

    let mut web = original.as_object().unwrap().clone();
    web.insert(
        "issuer".into(),
        json!({"id": "https://gov.ls", "name": "Government of Lesotho"}),
    );
    let text = signed(web, HOME_AFFAIRS_SEED);
    // Signature only: an https issuer is reported as stated...
    assert!(key_only_at(VERIFY_AT).verify(&text).is_valid());
    // ...but a trust-list verifier requires the key's own did:key.
    let verdict = trusted_at(VERIFY_AT).verify(&text);
    assert_eq!(
        reason(&verdict),
        Some(VcReason::IssuerMismatch),
        "{verdict}"
    );
}

#[test]
fn a_credential_must_name_its_document_type_for_the_trust_list() {
    let original = value(&export(&birth_certificate(), HOME_AFFAIRS_SEED));
    let mut m = original.as_object().unwrap().clone();
    m.insert(
        "id".into(),
        "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33".into(),
    );
    let verdict = trusted_at(VERIFY_AT).verify(&signed(m.clone(), HOME_AFFAIRS_SEED));
    assert_eq!(
        reason(&verdict),
        Some(VcReason::DocTypeNotAuthorised),
        "{verdict}"
    );
    m.insert(
        "id".into(),
        vc::credential_id("ls.gov.revenue.receipt", "R-1").into(),
    );
    let verdict = trusted_at(VERIFY_AT).verify(&signed(m, HOME_AFFAIRS_SEED));
    assert_eq!(
        reason(&verdict),
        Some(VcReason::DocTypeNotAuthorised),
        "{verdict}"
    );
}

/// Every JSON path of leaves and members in `v`.
fn paths(v: &Value, at: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                let mut p = at.clone();
                p.push(Value::from(k.as_str()));
                out.push(p.clone());
                paths(item, p, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut p = at.clone();
                p.push(Value::from(i));
                out.push(p.clone());
                paths(item, p, out);
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(n) => &mut v[usize::try_from(n.as_u64().unwrap()).unwrap()],
        _ => unreachable!(),
    })
}

/// Changing, replacing or removing any member of the credential or of its proof makes it
/// invalid, with a reason code.
#[test]
fn tampering_with_any_member_is_caught() {
    let original = value(&export(&birth_certificate(), HOME_AFFAIRS_SEED));
    let mut all = Vec::new();
    paths(&original, Vec::new(), &mut all);
    assert!(all.len() > 30);
    let verifiers = [key_only_at(VERIFY_AT), trusted_at(VERIFY_AT)];
    let mut checked = 0;
    for path in &all {
        let mut changed = original.clone();
        let target = get_mut(&mut changed, path);
        *target = match target {
            Value::String(s) if s.starts_with('z') => {
                // A multibase value: change one base58 character, keep the form.
                let mut c: Vec<char> = s.chars().collect();
                let last = c.len() - 1;
                c[last] = if c[last] == '2' { '3' } else { '2' };
                Value::from(c.into_iter().collect::<String>())
            }
            Value::String(s) => Value::from(format!("{s}x")),
            Value::Number(n) => Value::from(n.as_u64().unwrap_or(0) + 1),
            Value::Bool(b) => Value::from(!*b),
            Value::Object(_) => json!({}),
            Value::Array(_) => json!([]),
            Value::Null => json!(1),
        };
        let mut removed = original.clone();
        let (last, parent) = path.split_last().unwrap();
        match (get_mut(&mut removed, parent), last) {
            (Value::Object(m), Value::String(k)) => {
                m.remove(k.as_str());
            }
            (Value::Array(items), Value::Number(n)) => {
                items.remove(usize::try_from(n.as_u64().unwrap()).unwrap());
            }
            _ => unreachable!(),
        }
        for variant in [changed, removed] {
            let text = serde_json::to_string(&variant).unwrap();
            for verifier in &verifiers {
                let verdict = verifier.verify(&text);
                assert!(
                    !verdict.is_valid() && reason(&verdict).is_some(),
                    "{path:?}: {verdict}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 120, "{checked}");
}

#[test]
fn export_refuses_what_it_cannot_honestly_sign() {
    let doc = birth_certificate();
    let clock = at(EXPORTED_AT);
    // ES256 signers cannot make eddsa-jcs-2022 proofs.
    let es256 = es256_key().signer().unwrap();
    let e = vc::export(&doc.envelope, &es256, clock.as_ref()).unwrap_err();
    assert_eq!(e.code(), "vc_unsupported_alg");
    // ES256 documents cannot be re-signed by an Ed25519 key.
    let receipt = es256_issuer(ISSUED_AT)
        .issue("ls.gov.revenue.receipt", "R-1", "{}", None, None)
        .unwrap();
    let e = vc::export(
        &receipt.envelope,
        &ed25519(HOME_AFFAIRS_SEED),
        clock.as_ref(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "vc_unsupported_alg");
    // Only the key that signed the document may export it.
    let e = vc::export(&doc.envelope, &ed25519(TRANSPORT_SEED), clock.as_ref()).unwrap_err();
    assert_eq!(e.code(), "vc_signer_mismatch");
    assert!(!e.to_string().contains(&hex(&[HOME_AFFAIRS_SEED; 32])));
}

#[test]
fn create_proof_refuses_bad_options() {
    let signer = ed25519(HOME_AFFAIRS_SEED);
    let method = did_key::verification_method(&public(HOME_AFFAIRS_SEED)).unwrap();
    let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"]});
    let doc = doc.as_object().unwrap();
    let good = suite::proof_options(&method, None);
    assert!(suite::create_proof(doc, &good, &signer).is_ok());
    let with = |k: &str, v: Value| {
        let mut o = good.clone();
        o.insert(k.into(), v);
        o
    };
    for options in [
        with("type", "Ed25519Signature2020".into()),
        with("cryptosuite", "eddsa-rdfc-2022".into()),
        with("created", "yesterday".into()),
        with(
            "verificationMethod",
            did_key::verification_method(&public(TRANSPORT_SEED))
                .unwrap()
                .into(),
        ),
        with("verificationMethod", "https://example.com/key".into()),
        with("proofValue", "z1".into()),
    ] {
        let e = suite::create_proof(doc, &options, &signer).unwrap_err();
        assert_eq!(e.code(), "invalid_proof_options", "{options:?}");
    }
    let e = suite::create_proof(doc, &good, &es256_key().signer().unwrap()).unwrap_err();
    assert_eq!(e.code(), "vc_unsupported_alg");
}

#[test]
fn hostile_input_never_panics() {
    let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
    let v = key_only_at(VERIFY_AT);
    for end in 0..text.len() {
        if let Some(prefix) = text.get(..end) {
            assert!(!v.verify(prefix).is_valid());
        }
    }
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    for bad in [
        "",
        "null",
        "[]",
        "{}",
        "1",
        "\"x\"",
        &deep,
        r#"{"@context":"https://www.w3.org/ns/credentials/v2"}"#,
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:key:z","credentialSubject":{},"proof":{}}"#,
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":{},"credentialSubject":{},"proof":1}"#,
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":[],"proof":{}}"#,
    ] {
        let verdict = v.verify(bad);
        assert_eq!(
            reason(&verdict),
            Some(VcReason::Malformed),
            "{bad}: {verdict}"
        );
    }
    assert_eq!(
        reason(&v.verify_bytes(&[0xff, 0xfe])),
        Some(VcReason::Malformed)
    );
    let dup = text.replacen("\"issuer\"", "\"issuer\":\"x\",\"issuer\"", 1);
    assert_eq!(reason(&v.verify(&dup)), Some(VcReason::Malformed));
    // A value built by hand is held to the same profile: no floats.
    let mut with_float = value(&text);
    with_float["credentialSubject"]["weight_kg"] = json!(3.25);
    assert_eq!(
        reason(&v.verify_value(&with_float)),
        Some(VcReason::Malformed)
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any byte of the golden credential changed to any value: never a panic, and never
        /// valid unless the text still means the same JSON (a changed whitespace byte).
        #[test]
        fn one_changed_byte(pos in 0usize..4096, byte in any::<u8>()) {
            let text = export(&birth_certificate(), HOME_AFFAIRS_SEED);
            let mut bytes = text.clone().into_bytes();
            let at = pos % bytes.len();
            bytes[at] = byte;
            let verdict = key_only_at(VERIFY_AT).verify_bytes(&bytes);
            if verdict.is_valid() {
                let same = serde_json::from_slice::<Value>(&bytes).ok() == Some(value(&text));
                prop_assert!(same, "changed byte {} to {:#x} and still valid", at, byte);
            }
        }
    }
}
