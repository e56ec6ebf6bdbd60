//! Checkpoints: a statement of a log's length and head hash at a moment, which an auditor
//! keeps (signed) to prove later that the log was not truncated or rewritten.
//!
//! **Signing is pending**: the signed-envelope format and the `Signer` belong to the
//! signed-documents module. [`CheckpointSigner`] is the boundary it will implement: it turns
//! a checkpoint's [`payload`](Checkpoint::payload) into a signed envelope of type
//! [`CHECKPOINT_DOC_TYPE`]. A verifier checks the envelope's signature with the document
//! verifier, reads the checkpoint back with [`Checkpoint::from_payload`], then calls
//! [`AuditLog::verify_against`](super::AuditLog::verify_against).

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AuditLog;
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
        // Re-read strictly: refuses floats, unsafe integers and unknown members.
        let text = serde_json::to_string(payload).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })?;
        let value = json::parse_strict(&text)?;
        serde_json::from_value(value).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// The id for the checkpoint's envelope: `<log id>@<seq>`, e.g. `MSU-2026@12`.
    pub fn document_id(&self) -> String {
        format!("{}@{}", self.log_id, self.seq)
    }

    /// Signs the checkpoint through `signer` (see [`CheckpointSigner`]).
    pub fn sign(&self, signer: &dyn CheckpointSigner) -> Result<String> {
        signer.sign_checkpoint(CHECKPOINT_DOC_TYPE, &self.document_id(), &self.payload()?)
    }
}

/// The boundary to the signed-documents module (pending): wraps a payload in a signed
/// envelope (`typ` = `doc_type`, `id` = `id`) and returns the envelope's JSON text.
pub trait CheckpointSigner {
    /// Signs `payload` as document `id` of type `doc_type`.
    fn sign_checkpoint(&self, doc_type: &str, id: &str, payload: &Value) -> Result<String>;
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

    struct FakeSigner;
    impl CheckpointSigner for FakeSigner {
        fn sign_checkpoint(&self, doc_type: &str, id: &str, payload: &Value) -> Result<String> {
            Ok(format!(
                "{doc_type}|{id}|{}",
                json::canonical_string(payload)?
            ))
        }
    }

    #[test]
    fn signing_goes_through_the_boundary() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let cp = Checkpoint::of(&AuditLog::new("L").unwrap(), &clock).unwrap();
        let signed = cp.sign(&FakeSigner).unwrap();
        assert!(signed.starts_with("ls.gov.eservices.audit-checkpoint|L@0|{\"head_hash\""));
    }
}
