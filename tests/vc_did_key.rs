//! did:key vectors of the did:key method specification (tests/data/did-key/, see SOURCE.md):
//! Ed25519 seeds give exactly the published DIDs, and DIDs of other key types are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use eservices::document::{Alg, PublicKey, Signer, SoftwareSigner};
use eservices::vc::did_key;
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/did-key/vectors.json");
    eservices::json::parse_strict(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn ed25519_seeds_give_the_published_dids() {
    let v = vectors();
    let cases = v["ed25519"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let did = case["did"].as_str().unwrap();
        let signer =
            SoftwareSigner::ed25519_from_seed(&unhex(case["seed"].as_str().unwrap())).unwrap();
        let key = PublicKey::from_raw(Alg::Ed25519, &signer.public_key()).unwrap();
        let raw = bs58::decode(case["publicKeyBase58"].as_str().unwrap())
            .into_vec()
            .unwrap();
        assert_eq!(key.as_bytes(), raw.as_slice(), "{did}");
        assert_eq!(did_key::did(&key).unwrap(), did);
        assert_eq!(did_key::resolve(did).unwrap(), key);
        let method = did_key::verification_method(&key).unwrap();
        assert_eq!(method, format!("{did}#{}", &did["did:key:".len()..]));
        assert_eq!(did_key::resolve(&method).unwrap(), key);
    }
}

#[test]
fn other_key_types_are_refused_with_a_reason() {
    let v = vectors();
    for case in v["not_ed25519"].as_array().unwrap() {
        let did = case["did"].as_str().unwrap();
        let e = did_key::resolve(did).unwrap_err();
        assert_eq!(e.code(), "invalid_did_key", "{did}");
        assert!(
            e.to_string().contains("not an Ed25519 public key"),
            "{did}: {e}"
        );
    }
}
