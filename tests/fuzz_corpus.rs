//! Replays the committed fuzz corpus (`tests/fuzz/corpus/<target>/`) and every input that once
//! crashed a target (`tests/data/fuzz-regressions/<target>/`) through the same bodies the
//! cargo-fuzz targets run (`tests/fuzz/bodies.rs`), on stable, in seconds: CI runs it with
//! `cargo test`. See the README, "Fuzzing".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fuzz/bodies.rs"]
mod bodies;

use std::path::{Path, PathBuf};

type Body = fn(&[u8]);

const TARGETS: &[(&str, Body)] = &[
    ("envelope", bodies::envelope),
    ("qr", bodies::qr),
    ("trust_list", bodies::trust_list),
    ("status_list", bodies::status_list),
    ("catalogue", bodies::catalogue),
    ("reference", bodies::reference),
    ("receipt_audit", bodies::receipt_audit),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// Runs `body` over every file of `dir`, and names every file that panicked.
fn replay(target: &str, body: Body, dir: &Path) -> usize {
    let mut failed = Vec::new();
    let files = files(dir);
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: panicked on {failed:#?}");
    files.len()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

#[test]
fn the_committed_corpus_replays_without_a_crash() {
    for (target, body) in TARGETS {
        let n = replay(target, *body, &root().join("fuzz/corpus").join(target));
        assert!(n > 0, "no corpus for {target}");
    }
}

#[test]
fn every_input_that_once_crashed_a_target_is_handled() {
    for (target, body) in TARGETS {
        replay(
            target,
            *body,
            &root().join("data/fuzz-regressions").join(target),
        );
    }
}
