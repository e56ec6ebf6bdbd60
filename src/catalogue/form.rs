//! Form answers and field-level validation errors.
//!
//! Answers are text, keyed by field id, exactly as a form collects them: numbers as `"3"`,
//! booleans as `"true"`/`"false"`, dates as `"2026-03-01"`, choices by their id. Validation
//! reports **every** bad field at once as a list of [`FieldError`]s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An applicant's answers: field id → answer text. Ordered, so serialisation is deterministic.
pub type Answers = BTreeMap<String, String>;

/// Why one answer was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct FieldError {
    /// The field id, as in the catalogue.
    pub field: String,
    /// Stable machine-readable code.
    pub code: FieldErrorCode,
    /// Human-readable explanation, in English.
    pub reason: String,
}

/// Stable codes for [`FieldError`]. Their snake_case names (see [`FieldErrorCode::as_str`])
/// never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum FieldErrorCode {
    /// A required answer (or one required by another answer) is missing or blank.
    Required,
    /// An answer for a field the form does not have.
    UnknownField,
    /// The answer is not of the field's type (not a number, not a date, not a boolean…).
    InvalidType,
    /// The answer is not one of the field's choices.
    NotAChoice,
    /// Text shorter than the field's minimum length.
    TooShort,
    /// Text longer than the field's maximum length.
    TooLong,
    /// A number or date outside the field's limits.
    OutOfRange,
    /// A date in the future where that makes no sense (e.g. a date of birth).
    InFuture,
    /// Not a Lesotho phone number.
    InvalidPhone,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a national ID number under the configured validator.
    InvalidNationalId,
    /// An attachment reference that is incomplete or malformed.
    InvalidAttachment,
}

impl FieldErrorCode {
    /// The stable snake_case code, e.g. `"not_a_choice"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldErrorCode::Required => "required",
            FieldErrorCode::UnknownField => "unknown_field",
            FieldErrorCode::InvalidType => "invalid_type",
            FieldErrorCode::NotAChoice => "not_a_choice",
            FieldErrorCode::TooShort => "too_short",
            FieldErrorCode::TooLong => "too_long",
            FieldErrorCode::OutOfRange => "out_of_range",
            FieldErrorCode::InFuture => "in_future",
            FieldErrorCode::InvalidPhone => "invalid_phone",
            FieldErrorCode::InvalidEmail => "invalid_email",
            FieldErrorCode::InvalidNationalId => "invalid_national_id",
            FieldErrorCode::InvalidAttachment => "invalid_attachment",
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.field,
            self.code.as_str(),
            self.reason
        )
    }
}
