#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

/// Applications: lifecycle, roles with maker-checker, reference numbers, attachments.
pub mod application;
/// The tamper-evident, hash-chained audit log and its checkpoints.
pub mod audit;
pub mod catalogue;
pub mod clock;
pub mod error;
pub mod json;
pub mod money;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, Result};

#[cfg(feature = "ffi")]
pub mod ffi;

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!("eservices");
