//! Receipt series: audit of tampered series (edit, delete, insert, reorder, broken links,
//! bad signatures, unknown keys), Z-reports and reconciliation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{Duration, NaiveDate};
use eservices::document::parse_time;
use eservices::payment::Channel;
use eservices::receipt::audit::{audit_series, AuditOptions, AuditReport, ProblemKind};
use eservices::receipt::report::{reconcile, MatchKind, StatementLine};
use eservices::receipt::{ChainPoint, ReceiptBody, ReceiptSeries, VoidBody};
use ledger_fixture::*;
use serde_json::Value;

/// A series of 8 entries: payments in several channels, a void and a credit note.
fn series(f: &Fixture) -> Vec<String> {
    let q = f.passport("64", false);
    f.register("APP-1", &q);
    let pay = |k: &str, ch: Channel, r: Option<&str>, amount: &str| {
        f.ledger
            .pay(&request(k, "APP-1", &q, ch, r, lsl(amount)))
            .unwrap()
    };
    let first = pay("k1", Channel::Cash, None, "10");
    pay("k2", Channel::Mpesa, Some("M1"), "20");
    f.ledger
        .void_number(OFFICE, "cashier-7", "printer jam")
        .unwrap();
    pay("k3", Channel::Ecocash, Some("E1"), "30");
    let req = f
        .ledger
        .request_refund(&first.payment.receipt, lsl("5"), "overcharged", "cashier-7")
        .unwrap();
    f.ledger.approve_refund(&req.id, "supervisor").unwrap();
    pay("k4", Channel::Card, Some("C1"), "40");
    pay("k5", Channel::BankTransfer, Some("B1"), "50");
    pay("k6", Channel::Cash, None, "60");
    f.ledger
        .receipts(OFFICE)
        .unwrap()
        .into_iter()
        .map(|r| r.json)
        .collect()
}

fn audit(f: &Fixture, texts: &[String]) -> AuditReport {
    audit_series(texts, &f.verifier, &AuditOptions::default())
}

fn problem(report: &AuditReport) -> (usize, ProblemKind) {
    let p = report.problem.as_ref().expect("a problem");
    (p.index, p.kind)
}

/// Changes the payload of a receipt text (the signature no longer matches).
fn edit(text: &str, f: impl Fn(&mut serde_json::Map<String, Value>)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    f(v["payload"].as_object_mut().unwrap());
    serde_json::to_string(&v).unwrap()
}

#[test]
fn a_sound_series_passes() {
    let f = fixture();
    let texts = series(&f);
    let report = audit(&f, &texts);
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.checked, 8);
    let head = report.head.clone().unwrap();
    assert_eq!(head, f.ledger.head(OFFICE).unwrap().unwrap());
    // Against the expected head, and as a slice continuing from a known point.
    let opts = AuditOptions {
        expected_head: Some(head.clone()),
        ..Default::default()
    };
    assert!(audit_series(&texts, &f.verifier, &opts).is_ok());
    let after = audit_series(&texts[..3], &f.verifier, &AuditOptions::default())
        .head
        .unwrap();
    let opts = AuditOptions {
        after: Some(after),
        expected_head: Some(head),
        office: Some(OFFICE.into()),
        series: Some(SERIES.into()),
    };
    let report = audit_series(&texts[3..], &f.verifier, &opts);
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.checked, 5);
}

#[test]
fn an_edit_is_found_at_the_edited_entry() {
    let f = fixture();
    let texts = series(&f);
    for i in 0..texts.len() - 1 {
        let mut t = texts.clone();
        t[i] = edit(&t[i], |p| {
            p.insert("cashier".into(), Value::from("someone-else"));
        });
        assert_eq!(
            problem(&audit(&f, &t)),
            (i, ProblemKind::EditedContent),
            "{i}"
        );
    }
    // An amount changed on a payment receipt.
    let mut t = texts.clone();
    t[3] = edit(&t[3], |p| {
        p.insert("amount".into(), Value::from("3.00"));
    });
    assert_eq!(problem(&audit(&f, &t)), (3, ProblemKind::EditedContent));
    // The last entry: the expected head tells an edit from a bad signature.
    let last = texts.len() - 1;
    let mut t = texts.clone();
    t[last] = edit(&t[last], |p| {
        p.insert("amount".into(), Value::from("6.00"));
    });
    assert_eq!(problem(&audit(&f, &t)), (last, ProblemKind::BadSignature));
    let opts = AuditOptions {
        expected_head: f.ledger.head(OFFICE).unwrap(),
        ..Default::default()
    };
    let r = audit_series(&t, &f.verifier, &opts);
    assert_eq!(problem(&r), (last, ProblemKind::EditedContent));
    assert_eq!(r.checked, last);
}

#[test]
fn a_deletion_is_a_gap_where_the_number_is_missing() {
    let f = fixture();
    let texts = series(&f);
    for i in 0..texts.len() - 1 {
        let mut t = texts.clone();
        t.remove(i);
        let r = audit(&f, &t);
        assert_eq!(problem(&r), (i, ProblemKind::Gap), "{i}");
        assert_eq!(r.checked, i);
    }
    // Deleting the last entry shows only against the expected head.
    let mut t = texts.clone();
    t.pop();
    assert!(audit(&f, &t).is_ok());
    let opts = AuditOptions {
        expected_head: f.ledger.head(OFFICE).unwrap(),
        ..Default::default()
    };
    let r = audit_series(&t, &f.verifier, &opts);
    assert_eq!(problem(&r), (t.len(), ProblemKind::Gap));
}

#[test]
fn insertions_are_found_at_the_inserted_entry() {
    let f = fixture();
    let texts = series(&f);
    // A copy of an earlier receipt.
    for i in 1..texts.len() {
        let mut t = texts.clone();
        t.insert(i, texts[i - 1].clone());
        assert_eq!(
            problem(&audit(&f, &t)),
            (i, ProblemKind::DuplicateNumber),
            "{i}"
        );
    }
    // A receipt signed by a key the trust list does not hold.
    let mut forger = ReceiptSeries::new(OFFICE, SERIES, signer(66)).unwrap();
    let t0 = parse_time("2026-03-02T08:00:00Z").unwrap();
    let void = || ReceiptBody::Void(VoidBody { reason: "x".into() });
    let forged = forger.issue("x", t0, void()).unwrap();
    let mut t = texts.clone();
    t.insert(0, forged.json.clone());
    assert_eq!(problem(&audit(&f, &t)), (0, ProblemKind::UnknownKey));
    // A genuine receipt of another office.
    let mut other = ReceiptSeries::new("TY", SERIES, f.signer.clone()).unwrap();
    let foreign = other.issue("x", t0, void()).unwrap();
    let mut t = texts.clone();
    t.insert(4, foreign.json.clone());
    assert_eq!(problem(&audit(&f, &t)), (4, ProblemKind::ForeignSeries));
    // Not a receipt at all.
    let mut t = texts.clone();
    t.insert(2, "{}".into());
    assert_eq!(problem(&audit(&f, &t)), (2, ProblemKind::Malformed));
    let mut t = texts.clone();
    t.insert(2, "LS1:not json".into());
    assert_eq!(problem(&audit(&f, &t)), (2, ProblemKind::Malformed));
}

#[test]
fn a_reorder_is_found_at_the_first_entry_out_of_place() {
    let f = fixture();
    let texts = series(&f);
    for i in 0..texts.len() - 1 {
        let mut t = texts.clone();
        t.swap(i, i + 1);
        assert_eq!(problem(&audit(&f, &t)), (i, ProblemKind::Reorder), "{i}");
    }
    // An entry moved to the end.
    let mut t = texts.clone();
    let moved = t.remove(2);
    t.push(moved);
    assert_eq!(problem(&audit(&f, &t)), (2, ProblemKind::Reorder));
}

#[test]
fn a_validly_signed_entry_with_a_wrong_prev_is_a_broken_link() {
    // Two forks of the same series with the same key: entry 3 of one does not chain to
    // entry 2 of the other.
    let f = fixture();
    let t0 = parse_time("2026-03-02T08:00:00Z").unwrap();
    let mut a = ReceiptSeries::new(OFFICE, SERIES, f.signer.clone()).unwrap();
    let mut b = ReceiptSeries::new(OFFICE, SERIES, f.signer.clone()).unwrap();
    let void = |r: &str| ReceiptBody::Void(VoidBody { reason: r.into() });
    let a1 = a.issue("c", t0, void("a")).unwrap();
    let a2 = a.issue("c", t0, void("a")).unwrap();
    b.issue("c", t0, void("a")).unwrap();
    b.issue("c", t0, void("b")).unwrap();
    let b3 = b.issue("c", t0, void("b")).unwrap();
    let t = vec![a1.json, a2.json, b3.json];
    let r = audit(&f, &t);
    assert_eq!(problem(&r), (2, ProblemKind::BrokenPrev));
    assert_eq!(r.problem.unwrap().number, Some(3));
}

#[test]
fn a_bad_signature_the_chain_vouches_for() {
    // The issuer chained an entry whose signature is broken.
    let f = fixture();
    let t0 = parse_time("2026-03-02T08:00:00Z").unwrap();
    let mut a = ReceiptSeries::new(OFFICE, SERIES, f.signer.clone()).unwrap();
    let void = || ReceiptBody::Void(VoidBody { reason: "v".into() });
    let e1 = a.issue("c", t0, void()).unwrap();
    let e2 = a.issue("c", t0, void()).unwrap();
    let mut v: Value = serde_json::from_str(&e2.json).unwrap();
    let mut sig = URL_SAFE_NO_PAD.decode(v["sig"].as_str().unwrap()).unwrap();
    sig[10] ^= 1;
    v["sig"] = Value::from(URL_SAFE_NO_PAD.encode(&sig));
    let broken = eservices::receipt::IssuedReceipt::parse(&v.to_string()).unwrap();
    let mut rest = ReceiptSeries::resume(
        OFFICE,
        SERIES,
        f.signer.clone(),
        ChainPoint {
            number: 2,
            hash: broken.hash.clone(),
        },
    )
    .unwrap();
    let e3 = rest.issue("c", t0, void()).unwrap();
    let t = vec![e1.json.clone(), broken.json.clone(), e3.json];
    assert_eq!(problem(&audit(&f, &t)), (1, ProblemKind::BadSignature));
}

#[test]
fn z_report_per_office_and_day() {
    let f = fixture();
    let passport = f.passport("32", false); // home-affairs
    let name = f
        .catalogue
        .quote(
            "trade.company.name-reservation",
            &Default::default(),
            "general",
            eservices::Clock::today(f.clock.as_ref()),
        )
        .unwrap(); // trade
    f.register("APP-1", &passport);
    f.register("APP-2", &name);
    let name_fee = name.total;
    let p1 = f
        .ledger
        .pay(&request(
            "k1",
            "APP-1",
            &passport,
            Channel::Cash,
            None,
            lsl("100"),
        ))
        .unwrap();
    f.ledger
        .pay(&request(
            "k2",
            "APP-1",
            &passport,
            Channel::Mpesa,
            Some("M1"),
            lsl("30"),
        ))
        .unwrap();
    f.ledger
        .pay(&request(
            "k3",
            "APP-2",
            &name,
            Channel::Cash,
            None,
            zar(&name_fee.to_string_amount()),
        ))
        .unwrap();
    f.ledger
        .void_number(OFFICE, "cashier-7", "spoiled")
        .unwrap();
    let req = f
        .ledger
        .request_refund(&p1.payment.receipt, lsl("20"), "overpaid", "cashier-7")
        .unwrap();
    f.ledger.approve_refund(&req.id, "supervisor").unwrap();
    // The next day (Lesotho time): 22:30 UTC is 00:30 in Maseru.
    f.clock.advance(Duration::hours(14) + Duration::minutes(30));
    f.ledger
        .pay(&request(
            "k4",
            "APP-1",
            &passport,
            Channel::Cash,
            None,
            lsl("5"),
        ))
        .unwrap();

    let day1 = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let z = f.ledger.z_report(OFFICE, day1, &f.catalogue).unwrap();
    assert_eq!(z.count, 5);
    assert_eq!((z.first_number, z.last_number), (Some(1), Some(5)));
    let receipts = f.ledger.receipts(OFFICE).unwrap();
    assert_eq!(z.chain_head.as_deref(), Some(receipts[4].hash.as_str()));
    assert_eq!(z.voids, vec![4]);
    assert_eq!(z.payments.count, 3);
    use eservices::money::Currency::{Lsl, Zar};
    assert_eq!(z.payments.total.get(Lsl), lsl("130"));
    assert_eq!(z.payments.total.get(Zar), name_fee.at_par(Zar).unwrap());
    assert_eq!(z.payments.by_channel["cash"].get(Lsl), lsl("100"));
    assert_eq!(z.payments.by_channel["mpesa"].get(Lsl), lsl("30"));
    assert_eq!(z.payments.by_account["home-affairs"].get(Lsl), lsl("130"));
    assert_eq!(
        z.payments.by_service["trade.company.name-reservation"].get(Zar),
        name_fee.at_par(Zar).unwrap()
    );
    assert_eq!(z.credit_notes.count, 1);
    assert_eq!(z.credit_notes.total.get(Lsl), lsl("-20"));
    assert_eq!(
        z.credit_notes.by_account["home-affairs"].get(Lsl),
        lsl("-20")
    );
    let json = z.to_json().unwrap();
    assert!(json.contains(r#""day":"2026-03-02""#), "{json}");
    assert!(
        json.contains(r#""by_channel":{"cash":{"LSL":"100.00","ZAR":"#),
        "{json}"
    );
    assert!(
        json.contains(r#""credit_notes":{"by_account":{"home-affairs":{"LSL":"-20.00"}}"#),
        "{json}"
    );

    let day2 = day1.succ_opt().unwrap();
    let z2 = f.ledger.z_report(OFFICE, day2, &f.catalogue).unwrap();
    assert_eq!((z2.count, z2.first_number), (1, Some(6)));
    // The day's slice audits against the previous day's head and its own.
    let texts: Vec<String> = receipts.iter().map(|r| r.json.clone()).collect();
    let opts = AuditOptions {
        after: Some(ChainPoint {
            number: 5,
            hash: z.chain_head.clone().unwrap(),
        }),
        expected_head: Some(ChainPoint {
            number: 6,
            hash: z2.chain_head.clone().unwrap(),
        }),
        ..Default::default()
    };
    let verifier = verifier(f.clock.clone(), &[&f.signer]);
    assert!(audit_series(&texts[5..], &verifier, &opts).is_ok());
    // An empty day.
    let z3 = f
        .ledger
        .z_report(OFFICE, day2.succ_opt().unwrap(), &f.catalogue)
        .unwrap();
    assert_eq!((z3.count, z3.chain_head), (0, None));
}

#[test]
fn reconciliation_reports_every_kind_of_line() {
    let f = fixture();
    let q = f.passport("64", false);
    f.register("APP-1", &q);
    for (k, r, a) in [("k1", "A", "100"), ("k2", "B", "50"), ("k3", "C", "30")] {
        f.ledger
            .pay(&request(k, "APP-1", &q, Channel::Mpesa, Some(r), lsl(a)))
            .unwrap();
    }
    // Other channels and cash are not on the M-Pesa statement.
    f.ledger
        .pay(&request(
            "k4",
            "APP-1",
            &q,
            Channel::Ecocash,
            Some("A"),
            lsl("1"),
        ))
        .unwrap();
    f.ledger
        .pay(&request("k5", "APP-1", &q, Channel::Cash, None, lsl("1")))
        .unwrap();
    let t = parse_time("2026-03-02T08:05:00Z").unwrap();
    let line = |r: &str, a: &str| StatementLine {
        external_reference: r.into(),
        amount: lsl(a),
        time: t,
    };
    let statement = vec![
        line("A", "100"),
        line("B", "55"),
        line("D", "20"),
        line("A", "100"),
    ];
    let receipts = f.ledger.receipts(OFFICE).unwrap();
    let rec = reconcile(&Channel::Mpesa, &receipts, &statement).unwrap();
    let kinds: Vec<(MatchKind, &str)> = rec
        .lines
        .iter()
        .map(|l| (l.kind, l.external_reference.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MatchKind::Matched, "A"),
            (MatchKind::AmountMismatch, "B"),
            (MatchKind::MissingInStatement, "C"),
            (MatchKind::MissingInLedger, "D"),
            (MatchKind::DuplicateInStatement, "A"),
        ]
    );
    let b = rec.of_kind(MatchKind::AmountMismatch).next().unwrap();
    assert_eq!(
        (b.ledger_amount, b.statement_amount),
        (Some(lsl("50")), Some(lsl("55")))
    );
    assert_eq!(b.receipt.as_deref(), Some("MSU/2026/2"));
    assert!(!rec.is_balanced());
    let ok = reconcile(
        &Channel::Mpesa,
        &receipts,
        &[line("C", "30"), line("B", "50"), line("A", "100")],
    )
    .unwrap();
    assert!(ok.is_balanced());
    let json = serde_json::to_string(&rec).unwrap();
    assert!(json.contains(r#""kind":"missing_in_ledger""#));
}
