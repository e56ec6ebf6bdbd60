//! The official W3C test vectors of the `eddsa-jcs-2022` cryptosuite
//! (tests/data/w3c-eddsa-jcs-2022/, see SOURCE.md there): every intermediate value and the
//! proof value are reproduced byte for byte, and the signed credential verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use eservices::document::{Alg, PublicKey, Signer, SoftwareSigner};
use eservices::vc::{did_key, eddsa_jcs_2022 as suite, VcReason, VcVerdict, VcVerifier};
use eservices::FixedClock;
use serde_json::{Map, Value};

fn file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/w3c-eddsa-jcs-2022")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn object(name: &str) -> Map<String, Value> {
    match eservices::json::parse_strict(&file(name)).unwrap() {
        Value::Object(m) => m,
        other => panic!("{name} is not an object: {other}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key_pair() -> Map<String, Value> {
    object("keyPair.json")
}

/// The vector's signer: `privateKeyMultibase` is multicodec `ed25519-priv` (0x1300, varint
/// `0x80 0x26`) followed by the 32-byte RFC 8032 seed.
fn signer() -> SoftwareSigner {
    let text = key_pair()["privateKeyMultibase"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = did_key::multibase_decode(&text).unwrap();
    assert_eq!(
        bytes.get(..2),
        Some(&[0x80, 0x26][..]),
        "ed25519-priv multicodec"
    );
    SoftwareSigner::ed25519_from_seed(&bytes[2..]).unwrap()
}

/// The proof options of the vector: `proofConfigJCS.json` without the `@context` that Create
/// Proof copies from the document.
fn options() -> Map<String, Value> {
    let mut options = object("proofConfigJCS.json");
    assert!(options.remove("@context").is_some());
    options
}

fn verifier() -> VcVerifier {
    VcVerifier::new(Arc::new(FixedClock::parse("2024-01-01T00:00:00Z").unwrap()))
}

#[test]
fn the_key_pair_is_a_did_key() {
    let signer = signer();
    let public = PublicKey::from_raw(Alg::Ed25519, &signer.public_key()).unwrap();
    let multikey = key_pair()["publicKeyMultibase"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(did_key::multikey(&public).unwrap(), multikey);
    assert_eq!(
        did_key::did(&public).unwrap(),
        format!("did:key:{multikey}")
    );
    let method = options()["verificationMethod"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(did_key::verification_method(&public).unwrap(), method);
    assert_eq!(did_key::resolve(&method).unwrap(), public);
}

#[test]
fn every_intermediate_value_matches() {
    let unsigned = object("unsigned.json");
    let options = options();

    let transformed = suite::transform(&unsigned, &options).unwrap();
    assert_eq!(
        String::from_utf8(transformed.clone()).unwrap(),
        file("canonDocJCS.txt")
    );
    let doc_hash = ring::digest::digest(&ring::digest::SHA256, &transformed);
    assert_eq!(hex(doc_hash.as_ref()), file("docHashJCS.txt").trim());

    // Proof Configuration runs on the options with the document's @context (Create Proof
    // step 2): exactly proofConfigJCS.json.
    let mut with_context = options.clone();
    with_context.insert("@context".into(), unsigned["@context"].clone());
    assert_eq!(with_context, object("proofConfigJCS.json"));
    let proof_config = suite::proof_configuration(&with_context).unwrap();
    assert_eq!(
        String::from_utf8(proof_config.clone()).unwrap(),
        file("proofCanonJCS.txt")
    );
    let proof_hash = ring::digest::digest(&ring::digest::SHA256, &proof_config);
    assert_eq!(hex(proof_hash.as_ref()), file("proofHashJCS.txt").trim());

    let hash_data = suite::hash(&transformed, &proof_config);
    assert_eq!(hex(&hash_data), file("combinedHashJCS.txt").trim());

    let signature = suite::serialize_proof(&hash_data, &signer()).unwrap();
    assert_eq!(hex(&signature), file("sigHexJCS.txt").trim());
    assert_eq!(
        did_key::multibase_encode(&signature),
        file("sigBTC58JCS.txt").trim()
    );
}

#[test]
fn create_proof_reproduces_the_signed_credential() {
    let secured = suite::add_proof(object("unsigned.json"), &options(), &signer()).unwrap();
    assert_eq!(
        secured["proof"]["proofValue"].as_str().unwrap(),
        file("sigBTC58JCS.txt").trim()
    );
    assert_eq!(secured, object("signedJCS.json"));
}

#[test]
fn the_signed_credential_verifies() {
    let verdict = verifier().verify(&file("signedJCS.json"));
    let VcVerdict::Valid { credential } = &verdict else {
        panic!("{verdict}");
    };
    assert_eq!(
        credential.id.as_deref(),
        Some("urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33")
    );
    assert_eq!(
        credential.types,
        ["VerifiableCredential", "AlumniCredential"]
    );
    // An https issuer cannot be tied to the did:key offline: it is reported as stated.
    assert_eq!(credential.issuer, "https://vc.example/issuers/5678");
    assert_eq!(
        credential.verification_method,
        options()["verificationMethod"]
    );
    assert_eq!(credential.created.as_deref(), Some("2023-02-24T23:36:38Z"));
    assert_eq!(credential.trusted_key_name, None);
    assert_eq!(credential.document_type, None);
    assert_eq!(credential.credential, file("canonDocJCS.txt"));
    assert_eq!(
        credential.subject,
        r#"{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"}"#
    );
    assert_eq!(
        verdict.to_string(),
        "VALID urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33 (issuer https://vc.example/issuers/5678) \
         (signed by did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2; no trust list)"
    );
}

#[test]
fn the_signed_credential_is_not_valid_before_its_valid_from() {
    let early = VcVerifier::new(Arc::new(FixedClock::parse("2022-12-31T00:00:00Z").unwrap()));
    assert_eq!(
        early.verify(&file("signedJCS.json")).reason(),
        Some(VcReason::NotYetValid)
    );
}

/// A change to a credential, with the reason it must be refused for.
type Tamper = (&'static str, VcReason, Box<dyn Fn(&mut Value)>);

/// Every change to a member of the vector's credential or proof is caught, each with its
/// reason.
#[test]
fn tampering_with_the_vector_is_caught() {
    let original: Value = serde_json::from_str(&file("signedJCS.json")).unwrap();
    let cases: Vec<Tamper> = vec![
        (
            "name",
            VcReason::BadSignature,
            Box::new(|v| v["name"] = "Alumni Credential!".into()),
        ),
        (
            "subject",
            VcReason::BadSignature,
            Box::new(|v| v["credentialSubject"]["alumniOf"] = "Another School".into()),
        ),
        (
            "added member",
            VcReason::BadSignature,
            Box::new(|v| v["credentialSubject"]["degree"] = "PhD".into()),
        ),
        (
            "removed member",
            VcReason::BadSignature,
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("description");
            }),
        ),
        (
            "validFrom",
            VcReason::BadSignature,
            Box::new(|v| v["validFrom"] = "2023-01-02T00:00:00Z".into()),
        ),
        (
            "issuer",
            VcReason::BadSignature,
            Box::new(|v| v["issuer"] = "https://vc.example/issuers/0000".into()),
        ),
        (
            "type",
            VcReason::BadSignature,
            Box::new(|v| v["type"][1] = "DegreeCredential".into()),
        ),
        (
            "context replaced",
            VcReason::ContextMismatch,
            Box::new(|v| v["@context"][1] = "https://example.org/v2".into()),
        ),
        (
            "proof created",
            VcReason::BadSignature,
            Box::new(|v| v["proof"]["created"] = "2023-02-24T23:36:39Z".into()),
        ),
        (
            "proof context",
            VcReason::ContextMismatch,
            Box::new(|v| v["proof"]["@context"][1] = "https://example.org/v2".into()),
        ),
        (
            "proof context dropped",
            VcReason::BadSignature,
            Box::new(|v| {
                v["proof"].as_object_mut().unwrap().remove("@context");
            }),
        ),
        (
            "proof value",
            VcReason::BadSignature,
            Box::new(|v| v["proof"]["proofValue"] = did_key::multibase_encode(&[7; 64]).into()),
        ),
        (
            "proof value length",
            VcReason::Malformed,
            Box::new(|v| v["proof"]["proofValue"] = did_key::multibase_encode(&[7; 63]).into()),
        ),
        (
            "proof value huge",
            VcReason::Malformed,
            Box::new(|v| v["proof"]["proofValue"] = format!("z{}", "2".repeat(500_000)).into()),
        ),
        (
            "proof value base",
            VcReason::Malformed,
            Box::new(|v| v["proof"]["proofValue"] = "uAAAA".into()),
        ),
        (
            "proof type",
            VcReason::UnsupportedCryptosuite,
            Box::new(|v| v["proof"]["type"] = "Ed25519Signature2020".into()),
        ),
        (
            "cryptosuite",
            VcReason::UnsupportedCryptosuite,
            Box::new(|v| v["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into()),
        ),
        (
            "purpose",
            VcReason::WrongProofPurpose,
            Box::new(|v| v["proof"]["proofPurpose"] = "authentication".into()),
        ),
        (
            "method",
            VcReason::BadSignature,
            Box::new(|v| {
                let other = did_key::verification_method(
                    &PublicKey::from_raw(
                        Alg::Ed25519,
                        &SoftwareSigner::ed25519_from_seed(&[9; 32])
                            .unwrap()
                            .public_key(),
                    )
                    .unwrap(),
                )
                .unwrap();
                v["proof"]["verificationMethod"] = other.into();
            }),
        ),
        (
            "method of another DID method",
            VcReason::UnsupportedKey,
            Box::new(|v| v["proof"]["verificationMethod"] = "did:web:vc.example#key-1".into()),
        ),
        (
            "method without fragment",
            VcReason::Malformed,
            Box::new(|v| {
                v["proof"]["verificationMethod"] =
                    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".into()
            }),
        ),
        (
            "unknown proof member",
            VcReason::Malformed,
            Box::new(|v| v["proof"]["challenge"] = "1235abcd6789".into()),
        ),
        (
            "proof set",
            VcReason::UnsupportedCryptosuite,
            Box::new(|v| {
                let p = v["proof"].take();
                v["proof"] = Value::Array(vec![p]);
            }),
        ),
        (
            "no proof",
            VcReason::Malformed,
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("proof");
            }),
        ),
        (
            "VC 1.1 context",
            VcReason::Malformed,
            Box::new(|v| v["@context"][0] = "https://www.w3.org/2018/credentials/v1".into()),
        ),
        (
            "not a VerifiableCredential",
            VcReason::Malformed,
            Box::new(|v| v["type"] = Value::Array(vec!["AlumniCredential".into()])),
        ),
        (
            "float",
            VcReason::Malformed,
            Box::new(|v| v["credentialSubject"]["gpa"] = serde_json::json!(3.5)),
        ),
    ];
    let verifier = verifier();
    for (name, reason, tamper) in cases {
        let mut v = original.clone();
        tamper(&mut v);
        let text = serde_json::to_string(&v).unwrap();
        let verdict = verifier.verify(&text);
        assert_eq!(verdict.reason(), Some(reason), "{name}: {verdict}");
    }
}

/// §3.3.2 step 4 of the specification: a document whose @context has entries *after* the
/// proof's still verifies, and the verified document carries the proof's @context only.
#[test]
fn extra_trailing_contexts_are_dropped_as_the_specification_says() {
    let mut v: Value = serde_json::from_str(&file("signedJCS.json")).unwrap();
    v["@context"]
        .as_array_mut()
        .unwrap()
        .push("https://example.org/extra/v1".into());
    let verdict = verifier().verify(&v.to_string());
    let VcVerdict::Valid { credential } = verdict else {
        panic!("{verdict}");
    };
    assert_eq!(credential.credential, file("canonDocJCS.txt"));
}

#[test]
fn equivalent_json_verifies_the_same() {
    // JCS makes member order and whitespace irrelevant.
    let v: Value = serde_json::from_str(&file("signedJCS.json")).unwrap();
    let compact = serde_json::to_string(&v).unwrap();
    assert!(verifier().verify(&compact).is_valid());
    let escaped = file("signedJCS.json").replace("Alumni Credential", "Alumni Cr\\u0065dential");
    assert!(verifier().verify(&escaped).is_valid());
}
