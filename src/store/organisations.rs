//! Organisations: by id (the loaders) and the directory (`organisations`), a keyset page at a
//! time by name or by entry count.

use std::collections::HashMap;

use entity::organisation;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, Iterable, PaginatorTrait,
    QueryFilter,
};

use crate::store::page::{Seek, SortValue};
use crate::store::search::Search;

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
            // Every word is a word of the name, the last one also a word's beginning; any case
            // (ASCII case on SQLite, whose LOWER folds nothing else). Words hold only letters
            // and digits, so they cannot be LIKE wildcards.
            let name = "(' ' || LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(organisations.name, '(', ' '), ')', ' '), ',', ' '), '-', ' '), '.', ' '), '/', ' ')) || ' ')";
            let words = search.words();
            for (i, w) in words.iter().enumerate() {
                let pattern = if i + 1 == words.len() {
                    format!("% {w}%")
                } else {
                    format!("% {w} %")
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
