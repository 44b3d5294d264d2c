//! The Global Digital Compact (A/RES/79/1, 2024): its five objectives as reference data, and
//! optional links from entries to them. The facet summary gains the objectives and the
//! category × objective matrix: emptying it makes the server rebuild it on its next start.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, integer, string, text};

use crate::reference::{GDC_OBJECTIVES, GDC_SOURCE};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum GdcObjectives {
    Table,
    Code,
    Position,
    Title,
    Source,
}

#[derive(DeriveIden, Clone, Copy)]
enum EntryGdcObjectives {
    Table,
    EntryId,
    Objective,
}

#[derive(DeriveIden, Clone, Copy)]
enum Entries {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GdcObjectives::Table)
                    .col(string(GdcObjectives::Code).primary_key())
                    .col(integer(GdcObjectives::Position))
                    .col(text(GdcObjectives::Title))
                    .col(text(GdcObjectives::Source))
                    .to_owned(),
            )
            .await?;
        let mut rows = Query::insert()
            .into_table(GdcObjectives::Table)
            .columns([
                GdcObjectives::Code,
                GdcObjectives::Position,
                GdcObjectives::Title,
                GdcObjectives::Source,
            ])
            .to_owned();
        for (i, (code, title)) in GDC_OBJECTIVES.iter().enumerate() {
            rows.values_panic([
                (*code).into(),
                (i as i32 + 1).into(),
                (*title).into(),
                GDC_SOURCE.into(),
            ]);
        }
        manager.exec_stmt(rows).await?;
        manager
            .create_table(
                Table::create()
                    .table(EntryGdcObjectives::Table)
                    .col(big_integer(EntryGdcObjectives::EntryId))
                    .col(string(EntryGdcObjectives::Objective))
                    .primary_key(
                        Index::create()
                            .col(EntryGdcObjectives::EntryId)
                            .col(EntryGdcObjectives::Objective),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EntryGdcObjectives::Table, EntryGdcObjectives::EntryId)
                            .to(Entries::Table, Entries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EntryGdcObjectives::Table, EntryGdcObjectives::Objective)
                            .to(GdcObjectives::Table, GdcObjectives::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entry_gdc_objectives_code_entry")
                    .table(EntryGdcObjectives::Table)
                    .col(EntryGdcObjectives::Objective)
                    .col(EntryGdcObjectives::EntryId)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM facet_counts")
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EntryGdcObjectives::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(GdcObjectives::Table).to_owned())
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM facet_counts")
            .await
            .map(|_| ())
    }
}
