//! Organisations: by id (the loaders) and the directory (`organisations`), a keyset page at a
//! time by name or by entry count.

use std::collections::HashMap;

use entity::organisation;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, Iterable, PaginatorTrait,
    QueryFilter,
};

use crate::fold::{self, Term};
use crate::store::page::{Seek, SortValue};
use crate::store::search::Search;

/// Sets the folded name the directory's search matches, for organisations just written.
pub async fn fold_names(db: &impl ConnectionTrait, orgs: &[(i64, &str)]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in orgs.chunks(1_000) {
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 2);
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, (id, name)) in chunk.iter().enumerate() {
            values.extend([(*id).into(), fold::document(name).into()]);
            rows.push(match backend {
                DbBackend::Postgres => format!("(CAST(${} AS BIGINT), CAST(${} AS TEXT))", i * 2 + 1, i * 2 + 2),
                _ => "(?, ?)".to_owned(),
            });
        }
        let sql = format!(
            "WITH v(id, s) AS (VALUES {}) UPDATE organisations SET search_name = (SELECT s FROM v WHERE v.id = organisations.id) WHERE id IN (SELECT id FROM v)",
            rows.join(", ")
        );
        db.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Folds the names of organisations that have no folded name yet (written before the column
/// existed, or by a restore): at start. Returns how many.
pub async fn ensure_folded_names(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT id, name FROM organisations WHERE search_name IS NULL ORDER BY id",
        ))
        .await?;
    let orgs: Vec<(i64, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get::<i64>("", "id")?, r.try_get::<String>("", "name")?)))
        .collect::<Result<_, DbErr>>()?;
    let named: Vec<(i64, &str)> = orgs.iter().map(|(id, n)| (*id, n.as_str())).collect();
    fold_names(db, &named).await?;
    Ok(orgs.len())
}

/// Organisations by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, organisation::Model>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// The directory's filter, resolved to codes.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub search: Option<Search>,
    /// Alpha-2 codes of the countries the organisation may be based in (the countries asked
    /// for, and those of the regions asked for): `None` for any.
    pub countries: Option<Vec<String>>,
    pub stakeholder_types: Vec<String>,
}

impl OrganisationFilter {
    /// As a condition on `organisations`.
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(search) = &self.search {
            // Every term is a word of the folded name (`search_name`: the tokens of
            // `fold::document`, space-separated), the last one also a word's beginning; a run of
            // ideographs is its pairs in a row. Terms hold only letters and digits, so they
            // cannot be LIKE wildcards. A name not folded yet is matched by its ASCII-lowered
            // words.
            let name = "(' ' || COALESCE(organisations.search_name, LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(organisations.name, '(', ' '), ')', ' '), ',', ' '), '-', ' '), '.', ' '), '/', ' '))) || ' ')";
            let terms = search.terms();
            for (i, t) in terms.iter().enumerate() {
                let last = i + 1 == terms.len();
                let pattern = match t {
                    Term::Word(w) if last => format!("% {w}%"),
                    Term::Word(w) => format!("% {w} %"),
                    Term::Phrase(pairs) => format!("% {} %", pairs.join(" ")),
                };
                c = c.add(Expr::cust(name).like(pattern));
            }
        }
        if let Some(countries) = &self.countries {
            c = c.add(organisation::Column::Country.is_in(countries.iter().cloned()));
        }
        if !self.stakeholder_types.is_empty() {
            c = c.add(organisation::Column::StakeholderType.is_in(self.stakeholder_types.iter().cloned()));
        }
        c
    }
}

/// What the directory is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKey {
    /// By name (byte order, the same on both backends), then id.
    Name,
    /// By the number of published entries, then id.
    EntryCount,
}

/// One organisation of a page, with its place in the ordering.
pub struct OrgRow {
    pub organisation: organisation::Model,
    pub seek: Seek,
}

/// How many organisations match.
pub async fn count(db: &impl ConnectionTrait, filter: &Condition) -> Result<u64, DbErr> {
    organisation::Entity::find().filter(filter.clone()).count(db).await
}

/// One keyset page of the directory: `limit` organisations strictly after `seek` in the
/// direction of travel (`up`: ascending), in that direction's order.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &Condition,
    key: OrgKey,
    up: bool,
    seek: Option<&Seek>,
    limit: u64,
) -> Result<Vec<OrgRow>, DbErr> {
    let backend = db.get_database_backend();
    // The published entries of each organisation: the `entryCount` every caller sees.
    let published =
        "(SELECT COUNT(*) FROM entries e WHERE e.organisation_id = organisations.id AND e.moderation = 'PUBLISHED')";
    let mut inner = Query::select();
    for column in organisation::Column::iter() {
        inner.column((organisation::Entity, column));
    }
    let inner = inner
        .expr_as(Expr::cust(published), Alias::new("n"))
        .from(organisation::Entity)
        .cond_where(filter.clone())
        .to_owned();
    let sort = match (key, backend) {
        (OrgKey::Name, DbBackend::Postgres) => Expr::cust("t.name COLLATE \"C\""),
        (OrgKey::Name, _) => Expr::cust("t.name"),
        (OrgKey::EntryCount, _) => Expr::cust("t.n"),
    };
    let mut outer = Query::select()
        .expr(Expr::cust("t.*"))
        .from_subquery(inner, Alias::new("t"))
        .to_owned();
    if let Some(seek) = seek {
        let here = Expr::tuple([sort.clone(), Expr::cust("t.id")]);
        let at = Expr::tuple([Expr::val(seek.value.clone().into_value()), Expr::val(seek.id)]);
        outer.and_where(if up { here.gt(at) } else { here.lt(at) });
    }
    let order = if up { Order::Asc } else { Order::Desc };
    outer
        .order_by_expr(sort, order.clone())
        .order_by_expr(Expr::cust("t.id"), order)
        .limit(limit);
    let rows = db.query_all_raw(backend.build(&outer)).await?;
    rows.into_iter()
        .map(|row| {
            let organisation = organisation::Model::from_query_result(&row, "")?;
            let value = match key {
                OrgKey::Name => SortValue::Text(organisation.name.clone()),
                OrgKey::EntryCount => SortValue::Int(row.try_get::<i64>("", "n")?),
            };
            Ok(OrgRow {
                seek: Seek {
                    value,
                    id: organisation.id,
                },
                organisation,
            })
        })
        .collect()
}
