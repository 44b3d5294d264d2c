use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "countries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub alpha2: String,
    pub alpha3: String,
    pub m49: Option<String>,
    pub name: String,
    pub itu_region: String,
    pub admin_region: String,
    /// `MEMBER`, `OBSERVER` or `NONE`.
    pub un_status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
