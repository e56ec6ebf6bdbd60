//! What the fee integration tests share: the catalogue they quote from.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use eservices::catalogue::Catalogue;

/// The rules catalogue, `tests/data/catalogue/rules.json` (one service per rule kind), read
/// once.
pub fn rules() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/catalogue/rules.json"
        ))
        .unwrap();
        Catalogue::from_json(&text).unwrap()
    })
}
