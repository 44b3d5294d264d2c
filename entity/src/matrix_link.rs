use sea_orm::entity::prelude::*;

/// A WSIS–SDG matrix link (goal level), with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wsis_sdg_matrix")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_line: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sdg: i32,
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
