//! Hostile catalogues: each file under `tests/data/catalogue/hostile/` differs from
//! `tests/data/catalogue/base.json` (which loads) by one defect, and must be refused with its
//! own error variant naming where the defect is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use eservices::catalogue::Catalogue;
use eservices::Error;

fn load(name: &str) -> Result<Catalogue, Error> {
    let path = format!("{}/tests/data/catalogue/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Catalogue::from_json(&text)
}

fn hostile(name: &str) -> Error {
    match load(&format!("hostile/{name}")) {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => e,
    }
}

/// The JSON path an error names, if it names one.
fn path_of(e: &Error) -> Option<&str> {
    match e {
        Error::InvalidJson { path, .. }
        | Error::InvalidCatalogue { path, .. }
        | Error::UnknownRuleKind { path, .. }
        | Error::InvalidCatalogueAmount { path, .. }
        | Error::NegativeAmount { path, .. }
        | Error::UnknownCatalogueCurrency { path, .. }
        | Error::InvalidCatalogueDate { path, .. }
        | Error::InvalidDateRange { path, .. }
        | Error::DuplicateServiceId { path, .. }
        | Error::DuplicateRuleId { path, .. }
        | Error::DuplicateFieldId { path, .. }
        | Error::UnknownOption { path, .. } => Some(path),
        _ => None,
    }
}

const RULES: &str = "$.services[0].fee_schedules[0].rules";
const SCHEDULE: &str = "$.services[0].fee_schedules[0]";

#[test]
fn the_base_catalogue_loads() {
    let c = load("base.json").unwrap();
    assert_eq!(c.services.len(), 1);
}

#[test]
fn every_hostile_file_is_refused_with_its_own_error_and_path() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown-rule-kind.json",
            "unknown_rule_kind",
            "$.services[0].fee_schedules[0].rules[0].kind",
        ),
        (
            "float-amount.json",
            "invalid_json",
            "$.services[0].fee_schedules[0].rules[0].amount",
        ),
        (
            "number-amount.json",
            "invalid_catalogue_amount",
            "$.services[0].fee_schedules[0].rules[0].amount",
        ),
        (
            "amount-not-decimal.json",
            "invalid_catalogue_amount",
            "$.services[0].fee_schedules[0].rules[0].amount",
        ),
        (
            "too-many-minor-digits.json",
            "invalid_catalogue_amount",
            "$.services[0].fee_schedules[0].rules[0].amount",
        ),
        (
            "negative-price.json",
            "negative_amount",
            "$.services[0].fee_schedules[0].rules[1].options[1].amount",
        ),
        (
            "percent-over-100.json",
            "invalid_catalogue_amount",
            "$.services[0].fee_schedules[0].rules[3].relief.percent",
        ),
        (
            "unknown-currency.json",
            "unknown_catalogue_currency",
            "$.services[0].fee_schedules[0].currency",
        ),
        (
            "duplicate-service-id.json",
            "duplicate_service_id",
            "$.services[1].id",
        ),
        (
            "duplicate-rule-id.json",
            "duplicate_rule_id",
            "$.services[0].fee_schedules[0].rules[2].id",
        ),
        (
            "duplicate-field-id.json",
            "duplicate_field_id",
            "$.services[0].fields[2].id",
        ),
        (
            "duplicate-json-member.json",
            "invalid_json",
            "$.services[0].fee_schedules[0].currency",
        ),
        (
            "bad-date.json",
            "invalid_catalogue_date",
            "$.services[0].fee_schedules[0].effective_from",
        ),
        (
            "date-wrong-shape.json",
            "invalid_catalogue_date",
            "$.services[0].fee_schedules[0].effective_from",
        ),
        ("reversed-dates.json", "invalid_date_range", SCHEDULE),
        (
            "unknown-option.json",
            "unknown_option",
            "$.services[0].fee_schedules[0].rules[1].options[1].choice",
        ),
        (
            "unpriced-choice.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[1].options",
        ),
        (
            "unknown-member.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].efective_to",
        ),
        (
            "member-not-for-kind.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[0].field",
        ),
        (
            "taxable-exemption.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[3].taxable",
        ),
        (
            "missing-member.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[1].options",
        ),
        (
            "unknown-category.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[3].categories[0]",
        ),
        (
            "rule-field-wrong-type.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[2].field",
        ),
        (
            "rule-field-missing.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[2].field",
        ),
        (
            "bands-not-contiguous.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[3].bands[1].from",
        ),
        (
            "overlapping-tax-rates.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].rules[3].rates[1]",
        ),
        (
            "unknown-field-type.json",
            "invalid_catalogue",
            "$.services[0].fields[2].type",
        ),
        (
            "limit-not-for-type.json",
            "invalid_catalogue",
            "$.services[0].fields[1].limits.min_length",
        ),
        (
            "required-when-unknown-field.json",
            "invalid_catalogue",
            "$.services[0].fields[2].required_when.field",
        ),
        (
            "zar-at-par-on-zar-schedule.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules[0].accepts_zar_at_par",
        ),
        (
            "unknown-ministry.json",
            "invalid_catalogue",
            "$.services[0].ministry",
        ),
        (
            "no-fee-schedule.json",
            "invalid_catalogue",
            "$.services[0].fee_schedules",
        ),
        (
            "bad-service-id.json",
            "invalid_catalogue",
            "$.services[0].id",
        ),
        ("unsupported-format.json", "invalid_catalogue", "$.format"),
    ];
    for (file, code, path) in cases {
        let e = hostile(file);
        assert_eq!(e.code(), *code, "{file}: {e}");
        assert_eq!(path_of(&e), Some(*path), "{file}: {e}");
    }
    // Every file in the folder is covered, plus the three without a path below.
    let count = std::fs::read_dir(format!(
        "{}/tests/data/catalogue/hostile",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .filter(|e| {
        e.as_ref()
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "json")
    })
    .count();
    assert_eq!(count, cases.len() + 3);
}

#[test]
fn specific_values_are_reported() {
    assert_eq!(
        hostile("unknown-rule-kind.json"),
        Error::UnknownRuleKind {
            path: format!("{RULES}[0].kind"),
            kind: "discount".into()
        }
    );
    assert_eq!(
        hostile("negative-price.json"),
        Error::NegativeAmount {
            path: format!("{RULES}[1].options[1].amount"),
            value: "-300.00".into()
        }
    );
    assert_eq!(
        hostile("unknown-currency.json"),
        Error::UnknownCatalogueCurrency {
            path: format!("{SCHEDULE}.currency"),
            code: "USD".into()
        }
    );
    assert_eq!(
        hostile("duplicate-rule-id.json"),
        Error::DuplicateRuleId {
            path: format!("{RULES}[2].id"),
            service: "t.passport".into(),
            rule: "application".into()
        }
    );
    assert_eq!(
        hostile("unknown-option.json"),
        Error::UnknownOption {
            path: format!("{RULES}[1].options[1].choice"),
            field: "pages".into(),
            option: "48".into()
        }
    );
    assert_eq!(
        hostile("reversed-dates.json"),
        Error::InvalidDateRange {
            path: SCHEDULE.into(),
            effective_from: "2019-10-01".into(),
            effective_to: "2019-09-30".into()
        }
    );
}

#[test]
fn schedule_sequence_errors_name_the_service_and_dates() {
    assert_eq!(
        hostile("overlapping-versions.json"),
        Error::OverlappingSchedules {
            service: "t.passport".into(),
            first_from: "2019-10-01".into(),
            second_from: "2021-03-31".into()
        }
    );
    assert_eq!(
        hostile("open-version-then-another.json"),
        Error::OverlappingSchedules {
            service: "t.passport".into(),
            first_from: "2019-10-01".into(),
            second_from: "2022-01-01".into()
        }
    );
    assert_eq!(
        hostile("gap-between-versions.json"),
        Error::ScheduleGap {
            service: "t.passport".into(),
            gap_from: "2021-04-01".into(),
            gap_to: "2021-04-02".into()
        }
    );
}
