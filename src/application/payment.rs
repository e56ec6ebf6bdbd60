//! What the application needs to know about money: the fee, when it falls due, and the
//! payments recorded against it. Payments themselves (channels, receipts) belong to the
//! payments module; here a payment is a fact passed in.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// When a service's fee must be paid: the catalogue's own type (each service declares it).
pub use crate::catalogue::PaymentDue;

/// The fee an application owes: an exact amount (from the fee quote) in one currency.
///
/// ```
/// use eservices::application::{Fee, PaymentDue};
/// use rust_decimal::Decimal;
/// let fee = Fee::new(PaymentDue::OnApproval, Decimal::new(13000, 2), "LSL")?;
/// assert_eq!(fee.amount.to_string(), "130.00");
/// assert!(Fee::new(PaymentDue::Upfront, Decimal::new(-1, 0), "LSL").is_err());
/// assert!(Fee::new(PaymentDue::Upfront, Decimal::ONE, "lsl").is_err());
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// When it falls due.
    pub due: PaymentDue,
    /// The amount; zero when the service is free.
    pub amount: Decimal,
    /// ISO 4217 currency code, e.g. `LSL`.
    pub currency: String,
}

impl Fee {
    /// A checked fee (see [`Fee::check`]).
    pub fn new(due: PaymentDue, amount: Decimal, currency: &str) -> Result<Self> {
        let fee = Fee {
            due,
            amount,
            currency: currency.to_string(),
        };
        fee.check()?;
        Ok(fee)
    }

    /// The amount is not negative and the currency code is three upper-case letters.
    pub fn check(&self) -> Result<()> {
        check_currency(&self.currency)?;
        if self.amount.is_sign_negative() && !self.amount.is_zero() {
            return Err(Error::InvalidAmount {
                value: self.amount.to_string(),
                reason: "a fee cannot be negative".into(),
            });
        }
        Ok(())
    }
}

/// A payment as a fact from the payments module: its own reference (unique per application),
/// the amount and the currency.
///
/// ```
/// use eservices::application::Payment;
/// use rust_decimal::Decimal;
/// let p = Payment::new("RCPT-2026-000042", Decimal::new(13000, 2), "LSL");
/// assert_eq!(p.amount.to_string(), "130.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The payment's reference (receipt number, transaction id…).
    pub payment_ref: String,
    /// The amount paid; must be positive.
    pub amount: Decimal,
    /// ISO 4217 currency code; must be the fee's.
    pub currency: String,
}

impl Payment {
    /// A payment fact (checked when it is recorded).
    pub fn new(payment_ref: &str, amount: Decimal, currency: &str) -> Self {
        Payment {
            payment_ref: payment_ref.to_string(),
            amount,
            currency: currency.to_string(),
        }
    }
}

/// A payment recorded on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecord {
    /// The payment's reference.
    pub payment_ref: String,
    /// The amount paid, in the fee's currency.
    pub amount: Decimal,
    /// When it was recorded.
    #[serde(with = "crate::audit::utc_time")]
    pub at: DateTime<Utc>,
    /// The id of the cashier who recorded it.
    pub recorded_by: String,
}

pub(crate) fn check_currency(code: &str) -> Result<()> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::UnknownCurrency {
            code: code.chars().take(16).collect(),
        })
    }
}
