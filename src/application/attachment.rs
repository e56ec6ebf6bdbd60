//! Attachments are referenced, not stored: the application keeps each file's name, media
//! type, size and SHA-256, so the file itself can live in any document store and still be
//! checked byte for byte.

use serde::{Deserialize, Serialize};

use crate::json::MAX_SAFE_INTEGER;
use crate::{Error, Result};

/// Most attachments one application may reference.
pub const MAX_ATTACHMENTS: usize = 64;

/// Longest attachment name, in characters.
pub const MAX_NAME: usize = 255;

/// A reference to an uploaded file.
///
/// ```
/// use eservices::application::AttachmentRef;
/// let photo = AttachmentRef::new(
///     "photo.jpg",
///     "image/jpeg",
///     48_213,
///     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
/// )?;
/// assert_eq!(photo.size, 48_213);
/// assert!(AttachmentRef::new("photo.jpg", "jpeg", 1, &photo.sha256).is_err());
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct AttachmentRef {
    /// The file name shown to people, e.g. `birth-certificate.pdf` (no path).
    pub name: String,
    /// The media type, e.g. `application/pdf`.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the file's bytes, 64 lower-case hex digits.
    pub sha256: String,
}

impl AttachmentRef {
    /// A checked attachment reference (see [`AttachmentRef::check`]).
    pub fn new(name: &str, media_type: &str, size: u64, sha256: &str) -> Result<Self> {
        let a = AttachmentRef {
            name: name.to_string(),
            media_type: media_type.to_string(),
            size,
            sha256: sha256.to_string(),
        };
        a.check()?;
        Ok(a)
    }

    /// Checks a reference built field by field or read from storage: a name of 1 to
    /// [`MAX_NAME`] characters without path separators or control characters; a media type
    /// `type/subtype` of RFC 6838 token characters; a size from 1 to 2^53 − 1; a SHA-256 of
    /// 64 lower-case hex digits.
    pub fn check(&self) -> Result<()> {
        let bad = |reason: &str| Error::InvalidAttachment {
            name: self.name.chars().take(MAX_NAME).collect(),
            reason: reason.to_string(),
        };
        let name = self.name.as_str();
        if name.trim().is_empty() || name.chars().count() > MAX_NAME {
            return Err(bad("name must be 1 to 255 characters"));
        }
        if name.trim() != name || name == "." || name == ".." {
            return Err(bad("name has surrounding spaces or is a dot name"));
        }
        if name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
        {
            return Err(bad("name contains a path separator or control character"));
        }
        if !is_media_type(&self.media_type) {
            return Err(bad("media type is not of the form type/subtype"));
        }
        if self.size == 0 || self.size > MAX_SAFE_INTEGER {
            return Err(bad("size must be from 1 to 2^53 - 1 bytes"));
        }
        if self.sha256.len() != 64
            || !self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad("sha256 must be 64 lower-case hex digits"));
        }
        Ok(())
    }
}

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

fn is_media_type(text: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.len() <= 127
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match text.split_once('/') {
        Some((ty, sub)) => token(ty) && token(sub),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn malformed_references_are_refused() {
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
