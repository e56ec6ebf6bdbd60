#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod catalogue;
pub mod clock;
pub mod error;
pub mod fees;
pub mod json;
pub mod money;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, Result};

#[cfg(feature = "ffi")]
pub mod ffi;

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!("eservices");
