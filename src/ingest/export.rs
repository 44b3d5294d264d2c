//! Bulk export: entries as NDJSON (one JSON object per line) or CSV (RFC 4180, UTF-8), streamed
//! in public-number order, a batch of rows at a time: memory stays flat whatever the size.
//!
//! Both `GET /export/entries.{ndjson,csv}` and `stocktaking export` use it; both take the
//! filter in the query-string form described in the README, with the same semantics (and the
//! same validation) as GraphQL's `EntryFilter`: both become one [`FilterSpec`].

use bytes::Bytes;
use chrono::{DateTime, Utc};
use entity::enums;
use futures_util::Stream;
use sea_orm::{Condition, DatabaseConnection};

use crate::catalog::Catalog;
use crate::domain::filter::FilterSpec;
use crate::error::AppError;
use crate::ingest::record::{self, Record};
use crate::store;

/// Entries per batch: one statement per relation per batch.
const BATCH: u64 = 500;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// Parses the query-string form of a filter (`?region=AFRICA&actionLine=C7_E_HEALTH&…`; a key
/// may repeat, and a value may list several codes separated by commas) into the
/// filter every surface speaks; codes are checked against the catalogue here, by their key.
pub fn filter_from_query(cat: &Catalog, pairs: &[(String, String)]) -> Result<FilterSpec, AppError> {
    let mut f = FilterSpec::default();
    fn values(v: &str) -> impl Iterator<Item = &str> {
        v.split(',').map(str::trim).filter(|s| !s.is_empty())
    }
    fn push<T>(list: &mut Vec<T>, v: T) {
        list.push(v);
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
                    push(
                        &mut f.action_lines,
                        parse(k, v, |c| cat.action_line(c).map(|a| a.code.clone()))?,
                    );
                }
            }
            "sdg" => {
                for v in values(value) {
                    push(&mut f.sdgs, int(k, v)?);
                }
            }
            "gdcObjective" => {
                for v in values(value) {
                    push(&mut f.gdc_objectives, v.to_owned());
                }
            }
            "region" => {
                for v in values(value) {
                    push(&mut f.regions, parse(k, v, |c| cat.region(c).map(|r| r.code.clone()))?);
                }
            }
            "country" => {
                for v in values(value) {
                    push(&mut f.countries, v.to_owned());
                }
            }
            "stakeholderType" => {
                for v in values(value) {
                    push(&mut f.stakeholder_types, parse(k, v, enums::StakeholderType::parse)?);
                }
            }
            "status" => {
                for v in values(value) {
                    push(&mut f.statuses, parse(k, v, enums::EntryStatus::parse)?);
                }
            }
            "coverage" => {
                for v in values(value) {
                    push(&mut f.coverage, parse(k, v, enums::Coverage::parse)?);
                }
            }
            "prizeResult" => {
                for v in values(value) {
                    push(&mut f.prize_results, parse(k, v, enums::PrizeResult::parse)?);
                }
            }
            "moderation" => {
                for v in values(value) {
                    push(&mut f.moderation, parse(k, v, enums::Moderation::parse)?);
                }
            }
            "organisation" => f.organisation = Some(value.trim().to_owned()),
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

/// The condition an export runs with: the filter, resolved as everywhere, and the caller's
/// visibility.
pub fn condition(
    db: &DatabaseConnection,
    cat: &Catalog,
    filter: &FilterSpec,
    visible: Condition,
) -> Result<Condition, AppError> {
    let resolved = filter.resolve(cat)?;
    Ok(resolved.visible_condition(db.get_database_backend(), visible))
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
                w.write_record(record::csv_columns())?;
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
            let records: Vec<Record> = store::export::batch(&db, &condition, after, BATCH)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "export failed");
                    std::io::Error::other("export failed")
                })?
                .into_iter()
                .map(|full| Record::of(full, &cat))
                .collect();
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
