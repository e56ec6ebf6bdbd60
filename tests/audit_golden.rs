//! A golden audit log: exact bytes that any other implementation of the entry hash can check
//! itself against (see tests/data/audit/SOURCE.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use eservices::application::{Actor, Role};
use eservices::audit::{AuditLog, Checkpoint};
use eservices::FixedClock;
use serde_json::{json, Map, Value};

const GOLDEN: &str = include_str!("data/audit/golden_log.json");
const GOLDEN_CHECKPOINT: &str = include_str!("data/audit/golden_checkpoint.json");

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn build() -> AuditLog {
    let reference = "MSU-PSP-2026-000123-U";
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let clerk = Actor::new("officer-1", Role::Clerk, "MSU").unwrap();
    let reviewer = Actor::new("officer-2", Role::Reviewer, "MSU").unwrap();
    let steps: [(&Actor, &str, &str, Value); 4] = [
        (
            &citizen,
            "create",
            "2026-03-02T08:00:00Z",
            json!({"to": "draft"}),
        ),
        (
            &citizen,
            "submit",
            "2026-03-02T08:06:00.5Z",
            json!({"from": "draft", "to": "submitted", "revision": 1}),
        ),
        (
            &clerk,
            "take_into_review",
            "2026-03-02T09:00:00Z",
            json!({"from": "submitted", "to": "under_review"}),
        ),
        (
            &reviewer,
            "return_for_correction",
            "2026-03-02T10:00:00Z",
            json!({
                "from": "under_review",
                "to": "returned_for_correction",
                "corrections": [{"field": "date_of_birth", "reason": "Letsatsi la tsoalo ha le lumellane — see € note"}]
            }),
        ),
    ];
    let mut log = AuditLog::new("MSU-2026").unwrap();
    for (actor, action, time, details) in steps {
        let clock = FixedClock::parse(time).unwrap();
        log.append(actor, action, reference, obj(details), &clock)
            .unwrap();
    }
    log
}

#[test]
fn building_the_golden_log_gives_the_same_bytes() {
    let log = build();
    let pretty = serde_json::to_string_pretty(&log).unwrap();
    if std::env::var_os("PRINT_GOLDEN").is_some() {
        println!("{pretty}");
        let cp = Checkpoint::of(&log, &FixedClock::parse("2026-03-02T12:00:00Z").unwrap()).unwrap();
        println!("{}", serde_json::to_string_pretty(&cp).unwrap());
    }
    assert_eq!(pretty, GOLDEN.trim_end());
}

#[test]
fn the_golden_log_verifies_against_its_checkpoint() {
    let log = AuditLog::from_json(GOLDEN).unwrap();
    log.verify().unwrap();
    let checkpoint: Checkpoint = serde_json::from_str(GOLDEN_CHECKPOINT).unwrap();
    log.verify_against(&checkpoint).unwrap();
    assert_eq!(checkpoint.seq, 4);
}
