//! Forms: the fields a service asks for, the applicant's answers, and their validation.
//!
//! Answers are text, keyed by field id, exactly as a form collects them: numbers as `"3"`,
//! booleans as `"true"`/`"false"`, dates as `"2026-03-01"`, choices by their id, phone numbers
//! in any common Lesotho spelling, attachments as a small JSON reference (see
//! [`AttachmentRef`]). A blank answer (empty or only spaces) counts as no answer.
//!
//! [`validate`] reports **every** bad field at once as a list of [`FieldError`]s, in field
//! order, followed by answers for fields the form does not have.
//!
//! ```
//! use eservices::catalogue::form::{validate, Answers, BasicNationalIdValidator, Field};
//! use eservices::catalogue::FieldErrorCode;
//! use chrono::NaiveDate;
//!
//! let fields: Vec<Field> = serde_json::from_str(r#"[
//!   {"id": "phone", "type": "phone", "label": {"en": "Mobile number"}, "required": true},
//!   {"id": "replacement", "type": "boolean", "label": {"en": "Replacing a lost passport?"}},
//!   {"id": "police_report", "type": "text", "label": {"en": "Police report number"},
//!    "required_when": {"field": "replacement", "equals": "true"}}
//! ]"#)?;
//! let today = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
//! let mut answers = Answers::new();
//! answers.insert("phone".into(), "5881 2345".into());
//! assert!(validate(&fields, &answers, today, &BasicNationalIdValidator).is_ok());
//!
//! answers.insert("phone".into(), "12345".into());
//! answers.insert("replacement".into(), "true".into());
//! let errors = validate(&fields, &answers, today, &BasicNationalIdValidator).unwrap_err();
//! let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
//! assert_eq!(codes, [("phone", FieldErrorCode::InvalidPhone),
//!                    ("police_report", FieldErrorCode::Required)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod attachment;
mod email;
mod national_id;
mod phone;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use attachment::AttachmentRef;
pub use email::is_valid_email;
pub use national_id::{BasicNationalIdValidator, NationalIdValidator};
pub use phone::normalise_phone;

use super::de;
use crate::money::parse_decimal;

/// An applicant's answers: field id → answer text. Ordered, so serialisation is deterministic.
pub type Answers = BTreeMap<String, String>;

/// Longest text answer (in characters) accepted when a text field sets no `max_length`.
pub const DEFAULT_MAX_TEXT_CHARS: u32 = 1000;

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

impl FieldError {
    /// A field error.
    ///
    /// ```
    /// use eservices::catalogue::{FieldError, FieldErrorCode};
    /// let e = FieldError::new("pages", FieldErrorCode::Required, "an answer is required");
    /// assert_eq!(e.to_string(), "pages (required): an answer is required");
    /// ```
    pub fn new(field: &str, code: FieldErrorCode, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            reason: reason.into(),
        }
    }
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
    ///
    /// ```
    /// assert_eq!(eservices::catalogue::FieldErrorCode::InFuture.as_str(), "in_future");
    /// ```
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

/// Text in English and, optionally, Sesotho. In JSON: `{"en": "Passport", "st": "Phasepoto"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "ffi",
    derive(uniffi::Record),
    uniffi(name = "LocalizedText")
)]
pub struct Label {
    /// English.
    pub en: String,
    /// Sesotho, when the catalogue has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub st: Option<String>,
}

/// The type of a form field; decides what an answer must look like.
///
/// In JSON (kebab-case): `text`, `date`, `number`, `choice`, `boolean`, `phone`, `email`,
/// `national-id`, `attachment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum FieldType {
    /// Free text (no control characters other than newline and tab).
    Text,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A plain decimal number (`"3"`, `"20000.50"`; see [`parse_decimal`]).
    Number,
    /// One of the field's `choices`, by id.
    Choice,
    /// `"true"` or `"false"`.
    Boolean,
    /// A Lesotho phone number (see [`normalise_phone`]).
    Phone,
    /// An e-mail address (see [`is_valid_email`]).
    Email,
    /// A national ID number, checked by a [`NationalIdValidator`].
    NationalId,
    /// A reference to an uploaded file (see [`AttachmentRef`]).
    Attachment,
}

impl FieldType {
    /// The JSON name, e.g. `"national-id"`.
    ///
    /// ```
    /// assert_eq!(eservices::catalogue::form::FieldType::NationalId.as_str(), "national-id");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Date => "date",
            FieldType::Number => "number",
            FieldType::Choice => "choice",
            FieldType::Boolean => "boolean",
            FieldType::Phone => "phone",
            FieldType::Email => "email",
            FieldType::NationalId => "national-id",
            FieldType::Attachment => "attachment",
        }
    }
}

/// One allowed answer of a `choice` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record), uniffi(name = "FieldChoice"))]
pub struct Choice {
    /// The answer text that selects it, e.g. `"64"`.
    pub id: String,
    /// What the applicant sees.
    pub label: Label,
}

/// "Required when another answer has a value": `{"field": "replacement", "equals": "true"}`,
/// or without `equals` for "when that field has any (non-blank) answer".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record), uniffi(name = "RequiredWhen"))]
pub struct Condition {
    /// The other field's id.
    pub field: String,
    /// The answer that triggers the requirement; `None` means any non-blank answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

impl Condition {
    /// Whether the condition holds for these answers (answers compared after trimming).
    ///
    /// ```
    /// use eservices::catalogue::form::{Answers, Condition};
    /// let c = Condition { field: "urgent".into(), equals: Some("true".into()) };
    /// let mut a = Answers::new();
    /// assert!(!c.holds(&a));
    /// a.insert("urgent".into(), " true ".into());
    /// assert!(c.holds(&a));
    /// ```
    pub fn holds(&self, answers: &Answers) -> bool {
        match (answer(answers, &self.field), &self.equals) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(v), Some(want)) => v == want.trim(),
        }
    }
}

/// Limits on an answer. Which apply depends on the field type (the catalogue loader refuses a
/// limit on a type it does not apply to):
///
/// * `min_length` / `max_length` (characters): `text`;
/// * `min` / `max` (decimal strings, inclusive) and `whole_number`: `number`;
/// * `not_in_future`: `date`;
/// * `max_bytes` and `media_types`: `attachment`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record), uniffi(name = "FieldLimits"))]
pub struct Limits {
    /// Fewest characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Most characters (default [`DEFAULT_MAX_TEXT_CHARS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Smallest number allowed, inclusive.
    #[serde(
        default,
        deserialize_with = "de::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<Decimal>,
    /// Largest number allowed, inclusive.
    #[serde(
        default,
        deserialize_with = "de::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<Decimal>,
    /// The number must be written without a fractional part (`"3"`, not `"3.0"`).
    #[serde(default, skip_serializing_if = "de::is_false")]
    pub whole_number: bool,
    /// The date must not be after today.
    #[serde(default, skip_serializing_if = "de::is_false")]
    pub not_in_future: bool,
    /// Largest attachment size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Media types an attachment may have (e.g. `"image/jpeg"`); empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_types: Vec<String>,
}

impl Limits {
    /// True when no limit is set.
    ///
    /// ```
    /// assert!(eservices::catalogue::form::Limits::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self == &Limits::default()
    }
}

/// One field of a service's form.
///
/// ```
/// use eservices::catalogue::form::{Field, FieldType};
/// let f: Field = serde_json::from_str(r#"{"id": "copies", "type": "number",
///   "label": {"en": "Copies", "st": "Likopi"}, "required": true,
///   "limits": {"min": "1", "max": "10", "whole_number": true}}"#)?;
/// assert_eq!(f.kind, FieldType::Number);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record), uniffi(name = "FormField"))]
pub struct Field {
    /// Stable id (the key of its answer), e.g. `"pages"`.
    pub id: String,
    /// What kind of answer it takes.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The question, as the applicant sees it.
    pub label: Label,
    /// An answer is always required.
    #[serde(default, skip_serializing_if = "de::is_false")]
    pub required: bool,
    /// An answer is required when this condition on another answer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Condition>,
    /// The allowed answers of a `choice` field (and only of one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Limits on the answer.
    #[serde(default, skip_serializing_if = "Limits::is_empty")]
    pub limits: Limits,
}

impl Field {
    /// Whether an answer to this field is required, given the other answers.
    ///
    /// ```
    /// use eservices::catalogue::form::{Answers, Field};
    /// let f: Field = serde_json::from_str(
    ///   r#"{"id": "x", "type": "text", "label": {"en": "X"}, "required": true}"#)?;
    /// assert!(f.is_required(&Answers::new()));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_required(&self, answers: &Answers) -> bool {
        self.required
            || self
                .required_when
                .as_ref()
                .is_some_and(|c| c.holds(answers))
    }

    /// Checks one non-blank answer against this field's type, choices and limits.
    /// (Whether it is required is [`Field::is_required`]'s business.)
    ///
    /// ```
    /// use eservices::catalogue::form::{BasicNationalIdValidator, Field};
    /// use eservices::catalogue::FieldErrorCode;
    /// use chrono::NaiveDate;
    /// let f: Field = serde_json::from_str(r#"{"id": "born", "type": "date",
    ///   "label": {"en": "Date of birth"}, "limits": {"not_in_future": true}}"#)?;
    /// let today = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    /// assert!(f.check(" 2026-03-01 ", today, &BasicNationalIdValidator).is_ok());
    /// let e = f.check("2026-03-02", today, &BasicNationalIdValidator).unwrap_err();
    /// assert_eq!(e.code, FieldErrorCode::InFuture);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(
        &self,
        value: &str,
        today: NaiveDate,
        national_ids: &dyn NationalIdValidator,
    ) -> Result<(), FieldError> {
        let err = |code, reason: String| Err(FieldError::new(&self.id, code, reason));
        let v = trim(value);
        // The answer as quoted in a reason: cut short, as it may be huge. Formatted only when a
        // reason is written (checking a good answer, as every quote does, allocates nothing).
        let shown = Quoted(v);
        let limits = &self.limits;
        match self.kind {
            FieldType::Text => {
                if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                    return err(
                        FieldErrorCode::InvalidType,
                        "text contains control characters".into(),
                    );
                }
                let n = v.chars().count();
                let max = limits.max_length.unwrap_or(DEFAULT_MAX_TEXT_CHARS);
                if let Some(min) = limits.min_length {
                    if n < min as usize {
                        return err(
                            FieldErrorCode::TooShort,
                            format!("{n} characters; at least {min} required"),
                        );
                    }
                }
                if n > max as usize {
                    return err(
                        FieldErrorCode::TooLong,
                        format!("{n} characters; at most {max} allowed"),
                    );
                }
            }
            FieldType::Date => {
                let Some(d) = de::parse_date(v) else {
                    return err(
                        FieldErrorCode::InvalidType,
                        format!("{shown} is not a date written YYYY-MM-DD"),
                    );
                };
                if limits.not_in_future && d > today {
                    return err(
                        FieldErrorCode::InFuture,
                        format!("{d} is after today ({today})"),
                    );
                }
            }
            FieldType::Number => {
                let Ok(n) = parse_decimal(v) else {
                    return err(
                        FieldErrorCode::InvalidType,
                        format!("{shown} is not a plain decimal number"),
                    );
                };
                if limits.whole_number && v.contains('.') {
                    return err(
                        FieldErrorCode::InvalidType,
                        format!("{shown} is not a whole number"),
                    );
                }
                if let Some(min) = limits.min {
                    if n < min {
                        return err(
                            FieldErrorCode::OutOfRange,
                            format!("{n} is below the minimum {min}"),
                        );
                    }
                }
                if let Some(max) = limits.max {
                    if n > max {
                        return err(
                            FieldErrorCode::OutOfRange,
                            format!("{n} is above the maximum {max}"),
                        );
                    }
                }
            }
            FieldType::Choice => {
                if !self.choices.iter().any(|c| c.id == v) {
                    let ids: Vec<&str> = self.choices.iter().map(|c| c.id.as_str()).collect();
                    return err(
                        FieldErrorCode::NotAChoice,
                        format!("{shown} is not one of {}", ids.join(", ")),
                    );
                }
            }
            FieldType::Boolean => {
                if v != "true" && v != "false" {
                    return err(
                        FieldErrorCode::InvalidType,
                        format!("{shown} is neither \"true\" nor \"false\""),
                    );
                }
            }
            FieldType::Phone => {
                if normalise_phone(v).is_none() {
                    return err(
                        FieldErrorCode::InvalidPhone,
                        format!("{shown} is not a Lesotho number (+266 and 8 digits)"),
                    );
                }
            }
            FieldType::Email => {
                if !is_valid_email(v) {
                    return err(
                        FieldErrorCode::InvalidEmail,
                        format!("{shown} is not an e-mail address"),
                    );
                }
            }
            FieldType::NationalId => {
                if let Err(reason) = national_ids.check(v) {
                    return err(FieldErrorCode::InvalidNationalId, reason);
                }
            }
            FieldType::Attachment => {
                let a = AttachmentRef::parse(v).map_err(|e| {
                    let reason = match e {
                        crate::Error::InvalidAttachment { reason, .. } => reason,
                        other => other.to_string(),
                    };
                    FieldError::new(&self.id, FieldErrorCode::InvalidAttachment, reason)
                })?;
                if let Some(max) = limits.max_bytes {
                    if a.size > max {
                        return err(
                            FieldErrorCode::InvalidAttachment,
                            format!("{} bytes; at most {max} allowed", a.size),
                        );
                    }
                }
                if !limits.media_types.is_empty() && !limits.media_types.contains(&a.media_type) {
                    return err(
                        FieldErrorCode::InvalidAttachment,
                        format!(
                            "media type {} is not one of {}",
                            a.media_type,
                            limits.media_types.join(", ")
                        ),
                    );
                }
            }
        }
        Ok(())
    }
}

/// Longest part of an answer quoted in a [`FieldError`] reason, in characters.
const QUOTE_LIMIT: usize = 64;

/// Displays as [`quoted`] of its text.
struct Quoted<'a>(&'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&quoted(self.0))
    }
}

/// `text` quoted for a reason, cut after [`QUOTE_LIMIT`] characters (marked `…`).
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{:?}…", text.get(..cut).unwrap_or_default()),
        None => format!("{text:?}"),
    }
}

/// The non-blank, trimmed answer for `field`, if any.
///
/// ```
/// use eservices::catalogue::form::{answer, Answers};
/// let mut a = Answers::new();
/// a.insert("x".into(), "  ".into());
/// assert_eq!(answer(&a, "x"), None);
/// ```
pub fn answer<'a>(answers: &'a Answers, field: &str) -> Option<&'a str> {
    answers
        .get(field)
        .map(|v| trim(v))
        .filter(|v| !v.is_empty())
}

/// [`str::trim`], at once for the usual answer that starts and ends with a printable ASCII
/// character: whitespace in ASCII is at most a space, and every other whitespace character
/// starts with a byte of 0x80 or above.
fn trim(v: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x80).contains(b));
    if printable(v.as_bytes().first()) && printable(v.as_bytes().last()) {
        v
    } else {
        v.trim()
    }
}

/// Validates a whole form's answers: every field's type, choices and limits, `required` and
/// `required_when`, and answers to fields the form does not have. Reports every error at once,
/// in field order, then unknown answers in id order. `today` decides `not_in_future`.
///
/// See the [module example](self).
pub fn validate(
    fields: &[Field],
    answers: &Answers,
    today: NaiveDate,
    national_ids: &dyn NationalIdValidator,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for field in fields {
        match answer(answers, &field.id) {
            None => {
                if field.is_required(answers) {
                    let reason = match (&field.required, &field.required_when) {
                        (false, Some(c)) => match &c.equals {
                            Some(v) => format!("an answer is required when {} is {v:?}", c.field),
                            None => format!("an answer is required when {} is answered", c.field),
                        },
                        _ => "an answer is required".to_string(),
                    };
                    errors.push(FieldError::new(&field.id, FieldErrorCode::Required, reason));
                }
            }
            Some(_) => {
                let raw = answers
                    .get(&field.id)
                    .map(String::as_str)
                    .unwrap_or_default();
                if let Err(e) = field.check(raw, today, national_ids) {
                    errors.push(e);
                }
            }
        }
    }
    for key in answers.keys() {
        if !fields.iter().any(|f| &f.id == key) {
            errors.push(FieldError::new(
                key,
                FieldErrorCode::UnknownField,
                "the form has no such field",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick trim against `str::trim`, with every kind of whitespace at either end.
    #[test]
    fn the_quick_trim_is_str_trim() {
        let ends = [
            "", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{2028}",
            "\u{3000}", "\u{feff}", "\u{0}", "\u{7f}", "a", "é", "!", "~", "64",
        ];
        for start in ends {
            for end in ends {
                for middle in ["", "x", " x ", "pages"] {
                    let v = format!("{start}{middle}{end}");
                    assert_eq!(trim(&v), v.trim(), "{v:?}");
                }
            }
        }
    }

    fn fields() -> Vec<Field> {
        serde_json::from_str(
            r#"[
          {"id": "name", "type": "text", "label": {"en": "Name"}, "required": true,
           "limits": {"min_length": 2, "max_length": 5}},
          {"id": "born", "type": "date", "label": {"en": "Born"}, "limits": {"not_in_future": true}},
          {"id": "copies", "type": "number", "label": {"en": "Copies"},
           "limits": {"min": "1", "max": "10", "whole_number": true}},
          {"id": "pages", "type": "choice", "label": {"en": "Pages"},
           "choices": [{"id": "32", "label": {"en": "32"}}, {"id": "64", "label": {"en": "64"}}]},
          {"id": "lost", "type": "boolean", "label": {"en": "Lost"}},
          {"id": "report", "type": "text", "label": {"en": "Report"},
           "required_when": {"field": "lost", "equals": "true"}},
          {"id": "reason", "type": "text", "label": {"en": "Reason"},
           "required_when": {"field": "report"}},
          {"id": "phone", "type": "phone", "label": {"en": "Phone"}},
          {"id": "email", "type": "email", "label": {"en": "E-mail"}},
          {"id": "nid", "type": "national-id", "label": {"en": "ID"}},
          {"id": "photo", "type": "attachment", "label": {"en": "Photo"},
           "limits": {"max_bytes": 1000, "media_types": ["image/jpeg"]}}
        ]"#,
        )
        .unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn run(pairs: &[(&str, &str)]) -> Vec<(String, FieldErrorCode)> {
        let answers: Answers = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match validate(&fields(), &answers, today(), &BasicNationalIdValidator) {
            Ok(()) => vec![],
            Err(es) => es.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    const PHOTO: &str = r#"{"name":"me.jpg","media_type":"image/jpeg","size":900,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#;

    #[test]
    fn a_good_form_passes() {
        assert_eq!(
            run(&[
                ("name", "Lineo"),
                ("born", "2026-03-01"),
                ("copies", "10"),
                ("pages", "64"),
                ("lost", "true"),
                ("report", "RSL/123"),
                ("reason", "stolen"),
                ("phone", "+266 5881-2345"),
                ("email", "lineo@example.org.ls"),
                ("nid", "012345678901"),
                ("photo", PHOTO),
            ]),
            vec![]
        );
    }

    #[test]
    fn every_error_at_once_in_field_order() {
        let got = run(&[
            ("name", "L"),
            ("born", "2026-03-02"),
            ("copies", "2.5"),
            ("pages", "48"),
            ("lost", "yes"),
            ("phone", "+27 82 123 4567"),
            ("email", "lineo@"),
            ("nid", "AB"),
            (
                "photo",
                r#"{"name":"me.png","media_type":"image/png","size":9,"sha256":"00"}"#,
            ),
            ("zzz", "?"),
        ]);
        use FieldErrorCode::*;
        let want = [
            ("name", TooShort),
            ("born", InFuture),
            ("copies", InvalidType),
            ("pages", NotAChoice),
            ("lost", InvalidType),
            ("phone", InvalidPhone),
            ("email", InvalidEmail),
            ("nid", InvalidNationalId),
            ("photo", InvalidAttachment),
            ("zzz", UnknownField),
        ];
        let want: Vec<_> = want.iter().map(|(f, c)| (f.to_string(), *c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn required_and_required_when() {
        use FieldErrorCode::*;
        assert_eq!(run(&[]), vec![("name".into(), Required)]);
        assert_eq!(run(&[("name", "   ")]), vec![("name".into(), Required)]);
        assert_eq!(
            run(&[("name", "Lineo"), ("lost", "true")]),
            vec![("report".into(), Required)]
        );
        assert_eq!(run(&[("name", "Lineo"), ("lost", "false")]), vec![]);
        // `required_when` without `equals`: any answer to the other field triggers it.
        assert_eq!(
            run(&[("name", "Lineo"), ("report", "x")]),
            vec![("reason".into(), Required)]
        );
    }

    #[test]
    fn limits_at_their_edges() {
        use FieldErrorCode::*;
        let base = [("name", "Lineo")];
        let with = |k: &'static str, v: &'static str| {
            let mut p = base.to_vec();
            p.push((k, v));
            run(&p)
        };
        assert_eq!(with("copies", "1"), vec![]);
        assert_eq!(with("copies", "0"), vec![("copies".into(), OutOfRange)]);
        assert_eq!(with("copies", "11"), vec![("copies".into(), OutOfRange)]);
        assert_eq!(with("copies", "3.0"), vec![("copies".into(), InvalidType)]);
        assert_eq!(run(&[("name", "Lineo!")]), vec![("name".into(), TooLong)]);
        assert_eq!(run(&[("name", "Mo")]), vec![]);
        assert_eq!(
            run(&[("name", "Mo\u{0}")]),
            vec![("name".into(), InvalidType)]
        );
        assert_eq!(
            with("born", "2026-02-30"),
            vec![("born".into(), InvalidType)]
        );
        let big = r#"{"name":"me.jpg","media_type":"image/jpeg","size":1001,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#;
        assert_eq!(
            with("photo", big),
            vec![("photo".into(), InvalidAttachment)]
        );
    }

    #[test]
    fn phone_spellings() {
        let ok = [
            "58812345",
            "5881 2345",
            "+266 5881 2345",
            "+266 5881-2345",
            "+26658812345",
            "0026658812345",
            "00266 5881 2345",
            "266 5881 2345",
            "(+266) 5881.2345",
        ];
        for p in ok {
            assert_eq!(normalise_phone(p).as_deref(), Some("+26658812345"), "{p}");
        }
        let bad = [
            "",
            "5881234",
            "588123456",
            "+27 5881 2345",
            "+2665881234",
            "58812345x",
            "5881+2345",
            "++26658812345",
            "0058812345",
            "266-588-1234",
        ];
        for p in bad {
            assert_eq!(normalise_phone(p), None, "{p}");
        }
    }

    #[test]
    fn reasons_quote_huge_answers_cut_short() {
        let f: Field = serde_json::from_str(
            r#"{"id": "pages", "type": "choice", "label": {"en": "Pages"},
                "choices": [{"id": "32", "label": {"en": "32"}}]}"#,
        )
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let huge = "9".repeat(1 << 20);
        let e = f
            .check(&huge, today, &BasicNationalIdValidator)
            .unwrap_err();
        assert_eq!(e.code, FieldErrorCode::NotAChoice);
        assert!(e.reason.len() < 200, "{}", e.reason.len());
        assert!(e
            .reason
            .starts_with(&format!("\"{}\"…", "9".repeat(QUOTE_LIMIT))));
    }
}
