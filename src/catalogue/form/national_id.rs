//! National ID numbers, checked by a pluggable validator.

/// Checks national ID numbers. The issuing authority's exact rules (length, check digit)
/// belong to Home Affairs, so they are pluggable: implement this trait to enforce them.
///
/// ```
/// use eservices::catalogue::form::NationalIdValidator;
/// /// Accepts only IDs beginning with "01" (an illustration, not a real rule).
/// struct StartsWith01;
/// impl NationalIdValidator for StartsWith01 {
///     fn check(&self, id: &str) -> Result<(), String> {
///         if id.starts_with("01") { Ok(()) } else { Err("must start with 01".into()) }
///     }
/// }
/// assert!(StartsWith01.check("0123").is_ok());
/// ```
pub trait NationalIdValidator: Send + Sync {
    /// `Ok(())` when `id` (already trimmed) is acceptable; otherwise why not, in English.
    fn check(&self, id: &str) -> Result<(), String>;
}

/// The default [`NationalIdValidator`]: a syntax check only. It accepts 8 to 20 ASCII digits
/// with no separators and checks no check digit, because this crate does not ship the
/// issuing authority's rules. Replace it with one that does before production use.
///
/// ```
/// use eservices::catalogue::form::{BasicNationalIdValidator, NationalIdValidator};
/// assert!(BasicNationalIdValidator.check("012345678901").is_ok());
/// assert!(BasicNationalIdValidator.check("0123-4567").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct BasicNationalIdValidator;

impl BasicNationalIdValidator {
    /// Fewest digits accepted.
    pub const MIN_DIGITS: usize = 8;
    /// Most digits accepted.
    pub const MAX_DIGITS: usize = 20;
}

impl NationalIdValidator for BasicNationalIdValidator {
    fn check(&self, id: &str) -> Result<(), String> {
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err("a national ID number is digits only".into());
        }
        let n = id.len();
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&n) {
            return Err(format!(
                "{n} digits; a national ID number has {} to {}",
                Self::MIN_DIGITS,
                Self::MAX_DIGITS
            ));
        }
        Ok(())
    }
}
