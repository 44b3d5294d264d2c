//! `facet_counts`: the number of published entries under each key of each facet, for every
//! entry (scope `''`) and for each region (scope = the region's code). It answers `entryStats`
//! for the commissions' usual reports (unfiltered, or one region) without scanning the entries:
//! the write path keeps it in step, and the server fills it on start-up when it is empty.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FacetCounts {
    Table,
    Scope,
    Facet,
    K,
    N,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FacetCounts::Table)
                    .col(ColumnDef::new(FacetCounts::Scope).string_len(32).not_null())
                    .col(ColumnDef::new(FacetCounts::Facet).string_len(32).not_null())
                    .col(ColumnDef::new(FacetCounts::K).string_len(64).not_null())
                    .col(ColumnDef::new(FacetCounts::N).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(FacetCounts::Scope)
                            .col(FacetCounts::Facet)
                            .col(FacetCounts::K),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FacetCounts::Table).to_owned())
            .await
    }
}
