//! The `eddsa-jcs-2022` cryptosuite of W3C Data Integrity EdDSA Cryptosuites v1.0 (§3.3), step
//! by step: Transformation (JCS of the unsecured document), Proof Configuration (JCS of the
//! proof options, which carry the document's `@context`), Hashing (SHA-256 of each,
//! `proofConfigHash || transformedDocumentHash`, 64 bytes), Proof Serialization (Ed25519 over
//! those 64 bytes) and Create / Verify Proof. `proofValue` is multibase base58btc of the
//! 64-byte signature.
//!
//! The functions work on any JSON object, not only on credentials made by this crate: the
//! official W3C test vectors go through them byte for byte (`tests/vc_w3c_vectors.rs`).
//!
//! ```
//! use eservices::document::{parse_time, PublicKey, Signer, SoftwareSigner};
//! use eservices::vc::{did_key, eddsa_jcs_2022 as suite};
//! use serde_json::json;
//!
//! let signer = SoftwareSigner::ed25519_from_seed(&[4; 32])?;
//! let key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
//! let document = json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2"],
//!     "type": ["VerifiableCredential"],
//!     "issuer": did_key::did(&key)?,
//!     "credentialSubject": {"name": "Lineo"}
//! });
//! let document = document.as_object().cloned().unwrap_or_default();
//! let created = parse_time("2026-03-01T09:30:00Z")?;
//! let options = suite::proof_options(&did_key::verification_method(&key)?, Some(&created));
//! let secured = suite::add_proof(document, &options, &signer)?;
//! assert!(secured["proof"]["proofValue"].as_str().unwrap_or("").starts_with('z'));
//! # Ok::<(), eservices::Error>(())
//! ```

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::did_key::{self, Unresolved};
use super::verify::VcReason;
use super::{format_datetime, parse_datetime_stamp};
use crate::document::{Alg, PublicKey, Signer, SIGNATURE_LEN};
use crate::{Error, Result};

/// The proof `type` of every Data Integrity proof this suite makes.
pub const PROOF_TYPE: &str = "DataIntegrityProof";

/// The cryptosuite identifier.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// The proof purpose of credentials: the issuer asserts the claims.
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// The proof members this verifier understands. Anything else (`domain`, `challenge`,
/// `nonce`, `previousProof`...) is refused rather than silently ignored.
const PROOF_MEMBERS: [&str; 9] = [
    "@context",
    "type",
    "cryptosuite",
    "created",
    "expires",
    "verificationMethod",
    "proofPurpose",
    "proofValue",
    "id",
];

fn invalid(path: &str, reason: impl Into<String>) -> Error {
    Error::InvalidProofOptions {
        path: path.into(),
        reason: reason.into(),
    }
}

/// Proof options for a new assertion proof: `type` `DataIntegrityProof`, `cryptosuite`
/// `eddsa-jcs-2022`, `verificationMethod`, `proofPurpose` `assertionMethod` and, when given,
/// `created` (whole seconds, `YYYY-MM-DDTHH:MM:SSZ`).
pub fn proof_options(
    verification_method: &str,
    created: Option<&DateTime<Utc>>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), Value::from(PROOF_TYPE));
    m.insert("cryptosuite".into(), Value::from(CRYPTOSUITE));
    if let Some(created) = created {
        m.insert("created".into(), Value::from(format_datetime(created)));
    }
    m.insert(
        "verificationMethod".into(),
        Value::from(verification_method),
    );
    m.insert("proofPurpose".into(), Value::from(ASSERTION_METHOD));
    m
}

fn check_suite(path: &str, options: &Map<String, Value>) -> Result<()> {
    if options.get("type").and_then(Value::as_str) != Some(PROOF_TYPE) {
        return Err(invalid(path, format!("type must be {PROOF_TYPE:?}")));
    }
    if options.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE) {
        return Err(invalid(
            path,
            format!("cryptosuite must be {CRYPTOSUITE:?}"),
        ));
    }
    Ok(())
}

/// §3.3.3 Transformation: the RFC 8785 (JCS) canonical form of the unsecured document, after
/// checking that `options` name this suite.
pub fn transform(
    unsecured_document: &Map<String, Value>,
    options: &Map<String, Value>,
) -> Result<Vec<u8>> {
    check_suite("$.proof", options)?;
    crate::json::canonical(unsecured_document)
}

/// §3.3.5 Proof Configuration: checks `type`, `cryptosuite` and `created` (an XML Schema
/// date-time with a time zone, if present) and returns the JCS canonical form of the options.
/// The options must already carry the document's `@context` when it has one (as
/// [`create_proof`] arranges).
pub fn proof_configuration(options: &Map<String, Value>) -> Result<Vec<u8>> {
    check_suite("$.proof", options)?;
    if let Some(created) = options.get("created") {
        let ok = created
            .as_str()
            .map(|s| parse_datetime_stamp(s).is_some())
            .unwrap_or(false);
        if !ok {
            return Err(invalid(
                "$.proof.created",
                "must be a date-time with a time zone (XML Schema dateTimeStamp)",
            ));
        }
    }
    if options.contains_key("proofValue") {
        return Err(invalid(
            "$.proof.proofValue",
            "proof options must not carry a proofValue",
        ));
    }
    crate::json::canonical(options)
}

/// §3.3.4 Hashing: SHA-256 of the canonical proof configuration followed by SHA-256 of the
/// transformed document (64 bytes).
pub fn hash(transformed_document: &[u8], canonical_proof_config: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    let config_hash = ring::digest::digest(&ring::digest::SHA256, canonical_proof_config);
    let document_hash = ring::digest::digest(&ring::digest::SHA256, transformed_document);
    let (first, second) = out.split_at_mut(32);
    first.copy_from_slice(config_hash.as_ref());
    second.copy_from_slice(document_hash.as_ref());
    out
}

/// §3.3.6 Proof Serialization: the Ed25519 signature of `hash_data` by `signer`, checked
/// against the signer's own public key (a faulty or non-Ed25519 signer is refused).
pub fn serialize_proof(hash_data: &[u8], signer: &dyn Signer) -> Result<Vec<u8>> {
    let key = signer_key(signer)?;
    let signature = signer.sign(hash_data)?;
    if signature.len() != SIGNATURE_LEN || !key.verify(hash_data, &signature) {
        return Err(Error::SignerFailed {
            reason: "the signer did not return a valid 64-byte Ed25519 signature".into(),
        });
    }
    Ok(signature)
}

/// §3.3.7 Proof Verification: whether `proof_bytes` is the Ed25519 signature of `hash_data`.
pub fn verify_signature(hash_data: &[u8], proof_bytes: &[u8], key: &PublicKey) -> bool {
    key.alg() == Alg::Ed25519 && key.verify(hash_data, proof_bytes)
}

fn signer_key(signer: &dyn Signer) -> Result<PublicKey> {
    if signer.alg() != Alg::Ed25519 {
        return Err(Error::VcUnsupportedAlg {
            alg: signer.alg().name().into(),
        });
    }
    PublicKey::from_raw(Alg::Ed25519, &signer.public_key())
}

/// §3.3.1 Create Proof: returns the proof (the options, the document's `@context` when it has
/// one, and `proofValue`). `options.verificationMethod` must be the signer's `did:key`
/// verification method.
///
/// Errors: [`Error::VcUnsupportedAlg`] for a signer that is not Ed25519,
/// [`Error::InvalidProofOptions`] for options this suite refuses, [`Error::SignerFailed`].
pub fn create_proof(
    unsecured_document: &Map<String, Value>,
    options: &Map<String, Value>,
    signer: &dyn Signer,
) -> Result<Map<String, Value>> {
    let key = signer_key(signer)?;
    if unsecured_document.contains_key("proof") {
        return Err(invalid(
            "$.proof",
            "the document already has a proof (proof sets are not supported)",
        ));
    }
    let method = options
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("$.proof.verificationMethod", "missing or not a string"))?;
    match did_key::resolve_detailed(method) {
        Ok(k) if k == key => {}
        Ok(_) => {
            return Err(invalid(
                "$.proof.verificationMethod",
                "names a key other than the signer's",
            ))
        }
        Err(e) => {
            return Err(invalid(
                "$.proof.verificationMethod",
                format!(
                    "must be the signer's did:key verification method: {}",
                    e.reason()
                ),
            ))
        }
    }
    let mut proof = options.clone();
    if let Some(context) = unsecured_document.get("@context") {
        proof.insert("@context".into(), context.clone());
    }
    let proof_config = proof_configuration(&proof)?;
    let transformed = transform(unsecured_document, options)?;
    let hash_data = hash(&transformed, &proof_config);
    let proof_bytes = serialize_proof(&hash_data, signer)?;
    proof.insert(
        "proofValue".into(),
        Value::from(did_key::multibase_encode(&proof_bytes)),
    );
    Ok(proof)
}

/// Secures a document: [`create_proof`], then the document with the proof as its `proof`
/// member.
pub fn add_proof(
    mut unsecured_document: Map<String, Value>,
    options: &Map<String, Value>,
    signer: &dyn Signer,
) -> Result<Map<String, Value>> {
    let proof = create_proof(&unsecured_document, options, signer)?;
    unsecured_document.insert("proof".into(), Value::Object(proof));
    Ok(unsecured_document)
}

/// What a proof that verifies says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerifiedProof {
    /// The key that signed (resolved from the did:key verification method).
    pub(crate) key: PublicKey,
    /// The verification method as written.
    pub(crate) verification_method: String,
    /// `created`, if present.
    pub(crate) created: Option<DateTime<Utc>>,
    /// `expires`, if present.
    pub(crate) expires: Option<DateTime<Utc>>,
    /// The verified document: the secured document without `proof`, with the proof's
    /// `@context` when the proof has one (§3.3.2 step 4).
    pub(crate) document: Map<String, Value>,
}

type Refusal = (VcReason, String);

fn malformed(detail: impl Into<String>) -> Refusal {
    (VcReason::Malformed, detail.into())
}

fn proof_string<'a>(
    proof: &'a Map<String, Value>,
    name: &str,
) -> std::result::Result<&'a str, Refusal> {
    match proof.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(malformed(format!("proof.{name} must be a string"))),
        None => Err(malformed(format!("proof.{name} is missing"))),
    }
}

fn optional_time(
    proof: &Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<DateTime<Utc>>, Refusal> {
    match proof.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => parse_datetime_stamp(s).map(Some).ok_or_else(|| {
            malformed(format!(
                "proof.{name} must be a date-time with a time zone (XML Schema dateTimeStamp)"
            ))
        }),
        Some(_) => Err(malformed(format!("proof.{name} must be a string"))),
    }
}

fn context_items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// §3.3.2 Verify Proof, with the Data Integrity checks of the proof's members: exactly one
/// proof object, `type`/`cryptosuite` of this suite, `proofPurpose` `assertionMethod`, a
/// did:key Ed25519 verification method, a 64-byte base58btc `proofValue`, the proof's
/// `@context` a prefix of the document's, and the signature.
pub(crate) fn verify_proof(
    secured_document: &Map<String, Value>,
) -> std::result::Result<VerifiedProof, Refusal> {
    let mut unsecured = secured_document.clone();
    let proof = match unsecured.remove("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(_)) => {
            return Err((
                VcReason::UnsupportedCryptosuite,
                "proof sets and chains are not supported: exactly one proof object".into(),
            ))
        }
        Some(_) => return Err(malformed("proof must be a JSON object")),
        None => return Err(malformed("the credential has no proof")),
    };
    if let Some(unknown) = proof.keys().find(|k| !PROOF_MEMBERS.contains(&k.as_str())) {
        return Err(malformed(format!(
            "proof member {unknown:?} is not supported"
        )));
    }
    let proof_type = proof_string(&proof, "type")?;
    let suite = proof_string(&proof, "cryptosuite")?;
    if proof_type != PROOF_TYPE || suite != CRYPTOSUITE {
        return Err((
            VcReason::UnsupportedCryptosuite,
            format!(
                "proof is {proof_type} / {suite}; only {PROOF_TYPE} / {CRYPTOSUITE} is supported"
            ),
        ));
    }
    let method = proof_string(&proof, "verificationMethod")?;
    let purpose = proof_string(&proof, "proofPurpose")?;
    if purpose != ASSERTION_METHOD {
        return Err((
            VcReason::WrongProofPurpose,
            format!("proofPurpose is {purpose:?}; a credential needs {ASSERTION_METHOD:?}"),
        ));
    }
    if let Some(id) = proof.get("id") {
        if !id.is_string() {
            return Err(malformed("proof.id must be a string"));
        }
    }
    let created = optional_time(&proof, "created")?;
    let expires = optional_time(&proof, "expires")?;
    let proof_value = proof_string(&proof, "proofValue")?;
    let proof_bytes = did_key::multibase_decode(proof_value)
        .map_err(|e| malformed(format!("proof.proofValue: {e}")))?;
    if proof_bytes.len() != SIGNATURE_LEN {
        return Err(malformed(format!(
            "proof.proofValue holds {} bytes; an Ed25519 signature is {SIGNATURE_LEN}",
            proof_bytes.len()
        )));
    }
    let key = match did_key::resolve_detailed(method) {
        Ok(key) => key,
        Err(Unresolved::Unsupported(r)) => return Err((VcReason::UnsupportedKey, r)),
        Err(Unresolved::Malformed(r)) => {
            return Err(malformed(format!("proof.verificationMethod: {r}")))
        }
    };
    if !method.contains('#') {
        return Err(malformed(
            "proof.verificationMethod must name a verification method (did:key:<key>#<key>)",
        ));
    }
    let mut options = proof.clone();
    options.remove("proofValue");
    if let Some(proof_context) = options.get("@context") {
        let wanted = context_items(proof_context);
        let have = unsecured
            .get("@context")
            .map(context_items)
            .unwrap_or_default();
        if wanted.len() > have.len() || wanted.iter().zip(&have).any(|(a, b)| a != b) {
            return Err((
                VcReason::ContextMismatch,
                "the document's @context does not start with the proof's @context".into(),
            ));
        }
        unsecured.insert("@context".into(), proof_context.clone());
    }
    let transformed = transform(&unsecured, &options).map_err(|e| malformed(e.to_string()))?;
    let proof_config = proof_configuration(&options).map_err(|e| malformed(e.to_string()))?;
    let hash_data = hash(&transformed, &proof_config);
    if !verify_signature(&hash_data, &proof_bytes, &key) {
        return Err((
            VcReason::BadSignature,
            format!("the eddsa-jcs-2022 proof does not verify under {method}"),
        ));
    }
    Ok(VerifiedProof {
        key,
        verification_method: method.into(),
        created,
        expires,
        document: unsecured,
    })
}
