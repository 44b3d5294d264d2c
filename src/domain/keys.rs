//! API keys: `stk_` followed by 32 random bytes (base64url), shown once when created; the
//! database keeps only its SHA-256. A request carries it as `Authorization: Bearer <key>`;
//! without the header the caller is anonymous.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{api_key, enums};
use rand::TryRngCore as _;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

use crate::caller::{Access, Caller};
use crate::error::AppError;
use crate::store::keys::{self, NewKey};

/// Every key starts with this, so that secret scanners can recognise a leaked one.
pub const KEY_PREFIX: &str = "stk_";

/// A new random key.
pub fn generate_key() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The stored form of a key: its SHA-256, in hex.
pub fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The caller of a request from its `Authorization` header. A missing header is anonymous;
/// anything else but a live key is `UNAUTHENTICATED`, with the same message whether or not the
/// key ever existed.
pub async fn authenticate(db: &impl ConnectionTrait, authorization: Option<&str>) -> Result<Caller, AppError> {
    let Some(value) = authorization else {
        return Ok(Caller::anonymous());
    };
    let refused = || AppError::Unauthenticated("invalid or revoked API key".into());
    let key = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(refused)?;
    let row = keys::live(db, &hash_key(key)).await?.ok_or_else(refused)?;
    let access = match row.role {
        enums::Role::Admin => Some(Access::Admin),
        enums::Role::Partner => row.organisation_id.map(Access::Partner),
        enums::Role::Commission => row.region.clone().map(Access::Commission),
        enums::Role::Integration => row.source.clone().map(Access::Integration),
    }
    .ok_or_else(|| AppError::Internal(format!("API key {} lacks its role's binding", row.id)))?;
    Ok(Caller {
        key: Some((row.id, row.label)),
        access,
        registered_only: row.registered_only,
        last_write: row.last_write_at,
    })
}

/// Stores a new key; returns its row and the key itself (which is not stored).
pub async fn create(db: &impl ConnectionTrait, new: NewKey) -> Result<(api_key::Model, String), AppError> {
    let key = generate_key()?;
    let row = keys::insert(db, new, hash_key(&key)).await?;
    Ok((row, key))
}

/// Revokes a key; `Ok(false)` when it was already revoked, `NotFound` when there is none.
pub async fn revoke(db: &impl ConnectionTrait, id: i64) -> Result<bool, AppError> {
    keys::revoke(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("API key {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hashed() {
        let a = generate_key().expect("key");
        let b = generate_key().expect("key");
        assert_ne!(a, b);
        assert!(a.starts_with(KEY_PREFIX));
        // 32 bytes in base64url without padding.
        assert_eq!(a.len(), KEY_PREFIX.len() + 43);
        assert_eq!(hash_key(&a).len(), 64);
        assert_eq!(hash_key(&a), hash_key(&a));
        assert_ne!(hash_key(&a), hash_key(&b));
    }
}
