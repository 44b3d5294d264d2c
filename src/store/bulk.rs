//! Bulk writes for the demo generator and the importer: whole entries (fields, links,
//! contact, prizes, repositories, external references) and their change-log rows, as
//! multi-row INSERTs with explicit ids.

use chrono::{DateTime, Utc};
use entity::enums::{ChangeKind, Moderation, PrizeResult};
use entity::organisation;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use crate::store::link_tables::{CATEGORIES, COUNTRIES, GDC_OBJECTIVES, REGIONS, SDGS};
use crate::store::writes::EntryData;

/// Bind parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMS: usize = 16_000;

/// The columns of `entries` a bulk writer sets.
const ENTRY_COLUMNS: &[&str] = &[
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
];

/// The columns of `changes` a bulk writer sets: `seq` only when it numbers the log itself.
static CHANGE_COLUMNS: [&str; 7] = [
    "seq",
    "kind",
    "entry_id",
    "actor",
    "at",
    "moderation_before",
    "moderation_after",
];

/// An entry as a bulk writer stores it: what is written about it, and what a bulk writer
/// sets explicitly (ids, times, version, state, prizes, repositories, external ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub number: i64,
    pub data: EntryData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub moderation: Moderation,
    /// `(year, category, result)`.
    pub prizes: Vec<(i32, String, PrizeResult)>,
    pub repositories: Vec<i32>,
    /// `(source, external id)`.
    pub external_refs: Vec<(String, String)>,
}

/// Rows for one table, flushed as multi-row INSERTs.
pub struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Rows {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let per = (MAX_PARAMS / self.columns.len()).max(1);
        for chunk in self.rows.chunks(per) {
            let mut q = Query::insert();
            q.into_table(Alias::new(self.table))
                .columns(self.columns.iter().map(|c| Alias::new(*c)));
            for row in chunk {
                q.values_panic(row.iter().cloned().map(Into::into));
            }
            db.execute(&q).await?;
        }
        self.rows.clear();
        Ok(())
    }
}

/// Whole entries and their change-log rows, flushed together (entries first).
pub struct EntryRows {
    entries: Rows,
    countries: Rows,
    regions: Rows,
    categories: Rows,
    sdgs: Rows,
    gdc_objectives: Rows,
    contacts: Rows,
    extras: ExtraRows,
    changes: Rows,
    numbered_changes: Rows,
    /// Entries to (re)index for search once the rows are in.
    indexed: Vec<i64>,
}

/// An entry's prizes, repositories and external references.
pub struct ExtraRows {
    prizes: Rows,
    repositories: Rows,
    external: Rows,
}

impl ExtraRows {
    pub fn new() -> Self {
        ExtraRows {
            prizes: Rows::new("prizes", &["entry_id", "year", "category", "result"]),
            repositories: Rows::new("repository_entries", &["entry_id", "repository_id"]),
            external: Rows::new("external_refs", &["entry_id", "source", "external_id"]),
        }
    }

    pub fn add(&mut self, e: &EntryRow) {
        for (year, category, result) in &e.prizes {
            let row = vec![
                e.id.into(),
                (*year).into(),
                category.clone().into(),
                result.as_str().into(),
            ];
            self.prizes.push(row);
        }
        for r in &e.repositories {
            self.repositories.push(vec![e.id.into(), (*r).into()]);
        }
        for (source, id) in &e.external_refs {
            self.external
                .push(vec![e.id.into(), source.clone().into(), id.clone().into()]);
        }
    }

    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        for table in [&mut self.prizes, &mut self.repositories, &mut self.external] {
            table.flush(db).await?;
        }
        Ok(())
    }
}

impl Default for ExtraRows {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for EntryRows {
    fn default() -> Self {
        EntryRows {
            entries: Rows::new("entries", ENTRY_COLUMNS),
            countries: Rows::new(COUNTRIES.0, COUNTRIES.1),
            regions: Rows::new(REGIONS.0, REGIONS.1),
            categories: Rows::new(CATEGORIES.0, CATEGORIES.1),
            sdgs: Rows::new(SDGS.0, SDGS.1),
            gdc_objectives: Rows::new(GDC_OBJECTIVES.0, GDC_OBJECTIVES.1),
            contacts: Rows::new("contacts", &["entry_id", "name", "email", "phone"]),
            extras: ExtraRows::new(),
            changes: Rows::new("changes", &CHANGE_COLUMNS[1..]),
            numbered_changes: Rows::new("changes", &CHANGE_COLUMNS),
            indexed: Vec::new(),
        }
    }
}

impl EntryRows {
    /// A whole entry.
    pub fn entry(&mut self, e: &EntryRow) {
        let d = &e.data;
        self.indexed.push(e.id);
        self.entries.push(vec![
            e.id.into(),
            e.number.into(),
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
            e.created_at.into(),
            e.updated_at.into(),
            e.version.into(),
            e.moderation.as_str().into(),
        ]);
        for c in &d.countries {
            self.countries.push(vec![e.id.into(), c.clone().into()]);
        }
        for r in &d.regions {
            self.regions.push(vec![e.id.into(), r.clone().into()]);
        }
        for c in &d.categories {
            self.categories.push(vec![e.id.into(), c.clone().into()]);
        }
        for n in &d.sdgs {
            self.sdgs.push(vec![e.id.into(), (*n).into()]);
        }
        for code in &d.gdc_objectives {
            self.gdc_objectives.push(vec![e.id.into(), code.clone().into()]);
        }
        if let Some(c) = &d.contact {
            let row = vec![
                e.id.into(),
                c.name.clone().into(),
                c.email.clone().into(),
                c.phone.clone().into(),
            ];
            self.contacts.push(row);
        }
        self.extras.add(e);
    }

    /// A change-log row; `seq` given by writers that number the log themselves (the demo).
    pub fn change(
        &mut self,
        seq: Option<i64>,
        kind: ChangeKind,
        entry_id: i64,
        actor: &str,
        at: DateTime<Utc>,
        moderation: (Option<Moderation>, Moderation),
    ) {
        let mut row: Vec<Value> = vec![
            kind.as_str().into(),
            entry_id.into(),
            actor.into(),
            at.into(),
            moderation.0.map(|m| m.as_str().to_owned()).into(),
            moderation.1.as_str().into(),
        ];
        match seq {
            Some(seq) => {
                row.insert(0, seq.into());
                self.numbered_changes.push(row);
            }
            None => self.changes.push(row),
        }
    }

    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        for table in [
            &mut self.entries,
            &mut self.countries,
            &mut self.regions,
            &mut self.categories,
            &mut self.sdgs,
            &mut self.gdc_objectives,
            &mut self.contacts,
        ] {
            table.flush(db).await?;
        }
        self.extras.flush(db).await?;
        self.changes.flush(db).await?;
        self.numbered_changes.flush(db).await?;
        crate::store::search::index(db, &self.indexed).await?;
        self.indexed.clear();
        Ok(())
    }

    /// An entry rewritten in place (by [`crate::store::import::replace`]), to be reindexed with
    /// the rest.
    pub fn replaced(&mut self, id: i64) {
        self.indexed.push(id);
    }
}

/// Writes organisations with their ids.
pub async fn organisations(db: &impl ConnectionTrait, orgs: &[organisation::Model]) -> Result<(), DbErr> {
    let mut rows = Rows::new(
        "organisations",
        &[
            "id",
            "name",
            "stakeholder_type",
            "country",
            "website",
            "created_at",
            "search_name",
        ],
    );
    for o in orgs {
        rows.push(vec![
            o.id.into(),
            o.name.clone().into(),
            o.stakeholder_type.as_str().into(),
            o.country.clone().into(),
            o.website.clone().into(),
            o.created_at.into(),
            crate::fold::document(&o.name).into(),
        ]);
    }
    rows.flush(db).await
}

/// Refreshes PostgreSQL's planner statistics after a bulk write (seed, import), so the next
/// queries are planned on the data as it now is rather than waiting for autovacuum. (SQLite
/// plans without statistics here, which suits its small databases.)
pub async fn analyze(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// After rows were written with explicit ids (seed, import, restore): moves each
/// `(table, column)`'s PostgreSQL sequence past the largest id, so the next insert gets a new
/// one. (SQLite's integer keys follow the largest row by themselves.)
pub async fn advance_sequences(db: &impl ConnectionTrait, columns: &[(&str, &str)]) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for (table, col) in columns {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{col}'), GREATEST((SELECT MAX({col}) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}
