//! Checkpoints: a statement of a log's length and head hash at a moment, which an auditor
//! keeps (signed) to prove later that the log was not truncated or rewritten.
//!
//! A checkpoint is signed with [`Checkpoint::sign`] as a signed envelope of type
//! [`CHECKPOINT_DOC_TYPE`] (the signed-documents wire format, through the same
//! [`Issuer`]/[`Signer`](crate::document::Signer) as documents). An auditor checks it with
//! [`Checkpoint::verify_signed`] (the document [`Verifier`]: trust list, key validity, type
//! authorisation), then calls [`AuditLog::verify_against`](super::AuditLog::verify_against).

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AuditLog;
use crate::document::{IssuedDocument, Issuer};
use crate::verify::{Reason, Verdict, Verifier};
use crate::{json, Clock, Error, Result};

/// The document type of a signed checkpoint envelope.
pub const CHECKPOINT_DOC_TYPE: &str = "ls.gov.eservices.audit-checkpoint";

/// A log's head at a moment. Its payload is the JSON object
/// `{"log_id": ..., "seq": <number of entries>, "head_hash": ..., "time": "<RFC 3339 UTC, whole seconds>"}`;
/// `head_hash` is the last entry's hash (the genesis hash for an empty log).
///
/// ```
/// use eservices::application::{Actor, Role};
/// use eservices::audit::{AuditLog, Checkpoint, TamperKind};
/// use eservices::{Error, FixedClock};
///
/// let clock = FixedClock::parse("2026-03-02T08:00:00Z")?;
/// let clerk = Actor::new("officer-17", Role::Clerk, "MSU")?;
/// let mut log = AuditLog::new("MSU-2026")?;
/// log.append(&clerk, "create", "MSU-PSP-2026-000123-U", Default::default(), &clock)?;
/// log.append(&clerk, "submit", "MSU-PSP-2026-000123-U", Default::default(), &clock)?;
/// let checkpoint = Checkpoint::of(&log, &clock)?;
/// assert_eq!(checkpoint.seq, 2);
///
/// // Drop the last entry: only the checkpoint reveals it.
/// let mut value: serde_json::Value = serde_json::from_str(&log.to_json()?)?;
/// value["entries"].as_array_mut().map(|e| e.pop());
/// let truncated = AuditLog::from_json(&value.to_string())?;
/// truncated.verify()?;
/// assert_eq!(
///     truncated.verify_against(&checkpoint),
///     Err(Error::AuditLogTampered { index: 1, kind: TamperKind::Truncated })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The log's id.
    pub log_id: String,
    /// The number of entries covered.
    pub seq: u64,
    /// The hash of entry `seq − 1` (or the genesis hash when `seq` is 0).
    pub head_hash: String,
    /// When the checkpoint was taken (whole seconds).
    #[serde(with = "super::utc_time")]
    pub time: DateTime<Utc>,
}

impl Checkpoint {
    /// A checkpoint of the log as it is now. Verifies the log first: a checkpoint never
    /// vouches for a broken chain.
    pub fn of(log: &AuditLog, clock: &dyn Clock) -> Result<Self> {
        log.verify()?;
        let now = clock.now();
        Ok(Checkpoint {
            log_id: log.log_id().to_string(),
            seq: u64::try_from(log.len()).map_err(|_| Error::Overflow {
                operation: "checkpoint seq".into(),
            })?,
            head_hash: log.head_hash()?,
            time: now.with_nanosecond(0).unwrap_or(now),
        })
    }

    /// The JSON object to sign (the envelope's `payload`).
    pub fn payload(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// The RFC 8785 canonical bytes of the payload.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>> {
        json::canonical(&self.payload()?)
    }

    /// Reads a checkpoint back from a (verified) envelope's payload.
    pub fn from_payload(payload: &Value) -> Result<Self> {
        let text = serde_json::to_string(payload).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })?;
        Self::from_json(&text)
    }

    /// Reads a checkpoint from its payload's JSON text, strictly: refuses floats, unsafe
    /// integers and unknown members.
    pub fn from_json(text: &str) -> Result<Self> {
        let value = json::parse_strict(text)?;
        serde_json::from_value(value).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// The id for the checkpoint's envelope: `<log id>@<seq>`, e.g. `MSU-2026@12`.
    pub fn document_id(&self) -> String {
        format!("{}@{}", self.log_id, self.seq)
    }

    /// Signs the checkpoint as a signed envelope (type [`CHECKPOINT_DOC_TYPE`], id
    /// [`document_id`](Self::document_id)) with the same [`Issuer`] (and so the same
    /// [`Signer`](crate::document::Signer)) that signs documents. The issuer's key must be
    /// trust-listed for [`CHECKPOINT_DOC_TYPE`] for verifiers to accept it.
    pub fn sign(&self, issuer: &Issuer) -> Result<IssuedDocument> {
        let payload = match self.payload()? {
            Value::Object(map) => map,
            _ => {
                return Err(Error::InvalidJson {
                    path: "$".into(),
                    reason: "a checkpoint payload must be a JSON object".into(),
                })
            }
        };
        issuer.issue_object(
            CHECKPOINT_DOC_TYPE,
            &self.document_id(),
            payload,
            None,
            None,
        )
    }

    /// Verifies a signed checkpoint (JSON or QR text) with a document [`Verifier`] and reads
    /// it back. Anything but a valid envelope of type [`CHECKPOINT_DOC_TYPE`] whose id matches
    /// its content is refused with [`Error::Rejected`], carrying the verifier's reason
    /// (`malformed` for a valid envelope that is not a well-formed checkpoint).
    pub fn verify_signed(signed: &str, verifier: &Verifier) -> Result<Self> {
        let document = match verifier.verify(signed) {
            Verdict::Valid { document } => document,
            Verdict::Invalid { reason, detail } => {
                return Err(Error::Rejected {
                    what: "audit checkpoint".into(),
                    reason,
                    detail,
                })
            }
        };
        if document.typ != CHECKPOINT_DOC_TYPE {
            return Err(Error::Rejected {
                what: "audit checkpoint".into(),
                reason: Reason::Malformed,
                detail: format!(
                    "document type is {:?}, not {CHECKPOINT_DOC_TYPE:?}",
                    document.typ
                ),
            });
        }
        let checkpoint = Checkpoint::from_json(&document.payload)?;
        if checkpoint.document_id() != document.id {
            return Err(Error::Rejected {
                what: "audit checkpoint".into(),
                reason: Reason::Malformed,
                detail: format!(
                    "envelope id {:?} does not name the checkpoint it carries ({:?})",
                    document.id,
                    checkpoint.document_id()
                ),
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{Actor, Role};
    use crate::FixedClock;

    #[test]
    fn payload_round_trips_and_is_canonical() {
        let clock = FixedClock::parse("2026-03-02T08:00:00.750Z").unwrap();
        let log = AuditLog::new("MSU-2026").unwrap();
        let cp = Checkpoint::of(&log, &clock).unwrap();
        assert_eq!(cp.seq, 0);
        let text = String::from_utf8(cp.canonical_bytes().unwrap()).unwrap();
        assert_eq!(
            text,
            format!(
                "{{\"head_hash\":\"{}\",\"log_id\":\"MSU-2026\",\"seq\":0,\"time\":\"2026-03-02T08:00:00Z\"}}",
                crate::audit::genesis_hash("MSU-2026").unwrap()
            )
        );
        assert_eq!(
            Checkpoint::from_payload(&cp.payload().unwrap()).unwrap(),
            cp
        );
        log.verify_against(&cp).unwrap();
    }

    #[test]
    fn checkpoint_of_another_log_is_refused() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let a = AuditLog::new("A").unwrap();
        let b = AuditLog::new("B").unwrap();
        let cp = Checkpoint::of(&a, &clock).unwrap();
        assert_eq!(
            b.verify_against(&cp).unwrap_err().code(),
            "checkpoint_mismatch"
        );
    }

    #[test]
    fn rewritten_head_is_detected_against_a_checkpoint() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let clerk = Actor::new("c", Role::Clerk, "MSU").unwrap();
        let mut log = AuditLog::new("L").unwrap();
        log.append(&clerk, "create", "R", Default::default(), &clock)
            .unwrap();
        let cp = Checkpoint::of(&log, &clock).unwrap();
        // Rebuild the log with a different first entry: internally sound, but not the one
        // the checkpoint saw.
        let mut forged = AuditLog::new("L").unwrap();
        forged
            .append(&clerk, "submit", "R", Default::default(), &clock)
            .unwrap();
        forged.verify().unwrap();
        assert_eq!(
            forged.verify_against(&cp),
            Err(Error::AuditLogTampered {
                index: 0,
                kind: crate::audit::TamperKind::Edited
            })
        );
    }

    #[test]
    fn signed_checkpoints_verify_and_forgeries_do_not() {
        use crate::document::SoftwareSigner;
        use crate::trust::{TrustList, TrustedKey};
        use std::sync::Arc;

        let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z").unwrap());
        let root = Issuer::new(
            Arc::new(SoftwareSigner::ed25519_from_seed(&[7; 32]).unwrap()),
            clock.clone(),
        )
        .unwrap();
        let office = Issuer::new(
            Arc::new(SoftwareSigner::ed25519_from_seed(&[8; 32]).unwrap()),
            clock.clone(),
        )
        .unwrap();
        let trust = TrustList {
            issuer: "test".into(),
            seq: 1,
            keys: vec![TrustedKey {
                name: "MSU office".into(),
                public_key: office.public_key().clone(),
                not_before: crate::document::parse_time("2026-01-01T00:00:00Z").unwrap(),
                not_after: crate::document::parse_time("2027-01-01T00:00:00Z").unwrap(),
                doc_types: vec![CHECKPOINT_DOC_TYPE.into()],
            }],
        }
        .sign(&root, None)
        .unwrap();
        let verifier =
            Verifier::new(root.public_key().clone(), &trust.json, clock.clone()).unwrap();

        let clerk = Actor::new("c", Role::Clerk, "MSU").unwrap();
        let mut log = AuditLog::new("L").unwrap();
        log.append(&clerk, "create", "R", Default::default(), clock.as_ref())
            .unwrap();
        let cp = Checkpoint::of(&log, clock.as_ref()).unwrap();
        let signed = cp.sign(&office).unwrap();
        assert_eq!(signed.envelope.typ(), CHECKPOINT_DOC_TYPE);
        assert_eq!(signed.envelope.id(), "L@1");
        let back = Checkpoint::verify_signed(&signed.json, &verifier).unwrap();
        assert_eq!(back, cp);
        log.verify_against(&back).unwrap();

        // A checkpoint edited after signing (claiming a shorter log) is refused.
        let forged = signed.json.replace("\"seq\":1", "\"seq\":0");
        assert_ne!(forged, signed.json);
        match Checkpoint::verify_signed(&forged, &verifier) {
            Err(Error::Rejected { reason, .. }) => assert_eq!(reason, Reason::BadSignature),
            other => panic!("expected a rejection, got {other:?}"),
        }
        // The root (not trust-listed for checkpoints) cannot sign one.
        let by_root = cp.sign(&root).unwrap();
        assert_eq!(
            Checkpoint::verify_signed(&by_root.json, &verifier)
                .unwrap_err()
                .code(),
            "rejected"
        );
    }
}
