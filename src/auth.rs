//! API keys and callers: who is asking, and which entries they may see.
//!
//! A key is `stk_` followed by 32 random bytes (base64url), shown once when created; the
//! database keeps only its SHA-256. A request carries it as `Authorization: Bearer <key>`;
//! without the header the caller is anonymous.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::enums::{self, Moderation};
use entity::{api_key, entry, external_ref};
use rand::TryRngCore as _;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::error::AppError;
use crate::store::entries::in_regions;

/// Every key starts with this, so that secret scanners can recognise a leaked one.
pub const KEY_PREFIX: &str = "stk_";

/// What a caller may do, by the role of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No key: published entries and public fields only.
    Anonymous,
    /// ITU staff: everything.
    Admin,
    /// A partner organisation (by id): its own entries in every state.
    Partner(i64),
    /// A regional commission or ITU-D region (by region code): the entries of its region.
    Commission(String),
    /// A repository integration (by source name): upserts its entries by external id.
    Integration(String),
}

/// The caller of one request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The key's id and label, when a key was given.
    pub key: Option<(i64, Option<String>)>,
    pub access: Access,
    /// The key may run only registered operations.
    pub registered_only: bool,
    /// When the key last wrote.
    pub last_write: Option<chrono::DateTime<Utc>>,
}

impl Caller {
    /// Whether the caller's key wrote within `window` (its reads then go to the primary).
    pub fn wrote_within(&self, window: std::time::Duration) -> bool {
        self.last_write.is_some_and(|at| {
            Utc::now()
                .signed_duration_since(at)
                .to_std()
                .map_or(true, |ago| ago < window)
        })
    }

    /// The anonymous caller.
    pub fn anonymous() -> Caller {
        Caller {
            key: None,
            access: Access::Anonymous,
            registered_only: false,
            last_write: None,
        }
    }

    /// Who made a change, as the change log records it: `key:<id>`.
    pub fn actor(&self) -> String {
        match &self.key {
            Some((id, _)) => format!("key:{id}"),
            None => "anonymous".to_owned(),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.access == Access::Admin
    }

    /// The entries this caller may see, as a condition on `entries`: published ones, plus a
    /// partner's own, a commission's region's (through countries or regional tags), an
    /// integration's own source's, and everything for admins.
    pub fn visibility(&self, cat: &Catalog) -> Condition {
        let published = Condition::all().add(entry::Column::Moderation.eq(Moderation::Published));
        match (&self.access, self.ownership(cat)) {
            (Access::Admin, _) => Condition::all(),
            (_, Some(own)) => Condition::any().add(published).add(own),
            (_, None) => published,
        }
    }

    /// The entries this caller may see in every moderation state (beyond published ones), as
    /// a condition; `None` for anonymous callers.
    pub fn ownership(&self, cat: &Catalog) -> Option<Condition> {
        match &self.access {
            Access::Anonymous => None,
            Access::Admin => Some(Condition::all()),
            Access::Partner(org) => Some(Condition::all().add(entry::Column::OrganisationId.eq(*org))),
            Access::Commission(region) => {
                let countries = cat.region(region).map(|r| r.countries.clone()).unwrap_or_default();
                Some(in_regions(std::slice::from_ref(region), &countries))
            }
            Access::Integration(source) => Some(
                Condition::all().add(Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(external_ref::Entity)
                        .and_where(
                            Expr::col((external_ref::Entity, external_ref::Column::EntryId))
                                .equals((entry::Entity, entry::Column::Id)),
                        )
                        .and_where(Expr::col((external_ref::Entity, external_ref::Column::Source)).eq(source.as_str()))
                        .to_owned(),
                )),
            ),
        }
    }

    /// Whether an entry lies in this commission's region, given its countries and tags.
    pub fn region_covers(&self, cat: &Catalog, countries: &[String], tags: &[String]) -> bool {
        let Access::Commission(region) = &self.access else {
            return false;
        };
        tags.iter().any(|t| t == region)
            || cat
                .region(region)
                .is_some_and(|r| countries.iter().any(|c| r.countries.contains(c)))
    }
}

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
    let row = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash_key(key)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(refused)?;
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

/// What `api-key create` stores.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub role: enums::Role,
    pub organisation_id: Option<i64>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub label: Option<String>,
    /// The key may run only registered operations.
    pub registered_only: bool,
}

/// Stores a new key; returns its row and the key itself (which is not stored).
pub async fn create_key(db: &impl ConnectionTrait, new: NewKey) -> Result<(api_key::Model, String), AppError> {
    let key = generate_key()?;
    let row = api_key::ActiveModel {
        key_hash: Set(hash_key(&key)),
        role: Set(new.role),
        organisation_id: Set(new.organisation_id),
        region: Set(new.region),
        source: Set(new.source),
        label: Set(new.label),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        registered_only: Set(new.registered_only),
        last_write_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((row, key))
}

/// Every key, oldest first.
pub async fn list_keys(db: &impl ConnectionTrait) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find().order_by_asc(api_key::Column::Id).all(db).await
}

/// Revokes a key; `Ok(false)` when it was already revoked, `NotFound` when there is none.
pub async fn revoke_key(db: &impl ConnectionTrait, id: i64) -> Result<bool, AppError> {
    let row = api_key::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("API key {id}")))?;
    if row.revoked_at.is_some() {
        return Ok(false);
    }
    let mut active: api_key::ActiveModel = row.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(db).await?;
    Ok(true)
}

/// Records that a key wrote now (inside the write's transaction).
pub async fn touch_write(db: &impl ConnectionTrait, caller: &Caller) -> Result<(), DbErr> {
    if let Some((id, _)) = &caller.key {
        api_key::Entity::update_many()
            .col_expr(
                api_key::Column::LastWriteAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(api_key::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
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
