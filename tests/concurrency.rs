//! Many threads racing payments, retries of the same idempotency keys, conflicting requests
//! and refunds: nothing counts twice, numbers stay gapless and unique, refundable amounts
//! never go below zero.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};

use eservices::money::{Currency, Money};
use eservices::payment::{Channel, PaymentRequest};
use eservices::receipt::audit::{audit_series, AuditOptions};
use eservices::receipt::ReceiptBody;
use eservices::Error;
use ledger_fixture::*;

const APPS: usize = 12;
const PAYMENTS: usize = 48;
const CONTESTED: usize = 12;
const THREADS: usize = 8;

#[test]
fn racing_payments_retries_and_refunds() {
    let f = fixture();
    let q = f.passport("64", false);
    for a in 0..APPS {
        f.register(&format!("APP-{a}"), &q);
    }
    let plain: Vec<PaymentRequest> = (0..PAYMENTS)
        .map(|n| {
            let amount = lsl(&format!("{}.25", (n % 7 + 1) * 10));
            let channel = if n % 3 == 0 {
                Channel::Cash
            } else {
                Channel::Mpesa
            };
            let reference = (channel != Channel::Cash).then(|| format!("R{n}"));
            request(
                &format!("k{n}"),
                &format!("APP-{}", n % APPS),
                &q,
                channel,
                reference.as_deref(),
                amount,
            )
        })
        .collect();
    // Two different requests under one key: exactly one may win.
    let contested: Vec<[PaymentRequest; 2]> = (0..CONTESTED)
        .map(|n| {
            let r = request(
                &format!("c{n}"),
                &format!("APP-{}", n % APPS),
                &q,
                Channel::Ecocash,
                Some(&format!("E{n}")),
                lsl("7"),
            );
            let mut other = r.clone();
            other.amount = lsl("8");
            [r, other]
        })
        .collect();

    let paying_done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let mut payers = Vec::new();
        for t in 0..THREADS {
            let (f, plain, contested) = (&f, &plain, &contested);
            payers.push(s.spawn(move || {
                // Every thread sends every request (retries), in its own order.
                for j in 0..PAYMENTS {
                    let r = &plain[(j * 5 + t * 7) % PAYMENTS];
                    let out = f.ledger.pay(r).unwrap();
                    assert_eq!(&out.payment.request, r);
                }
                for (j, pair) in contested.iter().enumerate() {
                    match f.ledger.pay(&pair[(t + j) % 2]) {
                        Ok(_) | Err(Error::IdempotencyConflict { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            }));
        }
        for t in 0..3 {
            let (f, paying_done) = (&f, &paying_done);
            s.spawn(move || loop {
                let finished = paying_done.load(Ordering::SeqCst);
                for p in f.ledger.payments() {
                    let Ok(req) = f.ledger.request_refund(
                        &p.receipt,
                        lsl("10"),
                        "withdrawn",
                        &format!("clerk-{t}"),
                    ) else {
                        continue;
                    };
                    match f.ledger.approve_refund(&req.id, &format!("supervisor-{t}")) {
                        Ok(_) | Err(Error::RefundExceedsRefundable { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                    let left = f.ledger.refundable(&p.receipt).unwrap();
                    assert!(!left.is_negative());
                }
                if finished {
                    break;
                }
            });
        }
        for p in payers {
            p.join().unwrap();
        }
        paying_done.store(true, Ordering::SeqCst);
    });

    // One payment per distinct key, whatever the retries.
    let payments = f.ledger.payments();
    assert_eq!(payments.len(), PAYMENTS + CONTESTED);
    let keys: BTreeSet<_> = payments
        .iter()
        .map(|p| p.request.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), payments.len());
    let mut expected = Money::zero(Currency::Lsl);
    for r in &plain {
        expected = expected.checked_add(&r.amount).unwrap();
    }
    for p in payments
        .iter()
        .filter(|p| p.request.idempotency_key.starts_with('c'))
    {
        assert!(p.request.amount == lsl("7") || p.request.amount == lsl("8"));
        expected = expected.checked_add(&p.request.amount).unwrap();
    }

    // Receipts: numbers 1..=N, each payment exactly one receipt, a sound chain.
    let receipts = f.ledger.receipts(OFFICE).unwrap();
    for (i, r) in receipts.iter().enumerate() {
        assert_eq!(r.receipt.number, i as u64 + 1);
    }
    let paid_receipts: BTreeSet<_> = receipts
        .iter()
        .filter(|r| matches!(r.receipt.body, ReceiptBody::Payment(_)))
        .map(|r| r.id().to_string())
        .collect();
    let payment_receipts: BTreeSet<_> = payments.iter().map(|p| p.receipt.clone()).collect();
    assert_eq!(paid_receipts, payment_receipts);
    let texts: Vec<_> = receipts.iter().map(|r| r.json.clone()).collect();
    let report = audit_series(&texts, &f.verifier, &AuditOptions::default());
    assert!(report.is_ok(), "{report:?}");

    // Refunds never exceed a payment; balances add up.
    let mut refunded: BTreeMap<String, Money> = BTreeMap::new();
    let mut refunds_total = Money::zero(Currency::Lsl);
    for r in &receipts {
        if let ReceiptBody::CreditNote(c) = &r.receipt.body {
            let m = r.receipt.body.money().unwrap().unwrap().negated();
            let e = refunded
                .entry(c.original.clone())
                .or_insert(Money::zero(Currency::Lsl));
            *e = e.checked_add(&m).unwrap();
            refunds_total = refunds_total.checked_add(&m).unwrap();
        }
    }
    assert!(!refunds_total.is_negative() && !refunds_total.is_zero());
    for p in &payments {
        let back = refunded
            .get(&p.receipt)
            .copied()
            .unwrap_or(Money::zero(Currency::Lsl));
        assert!(back.amount() <= p.request.amount.amount());
        assert_eq!(
            f.ledger.refundable(&p.receipt).unwrap(),
            p.request.amount.checked_sub(&back).unwrap()
        );
    }
    let mut paid = Money::zero(Currency::Lsl);
    for a in 0..APPS {
        paid = paid
            .checked_add(&f.ledger.balance(&format!("APP-{a}")).unwrap().paid)
            .unwrap();
    }
    assert_eq!(paid, expected.checked_sub(&refunds_total).unwrap());
}
