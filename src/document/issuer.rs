//! Issuing documents: a signer and a clock make signed envelopes.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Timelike, Utc};
use serde_json::{Map, Value};

use super::{Header, PublicKey, SignedEnvelope, Signer, StatusEntry};
use crate::{Clock, Error, Result};

/// Issues signed envelopes with one signing key, stamping `iat` from a [`Clock`].
///
/// ```
/// use std::sync::Arc;
/// use eservices::document::{Issuer, SoftwareSigner};
/// use eservices::FixedClock;
///
/// let issuer = Issuer::new(
///     Arc::new(SoftwareSigner::ed25519_from_seed(&[3; 32])?),
///     Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?),
/// )?;
/// let doc = issuer.issue(
///     "ls.gov.example.permit",
///     "P-2026-0001",
///     r#"{"holder":"Palesa","fee":"150.00"}"#,
///     None,
///     None,
/// )?;
/// assert!(doc.json.contains(r#""iat":"2026-03-01T09:30:00Z""#));
/// assert!(doc.qr()?.starts_with("LS1:"));
/// # Ok::<(), eservices::Error>(())
/// ```
pub struct Issuer {
    signer: Arc<dyn Signer>,
    clock: Arc<dyn Clock>,
    public_key: PublicKey,
}

/// A freshly issued document: the envelope and its canonical JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedDocument {
    /// The signed envelope.
    pub envelope: SignedEnvelope,
    /// Its RFC 8785 canonical JSON text (the JSON wire form).
    pub json: String,
}

impl IssuedDocument {
    /// The QR form (`LS1:` + base45 of zlib of [`json`](Self::json)); an error if the
    /// document is too large for it.
    pub fn qr(&self) -> Result<String> {
        super::qr::encode(self.json.as_bytes())
    }
}

impl Issuer {
    /// An issuer for `signer`, whose public key is validated here.
    pub fn new(signer: Arc<dyn Signer>, clock: Arc<dyn Clock>) -> Result<Issuer> {
        let public_key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
        Ok(Issuer {
            signer,
            clock,
            public_key,
        })
    }

    /// The signing key's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The signing key's key id.
    pub fn kid(&self) -> String {
        self.public_key.kid()
    }

    /// The current time by this issuer's clock, truncated to whole seconds.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        now.with_nanosecond(0).unwrap_or(now)
    }

    /// Issues a document whose payload is given as JSON text (parsed strictly: no floats,
    /// no duplicate members). `iat` is now; `exp`, if given, must be later.
    pub fn issue(
        &self,
        typ: &str,
        id: &str,
        payload_json: &str,
        exp: Option<DateTime<Utc>>,
        status: Option<StatusEntry>,
    ) -> Result<IssuedDocument> {
        // The usual payload (an object of strings, integers and nested objects, in any
        // member order and spacing) is rewritten into canonical form in one pass, without a
        // JSON tree; the envelope makes the tree only if asked for. Anything else, including
        // every payload that is refused, takes the general path, which says why.
        if let Some(text) = crate::json::rewrite::to_canonical(payload_json) {
            let header = self.header(typ, id, exp, status);
            let (envelope, json) =
                header.sign_canonical(self.signer.as_ref(), &self.public_key, text)?;
            return Ok(IssuedDocument { envelope, json });
        }
        let payload = match crate::json::parse_strict(payload_json)? {
            Value::Object(m) => m,
            _ => {
                return Err(Error::MalformedEnvelope {
                    path: "$.payload".into(),
                    reason: "must be a JSON object".into(),
                })
            }
        };
        self.issue_object(typ, id, payload, exp, status)
    }

    /// Issues a document whose payload is already a JSON object (numbers must be safe
    /// integers; amounts are decimal strings).
    pub fn issue_object(
        &self,
        typ: &str,
        id: &str,
        payload: Map<String, Value>,
        exp: Option<DateTime<Utc>>,
        status: Option<StatusEntry>,
    ) -> Result<IssuedDocument> {
        let unsigned = self.header(typ, id, exp, status).with_payload(payload);
        let (envelope, json) = unsigned.sign_as(self.signer.as_ref(), &self.public_key)?;
        Ok(IssuedDocument { envelope, json })
    }

    /// The header to sign: this issuer's key id and algorithm, `iat` from its clock.
    fn header(
        &self,
        typ: &str,
        id: &str,
        exp: Option<DateTime<Utc>>,
        status: Option<StatusEntry>,
    ) -> Header {
        Header {
            typ: typ.into(),
            id: id.into(),
            kid: self.public_key.kid_str().into(),
            alg: self.public_key.alg(),
            iat: self.now(),
            exp,
            status,
        }
    }
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Issuer {{ key: {:?} }}", self.public_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SoftwareSigner;
    use crate::FixedClock;

    fn issuer() -> Issuer {
        Issuer::new(
            Arc::new(SoftwareSigner::ed25519_from_seed(&[5; 32]).unwrap()),
            Arc::new(FixedClock::parse("2026-03-01T09:30:00.750Z").unwrap()),
        )
        .unwrap()
    }

    #[test]
    fn iat_is_whole_seconds_and_exp_must_follow_it() {
        let i = issuer();
        let doc = i.issue("ls.gov.t", "1", "{}", None, None).unwrap();
        assert_eq!(doc.envelope.iat().to_rfc3339(), "2026-03-01T09:30:00+00:00");
        let early = crate::document::parse_time("2026-03-01T09:30:00Z").unwrap();
        assert!(i.issue("ls.gov.t", "1", "{}", Some(early), None).is_err());
    }

    #[test]
    fn canonical_and_other_payload_texts_issue_the_same_document() {
        let i = issuer();
        let canonical = r#"{"a":[1,-2,{"b":"\u001f\"é"}],"z":null}"#;
        let other = "{ \"z\": null, \"a\": [1, -2, {\"b\": \"\\u001F\\\"\\u00e9\"}] }";
        let deep = format!("{}{{}}{}", "{\"a\":".repeat(20), "}".repeat(20));
        let one = i.issue("ls.gov.t", "1", canonical, None, None).unwrap();
        let two = i.issue("ls.gov.t", "1", other, None, None).unwrap();
        // Both are rewritten without a tree, which is made only when asked for, and is the
        // tree the general path builds.
        assert!(one.envelope.payload.get().is_none());
        assert!(two.envelope.payload.get().is_none());
        let general = i
            .issue_object(
                "ls.gov.t",
                "1",
                crate::json::parse_strict(other)
                    .unwrap()
                    .as_object()
                    .unwrap()
                    .clone(),
                None,
                None,
            )
            .unwrap();
        assert!(general.envelope.payload.get().is_some());
        assert_eq!(one, two);
        assert_eq!(one, general);
        assert_eq!(one.envelope.payload(), general.envelope.payload());
        assert_eq!(
            format!("{:?}", one.envelope),
            format!("{:?}", general.envelope)
        );
        // Nesting beyond the one-pass rewrite's limit takes the general path, same result.
        assert!(crate::json::rewrite::to_canonical(&deep).is_none());
        let deep_doc = i.issue("ls.gov.t", "1", &deep, None, None).unwrap();
        assert_eq!(deep_doc.envelope.payload_text(), deep);
        assert_eq!(one.envelope.payload_text(), canonical);
        assert_eq!(SignedEnvelope::parse(&one.json).unwrap(), one.envelope);
        // The header is still checked on the canonical path.
        assert!(i.issue("Bad Type", "1", canonical, None, None).is_err());
        let early = crate::document::parse_time("2026-03-01T09:30:00Z").unwrap();
        assert!(i
            .issue("ls.gov.t", "1", canonical, Some(early), None)
            .is_err());
    }

    #[test]
    fn bad_payloads_are_refused() {
        let i = issuer();
        assert!(i.issue("ls.gov.t", "1", "[]", None, None).is_err());
        assert!(i
            .issue("ls.gov.t", "1", r#"{"a":1.5}"#, None, None)
            .is_err());
        let mut m = Map::new();
        m.insert("a".into(), serde_json::json!(1.5));
        assert!(matches!(
            i.issue_object("ls.gov.t", "1", m, None, None),
            Err(Error::MalformedEnvelope { .. })
        ));
        assert!(i.issue("Bad Type", "1", "{}", None, None).is_err());
        assert!(i.issue("ls.gov.t", "", "{}", None, None).is_err());
    }

    struct DerSigner(SoftwareSigner);
    impl Signer for DerSigner {
        fn alg(&self) -> crate::document::Alg {
            self.0.alg()
        }
        fn public_key(&self) -> Vec<u8> {
            self.0.public_key()
        }
        fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
            let mut s = self.0.sign(message)?;
            s.push(0);
            Ok(s)
        }
    }

    #[test]
    fn a_faulty_signer_is_caught() {
        let i = Issuer::new(
            Arc::new(DerSigner(
                SoftwareSigner::ed25519_from_seed(&[5; 32]).unwrap(),
            )),
            Arc::new(FixedClock::parse("2026-03-01T09:30:00Z").unwrap()),
        )
        .unwrap();
        assert!(matches!(
            i.issue("ls.gov.t", "1", "{}", None, None),
            Err(Error::SignerFailed { .. })
        ));
    }
}
