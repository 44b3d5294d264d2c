//! Batched reads of everything linked to entries, keyed by entry id (for the DataLoaders).

use std::collections::HashMap;
use std::hash::Hash;

use entity::{
    contact, entry_category, entry_country, entry_gdc_objective, entry_region, entry_sdg, external_ref, prize,
    repository_entry,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TryGetable};

/// `SELECT entry_id, code FROM <link> WHERE entry_id IN (ids)`, grouped by entry id.
async fn codes<E, T>(
    db: &impl ConnectionTrait,
    entry_col: E::Column,
    code_col: E::Column,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<T>>, DbErr>
where
    E: EntityTrait,
    T: TryGetable + sea_orm::sea_query::ValueType + Send + Sync,
{
    let rows: Vec<(i64, T)> = E::find()
        .select_only()
        .column(entry_col)
        .column(code_col)
        .filter(entry_col.is_in(ids.iter().copied()))
        .order_by_asc(entry_col)
        .order_by_asc(code_col)
        .into_tuple()
        .all(db)
        .await?;
    Ok(group(rows))
}

fn group<K: Hash + Eq, V>(rows: impl IntoIterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        map.entry(k).or_default().push(v);
    }
    map
}

pub async fn countries(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    codes::<entry_country::Entity, String>(db, entry_country::Column::EntryId, entry_country::Column::Country, ids)
        .await
}

pub async fn regions(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    codes::<entry_region::Entity, String>(db, entry_region::Column::EntryId, entry_region::Column::Region, ids).await
}

pub async fn categories(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    codes::<entry_category::Entity, String>(
        db,
        entry_category::Column::EntryId,
        entry_category::Column::ActionLine,
        ids,
    )
    .await
}

pub async fn sdgs(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<i32>>, DbErr> {
    codes::<entry_sdg::Entity, i32>(db, entry_sdg::Column::EntryId, entry_sdg::Column::Sdg, ids).await
}

pub async fn gdc_objectives(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    codes::<entry_gdc_objective::Entity, String>(
        db,
        entry_gdc_objective::Column::EntryId,
        entry_gdc_objective::Column::Objective,
        ids,
    )
    .await
}

pub async fn repositories(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<i32>>, DbErr> {
    codes::<repository_entry::Entity, i32>(
        db,
        repository_entry::Column::EntryId,
        repository_entry::Column::RepositoryId,
        ids,
    )
    .await
}

pub async fn prizes(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<prize::Model>>, DbErr> {
    let rows = prize::Entity::find()
        .filter(prize::Column::EntryId.is_in(ids.iter().copied()))
        .order_by_asc(prize::Column::EntryId)
        .order_by_desc(prize::Column::Year)
        .order_by_asc(prize::Column::Category)
        .all(db)
        .await?;
    Ok(group(rows.into_iter().map(|p| (p.entry_id, p))))
}

pub async fn external_refs(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<external_ref::Model>>, DbErr> {
    let rows = external_ref::Entity::find()
        .filter(external_ref::Column::EntryId.is_in(ids.iter().copied()))
        .order_by_asc(external_ref::Column::EntryId)
        .order_by_asc(external_ref::Column::Source)
        .all(db)
        .await?;
    Ok(group(rows.into_iter().map(|r| (r.entry_id, r))))
}

/// Contact persons by entry id (at most one each).
pub async fn contacts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, contact::Model>, DbErr> {
    let rows = contact::Entity::find()
        .filter(contact::Column::EntryId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| (c.entry_id, c)).collect())
}
