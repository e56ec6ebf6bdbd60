//! Property tests: balances, series audit under random tampering, reconciliation counts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;

use eservices::document::parse_time;
use eservices::money::{Currency, Money};
use eservices::payment::Channel;
use eservices::receipt::audit::{audit_series, AuditOptions, ProblemKind};
use eservices::receipt::report::{reconcile, MatchKind, StatementLine};
use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
use ledger_fixture::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn cents(n: i64) -> Money {
    Money::new(Decimal::new(n, 2), Currency::Lsl).unwrap()
}

#[derive(Debug, Clone)]
enum Tamper {
    Delete(usize),
    Swap(usize),
    Duplicate(usize, usize),
    Edit(usize),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn balances_add_up(amounts in prop::collection::vec(1i64..50_000, 1..8)) {
        let f = fixture();
        let q = f.passport("64", false); // M 300.00
        f.register("APP-1", &q);
        let mut sum = 0i64;
        for (i, a) in amounts.iter().enumerate() {
            let r = request(&format!("k{i}"), "APP-1", &q, Channel::Cash, None, cents(*a));
            f.ledger.pay(&r).unwrap();
            f.ledger.pay(&r).unwrap(); // a retry
            sum += a;
        }
        let b = f.ledger.balance("APP-1").unwrap();
        prop_assert_eq!(b.paid, cents(sum));
        prop_assert_eq!(b.outstanding, cents((30_000 - sum).max(0)));
        prop_assert_eq!(b.credit, cents((sum - 30_000).max(0)));
        prop_assert_eq!(f.ledger.receipts(OFFICE).unwrap().len(), amounts.len());
    }

    #[test]
    fn tampering_is_found_where_it_happened(len in 3usize..8, op in 0u8..4, a in 0usize..8, b in 0usize..8) {
        let f = fixture();
        let mut s = ReceiptSeries::new(OFFICE, SERIES, f.signer.clone()).unwrap();
        let t0 = parse_time("2026-03-02T08:00:00Z").unwrap();
        let texts: Vec<String> = (0..len)
            .map(|i| {
                let body = ReceiptBody::Void(VoidBody { reason: format!("v{i}") });
                s.issue("c", t0, body).unwrap().json
            })
            .collect();
        let k = a % (len - 1); // never the last entry: its successor tells
        let tamper = match op {
            0 => Tamper::Delete(k),
            1 => Tamper::Swap(k),
            2 => Tamper::Duplicate(k, k + 1 + b % (len - k)),
            _ => Tamper::Edit(k),
        };
        let mut t = texts.clone();
        let want = match tamper {
            Tamper::Delete(k) => { t.remove(k); (k, ProblemKind::Gap) }
            Tamper::Swap(k) => { t.swap(k, k + 1); (k, ProblemKind::Reorder) }
            Tamper::Duplicate(k, at) => { t.insert(at, texts[k].clone()); (at, ProblemKind::DuplicateNumber) }
            Tamper::Edit(k) => {
                let mut v: Value = serde_json::from_str(&t[k]).unwrap();
                v["payload"]["reason"] = Value::from("edited");
                t[k] = v.to_string();
                (k, ProblemKind::EditedContent)
            }
        };
        let r = audit_series(&t, &f.verifier, &AuditOptions::default());
        let p = r.problem.unwrap();
        prop_assert_eq!((p.index, p.kind), want);
        prop_assert_eq!(r.checked, want.0);
    }

    #[test]
    fn reconciliation_counts(
        lines in prop::collection::vec((1i64..10_000, 0u8..4), 1..10),
        extra in 0usize..3,
    ) {
        let f = fixture();
        let q = f.passport("64", false);
        f.register("APP-1", &q);
        let t = parse_time("2026-03-02T08:05:00Z").unwrap();
        let mut statement = Vec::new();
        let (mut matched, mut missing, mut mismatch) = (0, 0, 0);
        for (i, (amount, fate)) in lines.iter().enumerate() {
            let reference = format!("R{i}");
            let r = request(&format!("k{i}"), "APP-1", &q, Channel::Mpesa, Some(&reference), cents(*amount));
            f.ledger.pay(&r).unwrap();
            match fate {
                0 => missing += 1,
                1 => {
                    mismatch += 1;
                    statement.push(StatementLine { external_reference: reference, amount: cents(amount + 1), time: t });
                }
                _ => {
                    matched += 1;
                    statement.push(StatementLine { external_reference: reference, amount: cents(*amount), time: t });
                }
            }
        }
        for j in 0..extra {
            statement.push(StatementLine { external_reference: format!("X{j}"), amount: cents(1), time: t });
        }
        statement.reverse();
        let rec = reconcile(&Channel::Mpesa, &f.ledger.receipts(OFFICE).unwrap(), &statement).unwrap();
        prop_assert_eq!(rec.of_kind(MatchKind::Matched).count(), matched);
        prop_assert_eq!(rec.of_kind(MatchKind::MissingInStatement).count(), missing);
        prop_assert_eq!(rec.of_kind(MatchKind::AmountMismatch).count(), mismatch);
        prop_assert_eq!(rec.of_kind(MatchKind::MissingInLedger).count(), extra);
        prop_assert_eq!(rec.lines.len(), lines.len() + extra);
    }
}
