//! Payments committed per second.
//!
//! * `sqlite_pay_signed`: `Registry::pay` — the ledger's checks, receipt number, Ed25519
//!   signature, and the receipt, payment row and audit entry in one SQLite transaction, on
//!   disk (`synchronous=FULL`) before it returns.
//! * `sqlite_commit_presigned`: the same rows committed in one transaction each, with the
//!   receipt signed (and the audit entry hashed) outside the timing: the cost without
//!   signing. (The library always signs, and a signer's signature is checked before it is
//!   used, so "without signing" cannot be a no-op signer.)
//! * `memory_ledger_pay_signed`: the in-memory `PaymentLedger`, for comparison.
//!
//! Short on purpose (a few seconds each).
//!
//! `cargo bench --bench store`

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};
use eservices::application::{Actor, Role};
use eservices::audit::{AuditEntry, AuditLog};
use eservices::catalogue::{Answers, Catalogue};
use eservices::document::{Signer, SoftwareSigner};
use eservices::fees::Quote;
use eservices::money::{Currency, Money};
use eservices::payment::{
    Channel, LedgerPolicy, Payment, PaymentLedger, PaymentOutcome, PaymentRequest, SeriesRecord,
};
use eservices::receipt::{PaymentBody, ReceiptBody, ReceiptSeries};
use eservices::store::{Registry, SqliteStore, Store};
use eservices::{Clock, FixedClock};

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

/// The next payment and its signed receipt and audit entry, made outside the timing.
fn presigned(
    n: u64,
    quote: &Quote,
    series: &mut ReceiptSeries,
    log: &mut AuditLog,
    clock: &FixedClock,
) -> eservices::Result<(PaymentOutcome, AuditEntry)> {
    let request = request(n, &quote.quote_id)?;
    let body = ReceiptBody::Payment(PaymentBody {
        application: request.application.clone(),
        service: quote.service_id.clone(),
        quote_id: quote.quote_id.clone(),
        quote_currency: quote.currency,
        quote_total: quote.total.to_string_amount(),
        lines: vec![],
        amount: request.amount.to_string_amount(),
        currency: request.amount.currency(),
        channel: request.channel.clone(),
        external_reference: None,
    });
    let receipt = series.issue(&request.actor, clock.now(), body)?;
    let actor = Actor::new(request.actor.as_str(), Role::Cashier, "MSU")?;
    let entry = log
        .append(&actor, "pay", receipt.id(), Default::default(), clock)?
        .clone();
    let payment = Payment {
        seq: n,
        service: quote.service_id.clone(),
        credited: request.amount,
        time: clock.now(),
        receipt: receipt.id().into(),
        request,
    };
    Ok((PaymentOutcome { payment, receipt }, entry))
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

    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    let mut failure: Option<eservices::Error> = None;
    let path = std::env::temp_dir().join(format!("eservices-bench-{}.db", std::process::id()));
    remove(&path);
    let registry = Registry::new(
        SqliteStore::open(&path)?,
        "MSU-2026",
        clock.clone(),
        LedgerPolicy::default(),
    )?;
    registry.open_series("MSU", "2026", ed25519.clone())?;
    registry.register_quote("APP-1", quote.clone())?;
    let mut n = 0u64;
    group.bench_function("sqlite_pay_signed", |b| {
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

    let store = SqliteStore::open(&path)?;
    store.write(|r| {
        r.put_series(&SeriesRecord {
            office: "MSU".into(),
            series: "2026".into(),
            head: None,
        })
    })?;
    let mut series = ReceiptSeries::new("MSU", "2026", ed25519.clone())?;
    let mut log = AuditLog::new("MSU-2026")?;
    let mut n = 0u64;
    group.bench_function("sqlite_commit_presigned", |b| {
        b.iter_batched(
            || {
                n += 1;
                presigned(n, &quote, &mut series, &mut log, &clock)
            },
            |made| {
                let written = made.and_then(|(outcome, entry)| {
                    store.write(|r| {
                        r.append_receipt(&outcome.receipt)?;
                        r.put_payment(&outcome)?;
                        r.append_audit("MSU-2026", &entry)
                    })
                });
                if let Err(e) = written {
                    failure = Some(e);
                }
            },
            BatchSize::PerIteration,
        )
    });
    drop(store);
    remove(&path);

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
