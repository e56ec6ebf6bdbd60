//! The fee engine, rule kind by rule kind, at the edges: schedule versions, bands, grace
//! periods, caps, minimums and maximums, exemptions, effective-dated tax and rounding.
//! The catalogue is `tests/data/catalogue/rules.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fees_common;

use std::cell::RefCell;

use chrono::NaiveDate;
use eservices::catalogue::{Answers, FieldErrorCode};
use eservices::fees::{Quote, Quoter};
use eservices::Error;
use fees_common::rules;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-03-01";

thread_local! {
    /// The last quote a [`Quoter`] wrote in this thread (blank after a refusal): the next is
    /// written over it.
    static LAST: RefCell<Option<Quote>> = const { RefCell::new(None) };
}

/// The catalogue's quote, after checking that a [`Quoter`] gives the same (the same quote or
/// the same error), both new and written over the last quote of this thread's tests.
fn quote_as(
    service: &str,
    pairs: &[(&str, &str)],
    category: &str,
    date: &str,
) -> Result<Quote, Error> {
    let answers: Answers = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let expected = rules().quote(service, &answers, category, d(date));
    let (Ok(s), Ok(_)) = (
        rules().service(service),
        rules().applicant_category(category),
    ) else {
        return expected;
    };
    let same = |got: Result<&Quote, String>| match (&expected, got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b),
        (a, b) => panic!("catalogue {a:?}, quoter {b:?}"),
    };
    let quoter = Quoter::new(s);
    same(
        quoter
            .quote(&answers, category, d(date))
            .as_ref()
            .map_err(ToString::to_string),
    );
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        let out = last.get_or_insert_with(|| {
            let first = rules().service("t.flat").unwrap();
            Quoter::new(first)
                .quote(&Answers::new(), "general", d(TODAY))
                .unwrap()
        });
        match quoter.quote_into(&answers, category, d(date), out) {
            Ok(()) => same(Ok(out)),
            Err(e) => {
                assert!(out.verify_id().is_err() && out.lines.is_empty());
                same(Err(e.to_string()));
            }
        }
    });
    expected
}

fn quote(service: &str, pairs: &[(&str, &str)]) -> Quote {
    quote_as(service, pairs, "general", TODAY).unwrap()
}

fn total(service: &str, pairs: &[(&str, &str)]) -> String {
    quote(service, pairs).total.to_string_amount()
}

/// The (field, code) pairs of an `InvalidAnswers` error.
fn field_errors(r: Result<Quote, Error>) -> Vec<(String, FieldErrorCode)> {
    match r {
        Err(Error::InvalidAnswers { errors }) => {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
        other => panic!("expected InvalidAnswers, got {other:?}"),
    }
}

#[test]
fn schedule_versions_at_their_edges() {
    assert_eq!(
        quote_as("t.flat", &[], "general", "2019-12-31").unwrap_err(),
        Error::NoScheduleInForce {
            service: "t.flat".into(),
            date: "2019-12-31".into()
        }
    );
    let first = quote_as("t.flat", &[], "general", "2020-01-01").unwrap();
    assert_eq!(first.total.to_string_amount(), "10.00");
    let last = quote_as("t.flat", &[], "general", "2020-12-31").unwrap();
    assert_eq!(last.total.to_string_amount(), "10.00");
    assert_eq!(last.schedule.legal_reference, "Test Notice 1");
    assert_eq!(last.schedule.effective_to, Some(d("2020-12-31")));
    let next = quote_as("t.flat", &[], "general", "2021-01-01").unwrap();
    assert_eq!(next.total.to_string_amount(), "12.50");
    assert_eq!(next.schedule.legal_reference, "Test Notice 2");
    assert_eq!(next.lines[0].legal_reference, "Test Notice 2");
    assert_eq!(next.schedule.effective_from, d("2021-01-01"));
}

#[test]
fn flat_line_is_itemised() {
    let q = quote("t.flat", &[]);
    assert_eq!(q.lines.len(), 1);
    let l = &q.lines[0];
    assert_eq!((l.rule_id.as_str(), l.description.as_str()), ("fee", "Fee"));
    assert_eq!(l.quantity, 1);
    assert_eq!(l.unit_amount.to_string(), "M 12.50");
    assert_eq!(l.amount.to_string(), "M 12.50");
    assert!(!l.taxable);
    assert_eq!(q.subtotal, q.total);
    assert!(q.tax_total.is_zero());
}

#[test]
fn option_price() {
    assert_eq!(total("t.option", &[("size", "s")]), "1.00");
    assert_eq!(total("t.option", &[("size", "l")]), "3.00");
    assert_eq!(
        quote("t.option", &[("size", " m ")]).lines[0].description,
        "Size (Medium)"
    );
    assert_eq!(
        field_errors(quote_as("t.option", &[("size", "xl")], "general", TODAY)),
        [("size".to_string(), FieldErrorCode::NotAChoice)]
    );
    assert_eq!(
        field_errors(quote_as("t.option", &[], "general", TODAY)),
        [("size".to_string(), FieldErrorCode::Required)]
    );
}

#[test]
fn per_unit_with_free_units_and_maximum() {
    let line = |n: &str| {
        let q = quote("t.per-unit", &[("copies", n)]);
        let l = &q.lines[0];
        (l.quantity, l.amount.to_string_amount())
    };
    assert_eq!(line("0"), (0, "0.00".into()));
    assert_eq!(line("2"), (0, "0.00".into()));
    assert_eq!(line("3"), (1, "5.00".into()));
    assert_eq!(line("12"), (10, "50.00".into()));
    assert_eq!(line("13"), (10, "50.00".into()));
    assert_eq!(line("100"), (10, "50.00".into()));
    let q = quote("t.per-unit", &[("copies", "13")]);
    assert_eq!(
        q.lines[0].basis.as_deref(),
        Some("13 requested, 2 free; at most 10 charged")
    );
    // Optional field left out: no line at all.
    assert!(quote("t.per-unit", &[]).lines.is_empty());
    assert_eq!(
        field_errors(quote_as(
            "t.per-unit",
            &[("copies", "2.5")],
            "general",
            TODAY
        )),
        [("copies".to_string(), FieldErrorCode::InvalidType)]
    );
    assert_eq!(
        field_errors(quote_as(
            "t.per-unit",
            &[("copies", "-1")],
            "general",
            TODAY
        )),
        [("copies".to_string(), FieldErrorCode::OutOfRange)]
    );
}

#[test]
fn bands_at_their_edges() {
    assert_eq!(total("t.bands", &[("value", "0")]), "10.00");
    assert_eq!(total("t.bands", &[("value", "99.99")]), "10.00");
    assert_eq!(total("t.bands", &[("value", "100")]), "20.00");
    assert_eq!(total("t.bands", &[("value", "100.00")]), "20.00");
    assert_eq!(total("t.bands", &[("value", "999.99")]), "20.00");
    assert_eq!(total("t.bands", &[("value", "1000")]), "50.00");
    assert_eq!(total("t.bands", &[("value", "123456789")]), "50.00");
    assert_eq!(
        quote("t.bands", &[("value", "100")]).lines[0]
            .basis
            .as_deref(),
        Some("100 is in the band from 100 to under 1000")
    );
    assert_eq!(
        field_errors(quote_as("t.bands", &[("value", "-0.01")], "general", TODAY)),
        [("value".to_string(), FieldErrorCode::OutOfRange)]
    );
}

#[test]
fn percentage_with_minimum_and_maximum() {
    assert_eq!(total("t.percentage", &[("value", "0")]), "5.00");
    assert_eq!(total("t.percentage", &[("value", "199.99")]), "5.00");
    assert_eq!(total("t.percentage", &[("value", "200")]), "5.00");
    assert_eq!(total("t.percentage", &[("value", "200.40")]), "5.01");
    assert_eq!(total("t.percentage", &[("value", "4000")]), "100.00");
    assert_eq!(total("t.percentage", &[("value", "4000.40")]), "100.00");
    let q = quote("t.percentage", &[("value", "10000")]);
    assert_eq!(
        q.lines[0].basis.as_deref(),
        Some("2.5% of 10000 = M 250.00; limited to the maximum M 100.00")
    );
    let q = quote("t.percentage", &[("value", "1")]);
    assert_eq!(
        q.lines[0].basis.as_deref(),
        Some("2.5% of 1 = M 0.03; raised to the minimum M 5.00")
    );
    assert_eq!(
        field_errors(quote_as(
            "t.percentage",
            &[("value", "-5")],
            "general",
            TODAY
        )),
        [("value".to_string(), FieldErrorCode::OutOfRange)]
    );
}

#[test]
fn rounding_happens_once_per_line() {
    // 2.5 % of 20.10 = 0.5025; of 20.20 = 0.505; of 20.60 = 0.515.
    assert_eq!(total("t.percentage-plain", &[("value", "20.10")]), "0.50");
    assert_eq!(total("t.percentage-plain", &[("value", "20.20")]), "0.51");
    assert_eq!(total("t.percentage-plain", &[("value", "20.60")]), "0.52");
    assert_eq!(
        total("t.percentage-half-even", &[("value", "20.20")]),
        "0.50"
    );
    assert_eq!(
        total("t.percentage-half-even", &[("value", "20.60")]),
        "0.52"
    );
    assert_eq!(
        quote("t.percentage-half-even", &[("value", "1")]).rounding,
        eservices::money::Rounding::HalfEven
    );
}

#[test]
fn surcharge_on_a_flag() {
    assert_eq!(total("t.surcharge", &[]), "1.00");
    assert_eq!(total("t.surcharge", &[("urgent", "false")]), "1.00");
    assert_eq!(total("t.surcharge", &[("urgent", "true")]), "501.00");
    assert_eq!(
        field_errors(quote_as(
            "t.surcharge",
            &[("urgent", "yes")],
            "general",
            TODAY
        )),
        [("urgent".to_string(), FieldErrorCode::InvalidType)]
    );
}

#[test]
fn late_penalty_per_started_month_at_the_grace_edge_and_cap() {
    // Grace 30 days, M 10 per started month after it, capped at M 35. Quote date 2026-03-01.
    let penalty = |event: &str| {
        let q = quote("t.late-monthly", &[("event", event)]);
        q.lines
            .first()
            .map(|l| (l.quantity, l.amount.to_string_amount()))
    };
    assert_eq!(penalty("2026-03-01"), None);
    assert_eq!(penalty("2026-01-30"), None); // grace ends today
    assert_eq!(penalty("2026-01-29"), Some((1, "10.00".into()))); // one day late
    assert_eq!(penalty("2026-01-02"), Some((1, "10.00".into()))); // exactly one month late
    assert_eq!(penalty("2026-01-01"), Some((2, "20.00".into()))); // a second month started
    assert_eq!(penalty("2025-11-01"), Some((3, "30.00".into()))); // grace ended 2025-12-01
    assert_eq!(penalty("2025-10-31"), Some((4, "35.00".into()))); // 40 capped at 35
    assert_eq!(penalty("2025-10-01"), Some((5, "35.00".into())));
    let q = quote("t.late-monthly", &[("event", "2025-10-01")]);
    assert_eq!(
        q.lines[0].basis.as_deref(),
        Some("151 days after 2025-10-01; the 30-day grace period ended 2025-10-31; 5 started month(s) since; capped at M 35.00")
    );
    assert_eq!(
        field_errors(quote_as(
            "t.late-monthly",
            &[("event", "2026-03-02")],
            "general",
            TODAY
        )),
        [("event".to_string(), FieldErrorCode::InFuture)]
    );
    assert_eq!(
        field_errors(quote_as("t.late-monthly", &[], "general", TODAY)),
        [("event".to_string(), FieldErrorCode::Required)]
    );
}

#[test]
fn late_penalty_fixed() {
    assert!(quote("t.late-fixed", &[("event", "2026-03-01")])
        .lines
        .is_empty());
    let q = quote("t.late-fixed", &[("event", "2026-02-28")]);
    assert_eq!(q.total.to_string_amount(), "25.00");
    assert_eq!(q.lines[0].quantity, 1);
}

#[test]
fn exemptions_by_category_with_tax_on_what_remains() {
    // A 100.00 (taxable) + B 50.01; VAT 15 % on A.
    let q = quote_as("t.exemption", &[], "general", TODAY).unwrap();
    assert!(q.exemptions.is_empty());
    assert_eq!(q.taxes[0].amount.to_string_amount(), "15.00");
    assert_eq!(q.total.to_string_amount(), "165.01");

    // Pensioners: the first matching exemption (half of everything) applies, and only it.
    let q = quote_as("t.exemption", &[], "pensioner", TODAY).unwrap();
    assert_eq!(q.exemptions.len(), 1);
    let e = &q.exemptions[0];
    assert_eq!(e.rule_id, "half");
    assert_eq!(e.reason, "Pensioners pay half");
    assert_eq!(e.category, "pensioner");
    assert_eq!(e.percent.to_string(), "50");
    assert_eq!(e.applies_to, ["a", "b"]);
    assert_eq!(e.amount.to_string_amount(), "-75.01"); // 75.005 rounded half-up, once
    assert_eq!(q.subtotal.to_string_amount(), "75.00");
    assert_eq!(q.taxes[0].base.to_string_amount(), "50.00");
    assert_eq!(q.taxes[0].amount.to_string_amount(), "7.50");
    assert_eq!(q.total.to_string_amount(), "82.50");

    // Indigent: A waived in full, so no VAT either.
    let q = quote_as("t.exemption", &[], "indigent", TODAY).unwrap();
    assert_eq!(q.exemptions[0].amount.to_string_amount(), "-100.00");
    assert_eq!(q.exemptions[0].applies_to, ["a"]);
    assert_eq!(q.taxes[0].base.to_string_amount(), "0.00");
    assert_eq!(q.taxes[0].amount.to_string_amount(), "0.00");
    assert_eq!(q.total.to_string_amount(), "50.01");

    assert_eq!(
        quote_as("t.exemption", &[], "royalty", TODAY).unwrap_err(),
        Error::UnknownApplicantCategory {
            category: "royalty".into()
        }
    );
}

#[test]
fn tax_rate_follows_the_quote_date() {
    let before = quote_as("t.tax", &[("courier", "true")], "general", "2018-03-31").unwrap();
    let t = &before.taxes[0];
    assert_eq!(t.percent.to_string(), "14");
    assert_eq!(t.base.to_string_amount(), "100.10");
    assert_eq!(t.amount.to_string_amount(), "14.01"); // 14.014
    assert_eq!(t.legal_reference, "VAT Act (14%)");
    let after = quote_as("t.tax", &[("courier", "true")], "general", "2018-04-01").unwrap();
    let t = &after.taxes[0];
    assert_eq!(t.percent.to_string(), "15");
    assert_eq!(t.amount.to_string_amount(), "15.02"); // 15.015, half-up
    assert_eq!(after.tax_total.to_string_amount(), "15.02");
    assert_eq!(after.subtotal.to_string_amount(), "150.10");
    assert_eq!(after.total.to_string_amount(), "165.12");
    // Nothing taxable, no tax line.
    let none = quote_as("t.tax", &[("courier", "false")], "general", "2018-04-01").unwrap();
    assert!(none.taxes.is_empty());
    assert_eq!(
        quote_as("t.tax-gap", &[], "general", "2018-06-01").unwrap_err(),
        Error::NoTaxRateInForce {
            service: "t.tax-gap".into(),
            rule: "vat".into(),
            date: "2018-06-01".into()
        }
    );
}

#[test]
fn unknown_service() {
    assert_eq!(
        quote_as("t.nope", &[], "general", TODAY).unwrap_err(),
        Error::UnknownService {
            service: "t.nope".into()
        }
    );
}

#[test]
fn quote_ids_are_deterministic_and_verifiable() {
    let a = quote("t.tax", &[("courier", "true")]);
    let b = quote("t.tax", &[("courier", "true")]);
    assert_eq!(a.quote_id, b.quote_id);
    assert_eq!(a.canonical_json().unwrap(), b.canonical_json().unwrap());
    a.verify_id().unwrap();
    let other_day = quote_as("t.tax", &[("courier", "true")], "general", "2026-03-02").unwrap();
    assert_ne!(a.quote_id, other_day.quote_id);
    // Through JSON and back, the id still verifies; a tampered total does not.
    let json = serde_json::to_string(&a).unwrap();
    let mut back: Quote = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    back.verify_id().unwrap();
    back.total = back.tax_total;
    assert!(matches!(
        back.verify_id(),
        Err(Error::QuoteIdMismatch { .. })
    ));
}

#[test]
fn quote_json_carries_amounts_as_strings() {
    let q = quote("t.tax", &[("courier", "true")]);
    let v: serde_json::Value = serde_json::from_str(&q.canonical_json().unwrap()).unwrap();
    assert_eq!(
        v["total"],
        serde_json::json!({"amount": "165.12", "currency": "LSL"})
    );
    assert_eq!(v["taxes"][0]["percent"], "15");
    assert_eq!(v["date"], "2026-03-01");
    assert_eq!(v["lines"][1]["taxable"], true);
    assert_eq!(v["inputs"]["courier"], "true");
    // The only JSON numbers in a quote are line quantities.
    fn numbers(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Number(_) => out.push(path),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| numbers(x, format!("{path}[{i}]"), out)),
            serde_json::Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| numbers(x, format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let mut found = vec![];
    numbers(&v, "$".into(), &mut found);
    assert_eq!(found, ["$.lines[0].quantity", "$.lines[1].quantity"]);
}
