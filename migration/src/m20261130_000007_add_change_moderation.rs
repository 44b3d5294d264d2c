//! Each change records the entry's moderation state before and after it, so that the change
//! feed can tell, for any row, whether the entry entered, stayed in or left the published set
//! without replaying the log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Changes {
    Table,
    ModerationBefore,
    ModerationAfter,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Changes::ModerationBefore, Changes::ModerationAfter] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Changes::Table)
                        .add_column(ColumnDef::new(col).string_len(16).null())
                        .to_owned(),
                )
                .await?;
        }
        // Rows written before this migration: the entry's present state is the best known.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE changes SET moderation_after = (SELECT moderation FROM entries WHERE entries.id = changes.entry_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Changes::ModerationBefore, Changes::ModerationAfter] {
            manager
                .alter_table(Table::alter().table(Changes::Table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
