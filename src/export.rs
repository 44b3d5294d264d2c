//! Bulk export: entries as NDJSON (one JSON object per line) or CSV (RFC 4180, UTF-8), streamed
//! in public-number order, a batch of rows at a time: memory stays flat whatever the size.
//!
//! Both `GET /export/entries.{ndjson,csv}` and `stocktaking export` use it; both take the
//! filter in the query-string form described in the README, with the same semantics (and the
//! same validation) as `EntryFilter`.

use std::collections::HashMap;

use async_graphql::ID;
use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use entity::{entry, enums, organisation};
use futures_util::Stream;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::AppError;
use crate::graphql::entries::EntryFilter;
use crate::graphql::reference::{ActionLineCode, RegionCode};
use crate::store;

/// Entries per batch: one statement per relation per batch.
const BATCH: u64 = 500;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Csv,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Ndjson => "application/x-ndjson; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8; header=present",
        }
    }
}

/// The organisation of an exported entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationRecord {
    pub name: String,
    pub stakeholder_type: String,
    pub country: Option<String>,
    pub website: Option<String>,
}

/// A prize result of an exported entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrizeRecord {
    pub year: i32,
    pub category: String,
    pub result: String,
}

/// An identifier of an exported entry in another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRefRecord {
    pub source: String,
    pub external_id: String,
}

/// One exported entry: every public field, links as codes. The import reads the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Record {
    pub number: i64,
    pub title: String,
    pub description: String,
    pub activity_type: String,
    pub status: String,
    pub coverage: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub website: Option<String>,
    pub year: i32,
    pub created_at: String,
    pub updated_at: String,
    pub version: i32,
    pub moderation: String,
    pub organisation: OrganisationRecord,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub action_lines: Vec<String>,
    pub sdgs: Vec<i32>,
    pub prizes: Vec<PrizeRecord>,
    pub repositories: Vec<String>,
    pub external_refs: Vec<ExternalRefRecord>,
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 25] = [
    "number",
    "title",
    "description",
    "activity_type",
    "status",
    "coverage",
    "start_date",
    "end_date",
    "website",
    "year",
    "created_at",
    "updated_at",
    "version",
    "moderation",
    "organisation",
    "stakeholder_type",
    "organisation_country",
    "organisation_website",
    "countries",
    "regions",
    "action_lines",
    "sdgs",
    "prizes",
    "repositories",
    "external_refs",
];

/// Timestamps as exported: RFC 3339, UTC, microseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl Record {
    /// The CSV row: multi-valued fields joined by `;`, prizes as `year:category:result`,
    /// external references as `source:id`.
    pub fn csv_row(&self) -> Vec<String> {
        let join = |v: &[String]| v.join(";");
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            self.number.to_string(),
            self.title.clone(),
            self.description.clone(),
            self.activity_type.clone(),
            self.status.clone(),
            self.coverage.clone(),
            self.start_date.map(|d| d.to_string()).unwrap_or_default(),
            self.end_date.map(|d| d.to_string()).unwrap_or_default(),
            opt(&self.website),
            self.year.to_string(),
            self.created_at.clone(),
            self.updated_at.clone(),
            self.version.to_string(),
            self.moderation.clone(),
            self.organisation.name.clone(),
            self.organisation.stakeholder_type.clone(),
            opt(&self.organisation.country),
            opt(&self.organisation.website),
            join(&self.countries),
            join(&self.regions),
            join(&self.action_lines),
            self.sdgs.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(";"),
            self.prizes
                .iter()
                .map(|p| format!("{}:{}:{}", p.year, p.category, p.result))
                .collect::<Vec<_>>()
                .join(";"),
            join(&self.repositories),
            self.external_refs
                .iter()
                .map(|r| format!("{}:{}", r.source, r.external_id))
                .collect::<Vec<_>>()
                .join(";"),
        ]
    }
}

/// Parses the query-string form of a filter (`?region=AFRICA&actionLine=C7_E_HEALTH&…`; a key
/// may repeat, and a value may list several codes separated by commas) into an `EntryFilter`.
pub fn filter_from_query(pairs: &[(String, String)]) -> Result<EntryFilter, AppError> {
    let mut f = EntryFilter::default();
    fn values(v: &str) -> impl Iterator<Item = &str> {
        v.split(',').map(str::trim).filter(|s| !s.is_empty())
    }
    fn push<T>(list: &mut Option<Vec<T>>, v: T) {
        list.get_or_insert_with(Vec::new).push(v);
    }
    fn parse<T>(key: &str, v: &str, p: impl Fn(&str) -> Option<T>) -> Result<T, AppError> {
        p(&v.to_ascii_uppercase()).ok_or_else(|| AppError::bad_input(key, format!("`{v}` is not a valid `{key}`")))
    }
    fn int(key: &str, v: &str) -> Result<i32, AppError> {
        v.parse()
            .map_err(|_| AppError::bad_input(key, format!("`{v}` is not a number")))
    }
    for (key, value) in pairs {
        let k = key.as_str();
        match k {
            "actionLine" => {
                for v in values(value) {
                    push(&mut f.action_lines, parse(k, v, ActionLineCode::from_code)?);
                }
            }
            "sdg" => {
                for v in values(value) {
                    push(&mut f.sdgs, int(k, v)?);
                }
            }
            "region" => {
                for v in values(value) {
                    push(&mut f.regions, parse(k, v, RegionCode::from_code)?);
                }
            }
            "country" => {
                for v in values(value) {
                    push(&mut f.countries, v.to_owned());
                }
            }
            "stakeholderType" => {
                for v in values(value) {
                    push(
                        &mut f.stakeholder_types,
                        parse(k, v, enums::StakeholderType::parse)?.into(),
                    );
                }
            }
            "status" => {
                for v in values(value) {
                    push(&mut f.statuses, parse(k, v, enums::EntryStatus::parse)?.into());
                }
            }
            "coverage" => {
                for v in values(value) {
                    push(&mut f.coverage, parse(k, v, enums::Coverage::parse)?.into());
                }
            }
            "prizeResult" => {
                for v in values(value) {
                    push(&mut f.prize_results, parse(k, v, enums::PrizeResult::parse)?.into());
                }
            }
            "moderation" => {
                for v in values(value) {
                    push(&mut f.moderation, parse(k, v, enums::Moderation::parse)?.into());
                }
            }
            "organisation" => f.organisation = Some(ID(value.trim().to_owned())),
            "yearFrom" => f.year_from = Some(int(k, value.trim())?),
            "yearTo" => f.year_to = Some(int(k, value.trim())?),
            "repository" => f.repository = Some(value.trim().to_owned()),
            "search" => f.search = Some(value.clone()),
            "updatedSince" => {
                let t = DateTime::parse_from_rfc3339(value.trim()).map_err(|_| {
                    AppError::bad_input(
                        k,
                        format!("`{value}` is not an RFC 3339 time such as 2024-01-01T00:00:00Z"),
                    )
                })?;
                f.updated_since = Some(t.with_timezone(&Utc));
            }
            other => {
                return Err(AppError::bad_input(
                    other,
                    format!("unknown filter `{other}`; see the README for the export's filters"),
                ));
            }
        }
    }
    Ok(f)
}

/// The condition an export runs with: the filter, resolved as `EntryFilter` resolves it, and
/// the caller's visibility.
pub fn condition(
    db: &DatabaseConnection,
    cat: &Catalog,
    filter: &EntryFilter,
    visible: Condition,
) -> Result<Condition, AppError> {
    let resolved = filter.resolve(cat)?;
    Ok(resolved.condition(db.get_database_backend()).add(visible))
}

/// One batch of entries after `after` (a public number), as records.
pub async fn batch(
    db: &impl ConnectionTrait,
    cat: &Catalog,
    condition: &Condition,
    after: i64,
    limit: u64,
) -> Result<Vec<Record>, DbErr> {
    let rows = entry::Entity::find()
        .filter(condition.clone())
        .filter(entry::Column::Number.gt(after))
        .order_by_asc(entry::Column::Number)
        .limit(limit)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut org_ids: Vec<i64> = rows.iter().map(|e| e.organisation_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, organisation::Model> = store::organisations::by_ids(db, &org_ids).await?;
    let mut countries = store::links::countries(db, &ids).await?;
    let mut regions = store::links::regions(db, &ids).await?;
    let mut categories = store::links::categories(db, &ids).await?;
    let mut sdgs = store::links::sdgs(db, &ids).await?;
    let mut prizes = store::links::prizes(db, &ids).await?;
    let mut repositories = store::links::repositories(db, &ids).await?;
    let mut refs = store::links::external_refs(db, &ids).await?;
    let slug = |id: i32| {
        cat.repositories
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.slug.clone())
    };
    Ok(rows
        .into_iter()
        .map(|e| {
            let org = orgs.get(&e.organisation_id);
            let mut prize_list: Vec<PrizeRecord> = prizes
                .remove(&e.id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| PrizeRecord {
                    year: p.year,
                    category: p.category,
                    result: p.result.as_str().to_owned(),
                })
                .collect();
            prize_list.sort_by(|a, b| (a.year, &a.category).cmp(&(b.year, &b.category)));
            let mut repo_list: Vec<String> = repositories
                .remove(&e.id)
                .unwrap_or_default()
                .into_iter()
                .map(slug)
                .collect();
            repo_list.sort();
            Record {
                number: e.number,
                title: e.title,
                description: e.description,
                activity_type: e.activity_type.as_str().to_owned(),
                status: e.status.as_str().to_owned(),
                coverage: e.coverage.as_str().to_owned(),
                start_date: e.start_date,
                end_date: e.end_date,
                website: e.website,
                year: e.year,
                created_at: timestamp(e.created_at),
                updated_at: timestamp(e.updated_at),
                version: e.version,
                moderation: e.moderation.as_str().to_owned(),
                organisation: OrganisationRecord {
                    name: org.map(|o| o.name.clone()).unwrap_or_default(),
                    stakeholder_type: org.map(|o| o.stakeholder_type.as_str().to_owned()).unwrap_or_default(),
                    country: org.and_then(|o| o.country.clone()),
                    website: org.and_then(|o| o.website.clone()),
                },
                countries: countries.remove(&e.id).unwrap_or_default(),
                regions: regions.remove(&e.id).unwrap_or_default(),
                action_lines: categories.remove(&e.id).unwrap_or_default(),
                sdgs: sdgs.remove(&e.id).unwrap_or_default(),
                prizes: prize_list,
                repositories: repo_list,
                external_refs: refs
                    .remove(&e.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| ExternalRefRecord {
                        source: r.source,
                        external_id: r.external_id,
                    })
                    .collect(),
            }
        })
        .collect())
}

/// Encodes records in `format`; `first` adds the CSV header (with a byte-order mark, so that
/// spreadsheets read the file as UTF-8).
pub fn encode(records: &[Record], format: Format, first: bool) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::with_capacity(records.len() * 600);
    match format {
        Format::Ndjson => {
            for r in records {
                serde_json::to_writer(&mut out, r)?;
                out.push(b'\n');
            }
        }
        Format::Csv => {
            if first {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            if first {
                w.write_record(CSV_HEADER)?;
            }
            for r in records {
                w.write_record(r.csv_row())?;
            }
            w.flush()?;
        }
    }
    Ok(out)
}

/// The export as a stream of chunks, one per batch. Dropping the stream (a client that
/// disconnects) stops it before its next statement.
pub fn stream(
    db: DatabaseConnection,
    cat: std::sync::Arc<Catalog>,
    condition: Condition,
    format: Format,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    async_stream::try_stream! {
        let mut after = i64::MIN;
        let mut first = true;
        loop {
            let records = batch(&db, &cat, &condition, after, BATCH)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "export failed");
                    std::io::Error::other("export failed")
                })?;
            if records.is_empty() && !first {
                break;
            }
            let chunk = encode(&records, format, first)?;
            first = false;
            if let Some(last) = records.last() {
                after = last.number;
            }
            let done = (records.len() as u64) < BATCH;
            yield Bytes::from(chunk);
            if done {
                break;
            }
        }
    }
}
