//! Attachment answers: a reference to a file uploaded elsewhere.

use serde::{Deserialize, Serialize};

use crate::json::MAX_SAFE_INTEGER;
use crate::{Error, Result};

/// Longest attachment name, in characters.
pub const MAX_NAME: usize = 255;

/// The answer to an `attachment` field: a reference to a file stored elsewhere, never the file.
///
/// Its text form is a JSON object with exactly these members:
///
/// ```json
/// {"name": "photo.jpg", "media_type": "image/jpeg", "size": 48213,
///  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
/// ```
///
/// * `name`: the file name, 1–255 characters, no `/`, `\` or control characters;
/// * `media_type`: `type/subtype`, lower case (`image/jpeg`, `application/pdf`);
/// * `size`: bytes, 1 to 2^53 − 1 (a JSON integer);
/// * `sha256`: the SHA-256 of the file's bytes, 64 lower-case hex digits, so the file can be
///   matched to its reference later.
///
/// ```
/// use eservices::catalogue::form::AttachmentRef;
/// let a = AttachmentRef::parse(r#"{"name":"id.pdf","media_type":"application/pdf",
///   "size":1024,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#)?;
/// assert_eq!(a.size, 1024);
/// assert_eq!(AttachmentRef::parse(&a.to_answer()?)?, a);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct AttachmentRef {
    /// File name as uploaded.
    pub name: String,
    /// Media type, e.g. `image/jpeg`.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

impl AttachmentRef {
    /// A checked reference built field by field (see [`check`](Self::check)).
    ///
    /// ```
    /// use eservices::catalogue::form::AttachmentRef;
    /// let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    /// let photo = AttachmentRef::new("photo.jpg", "image/jpeg", 48_213, sha)?;
    /// assert_eq!(photo.size, 48_213);
    /// assert_eq!(AttachmentRef::new("photo.jpg", "jpeg", 1, sha).unwrap_err().code(), "invalid_attachment");
    /// # Ok::<(), eservices::Error>(())
    /// ```
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

    /// Parses and checks the text form (strict JSON, exactly the four members).
    pub fn parse(text: &str) -> Result<AttachmentRef> {
        let value = crate::json::parse_strict(text)?;
        let a: AttachmentRef =
            serde_json::from_value(value).map_err(|e| Error::InvalidAttachment {
                name: String::new(),
                reason: format!("not an attachment reference: {e}"),
            })?;
        a.check()?;
        Ok(a)
    }

    /// The canonical text form (RFC 8785 JSON), as stored in [`Answers`](super::Answers).
    pub fn to_answer(&self) -> Result<String> {
        crate::json::canonical_string(self)
    }

    /// Checks a reference built field by field or read from storage, with the rules listed
    /// on the [type](AttachmentRef); a refusal is [`Error::InvalidAttachment`].
    pub fn check(&self) -> Result<()> {
        let bad = |reason: String| Error::InvalidAttachment {
            name: self.name.chars().take(MAX_NAME).collect(),
            reason,
        };
        let name = self.name.as_str();
        let n = name.chars().count();
        if name.trim().is_empty() || n > MAX_NAME {
            return Err(bad(format!(
                "file name has {n} characters; 1 to {MAX_NAME} allowed"
            )));
        }
        if name.trim() != name || name == "." || name == ".." {
            return Err(bad(
                "file name has surrounding spaces or is a dot name".into()
            ));
        }
        if name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err(bad(
                "file name contains a path separator or control character".into(),
            ));
        }
        let token = |s: &str| {
            !s.is_empty()
                && s.len() <= 127
                && s.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$&^_.+-".contains(&b)
                })
        };
        match self.media_type.split_once('/') {
            Some((t, s)) if token(t) && token(s) => {}
            _ => {
                return Err(bad(format!(
                    "{:?} is not a lower-case media type type/subtype",
                    self.media_type
                )))
            }
        }
        if self.size == 0 || self.size > MAX_SAFE_INTEGER {
            return Err(bad(format!(
                "size {} is out of range (1 to 2^53 - 1 bytes)",
                self.size
            )));
        }
        if self.sha256.len() != 64
            || !self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad("sha256 must be 64 lower-case hex digits".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn refuses_malformed_references() {
        let good =
            format!(r#"{{"name":"a.pdf","media_type":"application/pdf","size":1,"sha256":"{H}"}}"#);
        assert!(AttachmentRef::parse(&good).is_ok());
        for bad in [
            "photo.jpg".to_string(),
            format!(r#"{{"name":"","media_type":"application/pdf","size":1,"sha256":"{H}"}}"#),
            format!(r#"{{"name":"../a","media_type":"application/pdf","size":1,"sha256":"{H}"}}"#),
            format!(r#"{{"name":"a","media_type":"pdf","size":1,"sha256":"{H}"}}"#),
            format!(r#"{{"name":"a","media_type":"Image/JPEG","size":1,"sha256":"{H}"}}"#),
            format!(r#"{{"name":"a","media_type":"image/jpeg","size":0,"sha256":"{H}"}}"#),
            format!(r#"{{"name":"a","media_type":"image/jpeg","size":"1","sha256":"{H}"}}"#),
            format!(
                r#"{{"name":"a","media_type":"image/jpeg","size":1,"sha256":"{}"}}"#,
                H.to_uppercase()
            ),
            format!(r#"{{"name":"a","media_type":"image/jpeg","size":1,"sha256":"{H}","x":1}}"#),
            format!(
                r#"{{"name":"a","name":"b","media_type":"image/jpeg","size":1,"sha256":"{H}"}}"#
            ),
        ] {
            assert!(AttachmentRef::parse(&bad).is_err(), "{bad}");
        }
    }
}
