//! Shared fixture for the signed-document tests: fixed keys, fixed times, the golden trust
//! list, and a helper that writes data files (when `ESERVICES_REGENERATE=1`) or compares
//! them byte for byte.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eservices::document::{
    parse_time, Alg, IssuedDocument, Issuer, PrivateKey, PublicKey, Signer, SoftwareSigner,
    StatusEntry,
};
use eservices::status::{StatusListManager, MIN_SIZE, STATUS_LIST_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::Verifier;
use eservices::FixedClock;

/// The instant at which golden and hostile vectors are verified (unless a case says otherwise).
pub const VERIFY_AT: &str = "2026-03-01T09:30:00Z";
/// When the trust lists were signed.
pub const TRUST_LIST_AT: &str = "2026-01-01T00:00:00Z";
/// When the sample documents were issued.
pub const ISSUED_AT: &str = "2026-02-20T08:00:00Z";
/// When the status list was published, and until when it is valid.
pub const STATUS_AT: &str = "2026-03-01T06:00:00Z";
pub const STATUS_UNTIL: &str = "2026-03-08T06:00:00Z";

pub const BIRTH_CERTIFICATE: &str = "ls.gov.home-affairs.birth-certificate";
pub const DRIVING_LICENCE: &str = "ls.gov.transport.driving-licence";
pub const STATUS_LIST_ID: &str = "home-affairs-2026-1";
pub const CERT_INDEX: u64 = 48_213;
pub const REVOKED_INDEX: u64 = 117_740;

/// Ed25519 seeds (RFC 8032 private keys) of the fixed keys: 32 copies of one byte.
pub const ROOT_SEED: u8 = 0x01;
pub const HOME_AFFAIRS_SEED: u8 = 0x02;
pub const TRANSPORT_SEED: u8 = 0x03;
pub const RETIRED_SEED: u8 = 0x04;
pub const FUTURE_SEED: u8 = 0x05;
pub const ROGUE_SEED: u8 = 0x06;

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn regenerate() -> bool {
    std::env::var("ESERVICES_REGENERATE").is_ok_and(|v| v == "1")
}

pub fn at(t: &str) -> Arc<FixedClock> {
    Arc::new(FixedClock::parse(t).unwrap())
}

pub fn ed25519(seed: u8) -> SoftwareSigner {
    SoftwareSigner::ed25519_from_seed(&[seed; 32]).unwrap()
}

pub fn issuer(seed: u8, when: &str) -> Issuer {
    Issuer::new(Arc::new(ed25519(seed)), at(when)).unwrap()
}

pub fn public(seed: u8) -> PublicKey {
    let s = ed25519(seed);
    PublicKey::from_raw(s.alg(), &s.public_key()).unwrap()
}

/// The fixed ES256 issuing key (generated once; stored as PKCS#8 because ES256 has no seed).
pub fn es256_key() -> PrivateKey {
    let path = data_dir().join("golden/es256/revenue-issuer.pkcs8.b64url");
    if !path.exists() {
        let key = PrivateKey::generate(Alg::Es256).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b64(key.pkcs8_der()) + "\n").unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    PrivateKey::from_pkcs8(Alg::Es256, &unb64(text.trim())).unwrap()
}

pub fn es256_public() -> PublicKey {
    let s = es256_key().signer().unwrap();
    PublicKey::from_raw(Alg::Es256, &s.public_key()).unwrap()
}

pub fn es256_issuer(when: &str) -> Issuer {
    Issuer::new(Arc::new(es256_key().signer().unwrap()), at(when)).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn window(from: &str, to: &str) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    (parse_time(from).unwrap(), parse_time(to).unwrap())
}

pub fn trusted(name: &str, key: PublicKey, from: &str, to: &str, types: &[&str]) -> TrustedKey {
    let (not_before, not_after) = window(from, to);
    TrustedKey {
        name: name.into(),
        public_key: key,
        not_before,
        not_after,
        doc_types: types.iter().map(|t| t.to_string()).collect(),
    }
}

/// The golden trust list content (seq 2).
pub fn trust_list() -> TrustList {
    TrustList {
        issuer: "Government of Lesotho, eServices trust root".into(),
        seq: 2,
        keys: vec![
            trusted(
                "Ministry of Home Affairs, civil registration 2026",
                public(HOME_AFFAIRS_SEED),
                "2026-01-01T00:00:00Z",
                "2028-01-01T00:00:00Z",
                &["ls.gov.home-affairs.*", STATUS_LIST_TYPE],
            ),
            trusted(
                "Ministry of Public Works and Transport, licensing",
                public(TRANSPORT_SEED),
                "2026-01-01T00:00:00Z",
                "2028-01-01T00:00:00Z",
                &[DRIVING_LICENCE],
            ),
            trusted(
                "Ministry of Home Affairs, civil registration 2024 (retired)",
                public(RETIRED_SEED),
                "2024-01-01T00:00:00Z",
                "2025-01-01T00:00:00Z",
                &["ls.gov.home-affairs.*"],
            ),
            trusted(
                "Ministry of Home Affairs, civil registration 2027 (not yet in service)",
                public(FUTURE_SEED),
                "2027-01-01T00:00:00Z",
                "2029-01-01T00:00:00Z",
                &["ls.gov.home-affairs.*"],
            ),
            trusted(
                "Revenue Services Lesotho, receipts",
                es256_public(),
                "2026-01-01T00:00:00Z",
                "2028-01-01T00:00:00Z",
                &["ls.gov.revenue.*"],
            ),
        ],
    }
}

/// The older trust list (seq 1): the Home Affairs key only.
pub fn trust_list_seq1() -> TrustList {
    let mut list = trust_list();
    list.seq = 1;
    list.keys.truncate(1);
    list
}

pub fn root_issuer() -> Issuer {
    issuer(ROOT_SEED, TRUST_LIST_AT)
}

pub fn signed_trust_list() -> IssuedDocument {
    trust_list().sign(&root_issuer(), None).unwrap()
}

pub fn sample_payload() -> String {
    std::fs::read_to_string(data_dir().join("golden/birth-certificate.payload.json")).unwrap()
}

pub fn revoked_payload() -> String {
    sample_payload()
        .replace("BC-MSU-2026-004211", "BC-MSU-2026-004212")
        .replace("Lineo Palesa", "Neo")
}

pub fn entry(index: u64) -> Option<StatusEntry> {
    Some(StatusEntry {
        list: STATUS_LIST_ID.into(),
        index,
    })
}

pub fn birth_certificate() -> IssuedDocument {
    issuer(HOME_AFFAIRS_SEED, ISSUED_AT)
        .issue(
            BIRTH_CERTIFICATE,
            "BC-MSU-2026-004211",
            &sample_payload(),
            None,
            entry(CERT_INDEX),
        )
        .unwrap()
}

pub fn revoked_certificate() -> IssuedDocument {
    issuer(HOME_AFFAIRS_SEED, ISSUED_AT)
        .issue(
            BIRTH_CERTIFICATE,
            "BC-MSU-2026-004212",
            &revoked_payload(),
            None,
            entry(REVOKED_INDEX),
        )
        .unwrap()
}

pub fn status_manager() -> StatusListManager {
    let len = usize::try_from(MIN_SIZE / 8).unwrap();
    let mut allocated = vec![0u8; len];
    for i in [CERT_INDEX, REVOKED_INDEX] {
        allocated[usize::try_from(i / 8).unwrap()] |= 0x80 >> (i % 8);
    }
    let mut m =
        StatusListManager::restore(STATUS_LIST_ID, MIN_SIZE, allocated, vec![0; len]).unwrap();
    m.revoke(REVOKED_INDEX).unwrap();
    m
}

pub fn status_list() -> IssuedDocument {
    status_manager()
        .publish(
            &issuer(HOME_AFFAIRS_SEED, STATUS_AT),
            parse_time(STATUS_UNTIL).unwrap(),
        )
        .unwrap()
}

/// A verifier holding the golden trust list and status list, at `when`.
pub fn verifier_at(when: &str) -> Verifier {
    let mut v = Verifier::new(public(ROOT_SEED), &signed_trust_list().json, at(when)).unwrap();
    v.add_status_list(&status_list().json).unwrap();
    v
}

pub fn verifier() -> Verifier {
    verifier_at(VERIFY_AT)
}

/// Writes `files` under `dir` when regenerating; otherwise checks each is byte-identical.
pub fn write_or_compare(dir: &Path, files: &[(String, Vec<u8>)]) {
    if regenerate() {
        std::fs::create_dir_all(dir).unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        return;
    }
    for (name, bytes) in files {
        let path = dir.join(name);
        let stored = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with ESERVICES_REGENERATE=1 to create)",
                path.display()
            )
        });
        assert!(
            stored == *bytes,
            "{} differs from what the code now produces (if the change is intended, rerun with ESERVICES_REGENERATE=1 and review the diff)",
            path.display()
        );
    }
}
