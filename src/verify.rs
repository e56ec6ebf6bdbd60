//! Verifying signed documents offline: a [`Verifier`] holds a pinned root key, a trust list
//! verified against it, optional status lists and a clock, and turns any input — JSON text, QR
//! text or arbitrary bytes — into a [`Verdict`] with a stable [`Reason`] code. It never panics,
//! whatever the input.
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::{parse_time, Issuer, PublicKey, Signer, SoftwareSigner};
//! use eservices::trust::{TrustList, TrustedKey};
//! use eservices::verify::{Reason, Verdict, Verifier};
//! use eservices::FixedClock;
//!
//! let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?);
//! let root = Issuer::new(Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?), clock.clone())?;
//! let ministry = Issuer::new(Arc::new(SoftwareSigner::ed25519_from_seed(&[2; 32])?), clock.clone())?;
//! let trust = TrustList {
//!     issuer: "Government of Lesotho".into(),
//!     seq: 1,
//!     keys: vec![TrustedKey {
//!         name: "Home Affairs 2026".into(),
//!         public_key: ministry.public_key().clone(),
//!         not_before: parse_time("2026-01-01T00:00:00Z")?,
//!         not_after: parse_time("2028-01-01T00:00:00Z")?,
//!         doc_types: vec!["ls.gov.home-affairs.*".into()],
//!     }],
//! }
//! .sign(&root, None)?;
//!
//! let verifier = Verifier::new(root.public_key().clone(), &trust.json, clock.clone())?;
//! let doc = ministry.issue("ls.gov.home-affairs.birth-certificate", "BC-1", r#"{"name":"Lineo"}"#, None, None)?;
//! match verifier.verify(&doc.qr()?) {
//!     Verdict::Valid { document } => assert_eq!(document.issuer, "Home Affairs 2026"),
//!     Verdict::Invalid { reason, detail } => panic!("{reason}: {detail}"),
//! }
//! let forged = doc.json.replace("Lineo", "Thabo");
//! assert_eq!(verifier.verify(&forged).reason(), Some(Reason::BadSignature));
//! # Ok::<(), eservices::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::document::canonical::CanonicalEnvelope;
use crate::document::qr::{self, QR_PREFIX};
use crate::document::PublicKey;
use crate::document::{format_time, Alg, SignedEnvelope};
use crate::status::{StatusList, STATUS_LIST_TYPE};
use crate::trust::{TrustList, TrustedKey};
use crate::{Clock, Error, Result};

/// Why a document is invalid. Each reason has a stable [`code`](Reason::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Reason {
    /// Not a well-formed envelope (bad JSON, unknown/missing members, bad base64url, wrong
    /// signature length, bad QR text...).
    Malformed,
    /// An envelope version other than 1.
    UnsupportedVersion,
    /// The key id is not in the trust list.
    UnknownKey,
    /// The envelope's `alg` differs from the trusted key's algorithm.
    AlgMismatch,
    /// The signature does not verify.
    BadSignature,
    /// `iat` lies outside the key's `not_before..not_after`.
    KeyNotValidAtIssue,
    /// The key is not authorised for this document type.
    DocTypeNotAuthorised,
    /// `iat` is in the future (beyond the allowed skew).
    NotYetValid,
    /// The verification time is at or after `exp` (beyond the allowed skew).
    Expired,
    /// The status list marks the document as revoked.
    Revoked,
    /// The document has a status entry but no current, verified status list answers for it.
    StatusUnknown,
    /// The trust list does not verify against the pinned root, or is not well-formed.
    TrustListInvalid,
    /// The trust list is older (lower `seq`) than one already held.
    TrustListRollback,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 13] = [
        Reason::Malformed,
        Reason::UnsupportedVersion,
        Reason::UnknownKey,
        Reason::AlgMismatch,
        Reason::BadSignature,
        Reason::KeyNotValidAtIssue,
        Reason::DocTypeNotAuthorised,
        Reason::NotYetValid,
        Reason::Expired,
        Reason::Revoked,
        Reason::StatusUnknown,
        Reason::TrustListInvalid,
        Reason::TrustListRollback,
    ];

    /// The stable code, e.g. `bad_signature`.
    ///
    /// ```
    /// use eservices::verify::Reason;
    /// assert_eq!(Reason::DocTypeNotAuthorised.code(), "doc_type_not_authorised");
    /// assert_eq!(Reason::from_code("revoked"), Some(Reason::Revoked));
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Reason::Malformed => "malformed",
            Reason::UnsupportedVersion => "unsupported_version",
            Reason::UnknownKey => "unknown_key",
            Reason::AlgMismatch => "alg_mismatch",
            Reason::BadSignature => "bad_signature",
            Reason::KeyNotValidAtIssue => "key_not_valid_at_issue",
            Reason::DocTypeNotAuthorised => "doc_type_not_authorised",
            Reason::NotYetValid => "not_yet_valid",
            Reason::Expired => "expired",
            Reason::Revoked => "revoked",
            Reason::StatusUnknown => "status_unknown",
            Reason::TrustListInvalid => "trust_list_invalid",
            Reason::TrustListRollback => "trust_list_rollback",
        }
    }

    /// The reason with this code, if any.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a valid document says. Times are in envelope form (`YYYY-MM-DDTHH:MM:SSZ`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct VerifiedDocument {
    /// Document type.
    pub typ: String,
    /// Document id.
    pub id: String,
    /// Key id of the signing key.
    pub kid: String,
    /// Name of the signing key in the trust list.
    pub issuer: String,
    /// Issued-at.
    pub iat: String,
    /// Expiry, if any.
    pub exp: Option<String>,
    /// The payload as canonical JSON text.
    pub payload: String,
}

/// The outcome of verifying a document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Verdict {
    /// Genuine, issued by a trusted key authorised for its type, current, not revoked.
    Valid {
        /// The document's content.
        document: VerifiedDocument,
    },
    /// Not to be relied on.
    Invalid {
        /// Why (stable code).
        reason: Reason,
        /// Human-readable explanation.
        detail: String,
    },
}

impl Verdict {
    fn invalid(reason: Reason, detail: impl Into<String>) -> Verdict {
        Verdict::Invalid {
            reason,
            detail: detail.into(),
        }
    }

    /// Whether the document is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }

    /// The reason, if invalid.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Verdict::Valid { .. } => None,
            Verdict::Invalid { reason, .. } => Some(*reason),
        }
    }
}

impl fmt::Display for Verdict {
    /// `VALID <typ> <id>` or `INVALID <code>: <detail>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Valid { document } => write!(f, "VALID {} {}", document.typ, document.id),
            Verdict::Invalid { reason, detail } => write!(f, "INVALID {reason}: {detail}"),
        }
    }
}

/// `t + d`, saturating at the end of time.
pub(crate) fn later(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t - d`, saturating at the start of time.
pub(crate) fn earlier(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

struct HeldStatusList {
    list: StatusList,
    iat: DateTime<Utc>,
    exp: Option<DateTime<Utc>>,
}

/// Verifies documents against a pinned root key and the trust list it signed.
///
/// Defaults: clock skew [`Verifier::DEFAULT_SKEW_SECONDS`]; no maximum status-list age
/// (a status list is relied on until its `valid_until`).
pub struct Verifier {
    root: PublicKey,
    trust: TrustList,
    trust_json: String,
    status: BTreeMap<String, HeldStatusList>,
    clock: Arc<dyn Clock>,
    skew: Duration,
    max_status_age: Option<Duration>,
}

fn rejected(what: &str, reason: Reason, detail: impl Into<String>) -> Error {
    Error::Rejected {
        what: what.into(),
        reason,
        detail: detail.into(),
    }
}

/// The verdict reason for an envelope that failed to parse.
fn parse_failure(e: &Error) -> Reason {
    match e {
        Error::UnsupportedVersion { .. } => Reason::UnsupportedVersion,
        _ => Reason::Malformed,
    }
}

impl Verifier {
    /// Default tolerance between the verifier's clock and the issuer's: 5 minutes.
    pub const DEFAULT_SKEW_SECONDS: i64 = 300;

    /// A verifier pinned to `root`, holding the trust list `trust_list_json` (which must verify
    /// against `root`). Errors: [`Error::Rejected`] with [`Reason::TrustListInvalid`].
    pub fn new(root: PublicKey, trust_list_json: &str, clock: Arc<dyn Clock>) -> Result<Verifier> {
        Self::new_after(root, trust_list_json, clock, 0)
    }

    /// Like [`new`](Self::new) for a verifier that has already seen trust list `last_seq`
    /// (persisted between runs): a list with a lower `seq` is refused with
    /// [`Reason::TrustListRollback`].
    pub fn new_after(
        root: PublicKey,
        trust_list_json: &str,
        clock: Arc<dyn Clock>,
        last_seq: u64,
    ) -> Result<Verifier> {
        let skew = Duration::seconds(Self::DEFAULT_SKEW_SECONDS);
        let trust = TrustList::verify(trust_list_json, &root, clock.as_ref(), skew)?;
        if trust.seq < last_seq {
            return Err(rejected(
                "trust list",
                Reason::TrustListRollback,
                format!(
                    "seq {} is older than seq {last_seq} already seen",
                    trust.seq
                ),
            ));
        }
        let trust_json = canonical_text(trust_list_json)?;
        Ok(Verifier {
            root,
            trust,
            trust_json,
            status: BTreeMap::new(),
            clock,
            skew,
            max_status_age: None,
        })
    }

    /// Sets the tolerated clock skew (negative values count as zero).
    pub fn with_skew(mut self, skew: Duration) -> Verifier {
        self.skew = skew.max(Duration::zero());
        self
    }

    /// Sets the age (since its `iat`) beyond which a status list is not relied on, even
    /// before its `valid_until`; `None` relies on `valid_until` alone.
    pub fn with_max_status_age(mut self, max_age: Option<Duration>) -> Verifier {
        self.max_status_age = max_age;
        self
    }

    /// The trust list in force.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// Replaces the trust list with a newer one. A list with a lower `seq` than the one held
    /// is refused ([`Reason::TrustListRollback`]); the same `seq` is accepted only with the
    /// same content. On error the held list stays in force.
    pub fn update_trust_list(&mut self, json: &str) -> Result<()> {
        let list = TrustList::verify(json, &self.root, self.clock.as_ref(), self.skew)?;
        let text = canonical_text(json)?;
        if list.seq < self.trust.seq {
            return Err(rejected(
                "trust list",
                Reason::TrustListRollback,
                format!(
                    "seq {} is older than the held seq {}",
                    list.seq, self.trust.seq
                ),
            ));
        }
        if list.seq == self.trust.seq && text != self.trust_json {
            return Err(rejected(
                "trust list",
                Reason::TrustListInvalid,
                format!("a different list with the held seq {}", list.seq),
            ));
        }
        self.trust = list;
        self.trust_json = text;
        Ok(())
    }

    /// Adds (or replaces with a newer one) a status list, after verifying it like a document
    /// of type [`STATUS_LIST_TYPE`] against the trust list. Errors are [`Error::Rejected`]
    /// with the reason the list was refused; time limits are applied when a document is
    /// checked.
    pub fn add_status_list(&mut self, json: &str) -> Result<()> {
        const WHAT: &str = "status list";
        let env = SignedEnvelope::parse(json)
            .map_err(|e| rejected(WHAT, parse_failure(&e), e.to_string()))?;
        if env.typ() != STATUS_LIST_TYPE {
            return Err(rejected(
                WHAT,
                Reason::Malformed,
                format!("type is {:?}, not {STATUS_LIST_TYPE:?}", env.typ()),
            ));
        }
        let input = env
            .signing_input()
            .map_err(|e| rejected(WHAT, Reason::Malformed, e.to_string()))?;
        self.authenticate(&Claims::of(&env), &input)
            .map_err(|(reason, detail)| rejected(WHAT, reason, detail))?;
        let list = StatusList::from_payload(env.payload())
            .map_err(|e| rejected(WHAT, Reason::Malformed, e.to_string()))?;
        if list.list_id() != env.id() {
            return Err(rejected(
                WHAT,
                Reason::Malformed,
                "the envelope id differs from the payload's list id",
            ));
        }
        if let Some(held) = self.status.get(list.list_id()) {
            if held.iat > env.iat() {
                return Err(rejected(
                    WHAT,
                    Reason::StatusUnknown,
                    format!(
                        "older ({}) than the held list ({})",
                        format_time(&env.iat()),
                        format_time(&held.iat)
                    ),
                ));
            }
        }
        self.status.insert(
            list.list_id().to_string(),
            HeldStatusList {
                list,
                iat: env.iat(),
                exp: env.exp(),
            },
        );
        Ok(())
    }

    /// Verifies a JSON envelope or a QR text (recognised by its `LS1:` prefix, surrounding
    /// whitespace ignored).
    pub fn verify(&self, text: &str) -> Verdict {
        let trimmed = text.trim();
        if trimmed.starts_with(QR_PREFIX) {
            self.verify_qr(trimmed)
        } else {
            self.verify_json(text)
        }
    }

    /// Like [`verify`](Self::verify), from bytes (which must be UTF-8).
    pub fn verify_bytes(&self, bytes: &[u8]) -> Verdict {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.verify(text),
            Err(e) => Verdict::invalid(Reason::Malformed, format!("not UTF-8: {e}")),
        }
    }

    /// Verifies a JSON envelope.
    pub fn verify_json(&self, json: &str) -> Verdict {
        // Canonical text (what issuers write) is read without building a JSON tree; any other
        // text takes the general parser, which accepts the same envelopes and explains refusals.
        if let Some(env) = CanonicalEnvelope::read(json) {
            return self.verify_claims(&Claims::of_canonical(&env), &env.signing_input());
        }
        self.verify_parsed(SignedEnvelope::parse_tree(json))
    }

    /// Verifies a QR text exactly (no surrounding whitespace).
    pub fn verify_qr(&self, text: &str) -> Verdict {
        let bytes = match qr::decode(text) {
            Ok(bytes) => bytes,
            Err(e) => return Verdict::invalid(parse_failure(&e), e.to_string()),
        };
        // The decoded bytes are JSON text, read as `verify_json` reads it.
        match std::str::from_utf8(&bytes) {
            Ok(json) => self.verify_json(json),
            Err(_) => self.verify_parsed(SignedEnvelope::parse_bytes(&bytes)),
        }
    }

    fn verify_parsed(&self, parsed: Result<SignedEnvelope>) -> Verdict {
        match parsed {
            Ok(env) => self.verify_envelope(&env),
            Err(e) => Verdict::invalid(parse_failure(&e), e.to_string()),
        }
    }

    /// Verifies a parsed envelope: trusted key, algorithm, signature, key validity at `iat`,
    /// type authorisation, time window, then revocation status.
    pub fn verify_envelope(&self, env: &SignedEnvelope) -> Verdict {
        match env.signing_input() {
            Ok(input) => self.verify_claims(&Claims::of(env), &input),
            Err(e) => Verdict::invalid(Reason::Malformed, e.to_string()),
        }
    }

    fn verify_claims(&self, claims: &Claims<'_>, input: &[u8]) -> Verdict {
        match self.check_claims(claims, input) {
            Ok(key) => Verdict::Valid {
                document: VerifiedDocument {
                    typ: claims.typ.into(),
                    id: claims.id.into(),
                    kid: claims.kid.into(),
                    issuer: key.name.clone(),
                    iat: format_time(&claims.iat),
                    exp: claims.exp.map(|t| format_time(&t)),
                    payload: claims.payload_json.into(),
                },
            },
            Err((reason, detail)) => Verdict::invalid(reason, detail),
        }
    }

    /// Every check of [`verify_envelope`](Self::verify_envelope), without building the
    /// verified document: the trusted key, or why the envelope is invalid.
    pub(crate) fn check_envelope(
        &self,
        env: &SignedEnvelope,
    ) -> std::result::Result<&TrustedKey, (Reason, String)> {
        let input = env
            .signing_input()
            .map_err(|e| (Reason::Malformed, e.to_string()))?;
        self.check_claims(&Claims::of(env), &input)
    }

    /// The checks in order: trusted key, algorithm, signature over `input`, key validity at
    /// `iat`, type authorisation, time window, then revocation status.
    fn check_claims(
        &self,
        claims: &Claims<'_>,
        input: &[u8],
    ) -> std::result::Result<&TrustedKey, (Reason, String)> {
        let key = self.authenticate(claims, input)?;
        let now = self.clock.now();
        if claims.iat > later(now, self.skew) {
            return Err((
                Reason::NotYetValid,
                format!("issued at {}, in the future", format_time(&claims.iat)),
            ));
        }
        if let Some(exp) = claims.exp {
            if earlier(now, self.skew) >= exp {
                return Err((Reason::Expired, format!("expired at {}", format_time(&exp))));
            }
        }
        if let Some((list, index)) = claims.status {
            match self.status_of(list, index, now) {
                Ok(false) => {}
                Ok(true) => {
                    return Err((Reason::Revoked, format!("revoked in status list {list:?}")))
                }
                Err(detail) => return Err((Reason::StatusUnknown, detail)),
            }
        }
        Ok(key)
    }

    /// Finds the trusted key and checks algorithm, signature, validity at issue and type.
    fn authenticate(
        &self,
        claims: &Claims<'_>,
        input: &[u8],
    ) -> std::result::Result<&TrustedKey, (Reason, String)> {
        let key = self.trust.key(claims.kid).ok_or_else(|| {
            (
                Reason::UnknownKey,
                format!(
                    "key {} is not in trust list seq {}",
                    claims.kid, self.trust.seq
                ),
            )
        })?;
        if claims.alg != key.public_key.alg() {
            return Err((
                Reason::AlgMismatch,
                format!(
                    "document says {} but key {:?} is {}",
                    claims.alg,
                    key.name,
                    key.public_key.alg()
                ),
            ));
        }
        if !key.public_key.verify(input, claims.sig) {
            return Err((
                Reason::BadSignature,
                format!("signature does not verify under key {:?}", key.name),
            ));
        }
        if !key.valid_at(claims.iat) {
            return Err((
                Reason::KeyNotValidAtIssue,
                format!(
                    "issued at {} but key {:?} is valid from {} until {}",
                    format_time(&claims.iat),
                    key.name,
                    format_time(&key.not_before),
                    format_time(&key.not_after)
                ),
            ));
        }
        if !key.authorises(claims.typ) {
            return Err((
                Reason::DocTypeNotAuthorised,
                format!("key {:?} may not sign {:?}", key.name, claims.typ),
            ));
        }
        Ok(key)
    }

    /// Whether entry `index` of status list `list` is revoked, or why that cannot be said.
    fn status_of(
        &self,
        list: &str,
        index: u64,
        now: DateTime<Utc>,
    ) -> std::result::Result<bool, String> {
        let held = self
            .status
            .get(list)
            .ok_or_else(|| format!("no status list {list:?} is held"))?;
        held.list.revocation_at(
            index,
            (held.iat, held.exp),
            now,
            self.skew,
            self.max_status_age,
        )
    }
}

/// What verification reads from an envelope, however it was read.
struct Claims<'a> {
    typ: &'a str,
    id: &'a str,
    kid: &'a str,
    alg: Alg,
    iat: DateTime<Utc>,
    exp: Option<DateTime<Utc>>,
    status: Option<(&'a str, u64)>,
    payload_json: &'a str,
    sig: &'a [u8],
}

impl<'a> Claims<'a> {
    fn of(env: &'a SignedEnvelope) -> Claims<'a> {
        Claims {
            typ: env.typ(),
            id: env.id(),
            kid: env.kid(),
            alg: env.alg(),
            iat: env.iat(),
            exp: env.exp(),
            status: env.status().map(|s| (s.list.as_str(), s.index)),
            payload_json: env.payload_text(),
            sig: env.signature(),
        }
    }

    fn of_canonical(env: &'a CanonicalEnvelope<'a>) -> Claims<'a> {
        Claims {
            typ: env.typ,
            id: env.id,
            kid: env.kid,
            alg: env.alg,
            iat: env.iat,
            exp: env.exp,
            status: env.status,
            payload_json: env.payload_json,
            sig: &env.sig,
        }
    }
}

/// The canonical text of a trust list (to compare two lists with the same `seq`).
fn canonical_text(json: &str) -> Result<String> {
    crate::json::canonical_string(&crate::json::parse_strict(json)?)
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("root", &self.root)
            .field("trust_list_seq", &self.trust.seq)
            .field("status_lists", &self.status.keys().collect::<Vec<_>>())
            .field("skew", &self.skew)
            .field("max_status_age", &self.max_status_age)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse_time, Issuer, SoftwareSigner};
    use crate::trust::TrustedKey;
    use crate::FixedClock;

    /// The golden verifier (tests/data/golden) at `at`.
    fn golden_verifier(at: &str) -> Verifier {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden/");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        let root_line = read("root.pub");
        let (_, root) = root_line.trim().split_once(' ').unwrap();
        let root = PublicKey::from_base64url(Alg::Ed25519, root).unwrap();
        let clock = Arc::new(FixedClock::parse(at).unwrap());
        let mut v = Verifier::new(root, &read("trust-list.json"), clock).unwrap();
        v.add_status_list(&read("status-list.json")).unwrap();
        v
    }

    /// The general path: parse into a JSON tree, then verify the envelope.
    fn general(v: &Verifier, text: &str) -> Verdict {
        v.verify_parsed(SignedEnvelope::parse_tree(text))
    }

    #[test]
    fn canonical_and_general_paths_agree() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden/");
        for at in [
            "2026-03-01T09:30:00Z",
            "2026-02-20T07:54:59Z",
            "2031-02-20T00:05:00Z",
        ] {
            let v = golden_verifier(at);
            for name in [
                "birth-certificate.json",
                "revoked-certificate.json",
                "driving-licence.json",
                "trust-list.json",
                "status-list.json",
                "es256/receipt.json",
            ] {
                let text = std::fs::read_to_string(format!("{dir}{name}")).unwrap();
                // Golden files are canonical (with a final newline): the fast path reads them.
                assert!(CanonicalEnvelope::read(&text).is_some(), "{name}");
                let verdict = v.verify_json(&text);
                assert_eq!(verdict, general(&v, &text), "{name} at {at}");
                let parsed = SignedEnvelope::parse(&text).unwrap();
                let tree = SignedEnvelope::parse_tree(&text).unwrap();
                assert_eq!(parsed, tree);
                // The canonical reading keeps the payload as text; its tree, when asked
                // for, is the general reading's.
                assert_eq!(parsed.payload(), tree.payload());
                assert_eq!(parsed.to_value(), tree.to_value());
                assert_eq!(parsed.to_json().unwrap(), text.trim_end());
                // Equivalent non-canonical texts take the general path to the same verdict.
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                let pretty = serde_json::to_string_pretty(&value).unwrap();
                assert!(CanonicalEnvelope::read(&pretty).is_none());
                assert_eq!(v.verify_json(&pretty), verdict, "{name} pretty");
                let escaped = text.replacen("\"typ\":\"ls", "\"typ\":\"\\u006cs", 1);
                assert_ne!(escaped, text);
                assert!(CanonicalEnvelope::read(&escaped).is_none());
                assert_eq!(v.verify_json(&escaped), verdict, "{name} escaped");
            }
        }
        let v = golden_verifier("2026-03-01T09:30:00Z");
        let text = std::fs::read_to_string(format!("{dir}birth-certificate.json")).unwrap();
        assert!(v.verify_json(&text).is_valid());
        // Changes that keep the text canonical: the fast path reads them and refuses them
        // exactly as the general path does.
        let cases = [
            ("\"v\":1}", "\"v\":2}", Reason::UnsupportedVersion),
            ("Lineo Palesa", "Lineo Paleso", Reason::BadSignature),
            (
                "\"alg\":\"Ed25519\"",
                "\"alg\":\"ES256\"",
                Reason::AlgMismatch,
            ),
            ("\"iat\":\"2026-", "\"iat\":\"2025-", Reason::BadSignature),
            ("\"iat\":\"2026-", "\"iat\":\"2026-13", Reason::Malformed),
            ("\"sig\":\"", "\"sig\":\"A", Reason::Malformed),
            ("\"v\":1}", "\"w\":1}", Reason::Malformed),
            ("\"payload\":{", "\"payload\":[{", Reason::Malformed),
        ];
        for (from, to, reason) in cases {
            let changed = text.replacen(from, to, 1);
            assert_ne!(changed, text, "{from}");
            let verdict = v.verify_json(&changed);
            assert_eq!(verdict.reason(), Some(reason), "{to}: {verdict}");
            assert_eq!(verdict, general(&v, &changed), "{to}");
        }
        // The QR form decodes to canonical JSON and takes the fast path too.
        let qr = std::fs::read_to_string(format!("{dir}birth-certificate.qr.txt")).unwrap();
        let from_qr = v.verify_qr(qr.trim());
        assert!(from_qr.is_valid());
        assert_eq!(from_qr, v.verify_json(&text));
    }

    #[test]
    fn reason_codes_are_unique_and_round_trip() {
        let codes: std::collections::BTreeSet<_> = Reason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Reason::ALL.len());
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r.code()), Some(r));
        }
        assert_eq!(Reason::from_code("valid"), None);
    }

    /// The root issuer, and a trust list `seq` listing key [2; 32] for `ls.gov.t`.
    fn setup(seq: u64) -> (Issuer, String) {
        let root = issuer_of(&[1; 32]);
        let list = TrustList {
            issuer: "root".into(),
            seq,
            keys: vec![TrustedKey {
                name: "k".into(),
                public_key: issuer_of(&[2; 32]).public_key().clone(),
                not_before: parse_time("2026-01-01T00:00:00Z").unwrap(),
                not_after: parse_time("2027-01-01T00:00:00Z").unwrap(),
                doc_types: vec!["ls.gov.t".into()],
            }],
        };
        let json = list.sign(&root, None).unwrap().json;
        (root, json)
    }

    fn issuer_of(seed: &[u8; 32]) -> Issuer {
        Issuer::new(
            Arc::new(SoftwareSigner::ed25519_from_seed(seed).unwrap()),
            Arc::new(FixedClock::parse("2026-03-01T09:30:00Z").unwrap()),
        )
        .unwrap()
    }

    #[test]
    fn trust_list_updates_move_forward_only() {
        let (root, seq2) = setup(2);
        let (_, seq1) = setup(1);
        let (_, seq3) = setup(3);
        let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z").unwrap());
        let mut v = Verifier::new(root.public_key().clone(), &seq2, clock.clone()).unwrap();
        // Reloading the same list is harmless.
        assert!(v.update_trust_list(&seq2).is_ok());
        match v.update_trust_list(&seq1) {
            Err(Error::Rejected { reason, .. }) => assert_eq!(reason, Reason::TrustListRollback),
            other => panic!("{other:?}"),
        }
        assert_eq!(v.trust_list().seq, 2);
        assert!(v.update_trust_list(&seq3).is_ok());
        assert_eq!(v.trust_list().seq, 3);
        // A verifier that remembers seq 3 refuses seq 2 from the start.
        match Verifier::new_after(root.public_key().clone(), &seq2, clock, 3) {
            Err(Error::Rejected { reason, .. }) => assert_eq!(reason, Reason::TrustListRollback),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn huge_skew_does_not_overflow() {
        let (root, seq2) = setup(2);
        let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z").unwrap());
        let v = Verifier::new(root.public_key().clone(), &seq2, clock)
            .unwrap()
            .with_skew(Duration::MAX)
            .with_max_status_age(Some(Duration::MAX));
        let doc = issuer_of(&[2; 32])
            .issue(
                "ls.gov.t",
                "1",
                "{}",
                Some(parse_time("2026-03-02T00:00:00Z").unwrap()),
                None,
            )
            .unwrap();
        assert!(v.verify(&doc.json).is_valid());
    }
}
