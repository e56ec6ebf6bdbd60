//! Loading a catalogue: strict JSON, typed deserialisation with JSON paths, then the checks
//! serde cannot express (references, overlaps, gaps, precision). Every error names its path.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use super::de::{self, Tagged};
use super::form::{Field, FieldType};
use super::model::{Catalogue, FeeSchedule, Service, FORMAT_VERSION};
use super::rule::{Penalty, Relief, Rule, RuleKind, TaxRate, RULE_KINDS};
use crate::money::Currency;
use crate::{Error, Result};

/// Parses and validates catalogue JSON.
pub(crate) fn load(text: &str) -> Result<Catalogue> {
    let value = crate::json::parse_strict(text)?;
    check_rule_kinds(&value)?;
    let catalogue: Catalogue = serde_path_to_error::deserialize(value).map_err(serde_error)?;
    validate(&catalogue)?;
    Ok(catalogue)
}

/// Unknown rule kinds are reported before typed deserialisation, so a rule of an unknown kind
/// is named as such even when its other members are unfamiliar too.
fn check_rule_kinds(value: &Value) -> Result<()> {
    let Some(services) = value.get("services").and_then(Value::as_array) else {
        return Ok(());
    };
    for (i, s) in services.iter().enumerate() {
        let Some(schedules) = s.get("fee_schedules").and_then(Value::as_array) else {
            continue;
        };
        for (j, sch) in schedules.iter().enumerate() {
            let Some(rules) = sch.get("rules").and_then(Value::as_array) else {
                continue;
            };
            for (k, r) in rules.iter().enumerate() {
                if let Some(kind) = r.get("kind").and_then(Value::as_str) {
                    if !RULE_KINDS.contains(&kind) {
                        return Err(Error::UnknownRuleKind {
                            path: format!("$.services[{i}].fee_schedules[{j}].rules[{k}].kind"),
                            kind: kind.into(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

fn serde_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let p = e.path().to_string();
    let path = if p == "." || p.is_empty() {
        "$".to_string()
    } else if p.starts_with('[') {
        format!("${p}")
    } else {
        format!("$.{p}")
    };
    let message = e.inner().to_string();
    match de::classify(&message) {
        Some(Tagged::Amount { value, reason }) => Error::InvalidCatalogueAmount {
            path,
            value,
            reason,
        },
        Some(Tagged::Negative { value }) => Error::NegativeAmount { path, value },
        Some(Tagged::Date { value }) => Error::InvalidCatalogueDate { path, value },
        Some(Tagged::Currency { code }) => Error::UnknownCatalogueCurrency { path, code },
        Some(Tagged::RuleKind { kind }) => Error::UnknownRuleKind {
            path: format!("{path}.kind"),
            kind,
        },
        Some(Tagged::Member { suffix, reason }) => Error::InvalidCatalogue {
            path: format!("{path}{suffix}"),
            reason,
        },
        None => Error::InvalidCatalogue {
            path,
            reason: message,
        },
    }
}

fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidCatalogue {
        path: path.into(),
        reason: reason.into(),
    }
}

/// Ids: 1–100 characters of lower-case ASCII letters, digits, `.`, `_`, `-`, starting with a
/// letter or digit.
fn check_id(path: &str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("{id:?} is not an id (lower-case letters, digits, '.', '_', '-')"),
        ))
    }
}

fn check_text(path: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        Err(invalid(path, "must not be blank"))
    } else {
        Ok(())
    }
}

fn check_amount(path: &str, amount: Decimal, currency: Currency) -> Result<()> {
    if amount.scale() > currency.minor_digits() {
        return Err(Error::InvalidCatalogueAmount {
            path: path.into(),
            value: amount.to_string(),
            reason: format!(
                "{} has {} minor digits",
                currency.code(),
                currency.minor_digits()
            ),
        });
    }
    Ok(())
}

fn check_percent(path: &str, percent: Decimal, allow_zero: bool) -> Result<()> {
    let too_low = if allow_zero {
        percent.is_sign_negative() && !percent.is_zero()
    } else {
        percent <= Decimal::ZERO
    };
    if too_low || percent > Decimal::ONE_HUNDRED {
        return Err(Error::InvalidCatalogueAmount {
            path: path.into(),
            value: percent.to_string(),
            reason: if allow_zero {
                "a percentage from 0 to 100".into()
            } else {
                "a percentage above 0 and at most 100".into()
            },
        });
    }
    Ok(())
}

fn check_period(path: &str, from: NaiveDate, to: Option<NaiveDate>) -> Result<()> {
    match to {
        Some(to) if to < from => Err(Error::InvalidDateRange {
            path: path.into(),
            effective_from: from.to_string(),
            effective_to: to.to_string(),
        }),
        _ => Ok(()),
    }
}

fn validate(c: &Catalogue) -> Result<()> {
    if c.format != FORMAT_VERSION {
        return Err(invalid(
            "$.format",
            format!(
                "format {} is not supported; this crate reads {FORMAT_VERSION}",
                c.format
            ),
        ));
    }
    check_text("$.title", &c.title)?;
    check_text("$.notice", &c.notice)?;
    let mut ministries = BTreeSet::new();
    for (i, m) in c.ministries.iter().enumerate() {
        let path = format!("$.ministries[{i}].id");
        check_id(&path, &m.id)?;
        if !ministries.insert(m.id.as_str()) {
            return Err(invalid(path, format!("duplicate ministry id {:?}", m.id)));
        }
    }
    let mut categories = BTreeSet::new();
    for (i, a) in c.applicant_categories.iter().enumerate() {
        let path = format!("$.applicant_categories[{i}].id");
        check_id(&path, &a.id)?;
        if !categories.insert(a.id.as_str()) {
            return Err(invalid(path, format!("duplicate category id {:?}", a.id)));
        }
    }
    let mut services = BTreeSet::new();
    for (i, s) in c.services.iter().enumerate() {
        let path = format!("$.services[{i}]");
        check_id(&format!("{path}.id"), &s.id)?;
        if !services.insert(s.id.as_str()) {
            return Err(Error::DuplicateServiceId {
                path: format!("{path}.id"),
                service: s.id.clone(),
            });
        }
        if !ministries.contains(s.ministry.as_str()) {
            return Err(invalid(
                format!("{path}.ministry"),
                format!("no ministry with id {:?}", s.ministry),
            ));
        }
        validate_service(&path, s, &categories)?;
    }
    Ok(())
}

fn validate_service(path: &str, s: &Service, categories: &BTreeSet<&str>) -> Result<()> {
    check_text(&format!("{path}.name.en"), &s.name.en)?;
    check_text(&format!("{path}.document_type"), &s.document_type)?;
    check_text(&format!("{path}.source.citation"), &s.source.citation)?;
    let mut ids = BTreeSet::new();
    for (k, f) in s.fields.iter().enumerate() {
        let fpath = format!("{path}.fields[{k}]");
        check_id(&format!("{fpath}.id"), &f.id)?;
        if !ids.insert(f.id.as_str()) {
            return Err(Error::DuplicateFieldId {
                path: format!("{fpath}.id"),
                service: s.id.clone(),
                field: f.id.clone(),
            });
        }
    }
    for (k, f) in s.fields.iter().enumerate() {
        validate_field(&format!("{path}.fields[{k}]"), f, s)?;
    }
    if s.fee_schedules.is_empty() {
        return Err(invalid(
            format!("{path}.fee_schedules"),
            "a service needs at least one fee schedule",
        ));
    }
    for (j, sch) in s.fee_schedules.iter().enumerate() {
        validate_schedule(&format!("{path}.fee_schedules[{j}]"), sch, s, categories)?;
    }
    check_schedule_sequence(s)
}

fn validate_field(path: &str, f: &Field, s: &Service) -> Result<()> {
    check_text(&format!("{path}.label.en"), &f.label.en)?;
    let is_choice = f.kind == FieldType::Choice;
    if is_choice && f.choices.is_empty() {
        return Err(invalid(
            format!("{path}.choices"),
            "a choice field needs choices",
        ));
    }
    if !is_choice && !f.choices.is_empty() {
        return Err(invalid(
            format!("{path}.choices"),
            format!("a {} field has no choices", f.kind.as_str()),
        ));
    }
    let mut seen = BTreeSet::new();
    for (n, ch) in f.choices.iter().enumerate() {
        let cpath = format!("{path}.choices[{n}].id");
        if ch.id.is_empty() || ch.id.trim() != ch.id {
            return Err(invalid(
                cpath,
                "a choice id is non-blank, without edge spaces",
            ));
        }
        if !seen.insert(ch.id.as_str()) {
            return Err(invalid(cpath, format!("duplicate choice {:?}", ch.id)));
        }
    }
    let l = &f.limits;
    let applies: &[(&str, bool)] = &[
        ("min_length", l.min_length.is_some()),
        ("max_length", l.max_length.is_some()),
        ("min", l.min.is_some()),
        ("max", l.max.is_some()),
        ("whole_number", l.whole_number),
        ("not_in_future", l.not_in_future),
        ("max_bytes", l.max_bytes.is_some()),
        ("media_types", !l.media_types.is_empty()),
    ];
    let allowed: &[&str] = match f.kind {
        FieldType::Text => &["min_length", "max_length"],
        FieldType::Number => &["min", "max", "whole_number"],
        FieldType::Date => &["not_in_future"],
        FieldType::Attachment => &["max_bytes", "media_types"],
        _ => &[],
    };
    if let Some((name, _)) = applies
        .iter()
        .find(|(name, set)| *set && !allowed.contains(name))
    {
        return Err(invalid(
            format!("{path}.limits.{name}"),
            format!("does not apply to a {} field", f.kind.as_str()),
        ));
    }
    if let (Some(a), Some(b)) = (l.min_length, l.max_length) {
        if a > b {
            return Err(invalid(
                format!("{path}.limits"),
                "min_length is above max_length",
            ));
        }
    }
    if let (Some(a), Some(b)) = (l.min, l.max) {
        if a > b {
            return Err(invalid(format!("{path}.limits"), "min is above max"));
        }
    }
    if let Some(cond) = &f.required_when {
        let cpath = format!("{path}.required_when.field");
        let Some(other) = s.field(&cond.field).filter(|o| o.id != f.id) else {
            return Err(invalid(
                cpath,
                format!("{:?} is not another field of this form", cond.field),
            ));
        };
        if let Some(want) = &cond.equals {
            let ok = match other.kind {
                FieldType::Choice => other.choices.iter().any(|c| &c.id == want),
                FieldType::Boolean => want == "true" || want == "false",
                _ => !want.trim().is_empty(),
            };
            if !ok {
                return Err(invalid(
                    format!("{path}.required_when.equals"),
                    format!("{want:?} is not a possible answer of {:?}", other.id),
                ));
            }
        }
    }
    Ok(())
}

fn validate_schedule(
    path: &str,
    sch: &FeeSchedule,
    s: &Service,
    categories: &BTreeSet<&str>,
) -> Result<()> {
    check_period(path, sch.effective_from, sch.effective_to)?;
    check_text(&format!("{path}.legal_reference"), &sch.legal_reference)?;
    if sch.accepts_zar_at_par && sch.currency != Currency::Lsl {
        return Err(invalid(
            format!("{path}.accepts_zar_at_par"),
            "only loti (LSL) schedules can accept rand at par",
        ));
    }
    if sch.rules.is_empty() {
        return Err(invalid(
            format!("{path}.rules"),
            "a fee schedule needs at least one rule",
        ));
    }
    let mut ids = BTreeSet::new();
    for (k, r) in sch.rules.iter().enumerate() {
        let rpath = format!("{path}.rules[{k}]");
        check_id(&format!("{rpath}.id"), &r.id)?;
        if !ids.insert(r.id.as_str()) {
            return Err(Error::DuplicateRuleId {
                path: format!("{rpath}.id"),
                service: s.id.clone(),
                rule: r.id.clone(),
            });
        }
    }
    for (k, r) in sch.rules.iter().enumerate() {
        validate_rule(&format!("{path}.rules[{k}]"), r, sch, s, categories)?;
    }
    Ok(())
}

/// The field a rule reads, which must exist and be of `kind`.
fn rule_field<'a>(path: &str, s: &'a Service, id: &str, kind: FieldType) -> Result<&'a Field> {
    let f = s
        .field(id)
        .ok_or_else(|| invalid(format!("{path}.field"), format!("no form field {id:?}")))?;
    if f.kind != kind {
        return Err(invalid(
            format!("{path}.field"),
            format!(
                "field {id:?} is a {} field; this rule needs a {} field",
                f.kind.as_str(),
                kind.as_str()
            ),
        ));
    }
    Ok(f)
}

fn validate_rule(
    path: &str,
    r: &Rule,
    sch: &FeeSchedule,
    s: &Service,
    categories: &BTreeSet<&str>,
) -> Result<()> {
    check_text(&format!("{path}.description"), &r.description)?;
    let cur = sch.currency;
    match &r.kind {
        RuleKind::Flat { amount } => check_amount(&format!("{path}.amount"), *amount, cur)?,
        RuleKind::OptionPrice { field, options } => {
            let f = rule_field(path, s, field, FieldType::Choice)?;
            let mut priced = BTreeSet::new();
            for (n, o) in options.iter().enumerate() {
                let opath = format!("{path}.options[{n}]");
                check_amount(&format!("{opath}.amount"), o.amount, cur)?;
                if !f.choices.iter().any(|c| c.id == o.choice) {
                    return Err(Error::UnknownOption {
                        path: format!("{opath}.choice"),
                        field: field.clone(),
                        option: o.choice.clone(),
                    });
                }
                if !priced.insert(o.choice.as_str()) {
                    return Err(invalid(
                        format!("{opath}.choice"),
                        format!("choice {:?} is priced twice", o.choice),
                    ));
                }
            }
            if let Some(c) = f.choices.iter().find(|c| !priced.contains(c.id.as_str())) {
                return Err(invalid(
                    format!("{path}.options"),
                    format!("choice {:?} of field {field:?} has no price", c.id),
                ));
            }
        }
        RuleKind::PerUnit {
            field, unit_amount, ..
        } => {
            let f = rule_field(path, s, field, FieldType::Number)?;
            if !f.limits.whole_number {
                return Err(invalid(
                    format!("{path}.field"),
                    format!("field {field:?} must set limits.whole_number to give a quantity"),
                ));
            }
            check_amount(&format!("{path}.unit_amount"), *unit_amount, cur)?;
        }
        RuleKind::Bands { field, bands } => {
            rule_field(path, s, field, FieldType::Number)?;
            if bands.is_empty() {
                return Err(invalid(format!("{path}.bands"), "no bands"));
            }
            let last = bands.len().saturating_sub(1);
            for (n, b) in bands.iter().enumerate() {
                let bpath = format!("{path}.bands[{n}]");
                check_amount(&format!("{bpath}.amount"), b.amount, cur)?;
                match (b.to, bands.get(n + 1)) {
                    (Some(to), _) if to <= b.from => {
                        return Err(invalid(format!("{bpath}.to"), "`to` must be above `from`"))
                    }
                    (None, _) if n != last => {
                        return Err(invalid(
                            format!("{bpath}.to"),
                            "only the last band may be open-ended",
                        ))
                    }
                    (Some(to), Some(next)) if next.from != to => {
                        return Err(invalid(
                            format!("{path}.bands[{}].from", n + 1),
                            format!("bands must be contiguous: expected from {to}"),
                        ))
                    }
                    _ => {}
                }
            }
        }
        RuleKind::Percentage {
            field,
            percent,
            minimum,
            maximum,
        } => {
            rule_field(path, s, field, FieldType::Number)?;
            check_percent(&format!("{path}.percent"), *percent, false)?;
            if let Some(m) = minimum {
                check_amount(&format!("{path}.minimum"), *m, cur)?;
            }
            if let Some(m) = maximum {
                check_amount(&format!("{path}.maximum"), *m, cur)?;
            }
            if let (Some(a), Some(b)) = (minimum, maximum) {
                if a > b {
                    return Err(invalid(format!("{path}.minimum"), "above the maximum"));
                }
            }
        }
        RuleKind::Surcharge { field, amount } => {
            rule_field(path, s, field, FieldType::Boolean)?;
            check_amount(&format!("{path}.amount"), *amount, cur)?;
        }
        RuleKind::LatePenalty {
            field,
            penalty,
            cap,
            ..
        } => {
            rule_field(path, s, field, FieldType::Date)?;
            let (name, amount) = match penalty {
                Penalty::Fixed(a) => ("fixed", a),
                Penalty::PerStartedMonth(a) => ("per_started_month", a),
            };
            check_amount(&format!("{path}.penalty.{name}"), *amount, cur)?;
            if let Some(c) = cap {
                check_amount(&format!("{path}.cap"), *c, cur)?;
            }
        }
        RuleKind::Exemption {
            categories: cats,
            relief,
            reason,
            applies_to,
        } => {
            check_text(&format!("{path}.reason"), reason)?;
            if cats.is_empty() {
                return Err(invalid(format!("{path}.categories"), "no categories"));
            }
            for (n, c) in cats.iter().enumerate() {
                if !categories.contains(c.as_str()) {
                    return Err(invalid(
                        format!("{path}.categories[{n}]"),
                        format!("no applicant category {c:?}"),
                    ));
                }
            }
            if let Relief::Percent(p) = relief {
                check_percent(&format!("{path}.relief.percent"), *p, false)?;
            }
            for (n, id) in applies_to.iter().enumerate() {
                if !sch.rule(id).is_some_and(|t| t.kind.is_charge()) {
                    return Err(invalid(
                        format!("{path}.applies_to[{n}]"),
                        format!("{id:?} is not a charge rule of this schedule"),
                    ));
                }
            }
        }
        RuleKind::Tax { rates } => validate_rates(path, rates)?,
    }
    Ok(())
}

fn validate_rates(path: &str, rates: &[TaxRate]) -> Result<()> {
    if rates.is_empty() {
        return Err(invalid(format!("{path}.rates"), "no rates"));
    }
    for (n, rate) in rates.iter().enumerate() {
        let rpath = format!("{path}.rates[{n}]");
        check_period(&rpath, rate.effective_from, rate.effective_to)?;
        check_percent(&format!("{rpath}.percent"), rate.percent, true)?;
        check_text(&format!("{rpath}.legal_reference"), &rate.legal_reference)?;
        for (m, other) in rates.iter().enumerate().take(n) {
            let overlap =
                rate.in_force_on(other.effective_from) || other.in_force_on(rate.effective_from);
            if overlap {
                return Err(invalid(
                    rpath,
                    format!("overlaps rates[{m}] (from {})", other.effective_from),
                ));
            }
        }
    }
    Ok(())
}

/// Versions must neither overlap nor leave gaps between them.
fn check_schedule_sequence(s: &Service) -> Result<()> {
    let mut order: Vec<&FeeSchedule> = s.fee_schedules.iter().collect();
    order.sort_by_key(|sch| sch.effective_from);
    for pair in order.windows(2) {
        let [a, b] = pair else { continue };
        let overlap = match a.effective_to {
            None => true,
            Some(to) => to >= b.effective_from,
        };
        if overlap {
            return Err(Error::OverlappingSchedules {
                service: s.id.clone(),
                first_from: a.effective_from.to_string(),
                second_from: b.effective_from.to_string(),
            });
        }
        if let Some(to) = a.effective_to {
            let gap_from = to.succ_opt();
            let gap_to = b.effective_from.pred_opt();
            if let (Some(gf), Some(gt)) = (gap_from, gap_to) {
                if gf <= gt {
                    return Err(Error::ScheduleGap {
                        service: s.id.clone(),
                        gap_from: gf.to_string(),
                        gap_to: gt.to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}
