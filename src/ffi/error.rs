//! [`GovError`]: the one error the bindings see.
//!
//! Every [`crate::Error`] crosses the FFI through the single `From` impl below. The variant is
//! a coarse *category* that a host app can branch on (show a form error, a "not found" page, a
//! tamper warning...); `code` is the exact, stable [`crate::Error::code`] and `detail` its
//! human-readable text; `InvalidInput` also lists every refused form answer. Python sees
//! `eservices.GovError.InvalidInput` (an exception), Kotlin `GovException.InvalidInput`, Swift
//! `GovError.InvalidInput(code:detail:fieldErrors:)`.

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
        /// For `invalid_answers`: every refused answer (field id, code, reason), in field
        /// order, so a form can mark each one; empty for other codes.
        field_errors: Vec<FieldError>,
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
    /// The library declined the operation under its rules (e.g. an officer approving their
    /// own work, a payment above what is owed). Also the category of any code that
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
    /// A failure that the caller's data did not cause: the operating system's random
    /// generator, a signer (including one implemented in the host language), the FFI layer.
    #[error("{code}: {detail}")]
    Internal {
        /// The stable snake_case error code, e.g. `invalid_json` (Rust: `eservices::Error::code`).
        code: String,
        /// What went wrong, for people.
        detail: String,
    },
}

use crate::catalogue::FieldError;
use crate::Error;

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

/// Classifies an error. The match is exhaustive, so a variant added to [`crate::Error`]
/// does not compile until it is given its category here: every error is mapped once, on
/// purpose. The code itself always crosses unchanged.
fn category(e: &Error) -> Category {
    match e {
        Error::CurrencyMismatch { .. }
        | Error::Overflow { .. }
        | Error::UnknownCurrency { .. }
        | Error::InvalidAmount { .. }
        | Error::InvalidTime { .. }
        | Error::InvalidAnswers { .. }
        | Error::InvalidJson { .. }
        | Error::MalformedEnvelope { .. }
        | Error::UnsupportedVersion { .. }
        | Error::UnsupportedAlg { .. }
        | Error::InvalidKey { .. }
        | Error::MalformedQr { .. }
        | Error::InvalidStatusListSize { .. }
        | Error::StatusIndexOutOfRange { .. }
        | Error::InputRequired { .. }
        | Error::InvalidActor { .. }
        | Error::ValidatorMismatch { .. }
        | Error::InvalidAttachment { .. }
        | Error::InvalidReference { .. }
        | Error::ReferenceCheckFailed { .. }
        | Error::InvalidAuditInput { .. }
        | Error::InvalidCatalogue { .. }
        | Error::UnknownRuleKind { .. }
        | Error::InvalidCatalogueAmount { .. }
        | Error::NegativeAmount { .. }
        | Error::UnknownCatalogueCurrency { .. }
        | Error::InvalidCatalogueDate { .. }
        | Error::InvalidDateRange { .. }
        | Error::DuplicateServiceId { .. }
        | Error::DuplicateRuleId { .. }
        | Error::DuplicateFieldId { .. }
        | Error::UnknownOption { .. }
        | Error::OverlappingSchedules { .. }
        | Error::ScheduleGap { .. }
        | Error::UnknownApplicantCategory { .. }
        | Error::InvalidPaymentRequest { .. }
        | Error::InvalidReceipt { .. }
        | Error::VcUnsupportedAlg { .. }
        | Error::InvalidDidKey { .. }
        | Error::InvalidProofOptions { .. }
        | Error::StoreForeign { .. } => Category::InvalidInput,
        Error::StatusIndexNotAllocated { .. }
        | Error::UnknownService { .. }
        | Error::NoScheduleInForce { .. }
        | Error::NoTaxRateInForce { .. }
        | Error::UnknownQuote { .. }
        | Error::UnknownOffice { .. }
        | Error::UnknownApplication { .. }
        | Error::UnknownReceipt { .. }
        | Error::UnknownRefundRequest { .. }
        | Error::ApplicationNotFound { .. } => Category::NotFound,
        Error::TransitionRefused { .. }
        | Error::PaymentOutstanding { .. }
        | Error::PaymentNotExpected { .. }
        | Error::DuplicatePayment { .. }
        | Error::QuoteSuperseded { .. }
        | Error::IdempotencyConflict { .. }
        | Error::DuplicateExternalReference { .. }
        | Error::SeriesAlreadyOpen { .. }
        | Error::RefundNotPending { .. }
        | Error::StoreConstraint { .. }
        | Error::ApplicationExists { .. }
        | Error::SeriesMismatch { .. } => Category::Conflict,
        Error::StatusListFull { .. }
        | Error::CreateRefused { .. }
        | Error::NotTheApplicant { .. }
        | Error::MakerChecker { .. }
        | Error::Overpayment { .. }
        | Error::QuoteExpired { .. }
        | Error::SeriesExhausted { .. }
        | Error::RefundExceedsRefundable { .. }
        | Error::SameActorApproval { .. }
        | Error::VcSignerMismatch { .. }
        | Error::StoreTooNew { .. } => Category::Refused,
        Error::Rejected { .. }
        | Error::InconsistentApplication { .. }
        | Error::HistoryNotInLog { .. }
        | Error::AuditLogTampered { .. }
        | Error::CheckpointMismatch { .. }
        | Error::QuoteIdMismatch { .. }
        | Error::VcDocumentSignatureInvalid { .. }
        | Error::StoreCorrupt { .. }
        | Error::StoreRecordInvalid { .. } => Category::Integrity,
        Error::SignerFailed { .. }
        | Error::RandomUnavailable
        | Error::StoreBusy { .. }
        | Error::StoreFailed { .. } => Category::Internal,
    }
}

impl GovError {
    fn new(category: Category, code: String, detail: String) -> Self {
        match category {
            Category::InvalidInput => GovError::InvalidInput {
                code,
                detail,
                field_errors: Vec::new(),
            },
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
        let mut gov = GovError::new(category(&e), code.to_string(), e.to_string());
        if let (
            crate::Error::InvalidAnswers { errors },
            GovError::InvalidInput { field_errors, .. },
        ) = (e, &mut gov)
        {
            *field_errors = errors;
        }
        gov
    }
}

/// What uniffi reports when a host-language callback (a [`Signer`](super::Signer), the only
/// foreign trait) raised something other than a `GovError`, or broke the FFI contract: it
/// becomes `signer_failed`, so the host's exception reaches the caller as a typed error.
impl From<uniffi::UnexpectedUniFFICallbackError> for GovError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        GovError::from(Error::SignerFailed {
            reason: format!("the host raised: {}", super::types::echo(&e.reason)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn a_host_exception_is_signer_failed() {
        let e = GovError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "RuntimeError: HSM offline",
        ));
        assert!(matches!(e, GovError::Internal { .. }), "{e:?}");
        assert_eq!(e.code(), "signer_failed");
        assert!(e.to_string().contains("HSM offline"));
    }

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
                field_errors: vec![],
            }
        );
    }

    #[test]
    fn refused_answers_keep_every_field_error() {
        use crate::catalogue::FieldErrorCode;
        let errors = vec![
            FieldError {
                field: "pages".into(),
                code: FieldErrorCode::NotAChoice,
                reason: "must be 32 or 64".into(),
            },
            FieldError {
                field: "surname".into(),
                code: FieldErrorCode::Required,
                reason: "required".into(),
            },
        ];
        let g = GovError::from(Error::InvalidAnswers {
            errors: errors.clone(),
        });
        match g {
            GovError::InvalidInput {
                code, field_errors, ..
            } => {
                assert_eq!(code, "invalid_answers");
                assert_eq!(field_errors, errors);
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn input_errors_are_invalid_input() {
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
    fn each_category_has_its_errors() {
        let unknown = GovError::from(Error::UnknownService {
            service: "passport".into(),
        });
        assert!(matches!(unknown, GovError::NotFound { .. }), "{unknown:?}");
        let twice = GovError::from(Error::DuplicatePayment {
            reference: "r".into(),
            payment_ref: "p".into(),
        });
        assert!(matches!(twice, GovError::Conflict { .. }), "{twice:?}");
        let over = GovError::from(Error::Overpayment {
            reference: "r".into(),
            outstanding: "1.00".into(),
            offered: "2.00".into(),
            currency: "LSL".into(),
        });
        assert!(matches!(over, GovError::Refused { .. }), "{over:?}");
        let forged = GovError::from(Error::QuoteIdMismatch {
            claimed: "a".into(),
            computed: "b".into(),
        });
        assert!(matches!(forged, GovError::Integrity { .. }), "{forged:?}");
        let no_rng = GovError::from(Error::RandomUnavailable);
        assert!(matches!(no_rng, GovError::Internal { .. }), "{no_rng:?}");
        assert_eq!(no_rng.code(), "random_unavailable");
    }

    #[test]
    fn payment_errors_have_their_categories() {
        let dup = GovError::from(Error::IdempotencyConflict { key: "k".into() });
        assert!(matches!(dup, GovError::Conflict { .. }), "{dup:?}");
        assert_eq!(dup.code(), "idempotency_conflict");
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
