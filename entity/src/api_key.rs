use sea_orm::entity::prelude::*;

use crate::enums::Role;

/// An API key: only the SHA-256 hash of the key is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub key_hash: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub label: Option<String>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// The key may run only registered operations (the allow-list mode).
    pub registered_only: bool,
    /// When the key last wrote: its reads go to the primary database for a while after.
    pub last_write_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
