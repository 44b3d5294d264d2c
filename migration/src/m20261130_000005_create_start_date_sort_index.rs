//! The `START_DATE` ordering sorts undated entries last through
//! `COALESCE(start_date, '9999-12-31')`; this index on that very expression (and the id
//! tie-breaker) lets both backends seek pages in it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "CREATE INDEX idx_entries_start_sort ON entries ((COALESCE(start_date, '9999-12-31'::date)), id)"
            }
            _ => "CREATE INDEX idx_entries_start_sort ON entries (COALESCE(start_date, '9999-12-31'), id)",
        };
        manager.get_connection().execute_unprepared(sql).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_entries_start_sort")
            .await
            .map(|_| ())
    }
}
