//! No public entry point panics on arbitrary input: every function and constructor that takes
//! outside text or bytes is fed arbitrary strings and bytes, and mutations of valid inputs
//! (the golden documents, trust and status lists, receipts, catalogues, quotes, applications,
//! audit logs and checkpoints, credentials, references), and must return — `Ok` or `Err`,
//! a verdict — without panicking. Each call runs under `catch_unwind`, so a failure names the
//! function. (The fuzz targets, `tests/fuzz/`, go deeper on the main parsers; this runs in
//! every `cargo test`, in a few seconds.)
//!
//! The entry points, in the order called by [`every_entry_point`]:
//!
//! * JSON: `json::parse_strict`, `json::parse_strict_bytes`, `json::canonicalise`;
//! * signed documents: `SignedEnvelope::parse`, `parse_bytes`, `from_qr`, `qr::decode`,
//!   `parse_time`, `PublicKey::from_str` (a `root.pub` line), `PublicKey::from_base64url`,
//!   `PublicKey::from_raw`, `SoftwareSigner::ed25519_from_seed`, `SoftwareSigner::from_pkcs8`,
//!   `PrivateKey::from_pkcs8`, `Issuer::issue` (type, id and payload from the input);
//! * verifier: `Verifier::new` (trust list), `update_trust_list`, `add_status_list`,
//!   `verify`, `verify_bytes`, `verify_json`, `verify_qr`; `TrustList::from_payload`,
//!   `StatusList::from_payload`, `StatusListManager::new`;
//! * W3C credentials: `VcVerifier::verify`, `verify_bytes`, `add_status_list`,
//!   `did_key::resolve`, `did_key::multibase_decode`, `vc::parse_credential_id`, `vc::export`
//!   of a parsed input;
//! * catalogue and fees: `Catalogue::from_json`, `Service::validate_answers` and
//!   `Catalogue::quote` with the input as an answer, category and service id, `Quoter::quote`
//!   and `Quoter::quote_into` over a `Quote` read from the input, a `Quote` read from JSON and
//!   `Quote::verify_id`, `normalise_phone`, `is_valid_email`,
//!   `AttachmentRef::parse`;
//! * money: `Money::parse`, `money::parse_decimal`, `Currency::from_code`;
//! * applications and audit: `ApplicationRef::parse`, `ApplicationRef::new`,
//!   `mod37_2_check`, `Actor::new`, `Application::from_json`, `AuditLog::new`,
//!   `AuditLog::from_json`, `Checkpoint::from_json`, `Checkpoint::verify_signed`,
//!   `AuditLog::verify_against` a parsed checkpoint;
//! * payments and receipts: `Channel::parse`, `IssuedReceipt::parse`, `receipt::audit::
//!   audit_series` (the input alone, and spliced into a valid series), `ReceiptSeries::new`,
//!   `PaymentLedger::register_quote` of a parsed quote, `balance`, `refundable`,
//!   `void_number`, `request_refund`;
//! * `FixedClock::parse`;
//! * the FFI (`src/ffi/`, feature `ffi`), called directly: `canonical_json`,
//!   `parse_application_reference`, `is_valid_application_reference`,
//!   `format_application_reference`, `Catalogue::from_json`, `Catalogue::service`,
//!   `validate_answers`, `quote`, `quote_from_json`, `AuditLog::new`, `AuditLog::from_json`,
//!   `verify_against_checkpoint`, `Application::from_json`, `Verifier::new`,
//!   `Verifier::with_root_key`, `add_status_list`, `update_trust_list`, `verify`,
//!   `VcVerifier::with_trust_list`, `VcVerifier::verify`, `add_status_list`, `vc_export`,
//!   `audit_receipts`, `software_signer_from_seed`, `software_signer_from_pkcs8`,
//!   `public_key_text`, `key_id`, `Issuer::issue`, `StatusListManager::new`, `restore`,
//!   `PaymentLedger::register_quote`, `pay`, `request_refund`, `refundable`, `void_number`,
//!   `types::decimal_from_text`, `timestamp_from_text`, `date_from_text`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod signing_common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use eservices::application::reference::mod37_2_check;
use eservices::application::{
    Actor, Application, ApplicationRef, Fee, FormValidator, NewApplication, PaymentDue, Role,
};
use eservices::audit::{AuditLog, Checkpoint};
use eservices::catalogue::form::BasicNationalIdValidator;
use eservices::catalogue::form::{is_valid_email, normalise_phone, AttachmentRef};
use eservices::catalogue::{Answers, Catalogue, FieldError};
use eservices::document::{
    parse_time, qr, Alg, PrivateKey, PublicKey, SignedEnvelope, SoftwareSigner,
};
use eservices::fees::{Quote, Quoter};
use eservices::money::{parse_decimal, Currency, Money};
use eservices::payment::{Channel, LedgerPolicy, PaymentLedger};
use eservices::receipt::audit::{audit_series, AuditOptions};
use eservices::receipt::{IssuedReceipt, ReceiptSeries};
use eservices::status::{StatusList, StatusListManager};
use eservices::trust::TrustList;
use eservices::vc::{self, did_key, VcVerifier};
use eservices::verify::Verifier;
use eservices::FixedClock;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use signing_common::*;

const SERIES: &str = include_str!("data/receipts/series.jsonl");

struct Fixtures {
    verifier: Verifier,
    credentials: VcVerifier,
    receipts: Verifier,
    catalogue: Catalogue,
    /// Valid inputs that mutations start from.
    seeds: Vec<String>,
    log: AuditLog,
    #[cfg(feature = "ffi")]
    ffi: ffi::Fixtures,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let read = |p: &str| std::fs::read_to_string(data_dir().join(p)).unwrap();
        let clock = at("2026-03-02T09:00:00Z");
        let catalogue = Catalogue::lesotho().unwrap();
        let answers: Answers = [("pages".to_string(), "64".to_string())].into();
        let quote = catalogue
            .quote(
                "home-affairs.passport.ordinary",
                &answers,
                "general",
                chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            )
            .unwrap();
        let mut log = AuditLog::new("MSU-2026").unwrap();
        let app = application(&mut log, &clock);
        let checkpoint = Checkpoint::of(&log, clock.as_ref()).unwrap();
        let mut seeds: Vec<String> = [
            "golden/birth-certificate.json",
            "golden/birth-certificate.qr.txt",
            "golden/driving-licence.json",
            "golden/trust-list.json",
            "golden/status-list.json",
            "golden/root.pub",
            "golden/es256/receipt.json",
            "vc/birth-certificate.vc.json",
            "catalogue/base.json",
            "audit/golden_log.json",
            "audit/golden_checkpoint.json",
            "did-key/vectors.json",
        ]
        .iter()
        .map(|p| read(p))
        .collect();
        seeds.extend(SERIES.lines().map(String::from));
        seeds.push(quote.canonical_json().unwrap());
        seeds.push(app.to_json().unwrap());
        seeds.push(serde_json::to_string(&checkpoint).unwrap());
        seeds.extend(
            [
                "MSU-PSP-2026-000123-U",
                "130.00",
                "LSL",
                "mpesa",
                "2026-03-01T09:30:00Z",
                "+266 5888 1234",
                "lineo@gov.ls",
                r#"{"name":"a.pdf","media_type":"application/pdf","size":1,"sha256":"n4bQgYhMfWWaL-qwxnHZuGXFmt7AjYs1Fp_1xRz0O2Q"}"#,
                "urn:ls-gov:ls.gov.home-affairs.birth-certificate:BC-MSU-2026-004211",
                "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
            ]
            .map(String::from),
        );
        let mut trust = verifier();
        trust.add_status_list(&status_list().json).unwrap();
        let mut credentials = VcVerifier::with_trust_list(trust, at(VERIFY_AT));
        credentials.add_status_list(&status_list().json).unwrap();
        let till = SoftwareSigner::ed25519_from_seed(&[9; 32]).unwrap();
        Fixtures {
            verifier: verifier(),
            credentials,
            receipts: receipt_verifier(&till),
            catalogue,
            seeds,
            log,
            #[cfg(feature = "ffi")]
            ffi: ffi::fixtures(),
        }
    })
}

/// A verifier trusting the receipt vector's key (seed 0x09) for receipts.
fn receipt_verifier(till: &SoftwareSigner) -> Verifier {
    use eservices::document::{Issuer, Signer};
    use eservices::trust::TrustedKey;
    let clock = at("2026-03-02T09:00:00Z");
    let root = Issuer::new(Arc::new(ed25519(ROOT_SEED)), clock.clone()).unwrap();
    let list = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "till".into(),
            public_key: PublicKey::from_raw(Alg::Ed25519, &till.public_key()).unwrap(),
            not_before: parse_time("2026-01-01T00:00:00Z").unwrap(),
            not_after: parse_time("2027-01-01T00:00:00Z").unwrap(),
            doc_types: vec!["ls.gov.eservices.receipt".into()],
        }],
    }
    .sign(&root, None)
    .unwrap();
    Verifier::new(root.public_key().clone(), &list.json, clock).unwrap()
}

struct AnyForm;
impl FormValidator for AnyForm {
    fn service_id(&self) -> &str {
        "home-affairs.passport.ordinary"
    }
    fn validate(&self, _: &Answers, _: chrono::NaiveDate) -> Result<(), Vec<FieldError>> {
        Ok(())
    }
}

/// A submitted application (its JSON is a mutation seed).
fn application(log: &mut AuditLog, clock: &FixedClock) -> Application {
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let mut app = Application::create(
        NewApplication {
            reference: ApplicationRef::new("MSU", "PSP", 2026, 123).unwrap(),
            service_id: "home-affairs.passport.ordinary".into(),
            applicant_id: "citizen-1".into(),
            fee: Fee::new(PaymentDue::OnApproval, Decimal::new(80000, 2), "LSL").unwrap(),
            answers: Answers::from([("surname".into(), "Mokoena".into())]),
            attachments: vec![],
        },
        &citizen,
        log,
        clock,
    )
    .unwrap();
    app.submit(&citizen, &AnyForm, log, clock).unwrap();
    app
}

/// Calls `f`, recording `name` in `panicked` if it panics.
fn call(panicked: &mut Vec<&'static str>, name: &'static str, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panicked.push(name);
    }
}

/// Feeds `text` (and `bytes`) to every entry point; returns the names of those that panicked.
fn every_entry_point(text: &str, bytes: &[u8]) -> Vec<&'static str> {
    let f = fixtures();
    let mut p = Vec::new();
    let p = &mut p;
    // JSON.
    call(p, "json::parse_strict", || {
        drop(eservices::json::parse_strict(text))
    });
    call(p, "json::parse_strict_bytes", || {
        drop(eservices::json::parse_strict_bytes(bytes))
    });
    call(p, "json::canonicalise", || {
        drop(eservices::json::canonicalise(text))
    });
    // Signed documents.
    call(p, "SignedEnvelope::parse", || {
        drop(SignedEnvelope::parse(text))
    });
    call(p, "SignedEnvelope::parse_bytes", || {
        drop(SignedEnvelope::parse_bytes(bytes))
    });
    call(p, "SignedEnvelope::from_qr", || {
        drop(SignedEnvelope::from_qr(text))
    });
    call(p, "qr::decode", || drop(qr::decode(text)));
    call(p, "parse_time", || drop(parse_time(text)));
    call(p, "PublicKey::from_str", || drop(text.parse::<PublicKey>()));
    call(p, "PublicKey::from_base64url", || {
        drop(PublicKey::from_base64url(Alg::Ed25519, text));
        drop(PublicKey::from_base64url(Alg::Es256, text));
    });
    call(p, "PublicKey::from_raw", || {
        drop(PublicKey::from_raw(Alg::Ed25519, bytes));
        drop(PublicKey::from_raw(Alg::Es256, bytes));
    });
    call(p, "SoftwareSigner::ed25519_from_seed", || {
        drop(SoftwareSigner::ed25519_from_seed(bytes))
    });
    call(p, "SoftwareSigner::from_pkcs8", || {
        drop(SoftwareSigner::from_pkcs8(Alg::Ed25519, bytes));
        drop(SoftwareSigner::from_pkcs8(Alg::Es256, bytes));
    });
    call(p, "PrivateKey::from_pkcs8", || {
        drop(PrivateKey::from_pkcs8(Alg::Ed25519, bytes))
    });
    call(p, "Issuer::issue", || {
        let issuer = issuer(HOME_AFFAIRS_SEED, ISSUED_AT);
        drop(issuer.issue(text, text, text, None, None));
        drop(issuer.issue(BIRTH_CERTIFICATE, text, "{}", None, entry(1)));
    });
    // The verifier.
    call(p, "Verifier::new", || {
        drop(Verifier::new(public(ROOT_SEED), text, at(VERIFY_AT)))
    });
    call(p, "Verifier::update_trust_list", || {
        drop(verifier().update_trust_list(text))
    });
    call(p, "Verifier::add_status_list", || {
        drop(verifier().add_status_list(text))
    });
    call(p, "Verifier::verify", || drop(f.verifier.verify(text)));
    call(p, "Verifier::verify_bytes", || {
        drop(f.verifier.verify_bytes(bytes))
    });
    call(p, "Verifier::verify_json", || {
        drop(f.verifier.verify_json(text))
    });
    call(p, "Verifier::verify_qr", || {
        drop(f.verifier.verify_qr(text))
    });
    let object = match eservices::json::parse_strict(text) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    };
    if let Some(m) = &object {
        call(p, "TrustList::from_payload", || {
            drop(TrustList::from_payload(m))
        });
        call(p, "StatusList::from_payload", || {
            drop(StatusList::from_payload(m))
        });
    }
    call(p, "StatusListManager::new", || {
        drop(StatusListManager::new(text, 131_072))
    });
    // W3C credentials.
    call(p, "VcVerifier::verify", || drop(f.credentials.verify(text)));
    call(p, "VcVerifier::verify_bytes", || {
        drop(f.credentials.verify_bytes(bytes))
    });
    call(p, "VcVerifier::add_status_list", || {
        drop(VcVerifier::new(at(VERIFY_AT)).add_status_list(text))
    });
    call(p, "did_key::resolve", || drop(did_key::resolve(text)));
    call(p, "did_key::multibase_decode", || {
        drop(did_key::multibase_decode(text))
    });
    call(p, "vc::parse_credential_id", || {
        drop(vc::parse_credential_id(text))
    });
    if let Ok(env) = SignedEnvelope::parse(text) {
        call(p, "vc::export", || {
            drop(vc::export(
                &env,
                &ed25519(HOME_AFFAIRS_SEED),
                at(VERIFY_AT).as_ref(),
            ))
        });
    }
    // Catalogue and fees.
    call(p, "Catalogue::from_json", || {
        drop(Catalogue::from_json(text))
    });
    call(p, "Service::validate_answers and Catalogue::quote", || {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        for service in f.catalogue.services.iter().take(12) {
            let answers: Answers = service
                .fields
                .iter()
                .map(|field| (field.id.clone(), text.to_string()))
                .collect();
            drop(service.validate_answers(&answers, date, &BasicNationalIdValidator));
            drop(f.catalogue.quote(&service.id, &answers, "general", date));
            drop(f.catalogue.quote(&service.id, &answers, text, date));
        }
        drop(f.catalogue.quote(text, &Answers::new(), "general", date));
    });
    call(
        p,
        "Quoter::quote and quote_into (over a Quote read from the input, or a real one)",
        || {
            let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
            // A quote read from the input when it is one, else a real one: written over
            // either way.
            let mut out = serde_json::from_str::<Quote>(text).ok().or_else(|| {
                let answers: Answers = [("pages".to_string(), "64".to_string())].into();
                f.catalogue
                    .quote("home-affairs.passport.ordinary", &answers, "general", date)
                    .ok()
            });
            for service in f.catalogue.services.iter().take(12) {
                let quoter = Quoter::new(service);
                let answers: Answers = service
                    .fields
                    .iter()
                    .map(|field| (field.id.clone(), text.to_string()))
                    .collect();
                drop(quoter.quote(&answers, text, date));
                if let Some(out) = out.as_mut() {
                    drop(quoter.quote_into(&answers, "general", date, out));
                }
            }
        },
    );
    call(p, "Quote from JSON, Quote::verify_id", || {
        if let Ok(q) = serde_json::from_str::<Quote>(text) {
            drop(q.verify_id());
            drop(q.canonical_json());
        }
    });
    call(p, "normalise_phone", || drop(normalise_phone(text)));
    call(p, "is_valid_email", || {
        let _ = is_valid_email(text);
    });
    call(p, "AttachmentRef::parse", || {
        drop(AttachmentRef::parse(text))
    });
    // Money.
    call(p, "Money::parse", || {
        drop(Money::parse(text, Currency::Lsl));
        drop(Money::parse(text, Currency::Zar));
    });
    call(p, "money::parse_decimal", || drop(parse_decimal(text)));
    call(p, "Currency::from_code", || drop(Currency::from_code(text)));
    // Applications and the audit log.
    call(p, "ApplicationRef::parse", || {
        drop(ApplicationRef::parse(text))
    });
    call(p, "ApplicationRef::new", || {
        drop(ApplicationRef::new(text, text, 2026, 1))
    });
    call(p, "mod37_2_check", || {
        let _ = mod37_2_check(text);
    });
    call(p, "Actor::new", || {
        drop(Actor::new(text, Role::Clerk, text))
    });
    call(p, "Application::from_json", || {
        drop(Application::from_json(text))
    });
    call(p, "AuditLog::new", || drop(AuditLog::new(text)));
    call(p, "AuditLog::from_json", || drop(AuditLog::from_json(text)));
    call(p, "Checkpoint::from_json", || {
        if let Ok(c) = Checkpoint::from_json(text) {
            drop(f.log.verify_against(&c));
        }
    });
    call(p, "Checkpoint::verify_signed", || {
        drop(Checkpoint::verify_signed(text, &f.verifier))
    });
    // Payments and receipts.
    call(p, "Channel::parse", || drop(Channel::parse(text)));
    call(p, "IssuedReceipt::parse", || {
        drop(IssuedReceipt::parse(text))
    });
    call(p, "audit_series", || {
        drop(audit_series(&[text], &f.receipts, &AuditOptions::default()));
        let mut lines: Vec<&str> = SERIES.lines().collect();
        lines.insert(1, text);
        drop(audit_series(&lines, &f.receipts, &AuditOptions::default()));
    });
    call(p, "ReceiptSeries::new", || {
        drop(ReceiptSeries::new(text, text, Arc::new(ed25519(9))))
    });
    call(p, "PaymentLedger", || {
        let ledger = PaymentLedger::new(at("2026-03-02T09:00:00Z"), LedgerPolicy::default());
        drop(ledger.open_series(ReceiptSeries::new("MSU", "2026", Arc::new(ed25519(9))).unwrap()));
        if let Ok(q) = serde_json::from_str::<Quote>(text) {
            drop(ledger.register_quote(text, q));
        }
        drop(ledger.balance(text));
        drop(ledger.refundable(text));
        drop(ledger.void_number(text, text, text));
        if let Ok(m) = Money::parse("1.00", Currency::Lsl) {
            drop(ledger.request_refund(text, m, text, text));
        }
    });
    call(p, "FixedClock::parse", || drop(FixedClock::parse(text)));
    #[cfg(feature = "ffi")]
    ffi::every_entry_point(p, &f.ffi, text, bytes);
    std::mem::take(p)
}

#[cfg(feature = "ffi")]
mod ffi {
    use std::collections::HashMap;
    use std::sync::Arc;

    use eservices::document::Alg;
    use eservices::ffi::application::{
        format_application_reference, is_valid_application_reference, parse_application_reference,
        Application,
    };
    use eservices::ffi::audit::AuditLog;
    use eservices::ffi::catalogue::{quote_from_json, Catalogue};
    use eservices::ffi::signing::{
        key_id, public_key_text, software_signer_from_pkcs8, software_signer_from_seed, Issuer,
        StatusListManager, Verifier,
    };
    use eservices::ffi::types::{date_from_text, decimal_from_text, timestamp_from_text};
    use eservices::ffi::{
        audit_receipts, canonical_json, vc_export, PaymentLedger, TimeSource, VcVerifier,
    };

    use super::call;
    use crate::signing_common::*;

    pub struct Fixtures {
        clock: Arc<TimeSource>,
        catalogue: Arc<Catalogue>,
        verifier: Arc<Verifier>,
        receipts: Arc<Verifier>,
        log: Arc<AuditLog>,
        issuer: Arc<Issuer>,
    }

    pub fn fixtures() -> Fixtures {
        let clock = TimeSource::fixed(timestamp_from_text(VERIFY_AT).unwrap());
        let root = public(ROOT_SEED).to_string();
        let trust = signed_trust_list().json;
        let verifier = Verifier::new(root.clone(), trust, clock.clone()).unwrap();
        let till = eservices::document::SoftwareSigner::ed25519_from_seed(&[9; 32]).unwrap();
        let receipts = super::receipt_verifier(&till);
        let receipts = Verifier::new(
            public(ROOT_SEED).to_string(),
            receipts_trust_list(&receipts),
            TimeSource::fixed(timestamp_from_text("2026-03-02T09:00:00Z").unwrap()),
        )
        .unwrap();
        let signer = software_signer_from_seed(vec![HOME_AFFAIRS_SEED; 32]).unwrap();
        Fixtures {
            catalogue: Catalogue::lesotho().unwrap(),
            verifier,
            receipts,
            log: AuditLog::with_fixed_time(
                "MSU-2026".into(),
                timestamp_from_text(VERIFY_AT).unwrap(),
            )
            .unwrap(),
            issuer: Issuer::new(signer, clock.clone()).unwrap(),
            clock,
        }
    }

    /// The canonical trust list a Rust verifier holds (to build the same one over the FFI).
    fn receipts_trust_list(v: &eservices::verify::Verifier) -> String {
        let list = v.trust_list();
        let root = eservices::document::Issuer::new(
            Arc::new(ed25519(ROOT_SEED)),
            at("2026-03-02T09:00:00Z"),
        )
        .unwrap();
        list.sign(&root, None).unwrap().json
    }

    pub fn every_entry_point(p: &mut Vec<&'static str>, f: &Fixtures, text: &str, bytes: &[u8]) {
        let s = || text.to_string();
        call(p, "ffi::canonical_json", || drop(canonical_json(s())));
        call(p, "ffi::parse_application_reference", || {
            drop(parse_application_reference(s()))
        });
        call(p, "ffi::is_valid_application_reference", || {
            let _ = is_valid_application_reference(s());
        });
        call(p, "ffi::format_application_reference", || {
            drop(format_application_reference(s(), s(), 2026, 1))
        });
        call(p, "ffi::Catalogue::from_json", || {
            drop(Catalogue::from_json(s()))
        });
        call(
            p,
            "ffi::Catalogue::service, validate_answers, quote",
            || {
                let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
                drop(f.catalogue.service(s()));
                let answers = HashMap::from([(s(), s()), ("pages".into(), s())]);
                let id = "home-affairs.passport.ordinary".to_string();
                drop(
                    f.catalogue
                        .validate_answers(id.clone(), answers.clone(), today),
                );
                drop(f.catalogue.quote(id, answers, s(), today));
            },
        );
        call(p, "ffi::quote_from_json", || drop(quote_from_json(s())));
        call(p, "ffi::AuditLog::new", || drop(AuditLog::new(s())));
        call(p, "ffi::AuditLog::from_json", || {
            drop(AuditLog::from_json(s()))
        });
        call(p, "ffi::AuditLog::verify_against_checkpoint", || {
            drop(f.log.verify_against_checkpoint(s()))
        });
        call(p, "ffi::Application::from_json", || {
            drop(Application::from_json(s()))
        });
        call(p, "ffi::Verifier::new", || {
            drop(Verifier::new(s(), s(), f.clock.clone()));
            drop(Verifier::new(
                public(ROOT_SEED).to_string(),
                s(),
                f.clock.clone(),
            ));
        });
        call(p, "ffi::Verifier::with_root_key", || {
            drop(Verifier::with_root_key(
                Alg::Ed25519,
                bytes.to_vec(),
                s(),
                f.clock.clone(),
            ))
        });
        call(p, "ffi::Verifier::verify", || drop(f.verifier.verify(s())));
        call(
            p,
            "ffi::Verifier::add_status_list, update_trust_list",
            || {
                let v = Verifier::new(
                    public(ROOT_SEED).to_string(),
                    signed_trust_list().json,
                    f.clock.clone(),
                )
                .unwrap();
                drop(v.add_status_list(s()));
                drop(v.update_trust_list(s()));
            },
        );
        call(p, "ffi::VcVerifier", || {
            drop(VcVerifier::with_trust_list(s(), s(), f.clock.clone()));
            let v = VcVerifier::new(f.clock.clone());
            drop(v.add_status_list(s()));
            drop(v.verify(s()));
        });
        call(p, "ffi::vc_export", || {
            let signer = software_signer_from_seed(vec![HOME_AFFAIRS_SEED; 32]).unwrap();
            drop(vc_export(s(), signer, f.clock.clone()));
        });
        call(p, "ffi::audit_receipts", || {
            drop(audit_receipts(
                vec![s(), s()],
                f.receipts.clone(),
                Some(s()),
                Some(s()),
                None,
                None,
            ))
        });
        call(p, "ffi::software_signer_from_seed", || {
            drop(software_signer_from_seed(bytes.to_vec()))
        });
        call(p, "ffi::software_signer_from_pkcs8", || {
            drop(software_signer_from_pkcs8(Alg::Ed25519, bytes.to_vec()));
            drop(software_signer_from_pkcs8(Alg::Es256, bytes.to_vec()));
        });
        call(p, "ffi::public_key_text, key_id", || {
            drop(public_key_text(Alg::Ed25519, bytes.to_vec()));
            drop(key_id(Alg::Es256, bytes.to_vec()));
        });
        call(p, "ffi::Issuer::issue", || {
            drop(f.issuer.issue(s(), s(), s(), None, None))
        });
        call(p, "ffi::StatusListManager", || {
            drop(StatusListManager::new(s(), 131_072));
            drop(StatusListManager::restore(
                s(),
                131_072,
                bytes.to_vec(),
                bytes.to_vec(),
            ));
        });
        call(p, "ffi::PaymentLedger", || {
            let ledger = PaymentLedger::new(f.clock.clone(), Some(30));
            let signer = software_signer_from_seed(vec![9; 32]).unwrap();
            drop(ledger.open_series("MSU".into(), "2026".into(), signer));
            drop(ledger.register_quote(s(), s()));
            drop(ledger.pay(eservices::ffi::payment::PaymentInput {
                idempotency_key: s(),
                office: s(),
                application: s(),
                quote_id: s(),
                channel: s(),
                external_reference: Some(s()),
                amount: s(),
                currency: s(),
                cashier: s(),
            }));
            drop(ledger.request_refund(s(), s(), s(), s(), s()));
            drop(ledger.refundable(s()));
            drop(ledger.void_number(s(), s(), s()));
        });
        call(
            p,
            "ffi::types::decimal_from_text, timestamp_from_text, date_from_text",
            || {
                drop(decimal_from_text(text));
                drop(timestamp_from_text(text));
                drop(date_from_text(text));
            },
        );
    }
}

/// `seed` with `edits` applied: each edit (op, position, character) deletes, inserts,
/// replaces, truncates at or duplicates from a position (taken modulo the length).
fn mutate(seed: &str, edits: &[(u8, usize, char)]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for &(op, pos, c) in edits {
        let at = if chars.is_empty() {
            0
        } else {
            pos % chars.len()
        };
        match op % 6 {
            0 if !chars.is_empty() => {
                chars.remove(at);
            }
            1 => chars.insert(at, c),
            2 if !chars.is_empty() => chars[at] = c,
            3 => chars.truncate(at),
            4 => {
                let tail: Vec<char> = chars[at..].iter().take(16).copied().collect();
                chars.splice(at..at, tail);
            }
            _ => {
                let structural = ['{', '}', '[', ']', '"', ',', ':', '0', '-', '\\'];
                chars.insert(at, structural[usize::from(op) % structural.len()]);
            }
        }
    }
    chars.into_iter().collect()
}

fn assert_no_panic(text: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let panicked = every_entry_point(text, bytes);
    prop_assert!(panicked.is_empty(), "panicked: {panicked:?} on {text:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_entry_point_panics_on_arbitrary_text(text in "\\PC{0,160}") {
        assert_no_panic(&text, text.as_bytes())?;
    }

    #[test]
    fn no_entry_point_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        assert_no_panic(&String::from_utf8_lossy(&bytes), &bytes)?;
    }

    #[test]
    fn no_entry_point_panics_on_mutated_valid_inputs(
        seed in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<char>()), 1..6),
    ) {
        let seeds = &fixtures().seeds;
        let text = mutate(&seeds[seed.index(seeds.len())], &edits);
        assert_no_panic(&text, text.as_bytes())?;
    }
}

#[test]
fn every_valid_seed_passes_too() {
    for seed in &fixtures().seeds {
        let panicked = every_entry_point(seed, seed.as_bytes());
        assert!(panicked.is_empty(), "panicked: {panicked:?} on {seed:?}");
    }
}
