//! Public keys: validation on load, key ids, and signature verification.

use std::fmt;
use std::str::FromStr;

use curve25519_dalek::edwards::CompressedEdwardsY;
use ring::{agreement, rand::SystemRandom, signature};

use super::{decode_b64url, encode_b64url, Alg, SIGNATURE_LEN};
use crate::{Error, Result};

/// A validated raw public key.
///
/// Loading refuses keys that cannot be trusted: an Ed25519 key must be the canonical
/// encoding of a curve point that is not of small order (a small-order key would accept forged
/// signatures in many verifiers); a P-256 key must be a 65-byte uncompressed point on the
/// curve.
///
/// Its text form (as in `root.pub`) is `<alg> <base64url raw key>`:
///
/// ```
/// use eservices::document::{PublicKey, SoftwareSigner, Signer};
/// let signer = SoftwareSigner::ed25519_from_seed(&[1; 32])?;
/// let key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
/// let text = key.to_string();
/// assert!(text.starts_with("Ed25519 "));
/// assert_eq!(text.parse::<PublicKey>()?, key);
/// assert_eq!(key.kid().len(), 22);
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKey {
    alg: Alg,
    raw: Vec<u8>,
    /// [`kid_of`] the raw key, computed once (every verification looks keys up by id).
    kid: String,
}

fn invalid(alg: Alg, reason: impl Into<String>) -> Error {
    Error::InvalidKey {
        alg: alg.name().into(),
        reason: reason.into(),
    }
}

impl PublicKey {
    /// Validates and wraps a raw public key (Ed25519: 32 bytes; P-256: 65-byte uncompressed
    /// point `04 || x || y`).
    pub fn from_raw(alg: Alg, raw: &[u8]) -> Result<PublicKey> {
        if raw.len() != alg.public_key_len() {
            return Err(invalid(
                alg,
                format!(
                    "raw public key is {} bytes; expected {}",
                    raw.len(),
                    alg.public_key_len()
                ),
            ));
        }
        match alg {
            Alg::Ed25519 => check_ed25519(raw)?,
            Alg::Es256 => check_p256(raw)?,
        }
        Ok(PublicKey {
            alg,
            raw: raw.to_vec(),
            kid: kid_of(raw),
        })
    }

    /// Validates a key given as base64url (no padding) of its raw bytes.
    pub fn from_base64url(alg: Alg, text: &str) -> Result<PublicKey> {
        let raw = decode_b64url("public_key", text).map_err(|e| invalid(alg, e.to_string()))?;
        PublicKey::from_raw(alg, &raw)
    }

    /// The algorithm this key is for.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// The raw key as base64url without padding.
    pub fn to_base64url(&self) -> String {
        encode_b64url(&self.raw)
    }

    /// The key id: base64url (no padding) of the first 16 bytes of SHA-256 of the raw key.
    pub fn kid(&self) -> String {
        self.kid.clone()
    }

    /// [`kid`](Self::kid), borrowed.
    pub(crate) fn kid_str(&self) -> &str {
        &self.kid
    }

    /// Whether `signature` is a valid signature of `message` under this key. Only the fixed
    /// 64-byte form is accepted (Ed25519, or `r||s` for ES256); anything else is `false`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        if signature.len() != SIGNATURE_LEN {
            return false;
        }
        let algorithm: &dyn signature::VerificationAlgorithm = match self.alg {
            Alg::Ed25519 => &signature::ED25519,
            Alg::Es256 => &signature::ECDSA_P256_SHA256_FIXED,
        };
        signature::UnparsedPublicKey::new(algorithm, &self.raw)
            .verify(message, signature)
            .is_ok()
    }
}

/// The key id of a raw public key (see [`PublicKey::kid`]).
pub fn kid_of(raw_public_key: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, raw_public_key);
    let bytes = digest.as_ref();
    encode_b64url(bytes.get(..16).unwrap_or(bytes))
}

fn check_ed25519(raw: &[u8]) -> Result<()> {
    let bytes: [u8; 32] = raw
        .try_into()
        .map_err(|_| invalid(Alg::Ed25519, "raw public key must be 32 bytes"))?;
    let compressed = CompressedEdwardsY(bytes);
    let point = compressed
        .decompress()
        .ok_or_else(|| invalid(Alg::Ed25519, "not a point on the curve"))?;
    if point.compress() != compressed {
        return Err(invalid(Alg::Ed25519, "non-canonical point encoding"));
    }
    if point.is_small_order() {
        return Err(invalid(
            Alg::Ed25519,
            "small-order point (such a key accepts forged signatures)",
        ));
    }
    Ok(())
}

fn check_p256(raw: &[u8]) -> Result<()> {
    if raw.first() != Some(&0x04) {
        return Err(invalid(
            Alg::Es256,
            "public key must be an uncompressed point (first byte 0x04)",
        ));
    }
    // ring offers no direct point check, but its ECDH validates the peer's public key
    // (coordinates in range, point on the curve, not the identity) before using it: agree
    // with a throw-away private key and discard the result.
    let rng = SystemRandom::new();
    let mine = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng)
        .map_err(|_| invalid(Alg::Es256, "cannot generate a validation key"))?;
    let peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, raw);
    agreement::agree_ephemeral(mine, &peer, |_| ())
        .map_err(|_| invalid(Alg::Es256, "not a point on the P-256 curve"))
}

impl fmt::Display for PublicKey {
    /// `<alg> <base64url raw key>`, the form of a `root.pub` file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.alg, self.to_base64url())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl FromStr for PublicKey {
    type Err = Error;

    /// Parses `<alg> <base64url raw key>` (one space, nothing else).
    fn from_str(s: &str) -> Result<PublicKey> {
        let (alg, key) = s.split_once(' ').ok_or_else(|| Error::InvalidKey {
            alg: "unspecified".into(),
            reason: "expected \"<alg> <base64url raw public key>\"".into(),
        })?;
        PublicKey::from_base64url(alg.parse()?, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_order_and_non_canonical_ed25519_keys_are_refused() {
        // The identity point (y = 1): order 1.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(PublicKey::from_raw(Alg::Ed25519, &identity).is_err());
        // y = 0: order 4.
        assert!(PublicKey::from_raw(Alg::Ed25519, &[0; 32]).is_err());
        // y = p + 1 (non-canonical encoding of the identity).
        let mut p_plus_1 = [0xffu8; 32];
        p_plus_1[0] = 0xee;
        p_plus_1[31] = 0x7f;
        assert!(PublicKey::from_raw(Alg::Ed25519, &p_plus_1).is_err());
    }

    #[test]
    fn p256_points_are_checked() {
        let mut off_curve = [1u8; 65];
        off_curve[0] = 4;
        assert!(PublicKey::from_raw(Alg::Es256, &off_curve).is_err());
        let mut compressed = [1u8; 65];
        compressed[0] = 2;
        assert!(PublicKey::from_raw(Alg::Es256, &compressed).is_err());
    }

    #[test]
    fn wrong_lengths_are_refused() {
        assert!(PublicKey::from_raw(Alg::Ed25519, &[1; 31]).is_err());
        assert!(PublicKey::from_raw(Alg::Es256, &[4; 64]).is_err());
        assert!("Ed25519".parse::<PublicKey>().is_err());
        assert!("RS256 AAAA".parse::<PublicKey>().is_err());
    }
}
