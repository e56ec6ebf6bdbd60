//! Payment ledger rules: idempotency, duplicates, partial and over-payment, quote validity,
//! ZAR at par, refunds with maker-checker, voids.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;

use chrono::Duration;
use eservices::money::Currency;
use eservices::payment::{Channel, LedgerPolicy, RefundState};
use eservices::receipt::{ReceiptBody, ReceiptSeries};
use eservices::verify::Verdict;
use eservices::{Clock, Error};
use ledger_fixture::*;

#[test]
fn a_full_payment_gets_a_verifiable_receipt() {
    let f = fixture();
    let q = f.passport("32", false);
    f.register("APP-1", &q);
    let r = request(
        "k1",
        "APP-1",
        &q,
        Channel::Mpesa,
        Some("QK7H2XY1"),
        lsl("130"),
    );
    let out = f.ledger.pay(&r).unwrap();
    assert_eq!(out.payment.seq, 1);
    assert_eq!(out.payment.receipt, "MSU/2026/1");
    let rec = &out.receipt.receipt;
    assert_eq!((rec.number, rec.prev.as_deref()), (1, None));
    let ReceiptBody::Payment(p) = &rec.body else {
        panic!("not a payment receipt")
    };
    assert_eq!(p.amount, "130.00");
    assert_eq!(p.quote_total, "130.00");
    assert_eq!(p.lines.len(), 1);
    assert_eq!(p.lines[0].rule_id, "booklet");
    assert_eq!(p.external_reference.as_deref(), Some("QK7H2XY1"));
    assert!(out
        .receipt
        .json
        .contains(r#""typ":"ls.gov.eservices.receipt""#));
    assert!(out.receipt.json.contains(r#""amount":"130.00""#));

    for form in [out.receipt.json.clone(), out.receipt.qr().unwrap()] {
        match f.verifier.verify(&form) {
            Verdict::Valid { document } => assert_eq!(document.id, "MSU/2026/1"),
            Verdict::Invalid { reason, detail } => panic!("{reason}: {detail}"),
        }
    }
    let b = f.ledger.balance("APP-1").unwrap();
    assert!(b.outstanding.is_zero() && b.credit.is_zero());
    assert_eq!(b.paid, lsl("130"));
}

#[test]
fn retries_count_once_and_conflicts_are_refused() {
    let f = fixture();
    let q = f.passport("64", false);
    f.register("APP-1", &q);
    let r = request("k1", "APP-1", &q, Channel::Mpesa, Some("REF1"), lsl("100"));
    let first = f.ledger.pay(&r).unwrap();
    for _ in 0..3 {
        assert_eq!(f.ledger.pay(&r).unwrap(), first);
    }
    let mut other = r.clone();
    other.amount = lsl("101");
    assert_eq!(
        f.ledger.pay(&other),
        Err(Error::IdempotencyConflict { key: "k1".into() })
    );
    let mut other_actor = r.clone();
    other_actor.actor = "cashier-8".into();
    assert!(matches!(
        f.ledger.pay(&other_actor),
        Err(Error::IdempotencyConflict { .. })
    ));
    assert_eq!(f.ledger.payments().len(), 1);
    assert_eq!(f.ledger.receipts(OFFICE).unwrap().len(), 1);
    assert_eq!(f.ledger.balance("APP-1").unwrap().paid, lsl("100"));
}

#[test]
fn an_external_reference_is_used_once_per_channel() {
    let f = fixture();
    let q = f.passport("64", false);
    f.register("APP-1", &q);
    let a = request("k1", "APP-1", &q, Channel::Mpesa, Some("REF1"), lsl("10"));
    f.ledger.pay(&a).unwrap();
    let b = request("k2", "APP-1", &q, Channel::Mpesa, Some("REF1"), lsl("10"));
    assert_eq!(
        f.ledger.pay(&b),
        Err(Error::DuplicateExternalReference {
            channel: "mpesa".into(),
            external_reference: "REF1".into(),
            receipt: "MSU/2026/1".into(),
        })
    );
    // The same text in another channel is another transaction.
    let c = request("k3", "APP-1", &q, Channel::Ecocash, Some("REF1"), lsl("10"));
    f.ledger.pay(&c).unwrap();
    // Cash needs no reference; other channels do.
    f.ledger
        .pay(&request("k4", "APP-1", &q, Channel::Cash, None, lsl("10")))
        .unwrap();
    let e = f
        .ledger
        .pay(&request("k5", "APP-1", &q, Channel::Card, None, lsl("10")))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_payment_request");
    assert_eq!(f.ledger.payments().len(), 3);
}

#[test]
fn partial_payments_accumulate_and_overpayment_is_credit() {
    let f = fixture();
    let q = f.passport("64", false); // M 300.00
    f.register("APP-1", &q);
    f.ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("100")))
        .unwrap();
    let b = f.ledger.balance("APP-1").unwrap();
    assert_eq!(
        (b.paid, b.outstanding, b.credit),
        (lsl("100"), lsl("200"), lsl("0"))
    );
    f.ledger
        .pay(&request(
            "k2",
            "APP-1",
            &q,
            Channel::Cash,
            None,
            lsl("150.50"),
        ))
        .unwrap();
    let out = f
        .ledger
        .pay(&request("k3", "APP-1", &q, Channel::Cash, None, lsl("100")))
        .unwrap();
    let b = f.ledger.balance("APP-1").unwrap();
    assert_eq!(b.owed, lsl("300"));
    assert_eq!(
        (b.paid, b.outstanding, b.credit),
        (lsl("350.50"), lsl("0"), lsl("50.50"))
    );

    // The credit is refunded through a credit note, approved by a second actor.
    let req = f
        .ledger
        .request_refund(
            &out.payment.receipt,
            lsl("50.50"),
            "overpayment",
            "cashier-7",
        )
        .unwrap();
    let note = f.ledger.approve_refund(&req.id, "supervisor-1").unwrap();
    let b = f.ledger.balance("APP-1").unwrap();
    assert_eq!(
        (b.paid, b.outstanding, b.credit),
        (lsl("300"), lsl("0"), lsl("0"))
    );
    assert_eq!(note.receipt.number, 4);
    assert_eq!(note.receipt.cashier, "supervisor-1");
    let ReceiptBody::CreditNote(c) = &note.receipt.body else {
        panic!("not a credit note")
    };
    assert_eq!(c.amount, "-50.50");
    assert_eq!(c.original, "MSU/2026/3");
    assert_eq!(c.requested_by, "cashier-7");
    assert_eq!(c.reason, "overpayment");
    assert!(f.verifier.verify(&note.json).is_valid());
    assert_eq!(
        f.ledger.refundable(&out.payment.receipt).unwrap(),
        lsl("49.50")
    );
}

#[test]
fn expired_quotes_cannot_be_paid_or_registered() {
    let f = fixture_with(LedgerPolicy {
        quote_validity_days: 7,
    });
    let q = f.passport("32", false); // dated 2026-03-02
    f.register("APP-1", &q);
    f.clock.advance(Duration::days(7)); // 2026-03-09: last valid day
    f.ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("1")))
        .unwrap();
    f.clock.advance(Duration::days(1));
    let expired = Error::QuoteExpired {
        quote_id: q.quote_id.clone(),
        date: "2026-03-02".into(),
        last_day: "2026-03-09".into(),
    };
    assert_eq!(
        f.ledger
            .pay(&request("k2", "APP-1", &q, Channel::Cash, None, lsl("1"))),
        Err(expired.clone())
    );
    assert_eq!(f.ledger.register_quote("APP-2", q.clone()), Err(expired));
    // A retry of the accepted payment still returns its outcome.
    assert!(f
        .ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("1")))
        .is_ok());
}

#[test]
fn a_newer_quote_supersedes_the_older() {
    let f = fixture();
    let old = f.passport("32", false);
    f.register("APP-1", &old);
    f.ledger
        .pay(&request(
            "k1",
            "APP-1",
            &old,
            Channel::Cash,
            None,
            lsl("130"),
        ))
        .unwrap();
    let new = f.passport("32", true); // + urgent M 500.00
    f.register("APP-1", &new);
    f.register("APP-1", &new); // again: no-op
    assert_eq!(
        f.ledger.pay(&request(
            "k2",
            "APP-1",
            &old,
            Channel::Cash,
            None,
            lsl("500")
        )),
        Err(Error::QuoteSuperseded {
            quote_id: old.quote_id.clone(),
            superseded_by: new.quote_id.clone(),
        })
    );
    assert!(matches!(
        f.ledger.register_quote("APP-1", old.clone()),
        Err(Error::QuoteSuperseded { .. })
    ));
    // What was paid on the old quote counts towards the new one.
    let b = f.ledger.balance("APP-1").unwrap();
    assert_eq!((b.owed, b.outstanding), (lsl("630"), lsl("500")));
    f.ledger
        .pay(&request(
            "k2",
            "APP-1",
            &new,
            Channel::Cash,
            None,
            lsl("500"),
        ))
        .unwrap();
    assert!(f.ledger.balance("APP-1").unwrap().outstanding.is_zero());
    // The same quote content for another application is that application's quote.
    f.register("APP-2", &old);
    assert!(f
        .ledger
        .pay(&request(
            "k3",
            "APP-2",
            &old,
            Channel::Cash,
            None,
            lsl("130")
        ))
        .is_ok());
}

#[test]
fn quotes_are_checked_when_registered() {
    let f = fixture();
    let mut q = f.passport("32", false);
    q.total = lsl("1");
    assert!(matches!(
        f.ledger.register_quote("APP-1", q),
        Err(Error::QuoteIdMismatch { .. })
    ));
    let q = f.passport("32", false);
    f.register("APP-1", &q);
    let mut other = f
        .catalogue
        .quote(
            "trade.company.name-reservation",
            &Default::default(),
            "general",
            f.clock.today(),
        )
        .unwrap();
    other.quote_id = other.computed_id().unwrap();
    assert!(matches!(
        f.ledger.register_quote("APP-1", other),
        Err(Error::InvalidPaymentRequest { .. })
    ));
}

#[test]
fn rand_are_accepted_at_par_only_where_the_quote_allows() {
    let f = fixture();
    let q = f.passport("32", false);
    assert!(q.accepts_zar_at_par);
    f.register("APP-1", &q);
    let out = f
        .ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, zar("130")))
        .unwrap();
    assert_eq!(out.payment.credited, lsl("130"));
    let ReceiptBody::Payment(p) = &out.receipt.receipt.body else {
        panic!()
    };
    assert_eq!(
        (p.currency, p.quote_currency),
        (Currency::Zar, Currency::Lsl)
    );
    assert!(f.ledger.balance("APP-1").unwrap().outstanding.is_zero());

    let mut strict = f.passport("64", false);
    strict.accepts_zar_at_par = false;
    strict.quote_id = strict.computed_id().unwrap();
    f.register("APP-2", &strict);
    assert_eq!(
        f.ledger.pay(&request(
            "k2",
            "APP-2",
            &strict,
            Channel::Cash,
            None,
            zar("300")
        )),
        Err(Error::CurrencyMismatch {
            left: "ZAR".into(),
            right: "LSL".into()
        })
    );
}

#[test]
fn unknown_things_and_bad_requests_are_refused_without_effect() {
    let f = fixture();
    let q = f.passport("32", false);
    assert!(matches!(
        f.ledger
            .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("1"))),
        Err(Error::UnknownQuote { .. })
    ));
    assert!(matches!(
        f.ledger.balance("APP-1"),
        Err(Error::UnknownApplication { .. })
    ));
    f.register("APP-1", &q);
    let mut r = request("k1", "APP-1", &q, Channel::Cash, None, lsl("1"));
    r.office = "TY".into();
    assert_eq!(
        f.ledger.pay(&r),
        Err(Error::UnknownOffice {
            office: "TY".into()
        })
    );
    for amount in ["0", "-5"] {
        let r = request("k1", "APP-1", &q, Channel::Cash, None, lsl(amount));
        assert!(matches!(
            f.ledger.pay(&r),
            Err(Error::InvalidPaymentRequest { .. })
        ));
    }
    let mut r = request("", "APP-1", &q, Channel::Cash, None, lsl("1"));
    assert!(f.ledger.pay(&r).is_err());
    r.idempotency_key = "k\n".into();
    assert!(f.ledger.pay(&r).is_err());
    assert!(f.ledger.payments().is_empty());
    assert!(f.ledger.receipts(OFFICE).unwrap().is_empty());
    // A key that failed may be used once the request is right.
    f.ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("1")))
        .unwrap();
    assert!(matches!(
        f.ledger
            .open_series(ReceiptSeries::new(OFFICE, "2027", signer(3)).unwrap()),
        Err(Error::SeriesAlreadyOpen { .. })
    ));
}

#[test]
fn refunds_need_a_second_actor_and_never_exceed_what_was_paid() {
    let f = fixture();
    let q = f.passport("64", false);
    f.register("APP-1", &q);
    let out = f
        .ledger
        .pay(&request(
            "k1",
            "APP-1",
            &q,
            Channel::Mpesa,
            Some("R1"),
            lsl("300"),
        ))
        .unwrap();
    let rid = out.payment.receipt.clone();
    assert!(matches!(
        f.ledger.request_refund(&rid, lsl("300.01"), "x", "clerk"),
        Err(Error::RefundExceedsRefundable { .. })
    ));
    assert!(matches!(
        f.ledger.request_refund(&rid, zar("1"), "x", "clerk"),
        Err(Error::CurrencyMismatch { .. })
    ));
    assert!(matches!(
        f.ledger
            .request_refund("MSU/2026/9", lsl("1"), "x", "clerk"),
        Err(Error::UnknownReceipt { .. })
    ));
    assert!(f
        .ledger
        .request_refund(&rid, lsl("0"), "x", "clerk")
        .is_err());
    // Two requests that fit alone but not together.
    let a = f
        .ledger
        .request_refund(&rid, lsl("200"), "application withdrawn", "clerk")
        .unwrap();
    let b = f
        .ledger
        .request_refund(&rid, lsl("200"), "application withdrawn", "clerk")
        .unwrap();
    assert_eq!(
        f.ledger.approve_refund(&a.id, "clerk"),
        Err(Error::SameActorApproval {
            request: a.id.clone(),
            actor: "clerk".into()
        })
    );
    f.ledger.approve_refund(&a.id, "supervisor").unwrap();
    assert!(matches!(
        f.ledger.approve_refund(&a.id, "supervisor"),
        Err(Error::RefundNotPending { .. })
    ));
    assert!(matches!(
        f.ledger.approve_refund(&b.id, "supervisor"),
        Err(Error::RefundExceedsRefundable { .. })
    ));
    f.ledger.decline_refund(&b.id, "supervisor").unwrap();
    assert!(matches!(
        f.ledger.approve_refund("RF-99", "supervisor"),
        Err(Error::UnknownRefundRequest { .. })
    ));
    let states: Vec<_> = f
        .ledger
        .refund_requests()
        .into_iter()
        .map(|r| r.state)
        .collect();
    assert!(matches!(states[0], RefundState::Approved { .. }));
    assert!(matches!(states[1], RefundState::Declined { .. }));
    assert_eq!(f.ledger.refundable(&rid).unwrap(), lsl("100"));
    let b = f.ledger.balance("APP-1").unwrap();
    assert_eq!((b.paid, b.outstanding), (lsl("100"), lsl("200")));
    // Receipts: payment 1, credit note 2; nothing deleted or edited.
    let all = f.ledger.receipts(OFFICE).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], out.receipt);
}

#[test]
fn a_spoiled_number_becomes_a_void_entry() {
    let f = fixture();
    let q = f.passport("32", false);
    f.register("APP-1", &q);
    f.ledger
        .pay(&request("k1", "APP-1", &q, Channel::Cash, None, lsl("10")))
        .unwrap();
    let v = f
        .ledger
        .void_number(OFFICE, "cashier-7", "printer jam")
        .unwrap();
    assert_eq!(v.receipt.number, 2);
    assert_eq!(v.receipt.body.kind(), "void");
    let next = f
        .ledger
        .pay(&request("k2", "APP-1", &q, Channel::Cash, None, lsl("10")))
        .unwrap();
    assert_eq!(next.receipt.receipt.number, 3);
    assert_eq!(next.receipt.receipt.prev.as_deref(), Some(v.hash.as_str()));
    assert!(f.ledger.void_number("XX", "c", "r").is_err());
    assert!(f.ledger.void_number(OFFICE, "c", "").is_err());
    assert_eq!(f.ledger.head(OFFICE).unwrap().unwrap().number, 3);
}
