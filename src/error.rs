//! The crate's one error type.
//!
//! Every fallible operation returns [`Result<T>`](Result) with an [`Error`] whose variant says
//! precisely what went wrong and, where it applies, *where* (the JSON path of a bad catalogue
//! member, the field id of a bad answer, the index of a bad audit entry). Each variant has a
//! stable, machine-readable [`Error::code`] that the bindings expose unchanged.
//!
//! Errors never carry secret material: no private key, seed or signature input appears in
//! an error's fields or its `Display`.

/// Shorthand for `std::result::Result<T, eservices::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- money -------------------------------------------------------------------------
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// Currency of the left-hand amount.
        left: String,
        /// Currency of the right-hand amount.
        right: String,
    },
    /// An arithmetic operation overflowed the decimal range.
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// The operation that overflowed (e.g. `add`, `multiply`).
        operation: String,
    },
    /// A currency code that this crate does not know.
    #[error("unknown currency {code:?}")]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// A decimal amount that could not be parsed or has the wrong number of minor digits.
    #[error("invalid amount {value:?}: {reason}")]
    InvalidAmount {
        /// The text as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    // ---- time --------------------------------------------------------------------------
    /// A timestamp or date that could not be parsed or is not in the required form.
    #[error("invalid time {value:?}: {reason}")]
    InvalidTime {
        /// The text as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    // ---- forms -------------------------------------------------------------------------
    /// One or more answers were refused; every bad field is listed, not just the first.
    #[error("{} invalid answer(s): {}", errors.len(), errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    InvalidAnswers {
        /// Each refused answer, in field order.
        errors: Vec<crate::catalogue::FieldError>,
    },

    // ---- json --------------------------------------------------------------------------
    /// JSON text that could not be parsed, or that violates the strict profile
    /// (duplicate member names, excessive nesting, non-integer numbers).
    #[error("invalid JSON at {path}: {reason}")]
    InvalidJson {
        /// JSON path of the problem (`$` for the document root).
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// A stable, machine-readable code for this error (snake_case). Codes never change
    /// meaning between releases; the bindings expose them as-is.
    pub fn code(&self) -> &'static str {
        match self {
            Error::CurrencyMismatch { .. } => "currency_mismatch",
            Error::Overflow { .. } => "overflow",
            Error::UnknownCurrency { .. } => "unknown_currency",
            Error::InvalidAmount { .. } => "invalid_amount",
            Error::InvalidTime { .. } => "invalid_time",
            Error::InvalidAnswers { .. } => "invalid_answers",
            Error::InvalidJson { .. } => "invalid_json",
        }
    }
}
