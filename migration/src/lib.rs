//! Database migrations for stocktaking, reference data included.
//!
//! The schema is written with sea-query's builders so the same migration runs on SQLite and
//! PostgreSQL. Reference data (Action Lines, SDGs and targets, regions, countries, the WSIS–SDG
//! matrix, the special repositories) is part of the migrations: a migrated database is complete.

pub use sea_orm_migration::prelude::*;

mod m20261130_000001_create_reference_tables;
mod m20261130_000002_create_entry_tables;
mod m20261130_000003_seed_reference_data;
mod m20261130_000004_create_search_index;
mod m20261130_000005_create_start_date_sort_index;
mod m20261130_000006_add_moderation_note;
mod m20261130_000007_add_change_moderation;
mod m20261201_000008_add_key_allow_list;
mod m20261201_000009_create_facet_counts;
mod m20261203_000010_summary_by_year;
mod m20261204_000011_folded_search_index;
mod m20261204_000012_global_digital_compact;
mod m20261204_000013_organisation_search_name;
pub mod reference;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_create_reference_tables::Migration),
            Box::new(m20261130_000002_create_entry_tables::Migration),
            Box::new(m20261130_000003_seed_reference_data::Migration),
            Box::new(m20261130_000004_create_search_index::Migration),
            Box::new(m20261130_000005_create_start_date_sort_index::Migration),
            Box::new(m20261130_000006_add_moderation_note::Migration),
            Box::new(m20261130_000007_add_change_moderation::Migration),
            Box::new(m20261201_000008_add_key_allow_list::Migration),
            Box::new(m20261201_000009_create_facet_counts::Migration),
            Box::new(m20261203_000010_summary_by_year::Migration),
            Box::new(m20261204_000011_folded_search_index::Migration),
            Box::new(m20261204_000012_global_digital_compact::Migration),
            Box::new(m20261204_000013_organisation_search_name::Migration),
        ]
    }
}
