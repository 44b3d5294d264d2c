//! API keys: their rows, looked up by hash, created, listed, revoked, and stamped on write.

use chrono::Utc;
use entity::{api_key, enums};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

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

/// The live (unrevoked) key with this hash.
pub async fn live(db: &impl ConnectionTrait, hash: &str) -> Result<Option<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await
}

/// Stores a new key by its hash.
pub async fn insert(db: &impl ConnectionTrait, new: NewKey, hash: String) -> Result<api_key::Model, DbErr> {
    api_key::ActiveModel {
        key_hash: Set(hash),
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
    .await
}

/// Every key, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find().order_by_asc(api_key::Column::Id).all(db).await
}

/// Revokes a key: `None` when there is none, `Some(false)` when it was already revoked.
pub async fn revoke(db: &impl ConnectionTrait, id: i64) -> Result<Option<bool>, DbErr> {
    let Some(row) = api_key::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if row.revoked_at.is_some() {
        return Ok(Some(false));
    }
    let mut active: api_key::ActiveModel = row.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(db).await?;
    Ok(Some(true))
}

/// Records that a key wrote now (inside the write's transaction).
pub async fn touch_write(db: &impl ConnectionTrait, key_id: i64) -> Result<(), DbErr> {
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::LastWriteAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(api_key::Column::Id.eq(key_id))
        .exec(db)
        .await?;
    Ok(())
}
