//! Entries: the filter as SQL, keyset pages, counts, lookups.

use chrono::{DateTime, Utc};
use entity::enums::{Coverage, EntryStatus, Moderation, PrizeResult, StakeholderType};
use entity::{entry, entry_category, entry_country, entry_region, entry_sdg, organisation, prize, repository_entry};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Which entries a query may return: the caller's filter, already validated and resolved to
/// database codes (a region is expanded to its member countries, C7 to its sub-lines).
/// Every list means "any of"; fields combine with AND.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub action_lines: Vec<String>,
    pub sdgs: Vec<i32>,
    pub countries: Vec<String>,
    /// Region codes (matched against the entry's own regional tags)…
    pub regions: Vec<String>,
    /// …and the member countries of those regions (matched against the entry's countries).
    pub region_countries: Vec<String>,
    pub stakeholder_types: Vec<StakeholderType>,
    pub statuses: Vec<EntryStatus>,
    pub coverage: Vec<Coverage>,
    pub organisation: Option<i64>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub prize_results: Vec<PrizeResult>,
    pub repository: Option<i32>,
    pub updated_since: Option<DateTime<Utc>>,
    /// Never empty: visibility is decided before the filter reaches the store.
    pub moderation: Vec<Moderation>,
}

/// `entries.id IN (SELECT entry_id FROM <link> WHERE <code> IN (...))`.
fn linked<E, C, V>(entry_col: C, code_col: C, codes: V) -> SelectStatement
where
    E: EntityTrait,
    C: ColumnTrait,
    V: IntoIterator,
    V::Item: Into<sea_orm::Value>,
{
    Query::select()
        .column(entry_col)
        .from(E::default())
        .and_where(code_col.is_in(codes))
        .to_owned()
}

impl EntryFilter {
    /// The filter as a SQL condition on `entries`.
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if !self.moderation.is_empty() {
            c = c.add(entry::Column::Moderation.is_in(self.moderation.iter().copied()));
        }
        if !self.action_lines.is_empty() {
            c = c.add(entry::Column::Id.in_subquery(linked::<entry_category::Entity, _, _>(
                entry_category::Column::EntryId,
                entry_category::Column::ActionLine,
                self.action_lines.iter().cloned(),
            )));
        }
        if !self.sdgs.is_empty() {
            c = c.add(entry::Column::Id.in_subquery(linked::<entry_sdg::Entity, _, _>(
                entry_sdg::Column::EntryId,
                entry_sdg::Column::Sdg,
                self.sdgs.iter().copied(),
            )));
        }
        if !self.countries.is_empty() {
            c = c.add(entry::Column::Id.in_subquery(linked::<entry_country::Entity, _, _>(
                entry_country::Column::EntryId,
                entry_country::Column::Country,
                self.countries.iter().cloned(),
            )));
        }
        if !self.regions.is_empty() {
            c = c.add(
                Condition::any()
                    .add(entry::Column::Id.in_subquery(linked::<entry_country::Entity, _, _>(
                        entry_country::Column::EntryId,
                        entry_country::Column::Country,
                        self.region_countries.iter().cloned(),
                    )))
                    .add(entry::Column::Id.in_subquery(linked::<entry_region::Entity, _, _>(
                        entry_region::Column::EntryId,
                        entry_region::Column::Region,
                        self.regions.iter().cloned(),
                    ))),
            );
        }
        if !self.stakeholder_types.is_empty() {
            c = c.add(
                entry::Column::OrganisationId.in_subquery(linked::<organisation::Entity, _, _>(
                    organisation::Column::Id,
                    organisation::Column::StakeholderType,
                    self.stakeholder_types.iter().copied(),
                )),
            );
        }
        if !self.statuses.is_empty() {
            c = c.add(entry::Column::Status.is_in(self.statuses.iter().copied()));
        }
        if !self.coverage.is_empty() {
            c = c.add(entry::Column::Coverage.is_in(self.coverage.iter().copied()));
        }
        if let Some(org) = self.organisation {
            c = c.add(entry::Column::OrganisationId.eq(org));
        }
        if let Some(y) = self.year_from {
            c = c.add(entry::Column::Year.gte(y));
        }
        if let Some(y) = self.year_to {
            c = c.add(entry::Column::Year.lte(y));
        }
        if !self.prize_results.is_empty() {
            c = c.add(entry::Column::Id.in_subquery(linked::<prize::Entity, _, _>(
                prize::Column::EntryId,
                prize::Column::Result,
                self.prize_results.iter().copied(),
            )));
        }
        if let Some(repo) = self.repository {
            c = c.add(entry::Column::Id.in_subquery(linked::<repository_entry::Entity, _, _>(
                repository_entry::Column::EntryId,
                repository_entry::Column::RepositoryId,
                [repo],
            )));
        }
        if let Some(t) = self.updated_since {
            c = c.add(entry::Column::UpdatedAt.gte(t));
        }
        c
    }
}

/// The orderings a keyset page can follow. Every ordering ends with the id as tie-breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Number,
    Title,
    UpdatedAt,
}

impl SortKey {
    fn column(self) -> entry::Column {
        match self {
            SortKey::Number => entry::Column::Number,
            SortKey::Title => entry::Column::Title,
            SortKey::UpdatedAt => entry::Column::UpdatedAt,
        }
    }
}

/// The value of the sort key at a cursor position.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

impl SortValue {
    /// The sort key's value for `e`.
    pub fn of(key: SortKey, e: &entry::Model) -> SortValue {
        match key {
            SortKey::Number => SortValue::Int(e.number),
            SortKey::Title => SortValue::Text(e.title.clone()),
            SortKey::UpdatedAt => SortValue::Time(e.updated_at),
        }
    }

    fn into_value(self) -> sea_orm::Value {
        match self {
            SortValue::Int(v) => v.into(),
            SortValue::Text(v) => v.into(),
            SortValue::Time(v) => v.into(),
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

/// Reads one keyset page: rows strictly after `seek` in the direction of travel, in that
/// direction's order (the caller reverses a backward page).
pub async fn page(db: &impl ConnectionTrait, filter: &Condition, q: &PageQuery) -> Result<Vec<entry::Model>, DbErr> {
    let col = q.key.column();
    // Travelling "up" the ordering when reading forward in ascending order, or backward in
    // descending order.
    let up = q.descending == q.backward;
    let mut select = entry::Entity::find().filter(filter.clone());
    if let Some(seek) = &q.seek {
        let v = seek.value.clone().into_value();
        let after = if up {
            Condition::any()
                .add(col.gt(v.clone()))
                .add(Condition::all().add(col.eq(v)).add(entry::Column::Id.gt(seek.id)))
        } else {
            Condition::any()
                .add(col.lt(v.clone()))
                .add(Condition::all().add(col.eq(v)).add(entry::Column::Id.lt(seek.id)))
        };
        select = select.filter(after);
    }
    let order = if up { Order::Asc } else { Order::Desc };
    select
        .order_by(col, order.clone())
        .order_by(entry::Column::Id, order)
        .limit(q.limit)
        .all(db)
        .await
}

/// How many entries match.
pub async fn count(db: &impl ConnectionTrait, filter: &Condition) -> Result<u64, DbErr> {
    entry::Entity::find().filter(filter.clone()).count(db).await
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
