//! The full backup: `stocktaking export --full` writes the whole installation — every entry in
//! every state with its links, contacts, moderation notes, external references, prizes and
//! repositories, the organisations, the change log and the API keys (hashes, roles, bindings,
//! revocations) — as one NDJSON stream; `stocktaking import` of that stream restores it into an
//! empty database exactly, on either backend.
//!
//! The stream: a header line naming the format and its version, then one line per row
//! (`{"table": …, "row": {…}}`), table by table in the order below and each table in primary-key
//! order, then an end line with the row count (a truncated file is refused). The row is the
//! table's own columns, so a full export of a restored database is byte-identical to the file
//! it was restored from. Reference data (Action Lines, SDGs, countries, regions, repositories)
//! comes with the migrations and the facet summary is rebuilt, so neither is in the file.

use std::io::{BufRead, Write};

use entity::{
    api_key, change, contact, entry, entry_category, entry_country, entry_gdc_objective, entry_region, entry_sdg,
    external_ref, organisation, prize, repository_entry,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, Iterable,
    PaginatorTrait, PrimaryKeyToColumn, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// The header's format name.
pub const FORMAT: &str = "stocktaking-full";
/// The format's version: a restore refuses any other.
pub const VERSION: u32 = 1;

/// Rows read per page while exporting, and written per statement while restoring.
const PAGE: u64 = 2_000;
/// Bind parameters per INSERT.
const MAX_PARAMS: usize = 16_000;

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Serialize)]
struct Row<'a, M> {
    table: &'a str,
    row: &'a M,
}

#[derive(Serialize, Deserialize)]
struct End {
    rows: u64,
}

/// A line of the stream, as read back.
#[derive(Deserialize)]
#[serde(untagged)]
enum Line {
    Row { table: String, row: serde_json::Value },
    End { end: End },
}

/// Calls `$m!(module, "table")` for every table of the backup, in the order they are written
/// and restored (a table after those it refers to).
macro_rules! tables {
    ($m:ident) => {
        $m!(organisation, "organisations");
        $m!(entry, "entries");
        $m!(entry_country, "entry_countries");
        $m!(entry_region, "entry_regions");
        $m!(entry_category, "entry_categories");
        $m!(entry_sdg, "entry_sdgs");
        $m!(entry_gdc_objective, "entry_gdc_objectives");
        $m!(contact, "contacts");
        $m!(external_ref, "external_refs");
        $m!(prize, "prizes");
        $m!(repository_entry, "repository_entries");
        $m!(change, "changes");
        $m!(api_key, "api_keys");
    };
}

/// The tables whose ids come from a sequence on PostgreSQL: moved past the restored ids.
const SEQUENCES: [(&str, &str); 6] = [
    ("organisations", "id"),
    ("entries", "id"),
    ("external_refs", "id"),
    ("prizes", "id"),
    ("changes", "seq"),
    ("api_keys", "id"),
];

/// Writes the full backup of `db` to `out`; returns the rows written.
pub async fn export(db: &DatabaseConnection, out: &mut impl Write) -> anyhow::Result<u64> {
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
    };
    serde_json::to_writer(&mut *out, &header)?;
    out.write_all(b"\n")?;
    let mut rows = 0;
    macro_rules! dump {
        ($module:ident, $table:literal) => {
            rows += dump::<$module::Entity>(db, $table, out).await?;
        };
    }
    tables!(dump);
    serde_json::to_writer(&mut *out, &serde_json::json!({ "end": End { rows } }))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(rows)
}

/// One table, in primary-key order, a page at a time (constant memory).
async fn dump<E>(db: &DatabaseConnection, table: &str, out: &mut impl Write) -> anyhow::Result<u64>
where
    E: EntityTrait,
    E::Model: Serialize + Sync,
{
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let pages = query.paginate(db, PAGE);
    let mut n = 0;
    for page in 0.. {
        let models = pages.fetch_page(page).await?;
        if models.is_empty() {
            break;
        }
        for row in &models {
            serde_json::to_writer(&mut *out, &Row { table, row })?;
            out.write_all(b"\n")?;
        }
        n += models.len() as u64;
    }
    Ok(n)
}

/// Whether the first line of `first_line` is a full backup's header.
pub fn is_backup(first_line: &str) -> bool {
    serde_json::from_str::<Header>(first_line).is_ok_and(|h| h.format == FORMAT)
}

/// Restores a full backup into `db`, which must hold no entries, organisations, keys or changes
/// (migrated, reference data only). All or nothing: one transaction. Returns the rows restored.
pub async fn restore(db: &DatabaseConnection, input: impl BufRead) -> anyhow::Result<u64> {
    let mut lines = input.lines();
    let header: Header = match lines.next() {
        Some(line) => serde_json::from_str(&line?).map_err(|_| anyhow::anyhow!("line 1 is not a backup's header"))?,
        None => anyhow::bail!("the file is empty"),
    };
    if header.format != FORMAT || header.version != VERSION {
        anyhow::bail!(
            "the file is format {} version {}; this server restores {FORMAT} version {VERSION}",
            header.format,
            header.version
        );
    }
    for (table, count) in [
        ("organisations", organisation::Entity::find().count(db).await?),
        ("entries", entry::Entity::find().count(db).await?),
        ("changes", change::Entity::find().count(db).await?),
        ("api_keys", api_key::Entity::find().count(db).await?),
    ] {
        if count > 0 {
            anyhow::bail!("a backup restores into an empty database only, and {table} holds {count} rows");
        }
    }
    let txn = db.begin().await?;
    let mut batch = Batch::default();
    let mut rows = 0u64;
    let mut end = None;
    for (i, line) in lines.enumerate() {
        let number = i + 2;
        let line = line?;
        if end.is_some() {
            anyhow::bail!("line {number}: rows after the end line");
        }
        match serde_json::from_str::<Line>(&line) {
            Ok(Line::Row { table, row }) => {
                if batch.table != table {
                    batch.flush(&txn).await?;
                    batch.table = table;
                }
                batch.rows.push((number, row));
                if batch.rows.len() as u64 >= PAGE {
                    batch.flush(&txn).await?;
                }
                rows += 1;
            }
            Ok(Line::End { end: e }) => end = Some(e.rows),
            Err(e) => anyhow::bail!("line {number}: not a backup row: {e}"),
        }
    }
    batch.flush(&txn).await?;
    match end {
        Some(n) if n == rows => {}
        Some(n) => anyhow::bail!("the end line counts {n} rows but the file holds {rows}"),
        None => anyhow::bail!("the file has no end line: it is truncated"),
    }
    crate::store::bulk::advance_sequences(&txn, &SEQUENCES).await?;
    txn.commit().await?;
    crate::store::search::ensure_index(db).await?;
    crate::store::organisations::ensure_folded_names(db).await?;
    crate::store::facets::rebuild_summary(db).await?;
    crate::store::bulk::analyze(db).await?;
    Ok(rows)
}

/// Rows of one table waiting to be inserted.
#[derive(Default)]
struct Batch {
    table: String,
    /// Each row with its line number.
    rows: Vec<(usize, serde_json::Value)>,
}

impl Batch {
    async fn flush(&mut self, txn: &impl ConnectionTrait) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        macro_rules! insert {
            ($module:ident, $table:literal) => {
                if self.table == $table {
                    return insert::<$module::ActiveModel>(txn, $table, rows).await;
                }
            };
        }
        tables!(insert);
        let line = rows.first().map_or(0, |(n, _)| *n);
        anyhow::bail!("line {line}: unknown table `{}`", self.table)
    }
}

async fn insert<A>(txn: &impl ConnectionTrait, table: &str, rows: Vec<(usize, serde_json::Value)>) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + for<'de> Deserialize<'de>,
{
    let mut models = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let model: <A::Entity as EntityTrait>::Model =
            serde_json::from_value(row).map_err(|e| anyhow::anyhow!("line {line}: not a row of {table}: {e}"))?;
        // Every column is written as it was, ids included.
        models.push(model.into_active_model().reset_all());
    }
    // Under SQLite's bind-parameter limit (32,766) and PostgreSQL's (65,535).
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per = (MAX_PARAMS / columns).max(1);
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<A> = models.by_ref().take(per).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(txn)
            .await
            .map_err(|e: DbErr| anyhow::anyhow!("restoring {table}: {e}"))?;
    }
    Ok(())
}
