//! The facet summary gains a scope per year (`AFRICA@2019`, `@2019` for every entry), so that
//! counts over a range of years add up a few rows instead of scanning the entries. Emptying
//! the table makes the server rebuild it, with the new scopes, on its next start (`stocktaking
//! seed` and `import` rebuild it too).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM facet_counts")
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM facet_counts")
            .await
            .map(|_| ())
    }
}
