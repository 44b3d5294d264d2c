//! Writing the generated dataset: multi-row INSERTs in batched transactions.

use entity::enums::{ChangeKind, Moderation};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::generate::Plan;
use crate::store::bulk::{self, EntryRow, EntryRows};
use entity::organisation;

/// Entries per transaction.
const CHUNK: usize = 2_000;

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
    let orgs: Vec<organisation::Model> = plan
        .organisations
        .iter()
        .map(|o| organisation::Model {
            id: o.id,
            name: o.name.clone(),
            stakeholder_type: o.stakeholder,
            country: o.country.clone(),
            website: Some(format!("https://www.{}", o.domain)),
            created_at: o.created_at,
        })
        .collect();
    bulk::organisations(&txn, &orgs).await?;
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
    bulk::advance_sequences(
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

async fn write_entries(db: &impl ConnectionTrait, entries: &[EntryRow]) -> Result<(), sea_orm::DbErr> {
    let mut rows = EntryRows::default();
    for e in entries {
        rows.entry(e);
        // The log as if each entry had been published (or submitted) once, numbered by entry.
        let kind = if e.moderation == Moderation::Published {
            ChangeKind::Published
        } else {
            ChangeKind::Created
        };
        rows.change(Some(e.id), kind, e.id, "demo", e.updated_at, (None, e.moderation));
    }
    rows.flush(db).await
}
