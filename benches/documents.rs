//! Signed documents against the cryptographic floor, in one run.
//!
//! * `issue/{ed25519,es256}`: `Issuer::issue` of a document whose payload is 1 KB of JSON
//!   as an application might write it (members not sorted: parse the payload text, build the
//!   envelope, canonicalise, sign, emit the canonical JSON text), side by side with
//!   `ring/sign/...`: raw `ring` signing of the same signing-input bytes; `issue_canonical`
//!   is the same payload given in its canonical form.
//! * `verify/{ed25519,es256}`: `Verifier::verify_json` of that document (strict parse, trust
//!   list lookup, signature, validity, status list, the verified payload as canonical JSON),
//!   side by side with `ring/verify/...`: raw `ring` verification of the same bytes.
//! * `qr/encode`, `qr/decode`: the QR text of the sample birth certificate, and reading it
//!   back to an envelope; `verify/qr` verifies it from the QR text.
//! * `trust_list/load`: `Verifier::new` from a signed 5-key trust list (parse, root
//!   signature, validation).
//!
//! The ratio the README reports is `ring time / our time` for the same operation.
//!
//! `cargo bench --bench documents`

use std::error::Error;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use eservices::document::{
    parse_time, Alg, Issuer, PrivateKey, PublicKey, SignedEnvelope, Signer, SoftwareSigner,
    StatusEntry,
};
use eservices::status::{StatusListManager, STATUS_LIST_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::Verifier;
use eservices::FixedClock;
use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, Ed25519KeyPair, KeyPair, UnparsedPublicKey, VerificationAlgorithm,
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, ED25519,
};

const TYP: &str = "ls.gov.home-affairs.birth-certificate";
const LIST: &str = "home-affairs-2026-1";

/// The document payload: a birth certificate whose canonical JSON is about 1 KB (shared with
/// the Python benchmark, `bindings/python/bench.py`).
const PAYLOAD_1K: &str = include_str!("data/payload-1k.json");

struct Setup {
    issuer: Issuer,
    verifier: Verifier,
    document: String,
    input: Vec<u8>,
    signature: Vec<u8>,
    public_key: Vec<u8>,
}

fn setup(
    signer: Arc<dyn Signer>,
    clock: Arc<FixedClock>,
    root: &Issuer,
) -> Result<Setup, Box<dyn Error>> {
    let issuer = Issuer::new(signer.clone(), clock.clone())?;
    let window = (
        parse_time("2026-01-01T00:00:00Z")?,
        parse_time("2028-01-01T00:00:00Z")?,
    );
    let trust = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "Home Affairs".into(),
            public_key: issuer.public_key().clone(),
            not_before: window.0,
            not_after: window.1,
            doc_types: vec!["ls.gov.home-affairs.*".into(), STATUS_LIST_TYPE.into()],
        }],
    }
    .sign(root, None)?;
    let mut verifier = Verifier::new(root.public_key().clone(), &trust.json, clock.clone())?;
    let status = StatusListManager::new(LIST, 131_072)?;
    let published = status.publish(&issuer, parse_time("2026-03-08T00:00:00Z")?)?;
    verifier.add_status_list(&published.json)?;
    let entry = Some(StatusEntry {
        list: LIST.into(),
        index: 48_213,
    });
    let doc = issuer.issue(
        TYP,
        "BC-MSU-2026-004211",
        PAYLOAD_1K.trim_end(),
        None,
        entry,
    )?;
    if !verifier.verify_json(&doc.json).is_valid() {
        return Err("the benchmark document does not verify".into());
    }
    let input = doc.envelope.signing_input()?;
    Ok(Setup {
        issuer,
        verifier,
        document: doc.json,
        signature: doc.envelope.signature().to_vec(),
        public_key: signer.public_key(),
        input,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let clock = Arc::new(FixedClock::parse("2026-03-02T09:30:00Z")?);
    let root = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?),
        clock.clone(),
    )?;
    let seed = [2u8; 32];
    let es256_key = PrivateKey::generate(Alg::Es256)?;
    let ring_ed25519 =
        Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|e| format!("ring: {e}"))?;
    let ring_es256 = EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        es256_key.pkcs8_der(),
        &SystemRandom::new(),
    )
    .map_err(|e| format!("ring: {e}"))?;
    let rng = SystemRandom::new();
    let payload = PAYLOAD_1K.trim_end();
    let canonical_payload =
        eservices::json::canonical_value(&eservices::json::parse_strict(payload)?)?;
    if canonical_payload == payload {
        return Err("the shared payload should not be canonical already".into());
    }

    let cases: [(&str, Arc<dyn Signer>); 2] = [
        (
            "ed25519",
            Arc::new(SoftwareSigner::ed25519_from_seed(&seed)?),
        ),
        ("es256", Arc::new(es256_key.signer()?)),
    ];
    let mut failure: Option<String> = None;
    for (name, signer) in cases {
        let s = setup(signer, clock.clone(), &root)?;
        if name == "ed25519" && s.public_key != ring_ed25519.public_key().as_ref() {
            return Err("the ring key differs from ours".into());
        }
        let mut group = c.benchmark_group(format!("documents/{name}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("issue", |b| {
            b.iter(|| {
                let entry = Some(StatusEntry {
                    list: LIST.into(),
                    index: 48_213,
                });
                match s
                    .issuer
                    .issue(TYP, "BC-MSU-2026-004211", black_box(payload), None, entry)
                {
                    Ok(doc) => {
                        black_box(doc);
                    }
                    Err(e) => failure = Some(e.to_string()),
                }
            })
        });
        // The same payload handed over already in canonical form (as a payload written by
        // this crate or any RFC 8785 implementation is): read without re-canonicalising.
        group.bench_function("issue_canonical", |b| {
            b.iter(|| {
                let entry = Some(StatusEntry {
                    list: LIST.into(),
                    index: 48_213,
                });
                match s.issuer.issue(
                    TYP,
                    "BC-MSU-2026-004211",
                    black_box(&canonical_payload),
                    None,
                    entry,
                ) {
                    Ok(doc) => {
                        black_box(doc);
                    }
                    Err(e) => failure = Some(e.to_string()),
                }
            })
        });
        group.bench_function("ring_sign", |b| {
            b.iter(|| {
                if name == "ed25519" {
                    black_box(ring_ed25519.sign(black_box(&s.input)));
                } else {
                    match ring_es256.sign(&rng, black_box(&s.input)) {
                        Ok(sig) => {
                            black_box(sig);
                        }
                        Err(e) => failure = Some(e.to_string()),
                    }
                }
            })
        });
        group.bench_function("verify", |b| {
            b.iter(|| {
                let verdict = s.verifier.verify_json(black_box(&s.document));
                if !verdict.is_valid() {
                    failure = Some(format!("{verdict:?}"));
                }
            })
        });
        let alg: &'static dyn VerificationAlgorithm = if name == "ed25519" {
            &ED25519
        } else {
            &ECDSA_P256_SHA256_FIXED
        };
        group.bench_function("ring_verify", |b| {
            b.iter(|| {
                let key = UnparsedPublicKey::new(alg, &s.public_key);
                if key
                    .verify(black_box(&s.input), black_box(&s.signature))
                    .is_err()
                {
                    failure = Some("ring refused the signature".into());
                }
            })
        });
        group.finish();
    }

    // QR and trust-list loading, with the Ed25519 setup.
    let s = setup(
        Arc::new(SoftwareSigner::ed25519_from_seed(&seed)?),
        clock.clone(),
        &root,
    )?;
    let envelope = SignedEnvelope::parse(&s.document)?;
    let qr = envelope.to_qr()?;
    let mut group = c.benchmark_group("qr");
    group.throughput(Throughput::Elements(1));
    group.bench_function("encode", |b| {
        b.iter(|| match black_box(&envelope).to_qr() {
            Ok(q) => {
                black_box(q);
            }
            Err(e) => failure = Some(e.to_string()),
        })
    });
    group.bench_function("decode", |b| {
        b.iter(|| match SignedEnvelope::from_qr(black_box(&qr)) {
            Ok(env) => {
                black_box(env);
            }
            Err(e) => failure = Some(e.to_string()),
        })
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            if !s.verifier.verify_qr(black_box(&qr)).is_valid() {
                failure = Some("the QR text does not verify".into());
            }
        })
    });
    group.finish();

    let keys = (0..5u8)
        .map(|i| -> Result<TrustedKey, Box<dyn Error>> {
            let signer = SoftwareSigner::ed25519_from_seed(&[10 + i; 32])?;
            Ok(TrustedKey {
                name: format!("Ministry key {i}"),
                public_key: PublicKey::from_raw(Alg::Ed25519, &signer.public_key())?,
                not_before: parse_time("2026-01-01T00:00:00Z")?,
                not_after: parse_time("2028-01-01T00:00:00Z")?,
                doc_types: vec![format!("ls.gov.ministry-{i}.*")],
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let trust = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 7,
        keys,
    }
    .sign(&root, None)?;
    let mut group = c.benchmark_group("trust_list");
    group.throughput(Throughput::Elements(1));
    group.bench_function("load", |b| {
        b.iter(|| {
            match Verifier::new(
                root.public_key().clone(),
                black_box(&trust.json),
                clock.clone(),
            ) {
                Ok(v) => {
                    black_box(v);
                }
                Err(e) => failure = Some(e.to_string()),
            }
        })
    });
    group.finish();
    c.final_summary();
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
