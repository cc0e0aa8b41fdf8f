//! The 32-byte key that encrypts every secret the crypto store holds (vodozemac's pickle
//! encryption). The caller supplies it — from the OS keyring on a desktop, from
//! `COMMONPLACE_PICKLE_KEY` on a server or in CI, or derived from a passphrase — and it is never
//! written to the database. Its `Debug` output is redacted and it is wiped from memory on drop.

use base64::Engine as _;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};

/// The environment variable [`PickleKey::from_env`] reads: 64 hex digits, or the 32 bytes in
/// base64 (standard or URL-safe alphabet, padded or not).
pub const PICKLE_KEY_VARIABLE: &str = "COMMONPLACE_PICKLE_KEY";

/// PBKDF2-HMAC-SHA-256 iterations for [`PickleKey::from_passphrase`]: OWASP's 2023 recommendation.
pub const PASSPHRASE_ITERATIONS: u32 = 600_000;

#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PickleKey([u8; 32]);

impl PickleKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh random key, for a new install whose key the caller then keeps (e.g. in the keyring).
    pub fn random() -> Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|error| Error::InvalidPickleKey { reason: format!("no randomness: {error}") })?;
        Ok(Self(bytes))
    }

    /// Reads [`PICKLE_KEY_VARIABLE`].
    pub fn from_env() -> Result<Self> {
        let text = std::env::var(PICKLE_KEY_VARIABLE)
            .map_err(|_| Error::PickleKeyMissing { variable: PICKLE_KEY_VARIABLE })?;
        Self::parse(&text)
    }

    /// Parses 64 hex digits or base64 of 32 bytes. Errors never echo the text, which is a secret.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let mut bytes = [0u8; 32];
        if text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            for (index, pair) in text.as_bytes().chunks(2).enumerate() {
                let hex = std::str::from_utf8(pair).unwrap_or("00");
                bytes[index] = u8::from_str_radix(hex, 16).unwrap_or(0);
            }
            return Ok(Self(bytes));
        }
        let normalised: String = text.trim_end_matches('=').replace('-', "+").replace('_', "/");
        let decoded =
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(normalised.as_bytes()).map_err(|_| {
                Error::InvalidPickleKey { reason: "it is neither 64 hex digits nor base64".to_owned() }
            })?;
        let length = decoded.len();
        let array: [u8; 32] = decoded.try_into().map_err(|_| Error::InvalidPickleKey {
            reason: format!("it decodes to {length} bytes, not 32"),
        })?;
        Ok(Self(array))
    }

    /// Derives the key from a passphrase with PBKDF2-HMAC-SHA-256 ([`PASSPHRASE_ITERATIONS`]
    /// rounds). PBKDF2 rather than Argon2 because its HMAC and SHA-256 are already in the tree
    /// through vodozemac, so it adds one small crate. The salt should be random per store and kept
    /// beside it (it is not secret); at least 16 bytes.
    pub fn from_passphrase(passphrase: &str, salt: &[u8]) -> Result<Self> {
        if salt.len() < 16 {
            return Err(Error::InvalidPickleKey { reason: "the salt must be at least 16 bytes".to_owned() });
        }
        let mut bytes = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, PASSPHRASE_ITERATIONS, &mut bytes);
        Ok(Self(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key's bytes, for handing to a place made for secrets (the system keyring); never for
    /// a file or a log.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for PickleKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PickleKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_give_the_same_key() {
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        let from_hex = PickleKey::parse(hex).unwrap();
        let base64 = base64::engine::general_purpose::STANDARD.encode(from_hex.bytes());
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(from_hex.bytes());
        assert_eq!(PickleKey::parse(&base64).unwrap().bytes(), from_hex.bytes());
        assert_eq!(PickleKey::parse(&url_safe).unwrap().bytes(), from_hex.bytes());
        assert_eq!(from_hex.bytes()[31], 0x1f);
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        let error = PickleKey::parse("c2VjcmV0").unwrap_err().to_string();
        assert!(error.contains("6 bytes"), "{error}");
        assert!(!error.contains("c2VjcmV0"));
        assert!(PickleKey::parse("not a key!").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let key = PickleKey::from_bytes([7; 32]);
        assert_eq!(format!("{key:?}"), "PickleKey(<redacted>)");
    }

    #[test]
    fn passphrase_derivation_is_deterministic_and_salted() {
        let salt = b"0123456789abcdef";
        let first = PickleKey::from_passphrase("correct horse", salt).unwrap();
        let again = PickleKey::from_passphrase("correct horse", salt).unwrap();
        let other_salt = PickleKey::from_passphrase("correct horse", b"fedcba9876543210").unwrap();
        assert_eq!(first.bytes(), again.bytes());
        assert_ne!(first.bytes(), other_salt.bytes());
        assert!(PickleKey::from_passphrase("x", b"short").is_err());
    }
}
