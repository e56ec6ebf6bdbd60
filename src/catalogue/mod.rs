//! The service catalogue: what each ministry offers, what it asks, and what it costs.
//!
//! A catalogue is JSON, loaded with [`Catalogue::from_json`], which refuses anything doubtful
//! with an error naming the JSON path of the problem. The crate ships an illustrative Lesotho
//! catalogue, [`Catalogue::lesotho`]; its figures must be checked against the current gazette
//! before production use.
//!
//! * [`Service`]: id, ministry, names, form [`Field`]s, when payment is due, the document it
//!   issues, target processing days, source, and [`FeeSchedule`] versions.
//! * [`FeeSchedule`]: the period it is in force, its legal reference, currency, whether rand
//!   are accepted at par, its rounding, and its [`Rule`]s (see [`rule`] for every kind).
//! * [`form`]: field definitions, answers and their validation.
//!
//! ```
//! use eservices::catalogue::{Answers, Catalogue};
//! use chrono::NaiveDate;
//!
//! let catalogue = Catalogue::lesotho()?;
//! let mut answers = Answers::new();
//! answers.insert("pages".into(), "64".into());
//! answers.insert("urgent".into(), "true".into());
//! let date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
//! let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general", date)?;
//! assert_eq!(quote.total.to_string(), "M 800.00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod de;
pub mod form;
mod load;
mod model;
pub mod rule;

use chrono::NaiveDate;

pub use form::{Answers, Field, FieldError, FieldErrorCode, FieldType, Label};
pub use model::{
    ApplicantCategory, Catalogue, FeeSchedule, Ministry, PaymentDue, Service, Source,
    FORMAT_VERSION,
};
pub use rule::{Band, Penalty, PriceOption, Relief, Rule, RuleKind, TaxRate};

use crate::fees::Quote;
use crate::{Error, Result};

/// The shipped illustrative Lesotho catalogue, as JSON.
pub const LESOTHO_JSON: &str = include_str!("lesotho.json");

impl Catalogue {
    /// Parses and validates catalogue JSON (see the [README](crate) for the format).
    ///
    /// Errors name the JSON path of the problem: [`Error::InvalidJson`] for text that breaks
    /// the strict JSON profile (floats, duplicate members…), [`Error::InvalidCatalogue`] for a
    /// missing, unknown or ill-typed member, and a specific variant for the rest
    /// ([`Error::UnknownRuleKind`], [`Error::NegativeAmount`],
    /// [`Error::OverlappingSchedules`], [`Error::DuplicateServiceId`]…).
    ///
    /// ```
    /// use eservices::{catalogue::Catalogue, Error};
    /// let err = Catalogue::from_json(r#"{"format": 1}"#).unwrap_err();
    /// assert!(matches!(err, Error::InvalidCatalogue { path, .. } if path == "$"));
    /// ```
    pub fn from_json(text: &str) -> Result<Catalogue> {
        load::load(text)
    }

    /// The shipped illustrative Lesotho catalogue (`src/catalogue/lesotho.json`).
    ///
    /// Its figures are **illustrative**: check them against the current gazette before
    /// production use (the catalogue's [`notice`](Catalogue::notice) says so too).
    ///
    /// ```
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// assert!(c.notice.contains("illustrative"));
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn lesotho() -> Result<Catalogue> {
        Catalogue::from_json(LESOTHO_JSON)
    }

    /// The catalogue as pretty-printed JSON, readable by [`Catalogue::from_json`].
    ///
    /// ```
    /// use eservices::catalogue::Catalogue;
    /// let c = Catalogue::lesotho()?;
    /// assert_eq!(Catalogue::from_json(&c.to_json()?)?, c);
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: format!("cannot serialise: {e}"),
        })
    }

    /// The service with this id; [`Error::UnknownService`] otherwise.
    ///
    /// ```
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// assert_eq!(c.service("home-affairs.passport.ordinary")?.ministry, "home-affairs");
    /// assert!(c.service("nope").is_err());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn service(&self, id: &str) -> Result<&Service> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::UnknownService { service: id.into() })
    }

    /// The applicant category with this id; [`Error::UnknownApplicantCategory`] otherwise.
    ///
    /// ```
    /// let c = eservices::catalogue::Catalogue::lesotho()?;
    /// assert!(c.applicant_category("general").is_ok());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn applicant_category(&self, id: &str) -> Result<&ApplicantCategory> {
        self.applicant_categories
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::UnknownApplicantCategory {
                category: id.into(),
            })
    }

    /// Quotes a service by id for an applicant category on a date: checks that both exist,
    /// then [`fees::quote`](crate::fees::quote).
    ///
    /// See the [module example](self).
    pub fn quote(
        &self,
        service_id: &str,
        answers: &Answers,
        applicant_category: &str,
        date: NaiveDate,
    ) -> Result<Quote> {
        let service = self.service(service_id)?;
        self.applicant_category(applicant_category)?;
        crate::fees::quote(service, answers, applicant_category, date)
    }
}
