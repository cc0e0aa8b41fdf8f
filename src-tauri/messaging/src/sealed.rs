//! Small secrets sealed under the [`PickleKey`], for the few that live outside the crypto store
//! (the access token in an account's `session.json`). AES-256-CTR, then HMAC-SHA-256 over the IV
//! and ciphertext (encrypt-then-MAC); both keys are derived from the pickle key and a purpose
//! label with HMAC-SHA-256, so a sealed secret for one purpose never opens as another. The text
//! form is `v1.` and base64 of IV ‖ ciphertext ‖ tag.
//!
//! What it is not: a format for large data (attachments have their own), nor a key store.

use aes::cipher::{KeyIvInit, StreamCipher};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::pickle_key::PickleKey;

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;
type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "v1.";
const IV_LENGTH: usize = 16;
const TAG_LENGTH: usize = 32;

fn derive(key: &PickleKey, purpose: &str, use_: &str) -> Result<[u8; 32]> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key.bytes())
        .map_err(|_| Error::InvalidPickleKey { reason: "it cannot key HMAC-SHA-256".to_owned() })?;
    mac.update(b"commonplace sealed secret\0");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(use_.as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

fn tag(mac_key: &[u8; 32], iv_and_ciphertext: &[u8]) -> Result<HmacSha256> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(mac_key)
        .map_err(|_| Error::InvalidPickleKey { reason: "it cannot key HMAC-SHA-256".to_owned() })?;
    mac.update(iv_and_ciphertext);
    Ok(mac)
}

/// Seals `plaintext` for `purpose` under the pickle key.
pub fn seal(key: &PickleKey, purpose: &str, plaintext: &[u8]) -> Result<String> {
    let mut encryption_key = derive(key, purpose, "encryption")?;
    let mac_key = derive(key, purpose, "authentication")?;
    let mut iv = [0u8; IV_LENGTH];
    getrandom::fill(&mut iv)
        .map_err(|error| Error::InvalidPickleKey { reason: format!("no randomness: {error}") })?;
    let mut sealed = Vec::with_capacity(IV_LENGTH + plaintext.len() + TAG_LENGTH);
    sealed.extend_from_slice(&iv);
    sealed.extend_from_slice(plaintext);
    Aes256Ctr::new(&encryption_key.into(), &iv.into()).apply_keystream(&mut sealed[IV_LENGTH..]);
    encryption_key.zeroize();
    let tag = tag(&mac_key, &sealed)?.finalize().into_bytes();
    sealed.extend_from_slice(&tag);
    Ok(format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(sealed)))
}

/// Opens what [`seal`] sealed for `purpose`; a different key, purpose or a changed byte gives
/// [`Error::WrongPickleKey`].
pub fn open(key: &PickleKey, purpose: &'static str, sealed: &str) -> Result<Vec<u8>> {
    let damaged = || Error::WrongPickleKey { what: purpose };
    let encoded = sealed.strip_prefix(PREFIX).ok_or_else(damaged)?;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded).map_err(|_| damaged())?;
    if bytes.len() < IV_LENGTH + TAG_LENGTH {
        return Err(damaged());
    }
    let (body, expected_tag) = bytes.split_at(bytes.len() - TAG_LENGTH);
    let mac_key = derive(key, purpose, "authentication")?;
    tag(&mac_key, body)?.verify_slice(expected_tag).map_err(|_| damaged())?;
    let (iv, ciphertext) = body.split_at(IV_LENGTH);
    let mut iv_array = [0u8; IV_LENGTH];
    iv_array.copy_from_slice(iv);
    let mut encryption_key = derive(key, purpose, "encryption")?;
    let mut plaintext = ciphertext.to_vec();
    Aes256Ctr::new(&encryption_key.into(), &iv_array.into()).apply_keystream(&mut plaintext);
    encryption_key.zeroize();
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_purpose() {
        let key = PickleKey::from_bytes([3; 32]);
        let sealed = seal(&key, "access token", b"syt_secret").unwrap();
        assert!(sealed.starts_with("v1.") && !sealed.contains("syt_secret"));
        assert_eq!(open(&key, "access token", &sealed).unwrap(), b"syt_secret");
        assert_ne!(seal(&key, "access token", b"syt_secret").unwrap(), sealed, "a fresh IV each time");
        let other = PickleKey::from_bytes([4; 32]);
        assert!(matches!(open(&other, "access token", &sealed), Err(Error::WrongPickleKey { .. })));
        assert!(open(&key, "something else", &sealed).is_err());
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 5;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(open(&key, "access token", &String::from_utf8(tampered).unwrap()).is_err());
        assert!(open(&key, "access token", "v1.AAAA").is_err());
        assert!(open(&key, "access token", "plain").is_err());
    }
}
