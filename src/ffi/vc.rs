//! W3C Verifiable Credentials from the bindings: [`vc_export`] turns a signed document into a
//! VC 2.0 credential with an `eddsa-jcs-2022` proof, and [`VcVerifier`] checks such
//! credentials offline (see [`crate::vc`]).
//!
//! The verdict is the core's [`VcVerdict`] (with
//! [`VerifiedCredential`](crate::vc::VerifiedCredential) and [`VcReason`]), which derive
//! uniffi where they are defined.

use std::sync::{Arc, Mutex};

use super::audit::lock_for_change;
use super::signing::{parse_root, Signer, SignerAdapter};
use super::{GovError, TimeSource};
use crate::document::SignedEnvelope;
use crate::vc::{self, VcReason, VcVerdict};
use crate::verify;

/// Exports a signed document (its JSON, or its QR text `LS1:`...) as a W3C VC 2.0 credential
/// with an `eddsa-jcs-2022` proof made through `signer`, `created` now by `clock`; returns
/// the credential as RFC 8785 canonical JSON.
///
/// `signer` must hold the Ed25519 key that signed the document (the same signer given to the
/// [`Issuer`](super::Issuer)), and the document's signature must verify under it. Errors:
/// `invalid_json`, `malformed_envelope` (not a signed document), `vc_unsupported_alg` (an
/// ES256 signer or document), `vc_signer_mismatch`, `vc_document_signature_invalid`,
/// `signer_failed`.
///
/// ```
/// use eservices::ffi::{software_signer_from_seed, vc_export, Issuer, TimeSource, VcVerifier};
/// let clock = TimeSource::fixed(eservices::ffi::types::timestamp_from_text("2026-03-02T08:00:00Z")?);
/// let signer = software_signer_from_seed(vec![2; 32])?;
/// let issuer = Issuer::new(signer.clone(), clock.clone())?;
/// let doc = issuer.issue("ls.gov.example.permit".into(), "P-1".into(),
///     r#"{"holder":"Palesa"}"#.into(), None, None)?;
/// let credential = vc_export(doc.json, signer, clock.clone())?;
/// assert!(VcVerifier::new(clock).verify(credential)?.is_valid());
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn vc_export(
    document: String,
    signer: Arc<dyn Signer>,
    clock: Arc<TimeSource>,
) -> Result<String, GovError> {
    let envelope = if document.starts_with("LS1:") {
        SignedEnvelope::from_qr(&document)?
    } else {
        SignedEnvelope::parse(&document)?
    };
    let signer = SignerAdapter::adapt(signer)?;
    Ok(vc::export(
        &envelope,
        signer.as_ref(),
        clock.clock().as_ref(),
    )?)
}

/// The stable code of a credential verification reason (e.g. `VcReason.BAD_SIGNATURE` →
/// `bad_signature`).
///
/// ```
/// use eservices::vc::VcReason;
/// assert_eq!(eservices::ffi::vc_reason_code(VcReason::Malformed), "malformed");
/// ```
#[uniffi::export]
pub fn vc_reason_code(reason: VcReason) -> String {
    reason.code().into()
}

/// Verifies W3C credentials secured with `eddsa-jcs-2022`, offline: by signature alone
/// ([`new`](Self::new)) or against a trust list ([`with_trust_list`](Self::with_trust_list));
/// see [`vc::VcVerifier`] for what each mode guarantees.
///
/// ```
/// use eservices::ffi::{TimeSource, VcVerifier};
/// use eservices::vc::VcReason;
/// let clock = TimeSource::fixed(eservices::ffi::types::timestamp_from_text("2026-03-02T08:00:00Z")?);
/// let verdict = VcVerifier::new(clock).verify("{not json".into())?;
/// assert_eq!(verdict.reason(), Some(VcReason::Malformed));
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct VcVerifier {
    inner: Mutex<vc::VcVerifier>,
}

#[uniffi::export]
impl VcVerifier {
    /// A verifier that checks credentials and their proofs, **not who signed**: a valid
    /// verdict says that the key named in the proof signed exactly this credential.
    #[uniffi::constructor]
    pub fn new(clock: Arc<TimeSource>) -> Arc<Self> {
        Self::wrap(vc::VcVerifier::new(clock.clock()))
    }

    /// A verifier that also requires the signing key to be in `trust_list_json` (which must
    /// verify against `root_public_key`, a `root.pub` line `<alg> <base64url raw key>`) and
    /// authorised for the credential's document type, as [`Verifier::new`](super::Verifier::new)
    /// does for signed documents. Errors: `invalid_key`, `unsupported_alg`, `rejected`.
    #[uniffi::constructor]
    pub fn with_trust_list(
        root_public_key: String,
        trust_list_json: String,
        clock: Arc<TimeSource>,
    ) -> Result<Arc<Self>, GovError> {
        let root = parse_root(&root_public_key)?;
        let trust = verify::Verifier::new(root, &trust_list_json, clock.clock())?;
        Ok(Self::wrap(vc::VcVerifier::with_trust_list(
            trust,
            clock.clock(),
        )))
    }

    /// Holds a signed status list (from [`StatusListManager::publish`](super::StatusListManager::publish))
    /// for the credentials' `credentialStatus` entries; without one, a credential with a status
    /// entry is `status_unknown`. Error: `rejected` (with the reason in the detail).
    pub fn add_status_list(&self, json: String) -> Result<(), GovError> {
        Ok(lock_for_change(&self.inner)?.add_status_list(&json)?)
    }

    /// Verifies a credential given as JSON text. An invalid or malformed credential is an
    /// `Invalid` verdict with a reason, not an error; the error is only for a verifier made
    /// unusable by an earlier internal failure.
    pub fn verify(&self, json: String) -> Result<VcVerdict, GovError> {
        Ok(lock_for_change(&self.inner)?.verify(&json))
    }
}

impl VcVerifier {
    fn wrap(inner: vc::VcVerifier) -> Arc<Self> {
        Arc::new(VcVerifier {
            inner: Mutex::new(inner),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Alg;
    use crate::ffi::types::timestamp_from_text as t;
    use crate::ffi::{
        generate_pkcs8, software_signer_from_pkcs8, software_signer_from_seed, Issuer,
    };

    fn clock() -> Arc<TimeSource> {
        TimeSource::fixed(t("2026-03-02T08:00:00Z").unwrap())
    }

    #[test]
    fn export_verify_and_tamper() {
        let c = clock();
        let signer = software_signer_from_seed(vec![2; 32]).unwrap();
        let issuer = Issuer::new(signer.clone(), c.clone()).unwrap();
        let doc = issuer
            .issue(
                "ls.gov.t.permit".into(),
                "P-1".into(),
                r#"{"n":1}"#.into(),
                None,
                None,
            )
            .unwrap();
        let v = VcVerifier::new(c.clone());
        for text in [doc.json.clone(), doc.qr.clone().unwrap()] {
            let cred = vc_export(text, signer.clone(), c.clone()).unwrap();
            assert!(v.verify(cred.clone()).unwrap().is_valid());
            let bad = v.verify(cred.replace("\"n\":1", "\"n\":2")).unwrap();
            assert!(!bad.is_valid());
        }
        let e = vc_export("{".into(), signer.clone(), c.clone()).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        let es =
            software_signer_from_pkcs8(Alg::Es256, generate_pkcs8(Alg::Es256).unwrap()).unwrap();
        let e = vc_export(doc.json, es, c).unwrap_err();
        assert_eq!(e.code(), "vc_unsupported_alg");
    }
}
