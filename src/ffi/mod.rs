//! The foreign-function interface (uniffi) for Python, Kotlin and Swift.
//!
//! Everything the bindings need beyond the records that derive uniffi where they are defined
//! lives here; nothing else in the crate imports this module.
//!
//! * [`GovError`] ([`error`]) is the one error the bindings see, mapped once from
//!   [`crate::Error`]; exported functions return `Result<T, GovError>`.
//! * [`types`] makes `Decimal`, `DateTime<Utc>` and `NaiveDate` cross as strings.
//! * Exported functions are thin: parse/convert, call the core, map the error with `?`.
//!
//! Adding to the API (all three languages see it after `bash bindings/test.sh`; the scripts
//! regenerate the bindings from the built library, so nothing is listed twice):
//!
//! * a function or object: `#[uniffi::export]` it in a small file here (`src/ffi/<area>.rs`),
//!   returning `Result<T, GovError>` and converting with `?` (the `From<crate::Error>` impl);
//! * a record or enum: `#[cfg_attr(feature = "ffi", derive(uniffi::Record))]` (or `Enum`) where
//!   it is defined; `Decimal`/`DateTime<Utc>`/`NaiveDate` fields already work ([`types`]);
//! * a foreign-implemented trait: `#[uniffi::export(with_foreign)]` on a trait here;
//! * then a test per language in `bindings/{python/tests,kotlin/tests,swift/Tests}`.
//!
//! uniffi catches a panic that unwinds out of an exported function and raises it as an
//! internal error in the host language (the release profile keeps `panic = "unwind"` for
//! this), so nothing here may rely on aborting.

pub mod application;
pub mod audit;
pub mod catalogue;
pub mod clock;
pub mod error;
pub mod json;
pub mod payment;
pub mod signing;
#[cfg(feature = "sqlite")]
pub mod store;
#[cfg(test)]
mod test_fixtures;
pub mod types;
pub mod vc;

pub use clock::TimeSource;
pub use error::GovError;
pub use json::canonical_json;
pub use payment::{audit_receipts, PaymentLedger};
pub use signing::{
    generate_pkcs8, key_id, public_key_text, reason_code, software_signer_from_pkcs8,
    software_signer_from_seed, Issuer, SignedDocument, Signer, StatusListManager, TrustListKey,
    VerificationResult, Verifier,
};
#[cfg(feature = "sqlite")]
pub use store::RecordStore;
pub use vc::{vc_export, vc_reason_code, VcVerifier};

/// The library's version, as the bindings see it (the crate version, e.g. `"0.1.0"`).
///
/// ```
/// assert_eq!(eservices::ffi::library_version(), env!("CARGO_PKG_VERSION"));
/// ```
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
