//! The reference tables, read whole for the in-memory catalogue.

use entity::{
    action_line, country, country_commission, gdc_objective, matrix_link, region, repository, sdg, sdg_target,
};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use crate::catalog::{Catalog, Rows};

/// The catalogue, from every reference table (a handful of statements, once per process).
pub async fn load(db: &impl ConnectionTrait) -> Result<Catalog, DbErr> {
    Ok(Catalog::build(rows(db).await?))
}

/// Every reference table, each in its order.
pub async fn rows(db: &impl ConnectionTrait) -> Result<Rows, DbErr> {
    Ok(Rows {
        action_lines: action_line::Entity::find()
            .order_by_asc(action_line::Column::Position)
            .all(db)
            .await?,
        sdgs: sdg::Entity::find().order_by_asc(sdg::Column::Number).all(db).await?,
        targets: sdg_target::Entity::find()
            .order_by_asc(sdg_target::Column::Position)
            .all(db)
            .await?,
        regions: region::Entity::find()
            .order_by_asc(region::Column::Position)
            .all(db)
            .await?,
        countries: country::Entity::find()
            .order_by_asc(country::Column::Name)
            .all(db)
            .await?,
        commissions: country_commission::Entity::find()
            .order_by_asc(country_commission::Column::Country)
            .order_by_asc(country_commission::Column::Commission)
            .all(db)
            .await?,
        matrix: matrix_link::Entity::find()
            .order_by_asc(matrix_link::Column::ActionLine)
            .order_by_asc(matrix_link::Column::Sdg)
            .all(db)
            .await?,
        repositories: repository::Entity::find()
            .order_by_asc(repository::Column::Id)
            .all(db)
            .await?,
        gdc_objectives: gdc_objective::Entity::find()
            .order_by_asc(gdc_objective::Column::Position)
            .all(db)
            .await?,
    })
}
