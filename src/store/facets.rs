//! Counts of entries by a dimension (facets), each one SQL statement over the entries that
//! match a condition: `entryStats` and every `entryCount` are built on these.

use std::collections::HashMap;

use entity::entry;
use sea_orm::sea_query::Query;
use sea_orm::{Condition, ConnectionTrait, DbErr, Statement};

/// A dimension to count entries by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// Category codes; C7 counts the entries tagged with C7 or any of its sub-lines.
    ActionLine,
    Sdg,
    /// Region codes of all three schemes, through the entry's countries and its own tags.
    Region,
    Country,
    StakeholderType,
    Status,
    Year,
    Organisation,
    /// `category|sdg` pairs: entries tagged with both.
    Matrix,
}

/// `(entry_id, key)` pairs of the matching entries for a facet, as SQL (no parameters). `key` is
/// text on both backends.
fn pairs(facet: Facet) -> &'static str {
    // `m` is the CTE of matching entry ids; each branch restricts itself to it, so only the
    // matching entries' links are read.
    match facet {
        Facet::ActionLine => {
            "SELECT entry_id, action_line AS k FROM entry_categories WHERE entry_id IN (SELECT id FROM m)
             UNION SELECT ec.entry_id, al.parent FROM entry_categories ec
               JOIN action_lines al ON al.code = ec.action_line
               WHERE al.parent IS NOT NULL AND ec.entry_id IN (SELECT id FROM m)"
        }
        Facet::Sdg => "SELECT entry_id, CAST(sdg AS TEXT) AS k FROM entry_sdgs WHERE entry_id IN (SELECT id FROM m)",
        Facet::Region => {
            "SELECT entry_id, region AS k FROM entry_regions WHERE entry_id IN (SELECT id FROM m)
             UNION SELECT ec.entry_id, c.itu_region FROM entry_countries ec JOIN countries c ON c.alpha2 = ec.country
               WHERE ec.entry_id IN (SELECT id FROM m)
             UNION SELECT ec.entry_id, c.admin_region FROM entry_countries ec JOIN countries c ON c.alpha2 = ec.country
               WHERE ec.entry_id IN (SELECT id FROM m)
             UNION SELECT ec.entry_id, cc.commission FROM entry_countries ec
               JOIN country_commissions cc ON cc.country = ec.country WHERE ec.entry_id IN (SELECT id FROM m)"
        }
        Facet::Country => "SELECT entry_id, country AS k FROM entry_countries WHERE entry_id IN (SELECT id FROM m)",
        Facet::StakeholderType => {
            "SELECT e.id AS entry_id, o.stakeholder_type AS k FROM entries e JOIN organisations o ON o.id = e.organisation_id
             WHERE e.id IN (SELECT id FROM m)"
        }
        Facet::Status => "SELECT id AS entry_id, status AS k FROM entries WHERE id IN (SELECT id FROM m)",
        Facet::Year => "SELECT id AS entry_id, CAST(year AS TEXT) AS k FROM entries WHERE id IN (SELECT id FROM m)",
        Facet::Organisation => {
            "SELECT id AS entry_id, CAST(organisation_id AS TEXT) AS k FROM entries WHERE id IN (SELECT id FROM m)"
        }
        Facet::Matrix => {
            "SELECT c.entry_id, c.action_line || '|' || CAST(s.sdg AS TEXT) AS k
             FROM entry_categories c JOIN entry_sdgs s ON s.entry_id = c.entry_id WHERE c.entry_id IN (SELECT id FROM m)"
        }
    }
}

/// How many entries matching `filter` fall under each key of `facet` (keys with none are
/// absent), largest first, at most `limit` keys.
pub async fn counts(
    db: &impl ConnectionTrait,
    facet: Facet,
    filter: &Condition,
    limit: Option<u64>,
) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let matching = Query::select()
        .column((entry::Entity, entry::Column::Id))
        .from(entry::Entity)
        .cond_where(filter.clone())
        .to_owned();
    // The filter is the only part with parameters, so its placeholders stay numbered right.
    let built = backend.build(&matching);
    let (matching_sql, values) = (built.sql, built.values.map(|v| v.0).unwrap_or_default());
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sql = format!(
        "WITH m AS MATERIALIZED ({matching_sql})
         SELECT p.k AS k, COUNT(DISTINCT p.entry_id) AS n FROM ({}) p GROUP BY p.k ORDER BY n DESC, k ASC{limit}",
        pairs(facet)
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get::<String>("", "k")?, r.try_get::<i64>("", "n")?)))
        .collect()
}

/// Like [`counts`], as a map.
pub async fn count_map(
    db: &impl ConnectionTrait,
    facet: Facet,
    filter: &Condition,
) -> Result<HashMap<String, i64>, DbErr> {
    Ok(counts(db, facet, filter, None).await?.into_iter().collect())
}
