//! Organisations, entries and everything hanging off an entry; API keys; the change log.
//!
//! Every filter of the public `EntryFilter` has an index here: the link tables are keyed both
//! ways (entry → code for loading, code → entry for filtering), and each keyset ordering has a
//! composite index ending in the id tie-breaker.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261130_000001_create_reference_tables::{ActionLines, Countries, Regions, Repositories, Sdgs};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The `entry_id` column of every link table.
#[derive(DeriveIden, Clone, Copy)]
struct EntryId;

#[derive(DeriveIden, Clone, Copy)]
enum Organisations {
    Table,
    Id,
    Name,
    StakeholderType,
    Country,
    Website,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Entries {
    Table,
    Id,
    Number,
    OrganisationId,
    Title,
    Description,
    ActivityType,
    Status,
    Coverage,
    StartDate,
    EndDate,
    Website,
    Year,
    CreatedAt,
    UpdatedAt,
    Version,
    Moderation,
}

#[derive(DeriveIden, Clone, Copy)]
enum EntryCountries {
    Table,
    Country,
}

#[derive(DeriveIden, Clone, Copy)]
enum EntryRegions {
    Table,
    Region,
}

#[derive(DeriveIden, Clone, Copy)]
enum EntryCategories {
    Table,
    ActionLine,
}

#[derive(DeriveIden, Clone, Copy)]
enum EntrySdgs {
    Table,
    Sdg,
}

#[derive(DeriveIden, Clone, Copy)]
enum Prizes {
    Table,
    Id,
    EntryId,
    Year,
    Category,
    Result,
}

#[derive(DeriveIden, Clone, Copy)]
enum RepositoryEntries {
    Table,
    RepositoryId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ExternalRefs {
    Table,
    Id,
    EntryId,
    Source,
    ExternalId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contacts {
    Table,
    EntryId,
    Name,
    Email,
    Phone,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiKeys {
    Table,
    Id,
    KeyHash,
    Role,
    OrganisationId,
    Region,
    Source,
    Label,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Changes {
    Table,
    Seq,
    Kind,
    EntryId,
    Actor,
    At,
}

/// A foreign key from `table.col` to `entries.id`, deleting with the entry.
fn entry_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Entries::Table, Entries::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A link table `(entry_id, code)` with its reverse index `(code, entry_id)` for filtering.
async fn link_table(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Copy + 'static,
    code: impl IntoIden + Copy + 'static,
    code_col: ColumnDef,
    code_fk: ForeignKeyCreateStatement,
    name: &str,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(big_integer(EntryId))
                .col(code_col)
                .primary_key(Index::create().col(EntryId).col(code))
                .foreign_key(&mut entry_fk(table, EntryId))
                .foreign_key(&mut code_fk.clone())
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name(format!("idx_{name}_code_entry"))
                .table(table)
                .col(code)
                .col(EntryId)
                .to_owned(),
        )
        .await
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for col in cols {
        stmt.col(col);
    }
    manager.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(big_pk_auto(Organisations::Id))
                    .col(string(Organisations::Name))
                    .col(string_len(Organisations::StakeholderType, 32))
                    .col(string_len_null(Organisations::Country, 2))
                    .col(string_null(Organisations::Website))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Organisations::Table, Organisations::Country)
                            .to(Countries::Table, Countries::Alpha2),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organisations_stakeholder",
            Organisations::Table,
            vec![
                Organisations::StakeholderType.into_iden(),
                Organisations::Id.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_organisations_country",
            Organisations::Table,
            vec![Organisations::Country.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Entries::Table)
                    .col(big_pk_auto(Entries::Id))
                    .col(big_integer_uniq(Entries::Number))
                    .col(big_integer(Entries::OrganisationId))
                    .col(string(Entries::Title))
                    .col(text(Entries::Description))
                    .col(string_len(Entries::ActivityType, 32))
                    .col(string_len(Entries::Status, 32))
                    .col(string_len(Entries::Coverage, 32))
                    .col(date_null(Entries::StartDate))
                    .col(date_null(Entries::EndDate))
                    .col(string_null(Entries::Website))
                    .col(integer(Entries::Year))
                    .col(timestamp_with_time_zone(Entries::CreatedAt))
                    .col(timestamp_with_time_zone(Entries::UpdatedAt))
                    .col(integer(Entries::Version).default(1))
                    .col(string_len(Entries::Moderation, 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Entries::Table, Entries::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
            // Order titles by code point on both backends (SQLite's BINARY collation), not by
            // the server's locale.
            manager
                .get_connection()
                .execute_unprepared(r#"ALTER TABLE entries ALTER COLUMN title TYPE varchar COLLATE "C""#)
                .await?;
        }
        let e = |c: Entries| c.into_iden();
        for (name, cols) in [
            (
                "idx_entries_organisation",
                vec![e(Entries::OrganisationId), e(Entries::Id)],
            ),
            (
                "idx_entries_moderation_number",
                vec![e(Entries::Moderation), e(Entries::Number)],
            ),
            ("idx_entries_year", vec![e(Entries::Year), e(Entries::Id)]),
            ("idx_entries_status", vec![e(Entries::Status), e(Entries::Id)]),
            ("idx_entries_coverage", vec![e(Entries::Coverage), e(Entries::Id)]),
            ("idx_entries_title", vec![e(Entries::Title), e(Entries::Id)]),
            ("idx_entries_updated_at", vec![e(Entries::UpdatedAt), e(Entries::Id)]),
            ("idx_entries_start_date", vec![e(Entries::StartDate), e(Entries::Id)]),
        ] {
            index(manager, name, Entries::Table, cols).await?;
        }

        link_table(
            manager,
            EntryCountries::Table,
            EntryCountries::Country,
            string_len(EntryCountries::Country, 2),
            ForeignKey::create()
                .from(EntryCountries::Table, EntryCountries::Country)
                .to(Countries::Table, Countries::Alpha2)
                .to_owned(),
            "entry_countries",
        )
        .await?;
        link_table(
            manager,
            EntryRegions::Table,
            EntryRegions::Region,
            string_len(EntryRegions::Region, 32),
            ForeignKey::create()
                .from(EntryRegions::Table, EntryRegions::Region)
                .to(Regions::Table, Regions::Code)
                .to_owned(),
            "entry_regions",
        )
        .await?;
        link_table(
            manager,
            EntryCategories::Table,
            EntryCategories::ActionLine,
            string_len(EntryCategories::ActionLine, 32),
            ForeignKey::create()
                .from(EntryCategories::Table, EntryCategories::ActionLine)
                .to(ActionLines::Table, ActionLines::Code)
                .to_owned(),
            "entry_categories",
        )
        .await?;
        link_table(
            manager,
            EntrySdgs::Table,
            EntrySdgs::Sdg,
            integer(EntrySdgs::Sdg),
            ForeignKey::create()
                .from(EntrySdgs::Table, EntrySdgs::Sdg)
                .to(Sdgs::Table, Sdgs::Number)
                .to_owned(),
            "entry_sdgs",
        )
        .await?;
        link_table(
            manager,
            RepositoryEntries::Table,
            RepositoryEntries::RepositoryId,
            integer(RepositoryEntries::RepositoryId),
            ForeignKey::create()
                .from(RepositoryEntries::Table, RepositoryEntries::RepositoryId)
                .to(Repositories::Table, Repositories::Id)
                .to_owned(),
            "repository_entries",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Prizes::Table)
                    .col(big_pk_auto(Prizes::Id))
                    .col(big_integer(Prizes::EntryId))
                    .col(integer(Prizes::Year))
                    .col(string_len(Prizes::Category, 32))
                    .col(string_len(Prizes::Result, 16))
                    .foreign_key(&mut entry_fk(Prizes::Table, Prizes::EntryId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Prizes::Table, Prizes::Category)
                            .to(ActionLines::Table, ActionLines::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_prizes_entry_year_category")
                    .table(Prizes::Table)
                    .col(Prizes::EntryId)
                    .col(Prizes::Year)
                    .col(Prizes::Category)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_prizes_result_entry",
            Prizes::Table,
            vec![Prizes::Result.into_iden(), Prizes::EntryId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExternalRefs::Table)
                    .col(big_pk_auto(ExternalRefs::Id))
                    .col(big_integer(ExternalRefs::EntryId))
                    .col(string_len(ExternalRefs::Source, 64))
                    .col(string_len(ExternalRefs::ExternalId, 128))
                    .foreign_key(&mut entry_fk(ExternalRefs::Table, ExternalRefs::EntryId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_external_refs_source_external_id")
                    .table(ExternalRefs::Table)
                    .col(ExternalRefs::Source)
                    .col(ExternalRefs::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_external_refs_entry",
            ExternalRefs::Table,
            vec![ExternalRefs::EntryId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(big_integer(Contacts::EntryId).primary_key())
                    .col(string(Contacts::Name))
                    .col(string(Contacts::Email))
                    .col(string_null(Contacts::Phone))
                    .foreign_key(&mut entry_fk(Contacts::Table, Contacts::EntryId))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(string_len_uniq(ApiKeys::KeyHash, 64))
                    .col(string_len(ApiKeys::Role, 16))
                    .col(big_integer_null(ApiKeys::OrganisationId))
                    .col(string_len_null(ApiKeys::Region, 32))
                    .col(string_len_null(ApiKeys::Source, 64))
                    .col(string_null(ApiKeys::Label))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKeys::Table, ApiKeys::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Changes::Table)
                    .col(big_pk_auto(Changes::Seq))
                    .col(string_len(Changes::Kind, 16))
                    .col(big_integer(Changes::EntryId))
                    .col(string(Changes::Actor))
                    .col(timestamp_with_time_zone(Changes::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_changes_entry",
            Changes::Table,
            vec![Changes::EntryId.into_iden(), Changes::Seq.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Changes::Table.into_iden(),
            ApiKeys::Table.into_iden(),
            Contacts::Table.into_iden(),
            ExternalRefs::Table.into_iden(),
            Prizes::Table.into_iden(),
            RepositoryEntries::Table.into_iden(),
            EntrySdgs::Table.into_iden(),
            EntryCategories::Table.into_iden(),
            EntryRegions::Table.into_iden(),
            EntryCountries::Table.into_iden(),
            Entries::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
