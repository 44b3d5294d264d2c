//! Full-text search over title, description and organisation name, kept in sync by triggers on
//! every write: an FTS5 table on SQLite, a weighted `tsvector` column with a GIN index on
//! PostgreSQL. Both use a language-neutral tokenizer (no stemming, accents kept) so that both
//! backends match the same words.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE entries_fts USING fts5(title, description, organisation, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO entries_fts(rowid, title, description, organisation)
       SELECT e.id, e.title, e.description, o.name FROM entries e JOIN organisations o ON o.id = e.organisation_id",
    "CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
       INSERT INTO entries_fts(rowid, title, description, organisation)
         VALUES (new.id, new.title, new.description, (SELECT name FROM organisations WHERE id = new.organisation_id));
     END",
    "CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, description, organisation_id ON entries BEGIN
       DELETE FROM entries_fts WHERE rowid = old.id;
       INSERT INTO entries_fts(rowid, title, description, organisation)
         VALUES (new.id, new.title, new.description, (SELECT name FROM organisations WHERE id = new.organisation_id));
     END",
    "CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
       DELETE FROM entries_fts WHERE rowid = old.id;
     END",
    "CREATE TRIGGER organisations_fts_update AFTER UPDATE OF name ON organisations BEGIN
       UPDATE entries_fts SET organisation = new.name
         WHERE rowid IN (SELECT id FROM entries WHERE organisation_id = new.id);
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS organisations_fts_update",
    "DROP TRIGGER IF EXISTS entries_fts_delete",
    "DROP TRIGGER IF EXISTS entries_fts_update",
    "DROP TRIGGER IF EXISTS entries_fts_insert",
    "DROP TABLE IF EXISTS entries_fts",
];

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE entries ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION entries_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       NEW.search_vector :=
         setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
         setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'B') ||
         setweight(to_tsvector('simple', coalesce((SELECT name FROM organisations WHERE id = NEW.organisation_id), '')), 'C');
       RETURN NEW;
     END $$",
    "CREATE TRIGGER entries_search_vector BEFORE INSERT OR UPDATE OF title, description, organisation_id ON entries
       FOR EACH ROW EXECUTE FUNCTION entries_search_vector()",
    "CREATE FUNCTION organisations_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE entries SET organisation_id = organisation_id WHERE organisation_id = NEW.id;
       RETURN NULL;
     END $$",
    "CREATE TRIGGER organisations_search_vector AFTER UPDATE OF name ON organisations
       FOR EACH ROW EXECUTE FUNCTION organisations_search_vector()",
    "UPDATE entries SET title = title",
    "CREATE INDEX idx_entries_search ON entries USING GIN (search_vector)",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS organisations_search_vector ON organisations",
    "DROP FUNCTION IF EXISTS organisations_search_vector()",
    "DROP TRIGGER IF EXISTS entries_search_vector ON entries",
    "DROP FUNCTION IF EXISTS entries_search_vector()",
    "ALTER TABLE entries DROP COLUMN IF EXISTS search_vector",
];

/// Runs the statements of the database's backend, in order.
pub(crate) async fn run(manager: &SchemaManager<'_>, sqlite: &[&str], postgres: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Sqlite => sqlite,
        DbBackend::Postgres => postgres,
        other => return Err(DbErr::Migration(format!("unsupported backend {other:?}"))),
    };
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
