//! The importer's statements, inside its one transaction: the next ids, organisations by
//! name, existing entries by number or external id, and an existing entry rewritten whole.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::StakeholderType;
use entity::{entry, external_ref, organisation, prize, repository_entry};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::store::bulk::{EntryRow, ExtraRows};
use crate::store::writes::{self, EntryData, FIRST_NUMBER};

/// The next free internal id and public number.
pub async fn next_keys(db: &impl ConnectionTrait) -> Result<(i64, i64), DbErr> {
    let max = |col: entry::Column| {
        entry::Entity::find()
            .select_only()
            .column_as(col.max(), "max")
            .into_tuple::<Option<i64>>()
            .one(db)
    };
    let next_id = max(entry::Column::Id).await?.flatten().unwrap_or(0) + 1;
    let next_number = max(entry::Column::Number)
        .await?
        .flatten()
        .map_or(FIRST_NUMBER, |n| n + 1);
    Ok((next_id, next_number))
}

/// Organisations by name: `(name, id)`.
pub async fn organisations_named(db: &impl ConnectionTrait, names: &[&str]) -> Result<Vec<(String, i64)>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Name.is_in(names.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.name, o.id))
        .collect())
}

/// A new organisation as a file describes it; returns its id.
pub async fn insert_organisation(
    db: &impl ConnectionTrait,
    name: &str,
    stakeholder_type: StakeholderType,
    country: Option<String>,
    website: Option<String>,
    created_at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let res = organisation::Entity::insert(organisation::ActiveModel {
        name: Set(name.to_owned()),
        stakeholder_type: Set(stakeholder_type),
        country: Set(country),
        website: Set(website),
        created_at: Set(created_at),
        ..Default::default()
    })
    .exec(db)
    .await?;
    crate::store::organisations::fold_names(db, &[(res.last_insert_id, name)]).await?;
    Ok(res.last_insert_id)
}

/// Existing entries by public number: number → `(id, number)`.
pub async fn by_numbers(db: &impl ConnectionTrait, numbers: &[i64]) -> Result<HashMap<String, (i64, i64)>, DbErr> {
    Ok(entry::Entity::find()
        .filter(entry::Column::Number.is_in(numbers.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.number.to_string(), (e.id, e.number)))
        .collect())
}

/// Existing entries by their id in `source`: external id → `(id, number)`.
pub async fn by_external(
    db: &impl ConnectionTrait,
    source: &str,
    external_ids: &[String],
) -> Result<HashMap<String, (i64, i64)>, DbErr> {
    let refs = external_ref::Entity::find()
        .filter(external_ref::Column::Source.eq(source))
        .filter(external_ref::Column::ExternalId.is_in(external_ids.iter().cloned()))
        .all(db)
        .await?;
    let ids: Vec<i64> = refs.iter().map(|r| r.entry_id).collect();
    let numbers: HashMap<i64, i64> = entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.number))
        .collect();
    Ok(refs
        .into_iter()
        .map(|r| {
            let number = numbers.get(&r.entry_id).copied().unwrap_or_default();
            (r.external_id, (r.entry_id, number))
        })
        .collect())
}

/// Rewrites an existing entry from a file's row: fields as given (version and times
/// included), every link list, prizes, repositories and external references; the contact,
/// which files do not carry, stays.
pub async fn replace(db: &impl ConnectionTrait, e: &EntryRow) -> Result<(), DbErr> {
    let d = &e.data;
    entry::Entity::update_many()
        .col_expr(entry::Column::OrganisationId, Expr::value(d.organisation_id))
        .col_expr(entry::Column::Title, Expr::value(d.title.clone()))
        .col_expr(entry::Column::Description, Expr::value(d.description.clone()))
        .col_expr(entry::Column::ActivityType, Expr::value(d.activity_type))
        .col_expr(entry::Column::Status, Expr::value(d.status))
        .col_expr(entry::Column::Coverage, Expr::value(d.coverage))
        .col_expr(entry::Column::StartDate, Expr::value(d.start_date))
        .col_expr(entry::Column::EndDate, Expr::value(d.end_date))
        .col_expr(entry::Column::Website, Expr::value(d.website.clone()))
        .col_expr(entry::Column::Year, Expr::value(d.year))
        .col_expr(entry::Column::CreatedAt, Expr::value(e.created_at))
        .col_expr(entry::Column::UpdatedAt, Expr::value(e.updated_at))
        .col_expr(entry::Column::Version, Expr::value(e.version))
        .col_expr(entry::Column::Moderation, Expr::value(e.moderation))
        .filter(entry::Column::Id.eq(e.id))
        .exec(db)
        .await?;
    if let Some((_, previous)) = writes::load(db, e.id).await? {
        let data = EntryData {
            contact: previous.contact.clone(),
            ..d.clone()
        };
        writes::replace_links(db, e.id, &data, &previous).await?;
    }
    prize::Entity::delete_many()
        .filter(prize::Column::EntryId.eq(e.id))
        .exec(db)
        .await?;
    repository_entry::Entity::delete_many()
        .filter(repository_entry::Column::EntryId.eq(e.id))
        .exec(db)
        .await?;
    external_ref::Entity::delete_many()
        .filter(external_ref::Column::EntryId.eq(e.id))
        .exec(db)
        .await?;
    let mut extras = ExtraRows::new();
    extras.add(e);
    extras.flush(db).await
}
