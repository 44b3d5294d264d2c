use sea_orm::entity::prelude::*;

use crate::enums::{ActivityType, Coverage, EntryStatus, Moderation};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The stable public number.
    #[sea_orm(unique)]
    pub number: i64,
    pub organisation_id: i64,
    pub title: String,
    pub description: String,
    pub activity_type: ActivityType,
    pub status: EntryStatus,
    pub coverage: Coverage,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub website: Option<String>,
    /// The year of submission or last update.
    pub year: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub moderation: Moderation,
    /// The reviewer's note on the last moderation decision.
    pub moderation_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
