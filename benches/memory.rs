//! Heap while verifying 10 000 signed documents in a loop.
//!
//! Loads a verifier (trust list and a 131 072-entry status list), issues 10 000 distinct 1 KB
//! Ed25519 documents (kept in memory as the input), then verifies each in turn, sampling the
//! live heap every 1 000 documents. Reports, from the `dhat` counting allocator: the heap held
//! by the loaded verifier, the input, the peak above verifier + input during the loop, and
//! the heap left after it (the same as before: nothing kept per document).
//!
//! Exits with an error if a document fails to verify; measures, never asserts a size.
//!
//! `cargo bench --bench memory`

use std::error::Error;
use std::sync::Arc;

use eservices::document::{parse_time, Issuer, SoftwareSigner, StatusEntry};
use eservices::status::{StatusListManager, STATUS_LIST_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::Verifier;
use eservices::FixedClock;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const DOCUMENTS: u64 = 10_000;
const PAYLOAD_1K: &str = include_str!("data/payload-1k.json");

fn heap() -> (usize, usize) {
    let stats = dhat::HeapStats::get();
    (stats.curr_bytes, stats.max_bytes)
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() -> Result<(), Box<dyn Error>> {
    let clock = Arc::new(FixedClock::parse("2026-03-02T09:30:00Z")?);
    let root = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?),
        clock.clone(),
    )?;
    let issuer = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&[2; 32])?),
        clock.clone(),
    )?;
    let trust = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "Home Affairs".into(),
            public_key: issuer.public_key().clone(),
            not_before: parse_time("2026-01-01T00:00:00Z")?,
            not_after: parse_time("2028-01-01T00:00:00Z")?,
            doc_types: vec!["ls.gov.home-affairs.*".into(), STATUS_LIST_TYPE.into()],
        }],
    }
    .sign(&root, None)?;
    let mut status = StatusListManager::new("home-affairs-2026-1", 131_072)?;
    let mut documents = Vec::with_capacity(DOCUMENTS as usize);
    for n in 0..DOCUMENTS {
        let entry: StatusEntry = status.allocate()?;
        let id = format!("BC-MSU-2026-{n:06}");
        let payload = PAYLOAD_1K.trim_end().replace("BC-MSU-2026-004211", &id);
        documents.push(
            issuer
                .issue(
                    "ls.gov.home-affairs.birth-certificate",
                    &id,
                    &payload,
                    None,
                    Some(entry),
                )?
                .json,
        );
    }
    let published = status.publish(&issuer, parse_time("2026-03-08T00:00:00Z")?)?;
    let input_bytes: usize = documents.iter().map(|d| d.capacity()).sum();

    // What the loaded verifier holds (counted from here only).
    let profiler = dhat::Profiler::builder().testing().build();
    let mut verifier = Verifier::new(root.public_key().clone(), &trust.json, clock.clone())?;
    verifier.add_status_list(&published.json)?;
    let (loaded, loading_peak) = heap();
    drop(profiler);

    // The loop, counted from zero: the peak is what verification adds at any moment.
    let mut samples = Vec::with_capacity(DOCUMENTS as usize / 1000);
    let profiler = dhat::Profiler::builder().testing().build();
    for (i, doc) in documents.iter().enumerate() {
        let verdict = verifier.verify_json(doc);
        if !verdict.is_valid() {
            return Err(format!("document {i} does not verify: {verdict:?}").into());
        }
        drop(verdict);
        if (i + 1) % 1000 == 0 {
            samples.push(heap().0);
        }
    }
    let (left, peak) = heap();
    let total = dhat::HeapStats::get();
    drop(profiler);
    println!(
        "input: {DOCUMENTS} documents, {} ({} bytes each on average)",
        kib(input_bytes),
        input_bytes / DOCUMENTS as usize
    );
    println!(
        "verifier with its trust list and 131 072-entry status list: {} (peak while loading {})",
        kib(loaded),
        kib(loading_peak)
    );
    println!(
        "verifying {DOCUMENTS} documents: peak heap above verifier + input {}; {} allocations, {} in all",
        kib(peak),
        total.total_blocks,
        kib(total.total_bytes as usize)
    );
    println!(
        "live heap every 1 000 documents (bytes): {}",
        samples
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("heap left after the loop: {left} bytes");
    Ok(())
}
