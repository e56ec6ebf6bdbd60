//! Attachment answers: a reference to a file uploaded elsewhere.

use serde::{Deserialize, Serialize};

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
    /// Parses and checks the text form; the error says what is wrong, in English.
    pub fn parse(text: &str) -> Result<AttachmentRef, String> {
        let value = crate::json::parse_strict(text).map_err(|e| e.to_string())?;
        let a: AttachmentRef = serde_json::from_value(value)
            .map_err(|e| format!("not an attachment reference: {e}"))?;
        a.check()?;
        Ok(a)
    }

    /// The canonical text form (RFC 8785 JSON), as stored in [`Answers`](super::Answers).
    pub fn to_answer(&self) -> crate::Result<String> {
        crate::json::canonical_string(self)
    }

    fn check(&self) -> Result<(), String> {
        let n = self.name.chars().count();
        if n == 0 || n > 255 {
            return Err(format!("file name has {n} characters; 1 to 255 allowed"));
        }
        if self
            .name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err("file name contains a path separator or control character".into());
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
            _ => return Err(format!("{:?} is not a media type", self.media_type)),
        }
        if self.size == 0 || self.size > crate::json::MAX_SAFE_INTEGER {
            return Err(format!("size {} is out of range", self.size));
        }
        if self.sha256.len() != 64
            || !self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err("sha256 must be 64 lower-case hex digits".into());
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
