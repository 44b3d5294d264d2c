//! All database access: plain async functions over `&impl ConnectionTrait`, one module per
//! domain. Every statement of the server is here.

pub mod backup;
pub mod bulk;
pub mod catalog;
pub mod changes;
pub mod entries;
pub mod export;
pub mod facets;
pub mod filter;
pub mod import;
pub mod keys;
pub mod link_tables;
pub mod links;
pub mod organisations;
pub mod page;
pub mod report;
pub mod search;
pub mod summary_key;
pub mod visibility;
pub mod writes;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

/// Key of the PostgreSQL advisory lock that serialises writes.
const WRITE_LOCK: i64 = 0x5354_4b57; // "STKW"

/// Starts a write transaction holding the write lock.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [WRITE_LOCK.into()],
        ))
        .await?;
    }
    Ok(txn)
}
