//! Writes the reference data of [`crate::reference`] into the reference tables.

use sea_orm_migration::prelude::*;

use crate::m20261130_000001_create_reference_tables::{
    ActionLines, Countries, CountryCommissions, Regions, Repositories, SdgTargets, Sdgs, WsisSdgMatrix,
};
use crate::reference;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn csv_err(e: csv::Error) -> DbErr {
    DbErr::Migration(format!("reference data: {e}"))
}

async fn insert(manager: &SchemaManager<'_>, stmt: InsertStatement) -> Result<(), DbErr> {
    manager.exec_stmt(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut q = Query::insert()
            .into_table(ActionLines::Table)
            .columns([
                ActionLines::Code,
                ActionLines::Parent,
                ActionLines::Name,
                ActionLines::ShortName,
                ActionLines::Facilitators,
                ActionLines::Position,
            ])
            .to_owned();
        for (i, a) in reference::ACTION_LINES.iter().enumerate() {
            q.values_panic([
                a.code.into(),
                a.parent.into(),
                a.name.into(),
                a.short_name.into(),
                a.facilitators.into(),
                (i as i32).into(),
            ]);
        }
        insert(manager, q).await?;

        let mut q = Query::insert()
            .into_table(Sdgs::Table)
            .columns([Sdgs::Number, Sdgs::ShortTitle, Sdgs::Title, Sdgs::Color])
            .to_owned();
        for s in reference::sdgs().map_err(csv_err)? {
            q.values_panic([s.number.into(), s.short_title.into(), s.title.into(), s.color.into()]);
        }
        insert(manager, q).await?;

        let mut q = Query::insert()
            .into_table(SdgTargets::Table)
            .columns([
                SdgTargets::Code,
                SdgTargets::Sdg,
                SdgTargets::Title,
                SdgTargets::Position,
            ])
            .to_owned();
        for (i, t) in reference::sdg_targets().map_err(csv_err)?.into_iter().enumerate() {
            q.values_panic([t.code.into(), t.goal.into(), t.title.into(), (i as i32).into()]);
        }
        insert(manager, q).await?;

        let mut q = Query::insert()
            .into_table(Regions::Table)
            .columns([Regions::Code, Regions::Scheme, Regions::Name, Regions::Position])
            .to_owned();
        for (i, (code, scheme, name)) in reference::REGIONS.iter().enumerate() {
            q.values_panic([(*code).into(), (*scheme).into(), (*name).into(), (i as i32).into()]);
        }
        insert(manager, q).await?;

        let countries = reference::countries().map_err(csv_err)?;
        let mut q = Query::insert()
            .into_table(Countries::Table)
            .columns([
                Countries::Alpha2,
                Countries::Alpha3,
                Countries::M49,
                Countries::Name,
                Countries::ItuRegion,
                Countries::AdminRegion,
                Countries::UnStatus,
            ])
            .to_owned();
        let mut links = Query::insert()
            .into_table(CountryCommissions::Table)
            .columns([CountryCommissions::Country, CountryCommissions::Commission])
            .to_owned();
        for c in &countries {
            let m49 = (!c.m49.is_empty()).then(|| c.m49.clone());
            q.values_panic([
                c.alpha2.clone().into(),
                c.alpha3.clone().into(),
                m49.into(),
                c.name.clone().into(),
                c.itu_d_region.clone().into(),
                format!("REGION_{}", c.itu_admin_region).into(),
                c.un_status.clone().into(),
            ]);
            for commission in c.un_regional_commissions.split(';').filter(|s| !s.is_empty()) {
                links.values_panic([c.alpha2.clone().into(), commission.into()]);
            }
        }
        insert(manager, q).await?;
        insert(manager, links).await?;

        let mut q = Query::insert()
            .into_table(WsisSdgMatrix::Table)
            .columns([WsisSdgMatrix::ActionLine, WsisSdgMatrix::Sdg, WsisSdgMatrix::Source])
            .to_owned();
        for (category, sdgs) in reference::MATRIX {
            for sdg in *sdgs {
                q.values_panic([(*category).into(), (*sdg).into(), reference::MATRIX_SOURCE.into()]);
            }
        }
        insert(manager, q).await?;

        let mut q = Query::insert()
            .into_table(Repositories::Table)
            .columns([Repositories::Slug, Repositories::Name, Repositories::Description])
            .to_owned();
        for (slug, name, description) in reference::REPOSITORIES {
            q.values_panic([(*slug).into(), (*name).into(), (*description).into()]);
        }
        insert(manager, q).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in [
            "repositories",
            "wsis_sdg_matrix",
            "country_commissions",
            "countries",
            "regions",
            "sdg_targets",
            "sdgs",
            "action_lines",
        ] {
            db.execute_unprepared(&format!("DELETE FROM {table}")).await?;
        }
        Ok(())
    }
}
