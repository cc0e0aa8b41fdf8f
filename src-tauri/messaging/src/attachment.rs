//! Encrypted attachments as the Matrix spec describes them ("Sending encrypted attachments"):
//! AES-256-CTR under a fresh key given as a JWK, a 128-bit counter block whose low 64 bits start at
//! zero, and the SHA-256 of the ciphertext in unpadded base64, all in an [`EncryptedFile`] (`v2`).
//!
//! Both directions stream in fixed-size chunks, so memory stays bounded whatever the file's size.
//! Decryption reads the ciphertext twice — once to check its hash, once to decrypt — so not a byte
//! of plaintext is written before the file is known to be the one that was sent.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};

use aes::cipher::{KeyIvInit, StreamCipher};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::error::{Error, Result};

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

const CHUNK: usize = 64 * 1024;

/// The spec's `EncryptedFile`: what a message's `file` field carries. `url` is the `mxc://` URI of
/// the uploaded ciphertext, which the transport fills in after the upload.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedFile {
    pub url: String,
    pub key: JsonWebKey,
    pub iv: String,
    pub hashes: BTreeMap<String, String>,
    pub v: String,
}

/// The attachment key as a JSON Web Key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKey {
    pub kty: String,
    pub key_ops: Vec<String>,
    pub alg: String,
    /// The 32-byte key, unpadded URL-safe base64.
    pub k: String,
    pub ext: bool,
}

impl std::fmt::Debug for EncryptedFile {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key decrypts the file: it never reaches a log.
        formatter
            .debug_struct("EncryptedFile")
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .field("iv", &self.iv)
            .field("hashes", &self.hashes)
            .field("v", &self.v)
            .finish()
    }
}

impl std::fmt::Debug for JsonWebKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("JsonWebKey")
            .field("alg", &self.alg)
            .field("k", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn read_chunk(reader: &mut impl Read, buffer: &mut [u8]) -> Result<usize> {
    loop {
        match reader.read(buffer) {
            Ok(read) => return Ok(read),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => return Err(Error::AttachmentIo { action: "read", source }),
        }
    }
}

/// Encrypts everything `plaintext` yields into `ciphertext`, returning the file object to send
/// (with an empty `url`).
pub fn encrypt_attachment(mut plaintext: impl Read, mut ciphertext: impl Write) -> Result<EncryptedFile> {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    let no_randomness = |error: getrandom::Error| Error::AttachmentIo {
        action: "get randomness for",
        source: std::io::Error::other(error.to_string()),
    };
    getrandom::fill(&mut key).map_err(no_randomness)?;
    // Only the high 64 bits are random: the low 64 are the block counter, starting at zero, so the
    // counter can never wrap into another file's keystream (the spec's advice for Android).
    getrandom::fill(&mut iv[..8]).map_err(no_randomness)?;
    let mut cipher = Aes256Ctr::new(&key.into(), &iv.into());
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    loop {
        let read = read_chunk(&mut plaintext, &mut buffer)?;
        if read == 0 {
            break;
        }
        cipher.apply_keystream(&mut buffer[..read]);
        hasher.update(&buffer[..read]);
        ciphertext
            .write_all(&buffer[..read])
            .map_err(|source| Error::AttachmentIo { action: "write", source })?;
    }
    buffer.zeroize();
    ciphertext.flush().map_err(|source| Error::AttachmentIo { action: "write", source })?;
    let file = EncryptedFile {
        url: String::new(),
        key: JsonWebKey {
            kty: "oct".to_owned(),
            key_ops: vec!["encrypt".to_owned(), "decrypt".to_owned()],
            alg: "A256CTR".to_owned(),
            k: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
            ext: true,
        },
        iv: base64::engine::general_purpose::STANDARD_NO_PAD.encode(iv),
        hashes: BTreeMap::from([(
            "sha256".to_owned(),
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(hasher.finalize()),
        )]),
        v: "v2".to_owned(),
    };
    key.zeroize();
    Ok(file)
}

/// Decodes base64 with or without padding, in either alphabet, as the spec asks receivers to.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let normalised = text.trim_end_matches('=').replace('-', "+").replace('_', "/");
    base64::engine::general_purpose::STANDARD_NO_PAD.decode(normalised).ok()
}

/// Checks the ciphertext against `file`'s hash, then decrypts it into `plaintext`. Returns the
/// number of plaintext bytes written. Nothing is written when the hash does not match.
pub fn decrypt_attachment(
    mut ciphertext: impl Read + Seek,
    file: &EncryptedFile,
    mut plaintext: impl Write,
) -> Result<u64> {
    let invalid = |reason: &str| Error::InvalidEncryptedFile { reason: reason.to_owned() };
    if file.v != "v2" {
        return Err(invalid(&format!("version {:?} is not supported (only v2)", file.v)));
    }
    if file.key.alg != "A256CTR" || file.key.kty != "oct" {
        return Err(invalid("the key is not an A256CTR octet key"));
    }
    if !file.key.key_ops.iter().any(|operation| operation == "decrypt") {
        return Err(invalid("the key may not be used to decrypt"));
    }
    let mut key: [u8; 32] = decode_base64(&file.key.k)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| invalid("the key is not 32 bytes of base64"))?;
    let iv: [u8; 16] = decode_base64(&file.iv)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| invalid("the iv is not 16 bytes of base64"))?;
    let expected = file.hashes.get("sha256").ok_or_else(|| invalid("it has no sha256 hash"))?;
    let expected_bytes = decode_base64(expected).ok_or_else(|| invalid("the sha256 hash is not base64"))?;

    let mut buffer = vec![0u8; CHUNK];
    let mut hasher = Sha256::new();
    loop {
        let read = read_chunk(&mut ciphertext, &mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    let found = hasher.finalize();
    if found.as_slice() != expected_bytes.as_slice() {
        key.zeroize();
        return Err(Error::AttachmentHashMismatch {
            expected: expected.clone(),
            found: base64::engine::general_purpose::STANDARD_NO_PAD.encode(found),
        });
    }

    ciphertext.seek(SeekFrom::Start(0)).map_err(|source| Error::AttachmentIo { action: "rewind", source })?;
    let mut cipher = Aes256Ctr::new(&key.into(), &iv.into());
    key.zeroize();
    let mut written = 0u64;
    loop {
        let read = read_chunk(&mut ciphertext, &mut buffer)?;
        if read == 0 {
            break;
        }
        cipher.apply_keystream(&mut buffer[..read]);
        plaintext
            .write_all(&buffer[..read])
            .map_err(|source| Error::AttachmentIo { action: "write", source })?;
        written += read as u64;
    }
    buffer.zeroize();
    plaintext.flush().map_err(|source| Error::AttachmentIo { action: "write", source })?;
    Ok(written)
}
