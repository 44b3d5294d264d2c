//! Writing the generated dataset: multi-row INSERTs in batched transactions.

use entity::enums::{ChangeKind, Moderation};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait, Value};

use super::generate::{Entry, Plan};

/// Entries per transaction.
const CHUNK: usize = 2_000;
/// Bind parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMS: usize = 16_000;

/// Rows for one table, flushed as multi-row INSERTs.
pub(crate) struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
}

impl Rows {
    pub(crate) fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Rows {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    pub(crate) async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
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

/// The rows of entries' links, prizes, repositories and external references, for multi-row
/// INSERTs: shared by the demo writer and the importer. Flush after the entries themselves.
pub(crate) struct LinkRows {
    countries: Rows,
    regions: Rows,
    categories: Rows,
    sdgs: Rows,
    prizes: Rows,
    repositories: Rows,
    external: Rows,
}

impl LinkRows {
    pub(crate) fn new() -> Self {
        LinkRows {
            countries: Rows::new("entry_countries", &["entry_id", "country"]),
            regions: Rows::new("entry_regions", &["entry_id", "region"]),
            categories: Rows::new("entry_categories", &["entry_id", "action_line"]),
            sdgs: Rows::new("entry_sdgs", &["entry_id", "sdg"]),
            prizes: Rows::new("prizes", &["entry_id", "year", "category", "result"]),
            repositories: Rows::new("repository_entries", &["entry_id", "repository_id"]),
            external: Rows::new("external_refs", &["entry_id", "source", "external_id"]),
        }
    }

    /// An entry's countries, regional tags, categories and SDGs.
    pub(crate) fn links(
        &mut self,
        id: i64,
        countries: &[String],
        regions: &[String],
        categories: &[String],
        sdgs: &[i32],
    ) {
        for c in countries {
            self.countries.push(vec![id.into(), c.clone().into()]);
        }
        for r in regions {
            self.regions.push(vec![id.into(), r.clone().into()]);
        }
        for c in categories {
            self.categories.push(vec![id.into(), c.clone().into()]);
        }
        for n in sdgs {
            self.sdgs.push(vec![id.into(), (*n).into()]);
        }
    }

    pub(crate) fn prize(&mut self, id: i64, year: i32, category: &str, result: &str) {
        self.prizes.push(vec![
            id.into(),
            year.into(),
            category.to_owned().into(),
            result.to_owned().into(),
        ]);
    }

    pub(crate) fn repository(&mut self, id: i64, repository: i32) {
        self.repositories.push(vec![id.into(), repository.into()]);
    }

    pub(crate) fn external(&mut self, id: i64, source: &str, external_id: &str) {
        self.external
            .push(vec![id.into(), source.to_owned().into(), external_id.to_owned().into()]);
    }

    pub(crate) async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        for table in [
            &mut self.countries,
            &mut self.regions,
            &mut self.categories,
            &mut self.sdgs,
            &mut self.prizes,
            &mut self.repositories,
            &mut self.external,
        ] {
            table.flush(db).await?;
        }
        Ok(())
    }
}

fn bar(len: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} entries ({per_sec}, {eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("seeding");
    bar
}

pub async fn write(db: &DatabaseConnection, plan: &Plan<'_>, progress: bool) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    let mut orgs = Rows::new(
        "organisations",
        &["id", "name", "stakeholder_type", "country", "website", "created_at"],
    );
    for o in &plan.organisations {
        orgs.push(vec![
            o.id.into(),
            o.name.clone().into(),
            o.stakeholder.as_str().into(),
            o.country.clone().into(),
            Some(format!("https://www.{}", o.domain)).into(),
            o.created_at.into(),
        ]);
    }
    orgs.flush(&txn).await?;
    txn.commit().await?;

    let bar = bar(plan.len() as u64, progress);
    let mut start = 0;
    while start < plan.len() {
        let end = (start + CHUNK).min(plan.len());
        let entries = plan.entries(start..end);
        let txn = db.begin().await?;
        write_entries(&txn, &entries).await?;
        txn.commit().await?;
        bar.inc((end - start) as u64);
        start = end;
    }
    bar.finish_and_clear();

    // Ids were written explicitly: move the sequences past them.
    crate::db::advance_sequences(
        db,
        &[
            ("organisations", "id"),
            ("entries", "id"),
            ("prizes", "id"),
            ("external_refs", "id"),
            ("changes", "seq"),
        ],
    )
    .await?;
    Ok(())
}

async fn write_entries(db: &impl ConnectionTrait, entries: &[Entry]) -> Result<(), sea_orm::DbErr> {
    let mut rows = Rows::new(
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
    let mut contacts = Rows::new("contacts", &["entry_id", "name", "email", "phone"]);
    let mut changes = Rows::new(
        "changes",
        &[
            "seq",
            "kind",
            "entry_id",
            "actor",
            "at",
            "moderation_before",
            "moderation_after",
        ],
    );
    for e in entries {
        rows.push(vec![
            e.id.into(),
            e.number.into(),
            e.org.into(),
            e.title.clone().into(),
            e.description.clone().into(),
            e.activity.as_str().into(),
            e.status.as_str().into(),
            e.coverage.as_str().into(),
            e.start.into(),
            e.end.into(),
            e.website.clone().into(),
            e.year.into(),
            e.created.into(),
            e.updated.into(),
            e.version.into(),
            e.moderation.as_str().into(),
        ]);
        links.links(e.id, &e.countries, &e.regions, &e.categories, &e.sdgs);
        for p in &e.prizes {
            links.prize(e.id, p.year, &p.category, p.result.as_str());
        }
        for r in &e.repositories {
            links.repository(e.id, *r);
        }
        if let Some((source, id)) = &e.external {
            links.external(e.id, source, id);
        }
        let (name, email, phone) = &e.contact;
        contacts.push(vec![
            e.id.into(),
            name.clone().into(),
            email.clone().into(),
            phone.clone().into(),
        ]);
        let kind = if e.moderation == Moderation::Published {
            ChangeKind::Published
        } else {
            ChangeKind::Created
        };
        changes.push(vec![
            e.id.into(),
            kind.as_str().into(),
            e.id.into(),
            "demo".into(),
            e.updated.into(),
            Option::<String>::None.into(),
            e.moderation.as_str().into(),
        ]);
    }
    rows.flush(db).await?;
    links.flush(db).await?;
    contacts.flush(db).await?;
    changes.flush(db).await?;
    Ok(())
}
