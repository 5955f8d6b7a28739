//! Secrets: random tokens, their hashes, and password hashes (argon2id).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// A random token of 32 bytes, URL-safe.
pub(crate) fn token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as their SHA-256; they carry 256 bits, so no slow hash is needed.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn hash_password(password: &str) -> Result<String, crate::AppError> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| crate::AppError::internal("无法处理密码，请稍后重试", e))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| crate::AppError::internal("无法处理密码，请稍后重试", e))
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A real argon2id hash of nothing anyone knows, checked against when a name is unknown.
pub(crate) fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&token()).unwrap_or_default())
}

/// Hashes on a blocking thread: argon2id is slow on purpose and must not stall the runtime.
pub(crate) async fn hash_password_off_thread(password: String) -> Result<String, crate::AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| crate::AppError::internal("无法处理密码，请稍后重试", e))?
}

pub(crate) async fn verify_password_off_thread(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// A temporary password that satisfies the policy: 12 characters from an alphabet without
/// look-alikes, with upper, lower and digits.
pub(crate) fn temporary_password() -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| char::from(set[rng.random_range(0..set.len())]);
    let mut s = String::new();
    for _ in 0..4 {
        s.push(pick(UPPER));
        s.push(pick(LOWER));
        s.push(pick(DIGIT));
    }
    s
}

/// An activation code of 8 characters without look-alikes (40 bits), shown as `ABCD-EFGH`;
/// /activate is throttled like sign-in, so it cannot be guessed in its 14 days.
pub(crate) fn activation_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let mut s = String::new();
    for i in 0..8 {
        if i == 4 {
            s.push('-');
        }
        s.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("Dangjian-2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Dangjian-2026", &h));
        assert!(!verify_password("dangjian-2026", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        for _ in 0..50 {
            let p = temporary_password();
            dangjian_domain::platform::account::check_password(&p, "admin", "管理员", "password")
                .unwrap();
        }
    }
}
