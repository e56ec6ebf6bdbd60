//! The fee engine: exact, itemised, explainable quotes.
//!
//! [`quote`] takes a [`Service`], the applicant's [`Answers`], the applicant's category and the
//! date, picks the fee schedule in force on that date, and returns a [`Quote`]:
//!
//! 1. **Charge lines**, one per charge rule that applies, in rule order. Each line is rounded
//!    once, with the schedule's [`Rounding`] (half-up by default).
//! 2. **Exemption lines** (negative amounts): the first exemption rule naming the applicant's
//!    category waives its percentage of the charges it applies to, rounded once. At most one
//!    exemption applies, so nothing is waived twice.
//! 3. **Tax lines**: each tax rule takes the rate in force on the date and applies it to the
//!    taxable charges less what was waived on them (that base is rounded once and shown).
//!
//! `subtotal` = charges + exemptions; `total` = subtotal + taxes, never negative. Every amount
//! is in the schedule's currency.
//!
//! Answers the rules read are checked against their fields; every bad or missing one is
//! reported at once as [`Error::InvalidAnswers`]. Answers the rules do not read are not
//! checked here: validate the whole form with
//! [`Service::validate_answers`](crate::catalogue::Service::validate_answers).
//!
//! A quote is deterministic (same inputs, same bytes) and carries a `quote_id`: the base64url
//! (no padding) SHA-256 of the RFC 8785 canonical JSON of the quote without its `quote_id`, so
//! a payment can name exactly the quote it pays ([`Quote::verify_id`] checks it).
//!
//! For many quotes of one service, a [`Quoter`] gives the same quotes, byte for byte, faster:
//! it writes the canonical text its fee schedules fix once, and [`Quoter::quote_into`] writes
//! each quote over the previous one without allocating.
//!
//! ```
//! use eservices::catalogue::{Answers, Catalogue};
//! use chrono::NaiveDate;
//!
//! let catalogue = Catalogue::lesotho()?;
//! let passport = catalogue.service("home-affairs.passport.ordinary")?;
//! let mut answers = Answers::new();
//! answers.insert("pages".into(), "32".into());
//! let date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
//! let q = eservices::fees::quote(passport, &answers, "general", date)?;
//! assert_eq!(q.total.to_string(), "M 130.00");
//! assert_eq!(q.lines[0].legal_reference, "Legal Notice No. 95 of 2019");
//! q.verify_id()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod lines;
mod quoter;
mod text;

pub use quoter::Quoter;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Answers, FieldError, PaymentDue, Service};
use crate::money::{Currency, Money, Rounding};
use crate::{Error, Result};
use canonical::Fragments;

/// Bytes reserved for a quote's canonical JSON: room for the shipped catalogue's larger quotes
/// (about 1.5 KB) without growing.
const CANONICAL_CAPACITY: usize = 2048;

/// An itemised, explainable quote. Serialises to JSON with amounts as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// base64url (no padding) SHA-256 of the canonical JSON of this quote without `quote_id`.
    pub quote_id: String,
    /// The service quoted.
    pub service_id: String,
    /// The date the quote is for (decides the schedule and tax rates).
    pub date: NaiveDate,
    /// The applicant's category (decides exemptions).
    pub applicant_category: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// Whether rand are accepted at par for this loti quote.
    pub accepts_zar_at_par: bool,
    /// When payment is due.
    pub payment_due: PaymentDue,
    /// The fee schedule version used.
    pub schedule: ScheduleRef,
    /// How lines were rounded.
    pub rounding: Rounding,
    /// The answers the rules read (trimmed), for explanation.
    pub inputs: BTreeMap<String, String>,
    /// Charge lines, in rule order.
    pub lines: Vec<QuoteLine>,
    /// Waivers (negative amounts).
    pub exemptions: Vec<ExemptionLine>,
    /// Taxes.
    pub taxes: Vec<TaxLine>,
    /// Charges plus exemptions, before tax.
    pub subtotal: Money,
    /// Sum of the taxes.
    pub tax_total: Money,
    /// What to pay: subtotal plus taxes.
    pub total: Money,
}

/// Which fee schedule version a quote used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRef {
    /// First day the version is in force.
    pub effective_from: NaiveDate,
    /// Last day, if set.
    pub effective_to: Option<NaiveDate>,
    /// The instrument that sets its fees.
    pub legal_reference: String,
}

/// One charge on a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    /// The rule that made it.
    pub rule_id: String,
    /// What it is for.
    pub description: String,
    /// The instrument that sets it.
    pub legal_reference: String,
    /// Units charged (1 for most rules; started months for a monthly penalty).
    pub quantity: u64,
    /// Price of one unit.
    pub unit_amount: Money,
    /// The line's amount: quantity × unit amount, unless a cap, minimum or maximum applied
    /// (then `basis` says so).
    pub amount: Money,
    /// Whether tax applies.
    pub taxable: bool,
    /// How the amount was worked out, in English, when not obvious.
    pub basis: Option<String>,
}

/// A waiver on a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionLine {
    /// The exemption rule.
    pub rule_id: String,
    /// What it is.
    pub description: String,
    /// The instrument of the schedule it belongs to.
    pub legal_reference: String,
    /// Why it applies (from the rule).
    pub reason: String,
    /// The applicant category that qualified.
    pub category: String,
    /// Percentage waived (100 for a full waiver).
    pub percent: Decimal,
    /// Rule ids of the charges relieved.
    pub applies_to: Vec<String>,
    /// The amount waived, negative.
    pub amount: Money,
}

/// A tax on a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxLine {
    /// The tax rule.
    pub rule_id: String,
    /// What it is (e.g. "VAT").
    pub description: String,
    /// The law that sets the rate in force.
    pub legal_reference: String,
    /// The rate in percent.
    pub percent: Decimal,
    /// The taxable charges less waivers on them.
    pub base: Money,
    /// The tax.
    pub amount: Money,
}

impl Quote {
    /// The id this quote's content hashes to: base64url (no padding) of the SHA-256 of the RFC
    /// 8785 canonical JSON of the quote without its `quote_id` member.
    ///
    /// ```
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// let q = Catalogue::lesotho()?.quote("home-affairs.passport.ordinary", &answers,
    ///     "general", date)?;
    /// assert_eq!(q.computed_id()?, q.quote_id);
    /// assert_eq!(q.quote_id.len(), 43);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn computed_id(&self) -> Result<String> {
        Ok(text::base64url(self.digest(None)?.as_ref()))
    }

    /// The SHA-256 `quote_id` encodes, with the text in `known` where it applies.
    fn digest(&self, known: Option<&Fragments>) -> Result<ring::digest::Digest> {
        let mut sink = canonical::Sha256Sink::new();
        if canonical::write_quote(&mut sink, self, None, known) {
            Ok(sink.finish())
        } else {
            let text = self.reference_canonical_without_id()?;
            Ok(ring::digest::digest(&ring::digest::SHA256, text.as_bytes()))
        }
    }

    /// The bytes `quote_id` hashes, the general way: the serde form without `quote_id`,
    /// canonicalised by [`crate::json`]. The reference for the direct writer in `canonical`
    /// (checked against each other in the tests), and its fallback for what that writer does
    /// not reproduce (a quantity beyond 2^53 − 1).
    fn reference_canonical_without_id(&self) -> Result<String> {
        let mut value = serde_json::to_value(self).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: format!("cannot serialise quote: {e}"),
        })?;
        if let Some(map) = value.as_object_mut() {
            map.remove("quote_id");
        }
        crate::json::canonical_value(&value)
    }

    /// Checks that `quote_id` matches the content ([`Error::QuoteIdMismatch`] otherwise), e.g.
    /// for a quote read back from storage or received from elsewhere.
    ///
    /// ```
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// let mut q = Catalogue::lesotho()?.quote("home-affairs.passport.ordinary", &answers,
    ///     "general", date)?;
    /// q.verify_id()?;
    /// q.applicant_category = "pensioner".into();
    /// assert!(q.verify_id().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_id(&self) -> Result<()> {
        let computed = self.computed_id()?;
        // Both ids are public digests, not secrets: a plain comparison is fine.
        if computed == self.quote_id {
            Ok(())
        } else {
            Err(Error::QuoteIdMismatch {
                claimed: self.quote_id.clone(),
                computed,
            })
        }
    }

    /// The RFC 8785 canonical JSON of the whole quote (with its id): the exact bytes to store
    /// or send.
    ///
    /// ```
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// let q = Catalogue::lesotho()?.quote("home-affairs.passport.ordinary", &answers,
    ///     "general", date)?;
    /// assert!(q.canonical_json()?.contains(r#""total":{"amount":"300.00","currency":"LSL"}"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn canonical_json(&self) -> Result<String> {
        let mut bytes = Vec::with_capacity(CANONICAL_CAPACITY);
        if canonical::write_quote(&mut bytes, self, Some(&self.quote_id), None) {
            String::from_utf8(bytes).map_err(|e| Error::InvalidJson {
                path: "$".into(),
                reason: format!("canonical form is not UTF-8: {e}"),
            })
        } else {
            crate::json::canonical_string(self)
        }
    }

    /// Whether a payment in `currency` can settle this quote: its own currency, or rand for a
    /// loti quote whose schedule accepts rand at par.
    ///
    /// ```
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// use eservices::money::Currency;
    /// let q = Catalogue::lesotho()?.quote("home-affairs.passport.ordinary", &answers,
    ///     "general", date)?;
    /// assert!(q.accepts(Currency::Lsl) && q.accepts(Currency::Zar));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accepts(&self, currency: Currency) -> bool {
        currency == self.currency
            || (self.accepts_zar_at_par
                && self.currency == Currency::Lsl
                && currency == Currency::Zar)
    }
}

/// Quotes `service` for `answers` from an applicant of `applicant_category` on `date`.
///
/// Errors: [`Error::NoScheduleInForce`], [`Error::NoTaxRateInForce`],
/// [`Error::InvalidAnswers`] (every bad answer the rules need, at once), [`Error::Overflow`],
/// and [`Error::InvalidCatalogue`] for a hand-built service that
/// [`Catalogue::from_json`](crate::catalogue::Catalogue::from_json) would have refused.
/// This function does not check that the category exists in a catalogue;
/// [`Catalogue::quote`](crate::catalogue::Catalogue::quote) does.
///
/// See the [module example](self).
pub fn quote(
    service: &Service,
    answers: &Answers,
    applicant_category: &str,
    date: NaiveDate,
) -> Result<Quote> {
    let mut q = Quote::empty(date);
    fill(service, None, answers, applicant_category, date, &mut q)?;
    Ok(q)
}

impl Quote {
    /// A quote of nothing, to be filled: no strings or lists allocated yet.
    fn empty(date: NaiveDate) -> Quote {
        Quote {
            quote_id: String::new(),
            service_id: String::new(),
            date,
            applicant_category: String::new(),
            currency: Currency::Lsl,
            accepts_zar_at_par: false,
            payment_due: PaymentDue::Upfront,
            schedule: ScheduleRef {
                effective_from: date,
                effective_to: None,
                legal_reference: String::new(),
            },
            rounding: Rounding::HalfUp,
            inputs: BTreeMap::new(),
            lines: Vec::new(),
            exemptions: Vec::new(),
            taxes: Vec::new(),
            subtotal: Money::zero(Currency::Lsl),
            tax_total: Money::zero(Currency::Lsl),
            total: Money::zero(Currency::Lsl),
        }
    }
}

/// Makes `q` the quote of `service` for these answers, category and date, over what it held
/// (see [`quote`]); `fragments`, one per fee schedule of `service`, are the text a
/// [`Quoter`] wrote ahead. On an error `q` is left part-written.
fn fill(
    service: &Service,
    fragments: Option<&[Fragments]>,
    answers: &Answers,
    applicant_category: &str,
    date: NaiveDate,
    q: &mut Quote,
) -> Result<()> {
    let schedule = service.schedule_on(date)?;
    lines::work_out(service, schedule, answers, applicant_category, date, q)?;
    let currency = schedule.currency;
    let mut subtotal = Money::zero(currency);
    for l in &q.lines {
        subtotal = subtotal.checked_add(&l.amount)?;
    }
    for e in &q.exemptions {
        subtotal = subtotal.checked_add(&e.amount)?;
    }
    let mut tax_total = Money::zero(currency);
    for t in &q.taxes {
        tax_total = tax_total.checked_add(&t.amount)?;
    }
    let total = subtotal.checked_add(&tax_total)?;
    if total.is_negative() {
        return Err(Error::InvalidCatalogue {
            path: format!("services[id={}]", service.id),
            reason: format!("the quote total {total} would be negative"),
        });
    }
    text::assign(&mut q.service_id, &service.id);
    q.date = date;
    text::assign(&mut q.applicant_category, applicant_category);
    q.currency = currency;
    q.accepts_zar_at_par = schedule.accepts_zar_at_par;
    q.payment_due = service.payment_due;
    q.schedule.effective_from = schedule.effective_from;
    q.schedule.effective_to = schedule.effective_to;
    text::assign(&mut q.schedule.legal_reference, &schedule.legal_reference);
    q.rounding = schedule.rounding;
    q.subtotal = subtotal;
    q.tax_total = tax_total;
    q.total = total;
    let known = fragments.and_then(|f| {
        let at = service
            .fee_schedules
            .iter()
            .position(|s| std::ptr::eq(s, schedule))?;
        f.get(at)
    });
    let digest = q.digest(known)?;
    text::base64url_into(&mut q.quote_id, digest.as_ref());
    Ok(())
}

/// Sorts field errors into the service's field order and keeps one per field.
fn tidy(service: &Service, mut errors: Vec<FieldError>) -> Vec<FieldError> {
    let pos = |f: &str| {
        service
            .fields
            .iter()
            .position(|x| x.id == f)
            .unwrap_or(usize::MAX)
    };
    errors.sort_by_key(|e| pos(&e.field));
    errors.dedup_by(|a, b| a.field == b.field);
    errors
}
