//! Keyset (seek) pages of entries: `(sort key, id) > (cursor key, cursor id)` on every ordering,
//! so page 500 costs what page 1 costs and a cursor stays valid while entries are added.

use chrono::{DateTime, NaiveDate, Utc};
use entity::entry;
use sea_orm::sea_query::{Alias, CommonTableExpression, Expr, ExprTrait, JoinType, SimpleExpr, WithClause};
use sea_orm::{
    Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, QueryTrait,
};

use crate::store::search::Search;

/// The orderings a keyset page can follow. Every ordering ends with the id as tie-breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Number,
    Title,
    UpdatedAt,
    /// Entries without a start date come after all others in ascending order.
    StartDate,
    /// Full-text relevance; only with a search.
    Relevance,
}

/// Stands for a missing start date, so that undated entries sort last (ascending).
pub fn undated() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The value of the sort key at a cursor position.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
    Date(NaiveDate),
    Float(f64),
}

impl SortValue {
    pub fn into_value(self) -> sea_orm::Value {
        match self {
            SortValue::Int(v) => v.into(),
            SortValue::Text(v) => v.into(),
            SortValue::Time(v) => v.into(),
            SortValue::Date(v) => v.into(),
            SortValue::Float(v) => v.into(),
        }
    }
}

/// A keyset position: the sort value and the id of the entry at the cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Seek {
    pub value: SortValue,
    pub id: i64,
}

/// One page request in store terms.
#[derive(Debug, Clone)]
pub struct PageQuery {
    pub key: SortKey,
    pub descending: bool,
    /// Read towards the start of the ordering (`last`/`before`) rather than the end.
    pub backward: bool,
    /// Exclusive starting point.
    pub seek: Option<Seek>,
    /// Rows to read (the caller asks for one more than it shows, to learn if more exist).
    pub limit: u64,
}

/// An entry with its position in the ordering.
pub struct Ranked {
    pub entry: entry::Model,
    pub seek: Seek,
}

struct Row {
    entry: entry::Model,
    rank: Option<f64>,
}

impl FromQueryResult for Row {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Row {
            entry: entry::Model::from_query_result(res, pre)?,
            rank: res.try_get(pre, "sort_rank").ok(),
        })
    }
}

fn sort_expr(key: SortKey, search: Option<&Search>) -> SimpleExpr {
    let col = |c: entry::Column| Expr::col((entry::Entity, c));
    match (key, search) {
        (SortKey::Number, _) => col(entry::Column::Number),
        (SortKey::Title, _) => col(entry::Column::Title),
        (SortKey::UpdatedAt, _) => col(entry::Column::UpdatedAt),
        // Written as a literal so that it matches the expression index of the migrations.
        (SortKey::StartDate, _) => Expr::cust("COALESCE(entries.start_date, '9999-12-31')"),
        (SortKey::Relevance, Some(s)) => s.rank(),
        // Refused before reaching the store; order by number rather than fail.
        (SortKey::Relevance, None) => col(entry::Column::Number),
    }
}

/// Reads one keyset page: rows strictly after `seek` in the direction of travel, in that
/// direction's order (the caller reverses a backward page).
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &Condition,
    search: Option<&Search>,
    q: &PageQuery,
) -> Result<Vec<Ranked>, DbErr> {
    let backend = db.get_database_backend();
    let sort = sort_expr(q.key, search);
    // Travelling "up" the ordering when reading forward in ascending order, or backward in
    // descending order.
    let up = q.descending == q.backward;
    let mut select = entry::Entity::find().filter(filter.clone());
    if let Some(seek) = &q.seek {
        // A row-value comparison, `(key, id) > (v, i)`: both backends seek it on the
        // `(key, id)` index, where the equivalent OR form can make SQLite scan.
        let here = Expr::tuple([sort.clone(), Expr::col((entry::Entity, entry::Column::Id))]);
        let cursor = Expr::tuple([Expr::val(seek.value.clone().into_value()), Expr::val(seek.id)]);
        select = select.filter(if up { here.gt(cursor) } else { here.lt(cursor) });
    }
    let order = if up { Order::Asc } else { Order::Desc };
    let relevance = if q.key == SortKey::Relevance { search } else { None };
    if relevance.is_some() {
        select = select.column_as(sort.clone(), "sort_rank");
    }
    let select = select
        .order_by(sort, order.clone())
        .order_by(entry::Column::Id, order)
        .limit(q.limit);
    let rows = match relevance {
        // The scores come from a materialised CTE over the index, computed once per query (as
        // a joined subquery SQLite may re-run it for every candidate row).
        Some(s) => {
            let mut stmt = select.into_query();
            stmt.join(
                JoinType::InnerJoin,
                Alias::new("fts_rank"),
                Expr::cust("fts_rank.fts_id = entries.id"),
            );
            let cte = CommonTableExpression::new()
                .query(s.rank_source(backend))
                .table_name(Alias::new("fts_rank"))
                .materialized(true)
                .to_owned();
            let with = stmt.with(WithClause::new().cte(cte).to_owned());
            Row::find_by_statement(backend.build(&with)).all(db).await?
        }
        None => select.into_model::<Row>().all(db).await?,
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let value = match q.key {
                SortKey::Number => SortValue::Int(r.entry.number),
                SortKey::Title => SortValue::Text(r.entry.title.clone()),
                SortKey::UpdatedAt => SortValue::Time(r.entry.updated_at),
                SortKey::StartDate => SortValue::Date(r.entry.start_date.unwrap_or_else(undated)),
                SortKey::Relevance => SortValue::Float(r.rank.unwrap_or(0.0)),
            };
            let id = r.entry.id;
            Ranked {
                entry: r.entry,
                seek: Seek { value, id },
            }
        })
        .collect())
}
