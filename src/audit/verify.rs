//! Verifying a log: the first bad index and what is wrong there.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{genesis_hash, AuditEntry, AuditLog, Checkpoint};
use crate::{Error, Result};

/// What is wrong at the first bad index of an audit log.
///
/// Walking the log from entry 0, each entry must hash to its `hash`, carry `seq` equal to its
/// index, and chain (`prev`) to the entry before. At the first entry that does not, the
/// verifier works out the simplest explanation:
///
/// | kind | what the log shows at index *i* | reported index |
/// |---|---|---|
/// | `edited` | the entry's content no longer gives its hash | *i* |
/// | `edited` | the entry is numbered right but chains to a different predecessor (the predecessor was rewritten and re-hashed) | *i* − 1 |
/// | `inserted` | removing the entry (or a run ending before *i*) makes the chain whole again | first extra entry |
/// | `deleted` | the entry's `seq` is ahead of its index and the missing `seq` is nowhere in the log | *i* |
/// | `reordered` | the entry's `seq` is ahead, the missing `seq` appears later, and the entry still chains to its true predecessor | *i* |
/// | `truncated` | (against a checkpoint) the log is shorter than the checkpoint | first missing index |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum TamperKind {
    /// The entry's content was changed.
    Edited,
    /// One or more entries were removed here.
    Deleted,
    /// An entry that was never appended sits here.
    Inserted,
    /// Entries are out of order from here.
    Reordered,
    /// Entries recorded before a checkpoint are missing from the end.
    Truncated,
}

impl TamperKind {
    /// The stable snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            TamperKind::Edited => "edited",
            TamperKind::Deleted => "deleted",
            TamperKind::Inserted => "inserted",
            TamperKind::Reordered => "reordered",
            TamperKind::Truncated => "truncated",
        }
    }
}

impl fmt::Display for TamperKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn tampered(index: usize, kind: TamperKind) -> Error {
    Error::AuditLogTampered {
        index: index as u64,
        kind,
    }
}

impl AuditLog {
    /// Checks the whole chain; on failure, [`Error::AuditLogTampered`] with the first bad
    /// index and its [`TamperKind`] (see [`TamperKind`] for how each is told apart). An edit that
    /// re-hashes the last entries, or a truncation, is only visible against a checkpoint:
    /// see [`AuditLog::verify_against`].
    pub fn verify(&self) -> Result<()> {
        let entries = &self.entries;
        // Which entries are internally sound (content gives the stored hash).
        let sound: Vec<bool> = entries
            .iter()
            .map(|e| e.computed_hash().is_ok_and(|h| h == e.hash))
            .collect();
        let genesis = genesis_hash(&self.log_id)?;
        let mut expected_prev = genesis.as_str();
        for (i, e) in entries.iter().enumerate() {
            if !sound.get(i).copied().unwrap_or(false) {
                return Err(tampered(i, TamperKind::Edited));
            }
            if e.seq == i as u64 && e.prev == expected_prev {
                expected_prev = &e.hash;
                continue;
            }
            return Err(classify(entries, &sound, i, expected_prev));
        }
        Ok(())
    }

    /// [`AuditLog::verify`], then checks the log against a checkpoint of it: same log id
    /// ([`Error::CheckpointMismatch`] otherwise), at least `seq` entries (`truncated`
    /// otherwise), and entry `seq − 1` has the checkpoint's head hash (`edited` otherwise).
    ///
    /// Whether the checkpoint itself is authentic (its signature) is the caller's to check
    /// first; see [`Checkpoint`].
    pub fn verify_against(&self, checkpoint: &Checkpoint) -> Result<()> {
        if checkpoint.log_id != self.log_id {
            return Err(Error::CheckpointMismatch {
                log_id: self.log_id.clone(),
                checkpoint_log_id: checkpoint.log_id.clone(),
            });
        }
        self.verify()?;
        let Ok(count) = usize::try_from(checkpoint.seq) else {
            return Err(tampered(self.entries.len(), TamperKind::Truncated));
        };
        if self.entries.len() < count {
            return Err(tampered(self.entries.len(), TamperKind::Truncated));
        }
        let head = match count.checked_sub(1) {
            None => genesis_hash(&self.log_id)?,
            Some(last) => match self.entries.get(last) {
                Some(e) => e.hash.clone(),
                None => return Err(tampered(last, TamperKind::Truncated)),
            },
        };
        if head != checkpoint.head_hash {
            return Err(tampered(count.saturating_sub(1), TamperKind::Edited));
        }
        Ok(())
    }
}

/// Explains the first break at index `i`: entry `i` is sound but does not have `seq == i` or
/// does not chain to `expected_prev` (the hash of entry `i − 1`, or the genesis hash).
fn classify(entries: &[AuditEntry], sound: &[bool], i: usize, expected_prev: &str) -> Error {
    let Some(e) = entries.get(i) else {
        return tampered(i, TamperKind::Truncated);
    };
    let next = entries.get(i + 1);
    let next_sound = sound.get(i + 1).copied().unwrap_or(false);
    let index = i as u64;

    // Sound entries by seq (a seq may appear more than once in a tampered log).
    let mut by_seq: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (j, x) in entries.iter().enumerate() {
        if sound.get(j).copied().unwrap_or(false) {
            by_seq.entry(x.seq).or_default().push(j);
        }
    }
    let holders = |seq: u64| by_seq.get(&seq).map(Vec::as_slice).unwrap_or(&[]);

    // Moved: the entry is the only one with its seq, the seq due here appears later, and it
    // still chains to its true predecessor (a sound entry with seq − 1).
    if e.seq > index && holders(e.seq).len() == 1 {
        let due_later = holders(index).iter().any(|&j| j > i);
        let chains_to_predecessor = holders(e.seq - 1)
            .iter()
            .any(|&j| entries.get(j).is_some_and(|p| p.hash == e.prev));
        if due_later && chains_to_predecessor {
            return tampered(i, TamperKind::Reordered);
        }
    }

    // Extra entry: without it, the next entry continues the chain exactly.
    if let Some(n) = next {
        if next_sound && n.seq == index && n.prev == expected_prev {
            return tampered(i, TamperKind::Inserted);
        }
    }

    if e.seq == index {
        // Numbered right, chained wrong.
        if i == 0 {
            return tampered(0, TamperKind::Edited);
        }
        let next_chains_here =
            next.is_some_and(|n| next_sound && n.seq == index + 1 && n.prev == e.hash);
        if next.is_none() || next_chains_here {
            // This entry is genuine; the predecessor was rewritten and re-hashed.
            return tampered(i - 1, TamperKind::Edited);
        }
        // Neither its predecessor nor its successor agrees with it: it was replaced.
        return tampered(i, TamperKind::Edited);
    }

    if e.seq > index {
        if holders(index).is_empty() {
            return tampered(i, TamperKind::Deleted);
        }
        return tampered(i, TamperKind::Edited);
    }

    // e.seq < index: a second entry with an earlier seq s. Either it is a copy or a forgery
    // (inserted here), or the run s..i is the insertion and this is the genuine entry s.
    let s = e.seq as usize;
    let original = entries.get(s);
    if original.is_some_and(|o| o.hash == e.hash) {
        return tampered(i, TamperKind::Inserted);
    }
    let same_parent = original.is_some_and(|o| o.prev == e.prev);
    let next_chains_here = next.is_some_and(|n| next_sound && n.prev == e.hash);
    if same_parent && (next_chains_here || (next.is_none() && i - s == 1)) {
        return tampered(s, TamperKind::Inserted);
    }
    tampered(i, TamperKind::Inserted)
}
