//! Property tests of audit-log verification: for random logs and random tampering, `verify`
//! reports the exact first bad index and kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use eservices::application::{Actor, Role};
use eservices::audit::{genesis_hash, AuditEntry, AuditLog, Checkpoint, TamperKind};
use eservices::{Error, FixedClock};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn log_of(n: usize) -> AuditLog {
    let mut log = AuditLog::new("BER-2026").unwrap();
    for i in 0..n {
        let actor = Actor::new(format!("officer-{}", i % 3), Role::Clerk, "BER").unwrap();
        let clock = FixedClock::parse(&format!("2026-04-01T08:{:02}:00Z", i % 60)).unwrap();
        let mut details = Map::new();
        details.insert("step".into(), Value::from(i as u64));
        log.append(&actor, "note", "BER-BRC-2026-000042-N", details, &clock)
            .unwrap();
    }
    log
}

fn with_entries(log: &AuditLog, entries: Vec<AuditEntry>) -> AuditLog {
    let mut v: Value = serde_json::from_str(&log.to_json().unwrap()).unwrap();
    v["entries"] = serde_json::to_value(entries).unwrap();
    AuditLog::from_json(&v.to_string()).unwrap()
}

fn tampered(index: usize, kind: TamperKind) -> Result<(), Error> {
    Err(Error::AuditLogTampered {
        index: index as u64,
        kind,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn untouched_logs_verify(n in 0usize..20) {
        let log = log_of(n);
        prop_assert!(log.verify().is_ok());
        let cp = Checkpoint::of(&log, &FixedClock::parse("2026-05-01T00:00:00Z").unwrap()).unwrap();
        prop_assert!(log.verify_against(&cp).is_ok());
    }

    #[test]
    fn edits_are_found(n in 1usize..20, pick in any::<prop::sample::Index>(), rehash in any::<bool>()) {
        let log = log_of(n);
        let i = pick.index(n);
        let mut e = log.entries().to_vec();
        e[i].details.insert("step".into(), Value::from(1000u64));
        if rehash {
            e[i].hash = e[i].computed_hash().unwrap();
        }
        let t = with_entries(&log, e);
        if rehash && i == n - 1 {
            prop_assert!(t.verify().is_ok());
        } else {
            prop_assert_eq!(t.verify(), tampered(i, TamperKind::Edited));
        }
    }

    #[test]
    fn deletions_are_found(n in 2usize..20, pick in any::<prop::sample::Index>(), count in 1usize..4) {
        let log = log_of(n);
        let i = pick.index(n - 1);
        let end = (i + count).min(n - 1);
        let mut e = log.entries().to_vec();
        e.drain(i..end);
        prop_assert_eq!(with_entries(&log, e).verify(), tampered(i, TamperKind::Deleted));
    }

    #[test]
    fn moves_are_found(n in 2usize..20, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let log = log_of(n);
        let (from, to) = (a.index(n), b.index(n));
        prop_assume!(from != to);
        let mut e = log.entries().to_vec();
        let moved = e.remove(from);
        e.insert(to, moved);
        prop_assert_eq!(with_entries(&log, e).verify(), tampered(from.min(to), TamperKind::Reordered));
    }

    #[test]
    fn forged_insertions_are_found(
        n in 1usize..20,
        pick in any::<prop::sample::Index>(),
        well_formed in any::<bool>(),
        seq in 0u64..40,
    ) {
        let log = log_of(n);
        let i = pick.index(n); // before an existing entry: appending at the end is not tampering
        let (seq, prev) = if well_formed {
            let prev = if i == 0 { genesis_hash("BER-2026").unwrap() } else { log.entries()[i - 1].hash.clone() };
            (i as u64, prev)
        } else {
            (seq, "AAAA".to_string())
        };
        let mut forged = AuditEntry {
            seq,
            time: log.entries()[i].time,
            actor: Actor::new("intruder", Role::Approver, "BER").unwrap(),
            action: "approve".into(),
            reference: "BER-BRC-2026-000042-N".into(),
            details: Map::new(),
            prev,
            hash: String::new(),
        };
        forged.hash = forged.computed_hash().unwrap();
        let mut e = log.entries().to_vec();
        e.insert(i, forged);
        prop_assert_eq!(with_entries(&log, e).verify(), tampered(i, TamperKind::Inserted));
    }

    #[test]
    fn truncations_are_found_against_a_checkpoint(n in 1usize..20, keep in any::<prop::sample::Index>()) {
        let log = log_of(n);
        let cp = Checkpoint::of(&log, &FixedClock::parse("2026-05-01T00:00:00Z").unwrap()).unwrap();
        let keep = keep.index(n);
        let t = with_entries(&log, log.entries()[..keep].to_vec());
        prop_assert!(t.verify().is_ok());
        prop_assert_eq!(t.verify_against(&cp), tampered(keep, TamperKind::Truncated));
    }
}
