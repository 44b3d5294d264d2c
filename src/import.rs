//! `stocktaking import FILE`: reads the export's NDJSON or CSV back.
//!
//! Two passes over the file, so memory stays flat whatever its size: the first validates every
//! row and reports every problem (line, field, reason); the second writes, in ONE transaction,
//! a chunk of rows at a time. Without `--skip-invalid` a file with any bad row writes nothing;
//! a killed import leaves the database as it was (the transaction never commits). Rows are
//! keyed by public number (or, with `--source`, by their external id in that source), and a
//! row identical to what is stored changes nothing: importing a file twice is a no-op.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use chrono::{DateTime, Datelike, Utc};
use entity::enums::{ActivityType, ChangeKind, Coverage, EntryStatus, Moderation, PrizeResult, StakeholderType};
use entity::{entry, external_ref, organisation, prize, repository_entry};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};

use crate::catalog::Catalog;
use crate::demo::write::{LinkRows, Rows};
use crate::export::{self, CSV_HEADER, ExternalRefRecord, OrganisationRecord, PrizeRecord, Record};
use crate::graphql::mutation::{FIRST_YEAR, MAX_DESCRIPTION, MAX_TITLE, valid_website};
use crate::store::writes;

/// Rows written per chunk.
const CHUNK: usize = 500;

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Key rows by their external id in this source instead of by number; new entries get
    /// new numbers.
    pub source: Option<String>,
    /// Validate and count, write nothing.
    pub dry_run: bool,
    /// Import the valid rows and report the others, instead of refusing the file.
    pub skip_invalid: bool,
    /// Show a progress bar.
    pub progress: bool,
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: Vec<RowError>,
    /// Whether anything was written.
    pub written: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Ndjson,
    Csv,
}

fn format_of(path: &Path) -> anyhow::Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("ndjson" | "jsonl") => Ok(Format::Ndjson),
        Some("csv") => Ok(Format::Csv),
        _ => anyhow::bail!("{}: expected a .ndjson or .csv file", path.display()),
    }
}

/// Calls `each(line, record)` for every row of the file, in order.
fn read(
    path: &Path,
    mut each: impl FnMut(usize, Result<Record, RowError>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    match format_of(path)? {
        Format::Ndjson => {
            for (i, line) in reader.lines().enumerate() {
                let line = line?;
                let text = line.trim_start_matches('\u{feff}');
                if text.trim().is_empty() {
                    continue;
                }
                let rec = serde_json::from_str::<Record>(text).map_err(|e| RowError {
                    line: i + 1,
                    field: "json".into(),
                    message: e.to_string(),
                });
                each(i + 1, rec)?;
            }
        }
        Format::Csv => {
            let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
            let headers = csv.headers()?.clone();
            let names: Vec<&str> = headers.iter().map(|h| h.trim_start_matches('\u{feff}')).collect();
            if names != CSV_HEADER {
                anyhow::bail!(
                    "{}: line 1: the header must be the export's: {}",
                    path.display(),
                    CSV_HEADER.join(",")
                );
            }
            for row in csv.records() {
                match row {
                    Ok(row) => {
                        let line = row.position().map_or(0, |p| p.line() as usize);
                        each(line, from_csv(line, &row))?;
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line() as usize);
                        each(
                            line,
                            Err(RowError {
                                line,
                                field: "csv".into(),
                                message: e.to_string(),
                            }),
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn from_csv(line: usize, row: &csv::StringRecord) -> Result<Record, RowError> {
    let get = |i: usize| row.get(i).unwrap_or("").to_owned();
    let opt = |i: usize| Some(get(i)).filter(|s| !s.is_empty());
    let list = |i: usize| -> Vec<String> {
        get(i)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let bad = |field: &str, message: String| RowError {
        line,
        field: field.into(),
        message,
    };
    let int = |i: usize, field: &str| -> Result<i64, RowError> {
        get(i)
            .trim()
            .parse()
            .map_err(|_| bad(field, format!("`{}` is not a number", get(i))))
    };
    let date = |i: usize, field: &str| -> Result<Option<chrono::NaiveDate>, RowError> {
        opt(i)
            .map(|s| {
                s.parse()
                    .map_err(|_| bad(field, format!("`{s}` is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    };
    let sdgs = list(21)
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|_| bad("sdgs", format!("`{s}` is not a goal number")))
        })
        .collect::<Result<Vec<i32>, _>>()?;
    let prizes = list(22)
        .iter()
        .map(|p| {
            let parts: Vec<&str> = p.splitn(3, ':').collect();
            match parts[..] {
                [y, c, r] => Ok(PrizeRecord {
                    year: y
                        .parse()
                        .map_err(|_| bad("prizes", format!("`{p}`: `{y}` is not a year")))?,
                    category: c.to_owned(),
                    result: r.to_owned(),
                }),
                _ => Err(bad("prizes", format!("`{p}` is not year:category:result"))),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let external_refs = list(24)
        .iter()
        .map(|r| match r.split_once(':') {
            Some((s, id)) => Ok(ExternalRefRecord {
                source: s.to_owned(),
                external_id: id.to_owned(),
            }),
            None => Err(bad("external_refs", format!("`{r}` is not source:id"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Record {
        number: int(0, "number")?,
        title: get(1),
        description: get(2),
        activity_type: get(3),
        status: get(4),
        coverage: get(5),
        start_date: date(6, "start_date")?,
        end_date: date(7, "end_date")?,
        website: opt(8),
        year: int(9, "year")? as i32,
        created_at: get(10),
        updated_at: get(11),
        version: int(12, "version")? as i32,
        moderation: get(13),
        organisation: OrganisationRecord {
            name: get(14),
            stakeholder_type: get(15),
            country: opt(16),
            website: opt(17),
        },
        countries: list(18),
        regions: list(19),
        action_lines: list(20),
        sdgs,
        prizes,
        repositories: list(23),
        external_refs,
    })
}

/// A row checked and resolved to what is stored.
struct Row {
    record: Record,
    data: writes::EntryData,
    moderation: Moderation,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    stakeholder_type: StakeholderType,
    prizes: Vec<(i32, String, PrizeResult)>,
    repositories: Vec<i32>,
    /// The row's key in `--source`, when importing by source.
    key: Option<String>,
}

/// Checks one record against the reference data; every problem, not just the first.
fn check(cat: &Catalog, line: usize, mut r: Record, source: Option<&str>) -> Result<Row, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: String| {
        errors.push(RowError {
            line,
            field: field.into(),
            message,
        })
    };
    if r.number < 1 {
        bad("number", format!("`{}` is not a public number", r.number));
    }
    let title = r.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        bad("title", format!("must have 1 to {MAX_TITLE} characters"));
    }
    let description = r.description.trim();
    if description.is_empty() || description.chars().count() > MAX_DESCRIPTION {
        bad("description", format!("must have 1 to {MAX_DESCRIPTION} characters"));
    }
    let activity = ActivityType::parse(&r.activity_type);
    if activity.is_none() {
        bad("activityType", format!("unknown activity type `{}`", r.activity_type));
    }
    let status = EntryStatus::parse(&r.status);
    if status.is_none() {
        bad("status", format!("unknown status `{}`", r.status));
    }
    let coverage = Coverage::parse(&r.coverage);
    if coverage.is_none() {
        bad("coverage", format!("unknown coverage `{}`", r.coverage));
    }
    let moderation = Moderation::parse(&r.moderation);
    if moderation.is_none() {
        bad("moderation", format!("unknown moderation state `{}`", r.moderation));
    }
    if let (Some(s), Some(e)) = (r.start_date, r.end_date)
        && e < s
    {
        bad("endDate", format!("the end date {e} is before the start date {s}"));
    }
    if let Some(w) = &r.website
        && !valid_website(w)
    {
        bad("website", format!("`{w}` is not a web address"));
    }
    let next = Utc::now().year() + 1;
    if !(FIRST_YEAR..=next).contains(&r.year) {
        bad("year", format!("the year must be between {FIRST_YEAR} and {next}"));
    }
    let time = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
    let created_at = time(&r.created_at);
    if created_at.is_err() {
        bad("createdAt", format!("`{}` is not an RFC 3339 time", r.created_at));
    }
    let updated_at = time(&r.updated_at);
    if updated_at.is_err() {
        bad("updatedAt", format!("`{}` is not an RFC 3339 time", r.updated_at));
    }
    if r.version < 1 {
        bad("version", "must be at least 1".into());
    }
    let org = &r.organisation;
    if org.name.trim().is_empty() {
        bad("organisation.name", "must not be empty".into());
    }
    let stakeholder_type = StakeholderType::parse(&org.stakeholder_type);
    if stakeholder_type.is_none() {
        bad(
            "organisation.stakeholderType",
            format!("unknown stakeholder type `{}`", org.stakeholder_type),
        );
    }
    if let Some(c) = &org.country
        && cat.country(c).is_none()
    {
        bad("organisation.country", format!("unknown country code `{c}`"));
    }
    let mut countries = BTreeSet::new();
    for c in &r.countries {
        match cat.country(c) {
            Some(country) => {
                countries.insert(country.alpha2.clone());
            }
            None => bad("countries", format!("unknown country code `{c}`")),
        }
    }
    let mut regions = BTreeSet::new();
    for code in &r.regions {
        match cat.region(code) {
            Some(region) => {
                regions.insert(region.code.clone());
            }
            None => bad("regions", format!("unknown region `{code}`")),
        }
    }
    let is_category = |code: &str| cat.action_line(code).is_some_and(|a| a.sub_lines.is_empty());
    let mut categories = BTreeSet::new();
    // Historical entries may carry C7 itself (new submissions name a sub-line).
    for code in &r.action_lines {
        if cat.action_line(code).is_some() {
            categories.insert(code.clone());
        } else {
            bad("actionLines", format!("unknown Action Line `{code}`"));
        }
    }
    if r.action_lines.is_empty() {
        bad("actionLines", "an entry needs at least one category".into());
    }
    let mut sdgs = BTreeSet::new();
    for &n in &r.sdgs {
        if cat.sdg(n).is_some() {
            sdgs.insert(n);
        } else {
            bad("sdgs", format!("there is no SDG {n}"));
        }
    }
    let mut prizes = Vec::new();
    let mut prize_keys = HashSet::new();
    for p in &r.prizes {
        let result = PrizeResult::parse(&p.result);
        if !(FIRST_YEAR..=next).contains(&p.year) || !is_category(&p.category) || result.is_none() {
            bad(
                "prizes",
                format!("`{}:{}:{}` is not a prize result", p.year, p.category, p.result),
            );
        } else if !prize_keys.insert((p.year, p.category.clone())) {
            bad("prizes", format!("two results for {} {}", p.year, p.category));
        } else if let Some(result) = result {
            prizes.push((p.year, p.category.clone(), result));
        }
    }
    let mut repositories = Vec::new();
    for slug in &r.repositories {
        match cat.repositories.iter().find(|x| x.slug == *slug) {
            Some(x) => repositories.push(x.id),
            None => bad("repositories", format!("unknown repository `{slug}`")),
        }
    }
    for x in &r.external_refs {
        if x.source.trim().is_empty()
            || x.source.len() > 64
            || x.external_id.trim().is_empty()
            || x.external_id.len() > 128
        {
            bad(
                "externalRefs",
                format!("`{}:{}` is not a valid reference", x.source, x.external_id),
            );
        }
    }
    let key = match source {
        Some(s) => {
            let k = r
                .external_refs
                .iter()
                .find(|x| x.source == s)
                .map(|x| x.external_id.clone());
            if k.is_none() {
                bad(
                    "externalRefs",
                    format!("no reference in source `{s}`, which keys this import"),
                );
            }
            k
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(activity), Some(status), Some(coverage), Some(moderation), Some(stakeholder_type)) =
        (activity, status, coverage, moderation, stakeholder_type)
    else {
        return Err(errors);
    };
    let (Ok(created_at), Ok(updated_at)) = (created_at, updated_at) else {
        return Err(errors);
    };
    // Stored as the export writes it, so that a row read back compares equal.
    r.countries = countries.iter().cloned().collect();
    r.regions = regions.iter().cloned().collect();
    r.action_lines = categories.iter().cloned().collect();
    r.sdgs = sdgs.iter().copied().collect();
    r.prizes
        .sort_by(|a, b| (a.year, &a.category).cmp(&(b.year, &b.category)));
    r.repositories.sort();
    r.external_refs.sort_by(|a, b| a.source.cmp(&b.source));
    r.title = title.to_owned();
    r.description = description.to_owned();
    r.created_at = export::timestamp(created_at);
    r.updated_at = export::timestamp(updated_at);
    if let Some(c) = &r.organisation.country {
        r.organisation.country = cat.country(c).map(|c| c.alpha2.clone());
    }
    let data = writes::EntryData {
        organisation_id: 0,
        title: r.title.clone(),
        description: r.description.clone(),
        activity_type: activity,
        status,
        coverage,
        start_date: r.start_date,
        end_date: r.end_date,
        website: r.website.clone(),
        year: r.year,
        countries: r.countries.clone(),
        regions: r.regions.clone(),
        categories: r.action_lines.clone(),
        sdgs: r.sdgs.clone(),
        contact: None,
    };
    Ok(Row {
        record: r,
        data,
        moderation,
        created_at,
        updated_at,
        stakeholder_type,
        prizes,
        repositories,
        key,
    })
}

fn bar(len: u64, show: bool, message: &'static str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Imports `path`. Problems with rows are in the report; an `Err` is a file that cannot be
/// read at all, or a database failure (after which nothing was written).
pub async fn import(
    db: &DatabaseConnection,
    cat: &std::sync::Arc<Catalog>,
    path: &Path,
    opts: &Options,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    // Pass 1: validate everything, remember only the keys (for duplicates) and the problems.
    let mut seen_numbers = HashSet::new();
    let mut seen_keys = HashSet::new();
    let checking = bar(0, opts.progress, "checking");
    read(path, |line, rec| {
        report.rows += 1;
        checking.inc(1);
        match rec
            .map_err(|e| vec![e])
            .and_then(|r| check(cat, line, r, opts.source.as_deref()))
        {
            Ok(row) => {
                let duplicate = match &row.key {
                    Some(k) => !seen_keys.insert(k.clone()),
                    None => !seen_numbers.insert(row.record.number),
                };
                if duplicate {
                    report.invalid.push(RowError {
                        line,
                        field: if row.key.is_some() { "externalRefs" } else { "number" }.into(),
                        message: "appears on an earlier line too".into(),
                    });
                }
            }
            Err(errors) => report.invalid.extend(errors),
        }
        Ok(())
    })?;
    checking.finish_and_clear();
    if !report.invalid.is_empty() && !opts.skip_invalid {
        return Ok(report);
    }
    let bad_lines: HashSet<usize> = report.invalid.iter().map(|e| e.line).collect();

    // Pass 2: write, in one transaction, a chunk at a time. The file is read again on a
    // blocking thread and handed over through a small channel, so memory stays flat.
    let txn = writes::begin(db).await?;
    let mut state = Writer::new(&txn, opts.source.clone()).await?;
    let writing = bar(report.rows as u64, opts.progress, "importing");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Row>(2 * CHUNK);
    let reader = {
        let path = path.to_owned();
        let cat = std::sync::Arc::clone(cat);
        let source = opts.source.clone();
        tokio::task::spawn_blocking(move || {
            read(&path, |line, rec| {
                if bad_lines.contains(&line) {
                    return Ok(());
                }
                if let Ok(Ok(row)) = rec.map(|r| check(&cat, line, r, source.as_deref())) {
                    // The receiver is gone only when the write failed: stop reading.
                    tx.blocking_send(row).map_err(|_| anyhow::anyhow!("import stopped"))?;
                }
                Ok(())
            })
        })
    };
    let mut chunk: Vec<Row> = Vec::with_capacity(CHUNK);
    while let Some(row) = rx.recv().await {
        chunk.push(row);
        if chunk.len() == CHUNK {
            state.write(cat, std::mem::take(&mut chunk), &mut report).await?;
            writing.set_position((report.created + report.updated + report.unchanged) as u64);
        }
    }
    if !chunk.is_empty() {
        state.write(cat, chunk, &mut report).await?;
    }
    reader.await??;
    writing.finish_and_clear();
    state.finish().await?;
    if opts.dry_run {
        txn.rollback().await?;
    } else {
        // Many entries changed at once: recount the facet summary in the same transaction.
        if report.created + report.updated > 0 {
            crate::store::facets::rebuild_summary(&txn).await?;
        }
        txn.commit().await?;
        report.written = report.created + report.updated > 0;
    }
    Ok(report)
}

/// A row's prizes, repositories and external references.
fn add_extras(links: &mut LinkRows, id: i64, r: &Row) {
    for (year, category, result) in &r.prizes {
        links.prize(id, *year, category, result.as_str());
    }
    for repo in &r.repositories {
        links.repository(id, *repo);
    }
    for x in &r.record.external_refs {
        links.external(id, &x.source, &x.external_id);
    }
}

/// The write pass's state inside the transaction.
struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    source: Option<String>,
    next_id: i64,
    next_number: i64,
    wrote_ids: bool,
    organisations: HashMap<String, i64>,
    at: DateTime<Utc>,
}

impl<'a> Writer<'a> {
    async fn new(txn: &'a DatabaseTransaction, source: Option<String>) -> Result<Writer<'a>, DbErr> {
        let max = |col: entry::Column| {
            entry::Entity::find()
                .select_only()
                .column_as(col.max(), "max")
                .into_tuple::<Option<i64>>()
                .one(txn)
        };
        let next_id = max(entry::Column::Id).await?.flatten().unwrap_or(0) + 1;
        let next_number = max(entry::Column::Number)
            .await?
            .flatten()
            .map_or(writes::FIRST_NUMBER, |n| n + 1);
        Ok(Writer {
            txn,
            source,
            next_id,
            next_number,
            wrote_ids: false,
            organisations: HashMap::new(),
            at: writes::now(),
        })
    }

    /// The organisations of a chunk, by name: found, or created from the row.
    async fn organisations(&mut self, rows: &[Row]) -> Result<(), DbErr> {
        let missing: BTreeSet<&str> = rows
            .iter()
            .map(|r| r.record.organisation.name.as_str())
            .filter(|n| !self.organisations.contains_key(*n))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let found = organisation::Entity::find()
            .filter(organisation::Column::Name.is_in(missing.iter().copied()))
            .all(self.txn)
            .await?;
        for o in found {
            self.organisations.entry(o.name.clone()).or_insert(o.id);
        }
        for r in rows {
            let o = &r.record.organisation;
            if self.organisations.contains_key(&o.name) {
                continue;
            }
            let res = organisation::Entity::insert(organisation::ActiveModel {
                name: sea_orm::ActiveValue::Set(o.name.clone()),
                stakeholder_type: sea_orm::ActiveValue::Set(r.stakeholder_type),
                country: sea_orm::ActiveValue::Set(o.country.clone()),
                website: sea_orm::ActiveValue::Set(o.website.clone()),
                created_at: sea_orm::ActiveValue::Set(r.created_at),
                ..Default::default()
            })
            .exec(self.txn)
            .await?;
            self.organisations.insert(o.name.clone(), res.last_insert_id);
        }
        Ok(())
    }

    async fn write(&mut self, cat: &Catalog, mut rows: Vec<Row>, report: &mut Report) -> anyhow::Result<()> {
        self.organisations(&rows).await?;
        for r in &mut rows {
            r.data.organisation_id = self.organisations[&r.record.organisation.name];
        }
        // Which rows exist already, by number or by external id.
        let existing: HashMap<String, (i64, i64)> = match &self.source {
            None => entry::Entity::find()
                .filter(entry::Column::Number.is_in(rows.iter().map(|r| r.record.number)))
                .all(self.txn)
                .await?
                .into_iter()
                .map(|e| (e.number.to_string(), (e.id, e.number)))
                .collect(),
            Some(source) => {
                let refs = external_ref::Entity::find()
                    .filter(external_ref::Column::Source.eq(source.as_str()))
                    .filter(external_ref::Column::ExternalId.is_in(rows.iter().filter_map(|r| r.key.clone())))
                    .all(self.txn)
                    .await?;
                let ids: Vec<i64> = refs.iter().map(|r| r.entry_id).collect();
                let numbers: HashMap<i64, i64> = entry::Entity::find()
                    .filter(entry::Column::Id.is_in(ids))
                    .all(self.txn)
                    .await?
                    .into_iter()
                    .map(|e| (e.id, e.number))
                    .collect();
                refs.into_iter()
                    .map(|r| {
                        (
                            r.external_id,
                            (r.entry_id, numbers.get(&r.entry_id).copied().unwrap_or_default()),
                        )
                    })
                    .collect()
            }
        };
        let key_of = |r: &Row| r.key.clone().unwrap_or_else(|| r.record.number.to_string());
        let stored_numbers: Vec<i64> = existing.values().map(|(_, n)| *n).collect();
        let stored: HashMap<i64, Record> = if stored_numbers.is_empty() {
            HashMap::new()
        } else {
            let cond = Condition::all().add(entry::Column::Number.is_in(stored_numbers.iter().copied()));
            export::batch(self.txn, cat, &cond, i64::MIN, stored_numbers.len() as u64)
                .await?
                .into_iter()
                .map(|r| (r.number, r))
                .collect()
        };

        let mut entries = Rows::new(
            "entries",
            &[
                "id",
                "number",
                "organisation_id",
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
            ],
        );
        let mut links = LinkRows::new();
        let mut changes = Rows::new(
            "changes",
            &[
                "kind",
                "entry_id",
                "actor",
                "at",
                "moderation_before",
                "moderation_after",
            ],
        );
        let actor = "import";
        for mut r in rows {
            let (id, kind, before) = match existing.get(&key_of(&r)) {
                Some(&(id, number)) => {
                    // Keyed by source, an entry keeps its own number.
                    r.record.number = number;
                    let Some(old) = stored.get(&number) else {
                        continue;
                    };
                    if *old == r.record {
                        report.unchanged += 1;
                        continue;
                    }
                    let before = Moderation::parse(&old.moderation);
                    self.replace(id, &r).await?;
                    report.updated += 1;
                    (id, ChangeKind::Updated, before)
                }
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    self.wrote_ids = true;
                    if self.source.is_some() {
                        r.record.number = self.next_number;
                    }
                    self.next_number = self.next_number.max(r.record.number + 1);
                    let d = &r.data;
                    entries.push(vec![
                        id.into(),
                        r.record.number.into(),
                        d.organisation_id.into(),
                        d.title.clone().into(),
                        d.description.clone().into(),
                        d.activity_type.as_str().into(),
                        d.status.as_str().into(),
                        d.coverage.as_str().into(),
                        d.start_date.into(),
                        d.end_date.into(),
                        d.website.clone().into(),
                        d.year.into(),
                        r.created_at.into(),
                        r.updated_at.into(),
                        r.record.version.into(),
                        r.moderation.as_str().into(),
                    ]);
                    links.links(id, &d.countries, &d.regions, &d.categories, &d.sdgs);
                    add_extras(&mut links, id, &r);
                    report.created += 1;
                    (id, ChangeKind::Created, None)
                }
            };
            changes.push(vec![
                kind.as_str().into(),
                id.into(),
                actor.into(),
                self.at.into(),
                before.map(|m| m.as_str().to_owned()).into(),
                r.moderation.as_str().into(),
            ]);
        }
        entries.flush(self.txn).await?;
        links.flush(self.txn).await?;
        changes.flush(self.txn).await?;
        Ok(())
    }

    /// Rewrites an existing entry from a row: fields as given (version and times included),
    /// every link list, prizes, repositories and external references.
    async fn replace(&self, id: i64, r: &Row) -> Result<(), DbErr> {
        let d = &r.data;
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
            .col_expr(entry::Column::CreatedAt, Expr::value(r.created_at))
            .col_expr(entry::Column::UpdatedAt, Expr::value(r.updated_at))
            .col_expr(entry::Column::Version, Expr::value(r.record.version))
            .col_expr(entry::Column::Moderation, Expr::value(r.moderation))
            .filter(entry::Column::Id.eq(id))
            .exec(self.txn)
            .await?;
        let previous = writes::load(self.txn, id).await?.map(|(_, p)| p);
        if let Some(previous) = previous {
            let data = writes::EntryData {
                contact: previous.contact.clone(),
                ..d.clone()
            };
            writes::replace_links(self.txn, id, &data, &previous).await?;
        }
        prize::Entity::delete_many()
            .filter(prize::Column::EntryId.eq(id))
            .exec(self.txn)
            .await?;
        repository_entry::Entity::delete_many()
            .filter(repository_entry::Column::EntryId.eq(id))
            .exec(self.txn)
            .await?;
        external_ref::Entity::delete_many()
            .filter(external_ref::Column::EntryId.eq(id))
            .exec(self.txn)
            .await?;
        let mut extras = LinkRows::new();
        add_extras(&mut extras, id, r);
        extras.flush(self.txn).await?;
        Ok(())
    }

    /// Moves PostgreSQL's id sequence past the ids written explicitly.
    async fn finish(&self) -> Result<(), DbErr> {
        if self.wrote_ids && self.txn.get_database_backend() == DbBackend::Postgres {
            self.txn
                .execute_unprepared(
                    "SELECT setval(pg_get_serial_sequence('entries', 'id'), GREATEST((SELECT MAX(id) FROM entries), 1))",
                )
                .await?;
        }
        Ok(())
    }
}
