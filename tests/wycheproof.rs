//! Project Wycheproof vectors (tests/data/wycheproof) through the crate's key loading and
//! signature verification ([`PublicKey::from_raw`] then [`PublicKey::verify`]), the path every
//! document signature takes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use eservices::document::{Alg, PublicKey};
use serde_json::Value;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Runs every test of a file; returns (valid accepted, invalid rejected, groups whose key was
/// refused on load).
fn run(file: &str, alg: Alg, key_field: &str) -> (usize, usize, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/wycheproof")
        .join(file);
    let data: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let (mut valid, mut invalid, mut refused) = (0, 0, 0);
    for group in data["testGroups"].as_array().unwrap() {
        let raw = unhex(group["publicKey"][key_field].as_str().unwrap());
        let tests = group["tests"].as_array().unwrap();
        let key = match PublicKey::from_raw(alg, &raw) {
            Ok(key) => key,
            Err(e) => {
                // A key refused on load must have no valid signature to offer.
                for t in tests {
                    assert_ne!(
                        t["result"], "valid",
                        "{file} tc {}: key refused: {e}",
                        t["tcId"]
                    );
                }
                refused += 1;
                invalid += tests.len();
                continue;
            }
        };
        for t in tests {
            let msg = unhex(t["msg"].as_str().unwrap());
            let sig = unhex(t["sig"].as_str().unwrap());
            let expect = match t["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("unexpected result {other}"),
            };
            assert_eq!(
                key.verify(&msg, &sig),
                expect,
                "{file} tc {} ({})",
                t["tcId"],
                t["comment"]
            );
            if expect {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
    }
    assert_eq!(
        valid + invalid,
        usize::try_from(data["numberOfTests"].as_u64().unwrap()).unwrap(),
        "every test of {file} ran"
    );
    (valid, invalid, refused)
}

#[test]
fn wycheproof_ed25519() {
    let (valid, invalid, refused) = run("ed25519_test.json", Alg::Ed25519, "pk");
    assert!(valid > 0 && invalid > 0);
    println!("Ed25519: {valid} valid, {invalid} invalid, {refused} key groups refused on load");
}

#[test]
fn wycheproof_ecdsa_p256_p1363() {
    let (valid, invalid, refused) = run(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        Alg::Es256,
        "uncompressed",
    );
    assert!(valid > 0 && invalid > 0);
    println!("ES256: {valid} valid, {invalid} invalid, {refused} key groups refused on load");
}
