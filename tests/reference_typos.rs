//! The check character claim, tested: every single-character substitution and every
//! transposition of two adjacent distinct characters of a reference is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use eservices::application::ApplicationRef;
use proptest::prelude::*;

/// What a person might type instead of a character: the whole reference alphabet, the
/// separator, the check-only `*`, and some look-alikes.
const TYPED: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-* _./";

fn reference() -> impl Strategy<Value = ApplicationRef> {
    (
        "[A-Z0-9]{3}",
        "[A-Z0-9]{2,8}",
        2000u16..=9999,
        1u32..=999_999,
    )
        .prop_map(|(office, service, year, seq)| {
            ApplicationRef::new(&office, &service, year, seq).unwrap()
        })
}

fn refused(text: &str) -> bool {
    match ApplicationRef::parse(text) {
        Ok(_) => false,
        Err(e) => {
            assert!(
                matches!(e.code(), "invalid_reference" | "reference_check_failed"),
                "{text}: {e}"
            );
            true
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trips(r in reference()) {
        prop_assert_eq!(ApplicationRef::parse(&r.to_string()).unwrap(), r);
    }

    #[test]
    fn every_single_substitution_is_detected(r in reference()) {
        let text = r.to_string();
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() {
            for c in TYPED.chars() {
                if c.to_ascii_uppercase() == chars[i] {
                    continue; // the same character (parse accepts lower case)
                }
                let mut typo = chars.clone();
                typo[i] = c;
                let typo: String = typo.into_iter().collect();
                prop_assert!(refused(&typo), "{} accepted as a typo of {}", typo, text);
            }
        }
    }

    #[test]
    fn every_adjacent_transposition_is_detected(r in reference()) {
        let text = r.to_string();
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() - 1 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut typo = chars.clone();
            typo.swap(i, i + 1);
            let typo: String = typo.into_iter().collect();
            prop_assert!(refused(&typo), "{} accepted as a typo of {}", typo, text);
        }
    }
}

#[test]
fn a_digit_typo_is_a_check_failure_not_a_shape_error() {
    let e = ApplicationRef::parse("MSU-PSP-2026-000124-U").unwrap_err();
    assert_eq!(e.code(), "reference_check_failed");
    assert_eq!(
        e.to_string(),
        "application reference \"MSU-PSP-2026-000124-U\" is mistyped (its check character does not match)"
    );
}
