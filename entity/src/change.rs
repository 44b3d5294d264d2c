use sea_orm::entity::prelude::*;

use crate::enums::{ChangeKind, Moderation};

/// One row of the change log; `seq` only ever grows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub kind: ChangeKind,
    pub entry_id: i64,
    pub actor: String,
    pub at: DateTimeUtc,
    /// The entry's moderation state before the change (none for a new entry).
    pub moderation_before: Option<Moderation>,
    /// The entry's moderation state after the change.
    pub moderation_after: Option<Moderation>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
