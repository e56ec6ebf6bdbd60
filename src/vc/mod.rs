//! W3C Verifiable Credentials 2.0: export of signed documents as credentials secured with a
//! Data Integrity proof of cryptosuite `eddsa-jcs-2022`, and offline verification of such
//! credentials (see the README section "W3C Verifiable Credentials").
//!
//! * [`export`] turns a [`SignedEnvelope`] into a credential signed by the same Ed25519 key,
//!   whose issuer is that key's `did:key` ([`did_key`]).
//! * [`eddsa_jcs_2022`] is the cryptosuite itself, step by step, for any JSON document.
//! * [`VcVerifier`] verifies credentials offline (contexts are never fetched, `did:key` is
//!   resolved locally), by signature alone or against a verified trust list.
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::{Issuer, SoftwareSigner};
//! use eservices::vc::{self, VcVerifier};
//! use eservices::FixedClock;
//!
//! let clock = Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?);
//! let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[2; 32])?);
//! let issuer = Issuer::new(signer.clone(), clock.clone())?;
//! let doc = issuer.issue("ls.gov.example.permit", "P-1", r#"{"holder":"Palesa"}"#, None, None)?;
//!
//! let credential = vc::export(&doc.envelope, signer.as_ref(), clock.as_ref())?;
//! let verdict = VcVerifier::new(clock).verify(&credential);
//! assert!(verdict.is_valid());
//! assert!(verdict.to_string().starts_with("VALID ls.gov.example.permit P-1 (signed by did:key:z6Mk"));
//! # Ok::<(), eservices::Error>(())
//! ```

pub mod did_key;
pub mod eddsa_jcs_2022;
mod verify;

pub use verify::{VcReason, VcVerdict, VcVerifier, VerifiedCredential};

use chrono::{DateTime, Timelike, Utc};
use serde_json::{Map, Value};

use crate::document::{check_id, check_typ, format_time, PublicKey, SignedEnvelope, Signer};
use crate::status::STATUS_LIST_TYPE;
use crate::{Clock, Error, Result};

/// The base context of every VC 2.0 credential (the only context an export carries).
pub const CREDENTIALS_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// The base type of every credential.
pub const VERIFIABLE_CREDENTIAL: &str = "VerifiableCredential";

/// The `credentialStatus` type of a Bitstring Status List entry.
pub const BITSTRING_STATUS_LIST_ENTRY: &str = "BitstringStatusListEntry";

/// The status purpose of this crate's status lists.
pub const REVOCATION: &str = "revocation";

/// How credential ids begin: `urn:ls-gov:<document type>:<percent-encoded document id>`.
pub const URN_PREFIX: &str = "urn:ls-gov:";

/// The credential id of document `id` of type `typ`: `urn:ls-gov:<typ>:<id>`, the id
/// percent-encoded (every byte outside `A-Z a-z 0-9 - . _ ~` as `%XX`, upper-case hex) so that
/// the result is a valid URN whatever the id holds.
///
/// ```
/// use eservices::vc::{credential_id, parse_credential_id};
/// let urn = credential_id("ls.gov.home-affairs.birth-certificate", "BC 1/2026");
/// assert_eq!(urn, "urn:ls-gov:ls.gov.home-affairs.birth-certificate:BC%201%2F2026");
/// assert_eq!(parse_credential_id(&urn), Some(("ls.gov.home-affairs.birth-certificate".into(), "BC 1/2026".into())));
/// ```
pub fn credential_id(typ: &str, id: &str) -> String {
    let mut out = format!("{URN_PREFIX}{typ}:");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads a credential id made by [`credential_id`] back into `(document type, document id)`.
/// `None` unless the text is exactly such an id: a valid document type, canonical
/// percent-encoding (upper-case hex, nothing encoded that need not be) and a valid id.
pub fn parse_credential_id(urn: &str) -> Option<(String, String)> {
    let rest = urn.strip_prefix(URN_PREFIX)?;
    let (typ, encoded) = rest.split_once(':')?;
    check_typ("$.id", typ).ok()?;
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = encoded.get(i + 1..i + 3)?;
            if hex.bytes().any(|c| c.is_ascii_lowercase()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    let id = String::from_utf8(out).ok()?;
    check_id("$.id", &id).ok()?;
    (credential_id(typ, &id) == urn).then(|| (typ.to_string(), id))
}

/// The credential type derived from a document type: its last segment in PascalCase followed
/// by `Credential` (`ls.gov.home-affairs.birth-certificate` → `BirthCertificateCredential`).
///
/// ```
/// assert_eq!(
///     eservices::vc::credential_type("ls.gov.home-affairs.birth-certificate"),
///     "BirthCertificateCredential"
/// );
/// ```
pub fn credential_type(typ: &str) -> String {
    let last = typ.rsplit('.').next().unwrap_or(typ);
    let mut out = String::new();
    for part in last.split('-') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out.push_str("Credential");
    out
}

/// The `statusListCredential` of status list `list`: the credential id of that status list
/// document, `urn:ls-gov:ls.gov.eservices.status-list:<list>`.
pub fn status_list_credential(list: &str) -> String {
    credential_id(STATUS_LIST_TYPE, list)
}

/// The unsecured VC 2.0 credential of a signed document, issued by `issuer` (a DID):
///
/// | member | value |
/// |---|---|
/// | `@context` | `["https://www.w3.org/ns/credentials/v2"]` |
/// | `id` | [`credential_id`]`(typ, id)` |
/// | `type` | `["VerifiableCredential", `[`credential_type`]`(typ)]` |
/// | `issuer` | `issuer` |
/// | `validFrom` | `iat` |
/// | `validUntil` | `exp`, when present |
/// | `credentialSubject` | the payload |
/// | `credentialStatus` | when the document has a status entry: a `BitstringStatusListEntry`, purpose `revocation`, `statusListIndex` the index as a string, `statusListCredential` [`status_list_credential`]`(list)`, `id` that followed by `#<index>` |
pub fn unsecured_credential(envelope: &SignedEnvelope, issuer: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "@context".into(),
        Value::Array(vec![Value::from(CREDENTIALS_V2_CONTEXT)]),
    );
    m.insert(
        "id".into(),
        Value::from(credential_id(envelope.typ(), envelope.id())),
    );
    m.insert(
        "type".into(),
        Value::Array(vec![
            Value::from(VERIFIABLE_CREDENTIAL),
            Value::from(credential_type(envelope.typ())),
        ]),
    );
    m.insert("issuer".into(), Value::from(issuer));
    m.insert(
        "validFrom".into(),
        Value::from(format_time(&envelope.iat())),
    );
    if let Some(exp) = envelope.exp() {
        m.insert("validUntil".into(), Value::from(format_time(&exp)));
    }
    m.insert(
        "credentialSubject".into(),
        Value::Object(envelope.payload().clone()),
    );
    if let Some(status) = envelope.status() {
        let list = status_list_credential(&status.list);
        let mut s = Map::new();
        s.insert("id".into(), Value::from(format!("{list}#{}", status.index)));
        s.insert("type".into(), Value::from(BITSTRING_STATUS_LIST_ENTRY));
        s.insert("statusPurpose".into(), Value::from(REVOCATION));
        s.insert(
            "statusListIndex".into(),
            Value::from(status.index.to_string()),
        );
        s.insert("statusListCredential".into(), Value::from(list));
        m.insert("credentialStatus".into(), Value::Object(s));
    }
    m
}

/// Exports a signed document as a VC 2.0 credential with an `eddsa-jcs-2022` proof, as
/// [`export_value`] does, in RFC 8785 canonical JSON text.
pub fn export(envelope: &SignedEnvelope, signer: &dyn Signer, clock: &dyn Clock) -> Result<String> {
    crate::json::canonical_string(&export_value(envelope, signer, clock)?)
}

/// Exports a signed document as a VC 2.0 credential ([`unsecured_credential`], issuer the
/// `did:key` of the signing key) secured with an `eddsa-jcs-2022` proof made through
/// `signer`, `created` now by `clock` (whole seconds).
///
/// `signer` must hold the Ed25519 key that signed the document, and the document's own
/// signature must verify under it: a credential never says more than the document did.
///
/// Errors: [`Error::VcUnsupportedAlg`] (an ES256 signer or document),
/// [`Error::VcSignerMismatch`], [`Error::VcDocumentSignatureInvalid`],
/// [`Error::SignerFailed`].
pub fn export_value(
    envelope: &SignedEnvelope,
    signer: &dyn Signer,
    clock: &dyn Clock,
) -> Result<Map<String, Value>> {
    if signer.alg() != crate::document::Alg::Ed25519 {
        return Err(Error::VcUnsupportedAlg {
            alg: signer.alg().name().into(),
        });
    }
    if envelope.alg() != crate::document::Alg::Ed25519 {
        return Err(Error::VcUnsupportedAlg {
            alg: envelope.alg().name().into(),
        });
    }
    let key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
    if key.kid() != envelope.kid() {
        return Err(Error::VcSignerMismatch {
            document_kid: envelope.kid().into(),
            signer_kid: key.kid(),
        });
    }
    if !key.verify(&envelope.signing_input()?, envelope.signature()) {
        return Err(Error::VcDocumentSignatureInvalid {
            id: envelope.id().into(),
            kid: envelope.kid().into(),
        });
    }
    let now = clock.now();
    let created = now.with_nanosecond(0).unwrap_or(now);
    let unsecured = unsecured_credential(envelope, &did_key::did(&key)?);
    let options =
        eddsa_jcs_2022::proof_options(&did_key::verification_method(&key)?, Some(&created));
    let secured = eddsa_jcs_2022::add_proof(unsecured, &options, signer)?;
    // What we hand out must read back under the strict parser and verify.
    let text = crate::json::canonical_string(&secured)?;
    let back = crate::json::parse_strict(&text)?;
    let proof_ok = back
        .as_object()
        .map(|m| eddsa_jcs_2022::verify_proof(m).is_ok())
        .unwrap_or(false);
    if !proof_ok || back.as_object() != Some(&secured) {
        return Err(Error::SignerFailed {
            reason: "the exported credential does not verify after a JSON round trip".into(),
        });
    }
    Ok(secured)
}

/// Formats an instant as an XML Schema dateTimeStamp in UTC, whole seconds:
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn format_datetime(t: &DateTime<Utc>) -> String {
    format_time(t)
}

/// Parses an XML Schema `dateTimeStamp` as VC 2.0 and Data Integrity use it:
/// `YYYY-MM-DDTHH:MM:SS`, optionally `.` and 1–9 digits, then `Z` or `±HH:MM`. Years are four
/// digits; the seconds are at most 59. `None` for anything else.
pub(crate) fn parse_datetime_stamp(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let head_ok = b.len() >= 20
        && b.iter().take(19).enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !head_ok || b.get(17).copied()? > b'5' {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let zone_ok = rest == "Z"
        || (rest.len() == 6
            && rest.bytes().enumerate().all(|(i, c)| match i {
                0 => c == b'+' || c == b'-',
                3 => c == b':',
                _ => c.is_ascii_digit(),
            }));
    if !zone_ok {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_stamps() {
        for good in [
            "2023-02-24T23:36:38Z",
            "2023-02-24T23:36:38.123Z",
            "2023-02-24T23:36:38+02:00",
            "2023-02-24T23:36:38.5-05:30",
        ] {
            assert!(parse_datetime_stamp(good).is_some(), "{good}");
        }
        for bad in [
            "2023-02-24T23:36:38",
            "2023-02-24t23:36:38Z",
            "2023-02-24 23:36:38Z",
            "2023-02-24T23:36:60Z",
            "2023-02-30T23:36:38Z",
            "2023-02-24T23:36:38.Z",
            "2023-02-24T23:36:38.1234567890Z",
            "2023-02-24T23:36:38z",
            "2023-02-24T23:36:38+0200",
            "+2023-02-24T23:36:38Z",
            "",
        ] {
            assert!(parse_datetime_stamp(bad).is_none(), "{bad}");
        }
        assert_eq!(
            parse_datetime_stamp("2026-03-01T11:30:00+02:00").map(|t| format_datetime(&t)),
            Some("2026-03-01T09:30:00Z".into())
        );
    }

    #[test]
    fn credential_ids_round_trip_and_are_canonical() {
        for (typ, id) in [
            ("ls.gov.t", "A-1"),
            ("ls.gov.t", "é ü/#%:?"),
            ("ls.gov.t", "~._-"),
        ] {
            let urn = credential_id(typ, id);
            assert!(urn.is_ascii());
            assert_eq!(parse_credential_id(&urn), Some((typ.into(), id.into())));
        }
        for bad in [
            "urn:ls-gov:ls.gov.t:A%2f1",
            "urn:ls-gov:ls.gov.t:%41",
            "urn:ls-gov:ls.gov.t:A%2",
            "urn:ls-gov:ls.gov.t:",
            "urn:ls-gov:Bad:A",
            "urn:ls-gov:ls.gov.t:%FF",
            "urn:ls-gov:ls.gov.t:A B",
            "urn:other:ls.gov.t:A",
        ] {
            assert_eq!(parse_credential_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn credential_types() {
        assert_eq!(credential_type("ls.gov.t"), "TCredential");
        assert_eq!(
            credential_type("ls.gov.transport.driving-licence"),
            "DrivingLicenceCredential"
        );
    }
}
