//! Reference tables: Action Lines, SDGs and targets, regions, countries, the WSIS–SDG matrix,
//! special repositories.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum ActionLines {
    Table,
    Code,
    Parent,
    Name,
    ShortName,
    Facilitators,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Sdgs {
    Table,
    Number,
    ShortTitle,
    Title,
    Color,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SdgTargets {
    Table,
    Code,
    Sdg,
    Title,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Regions {
    Table,
    Code,
    Scheme,
    Name,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Countries {
    Table,
    Alpha2,
    Alpha3,
    M49,
    Name,
    ItuRegion,
    AdminRegion,
    UnStatus,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum CountryCommissions {
    Table,
    Country,
    Commission,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum WsisSdgMatrix {
    Table,
    ActionLine,
    Sdg,
    Source,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Repositories {
    Table,
    Id,
    Slug,
    Name,
    Description,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActionLines::Table)
                    .col(string_len(ActionLines::Code, 32).primary_key())
                    .col(string_len_null(ActionLines::Parent, 32))
                    .col(string(ActionLines::Name))
                    .col(string(ActionLines::ShortName))
                    .col(string(ActionLines::Facilitators))
                    .col(integer(ActionLines::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActionLines::Table, ActionLines::Parent)
                            .to(ActionLines::Table, ActionLines::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sdgs::Table)
                    .col(integer(Sdgs::Number).primary_key())
                    .col(string(Sdgs::ShortTitle))
                    .col(text(Sdgs::Title))
                    .col(string_len(Sdgs::Color, 7))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SdgTargets::Table)
                    .col(string_len(SdgTargets::Code, 8).primary_key())
                    .col(integer(SdgTargets::Sdg))
                    .col(text(SdgTargets::Title))
                    .col(integer(SdgTargets::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SdgTargets::Table, SdgTargets::Sdg)
                            .to(Sdgs::Table, Sdgs::Number),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(string_len(Regions::Code, 32).primary_key())
                    .col(string_len(Regions::Scheme, 32))
                    .col(string(Regions::Name))
                    .col(integer(Regions::Position))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Countries::Table)
                    .col(string_len(Countries::Alpha2, 2).primary_key())
                    .col(string_len_uniq(Countries::Alpha3, 3))
                    .col(string_len_null(Countries::M49, 3))
                    .col(string(Countries::Name))
                    .col(string_len(Countries::ItuRegion, 32))
                    .col(string_len(Countries::AdminRegion, 32))
                    .col(string_len(Countries::UnStatus, 16))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Countries::Table, Countries::ItuRegion)
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Countries::Table, Countries::AdminRegion)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CountryCommissions::Table)
                    .col(string_len(CountryCommissions::Country, 2))
                    .col(string_len(CountryCommissions::Commission, 32))
                    .primary_key(
                        Index::create()
                            .col(CountryCommissions::Country)
                            .col(CountryCommissions::Commission),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CountryCommissions::Table, CountryCommissions::Country)
                            .to(Countries::Table, Countries::Alpha2),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CountryCommissions::Table, CountryCommissions::Commission)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WsisSdgMatrix::Table)
                    .col(string_len(WsisSdgMatrix::ActionLine, 32))
                    .col(integer(WsisSdgMatrix::Sdg))
                    .col(string(WsisSdgMatrix::Source))
                    .primary_key(Index::create().col(WsisSdgMatrix::ActionLine).col(WsisSdgMatrix::Sdg))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WsisSdgMatrix::Table, WsisSdgMatrix::ActionLine)
                            .to(ActionLines::Table, ActionLines::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WsisSdgMatrix::Table, WsisSdgMatrix::Sdg)
                            .to(Sdgs::Table, Sdgs::Number),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Repositories::Table)
                    .col(pk_auto(Repositories::Id))
                    .col(string_len_uniq(Repositories::Slug, 64))
                    .col(string(Repositories::Name))
                    .col(text(Repositories::Description))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Repositories::Table.into_iden(),
            WsisSdgMatrix::Table.into_iden(),
            CountryCommissions::Table.into_iden(),
            Countries::Table.into_iden(),
            Regions::Table.into_iden(),
            SdgTargets::Table.into_iden(),
            Sdgs::Table.into_iden(),
            ActionLines::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
