//! A tamper-evident, append-only audit log.
//!
//! Each entry records who did what to which application, when, with details, and is chained
//! to the entry before it:
//!
//! ```text
//! { "seq": 0, "time": "2026-03-02T08:00:00Z",
//!   "actor": {"id": "citizen-1", "role": "applicant", "office": "online"},
//!   "action": "create", "reference": "MSU-PSP-2026-000123-U",
//!   "details": { ... }, "prev": "<base64url>", "hash": "<base64url>" }
//! ```
//!
//! * `seq` counts from 0 with no gaps; `time` is RFC 3339 UTC ending in `Z`;
//! * `hash` = base64url (no padding) of SHA-256 over the ASCII bytes
//!   `ls.gov.eservices/audit/v1\n` followed by the RFC 8785 (JCS) canonical JSON of the entry
//!   **without** its `hash` member;
//! * `prev` = the previous entry's `hash`; for entry 0, the log's *genesis* hash: the same
//!   construction over `{"log_id": "<log id>"}`, which binds the chain to its log.
//!
//! [`AuditLog::verify`] reports the **first** bad index and what is wrong there
//! ([`TamperKind`]): an edited entry, a deleted, inserted or moved one; against a
//! [`Checkpoint`], a log truncated after the checkpoint. Logs serialise to JSON; read stored
//! ones with [`AuditLog::from_json`] and verify them before appending.
//!
//! ```
//! use eservices::application::{Actor, Role};
//! use eservices::audit::{AuditLog, TamperKind};
//! use eservices::{Error, FixedClock};
//!
//! let clock = FixedClock::parse("2026-03-02T08:00:00Z")?;
//! let clerk = Actor::new("officer-17", Role::Clerk, "MSU")?;
//! let mut log = AuditLog::new("MSU-2026")?;
//! for action in ["create", "note", "note"] {
//!     log.append(&clerk, action, "MSU-PSP-2026-000123-U", Default::default(), &clock)?;
//! }
//! log.verify()?;
//!
//! // Edit entry 1 in storage: verification points at it.
//! let json = log.to_json()?.replace("\"note\"", "\"nothing\"");
//! let tampered = AuditLog::from_json(&json)?;
//! assert_eq!(
//!     tampered.verify(),
//!     Err(Error::AuditLogTampered { index: 1, kind: TamperKind::Edited })
//! );
//! # Ok::<(), eservices::Error>(())
//! ```

mod checkpoint;
mod verify;

pub use checkpoint::{Checkpoint, CHECKPOINT_DOC_TYPE};
pub use verify::TamperKind;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ring::digest::{digest, SHA256};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::application::Actor;
use crate::{json, Clock, Error, Result};

/// The domain tag hashed before every entry (and the genesis object).
pub const AUDIT_DOMAIN: &str = "ls.gov.eservices/audit/v1\n";

/// Longest log id, reference or action name accepted.
pub const MAX_NAME: usize = 128;

/// One audit entry. Build entries only through [`AuditLog::append`]; fields are public for
/// reading and for storage layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was recorded.
    #[serde(with = "utc_time")]
    pub time: DateTime<Utc>,
    /// Who acted.
    pub actor: Actor,
    /// What they did, in snake_case (e.g. `take_into_review`).
    pub action: String,
    /// The application reference it concerns.
    pub reference: String,
    /// Action-specific details (no floats; amounts are decimal strings).
    pub details: Map<String, Value>,
    /// The previous entry's hash (the genesis hash for entry 0).
    pub prev: String,
    /// This entry's hash.
    pub hash: String,
}

/// The hashed part of an entry: everything but `hash`.
#[derive(Serialize)]
struct EntryBody<'a> {
    seq: u64,
    #[serde(with = "utc_time")]
    time: &'a DateTime<Utc>,
    actor: &'a Actor,
    action: &'a str,
    reference: &'a str,
    details: &'a Map<String, Value>,
    prev: &'a str,
}

impl AuditEntry {
    /// The hash this entry's content gives (compare with [`AuditEntry::hash`]).
    pub fn computed_hash(&self) -> Result<String> {
        let body = EntryBody {
            seq: self.seq,
            time: &self.time,
            actor: &self.actor,
            action: &self.action,
            reference: &self.reference,
            details: &self.details,
            prev: &self.prev,
        };
        domain_hash(&body)
    }
}

/// base64url (no padding) of SHA-256 over [`AUDIT_DOMAIN`] and the JCS form of `value`.
fn domain_hash<T: Serialize>(value: &T) -> Result<String> {
    let mut input = AUDIT_DOMAIN.as_bytes().to_vec();
    input.extend_from_slice(&json::canonical(value)?);
    Ok(sha256_b64(&input))
}

/// base64url (no padding) of SHA-256 of `bytes`.
pub(crate) fn sha256_b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, bytes).as_ref())
}

/// The genesis hash of a log: `prev` of its entry 0.
///
/// ```
/// let g = eservices::audit::genesis_hash("MSU-2026")?;
/// assert_eq!(g.len(), 43);
/// # Ok::<(), eservices::Error>(())
/// ```
pub fn genesis_hash(log_id: &str) -> Result<String> {
    let mut genesis = Map::new();
    genesis.insert("log_id".into(), Value::String(log_id.to_string()));
    domain_hash(&genesis)
}

/// An append-only, hash-chained audit log (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLog {
    log_id: String,
    entries: Vec<AuditEntry>,
    /// For a continuation (see [`AuditLog::continuing`]): the `seq` of its first entry and
    /// the hash it chains to. Never serialised.
    #[serde(skip)]
    base: Option<(u64, String)>,
}

impl AuditLog {
    /// An empty log. The id names the log (e.g. office and year, `MSU-2026`): 1 to
    /// [`MAX_NAME`] characters of `A-Z a-z 0-9 . _ : -`.
    pub fn new(log_id: &str) -> Result<Self> {
        check_name("log_id", log_id, |b| {
            b.is_ascii_alphanumeric() || b"._:-".contains(&b)
        })?;
        Ok(AuditLog {
            log_id: log_id.to_string(),
            entries: Vec::new(),
            base: None,
        })
    }

    /// A log that continues a stored one after its last entry `head` (`None`: the stored
    /// log is empty) and holds only the entries appended from here, for a storage layer to
    /// write. Its `verify` is meaningless; the storage layer verifies the whole stored log.
    pub(crate) fn continuing(log_id: &str, head: Option<&AuditEntry>) -> Result<Self> {
        let mut log = AuditLog::new(log_id)?;
        if let Some(head) = head {
            let next = head.seq.checked_add(1).ok_or_else(|| Error::Overflow {
                operation: "audit seq".into(),
            })?;
            log.base = Some((next, head.hash.clone()));
        }
        Ok(log)
    }

    /// A whole log read back from storage, entries in order (verify it before trusting it).
    pub(crate) fn from_entries(log_id: &str, entries: Vec<AuditEntry>) -> Self {
        AuditLog {
            log_id: log_id.to_string(),
            entries,
            base: None,
        }
    }

    /// The log's id.
    pub fn log_id(&self) -> &str {
        &self.log_id
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The hash the next entry will chain to: the last entry's hash, or the genesis hash.
    pub fn head_hash(&self) -> Result<String> {
        match (self.entries.last(), &self.base) {
            (Some(last), _) => Ok(last.hash.clone()),
            (None, Some((_, hash))) => Ok(hash.clone()),
            (None, None) => genesis_hash(&self.log_id),
        }
    }

    /// Appends an entry stamped with the clock's time and returns it. `action` is snake_case
    /// (`a-z 0-9 _`); `reference` is 1 to [`MAX_NAME`] printable characters; `details` must
    /// pass [`json::parse_strict`] (no floats, safe integers, bounded depth). On error the
    /// log is unchanged.
    pub fn append(
        &mut self,
        actor: &Actor,
        action: &str,
        reference: &str,
        details: Map<String, Value>,
        clock: &dyn Clock,
    ) -> Result<&AuditEntry> {
        self.append_at(actor, action, reference, details, clock.now())
    }

    pub(crate) fn append_at(
        &mut self,
        actor: &Actor,
        action: &str,
        reference: &str,
        details: Map<String, Value>,
        time: DateTime<Utc>,
    ) -> Result<&AuditEntry> {
        actor.check()?;
        check_name("action", action, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
        })?;
        check_name("reference", reference, |b| b.is_ascii_graphic())?;
        let text = serde_json::to_string(&details).map_err(|e| Error::InvalidAuditInput {
            input: "details".into(),
            reason: e.to_string(),
        })?;
        json::parse_strict(&text).map_err(|e| Error::InvalidAuditInput {
            input: "details".into(),
            reason: e.to_string(),
        })?;
        let first = self.base.as_ref().map_or(0, |(seq, _)| *seq);
        let seq = u64::try_from(self.entries.len())
            .ok()
            .and_then(|n| n.checked_add(first))
            .ok_or_else(|| Error::Overflow {
                operation: "audit seq".into(),
            })?;
        let mut entry = AuditEntry {
            seq,
            time,
            actor: actor.clone(),
            action: action.to_string(),
            reference: reference.to_string(),
            details,
            prev: self.head_hash()?,
            hash: String::new(),
        };
        entry.hash = entry.computed_hash()?;
        self.entries.push(entry);
        // Just pushed, so `last` is always there.
        self.entries.last().ok_or(Error::Overflow {
            operation: "audit append".into(),
        })
    }

    /// The log as JSON text: `{"log_id": ..., "entries": [...]}`.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// Reads a stored log under the strict JSON profile. This checks the shape only: call
    /// [`AuditLog::verify`] (or [`AuditLog::verify_against`]) before trusting or appending.
    pub fn from_json(text: &str) -> Result<Self> {
        let value = json::parse_strict(text)?;
        serde_json::from_value(value).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })
    }
}

fn check_name(input: &str, text: &str, allowed: impl Fn(u8) -> bool) -> Result<()> {
    if text.is_empty() || text.len() > MAX_NAME || !text.bytes().all(allowed) {
        return Err(Error::InvalidAuditInput {
            input: input.into(),
            reason: format!(
                "{:?} must be 1 to {MAX_NAME} allowed characters",
                text.chars().take(MAX_NAME).collect::<String>()
            ),
        });
    }
    Ok(())
}

/// Serde for UTC times as RFC 3339 text ending in `Z`, with as many fractional digits as
/// needed. Reading refuses any other form, so a stored time re-serialises to the same text
/// (and hashes the same).
pub(crate) mod utc_time {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub(crate) fn format(t: &DateTime<Utc>) -> String {
        t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    pub(crate) fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        let t = DateTime::parse_from_rfc3339(&text)
            .map_err(|e| D::Error::custom(format!("time {text:?}: {e}")))?
            .with_timezone(&Utc);
        if format(&t) != text {
            return Err(D::Error::custom(format!(
                "time {text:?} is not in canonical RFC 3339 UTC form ({})",
                format(&t)
            )));
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::Role;
    use crate::FixedClock;

    fn clerk() -> Actor {
        Actor::new("officer-17", Role::Clerk, "MSU").unwrap()
    }

    #[test]
    fn entries_chain_from_the_genesis_hash() {
        let clock = FixedClock::parse("2026-03-02T08:00:00.250Z").unwrap();
        let mut log = AuditLog::new("MSU-2026").unwrap();
        log.append(&clerk(), "create", "R1", Map::new(), &clock)
            .unwrap();
        log.append(&clerk(), "submit", "R1", Map::new(), &clock)
            .unwrap();
        let e = log.entries();
        assert_eq!(e[0].prev, genesis_hash("MSU-2026").unwrap());
        assert_eq!(e[1].prev, e[0].hash);
        assert_eq!(e[1].seq, 1);
        assert_eq!(e[1].computed_hash().unwrap(), e[1].hash);
        log.verify().unwrap();
        let back = AuditLog::from_json(&log.to_json().unwrap()).unwrap();
        assert_eq!(back, log);
        back.verify().unwrap();
    }

    #[test]
    fn hash_is_domain_tag_plus_jcs() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let mut log = AuditLog::new("L").unwrap();
        let entry = log
            .append(&clerk(), "create", "R1", Map::new(), &clock)
            .unwrap()
            .clone();
        let mut v = serde_json::to_value(&entry).unwrap();
        v.as_object_mut().unwrap().remove("hash");
        let jcs = json::canonical_string(&v).unwrap();
        assert!(jcs.starts_with("{\"action\":\"create\",\"actor\":{\"id\":\"officer-17\""));
        assert!(jcs.contains("\"time\":\"2026-03-02T08:00:00Z\""));
        let expected = sha256_b64(format!("{AUDIT_DOMAIN}{jcs}").as_bytes());
        assert_eq!(entry.hash, expected);
    }

    #[test]
    fn bad_input_leaves_the_log_unchanged() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let mut log = AuditLog::new("L").unwrap();
        assert!(AuditLog::new("").is_err());
        assert!(AuditLog::new("a b").is_err());
        assert!(log
            .append(&clerk(), "Create", "R1", Map::new(), &clock)
            .is_err());
        assert!(log
            .append(&clerk(), "create", "", Map::new(), &clock)
            .is_err());
        let mut float = Map::new();
        float.insert("x".into(), serde_json::json!(1.5));
        let e = log
            .append(&clerk(), "create", "R1", float, &clock)
            .unwrap_err();
        assert_eq!(e.code(), "invalid_audit_input");
        assert!(log.is_empty());
    }

    #[test]
    fn non_canonical_times_are_refused_on_reading() {
        let clock = FixedClock::parse("2026-03-02T08:00:00Z").unwrap();
        let mut log = AuditLog::new("L").unwrap();
        log.append(&clerk(), "create", "R1", Map::new(), &clock)
            .unwrap();
        let json = log.to_json().unwrap();
        let shifted = json.replace("2026-03-02T08:00:00Z", "2026-03-02T10:00:00+02:00");
        assert_eq!(
            AuditLog::from_json(&shifted).unwrap_err().code(),
            "invalid_json"
        );
    }
}
