//! The organisation directory's search matches folded names too (`src/fold.rs`: case, accents,
//! Arabic marks and article, pairs of ideographs), like the entries' search: a column the
//! server fills with the folded name, for every organisation it writes, and at start for any
//! left without one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    SearchName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(ColumnDef::new(Organisations::SearchName).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .drop_column(Organisations::SearchName)
                    .to_owned(),
            )
            .await
    }
}
