//! The reads of a regional report beyond its counts (which are `store::facets`'): the
//! prizes its entries won, and its entries by time of last update.

use entity::enums::PrizeResult;
use entity::{entry, prize};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The prize records with one of `results`, awarded in `from..=to` (either end open), to the
/// entries matching `entries`, newest year first; with their entries. Two statements. The
/// entries are probed per record (`EXISTS`): winners and champions are 90 a year whatever the
/// register's size, where a region's entries may be hundreds of thousands.
pub async fn prizes(
    db: &impl ConnectionTrait,
    entries: &Condition,
    results: &[PrizeResult],
    (from, to): (Option<i32>, Option<i32>),
) -> Result<Vec<(prize::Model, entry::Model)>, DbErr> {
    let matching = Query::select()
        .expr(Expr::val(1))
        .from(entry::Entity)
        .and_where(Expr::col((entry::Entity, entry::Column::Id)).equals((prize::Entity, prize::Column::EntryId)))
        .cond_where(entries.clone())
        .to_owned();
    let mut q = prize::Entity::find()
        .filter(prize::Column::Result.is_in(results.iter().copied()))
        .filter(Expr::exists(matching));
    if let Some(from) = from {
        q = q.filter(prize::Column::Year.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(prize::Column::Year.lte(to));
    }
    let records = q
        .order_by_desc(prize::Column::Year)
        .order_by_asc(prize::Column::Category)
        .order_by_asc(prize::Column::Id)
        .all(db)
        .await?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = records.iter().map(|p| p.entry_id).collect();
    let found: std::collections::HashMap<i64, entry::Model> = entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(records
        .into_iter()
        .filter_map(|p| found.get(&p.entry_id).cloned().map(|e| (p, e)))
        .collect())
}

/// Which end of the update history a list starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// Most recently updated first.
    Latest,
    /// Longest unchanged first (a review queue).
    Oldest,
}

/// At most `limit` entries matching `condition`, by time of last update (then id: the
/// order of `idx_entries_updated_at`, so the database stops after `limit`).
pub async fn by_update(
    db: &impl ConnectionTrait,
    condition: &Condition,
    order: Updated,
    limit: u64,
) -> Result<Vec<entry::Model>, DbErr> {
    let q = entry::Entity::find().filter(condition.clone());
    let q = match order {
        Updated::Latest => q
            .order_by_desc(entry::Column::UpdatedAt)
            .order_by_desc(entry::Column::Id),
        Updated::Oldest => q.order_by_asc(entry::Column::UpdatedAt).order_by_asc(entry::Column::Id),
    };
    q.limit(limit).all(db).await
}
