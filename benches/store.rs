//! Payments committed per second: each iteration records one cash payment — its receipt
//! number, signed receipt, payment row and audit entry in one SQLite transaction, on disk
//! (`synchronous=FULL`) before it returns. With an Ed25519 signature, and with a bench-only
//! signer that returns a zero signature (to show what signing costs); the in-memory ledger
//! for comparison. Short on purpose (a few seconds each).
//!
//! `cargo bench --bench store`

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use eservices::catalogue::{Answers, Catalogue};
use eservices::document::{Alg, Signer, SoftwareSigner};
use eservices::money::{Currency, Money};
use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
use eservices::receipt::ReceiptSeries;
use eservices::store::{Registry, SqliteStore};
use eservices::{Clock, FixedClock};

/// Bench only: the public key of a real Ed25519 key, and a zero signature. Never use it
/// outside this benchmark: its receipts do not verify.
struct ZeroSignature(Vec<u8>);

impl Signer for ZeroSignature {
    fn alg(&self) -> Alg {
        Alg::Ed25519
    }
    fn public_key(&self) -> Vec<u8> {
        self.0.clone()
    }
    fn sign(&self, _message: &[u8]) -> eservices::Result<Vec<u8>> {
        Ok(vec![0; 64])
    }
}

fn request(n: u64, quote_id: &str) -> eservices::Result<PaymentRequest> {
    Ok(PaymentRequest {
        idempotency_key: format!("bench-{n}"),
        office: "MSU".into(),
        application: "APP-1".into(),
        quote_id: quote_id.into(),
        channel: Channel::Cash,
        external_reference: None,
        amount: Money::parse("1.00", Currency::Lsl)?,
        actor: "cashier-7".into(),
    })
}

fn remove(path: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    let quote = Catalogue::lesotho()?.quote(
        "home-affairs.passport.ordinary",
        &answers,
        "general",
        clock.today(),
    )?;
    let ed25519: Arc<dyn Signer> = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    let unsigned: Arc<dyn Signer> = Arc::new(ZeroSignature(ed25519.public_key()));

    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    let mut failure: Option<eservices::Error> = None;
    for (name, signer) in [
        ("sqlite_pay_signed", ed25519.clone()),
        ("sqlite_pay_zero_signature", unsigned),
    ] {
        let path = std::env::temp_dir().join(format!(
            "eservices-bench-{name}-{}.db",
            std::process::id()
        ));
        remove(&path);
        let registry = Registry::new(
            SqliteStore::open(&path)?,
            "MSU-2026",
            clock.clone(),
            LedgerPolicy::default(),
        )?;
        registry.open_series("MSU", "2026", signer)?;
        registry.register_quote("APP-1", quote.clone())?;
        let mut n = 0u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                match request(n, &quote.quote_id).and_then(|r| registry.pay(&r)) {
                    Ok(outcome) => {
                        black_box(outcome);
                    }
                    Err(e) => failure = Some(e),
                }
            })
        });
        drop(registry);
        remove(&path);
    }

    let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    ledger.open_series(ReceiptSeries::new("MSU", "2026", ed25519)?)?;
    ledger.register_quote("APP-1", quote.clone())?;
    let mut n = 0u64;
    group.bench_function("memory_ledger_pay_signed", |b| {
        b.iter(|| {
            n += 1;
            match request(n, &quote.quote_id).and_then(|r| ledger.pay(&r)) {
                Ok(outcome) => {
                    black_box(outcome);
                }
                Err(e) => failure = Some(e),
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
