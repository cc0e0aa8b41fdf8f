//! Encrypted attachments: the spec's file object, round trips, and refusals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code: failing loudly is the point.

use std::io::Cursor;

use commonplace_messaging::{EncryptedFile, Error, decrypt_attachment, encrypt_attachment};
use proptest::prelude::*;

fn encrypt(plaintext: &[u8]) -> (Vec<u8>, EncryptedFile) {
    let mut ciphertext = Vec::new();
    let file = encrypt_attachment(plaintext, &mut ciphertext).unwrap();
    (ciphertext, file)
}

fn decrypt(ciphertext: &[u8], file: &EncryptedFile) -> Result<Vec<u8>, Error> {
    let mut plaintext = Vec::new();
    decrypt_attachment(Cursor::new(ciphertext), file, &mut plaintext)?;
    Ok(plaintext)
}

#[test]
fn the_file_object_follows_the_spec() {
    let (ciphertext, file) = encrypt(b"a worksheet on fractions");
    assert_eq!(ciphertext.len(), 24);
    assert_ne!(ciphertext, b"a worksheet on fractions");
    let iv = vodozemac::base64_decode(&file.iv).unwrap();
    assert_eq!(iv.len(), 16);
    assert_eq!(&iv[8..], &[0; 8], "the counter half of the IV starts at zero");
    assert_eq!(file.key.k.len(), 43, "32 bytes of unpadded base64url");
    assert!(!file.key.k.contains(['+', '/', '=']));
    insta::assert_json_snapshot!("encrypted_file", file, {
        ".key.k" => "<key>", ".iv" => "<iv>", ".hashes.sha256" => "<sha256>",
    });
    assert_eq!(decrypt(&ciphertext, &file).unwrap(), b"a worksheet on fractions");
    assert!(!format!("{file:?}").contains(&file.key.k), "Debug never shows the key");
}

#[test]
fn a_tampered_file_is_refused_before_any_plaintext_is_written() {
    let (mut ciphertext, file) = encrypt(&vec![7u8; 200_000]);
    ciphertext[150_000] ^= 1;
    let mut plaintext = Vec::new();
    let error = decrypt_attachment(Cursor::new(&ciphertext), &file, &mut plaintext).unwrap_err();
    assert!(matches!(error, Error::AttachmentHashMismatch { .. }), "{error}");
    assert!(plaintext.is_empty());
}

#[test]
fn unusable_file_objects_are_refused() {
    let (ciphertext, file) = encrypt(b"x");
    let mut old = file.clone();
    old.v = "v1".to_owned();
    assert!(matches!(decrypt(&ciphertext, &old), Err(Error::InvalidEncryptedFile { .. })));
    let mut short_key = file.clone();
    short_key.key.k = "AAAA".to_owned();
    assert!(matches!(decrypt(&ciphertext, &short_key), Err(Error::InvalidEncryptedFile { .. })));
    let mut no_hash = file;
    no_hash.hashes.clear();
    assert!(matches!(decrypt(&ciphertext, &no_hash), Err(Error::InvalidEncryptedFile { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// decrypt(encrypt(x)) == x, across chunk boundaries.
    #[test]
    fn encrypt_then_decrypt_is_identity(plaintext in proptest::collection::vec(any::<u8>(), 0..200_000)) {
        let (ciphertext, file) = encrypt(&plaintext);
        prop_assert_eq!(ciphertext.len(), plaintext.len());
        prop_assert_eq!(decrypt(&ciphertext, &file).unwrap(), plaintext);
    }
}
