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

use chrono::{DateTime, Utc};
use entity::enums::{ChangeKind, Moderation};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};

use crate::catalog::Catalog;
use crate::ingest::check::{Row, check};
use crate::ingest::record::{self, CSV_HEADER, Record, RowError};
use crate::store::{self, bulk::EntryRows, writes};

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
            // Files written before the Compact's column existed lack only that last column.
            let columns = record::csv_columns().count();
            let current = names.iter().copied().eq(record::csv_columns());
            let older = names.len() + 1 == columns && names.iter().copied().eq(record::csv_columns().take(columns - 1));
            if !(current || older) {
                anyhow::bail!(
                    "{}: line 1: the header must be the export's: {}",
                    path.display(),
                    CSV_HEADER
                );
            }
            for row in csv.records() {
                match row {
                    Ok(row) => {
                        let line = row.position().map_or(0, |p| p.line() as usize);
                        each(line, record::from_csv(line, &row))?;
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
            store::facets::rebuild_summary(&txn).await?;
        }
        txn.commit().await?;
        report.written = report.created + report.updated > 0;
    }
    Ok(report)
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
        let (next_id, next_number) = store::import::next_keys(txn).await?;
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
        let names: Vec<&str> = missing.into_iter().collect();
        for (name, id) in store::import::organisations_named(self.txn, &names).await? {
            self.organisations.entry(name).or_insert(id);
        }
        for r in rows {
            let o = &r.record.organisation;
            if self.organisations.contains_key(&o.name) {
                continue;
            }
            let (country, website) = (o.country.clone(), o.website.clone());
            let id = store::import::insert_organisation(
                self.txn,
                &o.name,
                r.stakeholder_type,
                country,
                website,
                r.entry.created_at,
            )
            .await?;
            self.organisations.insert(o.name.clone(), id);
        }
        Ok(())
    }

    async fn write(&mut self, cat: &Catalog, mut rows: Vec<Row>, report: &mut Report) -> anyhow::Result<()> {
        self.organisations(&rows).await?;
        for r in &mut rows {
            r.entry.data.organisation_id = self.organisations[&r.record.organisation.name];
        }
        // Which rows exist already, by number or by external id.
        let existing = match &self.source {
            None => {
                let numbers: Vec<i64> = rows.iter().map(|r| r.record.number).collect();
                store::import::by_numbers(self.txn, &numbers).await?
            }
            Some(source) => {
                let keys: Vec<String> = rows.iter().filter_map(|r| r.key.clone()).collect();
                store::import::by_external(self.txn, source, &keys).await?
            }
        };
        let key_of = |r: &Row| r.key.clone().unwrap_or_else(|| r.record.number.to_string());
        let stored_numbers: Vec<i64> = existing.values().map(|(_, n)| *n).collect();
        let stored: HashMap<i64, Record> = store::export::by_numbers(self.txn, &stored_numbers)
            .await?
            .into_iter()
            .map(|full| Record::of(full, cat))
            .map(|r| (r.number, r))
            .collect();
        let mut out = EntryRows::default();
        let actor = "import";
        for mut r in rows {
            let (kind, before) = match existing.get(&key_of(&r)) {
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
                    r.entry.id = id;
                    r.entry.number = number;
                    store::import::replace(self.txn, &r.entry).await?;
                    out.replaced(id);
                    report.updated += 1;
                    (ChangeKind::Updated, Moderation::parse(&old.moderation))
                }
                None => {
                    r.entry.id = self.next_id;
                    self.next_id += 1;
                    self.wrote_ids = true;
                    if self.source.is_some() {
                        r.record.number = self.next_number;
                    }
                    r.entry.number = r.record.number;
                    self.next_number = self.next_number.max(r.record.number + 1);
                    out.entry(&r.entry);
                    report.created += 1;
                    (ChangeKind::Created, None)
                }
            };
            out.change(None, kind, r.entry.id, actor, self.at, (before, r.entry.moderation));
        }
        out.flush(self.txn).await?;
        Ok(())
    }

    /// Moves PostgreSQL's id sequence past the ids written explicitly.
    async fn finish(&self) -> Result<(), DbErr> {
        if self.wrote_ids {
            store::bulk::advance_sequences(self.txn, &[("entries", "id")]).await?;
        }
        Ok(())
    }
}
