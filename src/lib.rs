#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod application; // lifecycle, roles with maker-checker, reference numbers, attachments
pub mod audit; // tamper-evident hash-chained audit log and checkpoints
pub mod catalogue;
pub mod clock;
pub mod document;
pub mod error;
pub mod fees;
pub mod json;
pub mod money;
// Payments of fee quotes: channels, the idempotent thread-safe ledger, refunds, balances.
pub mod payment;
// Receipts: gapless hash-chained signed series, audit, Z-reports, reconciliation.
pub mod receipt;
pub mod status;
// Durable records: the storage trait, in-memory and SQLite stores, the registry of operations.
pub mod store;
pub mod trust;
pub mod vc; // W3C Verifiable Credentials 2.0 export and verification (eddsa-jcs-2022, did:key)
pub mod verify;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, Result};

#[cfg(feature = "ffi")]
pub mod ffi;

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!("eservices");
