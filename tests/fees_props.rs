//! Properties of quotes over generated inputs: the total is the sum of the lines, never
//! negative, and identical inputs give identical bytes and `quote_id`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fees_common;

use chrono::NaiveDate;
use eservices::catalogue::{Answers, Catalogue};
use eservices::fees::Quote;
use eservices::money::Money;
use fees_common::rules;
use proptest::prelude::*;

fn check(q: &Quote) {
    let mut sum = Money::zero(q.currency);
    for l in &q.lines {
        assert!(!l.amount.is_negative());
        sum = sum.checked_add(&l.amount).unwrap();
    }
    let mut waived = Money::zero(q.currency);
    for e in &q.exemptions {
        assert!(e.amount.is_negative());
        waived = waived.checked_add(&e.amount).unwrap();
    }
    assert!(waived.negated().amount() <= sum.amount());
    let subtotal = sum.checked_add(&waived).unwrap();
    assert_eq!(subtotal, q.subtotal);
    let mut taxes = Money::zero(q.currency);
    for t in &q.taxes {
        assert!(!t.amount.is_negative());
        taxes = taxes.checked_add(&t.amount).unwrap();
    }
    assert_eq!(taxes, q.tax_total);
    assert_eq!(subtotal.checked_add(&taxes).unwrap(), q.total);
    assert!(!q.total.is_negative());
    for m in std::iter::once(&q.total).chain(q.lines.iter().map(|l| &l.amount)) {
        assert_eq!(m.amount().scale(), 2);
    }
    q.verify_id().unwrap();
}

fn amount() -> impl Strategy<Value = String> {
    (0u64..=10_000_000_000u64, 0u32..=2).prop_map(|(cents, digits)| match digits {
        0 => (cents / 100).to_string(),
        1 => format!("{}.{}", cents / 100, (cents % 100) / 10),
        _ => format!("{}.{:02}", cents / 100, cents % 100),
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..4000).prop_map(|n| {
        NaiveDate::from_ymd_opt(2020, 1, 1)
            .unwrap()
            .checked_add_days(chrono::Days::new(n as u64))
            .unwrap()
    })
}

fn case() -> impl Strategy<Value = (String, Answers, String, NaiveDate)> {
    let category = prop_oneof![Just("general"), Just("pensioner"), Just("indigent")];
    let answers = (0u32..=200, amount(), any::<bool>(), 0u64..2000);
    let service = prop_oneof![
        Just("t.flat"),
        Just("t.per-unit"),
        Just("t.bands"),
        Just("t.percentage"),
        Just("t.percentage-plain"),
        Just("t.percentage-half-even"),
        Just("t.surcharge"),
        Just("t.late-monthly"),
        Just("t.late-fixed"),
        Just("t.exemption"),
        Just("t.tax"),
    ];
    (service, answers, category, date()).prop_map(|(s, (copies, value, flag, ago), cat, d)| {
        let event = d
            .checked_sub_days(chrono::Days::new(ago))
            .unwrap()
            .to_string();
        let mut a = Answers::new();
        match s {
            "t.per-unit" => {
                a.insert("copies".into(), (copies % 101).to_string());
            }
            "t.bands" | "t.percentage" | "t.percentage-plain" | "t.percentage-half-even" => {
                a.insert("value".into(), value);
            }
            "t.surcharge" => {
                a.insert("urgent".into(), flag.to_string());
            }
            "t.tax" => {
                a.insert("courier".into(), flag.to_string());
            }
            "t.late-monthly" | "t.late-fixed" => {
                a.insert("event".into(), event);
            }
            _ => {}
        }
        (s.to_string(), a, cat.to_string(), d)
    })
}

proptest! {
    #[test]
    fn totals_add_up_and_ids_are_stable((service, answers, category, date) in case()) {
        let q = rules().quote(&service, &answers, &category, date).unwrap();
        check(&q);
        let again = rules().quote(&service, &answers, &category, date).unwrap();
        prop_assert_eq!(&q.quote_id, &again.quote_id);
        prop_assert_eq!(q.canonical_json().unwrap(), again.canonical_json().unwrap());
    }

    #[test]
    fn shipped_passport_quotes_add_up(
        pages in prop_oneof![Just("32"), Just("64")],
        urgent in any::<bool>(),
        replacement in any::<bool>(),
        date in date(),
    ) {
        let c = Catalogue::lesotho().unwrap();
        let mut a = Answers::new();
        a.insert("pages".into(), pages.into());
        a.insert("urgent".into(), urgent.to_string());
        a.insert("replacement".into(), replacement.to_string());
        let q = c.quote("home-affairs.passport.ordinary", &a, "general", date).unwrap();
        check(&q);
        let expected = if pages == "32" { 130 } else { 300 }
            + if urgent { 500 } else { 0 }
            + if replacement { 300 } else { 0 };
        prop_assert_eq!(q.total.to_string_amount(), format!("{expected}.00"));
    }

    #[test]
    fn different_answers_give_different_ids(a in 0u32..=100, b in 0u32..=100) {
        prop_assume!(a != b);
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let quote = |n: u32| {
            let answers: Answers = [("copies".to_string(), n.to_string())].into();
            rules().quote("t.per-unit", &answers, "general", date).unwrap().quote_id
        };
        prop_assert_ne!(quote(a), quote(b));
    }
}

proptest! {
    #[test]
    fn money_text_and_json_round_trip(cents in -1_000_000_000_000i64..1_000_000_000_000i64) {
        use eservices::money::Currency;
        let text = format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
        let m = Money::parse(&text, Currency::Lsl).unwrap();
        let shown = if m.is_zero() { "0.00".to_string() } else { text.clone() };
        prop_assert_eq!(m.to_string_amount(), shown);
        let json = serde_json::to_string(&m).unwrap();
        let back: Money = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, m);
        prop_assert_eq!(m.checked_add(&m.negated()).unwrap(), Money::zero(Currency::Lsl));
    }
}
