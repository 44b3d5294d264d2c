//! `stocktaking import FILE`: an export file (NDJSON or CSV) through the importer, or a full
//! backup restored whole.

use anyhow::Context as _;

use crate::cli::args::ImportArgs;
use crate::ingest::import::{Options, import};
use crate::store;

/// `stocktaking import`: reports every bad row (line, field, reason) on stderr and a summary
/// on stdout; fails, having written nothing, when a row is bad and --skip-invalid is not given.
pub async fn run(url: &str, args: ImportArgs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let db = super::connect(url).await?;
    if is_backup_file(&args.file)? {
        if args.source.is_some() || args.dry_run || args.skip_invalid {
            anyhow::bail!("a full backup is restored whole: --source, --dry-run and --skip-invalid do not apply");
        }
        let started = std::time::Instant::now();
        let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
        let rows = store::backup::restore(&db, std::io::BufReader::with_capacity(1 << 16, file))
            .await
            .with_context(|| format!("restoring {}; nothing was written", args.file.display()))?;
        println!(
            "restored {rows} rows from the full backup ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let catalog = std::sync::Arc::new(crate::store::catalog::load(&db).await?);
    let opts = Options {
        source: args.source.clone(),
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        progress: std::io::stderr().is_terminal(),
    };
    let started = std::time::Instant::now();
    let report = import(&db, &catalog, &args.file, &opts).await?;
    if report.written {
        store::bulk::analyze(&db).await.context("analysing")?;
    }
    for e in &report.invalid {
        eprintln!("{}: {e}", args.file.display());
    }
    let bad_rows = report
        .invalid
        .iter()
        .map(|e| e.line)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if bad_rows > 0 && !args.skip_invalid {
        anyhow::bail!(
            "{} of {} rows are invalid ({} problems); nothing was imported",
            bad_rows,
            report.rows,
            report.invalid.len()
        );
    }
    println!(
        "{}{} rows: {} created, {} updated, {} unchanged, {} skipped as invalid ({:.1} s)",
        if args.dry_run { "dry run, nothing written: " } else { "" },
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        bad_rows,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Whether `path` starts with a full backup's header line.
fn is_backup_file(path: &std::path::Path) -> anyhow::Result<bool> {
    use std::io::{BufRead, Read};
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut first = String::new();
    // A header is short; a long first line is an ordinary export row, and a file that is not
    // text is left to the importer to report.
    let read = std::io::BufReader::new(file.take(4096)).read_line(&mut first);
    Ok(read.is_ok() && store::backup::is_backup(first.trim_end()))
}
