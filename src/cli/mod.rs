//! The commands, one file each; [`run`] dispatches.

pub mod api_key;
pub mod args;
pub mod export;
pub mod import;
pub mod seed;
pub mod serve;

use anyhow::Context as _;
use sea_orm::DatabaseConnection;

use crate::cli::args::{Cli, Command};
use crate::{db, graphql};

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.db.database_url.as_str();
    // `stocktaking` alone serves, reading the same flags and variables as `stocktaking serve`.
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Schema => {
            print!("{}", graphql::schema::sdl());
            Ok(())
        }
        Command::Migrate => {
            let db = connect(url).await?;
            tracing::info!(backend = db::backend_name(&db), "migrations applied");
            Ok(())
        }
        Command::Seed(args) => seed::run(url, args).await,
        Command::Serve(args) => serve::run(url, args).await,
        Command::ApiKey(cmd) => api_key::run(url, cmd).await,
        Command::Export(args) => export::run(url, *args).await,
        Command::Import(args) => import::run(url, args).await,
    }
}

/// Connects to `DATABASE_URL` and applies pending migrations: every command starts here.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    Ok(db)
}
