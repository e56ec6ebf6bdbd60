//! Verifying W3C credentials offline: [`VcVerifier`] turns any input into a [`VcVerdict`] with
//! a stable [`VcReason`] code, and never panics.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::eddsa_jcs_2022::{self, VerifiedProof};
use super::{
    did_key, parse_credential_id, parse_datetime_stamp, BITSTRING_STATUS_LIST_ENTRY,
    CREDENTIALS_V2_CONTEXT, REVOCATION, VERIFIABLE_CREDENTIAL,
};
use crate::document::{format_time, SignedEnvelope};
use crate::status::{StatusList, STATUS_LIST_TYPE};
use crate::verify::{earlier, later, Reason, Verdict, Verifier};
use crate::{Clock, Error, Result};

/// Why a credential is invalid. Each reason has a stable [`code`](VcReason::code); codes
/// shared with [`crate::verify::Reason`] mean the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum VcReason {
    /// Not a well-formed credential or proof: bad JSON (floats included), a missing or
    /// mistyped member, a first `@context` other than VC 2.0, an unsupported proof member, a
    /// `proofValue` that is not 64 bytes of base58btc, a broken `did:key`...
    Malformed,
    /// A proof other than one `DataIntegrityProof` of cryptosuite `eddsa-jcs-2022`.
    UnsupportedCryptosuite,
    /// The verification method is not an Ed25519 `did:key` (another DID method, another key
    /// type, or an Ed25519 key of small order).
    UnsupportedKey,
    /// `proofPurpose` is not `assertionMethod`.
    WrongProofPurpose,
    /// The document's `@context` does not begin with the proof's `@context`.
    ContextMismatch,
    /// The signature does not verify.
    BadSignature,
    /// The issuer is a `did:key` other than the signing key's (or, against a trust list, not
    /// the signing key's `did:key`).
    IssuerMismatch,
    /// Against a trust list: the signing key is not in it.
    UnknownKey,
    /// Against a trust list: `validFrom` or the proof's `created` lies outside the key's
    /// validity.
    KeyNotValidAtIssue,
    /// Against a trust list: the key may not sign this document type, or the credential does
    /// not name one.
    DocTypeNotAuthorised,
    /// `validFrom` or the proof's `created` is in the future (beyond the allowed skew).
    NotYetValid,
    /// `validUntil` or the proof's `expires` has passed (beyond the allowed skew).
    Expired,
    /// The status list marks the credential as revoked.
    Revoked,
    /// The credential has a status entry that no held, current status list answers.
    StatusUnknown,
}

impl VcReason {
    /// Every reason, in declaration order.
    pub const ALL: [VcReason; 14] = [
        VcReason::Malformed,
        VcReason::UnsupportedCryptosuite,
        VcReason::UnsupportedKey,
        VcReason::WrongProofPurpose,
        VcReason::ContextMismatch,
        VcReason::BadSignature,
        VcReason::IssuerMismatch,
        VcReason::UnknownKey,
        VcReason::KeyNotValidAtIssue,
        VcReason::DocTypeNotAuthorised,
        VcReason::NotYetValid,
        VcReason::Expired,
        VcReason::Revoked,
        VcReason::StatusUnknown,
    ];

    /// The stable code, e.g. `unsupported_cryptosuite`.
    ///
    /// ```
    /// use eservices::vc::VcReason;
    /// assert_eq!(VcReason::BadSignature.code(), "bad_signature");
    /// assert_eq!(VcReason::from_code("context_mismatch"), Some(VcReason::ContextMismatch));
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            VcReason::Malformed => "malformed",
            VcReason::UnsupportedCryptosuite => "unsupported_cryptosuite",
            VcReason::UnsupportedKey => "unsupported_key",
            VcReason::WrongProofPurpose => "wrong_proof_purpose",
            VcReason::ContextMismatch => "context_mismatch",
            VcReason::BadSignature => "bad_signature",
            VcReason::IssuerMismatch => "issuer_mismatch",
            VcReason::UnknownKey => "unknown_key",
            VcReason::KeyNotValidAtIssue => "key_not_valid_at_issue",
            VcReason::DocTypeNotAuthorised => "doc_type_not_authorised",
            VcReason::NotYetValid => "not_yet_valid",
            VcReason::Expired => "expired",
            VcReason::Revoked => "revoked",
            VcReason::StatusUnknown => "status_unknown",
        }
    }

    /// The reason with this code, if any.
    pub fn from_code(code: &str) -> Option<VcReason> {
        VcReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for VcReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a valid credential says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct VerifiedCredential {
    /// The credential's `id`, if any.
    pub id: Option<String>,
    /// Its types (`VerifiableCredential` first for this crate's exports).
    pub types: Vec<String>,
    /// The issuer's id as the credential states it.
    pub issuer: String,
    /// The verification method that signed: `did:key:z6Mk...#z6Mk...`.
    pub verification_method: String,
    /// The key id (this crate's `kid`) of the signing key.
    pub kid: String,
    /// The signing key's name in the trust list, when verified against one; `None` when only
    /// the signature was checked.
    pub trusted_key_name: Option<String>,
    /// The document type, when the id is this crate's `urn:ls-gov:<type>:<id>`.
    pub document_type: Option<String>,
    /// The document id, when the id is this crate's `urn:ls-gov:<type>:<id>`.
    pub document_id: Option<String>,
    /// `validFrom` as written, if any.
    pub valid_from: Option<String>,
    /// `validUntil` as written, if any.
    pub valid_until: Option<String>,
    /// The proof's `created` as written, if any.
    pub created: Option<String>,
    /// `credentialSubject` as canonical JSON.
    pub subject: String,
    /// The verified document (without `proof`; its `@context` is the proof's) as canonical
    /// JSON.
    pub credential: String,
}

/// The outcome of verifying a credential.
// Crosses the FFI by value, where a `Box` cannot go; a verdict is made once per check.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum VcVerdict {
    /// The proof verifies and every check of the verifier's mode passed.
    Valid {
        /// What the credential says.
        credential: VerifiedCredential,
    },
    /// Not to be relied on.
    Invalid {
        /// Why (stable code).
        reason: VcReason,
        /// Human-readable explanation.
        detail: String,
    },
}

impl VcVerdict {
    fn invalid(reason: VcReason, detail: impl Into<String>) -> VcVerdict {
        VcVerdict::Invalid {
            reason,
            detail: detail.into(),
        }
    }

    /// Whether the credential is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, VcVerdict::Valid { .. })
    }

    /// The reason, if invalid.
    pub fn reason(&self) -> Option<VcReason> {
        match self {
            VcVerdict::Valid { .. } => None,
            VcVerdict::Invalid { reason, .. } => Some(*reason),
        }
    }
}

impl fmt::Display for VcVerdict {
    /// `VALID <document type> <document id>` for this crate's credentials, `VALID <credential
    /// id> (issuer <issuer>)` for others, followed by ` (signed by <did:key>; no trust list)`
    /// when the signer was not checked against a trust list; or `INVALID <code>: <detail>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VcVerdict::Valid { credential: c } => {
                match (&c.document_type, &c.document_id) {
                    (Some(typ), Some(id)) => write!(f, "VALID {typ} {id}")?,
                    _ => write!(
                        f,
                        "VALID {} (issuer {})",
                        c.id.as_deref().unwrap_or("credential without id"),
                        c.issuer
                    )?,
                }
                if c.trusted_key_name.is_none() {
                    let signer = c
                        .verification_method
                        .split_once('#')
                        .map_or(c.verification_method.as_str(), |(did, _)| did);
                    write!(f, " (signed by {signer}; no trust list)")?;
                }
                Ok(())
            }
            VcVerdict::Invalid { reason, detail } => write!(f, "INVALID {reason}: {detail}"),
        }
    }
}

struct HeldStatusList {
    list: StatusList,
    envelope: SignedEnvelope,
}

/// Verifies W3C credentials secured with `eddsa-jcs-2022`, offline.
///
/// Two modes:
///
/// * [`VcVerifier::new`] checks the credential and its proof, **not who the signer is**: a
///   valid verdict says that the key in `verification_method` signed exactly this credential.
///   An issuer that is a `did:key` must be that key; an issuer of another kind (an `https`
///   URL, as in the W3C test vectors) cannot be checked offline and is reported as stated.
/// * [`VcVerifier::with_trust_list`] also requires the signing key to be in the trust list of
///   a [`Verifier`] (verified against its pinned root), valid at `validFrom` and `created`,
///   authorised for the document type named by the credential id, and the issuer to be the
///   key's `did:key`: the same guarantees as a signed envelope.
///
/// A credential with a `credentialStatus` is valid only when a held status list (see
/// [`add_status_list`](Self::add_status_list)) answers for every entry: otherwise
/// `status_unknown`, as for envelopes. Times are checked with a skew of
/// [`Verifier::DEFAULT_SKEW_SECONDS`] unless set with [`with_skew`](Self::with_skew).
pub struct VcVerifier {
    clock: Arc<dyn Clock>,
    skew: Duration,
    trust: Option<Verifier>,
    /// Held status lists by (signing key id, list id).
    status: BTreeMap<(String, String), HeldStatusList>,
}

fn rejected(reason: Reason, detail: impl Into<String>) -> Error {
    Error::Rejected {
        what: "status list".into(),
        reason,
        detail: detail.into(),
    }
}

type Check<T> = std::result::Result<T, (VcReason, String)>;

fn malformed<T>(detail: impl Into<String>) -> Check<T> {
    Err((VcReason::Malformed, detail.into()))
}

/// The members of a credential that the verifier reads, checked for form.
struct Claims {
    id: Option<String>,
    types: Vec<String>,
    issuer: String,
    valid_from: Option<(String, DateTime<Utc>)>,
    valid_until: Option<(String, DateTime<Utc>)>,
    status: Vec<Map<String, Value>>,
}

fn read_time(doc: &Map<String, Value>, name: &str) -> Check<Option<(String, DateTime<Utc>)>> {
    match doc.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => match parse_datetime_stamp(s) {
            Some(t) => Ok(Some((s.clone(), t))),
            None => malformed(format!(
                "{name} must be a date-time with a time zone (XML Schema dateTimeStamp)"
            )),
        },
        Some(_) => malformed(format!("{name} must be a string")),
    }
}

/// Checks the VC 2.0 data model members this verifier relies on.
fn read_claims(doc: &Map<String, Value>) -> Check<Claims> {
    match doc.get("@context") {
        Some(Value::Array(items)) => {
            if items.first().and_then(Value::as_str) != Some(CREDENTIALS_V2_CONTEXT) {
                return malformed(format!(
                    "the first @context must be {CREDENTIALS_V2_CONTEXT:?} (VC 2.0)"
                ));
            }
            if !items.iter().all(|c| c.is_string() || c.is_object()) {
                return malformed("@context entries must be URLs or objects");
            }
        }
        Some(_) => return malformed("@context must be an array"),
        None => return malformed("@context is missing"),
    }
    let types: Vec<String> = match doc.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| t.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or((
                VcReason::Malformed,
                "type entries must be strings".to_string(),
            ))?,
        Some(_) => return malformed("type must be a string or an array"),
        None => return malformed("type is missing"),
    };
    if !types.iter().any(|t| t == VERIFIABLE_CREDENTIAL) {
        return malformed(format!("type must include {VERIFIABLE_CREDENTIAL:?}"));
    }
    let id = match doc.get("id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return malformed("id must be a string"),
    };
    let issuer = match doc.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => match o.get("id") {
            Some(Value::String(s)) => s.clone(),
            _ => return malformed("issuer.id must be a string"),
        },
        Some(_) => return malformed("issuer must be a URL or an object with an id"),
        None => return malformed("issuer is missing"),
    };
    match doc.get("credentialSubject") {
        Some(Value::Object(_)) => {}
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_object) => {}
        Some(_) => return malformed("credentialSubject must be an object or objects"),
        None => return malformed("credentialSubject is missing"),
    }
    let status = match doc.get("credentialStatus") {
        None => Vec::new(),
        Some(Value::Object(o)) => vec![o.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|s| s.as_object().cloned())
            .collect::<Option<_>>()
            .ok_or((
                VcReason::Malformed,
                "credentialStatus entries must be objects".to_string(),
            ))?,
        Some(_) => return malformed("credentialStatus must be an object or objects"),
    };
    Ok(Claims {
        id,
        types,
        issuer,
        valid_from: read_time(doc, "validFrom")?,
        valid_until: read_time(doc, "validUntil")?,
        status,
    })
}

impl VcVerifier {
    /// A verifier that checks credentials and their proofs, but not who signed (see the type's
    /// documentation).
    pub fn new(clock: Arc<dyn Clock>) -> VcVerifier {
        VcVerifier {
            clock,
            skew: Duration::seconds(Verifier::DEFAULT_SKEW_SECONDS),
            trust: None,
            status: BTreeMap::new(),
        }
    }

    /// A verifier that also requires the signing key to be in `trust`'s verified trust list
    /// and authorised for the credential's document type (see the type's documentation).
    pub fn with_trust_list(trust: Verifier, clock: Arc<dyn Clock>) -> VcVerifier {
        VcVerifier {
            trust: Some(trust),
            ..VcVerifier::new(clock)
        }
    }

    /// Sets the tolerated clock skew (negative values count as zero).
    pub fn with_skew(mut self, skew: Duration) -> VcVerifier {
        self.skew = skew.max(Duration::zero());
        self
    }

    /// The trust-list verifier, in trust-list mode.
    pub fn trust(&self) -> Option<&Verifier> {
        self.trust.as_ref()
    }

    /// Holds a signed status list (an envelope of type
    /// [`STATUS_LIST_TYPE`](crate::status::STATUS_LIST_TYPE)) for the credentials' status
    /// entries, replacing an older one with the same id from the same key. In trust-list mode
    /// it must verify
    /// against the trust list now; otherwise it is accepted for a credential only when the
    /// credential's own signing key signed it. Errors: [`Error::Rejected`].
    pub fn add_status_list(&mut self, json: &str) -> Result<()> {
        let envelope =
            SignedEnvelope::parse(json).map_err(|e| rejected(Reason::Malformed, e.to_string()))?;
        if envelope.typ() != STATUS_LIST_TYPE {
            return Err(rejected(
                Reason::Malformed,
                format!("type is {:?}, not {STATUS_LIST_TYPE:?}", envelope.typ()),
            ));
        }
        if let Some(trust) = &self.trust {
            if let Verdict::Invalid { reason, detail } = trust.verify_envelope(&envelope) {
                return Err(rejected(reason, detail));
            }
        }
        let list = StatusList::from_payload(envelope.payload())
            .map_err(|e| rejected(Reason::Malformed, e.to_string()))?;
        if list.list_id() != envelope.id() {
            return Err(rejected(
                Reason::Malformed,
                "the envelope id differs from the payload's list id",
            ));
        }
        let key = (envelope.kid().to_string(), list.list_id().to_string());
        if let Some(held) = self.status.get(&key) {
            if held.envelope.iat() > envelope.iat() {
                return Err(rejected(
                    Reason::StatusUnknown,
                    "older than the status list already held",
                ));
            }
        }
        self.status.insert(key, HeldStatusList { list, envelope });
        Ok(())
    }

    /// Verifies a credential given as JSON text (parsed strictly: no duplicate members, no
    /// floats, at most 1 MiB and 32 levels deep).
    pub fn verify(&self, json: &str) -> VcVerdict {
        match crate::json::parse_strict(json) {
            Ok(value) => self.verify_value(&value),
            Err(e) => VcVerdict::invalid(VcReason::Malformed, e.to_string()),
        }
    }

    /// Like [`verify`](Self::verify), from bytes (which must be UTF-8).
    pub fn verify_bytes(&self, bytes: &[u8]) -> VcVerdict {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.verify(text),
            Err(e) => VcVerdict::invalid(VcReason::Malformed, format!("not UTF-8: {e}")),
        }
    }

    /// Verifies a parsed credential (numbers must be integers within ±(2^53 − 1), as
    /// [`crate::json::parse_strict`] ensures).
    pub fn verify_value(&self, value: &Value) -> VcVerdict {
        match self.check(value) {
            Ok(credential) => VcVerdict::Valid { credential },
            Err((reason, detail)) => VcVerdict::invalid(reason, detail),
        }
    }

    fn check(&self, value: &Value) -> Check<VerifiedCredential> {
        let Some(secured) = value.as_object() else {
            return malformed("a credential must be a JSON object");
        };
        // A value not made by the strict parser may hold floats or unsafe integers.
        crate::document::check_values("$", secured)
            .map_err(|e| (VcReason::Malformed, e.to_string()))?;
        read_claims(secured)?;
        let proof = eddsa_jcs_2022::verify_proof(secured)?;
        // From here on, only the verified document is read.
        let doc = &proof.document;
        let claims = read_claims(doc)?;
        let signer_did =
            did_key::did(&proof.key).map_err(|e| (VcReason::UnsupportedKey, e.to_string()))?;
        let ours = claims.id.as_deref().and_then(parse_credential_id);
        let trusted_key_name = match &self.trust {
            None => {
                if claims.issuer.starts_with(did_key::DID_KEY_PREFIX) && claims.issuer != signer_did
                {
                    return Err((
                        VcReason::IssuerMismatch,
                        format!(
                            "issuer {} is not the signing key {signer_did}",
                            claims.issuer
                        ),
                    ));
                }
                None
            }
            Some(trust) => {
                Some(self.check_trust(trust, &claims, &proof, &signer_did, ours.as_ref())?)
            }
        };
        self.check_times(&claims, &proof)?;
        for (i, entry) in claims.status.iter().enumerate() {
            self.check_status(i, entry, &proof)?;
        }
        let subject = doc
            .get("credentialSubject")
            .map(crate::json::canonical_string)
            .transpose()
            .map_err(|e| (VcReason::Malformed, e.to_string()))?
            .unwrap_or_default();
        let credential =
            crate::json::canonical_string(doc).map_err(|e| (VcReason::Malformed, e.to_string()))?;
        let (document_type, document_id) = match ours {
            Some((t, i)) => (Some(t), Some(i)),
            None => (None, None),
        };
        Ok(VerifiedCredential {
            id: claims.id,
            types: claims.types,
            issuer: claims.issuer,
            verification_method: proof.verification_method.clone(),
            kid: proof.key.kid(),
            trusted_key_name,
            document_type,
            document_id,
            valid_from: claims.valid_from.map(|(s, _)| s),
            valid_until: claims.valid_until.map(|(s, _)| s),
            created: proof.created.map(|t| format_time(&t)),
            subject,
            credential,
        })
    }

    fn check_trust(
        &self,
        trust: &Verifier,
        claims: &Claims,
        proof: &VerifiedProof,
        signer_did: &str,
        ours: Option<&(String, String)>,
    ) -> Check<String> {
        let kid = proof.key.kid();
        let list = trust.trust_list();
        let key = list
            .key(&kid)
            .filter(|k| k.public_key == proof.key)
            .ok_or_else(|| {
                (
                    VcReason::UnknownKey,
                    format!(
                        "key {kid} ({signer_did}) is not in trust list seq {}",
                        list.seq
                    ),
                )
            })?;
        if claims.issuer != signer_did {
            return Err((
                VcReason::IssuerMismatch,
                format!(
                    "issuer {} is not the signing key {signer_did}",
                    claims.issuer
                ),
            ));
        }
        let issued = [claims.valid_from.as_ref().map(|(_, t)| *t), proof.created];
        if issued.iter().flatten().any(|t| !key.valid_at(*t)) || issued.iter().all(Option::is_none)
        {
            return Err((
                VcReason::KeyNotValidAtIssue,
                format!(
                    "validFrom and created must lie within the validity of key {:?} ({} to {})",
                    key.name,
                    format_time(&key.not_before),
                    format_time(&key.not_after)
                ),
            ));
        }
        let Some((typ, _)) = ours else {
            return Err((
                VcReason::DocTypeNotAuthorised,
                "the credential id does not name a document type (urn:ls-gov:<type>:<id>)".into(),
            ));
        };
        if !key.authorises(typ) {
            return Err((
                VcReason::DocTypeNotAuthorised,
                format!("key {:?} may not sign {typ:?}", key.name),
            ));
        }
        let expected = super::credential_type(typ);
        if !claims.types.contains(&expected) {
            return malformed(format!("type must include {expected:?} for a {typ:?}"));
        }
        Ok(key.name.clone())
    }

    fn check_times(&self, claims: &Claims, proof: &VerifiedProof) -> Check<()> {
        let now = self.clock.now();
        let starts = [
            ("validFrom", claims.valid_from.as_ref().map(|(_, t)| *t)),
            ("proof created", proof.created),
        ];
        for (name, t) in starts {
            if let Some(t) = t {
                if t > later(now, self.skew) {
                    return Err((
                        VcReason::NotYetValid,
                        format!("{name} {} is in the future", format_time(&t)),
                    ));
                }
            }
        }
        let ends = [
            ("validUntil", claims.valid_until.as_ref().map(|(_, t)| *t)),
            ("proof expires", proof.expires),
        ];
        for (name, t) in ends {
            if let Some(t) = t {
                if earlier(now, self.skew) >= t {
                    return Err((
                        VcReason::Expired,
                        format!("{name} {} has passed", format_time(&t)),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_status(
        &self,
        i: usize,
        entry: &Map<String, Value>,
        proof: &VerifiedProof,
    ) -> Check<()> {
        let at = format!("credentialStatus[{i}]");
        let text = |name: &str| -> Check<&str> {
            match entry.get(name) {
                Some(Value::String(s)) => Ok(s),
                Some(_) => malformed(format!("{at}.{name} must be a string")),
                None => malformed(format!("{at}.{name} is missing")),
            }
        };
        let kind = text("type")?;
        if kind != BITSTRING_STATUS_LIST_ENTRY {
            return Err((
                VcReason::StatusUnknown,
                format!("{at}: status type {kind:?} cannot be checked here"),
            ));
        }
        let purpose = text("statusPurpose")?;
        let index_text = text("statusListIndex")?;
        let list_url = text("statusListCredential")?;
        let index = parse_index(index_text).ok_or_else(|| {
            (
                VcReason::Malformed,
                format!("{at}.statusListIndex must be a base-10 integer"),
            )
        })?;
        if purpose != REVOCATION {
            return Err((
                VcReason::StatusUnknown,
                format!("{at}: status purpose {purpose:?} cannot be checked here"),
            ));
        }
        let list_id = match parse_credential_id(list_url) {
            Some((typ, id)) if typ == STATUS_LIST_TYPE => id,
            _ => {
                return Err((
                    VcReason::StatusUnknown,
                    format!(
                        "{at}: status list {list_url:?} is not one of ours and is never fetched"
                    ),
                ))
            }
        };
        let unknown = |why: String| (VcReason::StatusUnknown, format!("{at}: {why}"));
        let held = if self.trust.is_some() {
            // Verified against the trust list when added: any trusted signer will do, the
            // most recent list first.
            self.status
                .iter()
                .filter(|((_, list), _)| *list == list_id)
                .map(|(_, held)| held)
                .max_by_key(|held| held.envelope.iat())
        } else {
            self.status.get(&(proof.key.kid(), list_id.clone()))
        }
        .ok_or_else(|| {
            unknown(format!(
                "no status list {list_id:?} is held (signed by a trusted key, or by the credential's own key)"
            ))
        })?;
        if self.trust.is_none() {
            // Not verified when added: it must be the credential's own key's signature.
            let env = &held.envelope;
            let input = env.signing_input().map_err(|e| unknown(e.to_string()))?;
            if !proof.key.verify(&input, env.signature()) {
                return Err(unknown(format!(
                    "status list {list_id:?} is not signed by the credential's key"
                )));
            }
        }
        let env = &held.envelope;
        match held.list.revocation_at(
            index,
            (env.iat(), env.exp()),
            self.clock.now(),
            self.skew,
            None,
        ) {
            Err(why) => Err(unknown(why)),
            Ok(true) => Err((
                VcReason::Revoked,
                format!("revoked in status list {list_id:?}"),
            )),
            Ok(false) => Ok(()),
        }
    }
}

/// A `statusListIndex`: base-10 digits, no sign, no leading zeros, at most 2^53 − 1.
fn parse_index(text: &str) -> Option<u64> {
    if text.is_empty()
        || !text.bytes().all(|c| c.is_ascii_digit())
        || (text.len() > 1 && text.starts_with('0'))
    {
        return None;
    }
    text.parse::<u64>()
        .ok()
        .filter(|i| *i <= crate::json::MAX_SAFE_INTEGER)
}

impl fmt::Debug for VcVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VcVerifier {{ trust_list: {}, status_lists: {:?} }}",
            self.trust.is_some(),
            self.status.keys().map(|(_, list)| list).collect::<Vec<_>>()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for r in VcReason::ALL {
            assert_eq!(VcReason::from_code(r.code()), Some(r));
        }
        assert_eq!(VcReason::from_code("nope"), None);
    }

    #[test]
    fn status_indexes_are_canonical() {
        assert_eq!(parse_index("0"), Some(0));
        assert_eq!(parse_index("94567"), Some(94567));
        for bad in ["", "-1", "+1", "01", "1.0", " 1", "9007199254740992"] {
            assert_eq!(parse_index(bad), None, "{bad}");
        }
    }
}
