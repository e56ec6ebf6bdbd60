//! `did:key` for Ed25519 keys, resolved locally (never over a network).
//!
//! An Ed25519 public key as a *Multikey* is the multicodec prefix `0xed 0x01` (the varint of
//! code `0xed`, `ed25519-pub`) followed by the 32 raw key bytes, written as multibase
//! base58btc: the letter `z` and the base58btc text, which always begins `z6Mk`. The DID is
//! `did:key:` followed by that Multikey, and the key's verification method is
//! `did:key:<multikey>#<multikey>`.
//!
//! ```
//! use eservices::document::{PublicKey, Signer, SoftwareSigner};
//! use eservices::vc::did_key;
//!
//! let signer = SoftwareSigner::ed25519_from_seed(&[1; 32])?;
//! let key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
//! let did = did_key::did(&key)?;
//! assert!(did.starts_with("did:key:z6Mk"));
//! assert_eq!(did_key::resolve(&did)?, key);
//! assert_eq!(did_key::resolve(&did_key::verification_method(&key)?)?, key);
//! # Ok::<(), eservices::Error>(())
//! ```

use crate::document::{Alg, PublicKey};
use crate::{Error, Result};

/// The multicodec prefix of an Ed25519 public key (`ed25519-pub`, code `0xed`, as a varint).
pub const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];

/// The method prefix of every `did:key` identifier.
pub const DID_KEY_PREFIX: &str = "did:key:";

/// Longest multibase text [`multibase_decode`] reads (base58 decoding is quadratic in the
/// length; every value this crate reads is far shorter: a signature is 88 characters).
pub const MAX_MULTIBASE_LEN: usize = 1024;

/// Longest identifier [`resolve`] reads (a did:key verification method for Ed25519 is 105
/// characters).
const MAX_DID_LEN: usize = 256;

/// Encodes bytes as multibase base58btc: `z` followed by base58btc (Bitcoin alphabet).
///
/// ```
/// assert_eq!(eservices::vc::did_key::multibase_encode(b"hello"), "zCn8eVZg");
/// ```
pub fn multibase_encode(bytes: &[u8]) -> String {
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Decodes multibase base58btc text (`z` + base58btc), refusing any other multibase prefix,
/// characters outside the Bitcoin alphabet, empty values and texts longer than
/// [`MAX_MULTIBASE_LEN`].
///
/// ```
/// use eservices::vc::did_key::multibase_decode;
/// assert_eq!(multibase_decode("zCn8eVZg").unwrap(), b"hello");
/// assert!(multibase_decode("maGVsbG8").is_err()); // base64 multibase is not base58btc
/// assert!(multibase_decode("z0OIl").is_err());
/// ```
pub fn multibase_decode(text: &str) -> std::result::Result<Vec<u8>, String> {
    let Some(body) = text.strip_prefix('z') else {
        return Err("not multibase base58btc (must start with 'z')".into());
    };
    if body.is_empty() {
        return Err("empty base58btc value".into());
    }
    if text.len() > MAX_MULTIBASE_LEN {
        return Err(format!("longer than {MAX_MULTIBASE_LEN} characters"));
    }
    let bytes = bs58::decode(body)
        .into_vec()
        .map_err(|e| format!("not base58btc: {e}"))?;
    // Base58 has one spelling per byte string; re-encoding guards against any leniency.
    if bs58::encode(&bytes).into_string() != body {
        return Err("not canonical base58btc".into());
    }
    Ok(bytes)
}

/// The Multikey form (`z6Mk...`) of an Ed25519 public key.
///
/// Errors: [`Error::VcUnsupportedAlg`] for a key of another algorithm.
pub fn multikey(key: &PublicKey) -> Result<String> {
    if key.alg() != Alg::Ed25519 {
        return Err(Error::VcUnsupportedAlg {
            alg: key.alg().name().into(),
        });
    }
    let mut bytes = ED25519_PUB_PREFIX.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    Ok(multibase_encode(&bytes))
}

/// The `did:key` identifier of an Ed25519 public key: `did:key:z6Mk...`.
///
/// Errors: [`Error::VcUnsupportedAlg`] for a key of another algorithm.
pub fn did(key: &PublicKey) -> Result<String> {
    Ok(format!("{DID_KEY_PREFIX}{}", multikey(key)?))
}

/// The verification method of an Ed25519 key: `did:key:z6Mk...#z6Mk...`.
///
/// Errors: [`Error::VcUnsupportedAlg`] for a key of another algorithm.
pub fn verification_method(key: &PublicKey) -> Result<String> {
    let mk = multikey(key)?;
    Ok(format!("{DID_KEY_PREFIX}{mk}#{mk}"))
}

/// Why an identifier could not be resolved: not ours to read at all, or broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// Another DID method, another key type, or a key that cannot be trusted.
    Unsupported(String),
    /// A did:key that is not well-formed.
    Malformed(String),
}

impl Unresolved {
    pub(crate) fn reason(&self) -> &str {
        match self {
            Unresolved::Unsupported(r) | Unresolved::Malformed(r) => r,
        }
    }
}

/// Resolves a `did:key` identifier, or its verification method `did:key:<mk>#<mk>`, to the
/// Ed25519 public key it encodes. Nothing is fetched.
///
/// Refused ([`Error::InvalidDidKey`], with the reason): other DID methods; fragments other
/// than the key's own Multikey; multibase other than base58btc; multicodecs other than
/// `ed25519-pub` (`0xed01`), e.g. P-256 keys (`zDn...`); keys that are not exactly 32 bytes;
/// and Ed25519 keys that are not canonical curve points or are of small order.
pub fn resolve(did_or_method: &str) -> Result<PublicKey> {
    resolve_detailed(did_or_method).map_err(|e| Error::InvalidDidKey {
        did: did_or_method.chars().take(128).collect(),
        reason: e.reason().into(),
    })
}

pub(crate) fn resolve_detailed(text: &str) -> std::result::Result<PublicKey, Unresolved> {
    use Unresolved::{Malformed, Unsupported};
    if text.len() > MAX_DID_LEN {
        return Err(Malformed(format!(
            "longer than {MAX_DID_LEN} bytes: no Ed25519 did:key is"
        )));
    }
    let Some(rest) = text.strip_prefix(DID_KEY_PREFIX) else {
        return Err(Unsupported(
            "only did:key identifiers are resolved (offline); other methods are not".into(),
        ));
    };
    let (mk, fragment) = match rest.split_once('#') {
        Some((mk, fragment)) => (mk, Some(fragment)),
        None => (rest, None),
    };
    if let Some(fragment) = fragment {
        if fragment != mk {
            return Err(Malformed(
                "the fragment of a did:key verification method must repeat the key".into(),
            ));
        }
    }
    if mk.contains(['?', '/', ';', ':']) {
        return Err(Malformed(
            "paths, queries and parameters are not part of a did:key".into(),
        ));
    }
    if !mk.starts_with('z') {
        return Err(Malformed(
            "a did:key must be multibase base58btc (start with 'z')".into(),
        ));
    }
    let bytes = multibase_decode(mk).map_err(Malformed)?;
    let (prefix, raw) = match (bytes.get(..2), bytes.get(2..)) {
        (Some(p), Some(r)) => (p, r),
        _ => return Err(Malformed("too short for a multicodec key".into())),
    };
    if prefix != ED25519_PUB_PREFIX {
        return Err(Unsupported(format!(
            "multicodec 0x{:02x}{:02x} is not an Ed25519 public key (0xed01); only Ed25519 is supported",
            prefix.first().copied().unwrap_or(0),
            prefix.get(1).copied().unwrap_or(0)
        )));
    }
    if raw.len() != 32 {
        return Err(Malformed(format!(
            "an Ed25519 key is 32 bytes, this one {}",
            raw.len()
        )));
    }
    PublicKey::from_raw(Alg::Ed25519, raw)
        .map_err(|e| Unsupported(format!("unusable Ed25519 key: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_methods_and_codecs_are_refused() {
        // A P-256 did:key (multicodec 0x1200): well-formed, but not Ed25519.
        let p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
        assert!(matches!(
            resolve_detailed(p256),
            Err(Unresolved::Unsupported(_))
        ));
        assert!(matches!(
            resolve_detailed("did:web:example.com"),
            Err(Unresolved::Unsupported(_))
        ));
        for bad in [
            "did:key:",
            "did:key:z",
            "did:key:z6Mk",
            "did:key:m7QEBAQ",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2/path",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2x",
        ] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn small_order_keys_are_refused() {
        let mut bytes = ED25519_PUB_PREFIX.to_vec();
        bytes.extend_from_slice(&[0; 32]);
        let did = format!("did:key:{}", multibase_encode(&bytes));
        assert!(matches!(
            resolve_detailed(&did),
            Err(Unresolved::Unsupported(_))
        ));
    }

    #[test]
    fn es256_keys_have_no_did_key_here() {
        let signer = crate::document::SoftwareSigner::generate(Alg::Es256)
            .unwrap()
            .0;
        use crate::document::Signer as _;
        let key = PublicKey::from_raw(Alg::Es256, &signer.public_key()).unwrap();
        assert_eq!(did(&key).unwrap_err().code(), "vc_unsupported_alg");
    }
}
