//! Fixtures the FFI modules' unit tests share: the bindings' passport quote and a cash
//! payment of it, the clock and till key, and one passport application's answers and actors.

use std::collections::HashMap;
use std::sync::Arc;

use super::payment::PaymentInput;
use super::types::timestamp_from_text;
use super::{software_signer_from_seed, Signer, TimeSource};
use crate::application::{Actor, Role};

/// The bindings' quote fixture (a 64-page urgent passport, quoted 2026-03-02) as canonical
/// JSON.
pub(crate) fn quote_json() -> &'static str {
    include_str!("../../bindings/testdata/quote-passport-64-urgent.json").trim_end()
}

/// A cash payment of `amount` LSL towards the fixture quote for `application`, at `MSU` by
/// `cashier-7`.
pub(crate) fn cash(application: &str, key: &str, amount: &str) -> PaymentInput {
    let quote_id = crate::json::parse_strict(quote_json()).unwrap()["quote_id"]
        .as_str()
        .unwrap()
        .to_string();
    PaymentInput {
        idempotency_key: key.into(),
        office: "MSU".into(),
        application: application.into(),
        quote_id,
        channel: "cash".into(),
        external_reference: None,
        amount: amount.into(),
        currency: "LSL".into(),
        cashier: "cashier-7".into(),
    }
}

/// The tests' clock, fixed at 2026-03-02T08:00:00Z.
pub(crate) fn clock() -> Arc<TimeSource> {
    TimeSource::fixed(timestamp_from_text("2026-03-02T08:00:00Z").unwrap())
}

/// The key of the `MSU` till.
pub(crate) fn till() -> Arc<dyn Signer> {
    software_signer_from_seed(vec![9; 32]).unwrap()
}

/// An actor of the `MSU` office.
pub(crate) fn actor(id: &str, role: Role) -> Actor {
    Actor::new(id, role, "MSU").unwrap()
}

/// A passport photo's attachment reference, as an answer.
pub(crate) const PHOTO: &str = r#"{"name":"photo.jpg","media_type":"image/jpeg","size":48213,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#;

/// Answers the shipped catalogue's passport form accepts (64 pages, urgent).
pub(crate) fn passport_answers() -> HashMap<String, String> {
    [
        ("surname", "Mokoena"),
        ("given_names", "Lineo"),
        ("date_of_birth", "1990-05-17"),
        ("national_id", "012345678901"),
        ("phone", "5881 2345"),
        ("pages", "64"),
        ("urgent", "true"),
        ("photo", PHOTO),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}
