//! The deterministic demo dataset: synthetic entries over the real reference data, shaped like
//! the real stocktaking (growth curve, stakeholder mix, coverage, regions, the WSIS–SDG matrix,
//! WSIS Prize records, the COVID-19 repository). Same entries and seed → identical rows.

mod entry;
mod generate;
mod shape;
mod vocab;
mod write;

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;

/// Entries written by default: the size of the real database.
pub const DEFAULT_ENTRIES: u32 = 12_500;
/// The default random seed (the year of the Geneva summit).
pub const DEFAULT_SEED: u64 = 2003;

/// What a seeding run wrote.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    pub entries: u64,
    pub organisations: u64,
    pub elapsed: Duration,
}

/// Writes the demo dataset into a database that has no entries yet. `progress` shows a
/// progress bar on a terminal.
pub async fn seed(
    db: &DatabaseConnection,
    catalog: &Catalog,
    entries: u32,
    seed: u64,
    progress: bool,
) -> anyhow::Result<Report> {
    let start = Instant::now();
    let existing = crate::store::entries::total(db).await.context("counting entries")?;
    if existing > 0 {
        bail!("the database already has {existing} entries; the demo dataset is written into an empty one");
    }
    if entries == 0 {
        bail!("--entries must be at least 1");
    }
    let plan = generate::Plan::new(catalog, entries, seed);
    let organisations = plan.organisations.len() as u64;
    write::write(db, &plan, progress).await?;
    // Fresh statistics, or PostgreSQL plans the summary's rebuild and the first reads blind
    // (a region's latest entries at 1,000,000 took 36 s instead of milliseconds).
    crate::store::bulk::analyze(db).await.context("analysing")?;
    crate::store::facets::ensure_summary(db)
        .await
        .context("counting the facet summary")?;
    Ok(Report {
        entries: u64::from(entries),
        organisations,
        elapsed: start.elapsed(),
    })
}
