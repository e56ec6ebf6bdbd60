//! Attachments are referenced, not stored: the application keeps each file's name, media
//! type, size and SHA-256, so the file itself can live in any document store and still be
//! checked byte for byte. The reference type is the catalogue's
//! [`AttachmentRef`] (the answer to an `attachment`
//! field); this module adds the rules for an application's list of them.

pub use crate::catalogue::form::AttachmentRef;
use crate::{Error, Result};

/// Most attachments one application may reference.
pub const MAX_ATTACHMENTS: usize = 64;

/// Checks a list of attachments: each valid, names distinct, at most [`MAX_ATTACHMENTS`].
pub(crate) fn check_all(attachments: &[AttachmentRef]) -> Result<()> {
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(Error::InvalidAttachment {
            name: String::new(),
            reason: format!("more than {MAX_ATTACHMENTS} attachments"),
        });
    }
    let mut names = std::collections::BTreeSet::new();
    for a in attachments {
        a.check()?;
        if !names.insert(a.name.as_str()) {
            return Err(Error::InvalidAttachment {
                name: a.name.clone(),
                reason: "two attachments have this name".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn malformed_references_are_refused_with_a_typed_error() {
        let upper = HASH.to_uppercase();
        let cases: [(&str, &str, u64, &str); 9] = [
            ("", "image/jpeg", 1, HASH),
            ("../etc/passwd", "image/jpeg", 1, HASH),
            ("a\\b.pdf", "image/jpeg", 1, HASH),
            ("..", "image/jpeg", 1, HASH),
            ("a.pdf", "application", 1, HASH),
            ("a.pdf", "application/pdf; x=1", 1, HASH),
            ("a.pdf", "application/pdf", 0, HASH),
            ("a.pdf", "application/pdf", 1, &upper),
            ("a.pdf", "application/pdf", 1, &HASH[1..]),
        ];
        for (name, ty, size, hash) in cases {
            let e = AttachmentRef::new(name, ty, size, hash).unwrap_err();
            assert_eq!(e.code(), "invalid_attachment", "{name:?} {ty:?}");
        }
    }

    #[test]
    fn duplicate_names_are_refused() {
        let a = AttachmentRef::new("a.pdf", "application/pdf", 10, HASH).unwrap();
        assert!(check_all(std::slice::from_ref(&a)).is_ok());
        assert!(check_all(&[a.clone(), a]).is_err());
    }
}
