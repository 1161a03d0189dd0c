//! Randomness from the operating system and SHA-256 as hex: verification codes, message
//! ids, session tokens and letter fingerprints all come from here.

use sha2::{Digest, Sha256};

/// The system's random source failed (it never does on a working Linux).
#[derive(Debug, thiserror::Error)]
#[error("pembangkit acak sistem tidak dapat dipakai: {0}")]
pub struct AcakError(String);

/// Fills `buf` from the operating system's random source.
pub fn fill(buf: &mut [u8]) -> Result<(), AcakError> {
    getrandom::fill(buf).map_err(|e| AcakError(e.to_string()))
}

pub fn random_u64() -> Result<u64, AcakError> {
    let mut b = [0u8; 8];
    fill(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// `bytes` random bytes as lowercase hex (a session token, a CSRF token).
pub fn random_hex(bytes: usize) -> Result<String, AcakError> {
    let mut b = vec![0u8; bytes];
    fill(&mut b)?;
    Ok(hex(&b))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
