//! Connecting to the database (SQLite or PostgreSQL) and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};

/// How long a statement waits for a pooled connection (or for a new one to connect) before
/// its request fails as `UNAVAILABLE`: a database that is down is seen within a second, not
/// after the client has given up.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// Opens a connection pool. On SQLite: WAL, a busy timeout and foreign keys, so concurrent
/// readers never block on the writer and a waiting writer retries instead of failing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(ACQUIRE_TIMEOUT);
    if url.starts_with("sqlite:") {
        opts.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        opts.max_connections(16).min_connections(1);
    }
    let mut db = Database::connect(opts).await?;
    db.set_metric_callback(|info| crate::telemetry::SqlTime::add(info.elapsed));
    Ok(db)
}

/// Applies pending migrations, reference data included.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether every migration this binary knows has been applied.
pub async fn migrations_current(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.is_empty())
}

/// Refreshes PostgreSQL's planner statistics after a bulk write (seed, import), so the next
/// queries are planned on the data as it now is rather than waiting for autovacuum. (SQLite
/// plans without statistics here, which suits its small databases.)
pub async fn analyze(db: &impl sea_orm::ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// After rows were written with explicit ids (seed, import, restore): moves each
/// `(table, column)`'s PostgreSQL sequence past the largest id, so the next insert gets a new
/// one. (SQLite's integer keys follow the largest row by themselves.)
pub async fn advance_sequences(db: &impl sea_orm::ConnectionTrait, columns: &[(&str, &str)]) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for (table, col) in columns {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{col}'), GREATEST((SELECT MAX({col}) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}

/// A short name for logs.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}
