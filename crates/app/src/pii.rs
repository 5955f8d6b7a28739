//! Personal data at rest (ID numbers, phones): sealed with AES-256-GCM, and found by a keyed
//! hash (HMAC-SHA256) so that an exact ID number can be searched without decrypting the roster.
//!
//! The key is `DANGJIAN_SECRET_KEY` (32 bytes, base64) when set — needed when several app
//! servers share one PostgreSQL — else `secret.key` in the data folder, made on first start.

use crate::{AppError, Result};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::path::Path;

pub(crate) const KEY_FILE: &str = "secret.key";
const NONCE_LEN: usize = 12;

pub struct Sealer {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    audit_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// A subkey for one purpose, so the cipher and the index never share a key.
fn derive(master: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key size");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

fn decode_key(text: &str) -> Result<[u8; 32]> {
    STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .ok_or_else(|| AppError::Integrity("密钥应为 32 字节的 base64 文本".to_owned()))
}

impl Sealer {
    /// The platform's key, from the environment or the data folder (created there if missing).
    pub fn load(data_dir: &Path) -> Result<Self> {
        if let Ok(text) = std::env::var("DANGJIAN_SECRET_KEY") {
            return Ok(Self::new(&decode_key(&text)?));
        }
        let path = data_dir.join(KEY_FILE);
        let key = match std::fs::read_to_string(&path) {
            Ok(text) => decode_key(&text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = rand::rng().random();
                std::fs::create_dir_all(data_dir)
                    .and_then(|()| write_private(&path, &STANDARD.encode(key)))
                    .map_err(|e| AppError::Integrity(format!("无法写入密钥文件：{e}")))?;
                key
            }
            Err(e) => return Err(AppError::Integrity(format!("无法读取密钥文件：{e}"))),
        };
        Ok(Self::new(&key))
    }

    pub fn new(master: &[u8; 32]) -> Self {
        let cipher_key = derive(master, "dangjian/seal/v1");
        Self {
            cipher: Aes256Gcm::new((&cipher_key).into()),
            index_key: derive(master, "dangjian/index/v1"),
            audit_key: derive(master, "dangjian/audit/v1"),
        }
    }

    /// The key of the audit chain and its checkpoints: the database never holds it.
    pub fn audit_key(&self) -> dangjian_domain::platform::audit::AuditKey {
        dangjian_domain::platform::audit::AuditKey::new(self.audit_key)
    }

    /// The value encrypted under a fresh random nonce, as base64 of nonce and ciphertext.
    pub fn seal(&self, plain: &str) -> String {
        STANDARD.encode(self.seal_bytes(plain.as_bytes()))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let bytes = STANDARD.decode(sealed).map_err(|_| unsealable())?;
        String::from_utf8(self.open_bytes(&bytes)?).map_err(|_| unsealable())
    }

    /// Nonce and ciphertext of any content (a staged roster file).
    pub fn seal_bytes(&self, plain: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::rng().random();
        let mut out = nonce.to_vec();
        // AES-GCM fails only past 64 GiB of input, far beyond any accepted upload.
        out.extend(
            self.cipher
                .encrypt(Nonce::from_slice(&nonce), plain)
                .unwrap_or_default(),
        );
        out
    }

    pub fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() <= NONCE_LEN {
            return Err(unsealable());
        }
        let (nonce, cipher) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), cipher)
            .map_err(|_| unsealable())
    }

    /// The keyed hash by which an exact value is found.
    pub fn index(&self, plain: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key)
            .expect("HMAC takes any key size");
        mac.update(plain.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

fn unsealable() -> AppError {
    AppError::Integrity("加密数据无法解开：密钥不符或数据被改动".to_owned())
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_differ_each_time() {
        let sealer = Sealer::new(&[7; 32]);
        let a = sealer.seal("11010519491231002X");
        let b = sealer.seal("11010519491231002X");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("1949"));
        assert_eq!(sealer.open(&a).unwrap(), "11010519491231002X");
        assert!(Sealer::new(&[8; 32]).open(&a).is_err());
        assert_eq!(sealer.index("x"), sealer.index("x"));
        assert_ne!(sealer.index("x"), Sealer::new(&[8; 32]).index("x"));
    }

    #[test]
    fn the_key_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = Sealer::load(dir.path()).unwrap().seal("a");
        assert_eq!(Sealer::load(dir.path()).unwrap().open(&first).unwrap(), "a");
    }
}
