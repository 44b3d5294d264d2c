//! `stocktaking export`: the operator's export to stdout, or with `--full` the backup.

use crate::cli::args::ExportArgs;
use crate::ingest::export::{self, Format};
use crate::store;

/// `stocktaking export`: the operator's export (every entry the filter matches, whatever its
/// state; published ones by default, as everywhere).
pub async fn run(url: &str, args: ExportArgs) -> anyhow::Result<()> {
    use futures_util::StreamExt;
    use std::io::Write;
    let db = super::connect(url).await?;
    if args.full {
        if args.format != Format::Ndjson || !args.pairs().is_empty() {
            anyhow::bail!("--full exports everything as NDJSON: it takes no --format csv and no filter");
        }
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        return match store::backup::export(&db, &mut out).await {
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                Ok(())
            }
            other => other.map(|_| ()),
        };
    }
    let catalog = std::sync::Arc::new(crate::store::catalog::load(&db).await?);
    let format = args.format;
    let filter = export::filter_from_query(&catalog, &args.pairs()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let condition = export::condition(&db, &catalog, &filter, store::visibility::everything())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut stream = std::pin::pin!(export::stream(db, catalog, condition, format));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        match out.write_all(&chunk) {
            Ok(()) => {}
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
