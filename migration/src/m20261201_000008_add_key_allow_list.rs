//! API keys gain two columns: `registered_only` (the key may run only registered operations,
//! the allow-list mode) and `last_write_at` (when the key last wrote, so that its reads go to
//! the primary database for a while after: read-your-own-writes across replicas).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    RegisteredOnly,
    LastWriteAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiKeys::Table)
                    .add_column(
                        ColumnDef::new(ApiKeys::RegisteredOnly)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiKeys::Table)
                    .add_column(ColumnDef::new(ApiKeys::LastWriteAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [ApiKeys::RegisteredOnly, ApiKeys::LastWriteAt] {
            manager
                .alter_table(Table::alter().table(ApiKeys::Table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
