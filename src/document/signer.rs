//! Who signs: the [`Signer`] trait, and software signers on `ring`.
//!
//! A signing key may live anywhere (an HSM, the Android Keystore, the Secure Enclave) and
//! be driven from the caller's language: anything that implements [`Signer`] can issue
//! documents. [`SoftwareSigner`] is the built-in implementation for keys held in memory as
//! PKCS#8; [`PrivateKey`] holds such bytes without ever showing them.

use std::fmt;
use std::sync::Arc;

use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use zeroize::Zeroizing;

use super::{key::kid_of, Alg};
use crate::{Error, Result};

/// Something that signs with one private key.
///
/// `sign` receives the complete signing input and must return the fixed-size signature:
/// 64 bytes for Ed25519, and for ES256 the 64-byte `r||s` form of an ECDSA P-256 / SHA-256
/// signature (never DER). The issuer checks every signature against
/// [`public_key`](Self::public_key) before using it.
///
/// The trait is object-safe, and `Send + Sync`, so that foreign-language implementations can
/// stand behind an `Arc<dyn Signer>`.
pub trait Signer: Send + Sync {
    /// The signature algorithm.
    fn alg(&self) -> Alg;
    /// The raw public key (Ed25519: 32 bytes; P-256: 65-byte uncompressed point).
    fn public_key(&self) -> Vec<u8>;
    /// Signs `message`, returning the fixed-size signature.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;

    /// Whether every signature [`sign`](Self::sign) returns is known to verify under
    /// [`public_key`](Self::public_key), so that the library need not check it. The default,
    /// `false`, makes the library verify each signature before using it (catching a host or
    /// hardware signer holding another key or returning DER, at the cost of one verification
    /// per signature). [`SoftwareSigner`] (ring, in process) answers `true`. Answer `true`
    /// only for a signer whose output is checked by construction.
    fn output_is_checked(&self) -> bool {
        false
    }
}

/// A PKCS#8 private key in memory. Its bytes never appear in `Debug` output or errors, and
/// are wiped from memory when the value is dropped.
///
/// ```
/// use eservices::document::{Alg, PrivateKey};
/// let key = PrivateKey::generate(Alg::Es256)?;
/// assert_eq!(format!("{key:?}"), "PrivateKey { alg: ES256, pkcs8: <redacted> }");
/// let signer = key.signer()?;
/// # Ok::<(), eservices::Error>(())
/// ```
pub struct PrivateKey {
    alg: Alg,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl PrivateKey {
    /// Generates a new key pair with the operating system's random number generator.
    pub fn generate(alg: Alg) -> Result<PrivateKey> {
        let rng = SystemRandom::new();
        let doc = match alg {
            Alg::Ed25519 => Ed25519KeyPair::generate_pkcs8(&rng),
            Alg::Es256 => EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng),
        }
        .map_err(|_| Error::InvalidKey {
            alg: alg.name().into(),
            reason: "key generation failed".into(),
        })?;
        Ok(PrivateKey {
            alg,
            pkcs8: Zeroizing::new(doc.as_ref().to_vec()),
        })
    }

    /// Wraps PKCS#8 (DER) bytes after checking that they hold a usable `alg` key.
    pub fn from_pkcs8(alg: Alg, der: &[u8]) -> Result<PrivateKey> {
        let key = PrivateKey {
            alg,
            pkcs8: Zeroizing::new(der.to_vec()),
        };
        SoftwareSigner::from_pkcs8(alg, der)?;
        Ok(key)
    }

    /// The algorithm.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The secret PKCS#8 (DER) bytes, for storing the key. Handle with care.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// A signer for this key.
    pub fn signer(&self) -> Result<SoftwareSigner> {
        SoftwareSigner::from_pkcs8(self.alg, &self.pkcs8)
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey {{ alg: {}, pkcs8: <redacted> }}", self.alg)
    }
}

enum Inner {
    Ed25519(Ed25519KeyPair),
    Es256(EcdsaKeyPair, SystemRandom),
}

/// A [`Signer`] whose private key is held in memory by `ring`.
///
/// ```
/// use eservices::document::{Alg, PublicKey, Signer, SoftwareSigner};
/// let signer = SoftwareSigner::ed25519_from_seed(&[9; 32])?;
/// let sig = signer.sign(b"hello")?;
/// let public = PublicKey::from_raw(Alg::Ed25519, &signer.public_key())?;
/// assert!(public.verify(b"hello", &sig));
/// # Ok::<(), eservices::Error>(())
/// ```
pub struct SoftwareSigner {
    inner: Inner,
}

fn key_error(alg: Alg, what: &str, e: impl fmt::Display) -> Error {
    Error::InvalidKey {
        alg: alg.name().into(),
        reason: format!("{what}: {e}"),
    }
}

impl SoftwareSigner {
    /// Loads a PKCS#8 (DER) private key: Ed25519 (v1 or v2 documents) or ECDSA P-256.
    pub fn from_pkcs8(alg: Alg, der: &[u8]) -> Result<SoftwareSigner> {
        let inner = match alg {
            Alg::Ed25519 => Inner::Ed25519(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                    .map_err(|e| key_error(alg, "unusable PKCS#8 key", e))?,
            ),
            Alg::Es256 => {
                let rng = SystemRandom::new();
                let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
                    .map_err(|e| key_error(alg, "unusable PKCS#8 key", e))?;
                Inner::Es256(pair, rng)
            }
        };
        Ok(SoftwareSigner { inner })
    }

    /// An Ed25519 signer from a 32-byte RFC 8032 seed. Meant for test vectors and derived
    /// keys; store real keys as PKCS#8.
    pub fn ed25519_from_seed(seed: &[u8]) -> Result<SoftwareSigner> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| key_error(Alg::Ed25519, "seed must be 32 bytes", e))?;
        Ok(SoftwareSigner {
            inner: Inner::Ed25519(pair),
        })
    }

    /// Generates a new key, returning the signer and its private key (to store).
    pub fn generate(alg: Alg) -> Result<(SoftwareSigner, PrivateKey)> {
        let key = PrivateKey::generate(alg)?;
        Ok((key.signer()?, key))
    }
}

impl Signer for SoftwareSigner {
    fn alg(&self) -> Alg {
        match self.inner {
            Inner::Ed25519(_) => Alg::Ed25519,
            Inner::Es256(..) => Alg::Es256,
        }
    }

    fn public_key(&self) -> Vec<u8> {
        match &self.inner {
            Inner::Ed25519(pair) => pair.public_key().as_ref().to_vec(),
            Inner::Es256(pair, _) => pair.public_key().as_ref().to_vec(),
        }
    }

    fn output_is_checked(&self) -> bool {
        // ring signs with the very key pair whose public key we report.
        true
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.inner {
            Inner::Ed25519(pair) => Ok(pair.sign(message).as_ref().to_vec()),
            Inner::Es256(pair, rng) => pair
                .sign(rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::SignerFailed {
                    reason: "ECDSA signing failed".into(),
                }),
        }
    }
}

impl fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SoftwareSigner {{ alg: {}, kid: {} }}",
            self.alg(),
            kid_of(&self.public_key())
        )
    }
}

/// Lets an `Arc<S>` be used wherever a signer is expected.
impl<S: Signer + ?Sized> Signer for Arc<S> {
    fn alg(&self) -> Alg {
        (**self).alg()
    }
    fn public_key(&self) -> Vec<u8> {
        (**self).public_key()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PublicKey;

    #[test]
    fn generated_keys_sign_and_verify() {
        for alg in [Alg::Ed25519, Alg::Es256] {
            let (signer, key) = SoftwareSigner::generate(alg).unwrap();
            let again = SoftwareSigner::from_pkcs8(alg, key.pkcs8_der()).unwrap();
            assert_eq!(signer.public_key(), again.public_key());
            let sig = again.sign(b"m").unwrap();
            assert_eq!(sig.len(), 64);
            let pk = PublicKey::from_raw(alg, &signer.public_key()).unwrap();
            assert!(pk.verify(b"m", &sig));
            assert!(!pk.verify(b"n", &sig));
        }
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let key = PrivateKey::generate(Alg::Ed25519).unwrap();
        let text = format!("{key:?}");
        assert!(!text.contains(&format!("{:?}", key.pkcs8_der())));
        assert!(text.contains("<redacted>"));
        let signer = key.signer().unwrap();
        assert!(format!("{signer:?}").starts_with("SoftwareSigner { alg: Ed25519, kid: "));
    }

    #[test]
    fn wrong_alg_pkcs8_is_refused() {
        let key = PrivateKey::generate(Alg::Ed25519).unwrap();
        assert!(PrivateKey::from_pkcs8(Alg::Es256, key.pkcs8_der()).is_err());
        assert!(SoftwareSigner::ed25519_from_seed(&[0; 31]).is_err());
    }
}
