//! Working out a quote's lines, rule by rule.
//!
//! Everything is written into a [`Quote`] that may hold an earlier quote: strings and lists
//! are overwritten in place, so a quote made again into the same value reuses its memory
//! (see [`Quoter::quote_into`](super::Quoter::quote_into)).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::text::{self, assign};
use super::{tidy, ExemptionLine, Quote, QuoteLine, TaxLine};
use crate::catalogue::form::{answer, BasicNationalIdValidator};
use crate::catalogue::{
    Answers, Band, FeeSchedule, Field, FieldError, FieldErrorCode, Penalty, Rule, RuleKind, Service,
};
use crate::money::{parse_decimal, percent_of, Currency, Money, Rounding};
use crate::{Error, Result};

/// A charge line before it is written into a quote: its text still borrowed from the rule.
pub(super) struct Draft<'a> {
    rule: &'a Rule,
    /// The chosen option's label, shown after the rule's description: `Passport booklet (64
    /// pages)`.
    label: Option<&'a str>,
    quantity: u64,
    unit: Money,
    amount: Money,
    basis: Option<String>,
}

impl Draft<'_> {
    fn description_len(&self) -> usize {
        self.rule.description.len() + self.label.map_or(0, |l| l.len() + 3)
    }

    fn push_description(&self, s: &mut String) {
        s.push_str(&self.rule.description);
        if let Some(label) = self.label {
            s.push_str(" (");
            s.push_str(label);
            s.push(')');
        }
    }

    /// The line, each string allocated once at its exact size.
    pub(super) fn into_line(self, legal_reference: &str) -> QuoteLine {
        let mut description = String::with_capacity(self.description_len());
        self.push_description(&mut description);
        QuoteLine {
            rule_id: self.rule.id.clone(),
            description,
            legal_reference: legal_reference.to_owned(),
            quantity: self.quantity,
            unit_amount: self.unit,
            amount: self.amount,
            taxable: self.rule.taxable,
            basis: self.basis,
        }
    }

    /// Overwrites `line` with this one, in the memory it already has.
    pub(super) fn write_into(self, line: &mut QuoteLine, legal_reference: &str) {
        assign(&mut line.rule_id, &self.rule.id);
        line.description.clear();
        line.description.reserve(self.description_len());
        self.push_description(&mut line.description);
        assign(&mut line.legal_reference, legal_reference);
        line.quantity = self.quantity;
        line.unit_amount = self.unit;
        line.amount = self.amount;
        line.taxable = self.rule.taxable;
        line.basis = self.basis;
    }
}

struct Ctx<'a, 'q> {
    service: &'a Service,
    answers: &'a Answers,
    date: NaiveDate,
    currency: Currency,
    rounding: Rounding,
    errors: Vec<FieldError>,
    /// The answers read, written over the previous quote's (cleared before the rules run).
    inputs: &'q mut BTreeMap<String, String>,
    /// How many of the previous quote's inputs were written over (once each).
    rewritten: usize,
}

fn catalogue_error(service: &Service, rule: &Rule, reason: String) -> Error {
    Error::InvalidCatalogue {
        path: format!("services[id={}].rules[id={}]", service.id, rule.id),
        reason,
    }
}

impl<'a> Ctx<'a, '_> {
    fn money(&self, amount: Decimal) -> Result<Money> {
        Money::new(amount, self.currency)
    }

    fn field_error(&mut self, field: &str, code: FieldErrorCode, reason: String) {
        self.errors.push(FieldError::new(field, code, reason));
    }

    /// The checked answer a rule reads. `None` when absent (an error is recorded when the
    /// rule `needs` it or the form requires it) or when invalid (the error is recorded).
    fn read(&mut self, rule: &Rule, field_id: &str, needs: bool) -> Result<Option<&'a str>> {
        Ok(self.read_field(rule, field_id, needs)?.map(|(_, v)| v))
    }

    /// [`Ctx::read`], with the field.
    fn read_field(
        &mut self,
        rule: &Rule,
        field_id: &str,
        needs: bool,
    ) -> Result<Option<(&'a Field, &'a str)>> {
        let field = self.service.field(field_id).ok_or_else(|| {
            catalogue_error(self.service, rule, format!("no form field {field_id:?}"))
        })?;
        match answer(self.answers, field_id) {
            None => {
                if needs || field.is_required(self.answers) {
                    self.field_error(
                        field_id,
                        FieldErrorCode::Required,
                        format!("an answer is needed to work out {:?}", rule.description),
                    );
                }
                Ok(None)
            }
            Some(v) => match field.check(v, self.date, &BasicNationalIdValidator) {
                Ok(()) => {
                    match self.inputs.get_mut(field_id) {
                        Some(slot) => {
                            // Empty: the previous quote's, not yet written over.
                            if slot.is_empty() {
                                self.rewritten += 1;
                            }
                            assign(slot, v);
                        }
                        None => {
                            self.inputs.insert(field_id.to_owned(), v.to_owned());
                        }
                    }
                    Ok(Some((field, v)))
                }
                Err(e) => {
                    self.errors.push(e);
                    Ok(None)
                }
            },
        }
    }

    /// A numeric answer (already checked as a number by its field).
    fn number(&mut self, field: &str, v: &str) -> Option<Decimal> {
        match parse_decimal(v) {
            Ok(n) => Some(n),
            Err(_) => {
                self.field_error(
                    field,
                    FieldErrorCode::InvalidType,
                    format!("{v:?} is not a number"),
                );
                None
            }
        }
    }

    fn charge(&mut self, rule: &'a Rule) -> Result<Option<Draft<'a>>> {
        let line = |quantity, unit, amount, basis| Draft {
            rule,
            label: None,
            quantity,
            unit,
            amount,
            basis,
        };
        match &rule.kind {
            RuleKind::Flat { amount } => {
                let a = self.money(*amount)?;
                Ok(Some(line(1, a, a, None)))
            }
            RuleKind::OptionPrice { field, options } => {
                let Some((field, v)) = self.read_field(rule, field, true)? else {
                    return Ok(None);
                };
                let option = options.iter().find(|o| o.choice == v).ok_or_else(|| {
                    catalogue_error(self.service, rule, format!("choice {v:?} has no price"))
                })?;
                let label = option_label(field, v);
                let a = self.money(option.amount)?;
                Ok(Some(Draft {
                    label: Some(label),
                    ..line(1, a, a, None)
                }))
            }
            RuleKind::PerUnit {
                field,
                unit_amount,
                free_units,
                max_charged_units,
            } => {
                let Some(v) = self.read(rule, field, false)? else {
                    return Ok(None);
                };
                let Some(n) = self.number(field, v) else {
                    return Ok(None);
                };
                let whole = n.fract().is_zero() && !n.is_sign_negative();
                let Some(requested) = n.to_u64().filter(|_| whole) else {
                    self.field_error(
                        field,
                        FieldErrorCode::OutOfRange,
                        format!("{v:?} is not a quantity (a whole number, 0 or more)"),
                    );
                    return Ok(None);
                };
                let mut charged = requested.saturating_sub(u64::from(*free_units));
                let mut notes = Vec::new();
                if *free_units > 0 {
                    notes.push(format!("{requested} requested, {free_units} free"));
                }
                if let Some(max) = max_charged_units {
                    if charged > u64::from(*max) {
                        charged = u64::from(*max);
                        notes.push(format!("at most {max} charged"));
                    }
                }
                let unit = self.money(*unit_amount)?;
                let amount = unit.checked_mul_units(charged)?;
                let basis = (!notes.is_empty()).then(|| notes.join("; "));
                Ok(Some(line(charged, unit, amount, basis)))
            }
            RuleKind::Bands { field, bands } => {
                let Some(v) = self.read(rule, field, true)? else {
                    return Ok(None);
                };
                let Some(n) = self.number(field, v) else {
                    return Ok(None);
                };
                let Some(band) = bands.iter().find(|b| b.contains(n)) else {
                    self.field_error(
                        field,
                        FieldErrorCode::OutOfRange,
                        format!("no fee band covers {n}"),
                    );
                    return Ok(None);
                };
                let a = self.money(band.amount)?;
                Ok(Some(line(1, a, a, Some(band_basis(n, band)))))
            }
            RuleKind::Percentage {
                field,
                percent,
                minimum,
                maximum,
            } => {
                let Some(v) = self.read(rule, field, true)? else {
                    return Ok(None);
                };
                let Some(n) = self.number(field, v) else {
                    return Ok(None);
                };
                if n.is_sign_negative() && !n.is_zero() {
                    self.field_error(
                        field,
                        FieldErrorCode::OutOfRange,
                        "a declared value cannot be negative".into(),
                    );
                    return Ok(None);
                }
                let raw = Money::round(percent_of(n, *percent)?, self.currency, self.rounding)?;
                let mut amount = raw;
                let mut basis = percentage_basis(percent, &n, &raw);
                if let Some(min) = minimum {
                    let min = self.money(*min)?;
                    if amount.amount() < min.amount() {
                        amount = min;
                        push_clause(&mut basis, "; raised to the minimum ", &min);
                    }
                }
                if let Some(max) = maximum {
                    let max = self.money(*max)?;
                    if amount.amount() > max.amount() {
                        amount = max;
                        push_clause(&mut basis, "; limited to the maximum ", &max);
                    }
                }
                Ok(Some(line(1, amount, amount, Some(basis))))
            }
            RuleKind::Surcharge { field, amount } => {
                let set = self.read(rule, field, false)?;
                if set != Some("true") {
                    return Ok(None);
                }
                let a = self.money(*amount)?;
                Ok(Some(line(1, a, a, None)))
            }
            RuleKind::LatePenalty {
                field,
                grace_days,
                penalty,
                cap,
            } => {
                let Some(v) = self.read(rule, field, true)? else {
                    return Ok(None);
                };
                let Some(event) = crate::catalogue::de::parse_date(v) else {
                    self.field_error(field, FieldErrorCode::InvalidType, "not a date".into());
                    return Ok(None);
                };
                let Some(grace_end) = event.checked_add_days(Days::new(u64::from(*grace_days)))
                else {
                    self.field_error(
                        field,
                        FieldErrorCode::OutOfRange,
                        "date out of range".into(),
                    );
                    return Ok(None);
                };
                if self.date <= grace_end {
                    return Ok(None);
                }
                let days = (self.date - event).num_days();
                let mut basis = late_basis(days, event, *grace_days, grace_end);
                let (quantity, unit) = match penalty {
                    Penalty::Fixed(a) => (1, self.money(*a)?),
                    Penalty::PerStartedMonth(a) => {
                        let months = started_months(grace_end, self.date).ok_or_else(|| {
                            catalogue_error(self.service, rule, "date out of range".into())
                        })?;
                        basis.push_str("; ");
                        text::push_unsigned(&mut basis, months);
                        basis.push_str(" started month(s) since");
                        (months, self.money(*a)?)
                    }
                };
                let mut amount = unit.checked_mul_units(quantity)?;
                if let Some(cap) = cap {
                    let cap = self.money(*cap)?;
                    if amount.amount() > cap.amount() {
                        amount = cap;
                        push_clause(&mut basis, "; capped at ", &cap);
                    }
                }
                Ok(Some(line(quantity, unit, amount, Some(basis))))
            }
            RuleKind::Exemption { .. } | RuleKind::Tax { .. } => Ok(None),
        }
    }
}

/// What a chosen option is called on its line: the choice's English label, or the choice
/// itself when the field has no label for it.
fn option_label<'a>(field: &'a Field, choice: &'a str) -> &'a str {
    field
        .choices
        .iter()
        .find(|c| c.id == choice)
        .map_or(choice, |c| c.label.en.as_str())
}

/// The charge lines of `schedule` whose content is known before any answer is read: each flat
/// fee and surcharge, and each option of an option price, as [`Ctx::charge`] makes them.
/// (Rules that cannot make a line, e.g. an amount with too many decimals, are left out: the
/// quote reports them.)
pub(super) fn fixed_lines(service: &Service, schedule: &FeeSchedule) -> Vec<QuoteLine> {
    let line = |rule, label, amount| {
        let a = Money::new(amount, schedule.currency).ok()?;
        let draft = Draft {
            rule,
            label,
            quantity: 1,
            unit: a,
            amount: a,
            basis: None,
        };
        Some(draft.into_line(&schedule.legal_reference))
    };
    let mut lines = Vec::new();
    for rule in &schedule.rules {
        match &rule.kind {
            RuleKind::Flat { amount } | RuleKind::Surcharge { amount, .. } => {
                lines.extend(line(rule, None, *amount));
            }
            RuleKind::OptionPrice { field, options } => {
                if let Some(field) = service.field(field) {
                    for o in options {
                        lines.extend(line(rule, Some(option_label(field, &o.choice)), o.amount));
                    }
                }
            }
            _ => {}
        }
    }
    lines
}

/// Room reserved for a line's `basis`: the usual explanations fit without growing.
const BASIS_CAPACITY: usize = 96;

/// `100 is in the band from 100 to under 1000`, or `… from 3500 up`.
fn band_basis(n: Decimal, band: &Band) -> String {
    let mut basis = String::with_capacity(BASIS_CAPACITY);
    text::push_decimal(&mut basis, &n);
    basis.push_str(" is in the band from ");
    text::push_decimal(&mut basis, &band.from);
    match band.to {
        Some(to) => {
            basis.push_str(" to under ");
            text::push_decimal(&mut basis, &to);
        }
        None => basis.push_str(" up"),
    }
    basis
}

/// `2.5% of 10000 = M 250.00`.
fn percentage_basis(percent: &Decimal, n: &Decimal, raw: &Money) -> String {
    let mut basis = String::with_capacity(BASIS_CAPACITY);
    text::push_decimal(&mut basis, percent);
    basis.push_str("% of ");
    text::push_decimal(&mut basis, n);
    basis.push_str(" = ");
    text::push_money(&mut basis, raw);
    basis
}

/// `151 days after 2025-10-01; the 30-day grace period ended 2025-10-31`.
fn late_basis(days: i64, event: NaiveDate, grace_days: u32, grace_end: NaiveDate) -> String {
    let mut basis = String::with_capacity(BASIS_CAPACITY);
    text::push_signed(&mut basis, days);
    basis.push_str(" days after ");
    text::push_date(&mut basis, event);
    basis.push_str("; the ");
    text::push_unsigned(&mut basis, u64::from(grace_days));
    basis.push_str("-day grace period ended ");
    text::push_date(&mut basis, grace_end);
    basis
}

/// Appends `clause` and the amount (`; capped at M 35.00`).
fn push_clause(basis: &mut String, clause: &str, amount: &Money) {
    basis.push_str(clause);
    text::push_money(basis, amount);
}

/// Months, or parts of months, from `from` (exclusive) to `to` (inclusive), `to` > `from`:
/// month *m* runs until the same day *m* months after `from` (clamped to the month's end).
pub(crate) fn started_months(from: NaiveDate, to: NaiveDate) -> Option<u64> {
    let whole = (to.year() - from.year())
        .checked_mul(12)?
        .checked_add(to.month() as i32 - from.month() as i32)?;
    let whole = u32::try_from(whole).ok()?;
    let anniversary = from.checked_add_months(Months::new(whole))?;
    let months = if anniversary < to { whole + 1 } else { whole };
    Some(u64::from(months.max(1)))
}

/// Works out the inputs, lines, exemptions and taxes of `q` for `schedule`, over what `q`
/// held before. On an error they are left part-written.
pub(super) fn work_out(
    service: &Service,
    schedule: &FeeSchedule,
    answers: &Answers,
    category: &str,
    date: NaiveDate,
    q: &mut Quote,
) -> Result<()> {
    // Answers are never empty (`answer` drops blank ones): what is still empty after the
    // rules ran was the previous quote's and is removed.
    let previous = q.inputs.len();
    for v in q.inputs.values_mut() {
        v.clear();
    }
    let mut ctx = Ctx {
        service,
        answers,
        date,
        currency: schedule.currency,
        rounding: schedule.rounding,
        errors: Vec::new(),
        inputs: &mut q.inputs,
        rewritten: 0,
    };
    let legal_reference = schedule.legal_reference.as_str();
    // Room for a line per rule, at most one allocation.
    if q.lines.capacity() == 0 {
        q.lines = Vec::with_capacity(schedule.rules.len());
    } else {
        q.lines
            .reserve_exact(schedule.rules.len().saturating_sub(q.lines.len()));
    }
    let mut count = 0;
    for rule in &schedule.rules {
        if let Some(draft) = ctx.charge(rule)? {
            match q.lines.get_mut(count) {
                Some(line) => draft.write_into(line, legal_reference),
                None => q.lines.push(draft.into_line(legal_reference)),
            }
            count += 1;
        }
    }
    q.lines.truncate(count);
    let errors = std::mem::take(&mut ctx.errors);
    if ctx.rewritten < previous {
        q.inputs.retain(|_, v| !v.is_empty());
    }
    if !errors.is_empty() {
        return Err(Error::InvalidAnswers {
            errors: tidy(service, errors),
        });
    }
    let lines = &q.lines;
    let cur = schedule.currency;
    let rounding = schedule.rounding;

    // At most one exemption: the first naming the category.
    q.exemptions.clear();
    let mut taxable_waived = Money::zero(cur);
    let exemption = schedule.rules.iter().find_map(|r| match &r.kind {
        RuleKind::Exemption {
            categories,
            relief,
            reason,
            applies_to,
        } if categories.iter().any(|c| c == category) => Some((r, relief, reason, applies_to)),
        _ => None,
    });
    if let Some((rule, relief, reason, applies_to)) = exemption {
        let relieved: Vec<&QuoteLine> = lines
            .iter()
            .filter(|l| applies_to.is_empty() || applies_to.contains(&l.rule_id))
            .collect();
        let pct = relief.percent();
        let waive = |subset: &mut dyn Iterator<Item = &&QuoteLine>| -> Result<Money> {
            let mut sum = Money::zero(cur);
            for l in subset {
                sum = sum.checked_add(&l.amount)?;
            }
            // Rounding cannot take a waiver above what it relieves; make sure anyway.
            sum.percent(pct, rounding)?.checked_min(&sum)
        };
        let waived = waive(&mut relieved.iter())?;
        taxable_waived = waive(&mut relieved.iter().filter(|l| l.taxable))?;
        if !waived.is_zero() {
            q.exemptions.push(ExemptionLine {
                rule_id: rule.id.clone(),
                description: rule.description.clone(),
                legal_reference: schedule.legal_reference.clone(),
                reason: reason.clone(),
                category: category.to_string(),
                percent: pct,
                applies_to: relieved.iter().map(|l| l.rule_id.clone()).collect(),
                amount: waived.negated(),
            });
        }
    }

    q.taxes.clear();
    if lines.iter().any(|l| l.taxable) {
        let mut taxable = Money::zero(cur);
        for l in lines.iter().filter(|l| l.taxable) {
            taxable = taxable.checked_add(&l.amount)?;
        }
        let base = taxable.checked_sub(&taxable_waived)?;
        for rule in &schedule.rules {
            let RuleKind::Tax { rates } = &rule.kind else {
                continue;
            };
            let rate = rates.iter().find(|r| r.in_force_on(date)).ok_or_else(|| {
                Error::NoTaxRateInForce {
                    service: service.id.clone(),
                    rule: rule.id.clone(),
                    date: date.to_string(),
                }
            })?;
            q.taxes.push(TaxLine {
                rule_id: rule.id.clone(),
                description: rule.description.clone(),
                legal_reference: rate.legal_reference.clone(),
                percent: rate.percent,
                base,
                amount: base.percent(rate.percent, rounding)?,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::catalogue::de::parse_date(s).unwrap()
    }

    use proptest::prelude::*;

    use crate::fees::text::tests::{date_any as date, decimal, money};

    proptest! {
        /// Each explanation against the `format!` it replaced.
        #[test]
        fn bases_are_the_text_format_gave(
            n in decimal(),
            from in decimal(),
            to in proptest::option::of(decimal()),
            percent in decimal(),
            raw in money(),
            limit in money(),
            days in any::<i64>(),
            event in date(),
            grace_days in any::<u32>(),
            grace_end in date(),
            months in any::<u64>(),
        ) {
            let band = Band { from, to, amount: Decimal::ONE };
            let expected = match to {
                Some(to) => format!("{n} is in the band from {from} to under {to}"),
                None => format!("{n} is in the band from {from} up"),
            };
            prop_assert_eq!(band_basis(n, &band), expected);
            let mut basis = percentage_basis(&percent, &n, &raw);
            push_clause(&mut basis, "; raised to the minimum ", &limit);
            prop_assert_eq!(
                basis,
                format!("{percent}% of {n} = {raw}; raised to the minimum {limit}")
            );
            let mut basis = late_basis(days, event, grace_days, grace_end);
            basis.push_str("; ");
            text::push_unsigned(&mut basis, months);
            basis.push_str(" started month(s) since");
            push_clause(&mut basis, "; capped at ", &limit);
            prop_assert_eq!(
                basis,
                format!(
                    "{days} days after {event}; the {grace_days}-day grace period ended \
                     {grace_end}; {months} started month(s) since; capped at {limit}"
                )
            );
        }
    }

    #[test]
    fn started_months_edges() {
        assert_eq!(started_months(d("2026-01-10"), d("2026-01-11")), Some(1));
        assert_eq!(started_months(d("2026-01-10"), d("2026-02-10")), Some(1));
        assert_eq!(started_months(d("2026-01-10"), d("2026-02-11")), Some(2));
        assert_eq!(started_months(d("2026-01-31"), d("2026-02-28")), Some(1));
        assert_eq!(started_months(d("2026-01-31"), d("2026-03-01")), Some(2));
        assert_eq!(started_months(d("2025-12-15"), d("2026-12-15")), Some(12));
        assert_eq!(started_months(d("2025-12-15"), d("2026-12-16")), Some(13));
    }
}
