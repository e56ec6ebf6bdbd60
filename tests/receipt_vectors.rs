//! Receipt wire-format vectors: a three-entry series (payment, credit note, void) signed with
//! a fixed Ed25519 seed. Regenerating it must give the same bytes; its `prev` links are
//! checked with an independent SHA-256 over RFC 8785 bytes. Set `ESERVICES_REGENERATE=1`
//! to rewrite the file after an intended format change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use eservices::document::{parse_time, SoftwareSigner};
use eservices::money::Currency;
use eservices::payment::Channel;
use eservices::receipt::audit::{audit_series, AuditOptions};
use eservices::receipt::{
    CreditNoteBody, LineKind, PaidLine, PaymentBody, ReceiptBody, ReceiptSeries, VoidBody,
};
use ledger_fixture::{verifier, TestClock};

const PATH: &str = "tests/data/receipts/series.jsonl";

fn generate() -> Vec<String> {
    let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32]).unwrap());
    let mut s = ReceiptSeries::new("MSU", "2026", signer).unwrap();
    let t = |x: &str| parse_time(x).unwrap();
    let pay = ReceiptBody::Payment(PaymentBody {
        application: "HA-2026-000123".into(),
        service: "home-affairs.passport.ordinary".into(),
        quote_id: "n4bQgYhMfWWaL-qwxnHZuGXFmt7AjYs1Fp_1xRz0O2Q".into(),
        quote_currency: Currency::Lsl,
        quote_total: "630.00".into(),
        lines: vec![
            PaidLine {
                kind: LineKind::Charge,
                rule_id: "booklet".into(),
                description: "Passport booklet".into(),
                amount: "130.00".into(),
            },
            PaidLine {
                kind: LineKind::Charge,
                rule_id: "urgent".into(),
                description: "Urgent processing".into(),
                amount: "500.00".into(),
            },
        ],
        amount: "630.00".into(),
        currency: Currency::Zar,
        channel: Channel::Mpesa,
        external_reference: Some("QK7H2XY1".into()),
    });
    let note = ReceiptBody::CreditNote(CreditNoteBody {
        original: "MSU/2026/1".into(),
        application: "HA-2026-000123".into(),
        service: "home-affairs.passport.ordinary".into(),
        quote_id: "n4bQgYhMfWWaL-qwxnHZuGXFmt7AjYs1Fp_1xRz0O2Q".into(),
        amount: "-500.00".into(),
        currency: Currency::Zar,
        channel: Channel::Mpesa,
        reason: "urgent processing withdrawn".into(),
        requested_by: "cashier-7".into(),
    });
    let void = ReceiptBody::Void(VoidBody {
        reason: "printer jam".into(),
    });
    vec![
        s.issue("cashier-7", t("2026-03-02T08:00:00Z"), pay)
            .unwrap()
            .json,
        s.issue("supervisor-2", t("2026-03-02T08:30:00Z"), note)
            .unwrap()
            .json,
        s.issue("cashier-7", t("2026-03-02T08:31:00Z"), void)
            .unwrap()
            .json,
    ]
}

#[test]
fn the_series_vector_is_stable_and_sound() {
    let generated = generate();
    let text = generated.join("\n") + "\n";
    if std::env::var_os("ESERVICES_REGENERATE").is_some() {
        std::fs::write(PATH, &text).unwrap();
    }
    let stored = std::fs::read_to_string(PATH).unwrap();
    assert_eq!(stored, text, "receipt wire format changed");

    let lines: Vec<&str> = stored.lines().collect();
    let mut prev: Option<String> = None;
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["typ"], "ls.gov.eservices.receipt");
        assert_eq!(v["payload"]["prev"].as_str().map(String::from), prev);
        // Independently: SHA-256 of the RFC 8785 bytes of the whole envelope, sig included.
        let jcs = serde_json_canonicalizer::to_vec(&v).unwrap();
        assert_eq!(jcs, line.as_bytes(), "stored lines are canonical");
        let digest = ring::digest::digest(&ring::digest::SHA256, &jcs);
        prev = Some(URL_SAFE_NO_PAD.encode(digest.as_ref()));
    }
    let clock = TestClock::at("2026-03-02T09:00:00Z");
    let signer = SoftwareSigner::ed25519_from_seed(&[9; 32]).unwrap();
    let report = audit_series(
        &lines,
        &verifier(clock, &[&signer]),
        &AuditOptions::default(),
    );
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.head.unwrap().hash, prev.unwrap());
    // The QR form of the payment receipt (two quote lines) is small enough for a printed
    // slip (a version-25 QR code holds 1853 alphanumeric characters).
    let qr = eservices::receipt::IssuedReceipt::parse(lines[0])
        .unwrap()
        .qr()
        .unwrap();
    println!(
        "payment receipt: {} JSON bytes, {} QR characters",
        lines[0].len(),
        qr.len()
    );
    assert!(qr.len() < 1853, "{}", qr.len());
}
