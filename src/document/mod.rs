//! Signed documents: the envelope, its signing input and its two wire forms (JSON and QR).
//!
//! A [`SignedEnvelope`] is a JSON object with exactly the members `v`, `typ`, `id`, `kid`,
//! `alg`, `iat`, optionally `exp` and `status`, `payload` and `sig` (see the README section
//! "Signed documents — wire format" for the normative description). The signature covers
//! [`SIGNING_CONTEXT`] followed by the RFC 8785 canonical JSON of the envelope without `sig`,
//! so any equivalent JSON text (members reordered, other whitespace, other escapes) still
//! verifies.
//!
//! Parsing ([`SignedEnvelope::parse`]) is strict and checks *form* only; whether a document is
//! genuine is decided by [`crate::verify::Verifier`].
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::{Issuer, SignedEnvelope, SoftwareSigner};
//! use eservices::FixedClock;
//!
//! let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[7; 32])?);
//! let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?);
//! let issuer = Issuer::new(signer, clock)?;
//! let doc = issuer.issue("ls.gov.example.letter", "L-1", r#"{"to":"Lineo"}"#, None, None)?;
//! let parsed = SignedEnvelope::parse(&doc.json)?;
//! assert_eq!(parsed.id(), "L-1");
//! assert_eq!(parsed.to_json()?, doc.json);
//! # Ok::<(), eservices::Error>(())
//! ```

pub(crate) mod canonical;
pub mod issuer;
pub mod key;
pub(crate) mod members;
pub mod qr;
pub mod signer;
pub(crate) mod zlib;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use serde_json::{Map, Value};

pub use issuer::{IssuedDocument, Issuer};
pub use key::PublicKey;
pub use signer::{PrivateKey, Signer, SoftwareSigner};

use crate::{Error, Result};
use members::{malformed, member_path, Members};

/// The bytes that precede the canonical envelope in every signing input (domain separation:
/// a signature made for this format can never be replayed as a signature of anything else).
pub const SIGNING_CONTEXT: &[u8] = b"ls.gov.eservices/v1\n";

/// The envelope format version this crate implements.
pub const VERSION: u64 = 1;

/// Length in bytes of every signature (Ed25519, and ES256 in fixed `r||s` form).
pub const SIGNATURE_LEN: usize = 64;

/// Longest document type accepted, in bytes.
pub const MAX_TYP_LEN: usize = 128;

/// Longest document id (and status-list id) accepted, in bytes.
pub const MAX_ID_LEN: usize = 256;

/// The members an envelope may have, in the order this crate documents them.
const MEMBERS: [&str; 10] = [
    "v", "typ", "id", "kid", "alg", "iat", "exp", "status", "payload", "sig",
];

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Alg {
    /// Ed25519 (RFC 8032); raw public keys of 32 bytes; 64-byte signatures.
    Ed25519,
    /// ECDSA on P-256 with SHA-256; raw public keys are 65-byte uncompressed points;
    /// signatures are 64 bytes `r||s` (never DER).
    Es256,
}

impl Alg {
    /// The wire name: `"Ed25519"` or `"ES256"`.
    ///
    /// ```
    /// use eservices::document::Alg;
    /// assert_eq!(Alg::Es256.name(), "ES256");
    /// assert_eq!("Ed25519".parse::<Alg>().unwrap(), Alg::Ed25519);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Alg::Ed25519 => "Ed25519",
            Alg::Es256 => "ES256",
        }
    }

    /// Length in bytes of a raw public key: 32 (Ed25519) or 65 (P-256 uncompressed).
    pub fn public_key_len(self) -> usize {
        match self {
            Alg::Ed25519 => 32,
            Alg::Es256 => 65,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Alg {
    type Err = Error;

    /// Parses the exact wire name (case-sensitive).
    fn from_str(s: &str) -> Result<Alg> {
        match s {
            "Ed25519" => Ok(Alg::Ed25519),
            "ES256" => Ok(Alg::Es256),
            other => Err(Error::UnsupportedAlg { alg: other.into() }),
        }
    }
}

/// Where a document's revocation bit lives: entry `index` of status list `list`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct StatusEntry {
    /// The status list id (the `list` member of that list's payload).
    pub list: String,
    /// The bit index in that list.
    pub index: u64,
}

/// An envelope before signing: every member except `sig` (and `v`, which is always 1).
///
/// ```
/// use eservices::document::{Alg, UnsignedEnvelope, parse_time};
/// let env = UnsignedEnvelope {
///     typ: "ls.gov.example.letter".into(),
///     id: "L-1".into(),
///     kid: "AAAAAAAAAAAAAAAAAAAAAA".into(),
///     alg: Alg::Ed25519,
///     iat: parse_time("2026-03-01T09:30:00Z")?,
///     exp: None,
///     status: None,
///     payload: serde_json::Map::new(),
/// };
/// let input = env.signing_input()?;
/// assert!(input.starts_with(b"ls.gov.eservices/v1\n{\"alg\":\"Ed25519\""));
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsignedEnvelope {
    /// Document type, e.g. `ls.gov.home-affairs.birth-certificate`.
    pub typ: String,
    /// Document id, e.g. its reference number.
    pub id: String,
    /// Key id of the signing key (see [`PublicKey::kid`]).
    pub kid: String,
    /// Signature algorithm.
    pub alg: Alg,
    /// Issued-at, whole seconds.
    pub iat: DateTime<Utc>,
    /// Optional expiry (the document is invalid at and after this instant), whole seconds.
    pub exp: Option<DateTime<Utc>>,
    /// Optional revocation entry.
    pub status: Option<StatusEntry>,
    /// The document's content; no floats anywhere (amounts are decimal strings).
    pub payload: Map<String, Value>,
}

impl UnsignedEnvelope {
    /// Checks every member's form (the same rules [`SignedEnvelope::parse`] applies).
    pub fn validate(&self) -> Result<()> {
        self.header().validate()?;
        check_values("$.payload", &self.payload)
    }

    /// The header members, borrowed.
    fn header(&self) -> HeaderRef<'_> {
        HeaderRef {
            typ: &self.typ,
            id: &self.id,
            kid: &self.kid,
            alg: self.alg,
            iat: &self.iat,
            exp: self.exp.as_ref(),
            status: self.status.as_ref(),
        }
    }

    /// Splits into the owned header and the payload.
    fn split(self) -> (Header, Map<String, Value>) {
        let UnsignedEnvelope {
            typ,
            id,
            kid,
            alg,
            iat,
            exp,
            status,
            payload,
        } = self;
        let header = Header {
            typ,
            id,
            kid,
            alg,
            iat,
            exp,
            status,
        };
        (header, payload)
    }

    /// The envelope without `sig` as a JSON value (with `v`).
    pub fn to_value(&self) -> Value {
        self.header().to_value(&self.payload)
    }

    /// The exact bytes that are signed: [`SIGNING_CONTEXT`] followed by the RFC 8785
    /// canonical JSON of [`to_value`](Self::to_value).
    pub fn signing_input(&self) -> Result<Vec<u8>> {
        self.validate()?;
        let payload = crate::json::canonical_object(&self.payload)?;
        Ok(signing_input(&self.header().canonical_text(&payload, None)))
    }

    /// Signs through `signer`, checking the envelope's form (the rules the strict parser
    /// applies, so whatever is signed reads back), that the signer's algorithm and key id match
    /// the envelope's, that the signature has the fixed size, and — unless the signer's output
    /// is checked by construction ([`Signer::output_is_checked`]) — that it verifies.
    pub fn sign(self, signer: &dyn Signer) -> Result<SignedEnvelope> {
        let public = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
        Ok(self.sign_as(signer, &public)?.0)
    }

    /// [`sign`](Self::sign) with the signer's public key already validated (an
    /// [`Issuer`] holds it).
    /// Returns the envelope and its canonical JSON text.
    pub(crate) fn sign_as(
        self,
        signer: &dyn Signer,
        public: &PublicKey,
    ) -> Result<(SignedEnvelope, String)> {
        self.header().validate_for(signer, public)?;
        check_values("$.payload", &self.payload)?;
        let payload_json = crate::json::canonical_object(&self.payload)?;
        let (header, payload) = self.split();
        header.sign(signer, public, payload_json, Some(payload))
    }
}

/// An envelope's members other than `v`, `payload` and `sig`, owned: what a
/// [`SignedEnvelope`] keeps beside its payload text and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) typ: String,
    pub(crate) id: String,
    pub(crate) kid: String,
    pub(crate) alg: Alg,
    pub(crate) iat: DateTime<Utc>,
    pub(crate) exp: Option<DateTime<Utc>>,
    pub(crate) status: Option<StatusEntry>,
}

impl Header {
    /// The unsigned envelope of this header and `payload`.
    pub(crate) fn with_payload(self, payload: Map<String, Value>) -> UnsignedEnvelope {
        UnsignedEnvelope {
            typ: self.typ,
            id: self.id,
            kid: self.kid,
            alg: self.alg,
            iat: self.iat,
            exp: self.exp,
            status: self.status,
            payload,
        }
    }

    /// Borrowed.
    fn view(&self) -> HeaderRef<'_> {
        HeaderRef {
            typ: &self.typ,
            id: &self.id,
            kid: &self.kid,
            alg: self.alg,
            iat: &self.iat,
            exp: self.exp.as_ref(),
            status: self.status.as_ref(),
        }
    }

    /// Signs this header around `payload_json`, the canonical text of a payload within the
    /// strict profile (written by [`crate::json::rewrite`], which checks the profile as it
    /// reads, so it needs neither checking nor canonicalising again); the payload's tree is
    /// made only if asked for.
    pub(crate) fn sign_canonical(
        self,
        signer: &dyn Signer,
        public: &PublicKey,
        payload_json: String,
    ) -> Result<(SignedEnvelope, String)> {
        self.view().validate_for(signer, public)?;
        self.sign(signer, public, payload_json, None)
    }

    /// Signs, given the checked payload's canonical text (and its tree, when the caller has
    /// it).
    fn sign(
        self,
        signer: &dyn Signer,
        public: &PublicKey,
        payload_json: String,
        payload: Option<Map<String, Value>>,
    ) -> Result<(SignedEnvelope, String)> {
        let (mut text, sig_at) = self.view().unsigned_text(&payload_json);
        let input = signing_input(&text);
        let sig = signer.sign(&input)?;
        if sig.len() != SIGNATURE_LEN {
            return Err(Error::SignerFailed {
                reason: format!(
                    "signature is {} bytes; {} needs exactly {SIGNATURE_LEN} (fixed form, not DER)",
                    sig.len(),
                    self.alg
                ),
            });
        }
        // A signer that does not vouch for its output (a host or hardware signer) is checked:
        // a wrong key or a DER signature must fail here, not at every verifier.
        if !signer.output_is_checked() && !public.verify(&input, &sig) {
            return Err(Error::SignerFailed {
                reason: "signature does not verify under the signer's own public key".into(),
            });
        }
        // Whatever we sign must read back: `validate` refused floats, unsafe integers and
        // deep nesting in a programmatically built payload; the text must also fit the limit.
        let member = sig_member(&sig);
        let text_len = text.len() + member.len();
        if text_len > crate::json::MAX_TEXT_LEN {
            return Err(malformed(
                "$",
                format!(
                    "the envelope would be {text_len} bytes; the limit is {}",
                    crate::json::MAX_TEXT_LEN
                ),
            ));
        }
        text.insert_str(sig_at, &member);
        let signed = SignedEnvelope::assemble(self, payload_json, payload, sig);
        Ok((signed, text))
    }
}

/// An envelope's header members, borrowed: all that the header checks, the canonical text
/// and the signing input need besides the payload.
#[derive(Clone, Copy)]
struct HeaderRef<'a> {
    typ: &'a str,
    id: &'a str,
    kid: &'a str,
    alg: Alg,
    iat: &'a DateTime<Utc>,
    exp: Option<&'a DateTime<Utc>>,
    status: Option<&'a StatusEntry>,
}

impl HeaderRef<'_> {
    /// The envelope without `sig` as a JSON value (with `v`), around a copy of `payload`.
    fn to_value(self, payload: &Map<String, Value>) -> Value {
        let mut m = Map::new();
        m.insert("v".into(), Value::from(VERSION));
        m.insert("typ".into(), Value::from(self.typ));
        m.insert("id".into(), Value::from(self.id));
        m.insert("kid".into(), Value::from(self.kid));
        m.insert("alg".into(), Value::from(self.alg.name()));
        m.insert("iat".into(), Value::from(format_time(self.iat)));
        if let Some(exp) = self.exp {
            m.insert("exp".into(), Value::from(format_time(exp)));
        }
        if let Some(status) = self.status {
            let mut s = Map::new();
            s.insert("list".into(), Value::from(status.list.as_str()));
            s.insert("index".into(), Value::from(status.index));
            m.insert("status".into(), Value::Object(s));
        }
        m.insert("payload".into(), Value::Object(payload.clone()));
        Value::Object(m)
    }

    /// Checks every header member's form (the rules [`SignedEnvelope::parse`] applies).
    fn validate(self) -> Result<()> {
        check_typ("$.typ", self.typ)?;
        check_id("$.id", self.id)?;
        check_kid("$.kid", self.kid)?;
        self.validate_times_and_status()
    }

    /// What signing with `signer` needs: its algorithm and key id are the envelope's (so
    /// the key id, the signer's own, is well-formed), and every other member's form.
    fn validate_for(self, signer: &dyn Signer, public: &PublicKey) -> Result<()> {
        self.check_signer(signer, public)?;
        check_typ("$.typ", self.typ)?;
        check_id("$.id", self.id)?;
        self.validate_times_and_status()
    }

    fn validate_times_and_status(self) -> Result<()> {
        check_time("$.iat", self.iat)?;
        if let Some(exp) = self.exp {
            check_time("$.exp", exp)?;
            if exp <= self.iat {
                return Err(malformed("$.exp", "exp must be later than iat"));
            }
        }
        if let Some(status) = self.status {
            check_id("$.status.list", &status.list)?;
            if status.index > crate::json::MAX_SAFE_INTEGER {
                return Err(malformed("$.status.index", "index beyond 2^53 - 1"));
            }
        }
        Ok(())
    }

    /// The signer's algorithm and key id must be the envelope's.
    fn check_signer(self, signer: &dyn Signer, public: &PublicKey) -> Result<()> {
        if signer.alg() != self.alg || public.alg() != self.alg {
            return Err(Error::SignerFailed {
                reason: format!(
                    "signer algorithm {} differs from the envelope's {}",
                    signer.alg(),
                    self.alg
                ),
            });
        }
        if public.kid_str() != self.kid {
            return Err(Error::SignerFailed {
                reason: format!(
                    "signer key id {} differs from the envelope's {}",
                    public.kid_str(),
                    self.kid
                ),
            });
        }
        Ok(())
    }

    /// The canonical JSON text of this envelope (with `sig` when given), around the
    /// payload's canonical text: members in RFC 8785 order (`alg`, `exp`, `iat`, `id`, `kid`,
    /// `payload`, `sig`, `status`, `typ`, `v`). The same bytes as canonicalising
    /// [`UnsignedEnvelope::to_value`] (checked in the tests), without copying the payload.
    fn canonical_text(self, payload_json: &str, sig: Option<&[u8]>) -> String {
        let (mut text, sig_at) = self.unsigned_text(payload_json);
        if let Some(sig) = sig {
            text.insert_str(sig_at, &sig_member(sig));
        }
        text
    }

    /// The canonical text without `sig`, and the offset where the `sig` member goes.
    fn unsigned_text(self, payload_json: &str) -> (String, usize) {
        use crate::json::write_canonical_str as string;
        // Room for the whole signed envelope, `sig` member included, so that inserting it
        // does not move the text: the strings' own lengths and the fixed members around
        // them (names, punctuation, two times, an index, the signature's 86 characters).
        let strings = self.typ.len()
            + self.id.len()
            + self.kid.len()
            + self.status.map_or(0, |s| s.list.len());
        let mut out = String::with_capacity(payload_json.len() + strings + ENVELOPE_FIXED_LEN);
        out.push_str("{\"alg\":");
        string(&mut out, self.alg.name());
        // Times need no escaping: digits, '-', ':', 'T' and 'Z'.
        if let Some(exp) = self.exp {
            out.push_str(",\"exp\":\"");
            write_time(&mut out, exp);
            out.push('"');
        }
        out.push_str(",\"iat\":\"");
        write_time(&mut out, self.iat);
        out.push('"');
        out.push_str(",\"id\":");
        string(&mut out, self.id);
        out.push_str(",\"kid\":");
        string(&mut out, self.kid);
        out.push_str(",\"payload\":");
        out.push_str(payload_json);
        let sig_at = out.len();
        if let Some(status) = self.status {
            out.push_str(",\"status\":{\"index\":");
            write_u64(&mut out, status.index);
            out.push_str(",\"list\":");
            string(&mut out, &status.list);
            out.push('}');
        }
        out.push_str(",\"typ\":");
        string(&mut out, self.typ);
        out.push_str(",\"v\":");
        write_u64(&mut out, VERSION);
        out.push('}');
        (out, sig_at)
    }
}

/// More than an envelope's text needs besides its payload and its header strings: member
/// names, quotes and punctuation (≈ 100 bytes), `alg` and the two times (≤ 50), a status
/// index (≤ 20) and the `sig` member (`,"sig":"`, 86 characters of base64url and `"`: 95).
/// Strings with escapes may need more; the text then grows once.
const ENVELOPE_FIXED_LEN: usize = 320;

/// The `sig` member as it follows the payload in canonical text: `,"sig":"<base64url>"`.
fn sig_member(sig: &[u8]) -> String {
    let mut member = String::with_capacity(8 + sig.len() * 4 / 3 + 4);
    member.push_str(",\"sig\":\"");
    URL_SAFE_NO_PAD.encode_string(sig, &mut member);
    member.push('"');
    member
}

/// [`SIGNING_CONTEXT`] followed by the canonical text.
fn signing_input(canonical: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNING_CONTEXT.len() + canonical.len());
    out.extend_from_slice(SIGNING_CONTEXT);
    out.extend_from_slice(canonical.as_bytes());
    out
}

/// A signed envelope that is well-formed. Parsing checks form only: use
/// [`crate::verify::Verifier`] to decide whether it is genuine.
///
/// The envelope keeps its payload as canonical JSON text; the JSON tree that
/// [`payload`](Self::payload) returns is made from it the first time it is asked for, so
/// issuing a document, writing it out and reading it back cost no tree unless one is wanted.
/// Two envelopes are equal when their members and signatures are.
#[derive(Clone)]
pub struct SignedEnvelope {
    header: Header,
    /// The payload's canonical JSON (the signing input, the envelope's JSON text and a
    /// verified document all contain it): written by this crate from a checked tree,
    /// rewritten from payload text by [`crate::json::rewrite`], or recognised by
    /// [`crate::json::scan`]: in every case the canonical form of a value the strict parser
    /// accepts.
    payload_json: String,
    /// The payload as a tree, from `payload_json` on first use.
    payload: OnceLock<Map<String, Value>>,
    sig: Vec<u8>,
}

impl PartialEq for SignedEnvelope {
    fn eq(&self, other: &SignedEnvelope) -> bool {
        // The canonical text of a payload decides its tree, and the other way round.
        self.header == other.header
            && self.payload_json == other.payload_json
            && self.sig == other.sig
    }
}

impl Eq for SignedEnvelope {}

impl fmt::Debug for SignedEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.header;
        f.debug_struct("SignedEnvelope")
            .field("typ", &h.typ)
            .field("id", &h.id)
            .field("kid", &h.kid)
            .field("alg", &h.alg)
            .field("iat", &h.iat)
            .field("exp", &h.exp)
            .field("status", &h.status)
            .field("payload", &self.payload_json)
            .field("sig", &URL_SAFE_NO_PAD.encode(&self.sig))
            .finish()
    }
}

impl SignedEnvelope {
    /// An envelope from its checked parts; `payload` is the tree of `payload_json` when the
    /// caller has it (otherwise it is made on first use).
    pub(crate) fn assemble(
        header: Header,
        payload_json: String,
        payload: Option<Map<String, Value>>,
        sig: Vec<u8>,
    ) -> SignedEnvelope {
        SignedEnvelope {
            header,
            payload_json,
            payload: payload.map(OnceLock::from).unwrap_or_default(),
            sig,
        }
    }

    /// Parses JSON text strictly: duplicate member names, unknown or missing members, `v`
    /// other than 1, times not in `YYYY-MM-DDTHH:MM:SSZ` form, non-canonical base64url and
    /// signatures not exactly 64 bytes are refused; so are floats, integers beyond
    /// ±(2^53 − 1), nesting deeper than [`crate::json::MAX_DEPTH`] and texts over
    /// [`crate::json::MAX_TEXT_LEN`].
    ///
    /// Errors: [`Error::MalformedEnvelope`] (with the JSON path), [`Error::InvalidJson`],
    /// or [`Error::UnsupportedVersion`].
    pub fn parse(text: &str) -> Result<SignedEnvelope> {
        // Canonical text (the usual case) is read without re-canonicalising its payload.
        if let Some(env) = canonical::CanonicalEnvelope::read(text) {
            return Ok(env.into_envelope());
        }
        Self::parse_tree(text)
    }

    /// The general reading [`parse`](Self::parse) falls back to: a strict JSON tree, then
    /// [`from_value`](Self::from_value). For callers that already know the canonical reading
    /// does not apply, and for the tests that compare the two.
    pub(crate) fn parse_tree(text: &str) -> Result<SignedEnvelope> {
        Self::from_value(crate::json::parse_strict(text)?)
    }

    /// Like [`parse`](Self::parse), from bytes that must be UTF-8.
    pub fn parse_bytes(bytes: &[u8]) -> Result<SignedEnvelope> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(_) => Self::from_value(crate::json::parse_strict_bytes(bytes)?),
        }
    }

    /// Reads the QR form (`LS1:` + base45 of zlib of the canonical JSON).
    pub fn from_qr(text: &str) -> Result<SignedEnvelope> {
        Self::parse_bytes(&qr::decode(text)?)
    }

    /// Builds an envelope from an already-parsed JSON value (the value should come from
    /// [`crate::json::parse_strict`]; numbers that are not safe integers are refused here too).
    pub fn from_value(value: Value) -> Result<SignedEnvelope> {
        let Value::Object(map) = value else {
            return Err(malformed("$", "an envelope must be a JSON object"));
        };
        // The version decides what the other members mean, so it is checked first.
        match map.get("v") {
            None => return Err(malformed("$.v", "missing member")),
            Some(Value::Number(n)) => {
                if n.as_u64() != Some(VERSION) {
                    if n.is_i64() || n.is_u64() {
                        return Err(Error::UnsupportedVersion {
                            version: n.to_string(),
                        });
                    }
                    return Err(malformed("$.v", "must be the integer 1"));
                }
            }
            Some(_) => return Err(malformed("$.v", "must be the integer 1")),
        }
        let mut m = Members::new("$", map);
        m.deny_unknown(&MEMBERS)?;
        let _ = m.required("v")?;
        let typ = m.string("typ")?;
        check_typ("$.typ", &typ)?;
        let id = m.string("id")?;
        check_id("$.id", &id)?;
        let kid = m.string("kid")?;
        check_kid("$.kid", &kid)?;
        let alg_text = m.string("alg")?;
        let alg = Alg::from_str(&alg_text)
            .map_err(|_| malformed("$.alg", "must be \"Ed25519\" or \"ES256\""))?;
        let iat = m.time("iat")?;
        let exp = match m.optional("exp")? {
            None => None,
            Some(Value::String(s)) => Some(parse_time_at("$.exp", &s)?),
            Some(_) => return Err(malformed("$.exp", "must be a string")),
        };
        let status = match m.optional("status")? {
            None => None,
            Some(v) => Some(parse_status(v)?),
        };
        let payload = match m.required("payload")? {
            Value::Object(p) => p,
            _ => return Err(malformed("$.payload", "must be a JSON object")),
        };
        let sig_text = m.string("sig")?;
        let sig = decode_b64url("$.sig", &sig_text)?;
        if sig.len() != SIGNATURE_LEN {
            return Err(malformed(
                "$.sig",
                format!(
                    "signature is {} bytes; it must be exactly {SIGNATURE_LEN} (fixed r||s, not DER)",
                    sig.len()
                ),
            ));
        }
        let header = Header {
            typ,
            id,
            kid,
            alg,
            iat,
            exp,
            status,
        };
        header.view().validate()?;
        check_values("$.payload", &payload)?;
        let payload_json = crate::json::canonical_object(&payload)?;
        Ok(SignedEnvelope::assemble(
            header,
            payload_json,
            Some(payload),
            sig,
        ))
    }

    /// The envelope without its signature (a copy: members and payload tree).
    pub fn to_unsigned(&self) -> UnsignedEnvelope {
        self.header.clone().with_payload(self.payload().clone())
    }

    /// Document type.
    pub fn typ(&self) -> &str {
        &self.header.typ
    }

    /// Document id.
    pub fn id(&self) -> &str {
        &self.header.id
    }

    /// Key id of the (claimed) signing key.
    pub fn kid(&self) -> &str {
        &self.header.kid
    }

    /// Signature algorithm (as claimed; a verifier checks it against the trusted key).
    pub fn alg(&self) -> Alg {
        self.header.alg
    }

    /// Issued-at.
    pub fn iat(&self) -> DateTime<Utc> {
        self.header.iat
    }

    /// Expiry, if any.
    pub fn exp(&self) -> Option<DateTime<Utc>> {
        self.header.exp
    }

    /// Revocation entry, if any.
    pub fn status(&self) -> Option<&StatusEntry> {
        self.header.status.as_ref()
    }

    /// The payload object, read from its canonical text the first time it is asked for.
    pub fn payload(&self) -> &Map<String, Value> {
        self.payload.get_or_init(|| {
            // Cannot fail: the text is the canonical form of a value the strict parser
            // accepts (see the field), and serde_json reads every such text; an empty object
            // would only stand for a broken invariant, never for a document's content.
            serde_json::from_str(&self.payload_json).unwrap_or_default()
        })
    }

    /// The payload as canonical JSON text.
    pub fn payload_json(&self) -> Result<String> {
        Ok(self.payload_json.clone())
    }

    /// The payload's canonical JSON text, borrowed.
    pub(crate) fn payload_text(&self) -> &str {
        &self.payload_json
    }

    /// The raw signature (64 bytes).
    pub fn signature(&self) -> &[u8] {
        &self.sig
    }

    /// The bytes the signature must cover (see [`UnsignedEnvelope::signing_input`]).
    pub fn signing_input(&self) -> Result<Vec<u8>> {
        // Form was checked when the envelope was made.
        Ok(signing_input(
            &self.header.view().canonical_text(&self.payload_json, None),
        ))
    }

    /// The full envelope, `sig` included, as a JSON value.
    pub fn to_value(&self) -> Value {
        let mut v = self.header.view().to_value(self.payload());
        if let Value::Object(m) = &mut v {
            m.insert("sig".into(), Value::from(URL_SAFE_NO_PAD.encode(&self.sig)));
        }
        v
    }

    /// The full envelope as RFC 8785 canonical JSON text (no trailing newline).
    pub fn to_json(&self) -> Result<String> {
        Ok(self
            .header
            .view()
            .canonical_text(&self.payload_json, Some(&self.sig)))
    }

    /// The QR form: `LS1:` + base45(zlib(canonical JSON)).
    pub fn to_qr(&self) -> Result<String> {
        qr::encode(self.to_json()?.as_bytes())
    }
}

/// Formats an instant in the one time form envelopes use: `YYYY-MM-DDTHH:MM:SSZ`
/// (sub-second digits are dropped).
///
/// ```
/// use eservices::document::{format_time, parse_time};
/// let t = parse_time("2026-03-01T09:30:00Z").unwrap();
/// assert_eq!(format_time(&t), "2026-03-01T09:30:00Z");
/// ```
pub fn format_time(t: &DateTime<Utc>) -> String {
    let mut out = String::with_capacity(20);
    write_time(&mut out, t);
    out
}

/// Appends [`format_time`]'s text of `t` to `out`.
fn write_time(out: &mut String, t: &DateTime<Utc>) {
    // Written out directly (chrono's `format` parses its pattern at every call, and this runs
    // several times per signature); chrono handles what the direct form cannot (years beyond
    // 0000–9999 and leap seconds, which envelopes refuse anyway).
    let (date, time) = (t.date_naive(), t.time());
    if let (Ok(year @ 0..=9999), true) = (
        u32::try_from(date.year()),
        time.nanosecond() < 1_000_000_000,
    ) {
        fn digits(out: &mut String, n: u32, width: u32) {
            for place in (0..width).rev() {
                let digit = (n / 10u32.pow(place)) % 10;
                out.push(char::from(b'0' + digit as u8));
            }
        }
        digits(out, year, 4);
        out.push('-');
        digits(out, date.month(), 2);
        out.push('-');
        digits(out, date.day(), 2);
        out.push('T');
        digits(out, time.hour(), 2);
        out.push(':');
        digits(out, time.minute(), 2);
        out.push(':');
        digits(out, time.second(), 2);
        out.push('Z');
    } else {
        use std::fmt::Write as _;
        let _ = write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%SZ"));
    }
}

/// Appends the decimal digits of `n` to `out` (no allocation).
fn write_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` exactly: UTC, whole seconds, no offset, no fraction, no
/// leap second. Anything else is [`Error::InvalidTime`].
///
/// ```
/// use eservices::document::parse_time;
/// assert!(parse_time("2026-03-01T09:30:00Z").is_ok());
/// assert!(parse_time("2026-03-01T09:30:00.5Z").is_err());
/// assert!(parse_time("2026-03-01T11:30:00+02:00").is_err());
/// ```
pub fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    let invalid = |reason: &str| Error::InvalidTime {
        value: text.chars().take(64).collect(),
        reason: reason.into(),
    };
    let b = text.as_bytes();
    let shape_ok = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(invalid("must be YYYY-MM-DDTHH:MM:SSZ (UTC, whole seconds)"));
    }
    let head = text.get(..19).ok_or_else(|| invalid("too short"))?;
    let naive = NaiveDateTime::parse_from_str(head, "%Y-%m-%dT%H:%M:%S")
        .map_err(|e| invalid(&format!("not a valid date and time: {e}")))?;
    let t = naive.and_utc();
    if t.nanosecond() != 0 || format_time(&t) != text {
        return Err(invalid("not a valid date and time"));
    }
    Ok(t)
}

/// Checks that an instant can be written in envelope form (whole seconds, year 0000–9999).
fn check_time(path: &str, t: &DateTime<Utc>) -> Result<()> {
    if t.nanosecond() != 0 {
        return Err(malformed(path, "times are whole seconds"));
    }
    if !(0..=9999).contains(&t.year()) {
        return Err(malformed(path, "year outside 0000-9999"));
    }
    Ok(())
}

fn parse_time_at(path: &str, text: &str) -> Result<DateTime<Utc>> {
    parse_time(text).map_err(|e| match e {
        Error::InvalidTime { reason, .. } => malformed(path, reason),
        other => other,
    })
}

fn parse_status(v: Value) -> Result<StatusEntry> {
    let Value::Object(map) = v else {
        return Err(malformed("$.status", "must be a JSON object"));
    };
    let mut m = Members::new("$.status", map);
    m.deny_unknown(&["list", "index"])?;
    let list = m.string("list")?;
    check_id("$.status.list", &list)?;
    let index = m.unsigned("index")?;
    Ok(StatusEntry { list, index })
}

/// Document types: 1–128 bytes of `a-z`, `0-9`, `-`, `.`; dot-separated non-empty segments.
pub(crate) fn check_typ(path: &str, typ: &str) -> Result<()> {
    if typ.is_empty() || typ.len() > MAX_TYP_LEN {
        return Err(malformed(path, format!("must be 1 to {MAX_TYP_LEN} bytes")));
    }
    // One pass: the characters, and no segment empty (no leading, trailing or double dot).
    let mut previous = b'.';
    let mut empty_segment = false;
    for c in typ.bytes() {
        if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.') {
            return Err(malformed(path, "only a-z, 0-9, '-' and '.' are allowed"));
        }
        empty_segment |= c == b'.' && previous == b'.';
        previous = c;
    }
    if empty_segment || previous == b'.' {
        return Err(malformed(path, "empty dot-separated segment"));
    }
    Ok(())
}

/// Ids: 1–256 bytes, no control characters.
pub(crate) fn check_id(path: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(malformed(path, format!("must be 1 to {MAX_ID_LEN} bytes")));
    }
    if id.chars().any(char::is_control) {
        return Err(malformed(path, "control characters are not allowed"));
    }
    Ok(())
}

fn check_kid(path: &str, kid: &str) -> Result<()> {
    let raw = decode_b64url(path, kid)?;
    if raw.len() != 16 {
        return Err(malformed(
            path,
            "a key id is base64url of 16 bytes (22 characters)",
        ));
    }
    Ok(())
}

/// Refuses numbers that are not safe integers anywhere inside `map`.
pub(crate) fn check_values(path: &str, map: &Map<String, Value>) -> Result<()> {
    /// The path below the failing value's parent is built only on failure, on the way out.
    fn walk(v: &Value, depth: usize) -> std::result::Result<(), (String, String)> {
        if depth > crate::json::MAX_DEPTH {
            return Err((
                String::new(),
                format!("nesting deeper than {}", crate::json::MAX_DEPTH),
            ));
        }
        match v {
            Value::Number(n) => {
                let safe = n
                    .as_i64()
                    .map(|i| i.unsigned_abs() <= crate::json::MAX_SAFE_INTEGER)
                    .or_else(|| n.as_u64().map(|u| u <= crate::json::MAX_SAFE_INTEGER))
                    .unwrap_or(false);
                if safe {
                    Ok(())
                } else {
                    Err((
                        String::new(),
                        "numbers must be integers within ±(2^53 - 1); write amounts as decimal strings"
                            .to_string(),
                    ))
                }
            }
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
                walk(item, depth + 1).map_err(|(below, why)| (format!("[{i}]{below}"), why))
            }),
            Value::Object(m) => m
                .iter()
                .try_for_each(|(k, item)| members(k, item, depth + 1)),
            _ => Ok(()),
        }
    }
    fn members(name: &str, v: &Value, depth: usize) -> std::result::Result<(), (String, String)> {
        walk(v, depth).map_err(|(below, why)| (format!("{}{below}", member_path("", name)), why))
    }
    // The payload object sits at depth 1 of the envelope.
    map.iter()
        .try_for_each(|(k, v)| members(k, v, 2))
        .map_err(|(below, why)| malformed(&format!("{path}{below}"), why))
}

/// Decodes base64url without padding, refusing every non-canonical form (padding, `+` or
/// `/`, whitespace, non-zero trailing bits).
pub(crate) fn decode_b64url(path: &str, text: &str) -> Result<Vec<u8>> {
    if text.contains('=') {
        return Err(malformed(path, "base64url must not be padded with '='"));
    }
    if text.contains('+') || text.contains('/') {
        return Err(malformed(
            path,
            "base64url uses '-' and '_', not '+' and '/'",
        ));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| malformed(path, format!("not canonical base64url: {e}")))?;
    if URL_SAFE_NO_PAD.encode(&bytes) != text {
        return Err(malformed(path, "not canonical base64url"));
    }
    Ok(bytes)
}

/// Encodes base64url without padding.
pub(crate) fn encode_b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_form_is_exact() {
        for bad in [
            "2026-03-01T09:30:00",
            "2026-03-01t09:30:00Z",
            "2026-03-01T09:30:00z",
            "2026-03-01 09:30:00Z",
            "2026-02-30T09:30:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T23:59:60Z",
            "+2026-03-01T09:30:00Z",
            "2026-03-01T09:30:00.000Z",
            "",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert!(parse_time("0000-01-01T00:00:00Z").is_ok());
    }

    #[test]
    fn base64url_must_be_canonical() {
        assert_eq!(decode_b64url("$", "AQ").unwrap(), vec![1]);
        assert!(decode_b64url("$", "AR").is_err()); // non-zero trailing bits
        assert!(decode_b64url("$", "AQ==").is_err());
        assert!(decode_b64url("$", "+/8").is_err());
        assert!(decode_b64url("$", "A Q").is_err());
    }

    #[test]
    fn typ_rules() {
        assert!(check_typ("$", "ls.gov.home-affairs.birth-certificate").is_ok());
        for bad in [
            "", "Ls.gov", "ls..gov", ".ls", "ls.", "ls gov", "ls.*", ".", "..",
        ] {
            assert!(check_typ("$", bad).is_err(), "{bad}");
        }
        // Characters are reported before empty segments.
        let reason = |typ: &str| match check_typ("$", typ) {
            Err(Error::MalformedEnvelope { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(reason("..A").starts_with("only"));
        assert!(reason("a..b").starts_with("empty"));
    }

    #[test]
    fn the_envelope_text_is_the_canonical_form_of_its_value() {
        let payload = crate::json::parse_strict(
            r#"{"z":[1,-2,{"b":null,"a":true}],"name":"L\u00e9a \"Mo\"\n\u0001","\ud800\udc00":"x","\ue000":"y"}"#,
        )
        .unwrap();
        let Value::Object(payload) = payload else {
            unreachable!()
        };
        let statuses = [
            None,
            Some(StatusEntry {
                list: "ha-2026".into(),
                index: 9_007_199_254_740_991,
            }),
        ];
        for exp in [None, Some(parse_time("2027-01-01T00:00:00Z").unwrap())] {
            for status in statuses.clone() {
                let header = Header {
                    typ: "ls.gov.example.letter".into(),
                    id: "L-1/\"2\"".into(),
                    kid: "AAAAAAAAAAAAAAAAAAAAAA".into(),
                    alg: Alg::Es256,
                    iat: parse_time("2026-03-01T09:30:00Z").unwrap(),
                    exp,
                    status,
                };
                let env = SignedEnvelope::assemble(
                    header,
                    crate::json::canonical_string(&payload).unwrap(),
                    None,
                    vec![0xfb; SIGNATURE_LEN],
                );
                let reference = crate::json::canonical_string(&env.to_value()).unwrap();
                assert_eq!(env.to_json().unwrap(), reference);
                let mut unsigned = env.to_unsigned().to_value();
                if let Value::Object(m) = &mut unsigned {
                    assert!(m.remove("sig").is_none());
                }
                let mut input = SIGNING_CONTEXT.to_vec();
                input.extend(crate::json::canonical(&unsigned).unwrap());
                assert_eq!(env.signing_input().unwrap(), input);
            }
        }
    }

    #[test]
    fn write_u64_writes_decimal_digits() {
        for n in [0, 1, 9, 10, 48_213, 9_007_199_254_740_991, u64::MAX] {
            let mut out = String::from("x");
            write_u64(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn format_time_matches_chrono_everywhere() {
        use chrono::TimeZone;
        for (y, mo, d, h, mi, se) in [
            (0, 1, 1, 0, 0, 0),
            (999, 12, 31, 23, 59, 59),
            (2026, 3, 1, 9, 30, 5),
            (9999, 12, 31, 23, 59, 59),
            (-1, 6, 1, 0, 0, 0),
            (10000, 1, 1, 0, 0, 0),
        ] {
            let t = Utc.with_ymd_and_hms(y, mo, d, h, mi, se).unwrap();
            assert_eq!(format_time(&t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
}
