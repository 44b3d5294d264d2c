//! The export's cursor: entries in public-number order after a given number, a batch at a
//! time, each with everything the export writes (one statement per relation per batch).

use std::collections::HashMap;

use entity::{entry, external_ref, organisation, prize};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::store::{links, organisations};

/// An entry with its organisation and links, as the export reads it.
#[derive(Debug, Clone)]
pub struct FullEntry {
    pub entry: entry::Model,
    pub organisation: Option<organisation::Model>,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub sdgs: Vec<i32>,
    pub gdc_objectives: Vec<String>,
    pub prizes: Vec<prize::Model>,
    pub repositories: Vec<i32>,
    pub external_refs: Vec<external_ref::Model>,
}

/// Up to `limit` entries matching `condition` with a public number above `after`.
pub async fn batch(
    db: &impl ConnectionTrait,
    condition: &Condition,
    after: i64,
    limit: u64,
) -> Result<Vec<FullEntry>, DbErr> {
    let rows = entry::Entity::find()
        .filter(condition.clone())
        .filter(entry::Column::Number.gt(after))
        .order_by_asc(entry::Column::Number)
        .limit(limit)
        .all(db)
        .await?;
    full(db, rows).await
}

/// Entries by public number (any state), each with everything the export writes.
pub async fn by_numbers(db: &impl ConnectionTrait, numbers: &[i64]) -> Result<Vec<FullEntry>, DbErr> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let cond = Condition::all().add(entry::Column::Number.is_in(numbers.iter().copied()));
    batch(db, &cond, i64::MIN, numbers.len() as u64).await
}

async fn full(db: &impl ConnectionTrait, rows: Vec<entry::Model>) -> Result<Vec<FullEntry>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut org_ids: Vec<i64> = rows.iter().map(|e| e.organisation_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, organisation::Model> = organisations::by_ids(db, &org_ids).await?;
    let mut countries = links::countries(db, &ids).await?;
    let mut regions = links::regions(db, &ids).await?;
    let mut categories = links::categories(db, &ids).await?;
    let mut sdgs = links::sdgs(db, &ids).await?;
    let mut gdc = links::gdc_objectives(db, &ids).await?;
    let mut prizes = links::prizes(db, &ids).await?;
    let mut repositories = links::repositories(db, &ids).await?;
    let mut refs = links::external_refs(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|e| FullEntry {
            organisation: orgs.get(&e.organisation_id).cloned(),
            countries: countries.remove(&e.id).unwrap_or_default(),
            regions: regions.remove(&e.id).unwrap_or_default(),
            categories: categories.remove(&e.id).unwrap_or_default(),
            sdgs: sdgs.remove(&e.id).unwrap_or_default(),
            gdc_objectives: gdc.remove(&e.id).unwrap_or_default(),
            prizes: prizes.remove(&e.id).unwrap_or_default(),
            repositories: repositories.remove(&e.id).unwrap_or_default(),
            external_refs: refs.remove(&e.id).unwrap_or_default(),
            entry: e,
        })
        .collect())
}
