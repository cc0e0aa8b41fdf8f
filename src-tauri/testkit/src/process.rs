//! Small process and file helpers shared by the real parts: free ports, random secrets, log tails,
//! and stopping a process group politely and then firmly.

use std::fs;
use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;
use crate::error::IoContext;

/// A port on 127.0.0.1 that was free a moment ago. Another process may take it before the server
/// binds it, so starting a server retries with a new port when binding fails.
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).at("bind a free port on", "127.0.0.1")?;
    let port = listener.local_addr().at("read the address of", "127.0.0.1")?.port();
    Ok(port)
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0; N];
    fs::File::open("/dev/urandom")
        .and_then(|mut file| file.read_exact(&mut bytes))
        .at("read", "/dev/urandom")?;
    Ok(bytes)
}

pub(crate) fn random_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Standard base64 without padding, the encoding of Synapse's signing key files.
pub(crate) fn unpadded_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let value = chunk
            .iter()
            .enumerate()
            .fold(0u32, |value, (index, byte)| value | u32::from(*byte) << (16 - 8 * index));
        for index in 0..=chunk.len() {
            text.push(char::from(ALPHABET[(value >> (18 - 6 * index) & 0x3f) as usize]));
        }
    }
    text
}

/// The last lines of a log file, for error messages; empty when there is no log yet.
pub(crate) fn log_tail(path: &Path, lines: usize) -> String {
    let text = fs::read(path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Waits up to `patience` for a child to exit by itself, then kills its whole process group.
pub(crate) fn wait_or_kill_group(child: &mut Child, patience: Duration) {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(_)) => return,
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(_) => break,
        }
    }
    // The child leads its own process group, so this reaches the server it started too. The
    // standard library can only send SIGKILL to one process, hence `kill`.
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_reference_without_padding() {
        let check = |input: &[u8], expected: &str| assert_eq!(unpadded_base64(input), expected, "{input:?}");
        check(b"", "");
        check(b"f", "Zg");
        check(b"fo", "Zm8");
        check(b"foo", "Zm9v");
        check(b"foob", "Zm9vYg");
        check(b"fooba", "Zm9vYmE");
        check(b"foobar", "Zm9vYmFy");
        check(&[0xff, 0xfe, 0xfd], "//79");
    }
}
