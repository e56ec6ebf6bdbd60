//! Auditing a receipt series of 100 000 entries (an office's year and more).
//!
//! * `audit_chain_100k`: [`audit_chain`] — parse every entry, check numbers, offices and
//!   every `prev` hash link; no signatures.
//! * `audit_series_100k`: [`audit_series`] — the same and every Ed25519 signature checked
//!   against the trust list.
//!
//! The series (cash payments, signed by one Ed25519 till key) is built once before timing.
//!
//! `cargo bench --bench receipts`

use std::error::Error;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use eservices::document::{parse_time, Issuer, SoftwareSigner};
use eservices::money::Currency;
use eservices::payment::Channel;
use eservices::receipt::audit::{audit_chain, audit_series, AuditOptions};
use eservices::receipt::{PaymentBody, ReceiptBody, ReceiptSeries, RECEIPT_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::Verifier;
use eservices::FixedClock;

const ENTRIES: u64 = 100_000;

fn main() -> Result<(), Box<dyn Error>> {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20))
        .configure_from_args();
    let clock = Arc::new(FixedClock::parse("2027-01-01T00:00:00Z")?);
    let root = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?),
        clock.clone(),
    )?;
    let till = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    let trust = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "Maseru till".into(),
            public_key: Issuer::new(till.clone(), clock.clone())?
                .public_key()
                .clone(),
            not_before: parse_time("2026-01-01T00:00:00Z")?,
            not_after: parse_time("2027-01-01T00:00:00Z")?,
            doc_types: vec![RECEIPT_TYPE.into()],
        }],
    }
    .sign(&root, None)?;
    let verifier = Verifier::new(root.public_key().clone(), &trust.json, clock.clone())?;

    let mut series = ReceiptSeries::new("MSU", "2026", till)?;
    let t = parse_time("2026-03-02T08:00:00Z")?;
    let mut entries = Vec::with_capacity(ENTRIES as usize);
    for n in 1..=ENTRIES {
        let body = ReceiptBody::Payment(PaymentBody {
            application: format!("MSU-PSP-2026-{n:06}"),
            service: "home-affairs.passport.ordinary".into(),
            quote_id: "q7QyqzUjVn1mFzMmn7Jf5vYtqQwHUhwJ4mZmAJ6v3so".into(),
            quote_currency: Currency::Lsl,
            quote_total: "800.00".into(),
            lines: vec![],
            amount: "800.00".into(),
            currency: Currency::Lsl,
            channel: Channel::Cash,
            external_reference: None,
        });
        entries.push(series.issue("cashier-7", t, body)?.json);
    }
    let options = AuditOptions::default();
    if !audit_series(&entries, &verifier, &options).is_ok()
        || !audit_chain(&entries, &options).is_ok()
    {
        return Err("the benchmark series does not audit clean".into());
    }
    let mut failure = false;
    let mut group = c.benchmark_group("receipts");
    group.throughput(Throughput::Elements(ENTRIES));
    group.bench_function("audit_chain_100k", |b| {
        b.iter(|| failure |= !audit_chain(black_box(&entries), &options).is_ok())
    });
    group.bench_function("audit_series_100k", |b| {
        b.iter(|| failure |= !audit_series(black_box(&entries), &verifier, &options).is_ok())
    });
    group.finish();
    c.final_summary();
    if failure {
        return Err("an audit failed during the benchmark".into());
    }
    Ok(())
}
