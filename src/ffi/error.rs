//! [`GovError`]: the one error the bindings see.
//!
//! Every [`crate::Error`] crosses the FFI through the single `From` impl below. The variant is
//! a coarse *category* that a host app can branch on (show a form error, a "not found" page, a
//! tamper warning...); `code` is the exact, stable [`crate::Error::code`] and `detail` its
//! human-readable text. Python sees `eservices.GovError.InvalidInput` (an exception),
//! Kotlin `GovException.InvalidInput`, Swift `GovError.InvalidInput(code:detail:)`.

/// An error returned to Python, Kotlin or Swift.
///
/// ```
/// use eservices::ffi::GovError;
/// let e = GovError::from(eservices::Error::InvalidJson { path: "$".into(), reason: "empty".into() });
/// assert_eq!(e.code(), "invalid_json");
/// assert!(matches!(e, GovError::InvalidInput { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum GovError {
    /// The caller's input is malformed or breaks a rule (bad JSON, amount, date, answers...).
    #[error("{code}: {detail}")]
    InvalidInput {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
    /// Something the caller referred to does not exist (a service, an application, a key).
    #[error("{code}: {detail}")]
    NotFound {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
    /// The request clashes with the current state (a transition not allowed from here, an
    /// idempotency key reused with different content).
    #[error("{code}: {detail}")]
    Conflict {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
    /// The library declined the operation under its rules (e.g. a revoked or expired
    /// document, an officer approving their own work). Also the category of any code that
    /// [`GovError::from`] does not classify otherwise.
    #[error("{code}: {detail}")]
    Refused {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
    /// Data failed an integrity check: a bad signature, a broken hash chain, tampering.
    #[error("{code}: {detail}")]
    Integrity {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
    /// A failure inside the library or the FFI layer, not caused by the caller's data.
    #[error("{code}: {detail}")]
    Internal {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
}

/// The category ([`GovError`] variant) of an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    InvalidInput,
    NotFound,
    Conflict,
    Refused,
    Integrity,
    Internal,
}

/// Classifies a stable error code. Codes listed explicitly come first; codes added to
/// [`crate::Error`] later fall back to naming patterns (`invalid_*`/`malformed_*` are input
/// errors, `*_not_found` not-found, `*_conflict` conflicts, `bad_*`/`broken_*`/`tampered*`
/// integrity failures) and, failing those, to [`GovError::Refused`]. The code itself always
/// crosses unchanged, so a caller can rely on it whatever the category.
fn category(code: &str) -> Category {
    match code {
        "invalid_json" | "invalid_amount" | "invalid_time" | "invalid_answers"
        | "unknown_currency" | "currency_mismatch" | "overflow" => Category::InvalidInput,
        "internal" => Category::Internal,
        _ if code.starts_with("invalid_") || code.starts_with("malformed_") => {
            Category::InvalidInput
        }
        _ if code.ends_with("_not_found") => Category::NotFound,
        _ if code.ends_with("_conflict") => Category::Conflict,
        _ if code.starts_with("bad_")
            || code.starts_with("broken_")
            || code.starts_with("tampered") =>
        {
            Category::Integrity
        }
        _ => Category::Refused,
    }
}

impl GovError {
    fn new(category: Category, code: String, detail: String) -> Self {
        match category {
            Category::InvalidInput => GovError::InvalidInput { code, detail },
            Category::NotFound => GovError::NotFound { code, detail },
            Category::Conflict => GovError::Conflict { code, detail },
            Category::Refused => GovError::Refused { code, detail },
            Category::Integrity => GovError::Integrity { code, detail },
            Category::Internal => GovError::Internal { code, detail },
        }
    }

    /// The stable error code, whatever the category.
    ///
    /// ```
    /// use eservices::ffi::GovError;
    /// let e = GovError::Conflict { code: "x_conflict".into(), detail: "d".into() };
    /// assert_eq!(e.code(), "x_conflict");
    /// ```
    pub fn code(&self) -> &str {
        match self {
            GovError::InvalidInput { code, .. }
            | GovError::NotFound { code, .. }
            | GovError::Conflict { code, .. }
            | GovError::Refused { code, .. }
            | GovError::Integrity { code, .. }
            | GovError::Internal { code, .. } => code,
        }
    }
}

impl From<crate::Error> for GovError {
    fn from(e: crate::Error) -> Self {
        let code = e.code();
        GovError::new(category(code), code.to_string(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn crate_errors_keep_their_code_and_display_text() {
        let e = Error::InvalidJson {
            path: "$.a".into(),
            reason: "duplicate member name".into(),
        };
        let text = e.to_string();
        assert_eq!(
            GovError::from(e),
            GovError::InvalidInput {
                code: "invalid_json".into(),
                detail: text,
            }
        );
    }

    #[test]
    fn every_current_code_is_classified_explicitly() {
        let samples = [
            Error::CurrencyMismatch {
                left: "LSL".into(),
                right: "USD".into(),
            },
            Error::Overflow {
                operation: "add".into(),
            },
            Error::UnknownCurrency { code: "XYZ".into() },
            Error::InvalidAmount {
                value: "1.234".into(),
                reason: "too many digits".into(),
            },
            Error::InvalidTime {
                value: "x".into(),
                reason: "not RFC 3339".into(),
            },
            Error::InvalidAnswers { errors: vec![] },
            Error::InvalidJson {
                path: "$".into(),
                reason: "x".into(),
            },
        ];
        for e in samples {
            let code = e.code();
            let g = GovError::from(e);
            assert_eq!(g.code(), code);
            assert!(matches!(g, GovError::InvalidInput { .. }), "{code}: {g:?}");
        }
    }

    #[test]
    fn unlisted_codes_fall_back_by_pattern_then_to_refused() {
        let cases = [
            ("invalid_qr", Category::InvalidInput),
            ("malformed_qr", Category::InvalidInput),
            ("service_not_found", Category::NotFound),
            ("idempotency_conflict", Category::Conflict),
            ("bad_signature", Category::Integrity),
            ("broken_chain", Category::Integrity),
            ("tampered_receipt", Category::Integrity),
            ("internal", Category::Internal),
            ("revoked", Category::Refused),
            ("", Category::Refused),
        ];
        for (code, want) in cases {
            assert_eq!(category(code), want, "{code}");
            let g = GovError::new(category(code), code.into(), "d".into());
            assert_eq!(g.code(), code);
        }
    }

    #[test]
    fn display_is_code_then_detail() {
        let g = GovError::NotFound {
            code: "service_not_found".into(),
            detail: "no service \"x\"".into(),
        };
        assert_eq!(g.to_string(), "service_not_found: no service \"x\"");
    }
}
