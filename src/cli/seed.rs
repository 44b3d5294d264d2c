//! `stocktaking seed`: the deterministic demo dataset.

use crate::cli::args::SeedArgs;
use crate::demo;

pub async fn run(url: &str, args: SeedArgs) -> anyhow::Result<()> {
    let db = super::connect(url).await?;
    let catalog = crate::store::catalog::load(&db).await?;
    tracing::info!(entries = args.entries, seed = args.seed, "writing the demo dataset");
    let report = demo::seed(&db, &catalog, args.entries, args.seed, true).await?;
    tracing::info!(
        entries = report.entries,
        organisations = report.organisations,
        seconds = report.elapsed.as_secs_f64(),
        "demo dataset written"
    );
    Ok(())
}
