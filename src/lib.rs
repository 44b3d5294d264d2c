//! stocktaking: the GraphQL API server for the WSIS Stocktaking database.
//!
//! The binary (`src/main.rs`) only parses the command line and calls [`run`]; the tests build
//! the same router over their own databases.

pub mod app;
pub mod catalog;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod http;
pub mod store;

use anyhow::Context as _;
use entity::entry;
use sea_orm::{EntityTrait, PaginatorTrait};
use tokio::net::TcpListener;

use crate::config::{Cli, Command, SeedArgs, ServeArgs};

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Schema => {
            print!("{}", graphql::schema::sdl());
            Ok(())
        }
        Command::Migrate => {
            let db = db::connect(&cli.db.database_url)
                .await
                .context("connecting to DATABASE_URL")?;
            db::migrate(&db).await.context("migrating")?;
            tracing::info!(backend = db::backend_name(&db), "migrations applied");
            Ok(())
        }
        Command::Seed(args) => seed(&cli.db.database_url, args).await,
        Command::Serve(args) => serve(&cli.db.database_url, args).await,
    }
}

async fn seed(url: &str, args: SeedArgs) -> anyhow::Result<()> {
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    let catalog = catalog::Catalog::load(&db).await?;
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

async fn serve(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    let embedded = url.starts_with("sqlite:");
    if embedded && !args.no_demo && entry::Entity::find().count(&db).await? == 0 {
        let catalog = catalog::Catalog::load(&db).await?;
        tracing::info!(
            entries = demo::DEFAULT_ENTRIES,
            "empty embedded database: loading the demo dataset (once; --no-demo skips it)"
        );
        let report = demo::seed(&db, &catalog, demo::DEFAULT_ENTRIES, demo::DEFAULT_SEED, true).await?;
        tracing::info!(
            entries = report.entries,
            organisations = report.organisations,
            seconds = report.elapsed.as_secs_f64(),
            "demo dataset loaded"
        );
    }
    let state = app::AppState::new(db).await?;
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    tracing::info!(
        "serving GraphQL at http://{}/graphql (GraphiQL at http://{}/)",
        listener.local_addr()?,
        listener.local_addr()?
    );
    axum::serve(listener, app::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("shut down");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then drain.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; draining in-flight requests");
}
