//! The service catalogue: what each ministry offers, what it asks, and what it costs.
//!
//! (The catalogue format, loader and shipped Lesotho catalogue are filled in by the
//! foundation work; [`form`] holds the shared form-answer types.)

pub mod form;

pub use form::{Answers, FieldError, FieldErrorCode};
