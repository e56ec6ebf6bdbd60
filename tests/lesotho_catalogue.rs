//! The shipped illustrative Lesotho catalogue: it loads, says it is illustrative, cites its
//! sources, exercises every rule kind, and every service quotes for a sample application
//! that passes its own form validation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use eservices::catalogue::form::{BasicNationalIdValidator, Field, FieldType};
use eservices::catalogue::{Answers, Catalogue, FieldErrorCode, Penalty, Relief, RuleKind};
use eservices::Error;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A valid answer for any field, built from its definition alone.
fn sample(field: &Field) -> String {
    match field.kind {
        FieldType::Text => "x".repeat(field.limits.min_length.unwrap_or(1).max(1) as usize),
        FieldType::Date => "2024-06-15".into(),
        FieldType::Number => field
            .limits
            .min
            .map(|m| m.max(1.into()).to_string())
            .unwrap_or_else(|| "1".into()),
        FieldType::Choice => field.choices[0].id.clone(),
        FieldType::Boolean => "true".into(),
        FieldType::Phone => "+266 5881 2345".into(),
        FieldType::Email => "applicant@example.org.ls".into(),
        FieldType::NationalId => "012345678901".into(),
        FieldType::Attachment => format!(
            r#"{{"name":"file","media_type":"{}","size":1000,"sha256":"{}"}}"#,
            field
                .limits
                .media_types
                .first()
                .map(String::as_str)
                .unwrap_or("application/pdf"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        ),
    }
}

#[test]
fn it_loads_round_trips_and_says_it_is_illustrative() {
    let c = Catalogue::lesotho().unwrap();
    assert!(c.notice.contains("illustrative"));
    assert!(c.notice.contains("Gazette"));
    assert_eq!(Catalogue::from_json(&c.to_json().unwrap()).unwrap(), c);
    for s in &c.services {
        assert!(
            !s.source.citation.trim().is_empty(),
            "{} cites no source",
            s.id
        );
    }
    let ministries: BTreeSet<&str> = c.services.iter().map(|s| s.ministry.as_str()).collect();
    for m in [
        "home-affairs",
        "public-works-transport",
        "public-service",
        "finance",
        "trade",
    ] {
        assert!(ministries.contains(m), "{m}");
    }
}

#[test]
fn every_rule_kind_and_variant_is_exercised_by_the_shipped_data() {
    let c = Catalogue::lesotho().unwrap();
    let mut kinds = BTreeSet::new();
    let (mut fixed, mut monthly, mut full, mut partial, mut taxable) =
        (false, false, false, false, false);
    for s in &c.services {
        for sch in &s.fee_schedules {
            for r in &sch.rules {
                kinds.insert(r.kind.name());
                taxable |= r.taxable;
                match &r.kind {
                    RuleKind::LatePenalty {
                        penalty: Penalty::Fixed(_),
                        ..
                    } => fixed = true,
                    RuleKind::LatePenalty {
                        penalty: Penalty::PerStartedMonth(_),
                        ..
                    } => monthly = true,
                    RuleKind::Exemption {
                        relief: Relief::Full,
                        ..
                    } => full = true,
                    RuleKind::Exemption {
                        relief: Relief::Percent(_),
                        ..
                    } => partial = true,
                    _ => {}
                }
            }
        }
    }
    assert_eq!(
        kinds.len(),
        eservices::catalogue::rule::RULE_KINDS.len(),
        "{kinds:?}"
    );
    assert!(fixed && monthly && full && partial && taxable);
}

#[test]
fn every_service_quotes_for_a_sample_application() {
    let c = Catalogue::lesotho().unwrap();
    for s in &c.services {
        let answers: Answers = s.fields.iter().map(|f| (f.id.clone(), sample(f))).collect();
        s.validate_answers(&answers, today(), &BasicNationalIdValidator)
            .unwrap_or_else(|e| panic!("{}: {e:?}", s.id));
        for category in &c.applicant_categories {
            let q = c.quote(&s.id, &answers, &category.id, today()).unwrap();
            q.verify_id().unwrap();
            assert!(!q.total.is_negative());
            assert_eq!(q.service_id, s.id);
        }
        let q = c.quote(&s.id, &answers, "general", today()).unwrap();
        assert!(
            !q.total.is_zero(),
            "{} is free for a general applicant",
            s.id
        );
    }
}

#[test]
fn passport_fees_under_legal_notice_95_of_2019() {
    let c = Catalogue::lesotho().unwrap();
    let total = |pairs: &[(&str, &str)]| {
        let q = c
            .quote(
                "home-affairs.passport.ordinary",
                &answers(pairs),
                "general",
                today(),
            )
            .unwrap();
        assert_eq!(q.schedule.legal_reference, "Legal Notice No. 95 of 2019");
        q.total.to_string()
    };
    assert_eq!(total(&[("pages", "32")]), "M 130.00");
    assert_eq!(total(&[("pages", "64")]), "M 300.00");
    assert_eq!(total(&[("pages", "64"), ("urgent", "true")]), "M 800.00");
    assert_eq!(
        total(&[("pages", "32"), ("replacement", "true")]),
        "M 430.00"
    );
    assert_eq!(
        total(&[("pages", "64"), ("urgent", "true"), ("replacement", "true")]),
        "M 1100.00"
    );
}

#[test]
fn other_headline_fees() {
    let c = Catalogue::lesotho().unwrap();
    let total = |id: &str, pairs: &[(&str, &str)]| {
        c.quote(id, &answers(pairs), "general", today())
            .unwrap()
            .total
            .to_string()
    };
    assert_eq!(
        total(
            "public-works-transport.learners-licence",
            &[("licence_code", "B")]
        ),
        "M 30.00"
    );
    assert_eq!(
        total("public-works-transport.vehicle.number-plate", &[]),
        "M 400.00"
    );
    assert_eq!(
        total(
            "public-works-transport.vehicle.number-plate",
            &[("personalised", "true")]
        ),
        "M 2900.00"
    );
    assert_eq!(total("trade.company.name-reservation", &[]), "M 30.00");
    assert_eq!(total("trade.company.incorporation", &[]), "M 500.00");
    assert_eq!(
        total(
            "finance.tax-clearance-certificate",
            &[("courier_delivery", "true")]
        ),
        "M 165.00"
    );
    assert_eq!(
        total(
            "public-works-transport.vehicle.ownership-transfer",
            &[("declared_value", "5000")]
        ),
        "M 100.00"
    );
    assert_eq!(
        total(
            "public-works-transport.vehicle.ownership-transfer",
            &[("declared_value", "500000")]
        ),
        "M 2000.00"
    );
}

#[test]
fn bad_answers_are_all_reported_at_once() {
    let c = Catalogue::lesotho().unwrap();
    let err = c
        .quote(
            "home-affairs.passport.ordinary",
            &answers(&[("pages", "48"), ("urgent", "yes"), ("replacement", "maybe")]),
            "general",
            today(),
        )
        .unwrap_err();
    let Error::InvalidAnswers { errors } = err else {
        panic!("{err:?}")
    };
    let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            ("pages", FieldErrorCode::NotAChoice),
            ("urgent", FieldErrorCode::InvalidType),
            ("replacement", FieldErrorCode::InvalidType)
        ]
    );
}

#[test]
fn passport_form_required_when_and_phone() {
    let c = Catalogue::lesotho().unwrap();
    let s = c.service("home-affairs.passport.ordinary").unwrap();
    let mut a: Answers = s.fields.iter().map(|f| (f.id.clone(), sample(f))).collect();
    a.remove("previous_passport_number");
    a.insert("phone".into(), "00266-5881-2345".into());
    let errors = s
        .validate_answers(&a, today(), &BasicNationalIdValidator)
        .unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [("previous_passport_number", FieldErrorCode::Required)]
    );
    a.insert("replacement".into(), "false".into());
    s.validate_answers(&a, today(), &BasicNationalIdValidator)
        .unwrap();
}

#[test]
fn quotes_before_the_first_schedule_are_a_typed_error() {
    let c = Catalogue::lesotho().unwrap();
    let err = c
        .quote(
            "home-affairs.passport.ordinary",
            &answers(&[("pages", "32")]),
            "general",
            NaiveDate::from_ymd_opt(2019, 9, 30).unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::NoScheduleInForce {
            service: "home-affairs.passport.ordinary".into(),
            date: "2019-09-30".into()
        }
    );
}
