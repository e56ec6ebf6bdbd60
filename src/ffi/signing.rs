//! Signed documents from the bindings: signers (the host's own, or built-in software keys),
//! [`Issuer`], trust lists, [`StatusListManager`] and [`Verifier`].
//!
//! [`Signer`] is a *foreign* trait: a Python, Kotlin or Swift class (an HSM, the Android
//! Keystore, the Secure Enclave) implements it and is passed wherever a signer is expected.
//! Whatever that class raises — a [`GovError`] or any other exception — reaches the caller
//! of the operation as [`GovError::Internal`] with code `signer_failed`, never as a crash.
//! The built-in software signers ([`software_signer_from_pkcs8`],
//! [`software_signer_from_seed`]) implement the same trait in Rust.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::audit::lock_for_change;
use super::types::echo;
use super::{GovError, TimeSource};
use crate::document::{self, Alg, PrivateKey, PublicKey, SoftwareSigner, StatusEntry};
use crate::trust::{TrustList, TrustedKey};
use crate::verify::{self, Reason, VerifiedDocument};
use crate::Error;

/// Something that signs with one private key, implemented in Python, Kotlin or Swift (or
/// built in: [`software_signer_from_pkcs8`], [`software_signer_from_seed`]).
///
/// `alg` and `public_key` are read once, when the signer is handed to an [`Issuer`] or a
/// payment ledger's receipt series; `sign` gets the complete signing input and must return
/// the 64-byte signature (Ed25519, or ES256 as `r || s`, never DER). Every signature is
/// checked against the public key before use, so a faulty signer cannot produce a bad
/// document. An exception raised by any method becomes [`GovError::Internal`] with code
/// `signer_failed` for the caller of the operation.
///
/// ```
/// use std::sync::Arc;
/// use eservices::document::Alg;
/// use eservices::ffi::{software_signer_from_seed, GovError, Issuer, Signer, TimeSource};
///
/// struct Broken;
/// impl Signer for Broken {
///     fn alg(&self) -> Result<Alg, GovError> { Ok(Alg::Ed25519) }
///     fn public_key(&self) -> Result<Vec<u8>, GovError> {
///         software_signer_from_seed(vec![7; 32])?.public_key()
///     }
///     fn sign(&self, _message: Vec<u8>) -> Result<Vec<u8>, GovError> {
///         Err(GovError::Internal { code: "hsm_offline".into(), detail: "no HSM".into() })
///     }
/// }
/// let clock = TimeSource::fixed(eservices::ffi::types::timestamp_from_text("2026-03-02T08:00:00Z")?);
/// let issuer = Issuer::new(Arc::new(Broken), clock)?;
/// let err = issuer.issue("ls.gov.t".into(), "1".into(), "{}".into(), None, None).unwrap_err();
/// assert_eq!(err.code(), "signer_failed");
/// assert!(err.to_string().contains("hsm_offline"));
/// # Ok::<(), GovError>(())
/// ```
#[uniffi::export(with_foreign)]
pub trait Signer: Send + Sync {
    /// The signature algorithm.
    fn alg(&self) -> Result<Alg, GovError>;
    /// The raw public key: 32 bytes (Ed25519) or the 65-byte uncompressed P-256 point.
    fn public_key(&self) -> Result<Vec<u8>, GovError>;
    /// Signs `message` (the complete signing input), returning the 64-byte signature.
    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, GovError>;
}

/// A [`SoftwareSigner`] behind the foreign trait.
struct BuiltInSigner(SoftwareSigner);

impl Signer for BuiltInSigner {
    fn alg(&self) -> Result<Alg, GovError> {
        Ok(document::Signer::alg(&self.0))
    }

    fn public_key(&self) -> Result<Vec<u8>, GovError> {
        Ok(document::Signer::public_key(&self.0))
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, GovError> {
        Ok(document::Signer::sign(&self.0, &message)?)
    }
}

/// A signer's failure as the crate's error: whatever the signer raised, `signer_failed`,
/// with the signer's own code and (shortened) detail in the reason.
fn signer_failed(what: &str, e: &GovError) -> Error {
    let detail = match e {
        GovError::InvalidInput { detail, .. }
        | GovError::NotFound { detail, .. }
        | GovError::Conflict { detail, .. }
        | GovError::Refused { detail, .. }
        | GovError::Integrity { detail, .. }
        | GovError::Internal { detail, .. } => detail,
    };
    Error::SignerFailed {
        reason: format!(
            "the signer's {what} raised {}: {}",
            echo(e.code()),
            echo(detail)
        ),
    }
}

/// A foreign [`Signer`] as the core's [`document::Signer`]. Algorithm and public key are
/// read once, here; each `sign` calls the host.
pub(crate) struct SignerAdapter {
    inner: Arc<dyn Signer>,
    alg: Alg,
    public_key: Vec<u8>,
}

impl SignerAdapter {
    /// Reads the signer's algorithm and public key (validated later by the core, which
    /// refuses a key that is not on the curve).
    pub(crate) fn adapt(inner: Arc<dyn Signer>) -> Result<Arc<dyn document::Signer>, GovError> {
        let alg = inner.alg().map_err(|e| signer_failed("alg", &e))?;
        let public_key = inner
            .public_key()
            .map_err(|e| signer_failed("public_key", &e))?;
        Ok(Arc::new(SignerAdapter {
            inner,
            alg,
            public_key,
        }))
    }
}

impl document::Signer for SignerAdapter {
    fn alg(&self) -> Alg {
        self.alg
    }

    fn public_key(&self) -> Vec<u8> {
        self.public_key.clone()
    }

    fn sign(&self, message: &[u8]) -> crate::Result<Vec<u8>> {
        self.inner
            .sign(message.to_vec())
            .map_err(|e| signer_failed("sign", &e))
    }
}

/// Generates a new private key with the operating system's random generator and returns it
/// as PKCS#8 (DER) bytes, to be stored by the caller (they are secret) and loaded with
/// [`software_signer_from_pkcs8`].
///
/// ```
/// use eservices::document::Alg;
/// use eservices::ffi::{generate_pkcs8, software_signer_from_pkcs8};
/// let pkcs8 = generate_pkcs8(Alg::Es256)?;
/// let signer = software_signer_from_pkcs8(Alg::Es256, pkcs8)?;
/// assert_eq!(signer.public_key()?.len(), 65);
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn generate_pkcs8(alg: Alg) -> Result<Vec<u8>, GovError> {
    Ok(PrivateKey::generate(alg)?.pkcs8_der().to_vec())
}

/// A built-in signer for a PKCS#8 (DER) private key: Ed25519 (v1 or v2) or ECDSA P-256.
/// The bytes are wiped from memory once loaded. Error: `invalid_key`.
#[uniffi::export]
pub fn software_signer_from_pkcs8(alg: Alg, pkcs8: Vec<u8>) -> Result<Arc<dyn Signer>, GovError> {
    let der = Zeroizing::new(pkcs8);
    Ok(Arc::new(BuiltInSigner(SoftwareSigner::from_pkcs8(
        alg, &der,
    )?)))
}

/// A built-in Ed25519 signer from a 32-byte RFC 8032 seed (test vectors, derived keys;
/// store real keys as PKCS#8). The seed is wiped from memory once loaded. Error:
/// `invalid_key`.
///
/// ```
/// use eservices::ffi::software_signer_from_seed;
/// assert_eq!(software_signer_from_seed(vec![1; 32])?.public_key()?.len(), 32);
/// assert_eq!(software_signer_from_seed(vec![1; 31]).err().map(|e| e.code().to_string()),
///            Some("invalid_key".to_string()));
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[uniffi::export]
pub fn software_signer_from_seed(seed: Vec<u8>) -> Result<Arc<dyn Signer>, GovError> {
    let seed = Zeroizing::new(seed);
    Ok(Arc::new(BuiltInSigner(SoftwareSigner::ed25519_from_seed(
        &seed,
    )?)))
}

/// The `root.pub` form of a public key, `<alg> <base64url raw key>`, after checking the key
/// (on the curve, canonical). Error: `invalid_key`.
#[uniffi::export]
pub fn public_key_text(alg: Alg, public_key: Vec<u8>) -> Result<String, GovError> {
    Ok(PublicKey::from_raw(alg, &public_key)?.to_string())
}

/// The key id (`kid`) of a raw public key: base64url of the first 16 bytes of its SHA-256.
#[uniffi::export]
pub fn key_id(alg: Alg, public_key: Vec<u8>) -> Result<String, GovError> {
    Ok(PublicKey::from_raw(alg, &public_key)?.kid())
}

/// Longest `root.pub` text read (an ES256 line is 93 characters).
const ROOT_TEXT_LIMIT: usize = 256;

/// Parses `<alg> <base64url raw key>`, refusing long texts before reading them.
pub(super) fn parse_root(text: &str) -> Result<PublicKey, GovError> {
    if text.len() > ROOT_TEXT_LIMIT {
        return Err(Error::InvalidKey {
            alg: "unspecified".into(),
            reason: format!("a root key line is at most {ROOT_TEXT_LIMIT} bytes"),
        }
        .into());
    }
    Ok(text.trim().parse()?)
}

/// A freshly signed document.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignedDocument {
    /// Document type, e.g. `ls.gov.home-affairs.passport-approval`.
    pub typ: String,
    /// Document id.
    pub id: String,
    /// Key id of the signing key.
    pub kid: String,
    /// Issued-at, `YYYY-MM-DDTHH:MM:SSZ`.
    pub iat: String,
    /// The signed envelope as RFC 8785 canonical JSON (the JSON wire form).
    pub json: String,
    /// The QR form (`LS1:` + base45), or `None` when the document is too large for a QR code
    /// (over 8192 QR characters).
    pub qr: Option<String>,
}

impl From<document::IssuedDocument> for SignedDocument {
    fn from(doc: document::IssuedDocument) -> Self {
        SignedDocument {
            typ: doc.envelope.typ().into(),
            id: doc.envelope.id().into(),
            kid: doc.envelope.kid().into(),
            iat: document::format_time(&doc.envelope.iat()),
            qr: doc.qr().ok(),
            json: doc.json,
        }
    }
}

/// One key of a trust list: who it is, when it may sign and which document types.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustListKey {
    /// The key holder's name, shown by verifiers (e.g. `Ministry of Home Affairs`).
    pub name: String,
    /// The key's algorithm.
    pub alg: Alg,
    /// The raw public key.
    pub public_key: Vec<u8>,
    /// Start of the period in which the key may sign (inclusive).
    pub not_before: DateTime<Utc>,
    /// End of that period (exclusive).
    pub not_after: DateTime<Utc>,
    /// Document types the key may sign: exact types, or `prefix.*`.
    pub doc_types: Vec<String>,
}

/// Issues signed documents with one signer, stamping `iat` from a clock.
///
/// ```
/// use eservices::ffi::{software_signer_from_seed, Issuer, TimeSource};
/// let clock = TimeSource::fixed(eservices::ffi::types::timestamp_from_text("2026-03-02T08:00:00Z")?);
/// let issuer = Issuer::new(software_signer_from_seed(vec![2; 32])?, clock)?;
/// let doc = issuer.issue("ls.gov.example.permit".into(), "P-1".into(),
///     r#"{"holder":"Palesa"}"#.into(), None, None)?;
/// assert_eq!((doc.kid, doc.iat.as_str()), (issuer.kid(), "2026-03-02T08:00:00Z"));
/// assert!(doc.qr.unwrap_or_default().starts_with("LS1:"));
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct Issuer {
    inner: document::Issuer,
}

impl Issuer {
    /// The core issuer.
    pub(crate) fn core(&self) -> &document::Issuer {
        &self.inner
    }
}

#[uniffi::export]
impl Issuer {
    /// An issuer for `signer` (its public key is checked here), reading the time from `clock`.
    #[uniffi::constructor]
    pub fn new(signer: Arc<dyn Signer>, clock: Arc<TimeSource>) -> Result<Arc<Self>, GovError> {
        let inner = document::Issuer::new(SignerAdapter::adapt(signer)?, clock.clock())?;
        Ok(Arc::new(Issuer { inner }))
    }

    /// The signing key's id.
    pub fn kid(&self) -> String {
        self.inner.kid()
    }

    /// The signing key's algorithm.
    pub fn alg(&self) -> Alg {
        self.inner.public_key().alg()
    }

    /// The signing key's raw public key.
    pub fn public_key(&self) -> Vec<u8> {
        self.inner.public_key().as_bytes().to_vec()
    }

    /// The public key as a `root.pub` line, `<alg> <base64url raw key>`, the form
    /// [`Verifier::new`] pins.
    pub fn public_key_text(&self) -> String {
        self.inner.public_key().to_string()
    }

    /// Signs a document: type `typ`, id `id`, the JSON object `payload_json` (strict JSON: no
    /// floats, no duplicate members), an optional expiry (later than now) and an optional
    /// status entry (from [`StatusListManager::allocate`]). Errors: `invalid_json`,
    /// `malformed_envelope` (a bad type, id or time), `signer_failed`.
    pub fn issue(
        &self,
        typ: String,
        id: String,
        payload_json: String,
        exp: Option<DateTime<Utc>>,
        status: Option<StatusEntry>,
    ) -> Result<SignedDocument, GovError> {
        Ok(self
            .inner
            .issue(&typ, &id, &payload_json, exp, status)?
            .into())
    }

    /// Signs a trust list with this (root) issuer: `issuer_name` (e.g. `Government of
    /// Lesotho`), sequence number `seq` (a verifier refuses a lower one later) and the keys.
    /// Errors: `malformed_envelope` (duplicate keys, an empty `doc_types`, `not_before` not
    /// before `not_after`...), `invalid_key`, `signer_failed`.
    pub fn sign_trust_list(
        &self,
        issuer_name: String,
        seq: u64,
        keys: Vec<TrustListKey>,
        exp: Option<DateTime<Utc>>,
    ) -> Result<SignedDocument, GovError> {
        let keys = keys
            .into_iter()
            .map(|k| {
                Ok(TrustedKey {
                    name: k.name,
                    public_key: PublicKey::from_raw(k.alg, &k.public_key)?,
                    not_before: k.not_before,
                    not_after: k.not_after,
                    doc_types: k.doc_types,
                })
            })
            .collect::<crate::Result<Vec<_>>>()?;
        let list = TrustList {
            issuer: issuer_name,
            seq,
            keys,
        };
        Ok(list.sign(&self.inner, exp)?.into())
    }
}

/// The issuing side of one status list: random unused indexes, revocations, signed lists.
/// The state (`allocated_bits`, `revoked_bits`) must be persisted by the caller and brought
/// back with [`restore`](Self::restore).
///
/// ```
/// use eservices::ffi::{software_signer_from_seed, Issuer, StatusListManager, TimeSource};
/// use eservices::ffi::types::timestamp_from_text;
/// let clock = TimeSource::fixed(timestamp_from_text("2026-03-02T08:00:00Z")?);
/// let issuer = Issuer::new(software_signer_from_seed(vec![2; 32])?, clock)?;
/// let manager = StatusListManager::new("home-affairs-1".into(), 131_072)?;
/// let entry = manager.allocate()?;
/// manager.revoke(entry.index)?;
/// assert!(manager.is_revoked(entry.index)?);
/// let list = manager.publish(issuer, timestamp_from_text("2026-03-09T08:00:00Z")?)?;
/// assert_eq!(list.id, "home-affairs-1");
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct StatusListManager {
    inner: Mutex<crate::status::StatusListManager>,
}

#[uniffi::export]
impl StatusListManager {
    /// An empty list `list_id` of `size` entries (a multiple of 8 from 131072 to 8388608).
    /// Errors: `invalid_status_list_size`, `malformed_envelope` (a bad id).
    #[uniffi::constructor]
    pub fn new(list_id: String, size: u64) -> Result<Arc<Self>, GovError> {
        let inner = crate::status::StatusListManager::new(&list_id, size)?;
        Ok(Arc::new(StatusListManager {
            inner: Mutex::new(inner),
        }))
    }

    /// Brings back a persisted list (every revoked index must be allocated).
    #[uniffi::constructor]
    pub fn restore(
        list_id: String,
        size: u64,
        allocated_bits: Vec<u8>,
        revoked_bits: Vec<u8>,
    ) -> Result<Arc<Self>, GovError> {
        let inner = crate::status::StatusListManager::restore(
            &list_id,
            size,
            allocated_bits,
            revoked_bits,
        )?;
        Ok(Arc::new(StatusListManager {
            inner: Mutex::new(inner),
        }))
    }

    /// The list id.
    pub fn list_id(&self) -> Result<String, GovError> {
        Ok(lock_for_change(&self.inner)?.list_id().into())
    }

    /// Allocates an unused index, uniformly at random. Error: `status_list_full`.
    pub fn allocate(&self) -> Result<StatusEntry, GovError> {
        Ok(lock_for_change(&self.inner)?.allocate()?)
    }

    /// Revokes an allocated index (twice is harmless). Errors: `status_index_out_of_range`,
    /// `status_index_not_allocated`.
    pub fn revoke(&self, index: u64) -> Result<(), GovError> {
        Ok(lock_for_change(&self.inner)?.revoke(index)?)
    }

    /// Whether an allocated index is revoked.
    pub fn is_revoked(&self, index: u64) -> Result<bool, GovError> {
        Ok(lock_for_change(&self.inner)?.is_revoked(index)?)
    }

    /// Which indexes are allocated (to persist).
    pub fn allocated_bits(&self) -> Result<Vec<u8>, GovError> {
        Ok(lock_for_change(&self.inner)?.allocated_bits().to_vec())
    }

    /// Which indexes are revoked (to persist).
    pub fn revoked_bits(&self) -> Result<Vec<u8>, GovError> {
        Ok(lock_for_change(&self.inner)?.revoked_bits().to_vec())
    }

    /// Signs the current list with `issuer` (trust-listed for `ls.gov.eservices.status-list`),
    /// to be relied on until `valid_until`. The signer runs after the list is copied, without
    /// holding the manager's lock.
    pub fn publish(
        &self,
        issuer: Arc<Issuer>,
        valid_until: DateTime<Utc>,
    ) -> Result<SignedDocument, GovError> {
        let copy = {
            let m = lock_for_change(&self.inner)?;
            crate::status::StatusListManager::restore(
                m.list_id(),
                m.size(),
                m.allocated_bits().to_vec(),
                m.revoked_bits().to_vec(),
            )?
        };
        Ok(copy.publish(issuer.core(), valid_until)?.into())
    }
}

/// The outcome of [`Verifier::verify`]: valid with the document's content, or invalid with
/// the reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerificationResult {
    /// Whether the document is genuine, trusted, current and not revoked.
    pub valid: bool,
    /// Why not, when invalid.
    pub reason: Option<Reason>,
    /// The reason's stable code (e.g. `bad_signature`, `revoked`), when invalid.
    pub reason_code: Option<String>,
    /// `VALID <typ> <id>`, or the explanation of the reason.
    pub detail: String,
    /// What a valid document says (type, id, key id, issuer name, times, payload JSON).
    pub document: Option<VerifiedDocument>,
}

impl From<verify::Verdict> for VerificationResult {
    fn from(v: verify::Verdict) -> Self {
        let text = v.to_string();
        match v {
            verify::Verdict::Valid { document } => VerificationResult {
                valid: true,
                reason: None,
                reason_code: None,
                detail: text,
                document: Some(document),
            },
            verify::Verdict::Invalid { reason, detail } => VerificationResult {
                valid: false,
                reason: Some(reason),
                reason_code: Some(reason.code().into()),
                detail,
                document: None,
            },
        }
    }
}

/// Verifies documents offline against a pinned root key and the trust list it signed, with
/// the status lists added to it.
///
/// ```
/// use eservices::ffi::{software_signer_from_seed, Issuer, TimeSource, TrustListKey, Verifier};
/// use eservices::ffi::types::timestamp_from_text as t;
/// let clock = TimeSource::fixed(t("2026-03-02T08:00:00Z")?);
/// let root = Issuer::new(software_signer_from_seed(vec![1; 32])?, clock.clone())?;
/// let ministry = Issuer::new(software_signer_from_seed(vec![2; 32])?, clock.clone())?;
/// let trust = root.sign_trust_list("Government of Lesotho".into(), 1, vec![TrustListKey {
///     name: "Ministry of Home Affairs".into(),
///     alg: ministry.alg(),
///     public_key: ministry.public_key(),
///     not_before: t("2026-01-01T00:00:00Z")?,
///     not_after: t("2028-01-01T00:00:00Z")?,
///     doc_types: vec!["ls.gov.home-affairs.*".into()],
/// }], None)?;
/// let verifier = Verifier::new(root.public_key_text(), trust.json, clock)?;
/// let doc = ministry.issue("ls.gov.home-affairs.permit".into(), "P-1".into(), "{}".into(), None, None)?;
/// assert!(verifier.verify(doc.qr.unwrap_or_default())?.valid);
/// let forged = verifier.verify(doc.json.replace("P-1", "P-2"))?;
/// assert_eq!(forged.reason_code.as_deref(), Some("bad_signature"));
/// # Ok::<(), eservices::ffi::GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct Verifier {
    inner: Mutex<verify::Verifier>,
}

impl Verifier {
    /// Runs `f` with the core verifier.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&verify::Verifier) -> T) -> Result<T, GovError> {
        let guard = lock_for_change(&self.inner)?;
        Ok(f(&guard))
    }
}

#[uniffi::export]
impl Verifier {
    /// A verifier pinned to `root_public_key` (a `root.pub` line, `<alg> <base64url raw
    /// key>`), holding `trust_list_json` (which must verify against it), reading the time
    /// from `clock`. Errors: `invalid_key`, `unsupported_alg`, `rejected` (the trust list
    /// does not verify: the detail names the reason, e.g. `trust_list_invalid`).
    #[uniffi::constructor]
    pub fn new(
        root_public_key: String,
        trust_list_json: String,
        clock: Arc<TimeSource>,
    ) -> Result<Arc<Self>, GovError> {
        let root = parse_root(&root_public_key)?;
        Self::pinned(root, &trust_list_json, &clock)
    }

    /// Like [`new`](Self::new), with the root key as algorithm and raw bytes.
    #[uniffi::constructor]
    pub fn with_root_key(
        alg: Alg,
        root_public_key: Vec<u8>,
        trust_list_json: String,
        clock: Arc<TimeSource>,
    ) -> Result<Arc<Self>, GovError> {
        let root = PublicKey::from_raw(alg, &root_public_key)?;
        Self::pinned(root, &trust_list_json, &clock)
    }

    /// Adds a signed status list (or replaces the held one with a newer one), after verifying
    /// it against the trust list. Error: `rejected` (with the reason in the detail).
    pub fn add_status_list(&self, json: String) -> Result<(), GovError> {
        Ok(lock_for_change(&self.inner)?.add_status_list(&json)?)
    }

    /// Replaces the trust list with a newer one (a lower `seq` is refused:
    /// `trust_list_rollback` in the detail of a `rejected` error).
    pub fn update_trust_list(&self, json: String) -> Result<(), GovError> {
        Ok(lock_for_change(&self.inner)?.update_trust_list(&json)?)
    }

    /// The sequence number of the trust list in force (to persist against rollback).
    pub fn trust_list_seq(&self) -> Result<u64, GovError> {
        Ok(lock_for_change(&self.inner)?.trust_list().seq)
    }

    /// Verifies a document given as JSON or as QR text (`LS1:`...). An invalid document is a
    /// result with `valid == false` and a reason, not an error; the error is only for a
    /// verifier made unusable by an earlier internal failure.
    pub fn verify(&self, text: String) -> Result<VerificationResult, GovError> {
        Ok(lock_for_change(&self.inner)?.verify(&text).into())
    }

    /// Verifies many documents in one call: the results of [`verify`](Self::verify) for each
    /// text, in order. For checking in bulk (a file of receipts, a day's scans), where
    /// crossing into the library once per document would cost more than verifying it: from
    /// Python, one crossing costs about 20 µs, an Ed25519 verification 35 µs (README,
    /// "Performance").
    pub fn verify_all(&self, texts: Vec<String>) -> Result<Vec<VerificationResult>, GovError> {
        let verifier = lock_for_change(&self.inner)?;
        Ok(texts.iter().map(|t| verifier.verify(t).into()).collect())
    }
}

impl Verifier {
    fn pinned(
        root: PublicKey,
        trust_list_json: &str,
        clock: &TimeSource,
    ) -> Result<Arc<Self>, GovError> {
        let inner = verify::Verifier::new(root, trust_list_json, clock.clock())?;
        Ok(Arc::new(Verifier {
            inner: Mutex::new(inner),
        }))
    }
}

/// The stable code of a verification reason (e.g. `Reason.BAD_SIGNATURE` → `bad_signature`).
#[uniffi::export]
pub fn reason_code(reason: Reason) -> String {
    reason.code().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::types::timestamp_from_text as t;

    fn clock() -> Arc<TimeSource> {
        TimeSource::fixed(t("2026-03-02T08:00:00Z").unwrap())
    }

    struct Raising;
    impl Signer for Raising {
        fn alg(&self) -> Result<Alg, GovError> {
            Ok(Alg::Ed25519)
        }
        fn public_key(&self) -> Result<Vec<u8>, GovError> {
            software_signer_from_seed(vec![4; 32])?.public_key()
        }
        fn sign(&self, _message: Vec<u8>) -> Result<Vec<u8>, GovError> {
            Err(GovError::Refused {
                code: "pin_locked".into(),
                detail: "x".repeat(10_000),
            })
        }
    }

    #[test]
    fn a_raising_signer_is_signer_failed_with_a_short_detail() {
        let issuer = Issuer::new(Arc::new(Raising), clock()).unwrap();
        let e = issuer
            .issue("ls.gov.t".into(), "1".into(), "{}".into(), None, None)
            .unwrap_err();
        assert!(matches!(e, GovError::Internal { .. }), "{e:?}");
        assert_eq!(e.code(), "signer_failed");
        assert!(e.to_string().contains("pin_locked"));
        assert!(e.to_string().len() < 400);
    }

    struct NoKey;
    impl Signer for NoKey {
        fn alg(&self) -> Result<Alg, GovError> {
            Ok(Alg::Es256)
        }
        fn public_key(&self) -> Result<Vec<u8>, GovError> {
            Err(GovError::NotFound {
                code: "no_key".into(),
                detail: "keystore empty".into(),
            })
        }
        fn sign(&self, _message: Vec<u8>) -> Result<Vec<u8>, GovError> {
            Ok(vec![0; 64])
        }
    }

    #[test]
    fn a_signer_without_a_key_is_refused_up_front() {
        let e = Issuer::new(Arc::new(NoKey), clock()).unwrap_err();
        assert_eq!(e.code(), "signer_failed");
    }

    #[test]
    fn a_signer_returning_garbage_is_caught() {
        struct Zeros;
        impl Signer for Zeros {
            fn alg(&self) -> Result<Alg, GovError> {
                Ok(Alg::Ed25519)
            }
            fn public_key(&self) -> Result<Vec<u8>, GovError> {
                software_signer_from_seed(vec![4; 32])?.public_key()
            }
            fn sign(&self, _message: Vec<u8>) -> Result<Vec<u8>, GovError> {
                Ok(vec![0; 64])
            }
        }
        let issuer = Issuer::new(Arc::new(Zeros), clock()).unwrap();
        let e = issuer
            .issue("ls.gov.t".into(), "1".into(), "{}".into(), None, None)
            .unwrap_err();
        assert_eq!(e.code(), "signer_failed");
    }

    #[test]
    fn keys_round_trip_through_pkcs8() {
        for alg in [Alg::Ed25519, Alg::Es256] {
            let der = generate_pkcs8(alg).unwrap();
            let a = software_signer_from_pkcs8(alg, der.clone()).unwrap();
            let b = software_signer_from_pkcs8(alg, der).unwrap();
            assert_eq!(a.public_key().unwrap(), b.public_key().unwrap());
            let text = public_key_text(alg, a.public_key().unwrap()).unwrap();
            assert!(text.starts_with(alg.name()));
            assert_eq!(key_id(alg, a.public_key().unwrap()).unwrap().len(), 22);
        }
        let e = software_signer_from_pkcs8(Alg::Ed25519, vec![1, 2, 3]).err();
        assert_eq!(e.map(|e| e.code().to_string()), Some("invalid_key".into()));
    }

    #[test]
    fn a_huge_root_key_line_is_refused_briefly() {
        let e = Verifier::new("A".repeat(1 << 20), "{}".into(), clock()).unwrap_err();
        assert_eq!(e.code(), "invalid_key");
        assert!(e.to_string().len() < 300);
    }

    #[test]
    fn revocation_through_a_published_list() {
        let c = clock();
        let root = Issuer::new(software_signer_from_seed(vec![1; 32]).unwrap(), c.clone()).unwrap();
        let m = Issuer::new(software_signer_from_seed(vec![2; 32]).unwrap(), c.clone()).unwrap();
        let trust = root
            .sign_trust_list(
                "GoL".into(),
                1,
                vec![TrustListKey {
                    name: "Home Affairs".into(),
                    alg: m.alg(),
                    public_key: m.public_key(),
                    not_before: t("2026-01-01T00:00:00Z").unwrap(),
                    not_after: t("2027-01-01T00:00:00Z").unwrap(),
                    doc_types: vec![
                        "ls.gov.home-affairs.*".into(),
                        "ls.gov.eservices.status-list".into(),
                    ],
                }],
                None,
            )
            .unwrap();
        let v = Verifier::new(root.public_key_text(), trust.json, c).unwrap();
        let lists = StatusListManager::new("ha-1".into(), 131_072).unwrap();
        let entry = lists.allocate().unwrap();
        let doc = m
            .issue(
                "ls.gov.home-affairs.letter".into(),
                "L-1".into(),
                "{}".into(),
                None,
                Some(entry.clone()),
            )
            .unwrap();
        let plain = m
            .issue(
                "ls.gov.home-affairs.letter".into(),
                "L-2".into(),
                "{}".into(),
                None,
                None,
            )
            .unwrap();
        assert_eq!(
            v.verify(doc.json.clone()).unwrap().reason,
            Some(Reason::StatusUnknown)
        );
        let until = t("2026-03-09T08:00:00Z").unwrap();
        v.add_status_list(lists.publish(m.clone(), until).unwrap().json)
            .unwrap();
        assert!(v.verify(doc.json.clone()).unwrap().valid);
        lists.revoke(entry.index).unwrap();
        v.add_status_list(lists.publish(m, until).unwrap().json)
            .unwrap();
        let r = v.verify(doc.json.clone()).unwrap();
        assert_eq!(
            (r.valid, r.reason_code.as_deref()),
            (false, Some("revoked"))
        );
        assert_eq!(reason_code(Reason::Revoked), "revoked");
        // In bulk: each result is the one-at-a-time result, in order.
        let texts = vec![
            plain.json.clone(),
            doc.json.clone(),
            "not a document".into(),
            plain.json.replace("L-2", "L-3"),
            plain.qr.clone().unwrap(),
        ];
        let one_by_one: Vec<VerificationResult> =
            texts.iter().map(|t| v.verify(t.clone()).unwrap()).collect();
        assert_eq!(v.verify_all(texts).unwrap(), one_by_one);
        assert_eq!(
            one_by_one
                .iter()
                .map(|r| r.reason_code.as_deref())
                .collect::<Vec<_>>(),
            [
                None,
                Some("revoked"),
                Some("malformed"),
                Some("bad_signature"),
                None
            ]
        );
        assert!(v.verify_all(vec![]).unwrap().is_empty());
    }
}
