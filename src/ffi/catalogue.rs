//! The service catalogue, forms and fee quotes for the bindings.
//!
//! * [`Catalogue`] (an object): the shipped Lesotho catalogue or the caller's JSON; its
//!   services ([`ServiceInfo`], with the form fields an app renders), form validation and
//!   quotes.
//! * [`FeeQuote`]: a quote with every amount as a decimal string, and its canonical `json`
//!   (what a payment ledger registers).
//!
//! Form validation **returns** the list of [`FieldError`]s (empty when the answers are
//! valid) rather than throwing, so a form can show every error as the applicant types;
//! submitting an application throws `InvalidInput` (`invalid_answers`) with the same list in
//! `field_errors`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::types::echo;
use super::GovError;
use crate::catalogue::{
    self as core, Answers, ApplicantCategory, Field, FieldError, Label, Ministry, PaymentDue,
    Source,
};
use crate::fees::{ExemptionLine, Quote, QuoteLine, TaxLine};
use crate::Clock;

/// Longest service id looked up; a longer one cannot exist and is refused as unknown
/// (echoed shortened).
const MAX_ID: usize = 256;

/// A service catalogue: what each ministry offers, what it asks, and what it costs. Immutable
/// once loaded, so one instance can be shared by every thread.
///
/// ```
/// use eservices::ffi::catalogue::Catalogue;
/// let catalogue = Catalogue::lesotho()?;
/// let passport = catalogue.service("home-affairs.passport.ordinary".into())?;
/// assert_eq!(passport.ministry, "home-affairs");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct Catalogue {
    inner: core::Catalogue,
}

/// A service as an app shows it: identity, the form to render, when payment is due and the
/// fee schedule versions (the fees themselves come from [`Catalogue::quote`]).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceInfo {
    /// Stable id, e.g. `home-affairs.passport.ordinary`.
    pub id: String,
    /// The id of the ministry that offers it.
    pub ministry: String,
    /// Its name, in English and (when the catalogue has it) Sesotho.
    pub name: Label,
    /// The form fields, in order: type, label, whether required (or when), choices, limits.
    pub fields: Vec<Field>,
    /// When the fee is paid.
    pub payment_due: PaymentDue,
    /// The type of document it issues, e.g. `ls.gov.home-affairs.passport`.
    pub document_type: String,
    /// Target processing time, in working days.
    pub processing_days: u32,
    /// Where its figures come from.
    pub source: Source,
    /// Its fee schedule versions, oldest first.
    pub fee_schedules: Vec<FeeScheduleInfo>,
}

/// One version of a service's fees: when it is in force and under which instrument.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeScheduleInfo {
    /// First day in force.
    pub effective_from: NaiveDate,
    /// Last day in force; none means "until further notice".
    pub effective_to: Option<NaiveDate>,
    /// The instrument that sets these fees, e.g. `Legal Notice No. 95 of 2019`.
    pub legal_reference: String,
    /// ISO 4217 code of its amounts, e.g. `LSL`.
    pub currency: String,
    /// Whether rand are accepted at par for these loti fees.
    pub accepts_zar_at_par: bool,
}

/// An itemised fee quote. Amounts are decimal strings with the currency's minor digits
/// (`"800.00"`); waivers are negative.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeQuote {
    /// base64url SHA-256 of the quote's canonical JSON without its id: what a payment names.
    pub quote_id: String,
    /// The service quoted.
    pub service_id: String,
    /// The date the quote is for.
    pub date: NaiveDate,
    /// The applicant's category.
    pub applicant_category: String,
    /// ISO 4217 code of every amount, e.g. `LSL`.
    pub currency: String,
    /// Whether rand are accepted at par for this loti quote.
    pub accepts_zar_at_par: bool,
    /// When payment is due (the fee of an application made from this quote).
    pub payment_due: PaymentDue,
    /// The legal instrument of the fee schedule used, e.g. `Legal Notice No. 95 of 2019`.
    pub legal_reference: String,
    /// First day the schedule used is in force.
    pub schedule_effective_from: NaiveDate,
    /// The answers the rules read (trimmed).
    pub inputs: HashMap<String, String>,
    /// Charges, in rule order.
    pub lines: Vec<FeeLine>,
    /// Waivers (negative amounts).
    pub exemptions: Vec<FeeExemption>,
    /// Taxes.
    pub taxes: Vec<FeeTax>,
    /// Charges plus waivers, before tax.
    pub subtotal: Decimal,
    /// Sum of the taxes.
    pub tax_total: Decimal,
    /// What to pay.
    pub total: Decimal,
    /// The RFC 8785 canonical JSON of the whole quote (with its id): the exact text to store,
    /// or to register with a payment ledger.
    pub json: String,
}

/// One charge on a quote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeLine {
    /// The rule that made it.
    pub rule_id: String,
    /// What it is for, e.g. `Passport booklet (64 pages)`.
    pub description: String,
    /// The instrument that sets it.
    pub legal_reference: String,
    /// Units charged.
    pub quantity: u64,
    /// Price of one unit.
    pub unit_amount: Decimal,
    /// The line's amount.
    pub amount: Decimal,
    /// Whether tax applies.
    pub taxable: bool,
    /// How the amount was worked out, when not obvious.
    pub basis: Option<String>,
}

/// A waiver on a quote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeExemption {
    /// The exemption rule.
    pub rule_id: String,
    /// What it is.
    pub description: String,
    /// The instrument of its schedule.
    pub legal_reference: String,
    /// Why it applies.
    pub reason: String,
    /// The applicant category that qualified.
    pub category: String,
    /// Percentage waived.
    pub percent: Decimal,
    /// Rule ids of the charges relieved.
    pub applies_to: Vec<String>,
    /// The amount waived (negative).
    pub amount: Decimal,
}

/// A tax on a quote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeTax {
    /// The tax rule.
    pub rule_id: String,
    /// What it is, e.g. `VAT`.
    pub description: String,
    /// The law that sets the rate.
    pub legal_reference: String,
    /// The rate in percent.
    pub percent: Decimal,
    /// The taxable charges less waivers on them.
    pub base: Decimal,
    /// The tax.
    pub amount: Decimal,
}

#[uniffi::export]
impl Catalogue {
    /// The shipped illustrative Lesotho catalogue. Its figures must be checked against the
    /// current Government Gazette before production use (see [`Catalogue::notice`]).
    #[uniffi::constructor]
    pub fn lesotho() -> Result<Arc<Self>, GovError> {
        Ok(Arc::new(Catalogue {
            inner: core::Catalogue::lesotho()?,
        }))
    }

    /// Loads and validates catalogue JSON (the README's format). Errors name the JSON path
    /// of the problem in `detail`: `invalid_json` (strict JSON profile), `invalid_catalogue`
    /// (missing, unknown or ill-typed member), and specific codes such as
    /// `negative_amount` or `overlapping_schedules`.
    ///
    /// ```
    /// use eservices::ffi::catalogue::Catalogue;
    /// let e = Catalogue::from_json(r#"{"format": 1}"#.into()).unwrap_err();
    /// assert_eq!(e.code(), "invalid_catalogue");
    /// assert!(e.to_string().contains("at $"));
    /// ```
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, GovError> {
        Ok(Arc::new(Catalogue {
            inner: core::Catalogue::from_json(&json)?,
        }))
    }

    /// The catalogue's title.
    pub fn title(&self) -> String {
        self.inner.title.clone()
    }

    /// A notice every consumer should show or heed (e.g. that figures are illustrative).
    pub fn notice(&self) -> String {
        self.inner.notice.clone()
    }

    /// The ministries and agencies, in catalogue order.
    pub fn ministries(&self) -> Vec<Ministry> {
        self.inner.ministries.clone()
    }

    /// The applicant categories (`general`, `pensioner`…) that quotes take.
    pub fn applicant_categories(&self) -> Vec<ApplicantCategory> {
        self.inner.applicant_categories.clone()
    }

    /// Every service, in catalogue order.
    ///
    /// ```
    /// let c = eservices::ffi::catalogue::Catalogue::lesotho()?;
    /// assert!(c.services().iter().any(|s| s.id == "home-affairs.passport.ordinary"));
    /// # Ok::<(), eservices::ffi::GovError>(())
    /// ```
    pub fn services(&self) -> Vec<ServiceInfo> {
        self.inner.services.iter().map(service_info).collect()
    }

    /// The service with this id; `NotFound` (`unknown_service`) otherwise.
    pub fn service(&self, service_id: String) -> Result<ServiceInfo, GovError> {
        Ok(service_info(self.find(&service_id)?))
    }

    /// Checks a whole form's answers (field id → answer text) for a service and returns
    /// every refused answer, in field order, then answers to fields the form does not have;
    /// an empty list means the answers are valid. `today` (`YYYY-MM-DD`, Lesotho's date; see
    /// [`lesotho_today`]) decides "not in the future". National ID numbers get the default
    /// syntax check (8 to 20 digits). Throws only for an unknown service (`NotFound`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let c = eservices::ffi::catalogue::Catalogue::lesotho()?;
    /// let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// let errors = c.validate_answers("home-affairs.passport.ordinary".into(), HashMap::new(), today)?;
    /// assert!(errors.iter().any(|e| e.field == "pages" && e.code.as_str() == "required"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_answers(
        &self,
        service_id: String,
        answers: HashMap<String, String>,
        today: NaiveDate,
    ) -> Result<Vec<FieldError>, GovError> {
        let service = self.find(&service_id)?;
        let answers: Answers = answers.into_iter().collect();
        Ok(service
            .validate_answers(&answers, today, &core::form::BasicNationalIdValidator)
            .err()
            .unwrap_or_default())
    }

    /// Quotes a service for an applicant category on a date (`YYYY-MM-DD`). Errors:
    /// `unknown_service` and `no_schedule_in_force` (`NotFound`),
    /// `unknown_applicant_category` and `invalid_answers` with every refused answer in
    /// `field_errors` (`InvalidInput`); a malformed date is `invalid_time`.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let c = eservices::ffi::catalogue::Catalogue::lesotho()?;
    /// let answers = HashMap::from([("pages".to_string(), "64".to_string()),
    ///                              ("urgent".to_string(), "true".to_string())]);
    /// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// let q = c.quote("home-affairs.passport.ordinary".into(), answers, "general".into(), date)?;
    /// assert_eq!(q.total.to_string(), "800.00");
    /// assert_eq!(q.currency, "LSL");
    /// assert!(q.json.contains(&q.quote_id));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quote(
        &self,
        service_id: String,
        answers: HashMap<String, String>,
        applicant_category: String,
        date: NaiveDate,
    ) -> Result<FeeQuote, GovError> {
        self.find(&service_id)?;
        let answers: Answers = answers.into_iter().collect();
        if applicant_category.chars().count() > MAX_ID {
            return Err(crate::Error::UnknownApplicantCategory {
                category: echo(&applicant_category),
            }
            .into());
        }
        let quote = self
            .inner
            .quote(&service_id, &answers, &applicant_category, date)?;
        fee_quote(&quote)
    }

    /// The catalogue as pretty-printed JSON, readable by [`Catalogue::from_json`].
    pub fn to_json(&self) -> Result<String, GovError> {
        Ok(self.inner.to_json()?)
    }
}

impl Catalogue {
    /// The core catalogue (for the payment ledger's Z-report).
    pub(crate) fn core(&self) -> &core::Catalogue {
        &self.inner
    }

    /// The service with this id; an over-long id is refused as unknown without echoing it
    /// in full. A crate error, so that an action run inside a store transaction can look up
    /// its service.
    pub(crate) fn find(&self, service_id: &str) -> crate::Result<&core::Service> {
        if service_id.chars().count() > MAX_ID {
            return Err(crate::Error::UnknownService {
                service: echo(service_id),
            });
        }
        self.inner.service(service_id)
    }
}

/// Reads a stored quote (the `json` of a [`FeeQuote`]) under the strict JSON profile and
/// checks its id against its content: `invalid_json` for text that is not a quote,
/// `Integrity` (`quote_id_mismatch`) for one that was altered.
///
/// ```
/// use std::collections::HashMap;
/// use eservices::ffi::catalogue::{quote_from_json, Catalogue};
/// let c = Catalogue::lesotho()?;
/// let answers = HashMap::from([("pages".to_string(), "32".to_string())]);
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
/// let q = c.quote("home-affairs.passport.ordinary".into(), answers, "general".into(), date)?;
/// assert_eq!(quote_from_json(q.json.clone())?, q);
/// let altered = q.json.replace("130.00", "13.00");
/// assert_eq!(quote_from_json(altered).unwrap_err().code(), "quote_id_mismatch");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[uniffi::export]
pub fn quote_from_json(json: String) -> Result<FeeQuote, GovError> {
    let value = crate::json::parse_strict(&json)?;
    let quote: Quote = serde_json::from_value(value).map_err(|e| crate::Error::InvalidJson {
        path: "$".into(),
        reason: format!("not a fee quote: {e}"),
    })?;
    quote.verify_id()?;
    fee_quote(&quote)
}

/// Today's date in Lesotho (UTC+2) by this device's clock, as `YYYY-MM-DD`: the `today` of
/// form validation.
///
/// ```
/// let today = eservices::ffi::catalogue::lesotho_today();
/// assert_eq!(today.to_string().len(), 10);
/// ```
#[uniffi::export]
pub fn lesotho_today() -> NaiveDate {
    crate::SystemClock.today()
}

fn service_info(s: &core::Service) -> ServiceInfo {
    ServiceInfo {
        id: s.id.clone(),
        ministry: s.ministry.clone(),
        name: s.name.clone(),
        fields: s.fields.clone(),
        payment_due: s.payment_due,
        document_type: s.document_type.clone(),
        processing_days: s.processing_days,
        source: s.source.clone(),
        fee_schedules: s
            .fee_schedules
            .iter()
            .map(|f| FeeScheduleInfo {
                effective_from: f.effective_from,
                effective_to: f.effective_to,
                legal_reference: f.legal_reference.clone(),
                currency: f.currency.code().to_string(),
                accepts_zar_at_par: f.accepts_zar_at_par,
            })
            .collect(),
    }
}

fn fee_quote(q: &Quote) -> Result<FeeQuote, GovError> {
    Ok(FeeQuote {
        quote_id: q.quote_id.clone(),
        service_id: q.service_id.clone(),
        date: q.date,
        applicant_category: q.applicant_category.clone(),
        currency: q.currency.code().to_string(),
        accepts_zar_at_par: q.accepts_zar_at_par,
        payment_due: q.payment_due,
        legal_reference: q.schedule.legal_reference.clone(),
        schedule_effective_from: q.schedule.effective_from,
        inputs: q.inputs.clone().into_iter().collect(),
        lines: q.lines.iter().map(fee_line).collect(),
        exemptions: q.exemptions.iter().map(fee_exemption).collect(),
        taxes: q.taxes.iter().map(fee_tax).collect(),
        subtotal: q.subtotal.amount(),
        tax_total: q.tax_total.amount(),
        total: q.total.amount(),
        json: q.canonical_json()?,
    })
}

fn fee_line(l: &QuoteLine) -> FeeLine {
    FeeLine {
        rule_id: l.rule_id.clone(),
        description: l.description.clone(),
        legal_reference: l.legal_reference.clone(),
        quantity: l.quantity,
        unit_amount: l.unit_amount.amount(),
        amount: l.amount.amount(),
        taxable: l.taxable,
        basis: l.basis.clone(),
    }
}

fn fee_exemption(e: &ExemptionLine) -> FeeExemption {
    FeeExemption {
        rule_id: e.rule_id.clone(),
        description: e.description.clone(),
        legal_reference: e.legal_reference.clone(),
        reason: e.reason.clone(),
        category: e.category.clone(),
        percent: e.percent,
        applies_to: e.applies_to.clone(),
        amount: e.amount.amount(),
    }
}

fn fee_tax(t: &TaxLine) -> FeeTax {
    FeeTax {
        rule_id: t.rule_id.clone(),
        description: t.description.clone(),
        legal_reference: t.legal_reference.clone(),
        percent: t.percent,
        base: t.base.amount(),
        amount: t.amount.amount(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn passport_answers() -> HashMap<String, String> {
        HashMap::from([
            ("pages".to_string(), "64".to_string()),
            ("urgent".to_string(), "true".to_string()),
        ])
    }

    #[test]
    fn lesotho_passport_quote_is_itemised() {
        let c = Catalogue::lesotho().unwrap();
        let q = c
            .quote(
                "home-affairs.passport.ordinary".into(),
                passport_answers(),
                "general".into(),
                date("2026-03-01"),
            )
            .unwrap();
        assert_eq!(q.total.to_string(), "800.00");
        assert_eq!(q.subtotal.to_string(), "800.00");
        assert_eq!(q.legal_reference, "Legal Notice No. 95 of 2019");
        let lines: Vec<_> = q
            .lines
            .iter()
            .map(|l| (l.rule_id.as_str(), l.amount.to_string()))
            .collect();
        assert_eq!(
            lines,
            [("booklet", "300.00".into()), ("urgent", "500.00".into())]
        );
        assert_eq!(quote_from_json(q.json.clone()).unwrap(), q);
    }

    #[test]
    fn unknown_and_huge_ids_are_not_found_and_short() {
        let c = Catalogue::lesotho().unwrap();
        let e = c.service("nope".into()).unwrap_err();
        assert!(matches!(e, GovError::NotFound { .. }), "{e:?}");
        assert_eq!(e.code(), "unknown_service");
        let huge = "x".repeat(1 << 20);
        let e = c
            .quote(
                huge.clone(),
                HashMap::new(),
                "general".into(),
                date("2026-03-01"),
            )
            .unwrap_err();
        assert_eq!(e.code(), "unknown_service");
        assert!(e.to_string().len() < 300);
        let e = c
            .quote(
                "home-affairs.passport.ordinary".into(),
                passport_answers(),
                huge,
                date("2026-03-01"),
            )
            .unwrap_err();
        assert_eq!(e.code(), "unknown_applicant_category");
        assert!(e.to_string().len() < 300);
    }

    #[test]
    fn validation_returns_every_field_error() {
        let c = Catalogue::lesotho().unwrap();
        let mut answers = passport_answers();
        answers.insert("pages".into(), "63".into());
        answers.insert("nonsense".into(), "1".into());
        let errors = c
            .validate_answers(
                "home-affairs.passport.ordinary".into(),
                answers,
                date("2026-03-01"),
            )
            .unwrap();
        assert!(errors
            .iter()
            .any(|e| e.field == "pages" && e.code.as_str() == "not_a_choice"));
        assert!(errors
            .iter()
            .any(|e| e.field == "nonsense" && e.code.as_str() == "unknown_field"));
    }

    #[test]
    fn bad_quote_answers_carry_field_errors() {
        let c = Catalogue::lesotho().unwrap();
        let e = c
            .quote(
                "home-affairs.passport.ordinary".into(),
                HashMap::from([("pages".to_string(), "63".to_string())]),
                "general".into(),
                date("2026-03-01"),
            )
            .unwrap_err();
        match e {
            GovError::InvalidInput {
                code, field_errors, ..
            } => {
                assert_eq!(code, "invalid_answers");
                assert_eq!(field_errors[0].field, "pages");
            }
            other => panic!("{other:?}"),
        }
    }
}
