//! Search in the six UN languages: the index now holds text folded by the server (case,
//! accents, Arabic letters and article, pairs of ideographs, plurals; `src/fold.rs`), written
//! by the server after every write rather than by triggers, so that both backends index the
//! same tokens. The index is emptied here and refilled by the server on its next start.
//!
//! SQLite keeps `entries_fts` (its rows are now folded text) and the trigger that drops a
//! deleted entry's row. PostgreSQL moves the `tsvector` out of `entries` into `entry_search`,
//! which a deleted entry's row leaves by cascade.

use crate::m20261130_000004_create_search_index::run;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "DROP TRIGGER IF EXISTS entries_fts_insert",
    "DROP TRIGGER IF EXISTS entries_fts_update",
    "DROP TRIGGER IF EXISTS organisations_fts_update",
    "DELETE FROM entries_fts",
];

const SQLITE_DOWN: &[&str] = &[
    "DELETE FROM entries_fts",
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
    "CREATE TRIGGER organisations_fts_update AFTER UPDATE OF name ON organisations BEGIN
       UPDATE entries_fts SET organisation = new.name
         WHERE rowid IN (SELECT id FROM entries WHERE organisation_id = new.id);
     END",
];

const POSTGRES_UP: &[&str] = &[
    "DROP TRIGGER IF EXISTS organisations_search_vector ON organisations",
    "DROP FUNCTION IF EXISTS organisations_search_vector()",
    "DROP TRIGGER IF EXISTS entries_search_vector ON entries",
    "DROP FUNCTION IF EXISTS entries_search_vector()",
    "ALTER TABLE entries DROP COLUMN IF EXISTS search_vector",
    "CREATE TABLE entry_search (
       entry_id BIGINT PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
       document TSVECTOR NOT NULL
     )",
    "CREATE INDEX idx_entry_search_document ON entry_search USING GIN (document)",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TABLE IF EXISTS entry_search",
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
