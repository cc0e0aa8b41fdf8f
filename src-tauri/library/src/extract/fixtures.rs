//! Test fixtures, built in code so that no binary files live in the repository: ZIP containers
//! written with the zip crate, ways to damage them as hostile files are damaged, and a helper that
//! runs extraction on bytes the way import does on a stored object.

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::DeflateEncoder;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{Extracted, extract, media_type};

/// A ZIP archive holding `entries`, deflated.
pub(super) fn zip_file(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(entries, CompressionMethod::Deflated)
}

pub(super) fn zip_with(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Runs extraction on `bytes` stored without their name, as the object store keeps them, and
/// imported as `file_name`.
pub(super) fn extract_file(file_name: &str, bytes: &[u8]) -> Extracted {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("object");
    std::fs::write(&path, bytes).unwrap();
    extract(&path, file_name, media_type(file_name))
}

/// Rewrites what the local and central headers of entry `name` say: its compression method and
/// its uncompressed size. This is how a hostile archive lies.
pub(super) fn patch_entry(zip: &mut [u8], name: &str, method: Option<u16>, uncompressed_size: Option<u32>) {
    // (signature, offset of the method, offset of the uncompressed size, offset of the name)
    let headers: [(&[u8], usize, usize, usize); 2] =
        [(b"PK\x03\x04", 8, 22, 30), (b"PK\x01\x02", 10, 24, 46)];
    let mut patched = 0;
    for (signature, method_at, size_at, name_at) in headers {
        for start in 0..zip.len().saturating_sub(name_at + name.len()) {
            let header = &zip[start..];
            if !header.starts_with(signature) || &header[name_at..name_at + name.len()] != name.as_bytes() {
                continue;
            }
            if let Some(method) = method {
                zip[start + method_at..start + method_at + 2].copy_from_slice(&method.to_le_bytes());
            }
            if let Some(size) = uncompressed_size {
                zip[start + size_at..start + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {name} are patched");
}

/// A deflate stream that inflates to `megabytes` MiB of spaces while being a few kilobytes: one
/// MiB compressed and flushed to a byte boundary, repeated (every back-reference sees spaces
/// whichever copy it lands in), then an empty final block.
pub(super) fn deflate_bomb(megabytes: usize) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(&vec![b' '; 1024 * 1024]).unwrap();
    encoder.flush().unwrap();
    let one = encoder.get_ref().clone();
    let mut stream = one.repeat(megabytes);
    stream.extend([0x03, 0x00]);
    stream
}
