//! The catalogue's data types, as they appear in JSON.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::de;
use super::form::{Answers, Field, FieldError, Label, NationalIdValidator};
use super::rule::Rule;
use crate::money::{Currency, Rounding};
use crate::{Error, Result};

/// The catalogue format version this crate reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A catalogue of services. Build one with [`Catalogue::from_json`](super::Catalogue::from_json),
/// which validates everything, or take the shipped [`Catalogue::lesotho`](super::Catalogue::lesotho).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Format version; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// What this catalogue is.
    pub title: String,
    /// A notice every consumer should show or heed (e.g. that figures are illustrative).
    pub notice: String,
    /// The ministries (and agencies) that offer services.
    pub ministries: Vec<Ministry>,
    /// Categories of applicant that exemptions can name (e.g. `pensioner`).
    pub applicant_categories: Vec<ApplicantCategory>,
    /// The services.
    pub services: Vec<Service>,
}

/// A ministry or agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Ministry {
    /// Stable id, e.g. `home-affairs`.
    pub id: String,
    /// Its name.
    pub name: Label,
}

/// A category of applicant (e.g. `general`, `pensioner`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ApplicantCategory {
    /// Stable id.
    pub id: String,
    /// Who belongs to it.
    pub description: String,
}

/// When the applicant pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum PaymentDue {
    /// With the application.
    Upfront,
    /// Once the application is approved.
    OnApproval,
}

impl PaymentDue {
    /// The JSON name: `"upfront"` or `"on_approval"`.
    ///
    /// ```
    /// assert_eq!(eservices::catalogue::PaymentDue::OnApproval.as_str(), "on_approval");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            PaymentDue::Upfront => "upfront",
            PaymentDue::OnApproval => "on_approval",
        }
    }
}

/// Where a service's figures come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "ffi",
    derive(uniffi::Record),
    uniffi(name = "ServiceSource")
)]
pub struct Source {
    /// The citation, e.g. `"Legal Notice No. 95 of 2019"`.
    pub citation: String,
    /// Where to read it, when public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One service a ministry offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable id, e.g. `home-affairs.passport.ordinary` (lower case, digits, `.`, `-`).
    pub id: String,
    /// The id of the ministry that offers it.
    pub ministry: String,
    /// Its name.
    pub name: Label,
    /// The form fields it asks for.
    pub fields: Vec<Field>,
    /// When payment is due.
    pub payment_due: PaymentDue,
    /// The type of document it issues, e.g. `ls.gov.home-affairs.passport`.
    pub document_type: String,
    /// Target processing time, in working days.
    pub processing_days: u32,
    /// Where its fees and rules come from.
    pub source: Source,
    /// Its fee schedules, each in force for a period; they must not overlap or leave gaps.
    pub fee_schedules: Vec<FeeSchedule>,
}

impl Service {
    /// The field with this id.
    ///
    /// ```
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// let passport = c.service("home-affairs.passport.ordinary")?;
    /// assert!(passport.field("pages").is_some());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The fee schedule in force on `date`; [`Error::NoScheduleInForce`] when none is.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// let passport = c.service("home-affairs.passport.ordinary")?;
    /// let s = passport.schedule_on(NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?)?;
    /// assert_eq!(s.legal_reference, "Legal Notice No. 95 of 2019");
    /// assert!(passport.schedule_on(NaiveDate::from_ymd_opt(1990, 1, 1).ok_or("date")?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule_on(&self, date: NaiveDate) -> Result<&FeeSchedule> {
        self.fee_schedules
            .iter()
            .find(|s| s.in_force_on(date))
            .ok_or_else(|| Error::NoScheduleInForce {
                service: self.id.clone(),
                date: date.to_string(),
            })
    }

    /// Validates a complete application form for this service (see
    /// [`form::validate`](super::form::validate)).
    ///
    /// ```
    /// use eservices::catalogue::{form::BasicNationalIdValidator, Answers, Catalogue};
    /// use chrono::NaiveDate;
    /// let c = Catalogue::lesotho()?;
    /// let s = c.service("trade.company.name-reservation")?;
    /// let today = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// let errors = s.validate_answers(&Answers::new(), today, &BasicNationalIdValidator)
    ///     .unwrap_err();
    /// assert!(!errors.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_answers(
        &self,
        answers: &Answers,
        today: NaiveDate,
        national_ids: &dyn NationalIdValidator,
    ) -> std::result::Result<(), Vec<FieldError>> {
        super::form::validate(&self.fields, answers, today, national_ids)
    }
}

/// One version of a service's fees, in force from `effective_from` to `effective_to`
/// (both inclusive; no `effective_to` means "until further notice").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeSchedule {
    /// First day in force.
    #[serde(deserialize_with = "de::date")]
    pub effective_from: NaiveDate,
    /// Last day in force.
    #[serde(
        default,
        deserialize_with = "de::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_to: Option<NaiveDate>,
    /// The instrument that sets these fees, e.g. `"Legal Notice No. 95 of 2019"`.
    pub legal_reference: String,
    /// The currency of every amount in the rules.
    #[serde(deserialize_with = "de::currency")]
    pub currency: Currency,
    /// Whether rand (ZAR) are accepted at par for these loti fees (LSL schedules only).
    #[serde(default, skip_serializing_if = "de::is_false")]
    pub accepts_zar_at_par: bool,
    /// How amounts with more digits than the currency are rounded (once per quote line).
    #[serde(default)]
    pub rounding: Rounding,
    /// The rules, in the order their lines appear on a quote.
    pub rules: Vec<Rule>,
}

impl FeeSchedule {
    /// Whether this version is in force on `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// let s = &c.service("home-affairs.passport.ordinary")?.fee_schedules[0];
    /// assert!(s.in_force_on(s.effective_from));
    /// assert!(!s.in_force_on(s.effective_from.pred_opt().ok_or("date")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.effective_from && self.effective_to.is_none_or(|to| date <= to)
    }

    /// The rule with this id.
    ///
    /// ```
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// let s = &c.service("home-affairs.passport.ordinary")?.fee_schedules[0];
    /// assert!(s.rule("urgent").is_some());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
