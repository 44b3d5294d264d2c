//! Entries: counts and look-ups (the filter's SQL is in [`crate::store::filter`], pages in
//! [`crate::store::page`]).

use entity::entry;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};

pub use crate::store::filter::{EntryFilter, Scope, in_regions};

/// How many entries match.
pub async fn count(db: &impl ConnectionTrait, filter: &Condition) -> Result<u64, DbErr> {
    entry::Entity::find().filter(filter.clone()).count(db).await
}

/// About how many entries match `filter`, cheaply: PostgreSQL's planner estimate (`EXPLAIN`,
/// which reads no rows); on SQLite, whose planner gives no row estimate and whose databases are
/// small, the count itself.
pub async fn estimate(db: &impl ConnectionTrait, filter: &Condition) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Postgres {
        return count(db, filter).await;
    }
    let select = Query::select()
        .column((entry::Entity, entry::Column::Id))
        .from(entry::Entity)
        .cond_where(filter.clone())
        .to_owned();
    let built = backend.build(&select);
    let sql = format!("EXPLAIN {}", built.sql);
    let values = built.values.map(|v| v.0).unwrap_or_default();
    let plan = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    // The top line: `Seq Scan on entries  (cost=0.00..1234.00 rows=8000 width=8)`.
    Ok(plan
        .split("rows=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0))
}

/// How many entries there are, in every state.
pub async fn total(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    entry::Entity::find().count(db).await
}

/// Entries by public number, restricted to `visible`.
pub async fn by_numbers(
    db: &impl ConnectionTrait,
    numbers: &[i64],
    visible: &Condition,
) -> Result<Vec<entry::Model>, DbErr> {
    entry::Entity::find()
        .filter(entry::Column::Number.is_in(numbers.iter().copied()))
        .filter(visible.clone())
        .all(db)
        .await
}

/// Entries by internal id, restricted to `visible`.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64], visible: &Condition) -> Result<Vec<entry::Model>, DbErr> {
    entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids.iter().copied()))
        .filter(visible.clone())
        .all(db)
        .await
}

/// Whether the entry `id` satisfies `condition`.
pub async fn matches(db: &impl ConnectionTrait, id: i64, condition: &Condition) -> Result<Option<entry::Model>, DbErr> {
    entry::Entity::find()
        .filter(entry::Column::Id.eq(id))
        .filter(condition.clone())
        .one(db)
        .await
}
