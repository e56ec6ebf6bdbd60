//! Several threads (sharing one store, and each with its own connection) and a second
//! process record the same payments, with retries, and refunds, on one database file:
//! every payment counts once, totals equal the sum of distinct payments less approved
//! refunds, receipt numbers are gapless and unique, and the series and audit log verify.
//!
//! The second process is this test binary run again with `ESERVICES_CONC_DB` set (see
//! [`concurrency_child`]).
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;
mod store_fixture;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Arc;

use eservices::money::{Currency, Money};
use eservices::payment::{Channel, PaymentRequest, RefundState};
use eservices::receipt::ReceiptBody;
use eservices::store::{Registry, SqliteStore};
use eservices::Error;
use ledger_fixture::{lsl, signer, verifier, TestClock, OFFICE};
use store_fixture::*;

const DB_ENV: &str = "ESERVICES_CONC_DB";
const QUOTE_ENV: &str = "ESERVICES_CONC_QUOTE";
const PAYMENTS: u64 = 60;
const APPS: u64 = 6;
const WORKERS: u64 = 5; // four threads and one process

fn app(i: u64) -> String {
    format!("APP-{}", i % APPS)
}

/// Payment `i`: the same request whoever sends it.
fn payment(i: u64, quote_id: &str) -> PaymentRequest {
    let (channel, reference) = if i % 3 == 0 {
        (Channel::Cash, None)
    } else {
        (Channel::Ecocash, Some(format!("EC{i:04}")))
    };
    PaymentRequest {
        idempotency_key: format!("pay-{i}"),
        office: OFFICE.into(),
        application: app(i),
        quote_id: quote_id.into(),
        channel,
        external_reference: reference,
        amount: lsl(&format!("{}.{:02}", 10 + i % 7, i % 100)),
        actor: "cashier-7".into(),
    }
}

/// One worker: every payment, starting at its own offset (so workers create different
/// payments at once and retry each other's), each sent twice; a refund of 1.00 on every
/// fourth payment, approved by a second actor. Busy errors are retried.
fn work(r: &Registry<SqliteStore>, worker: u64, quote_id: &str) {
    let start = worker * PAYMENTS / WORKERS;
    for n in 0..PAYMENTS {
        let i = (start + n) % PAYMENTS;
        let request = payment(i, quote_id);
        let first = retry_busy(|| r.pay(&request)).unwrap();
        let again = retry_busy(|| r.pay(&request)).unwrap();
        assert_eq!(first, again, "a retry is the original");
        if i % 4 == 0 {
            let actor = format!("cashier-{worker}");
            let rf = retry_busy(|| {
                r.request_refund(&first.payment.receipt, lsl("1.00"), "fee waived", &actor)
            })
            .unwrap();
            match retry_busy(|| r.approve_refund(&rf.id, "supervisor-2")) {
                Ok(_) => {}
                Err(e) => panic!("approving {}: {e}", rf.id),
            }
        }
    }
}

/// The second process; does nothing unless run as the child.
#[test]
fn concurrency_child() {
    let (Ok(path), Ok(quote_id)) = (std::env::var(DB_ENV), std::env::var(QUOTE_ENV)) else {
        return;
    };
    let r = open(std::path::Path::new(&path));
    work(&r, WORKERS - 1, &quote_id);
}

#[test]
fn threads_and_processes_count_each_payment_once() {
    if std::env::var(DB_ENV).is_ok() {
        return;
    }
    let db = TempDb::new("concurrency");
    let quote = passport();
    let setup = open(db.path());
    for i in 0..APPS {
        setup.register_quote(&app(i), quote.clone()).unwrap();
    }
    drop(setup);

    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "concurrency_child", "--test-threads=1"])
        .env(DB_ENV, db.path())
        .env(QUOTE_ENV, &quote.quote_id)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Two threads share one registry (one connection); two have their own.
    let shared = Arc::new(open(db.path()));
    std::thread::scope(|s| {
        for worker in 0..WORKERS - 1 {
            let shared = shared.clone();
            let path = db.path().to_path_buf();
            let quote_id = quote.quote_id.clone();
            s.spawn(move || {
                if worker < 2 {
                    work(&shared, worker, &quote_id);
                } else {
                    work(&open(&path), worker, &quote_id);
                }
            });
        }
    });
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the second process failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let r = open(db.path());
    let payments = r.payments().unwrap();
    let keys: BTreeSet<&str> = payments
        .iter()
        .map(|p| p.request.idempotency_key.as_str())
        .collect();
    assert_eq!(
        (payments.len(), keys.len()),
        (PAYMENTS as usize, PAYMENTS as usize)
    );
    for p in &payments {
        let i: u64 = p.request.idempotency_key["pay-".len()..].parse().unwrap();
        assert_eq!(p.request, payment(i, &quote.quote_id), "as sent");
    }

    // Every worker asked for 1.00 back on every fourth payment, and each was approved.
    let refunds = r.refund_requests().unwrap();
    let refunded_payments = (0..PAYMENTS).filter(|i| i % 4 == 0).count();
    assert_eq!(refunds.len(), refunded_payments * WORKERS as usize);
    assert!(refunds
        .iter()
        .all(|x| matches!(x.state, RefundState::Approved { .. })));

    // Totals: distinct payments less approved refunds, per application and overall.
    let mut expected = Money::zero(Currency::Lsl);
    for i in 0..PAYMENTS {
        expected = expected
            .checked_add(&payment(i, &quote.quote_id).amount)
            .unwrap();
    }
    let back = lsl("1.00").checked_mul_units(refunds.len() as u64).unwrap();
    expected = expected.checked_sub(&back).unwrap();
    let mut paid = Money::zero(Currency::Lsl);
    for a in 0..APPS {
        paid = paid.checked_add(&r.balance(&app(a)).unwrap().paid).unwrap();
    }
    assert_eq!(paid, expected);

    // Numbers gapless and unique; one receipt per payment and per credit note.
    let receipts = r.receipts(OFFICE).unwrap();
    assert_eq!(receipts.len(), payments.len() + refunds.len());
    for (i, x) in receipts.iter().enumerate() {
        assert_eq!(x.receipt.number, i as u64 + 1);
    }
    let notes = receipts
        .iter()
        .filter(|x| matches!(x.receipt.body, ReceiptBody::CreditNote(_)))
        .count();
    assert_eq!(notes, refunds.len());
    let clock = TestClock::at(NOW);
    let report = r
        .audit_series(OFFICE, &verifier(clock, &[&signer(9)]))
        .unwrap();
    assert!(report.is_ok(), "{report:?}");
    r.verify_audit().unwrap();
    assert_eq!(
        r.audit_log().unwrap().len(),
        payments.len() + 2 * refunds.len()
    );
    // Over-refunding is refused even now: 10.00 + some was paid, at most 5.00 refunded.
    let err = r
        .request_refund(&payments[0].receipt, lsl("100.00"), "too much", "cashier-1")
        .unwrap_err();
    assert!(
        matches!(err, Error::RefundExceedsRefundable { .. }),
        "{err}"
    );
}
