//! A case file's key sealed under a passphrase, as a backup and a key export carry it: Argon2id
//! (memory-hard; its parameters and salt stored beside the sealed key, so a later build can
//! change the defaults and still open an old file) derives a key-encryption key, and
//! XChaCha20-Poly1305 seals the case file's key with the file's own description (`bound`) as
//! associated data, so a description edited afterwards (an older backup's head or schema passed
//! off as newer) no longer opens with the passphrase.

use super::key::DatabaseKey;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

/// The fewest characters a new passphrase may have (a backup leaves the machine; NIST SP
/// 800-63B asks at least 8 of a memorised secret, this asks more because nothing limits the
/// guesses against a stolen backup but the KDF).
pub const SHORTEST_PASSPHRASE: usize = 12;

/// The longest passphrase file read (a passphrase is a line, not a document).
const LONGEST_PASSPHRASE_FILE: u64 = 4096;

/// Argon2id's cost for new seals: 64 MiB, 3 passes, one lane (RFC 9106's second recommended
/// option, about a third of a second here).
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 1;
/// What a stored seal may ask for at most, so a crafted file cannot make the reader allocate
/// without bound (1 GiB, 10 passes, 8 lanes).
const MOST_MEMORY_KIB: u32 = 1024 * 1024;
const MOST_PASSES: u32 = 10;
const MOST_LANES: u32 = 8;

/// A sealed key as stored: everything needed to open it again except the passphrase.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SealedKey {
    /// Always "argon2id" (version 0x13).
    pub kdf: String,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    /// 16 random bytes, hex.
    pub salt: String,
    /// Always "xchacha20poly1305".
    pub cipher: String,
    /// 24 random bytes, hex.
    pub nonce: String,
    /// The 32-byte key and its 16-byte tag, hex.
    pub sealed: String,
}

/// Why a key could not be sealed or opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the passphrase is shorter than {SHORTEST_PASSPHRASE} characters; choose a longer one (a few words)")]
    ShortPassphrase,
    #[error("the passphrase does not open this file (or the file was altered since it was made)")]
    WrongPassphrase,
    #[error("the sealed key is not in a form this version reads ({0})")]
    Unreadable(String),
    #[error("the system's random source failed: {0}")]
    Random(String),
}

/// Whether `passphrase` may seal a key (checked before the work that leads to sealing).
pub fn check_new_passphrase(passphrase: &str) -> Result<(), SealError> {
    if passphrase.chars().count() < SHORTEST_PASSPHRASE {
        return Err(SealError::ShortPassphrase);
    }
    Ok(())
}

/// Seals `key` under `passphrase`, bound to `bound` (the description stored beside it).
pub fn seal(key: &DatabaseKey, passphrase: &str, bound: &[u8]) -> Result<SealedKey, SealError> {
    check_new_passphrase(passphrase)?;
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| SealError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| SealError::Random(e.to_string()))?;
    let kek = derive(passphrase, &salt, MEMORY_KIB, PASSES, LANES)?;
    let cipher = XChaCha20Poly1305::new((&kek).into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.bytes(),
                aad: bound,
            },
        )
        .map_err(|_| SealError::Unreadable("the key could not be sealed".into()))?;
    Ok(SealedKey {
        kdf: "argon2id".into(),
        memory_kib: MEMORY_KIB,
        passes: PASSES,
        lanes: LANES,
        salt: hex::encode(salt),
        cipher: "xchacha20poly1305".into(),
        nonce: hex::encode(nonce),
        sealed: hex::encode(sealed),
    })
}

/// Opens a sealed key with `passphrase`; `bound` must be the description it was sealed with.
pub fn open(sealed: &SealedKey, passphrase: &str, bound: &[u8]) -> Result<DatabaseKey, SealError> {
    let bad = |what: &str| SealError::Unreadable(what.to_owned());
    if sealed.kdf != "argon2id" || sealed.cipher != "xchacha20poly1305" {
        return Err(bad("an unknown key derivation or cipher"));
    }
    if sealed.memory_kib > MOST_MEMORY_KIB || sealed.passes > MOST_PASSES || sealed.lanes > MOST_LANES {
        return Err(bad("key derivation costs beyond what this version accepts"));
    }
    let salt = hex::decode(&sealed.salt).map_err(|_| bad("the salt"))?;
    let nonce: [u8; 24] = hex::decode(&sealed.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| bad("the nonce"))?;
    let body = hex::decode(&sealed.sealed).map_err(|_| bad("the sealed key"))?;
    if salt.len() < 8 || body.len() != 32 + 16 {
        return Err(bad("the salt or the sealed key has the wrong length"));
    }
    let kek = derive(passphrase, &salt, sealed.memory_kib, sealed.passes, sealed.lanes)?;
    let cipher = XChaCha20Poly1305::new((&kek).into());
    let plain = cipher
        .decrypt(XNonce::from_slice(&nonce), Payload { msg: &body, aad: bound })
        .map_err(|_| SealError::WrongPassphrase)?;
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| bad("the key's length"))?;
    Ok(DatabaseKey::from_bytes(bytes))
}

fn derive(passphrase: &str, salt: &[u8], memory_kib: u32, passes: u32, lanes: u32) -> Result<[u8; 32], SealError> {
    let params = Params::new(memory_kib, passes, lanes, Some(32)).map_err(|e| SealError::Unreadable(e.to_string()))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| SealError::Unreadable(e.to_string()))?;
    Ok(out)
}

/// Reads a passphrase from `path`: its first line, without the line ending; at most 4 KiB are
/// read, and only from a regular file (a FIFO or a device is refused, not waited on).
pub fn read_passphrase_file(path: &std::path::Path) -> Result<String, String> {
    let text = super::key::read_small_file(path, LONGEST_PASSPHRASE_FILE)
        .map_err(|e| format!("the passphrase file {}: {e}", path.display()))?;
    let text =
        String::from_utf8(text).map_err(|_| format!("the passphrase file {} is not UTF-8 text", path.display()))?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(format!("the passphrase file {} is empty", path.display()));
    }
    Ok(line.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_and_description_only() {
        let key = DatabaseKey::generate().unwrap();
        let sealed = seal(&key, "correct horse battery", b"schema 8").unwrap();
        assert_eq!(open(&sealed, "correct horse battery", b"schema 8").unwrap(), key);
        assert_eq!(
            open(&sealed, "correct horse battery!", b"schema 8"),
            Err(SealError::WrongPassphrase)
        );
        assert_eq!(
            open(&sealed, "correct horse battery", b"schema 9"),
            Err(SealError::WrongPassphrase)
        );
        assert_eq!(seal(&key, "short", b"").unwrap_err(), SealError::ShortPassphrase);
    }

    #[test]
    fn a_crafted_seal_is_refused_before_any_work() {
        let key = DatabaseKey::generate().unwrap();
        let mut sealed = seal(&key, "correct horse battery", b"").unwrap();
        sealed.memory_kib = u32::MAX;
        assert!(matches!(
            open(&sealed, "correct horse battery", b""),
            Err(SealError::Unreadable(_))
        ));
    }
}
