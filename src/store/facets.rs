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
    /// Global Digital Compact objective codes.
    GdcObjective,
    /// `category|objective` pairs: entries tagged with both.
    GdcMatrix,
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
        Facet::GdcObjective => {
            "SELECT entry_id, objective AS k FROM entry_gdc_objectives WHERE entry_id IN (SELECT id FROM m)"
        }
        Facet::GdcMatrix => {
            "SELECT c.entry_id, c.action_line || '|' || g.objective AS k
             FROM entry_categories c JOIN entry_gdc_objectives g ON g.entry_id = c.entry_id WHERE c.entry_id IN (SELECT id FROM m)"
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

/// The facets kept in the summary table, with their names there. `total` (key `''`) counts
/// the entries of a scope.
const SUMMARISED: [(Facet, &str); 10] = [
    (Facet::ActionLine, "action_line"),
    (Facet::Sdg, "sdg"),
    (Facet::Region, "region"),
    (Facet::Country, "country"),
    (Facet::StakeholderType, "stakeholder_type"),
    (Facet::Status, "status"),
    (Facet::Year, "year"),
    (Facet::Matrix, "matrix"),
    (Facet::GdcObjective, "gdc_objective"),
    (Facet::GdcMatrix, "gdc_matrix"),
];

fn summary_name(facet: Facet) -> Option<&'static str> {
    SUMMARISED.iter().find(|(f, _)| *f == facet).map(|(_, n)| *n)
}

/// `s`: the scopes of the entries in `m`: `''` (everything) and each region the entry is in
/// (through its countries, in every scheme, and its own regional tags), exactly the regions
/// whose filter matches it; and each of those again with the entry's year (`AFRICA@2019`,
/// `@2019`), which an entry has exactly one of, so that a range of years is the sum of its
/// years' rows.
fn scopes_cte() -> String {
    format!(
        "s0 AS MATERIALIZED (SELECT r.entry_id, r.k AS scope FROM ({}) r UNION ALL SELECT id, '' FROM m),
         s AS MATERIALIZED (SELECT entry_id, scope FROM s0
           UNION ALL SELECT s0.entry_id, s0.scope || '@' || CAST(e.year AS TEXT) FROM s0 JOIN entries e ON e.id = s0.entry_id)",
        pairs(Facet::Region)
    )
}

/// A part of the published register the summary answers for: everything (`scope` `''`) or
/// one region, in every year or in a range of years (either end open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub scope: String,
    pub years: Option<(Option<i32>, Option<i32>)>,
}

/// The summary scopes whose rows add up to `span`: its scope, or the scope of each year in
/// the range that has entries (read from the summary's own `year` facet; an empty list when
/// none has).
pub async fn span_scopes(db: &impl ConnectionTrait, span: &Span) -> Result<Vec<String>, DbErr> {
    let Some((from, to)) = span.years else {
        return Ok(vec![span.scope.clone()]);
    };
    let years = summary_rows(db, "year", &span.scope, None).await?;
    Ok(years
        .into_iter()
        .filter_map(|(k, _)| k.parse::<i32>().ok())
        .filter(|y| from.is_none_or(|f| *y >= f) && to.is_none_or(|t| *y <= t))
        .map(|y| format!("{}@{y}", span.scope))
        .collect())
}

/// Recomputes the summary of published entries from scratch (after a seed or an import; also
/// when the table is found empty at start-up): one statement per facet.
pub async fn rebuild_summary(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, "DELETE FROM facet_counts"))
        .await?;
    let published = "m AS MATERIALIZED (SELECT id FROM entries WHERE moderation = 'PUBLISHED')";
    for (facet, name) in SUMMARISED {
        let sql = format!(
            "INSERT INTO facet_counts (scope, facet, k, n)
             WITH {published}, {}
             SELECT s.scope, '{name}', p.k, COUNT(DISTINCT p.entry_id)
             FROM ({}) p JOIN s ON s.entry_id = p.entry_id GROUP BY s.scope, p.k",
            scopes_cte(),
            pairs(facet)
        );
        db.execute_raw(Statement::from_string(backend, sql)).await?;
    }
    let sql = format!(
        "INSERT INTO facet_counts (scope, facet, k, n)
         WITH {published}, {} SELECT scope, 'total', '', COUNT(*) FROM s GROUP BY scope",
        scopes_cte()
    );
    db.execute_raw(Statement::from_string(backend, sql)).await?;
    Ok(())
}

/// Builds the summary if it is empty (a new database, or one written before it existed), under
/// the write lock so that replicas starting together do not race.
pub async fn ensure_summary(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    if summary_built(db).await? {
        return Ok(());
    }
    let txn = crate::store::begin(db).await?;
    if !summary_built(&txn).await? {
        rebuild_summary(&txn).await?;
    }
    txn.commit().await
}

/// Whether the summary has been built (it holds at least the `total` of everything).
pub async fn summary_built(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM facet_counts WHERE scope = '' AND facet = 'total'",
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) > 0)
}

/// Adds (`delta` 1) or removes (-1) one entry's contribution to the summary, if it is
/// published: one statement. Every write calls it with -1 before changing an entry and with 1
/// after, inside its transaction.
pub async fn adjust_summary(db: &impl ConnectionTrait, entry_id: i64, delta: i32) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let contributions: Vec<String> = SUMMARISED
        .iter()
        .map(|(facet, name)| {
            format!(
                "SELECT DISTINCT s.scope, '{name}' AS facet, p.k FROM ({}) p JOIN s ON s.entry_id = p.entry_id",
                pairs(*facet)
            )
        })
        .chain(std::iter::once("SELECT scope, 'total', '' FROM s".to_owned()))
        .collect();
    // The ids are integers, formatted, not user text.
    let sql = format!(
        "INSERT INTO facet_counts (scope, facet, k, n)
         WITH m AS MATERIALIZED (SELECT id FROM entries WHERE id = {entry_id} AND moderation = 'PUBLISHED'), {}
         SELECT x.scope, x.facet, x.k, {delta} FROM ({}) x WHERE true
         ON CONFLICT (scope, facet, k) DO UPDATE SET n = facet_counts.n + excluded.n",
        scopes_cte(),
        contributions.join(" UNION ALL ")
    );
    db.execute_raw(Statement::from_string(backend, sql)).await?;
    Ok(())
}

/// Counts from the summary over `scopes` (from [`span_scopes`]), like [`counts`] over the
/// published entries of their span: one row read per key for a single scope, the keys' sums
/// over several. `None` for a facet the summary does not keep.
pub async fn span_counts(
    db: &impl ConnectionTrait,
    facet: Facet,
    scopes: &[String],
    limit: Option<u64>,
) -> Result<Option<Vec<(String, i64)>>, DbErr> {
    let Some(name) = summary_name(facet) else {
        return Ok(None);
    };
    match scopes {
        [] => Ok(Some(Vec::new())),
        [one] => summary_rows(db, name, one, limit).await.map(Some),
        many => summed_rows(db, name, many, limit).await.map(Some),
    }
}

/// The number of published entries in `scopes` (from [`span_scopes`]).
pub async fn span_total(db: &impl ConnectionTrait, scopes: &[String]) -> Result<i64, DbErr> {
    match scopes {
        [] => Ok(0),
        [one] => summary_total(db, one).await,
        many => Ok(summed_rows(db, "total", many, None).await?.first().map_or(0, |r| r.1)),
    }
}

/// Counts from the summary for `scope` (`''` for every published entry, or a region code),
/// like [`counts`] over published entries with that region filter. `None` for a facet the
/// summary does not keep.
pub async fn summary_counts(
    db: &impl ConnectionTrait,
    facet: Facet,
    scope: &str,
    limit: Option<u64>,
) -> Result<Option<Vec<(String, i64)>>, DbErr> {
    let Some(name) = summary_name(facet) else {
        return Ok(None);
    };
    summary_rows(db, name, scope, limit).await.map(Some)
}

/// The number of published entries in a scope, from the summary.
pub async fn summary_total(db: &impl ConnectionTrait, scope: &str) -> Result<i64, DbErr> {
    summary_value(db, scope, "total", "").await
}

/// One count from the summary: published entries of `scope` under `key` of `facet`.
pub async fn summary_value(db: &impl ConnectionTrait, scope: &str, facet: &str, key: &str) -> Result<i64, DbErr> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    let q = Query::select()
        .column(Alias::new("n"))
        .from(Alias::new("facet_counts"))
        .and_where(Expr::col(Alias::new("scope")).eq(scope))
        .and_where(Expr::col(Alias::new("facet")).eq(facet))
        .and_where(Expr::col(Alias::new("k")).eq(key))
        .to_owned();
    let row = db.query_one_raw(db.get_database_backend().build(&q)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

async fn summary_rows(
    db: &impl ConnectionTrait,
    facet: &str,
    scope: &str,
    limit: Option<u64>,
) -> Result<Vec<(String, i64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order};
    let q = Query::select()
        .column(Alias::new("k"))
        .column(Alias::new("n"))
        .from(Alias::new("facet_counts"))
        .and_where(Expr::col(Alias::new("scope")).eq(scope))
        .and_where(Expr::col(Alias::new("facet")).eq(facet))
        .and_where(Expr::col(Alias::new("n")).gt(0))
        .order_by(Alias::new("n"), Order::Desc)
        .order_by(Alias::new("k"), Order::Asc)
        .to_owned();
    keyed_rows(db, q, limit, "n").await
}

/// Runs a select of `k` and a count named `value`, at most `limit` rows.
async fn keyed_rows(
    db: &impl ConnectionTrait,
    mut q: sea_orm::sea_query::SelectStatement,
    limit: Option<u64>,
    value: &str,
) -> Result<Vec<(String, i64)>, DbErr> {
    if let Some(n) = limit {
        q.limit(n);
    }
    let rows = db.query_all_raw(db.get_database_backend().build(&q)).await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get::<String>("", "k")?, r.try_get::<i64>("", value)?)))
        .collect()
}

/// The keys of `facet` summed over `scopes`, largest first (then by key), at most `limit`.
async fn summed_rows(
    db: &impl ConnectionTrait,
    facet: &str,
    scopes: &[String],
    limit: Option<u64>,
) -> Result<Vec<(String, i64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order};
    let sum = Expr::expr(Func::sum(Expr::col(Alias::new("n")))).cast_as(Alias::new("BIGINT"));
    let q = Query::select()
        .column(Alias::new("k"))
        .expr_as(sum.clone(), Alias::new("total"))
        .from(Alias::new("facet_counts"))
        .and_where(Expr::col(Alias::new("scope")).is_in(scopes.iter().cloned()))
        .and_where(Expr::col(Alias::new("facet")).eq(facet))
        .group_by_col(Alias::new("k"))
        .and_having(Expr::expr(Func::sum(Expr::col(Alias::new("n")))).gt(0))
        .order_by_expr(sum, Order::Desc)
        .order_by(Alias::new("k"), Order::Asc)
        .to_owned();
    keyed_rows(db, q, limit, "total").await
}
