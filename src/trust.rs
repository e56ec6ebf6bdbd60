//! Trust lists: which keys may sign which documents, and when.
//!
//! A trust list is a signed envelope of type [`TRUST_LIST_TYPE`], signed by a root key that
//! every verifier pins (raw public key + algorithm). Its payload names each issuing key with
//! its validity window and the document types it may sign. A verifier trusts *only* keys from
//! a trust list it has verified against its pinned root, never a key carried by a document.
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::{parse_time, Issuer, SoftwareSigner, PublicKey, Signer};
//! use eservices::trust::{TrustList, TrustedKey};
//! use eservices::FixedClock;
//!
//! let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?);
//! let root = Issuer::new(Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?), clock.clone())?;
//! let ministry = SoftwareSigner::ed25519_from_seed(&[2; 32])?;
//! let list = TrustList {
//!     issuer: "Government of Lesotho".into(),
//!     seq: 1,
//!     keys: vec![TrustedKey {
//!         name: "Home Affairs 2026".into(),
//!         public_key: PublicKey::from_raw(ministry.alg(), &ministry.public_key())?,
//!         not_before: parse_time("2026-01-01T00:00:00Z")?,
//!         not_after: parse_time("2028-01-01T00:00:00Z")?,
//!         doc_types: vec!["ls.gov.home-affairs.*".into()],
//!     }],
//! };
//! let signed = list.sign(&root, None)?;
//! let back = TrustList::verify(&signed.json, root.public_key(), clock.as_ref(), chrono::Duration::minutes(5))?;
//! assert_eq!(back, list);
//! assert!(back.keys[0].authorises("ls.gov.home-affairs.birth-certificate"));
//! assert!(!back.keys[0].authorises("ls.gov.home-affairsx.birth-certificate"));
//! # Ok::<(), eservices::Error>(())
//! ```

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::document::members::{malformed, Members};
use crate::document::{
    check_id, check_typ, format_time, Alg, IssuedDocument, Issuer, PublicKey, SignedEnvelope,
};
use crate::verify::{earlier, later, Reason};
use crate::{Clock, Error, Result};

/// The document type of a trust list.
pub const TRUST_LIST_TYPE: &str = "ls.gov.eservices.trust-list";

/// One trusted issuing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// Human-readable name of the key's holder (shown in a valid verdict).
    pub name: String,
    /// The key.
    pub public_key: PublicKey,
    /// First instant at which the key may have issued a document (inclusive).
    pub not_before: DateTime<Utc>,
    /// Instant from which the key may no longer issue (exclusive).
    pub not_after: DateTime<Utc>,
    /// Document types the key may sign: exact types, or prefixes ending in `.*`
    /// (`ls.gov.home-affairs.*` covers every type starting `ls.gov.home-affairs.`).
    pub doc_types: Vec<String>,
}

impl TrustedKey {
    /// The key's id.
    pub fn kid(&self) -> String {
        self.public_key.kid()
    }

    /// Whether a document issued at `iat` falls inside `not_before..not_after`.
    pub fn valid_at(&self, iat: DateTime<Utc>) -> bool {
        self.not_before <= iat && iat < self.not_after
    }

    /// Whether the key may sign documents of type `typ`.
    pub fn authorises(&self, typ: &str) -> bool {
        self.doc_types
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => {
                    prefix.ends_with('.') && typ.len() > prefix.len() && typ.starts_with(prefix)
                }
                None => pattern == typ,
            })
    }

    fn validate(&self, path: &str) -> Result<()> {
        check_id(&format!("{path}.name"), &self.name)?;
        if self.not_after <= self.not_before {
            return Err(malformed(
                &format!("{path}.not_after"),
                "not_after must be later than not_before",
            ));
        }
        if self.doc_types.is_empty() {
            return Err(malformed(
                &format!("{path}.doc_types"),
                "at least one document type is needed",
            ));
        }
        for (i, pattern) in self.doc_types.iter().enumerate() {
            let at = format!("{path}.doc_types[{i}]");
            check_typ(&at, pattern.strip_suffix(".*").unwrap_or(pattern))?;
        }
        Ok(())
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("kid".into(), Value::from(self.kid()));
        m.insert("alg".into(), Value::from(self.public_key.alg().name()));
        m.insert(
            "public_key".into(),
            Value::from(self.public_key.to_base64url()),
        );
        m.insert("name".into(), Value::from(self.name.clone()));
        m.insert(
            "not_before".into(),
            Value::from(format_time(&self.not_before)),
        );
        m.insert(
            "not_after".into(),
            Value::from(format_time(&self.not_after)),
        );
        m.insert(
            "doc_types".into(),
            Value::Array(self.doc_types.iter().cloned().map(Value::from).collect()),
        );
        Value::Object(m)
    }

    fn from_value(path: &str, value: Value) -> Result<TrustedKey> {
        let mut m = Members::of(path, value)?;
        m.deny_unknown(&[
            "kid",
            "alg",
            "public_key",
            "name",
            "not_before",
            "not_after",
            "doc_types",
        ])?;
        let kid = m.string("kid")?;
        let alg: Alg = m
            .string("alg")?
            .parse()
            .map_err(|_| malformed(&format!("{path}.alg"), "must be \"Ed25519\" or \"ES256\""))?;
        let public_key = PublicKey::from_base64url(alg, &m.string("public_key")?)
            .map_err(|e| malformed(&format!("{path}.public_key"), e.to_string()))?;
        if public_key.kid() != kid {
            return Err(malformed(
                &format!("{path}.kid"),
                format!(
                    "does not match the public key (its kid is {})",
                    public_key.kid()
                ),
            ));
        }
        let name = m.string("name")?;
        let not_before = m.time("not_before")?;
        let not_after = m.time("not_after")?;
        let doc_types = m
            .array("doc_types")?
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s),
                _ => Err(malformed(
                    &format!("{path}.doc_types[{i}]"),
                    "must be a string",
                )),
            })
            .collect::<Result<Vec<String>>>()?;
        let key = TrustedKey {
            name,
            public_key,
            not_before,
            not_after,
            doc_types,
        };
        key.validate(path)?;
        Ok(key)
    }
}

/// The content of a trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// Who publishes the list.
    pub issuer: String,
    /// Sequence number; every new list has a higher one.
    pub seq: u64,
    /// The trusted keys (key ids are unique).
    pub keys: Vec<TrustedKey>,
}

impl TrustList {
    /// The key with id `kid`, if listed.
    pub fn key(&self, kid: &str) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| k.public_key.kid_str() == kid)
    }

    /// Checks the list's form: issuer and names non-empty, windows ordered, document types
    /// well-formed, key ids unique.
    pub fn validate(&self) -> Result<()> {
        check_id("$.payload.issuer", &self.issuer)?;
        if self.seq > crate::json::MAX_SAFE_INTEGER {
            return Err(malformed("$.payload.seq", "beyond 2^53 - 1"));
        }
        let mut seen = BTreeSet::new();
        for (i, key) in self.keys.iter().enumerate() {
            let path = format!("$.payload.keys[{i}]");
            key.validate(&path)?;
            if !seen.insert(key.kid()) {
                return Err(malformed(&format!("{path}.kid"), "duplicate key id"));
            }
        }
        Ok(())
    }

    /// The list as an envelope payload.
    pub fn to_payload(&self) -> Result<Map<String, Value>> {
        self.validate()?;
        let mut m = Map::new();
        m.insert("issuer".into(), Value::from(self.issuer.clone()));
        m.insert("seq".into(), Value::from(self.seq));
        m.insert(
            "keys".into(),
            Value::Array(self.keys.iter().map(TrustedKey::to_value).collect()),
        );
        Ok(m)
    }

    /// Reads a list from an envelope payload (strictly: unknown members are refused).
    pub fn from_payload(payload: &Map<String, Value>) -> Result<TrustList> {
        let mut m = Members::new("$.payload", payload.clone());
        m.deny_unknown(&["issuer", "seq", "keys"])?;
        let issuer = m.string("issuer")?;
        let seq = m.unsigned("seq")?;
        let keys = m
            .array("keys")?
            .into_iter()
            .enumerate()
            .map(|(i, v)| TrustedKey::from_value(&format!("$.payload.keys[{i}]"), v))
            .collect::<Result<Vec<_>>>()?;
        let list = TrustList { issuer, seq, keys };
        list.validate()?;
        Ok(list)
    }

    /// Signs the list with the root key held by `root` (id `trust-list-<seq>`, optional
    /// expiry).
    pub fn sign(&self, root: &Issuer, exp: Option<DateTime<Utc>>) -> Result<IssuedDocument> {
        root.issue_object(
            TRUST_LIST_TYPE,
            &format!("trust-list-{}", self.seq),
            self.to_payload()?,
            exp,
            None,
        )
    }

    /// Verifies a signed trust list against the pinned `root` key at the clock's time
    /// (allowing `skew`), returning its content. Every failure is [`Error::Rejected`] with
    /// reason [`Reason::TrustListInvalid`]. (Rollback is checked by
    /// [`crate::verify::Verifier`], which remembers the last `seq`.)
    pub fn verify(
        json: &str,
        root: &PublicKey,
        clock: &dyn Clock,
        skew: Duration,
    ) -> Result<TrustList> {
        let reject = |detail: String| Error::Rejected {
            what: "trust list".into(),
            reason: Reason::TrustListInvalid,
            detail,
        };
        let env = SignedEnvelope::parse(json).map_err(|e| reject(e.to_string()))?;
        Self::verify_envelope(&env, root, clock, skew).map_err(reject)
    }

    fn verify_envelope(
        env: &SignedEnvelope,
        root: &PublicKey,
        clock: &dyn Clock,
        skew: Duration,
    ) -> std::result::Result<TrustList, String> {
        if env.typ() != TRUST_LIST_TYPE {
            return Err(format!("type is {:?}, not {TRUST_LIST_TYPE:?}", env.typ()));
        }
        if env.alg() != root.alg() {
            return Err(format!(
                "signed with {} but the pinned root key is {}",
                env.alg(),
                root.alg()
            ));
        }
        if env.kid() != root.kid() {
            return Err(format!(
                "signed by key {} but the pinned root key is {}",
                env.kid(),
                root.kid()
            ));
        }
        let input = env.signing_input().map_err(|e| e.to_string())?;
        if !root.verify(&input, env.signature()) {
            return Err("signature does not verify under the pinned root key".into());
        }
        if env.status().is_some() {
            return Err("a trust list cannot carry a status entry".into());
        }
        let now = clock.now();
        if env.iat() > later(now, skew) {
            return Err(format!(
                "issued in the future ({})",
                format_time(&env.iat())
            ));
        }
        if let Some(exp) = env.exp() {
            if earlier(now, skew) >= exp {
                return Err(format!("expired at {}", format_time(&exp)));
            }
        }
        TrustList::from_payload(env.payload()).map_err(|e| e.to_string())
    }
}
