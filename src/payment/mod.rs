//! Payments of fee quotes: channels, requests, the idempotent [`PaymentLedger`] and balances.
//!
//! A payment pays a registered [`Quote`](crate::fees::Quote) (named by its `quote_id`) for an
//! application, in a [`Channel`], with the channel's external reference, an exact [`Money`]
//! amount, the actor (cashier or integration) and an **idempotency key**. The ledger:
//!
//! * accepts a payment only against a quote registered for the application that is still
//!   valid ([`LedgerPolicy::quote_validity_days`] from its date, Lesotho time) and not
//!   superseded by a newer quote for the same application;
//! * returns the original outcome for a retry with the same key and content, and refuses the
//!   same key with other content ([`Error::IdempotencyConflict`](crate::Error)) and the same
//!   external reference twice in one channel ([`Error::DuplicateExternalReference`](crate::Error));
//! * accepts ZAR for an LSL quote only where the quote's schedule accepts rand at par;
//! * accumulates partial payments and keeps overpayments as credit, refundable through
//!   maker-checker credit notes;
//! * issues exactly one signed, hash-chained receipt per accepted payment, under the same lock
//!   (see [`crate::receipt`]). Nothing is ever deleted or edited.
//!
//! See [`PaymentLedger`] for an example.

mod ledger;
pub mod records;
pub(crate) mod rules;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::Money;
use crate::{Error, Result};

pub use ledger::{PaymentLedger, PaymentOutcome, RefundRequest, RefundState};
pub use records::{LedgerRecords, QuoteAccount, QuoteRecord, SeriesRecord};

/// Longest idempotency key, actor, reference, reason or application reference, in bytes.
pub const MAX_TEXT_LEN: usize = 128;

/// How money reached the government.
///
/// On the wire a channel is its code: `cash`, `mpesa`, `ecocash`, `bank_transfer`, `card`, or,
/// for a channel this crate does not name ([`Channel::Other`]), an explicit extension code
/// `x-` followed by 1–30 characters `a-z`, `0-9`, `_`, `-`. The prefix keeps a typo of a
/// known channel (`mpessa`, `M-Pesa`) from being silently taken as a new channel.
///
/// ```
/// use eservices::payment::Channel;
/// assert_eq!(Channel::parse("mpesa")?, Channel::Mpesa);
/// assert_eq!(Channel::parse("x-airtel_money")?.code(), "x-airtel_money");
/// assert!(Channel::parse("M-Pesa").is_err());
/// assert!(Channel::parse("mpessa").is_err());
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Cash at a till.
    Cash,
    /// Vodacom M-Pesa.
    Mpesa,
    /// Econet EcoCash.
    Ecocash,
    /// Bank transfer or deposit.
    BankTransfer,
    /// Debit or credit card.
    Card,
    /// Another channel, by its extension code (`x-…`, never one of the codes above).
    Other(String),
}

impl Channel {
    /// Parses a channel code (see the type's documentation).
    ///
    /// ```
    /// use eservices::payment::Channel;
    /// assert_eq!(Channel::parse("bank_transfer")?, Channel::BankTransfer);
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn parse(code: &str) -> Result<Channel> {
        Ok(match code {
            "cash" => Channel::Cash,
            "mpesa" => Channel::Mpesa,
            "ecocash" => Channel::Ecocash,
            "bank_transfer" => Channel::BankTransfer,
            "card" => Channel::Card,
            other => {
                let ok = other.strip_prefix("x-").is_some_and(|name| {
                    !name.is_empty()
                        && name.len() <= 30
                        && name.bytes().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-'
                        })
                });
                if !ok {
                    return Err(Error::InvalidPaymentRequest {
                        field: "channel".into(),
                        reason: format!(
                            "{:?} is not a channel: cash, mpesa, ecocash, bank_transfer, card, \
                             or an extension code x- followed by 1-30 of a-z, 0-9, '_', '-'",
                            other.chars().take(40).collect::<String>()
                        ),
                    });
                }
                Channel::Other(other.into())
            }
        })
    }

    /// The wire code.
    ///
    /// ```
    /// use eservices::payment::Channel;
    /// assert_eq!(Channel::Ecocash.code(), "ecocash");
    /// ```
    pub fn code(&self) -> &str {
        match self {
            Channel::Cash => "cash",
            Channel::Mpesa => "mpesa",
            Channel::Ecocash => "ecocash",
            Channel::BankTransfer => "bank_transfer",
            Channel::Card => "card",
            Channel::Other(code) => code,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Channel, D::Error> {
        let code = String::deserialize(d)?;
        Channel::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// A request to record a payment. Two requests are "the same content" when every member is
/// equal.
///
/// `external_reference` is the channel's own id of the transaction (M-Pesa transaction code,
/// bank reference, card authorisation); it is required for every channel except cash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// Caller-chosen key that makes retries safe (1–128 bytes, no control characters).
    pub idempotency_key: String,
    /// The office whose receipt series numbers the receipt.
    pub office: String,
    /// The application reference the quote was registered for.
    pub application: String,
    /// The quote paid.
    pub quote_id: String,
    /// How the money came.
    pub channel: Channel,
    /// The channel's transaction reference (`None` only for cash).
    pub external_reference: Option<String>,
    /// The amount paid, positive, in the quote's currency (or ZAR at par where allowed).
    pub amount: Money,
    /// The cashier or integration that records the payment.
    pub actor: String,
}

impl PaymentRequest {
    /// Checks the form of every member (not the ledger rules).
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// use eservices::payment::{Channel, PaymentRequest};
    /// let mut r = PaymentRequest {
    ///     idempotency_key: "k-1".into(),
    ///     office: "MSU".into(),
    ///     application: "APP-1".into(),
    ///     quote_id: "q".into(),
    ///     channel: Channel::Mpesa,
    ///     external_reference: None,
    ///     amount: Money::parse("10", Currency::Lsl)?,
    ///     actor: "cashier-7".into(),
    /// };
    /// assert!(r.validate().is_err()); // M-Pesa needs its transaction code
    /// r.external_reference = Some("QK7H2XY".into());
    /// r.validate()?;
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        check_text("idempotency_key", &self.idempotency_key)?;
        check_code("office", &self.office)?;
        check_text("application", &self.application)?;
        check_text("quote_id", &self.quote_id)?;
        check_text("actor", &self.actor)?;
        match (&self.external_reference, &self.channel) {
            (Some(r), _) => check_text("external_reference", r)?,
            (None, Channel::Cash) => {}
            (None, other) => {
                return Err(Error::InvalidPaymentRequest {
                    field: "external_reference".into(),
                    reason: format!("required for channel {other}"),
                })
            }
        }
        if self.amount.is_negative() || self.amount.is_zero() {
            return Err(Error::InvalidPaymentRequest {
                field: "amount".into(),
                reason: format!("must be positive, not {}", self.amount),
            });
        }
        Ok(())
    }
}

/// An accepted payment. Never edited or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Ledger-wide sequence number, from 1.
    pub seq: u64,
    /// The request as accepted.
    pub request: PaymentRequest,
    /// The service of the quote paid.
    pub service: String,
    /// What the payment counts towards the quote, in the quote's currency (equal to the
    /// amount, or the same figure in LSL for rand paid at par).
    pub credited: Money,
    /// When it was recorded (whole seconds).
    pub time: DateTime<Utc>,
    /// The id of its receipt.
    pub receipt: String,
}

/// Where an application stands against its quote in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// The application reference.
    pub application: String,
    /// The quote in force.
    pub quote_id: String,
    /// What the quote in force asks for.
    pub owed: Money,
    /// Payments less refunds, in the quote's currency.
    pub paid: Money,
    /// What remains to pay (never negative).
    pub outstanding: Money,
    /// What was paid beyond the quote (never negative); refundable.
    pub credit: Money,
}

/// The ledger's rules that are a matter of policy.
///
/// ```
/// use eservices::payment::LedgerPolicy;
/// assert_eq!(LedgerPolicy::default().quote_validity_days, 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerPolicy {
    /// A quote may be paid from its date up to and including this many days after it
    /// (Lesotho dates).
    pub quote_validity_days: u32,
}

impl Default for LedgerPolicy {
    fn default() -> Self {
        LedgerPolicy {
            quote_validity_days: 30,
        }
    }
}

/// Free text: 1–[`MAX_TEXT_LEN`] bytes, no control characters.
pub(crate) fn check_text(field: &str, value: &str) -> Result<()> {
    let bad = |reason: &str| Error::InvalidPaymentRequest {
        field: field.into(),
        reason: reason.into(),
    };
    if value.trim().is_empty() {
        return Err(bad("must not be empty"));
    }
    if value.len() > MAX_TEXT_LEN {
        return Err(bad(&format!("longer than {MAX_TEXT_LEN} bytes")));
    }
    if value.chars().any(char::is_control) {
        return Err(bad("control characters are not allowed"));
    }
    Ok(())
}

/// Office and series codes: 1–32 of `A-Z`, `a-z`, `0-9`, `-` (they are joined with `/` into
/// receipt ids).
pub(crate) fn check_code(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 32
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidPaymentRequest {
            field: field.into(),
            reason: "must be 1-32 of A-Z, a-z, 0-9, '-'".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_codes_round_trip() {
        for code in ["cash", "mpesa", "ecocash", "bank_transfer", "card", "x-1_y"] {
            let c = Channel::parse(code).unwrap();
            assert_eq!(c.code(), code);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), c);
        }
        let long = format!("x-{}", "a".repeat(31));
        for bad in [
            "", "Cash", "m pesa", "a/b", "bitcoin", "mpessa", "x-", "x-A", "X-a", &long,
        ] {
            assert!(Channel::parse(bad).is_err(), "{bad}");
        }
        assert!(Channel::parse(&format!("x-{}", "a".repeat(30))).is_ok());
    }

    #[test]
    fn texts_and_codes() {
        assert!(check_text("f", "ok").is_ok());
        assert!(check_text("f", " ").is_err());
        assert!(check_text("f", "a\nb").is_err());
        assert!(check_text("f", &"x".repeat(129)).is_err());
        assert!(check_code("office", "MSU-HQ").is_ok());
        assert!(check_code("office", "MSU/HQ").is_err());
        assert!(check_code("office", "").is_err());
    }
}
