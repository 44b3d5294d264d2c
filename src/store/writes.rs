//! The write path: entries, their links and contacts, prizes, external references and the
//! change log, always inside one transaction per mutation.
//!
//! Every write transaction takes the database's write lock up front: `BEGIN IMMEDIATE` on
//! SQLite (a deferred transaction that reads first cannot upgrade once another writer has
//! committed, and fails at once whatever the busy timeout), and a transaction-scoped advisory
//! lock on PostgreSQL. Writes are therefore serialised, which also makes the change log's
//! sequence follow commit order: a reader that has seen sequence N will never later find a
//! smaller one appear.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use entity::enums::{ActivityType, ChangeKind, Coverage, EntryStatus, Moderation, PrizeResult};
use entity::{change, contact, entry, external_ref, prize};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Value,
};

pub use crate::store::begin;
use crate::store::link_tables::{CATEGORIES, COUNTRIES, GDC_OBJECTIVES, REGIONS, SDGS, replace_list};
use crate::store::{facets, links, search};

/// The first public number of an empty database.
pub const FIRST_NUMBER: i64 = 1_000_000;

/// A contact person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactData {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// Everything a partner writes about an entry, validated and resolved to database codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryData {
    pub organisation_id: i64,
    pub title: String,
    pub description: String,
    pub activity_type: ActivityType,
    pub status: EntryStatus,
    pub coverage: Coverage,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub website: Option<String>,
    pub year: i32,
    /// Alpha-2 codes, sorted.
    pub countries: Vec<String>,
    /// Region codes of the entry's own regional tags, sorted.
    pub regions: Vec<String>,
    /// Category codes, sorted.
    pub categories: Vec<String>,
    /// SDG numbers, sorted.
    pub sdgs: Vec<i32>,
    /// Global Digital Compact objective codes (`GDC1`…), sorted.
    pub gdc_objectives: Vec<String>,
    pub contact: Option<ContactData>,
}

/// The current time, at the precision both backends store.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// An entry and what was written about it, or `None`.
pub async fn load(txn: &impl ConnectionTrait, id: i64) -> Result<Option<(entry::Model, EntryData)>, DbErr> {
    let Some(e) = entry::Entity::find_by_id(id).one(txn).await? else {
        return Ok(None);
    };
    let ids = [id];
    let take = |mut m: std::collections::HashMap<i64, Vec<String>>| m.remove(&id).unwrap_or_default();
    let countries = take(links::countries(txn, &ids).await?);
    let regions = take(links::regions(txn, &ids).await?);
    let categories = take(links::categories(txn, &ids).await?);
    let sdgs = links::sdgs(txn, &ids).await?.remove(&id).unwrap_or_default();
    let gdc_objectives = take(links::gdc_objectives(txn, &ids).await?);
    let contact = contact::Entity::find_by_id(id).one(txn).await?.map(|c| ContactData {
        name: c.name,
        email: c.email,
        phone: c.phone,
    });
    let data = EntryData {
        organisation_id: e.organisation_id,
        title: e.title.clone(),
        description: e.description.clone(),
        activity_type: e.activity_type,
        status: e.status,
        coverage: e.coverage,
        start_date: e.start_date,
        end_date: e.end_date,
        website: e.website.clone(),
        year: e.year,
        countries,
        regions,
        categories,
        sdgs,
        gdc_objectives,
        contact,
    };
    Ok(Some((e, data)))
}

/// Inserts a new entry with the next public number.
pub async fn insert(
    txn: &DatabaseTransaction,
    data: &EntryData,
    moderation: Moderation,
    at: DateTime<Utc>,
) -> Result<entry::Model, DbErr> {
    // The write lock is held, so the maximum cannot move under us.
    let max: Option<Option<i64>> = entry::Entity::find()
        .select_only()
        .column_as(entry::Column::Number.max(), "max")
        .into_tuple()
        .one(txn)
        .await?;
    let number = max.flatten().map_or(FIRST_NUMBER, |n| n + 1);
    let inserted = entry::Entity::insert(entry::ActiveModel {
        number: Set(number),
        organisation_id: Set(data.organisation_id),
        title: Set(data.title.clone()),
        description: Set(data.description.clone()),
        activity_type: Set(data.activity_type),
        status: Set(data.status),
        coverage: Set(data.coverage),
        start_date: Set(data.start_date),
        end_date: Set(data.end_date),
        website: Set(data.website.clone()),
        year: Set(data.year),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        moderation: Set(moderation),
        moderation_note: Set(None),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    let id = inserted.last_insert_id;
    write_links(txn, id, data, None).await?;
    search::index(txn, &[id]).await?;
    facets::adjust_summary(txn, id, 1).await?;
    fetch(txn, id).await
}

/// Rewrites an entry's fields and links, checking `expected` against its version in the
/// UPDATE itself. `Ok(Err(current))` when the version had moved on.
pub async fn update(
    txn: &DatabaseTransaction,
    id: i64,
    expected: i32,
    data: &EntryData,
    previous: &EntryData,
    moderation: Moderation,
    at: DateTime<Utc>,
) -> Result<Result<entry::Model, i32>, DbErr> {
    facets::adjust_summary(txn, id, -1).await?;
    let res = entry::Entity::update_many()
        .col_expr(entry::Column::OrganisationId, Expr::value(data.organisation_id))
        .col_expr(entry::Column::Title, Expr::value(data.title.clone()))
        .col_expr(entry::Column::Description, Expr::value(data.description.clone()))
        .col_expr(entry::Column::ActivityType, Expr::value(data.activity_type))
        .col_expr(entry::Column::Status, Expr::value(data.status))
        .col_expr(entry::Column::Coverage, Expr::value(data.coverage))
        .col_expr(entry::Column::StartDate, Expr::value(data.start_date))
        .col_expr(entry::Column::EndDate, Expr::value(data.end_date))
        .col_expr(entry::Column::Website, Expr::value(data.website.clone()))
        .col_expr(entry::Column::Year, Expr::value(data.year))
        .col_expr(entry::Column::Moderation, Expr::value(moderation))
        .col_expr(entry::Column::UpdatedAt, Expr::value(at))
        .col_expr(entry::Column::Version, Expr::col(entry::Column::Version).add(1))
        .filter(entry::Column::Id.eq(id))
        .filter(entry::Column::Version.eq(expected))
        .exec(txn)
        .await?;
    if res.rows_affected == 0 {
        facets::adjust_summary(txn, id, 1).await?;
        return Ok(Err(current_version(txn, id).await?));
    }
    write_links(txn, id, data, Some(previous)).await?;
    if (&data.title, &data.description, data.organisation_id)
        != (&previous.title, &previous.description, previous.organisation_id)
    {
        search::index(txn, &[id]).await?;
    }
    facets::adjust_summary(txn, id, 1).await?;
    Ok(Ok(fetch(txn, id).await?))
}

/// Moves an entry to another moderation state (with the reviewer's note, when one is given),
/// checking `expected` when given. `Ok(Err(current))` when the version had moved on.
pub async fn set_moderation(
    txn: &DatabaseTransaction,
    id: i64,
    expected: Option<i32>,
    moderation: Moderation,
    note: Option<Option<String>>,
    at: DateTime<Utc>,
) -> Result<Result<entry::Model, i32>, DbErr> {
    let mut q = entry::Entity::update_many()
        .col_expr(entry::Column::Moderation, Expr::value(moderation))
        .col_expr(entry::Column::UpdatedAt, Expr::value(at))
        .col_expr(entry::Column::Version, Expr::col(entry::Column::Version).add(1))
        .filter(entry::Column::Id.eq(id));
    if let Some(note) = note {
        q = q.col_expr(entry::Column::ModerationNote, Expr::value(note));
    }
    if let Some(v) = expected {
        q = q.filter(entry::Column::Version.eq(v));
    }
    facets::adjust_summary(txn, id, -1).await?;
    if q.exec(txn).await?.rows_affected == 0 {
        facets::adjust_summary(txn, id, 1).await?;
        return Ok(Err(current_version(txn, id).await?));
    }
    facets::adjust_summary(txn, id, 1).await?;
    Ok(Ok(fetch(txn, id).await?))
}

/// Records (or changes) a prize result and bumps the entry's version.
pub async fn record_prize(
    txn: &DatabaseTransaction,
    id: i64,
    year: i32,
    category: &str,
    result: PrizeResult,
    at: DateTime<Utc>,
) -> Result<entry::Model, DbErr> {
    prize::Entity::insert(prize::ActiveModel {
        entry_id: Set(id),
        year: Set(year),
        category: Set(category.to_owned()),
        result: Set(result),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([prize::Column::EntryId, prize::Column::Year, prize::Column::Category])
            .update_column(prize::Column::Result)
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    entry::Entity::update_many()
        .col_expr(entry::Column::UpdatedAt, Expr::value(at))
        .col_expr(entry::Column::Version, Expr::col(entry::Column::Version).add(1))
        .filter(entry::Column::Id.eq(id))
        .exec(txn)
        .await?;
    fetch(txn, id).await
}

/// The entry an integration's source knows by `external_id`.
pub async fn find_external(txn: &impl ConnectionTrait, source: &str, external_id: &str) -> Result<Option<i64>, DbErr> {
    Ok(external_ref::Entity::find()
        .filter(external_ref::Column::Source.eq(source))
        .filter(external_ref::Column::ExternalId.eq(external_id))
        .one(txn)
        .await?
        .map(|r| r.entry_id))
}

/// Ties an entry to an external source's id.
pub async fn add_external(txn: &impl ConnectionTrait, id: i64, source: &str, external_id: &str) -> Result<(), DbErr> {
    external_ref::Entity::insert(external_ref::ActiveModel {
        entry_id: Set(id),
        source: Set(source.to_owned()),
        external_id: Set(external_id.to_owned()),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Appends to the change log (in the write's transaction), with the entry's moderation state
/// before (none for a new entry) and after the change.
pub async fn log(
    txn: &impl ConnectionTrait,
    kind: ChangeKind,
    entry_id: i64,
    moderation: (Option<Moderation>, Moderation),
    actor: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    change::Entity::insert(change::ActiveModel {
        kind: Set(kind),
        entry_id: Set(entry_id),
        actor: Set(actor.to_owned()),
        at: Set(at),
        moderation_before: Set(moderation.0),
        moderation_after: Set(Some(moderation.1)),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

async fn fetch(txn: &impl ConnectionTrait, id: i64) -> Result<entry::Model, DbErr> {
    entry::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("entry {id} just written")))
}

async fn current_version(txn: &impl ConnectionTrait, id: i64) -> Result<i32, DbErr> {
    Ok(fetch(txn, id).await?.version)
}

/// Replaces each link list (and the contact) that differs from `previous`.
pub async fn replace_links(
    txn: &impl ConnectionTrait,
    id: i64,
    data: &EntryData,
    previous: &EntryData,
) -> Result<(), DbErr> {
    write_links(txn, id, data, Some(previous)).await
}

/// Replaces each link list (and the contact) that differs from `previous` (all of them for a
/// new entry).
async fn write_links(
    txn: &impl ConnectionTrait,
    id: i64,
    data: &EntryData,
    previous: Option<&EntryData>,
) -> Result<(), DbErr> {
    let fresh = previous.is_none();
    let strings = |v: &[String]| v.iter().map(|s| Value::from(s.clone())).collect::<Vec<_>>();
    if previous.is_none_or(|p| p.countries != data.countries) {
        let rows = strings(&data.countries);
        replace_list(txn, id, COUNTRIES, rows, fresh).await?;
    }
    if previous.is_none_or(|p| p.regions != data.regions) {
        let rows = strings(&data.regions);
        replace_list(txn, id, REGIONS, rows, fresh).await?;
    }
    if previous.is_none_or(|p| p.categories != data.categories) {
        let rows = strings(&data.categories);
        replace_list(txn, id, CATEGORIES, rows, fresh).await?;
    }
    if previous.is_none_or(|p| p.sdgs != data.sdgs) {
        let rows = data.sdgs.iter().map(|&n| Value::from(n)).collect();
        replace_list(txn, id, SDGS, rows, fresh).await?;
    }
    if previous.is_none_or(|p| p.gdc_objectives != data.gdc_objectives) {
        let rows = strings(&data.gdc_objectives);
        replace_list(txn, id, GDC_OBJECTIVES, rows, fresh).await?;
    }
    if previous.is_none_or(|p| p.contact != data.contact) {
        if !fresh {
            contact::Entity::delete_many()
                .filter(contact::Column::EntryId.eq(id))
                .exec(txn)
                .await?;
        }
        if let Some(c) = &data.contact {
            contact::Entity::insert(contact::ActiveModel {
                entry_id: Set(id),
                name: Set(c.name.clone()),
                email: Set(c.email.clone()),
                phone: Set(c.phone.clone()),
            })
            .exec_without_returning(txn)
            .await?;
        }
    }
    Ok(())
}
