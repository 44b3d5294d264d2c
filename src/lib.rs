//! stocktaking: the GraphQL API server for the WSIS Stocktaking database.
//!
//! The binary (`src/main.rs`) only parses the command line and calls [`run`]; the tests build
//! the same router over their own databases.

pub mod app;
pub mod auth;
pub mod backup;
pub mod catalog;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod export;
pub mod graphql;
pub mod http;
pub mod import;
pub mod operations;
pub mod ratelimit;
pub mod store;
pub mod telemetry;

use anyhow::Context as _;
use entity::entry;
use sea_orm::{EntityTrait, PaginatorTrait};
use tokio::net::TcpListener;

use crate::config::{ApiKeyCommand, Cli, Command, CreateKeyArgs, ExportArgs, ImportArgs, SeedArgs, ServeArgs};

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // `stocktaking` alone serves, reading the same flags and variables as `stocktaking serve`.
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
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
        Command::ApiKey(cmd) => api_key(&cli.db.database_url, cmd).await,
        Command::Export(args) => export_cmd(&cli.db.database_url, *args).await,
        Command::Import(args) => import_cmd(&cli.db.database_url, args).await,
    }
}

/// `stocktaking import`: reports every bad row (line, field, reason) on stderr and a summary
/// on stdout; fails, having written nothing, when a row is bad and --skip-invalid is not given.
async fn import_cmd(url: &str, args: ImportArgs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    if is_backup_file(&args.file)? {
        if args.source.is_some() || args.dry_run || args.skip_invalid {
            anyhow::bail!("a full backup is restored whole: --source, --dry-run and --skip-invalid do not apply");
        }
        let started = std::time::Instant::now();
        let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
        let rows = backup::restore(&db, std::io::BufReader::with_capacity(1 << 16, file))
            .await
            .with_context(|| format!("restoring {}; nothing was written", args.file.display()))?;
        println!(
            "restored {rows} rows from the full backup ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let catalog = std::sync::Arc::new(catalog::Catalog::load(&db).await?);
    let opts = import::Options {
        source: args.source.clone(),
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        progress: std::io::stderr().is_terminal(),
    };
    let started = std::time::Instant::now();
    let report = import::import(&db, &catalog, &args.file, &opts).await?;
    if report.written {
        db::analyze(&db).await.context("analysing")?;
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
    Ok(read.is_ok() && backup::is_backup(first.trim_end()))
}

/// `stocktaking export`: the operator's export (every entry the filter matches, whatever its
/// state; published ones by default, as everywhere).
async fn export_cmd(url: &str, args: ExportArgs) -> anyhow::Result<()> {
    use futures_util::StreamExt;
    use std::io::Write;
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    if args.full {
        if args.format != "ndjson" || !args.pairs().is_empty() {
            anyhow::bail!("--full exports everything as NDJSON: it takes no --format csv and no filter");
        }
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        return match backup::export(&db, &mut out).await {
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                Ok(())
            }
            other => other.map(|_| ()),
        };
    }
    let catalog = std::sync::Arc::new(catalog::Catalog::load(&db).await?);
    let format = if args.format == "csv" {
        export::Format::Csv
    } else {
        export::Format::Ndjson
    };
    let filter = export::filter_from_query(&args.pairs()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let condition =
        export::condition(&db, &catalog, &filter, sea_orm::Condition::all()).map_err(|e| anyhow::anyhow!("{e}"))?;
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

async fn api_key(url: &str, cmd: ApiKeyCommand) -> anyhow::Result<()> {
    let db = db::connect(url).await.context("connecting to DATABASE_URL")?;
    db::migrate(&db).await.context("migrating")?;
    match cmd {
        ApiKeyCommand::Create(args) => {
            let catalog = catalog::Catalog::load(&db).await?;
            let new = new_key(&db, &catalog, args).await?;
            let (row, key) = auth::create_key(&db, new).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "created API key {} ({}); it is shown only this once:",
                row.id,
                describe_key(&row)
            );
            println!("{key}");
        }
        ApiKeyCommand::List => {
            let keys = auth::list_keys(&db).await?;
            println!(
                "{:>5}  {:<48}  {:<20}  {:<20}  label",
                "id", "role", "created", "revoked"
            );
            for k in keys {
                println!(
                    "{:>5}  {:<48}  {:<20}  {:<20}  {}",
                    k.id,
                    describe_key(&k),
                    k.created_at.format("%Y-%m-%d %H:%M:%S"),
                    k.revoked_at
                        .map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                    k.label.as_deref().unwrap_or("")
                );
            }
        }
        ApiKeyCommand::Revoke { id } => match auth::revoke_key(&db, id).await {
            Ok(true) => println!("revoked API key {id}"),
            Ok(false) => println!("API key {id} was already revoked"),
            Err(error::AppError::NotFound(_)) => anyhow::bail!("there is no API key {id}"),
            Err(e) => anyhow::bail!("revoking API key {id}: {e}"),
        },
    }
    Ok(())
}

fn describe_key(k: &entity::api_key::Model) -> String {
    let binding = k
        .organisation_id
        .map(|o| {
            format!(
                " of organisation {}",
                graphql::ids::encode(graphql::ids::Kind::Organisation, o).as_str()
            )
        })
        .or_else(|| k.region.as_ref().map(|r| format!(" of region {r}")))
        .or_else(|| k.source.as_ref().map(|s| format!(" of source {s}")))
        .unwrap_or_default();
    let only = if k.registered_only {
        ", registered operations only"
    } else {
        ""
    };
    format!("{}{binding}{only}", k.role.as_str().to_lowercase())
}

/// Checks `api-key create`'s flags against the role.
async fn new_key(
    db: &sea_orm::DatabaseConnection,
    catalog: &catalog::Catalog,
    args: CreateKeyArgs,
) -> anyhow::Result<auth::NewKey> {
    use entity::enums::Role;
    let role = match args.role.as_str() {
        "admin" => Role::Admin,
        "partner" => Role::Partner,
        "commission" => Role::Commission,
        _ => Role::Integration,
    };
    let wants = |flag: &str| match role {
        Role::Partner => flag == "organisation",
        Role::Commission => flag == "region",
        Role::Integration => flag == "source",
        Role::Admin => false,
    };
    for (flag, given) in [
        ("organisation", args.organisation.is_some()),
        ("region", args.region.is_some()),
        ("source", args.source.is_some()),
    ] {
        if given && !wants(flag) {
            anyhow::bail!("--{flag} does not apply to a {} key", args.role);
        }
        if !given && wants(flag) {
            anyhow::bail!("a {} key needs --{flag}", args.role);
        }
    }
    let organisation_id = match &args.organisation {
        Some(id) => {
            let org =
                graphql::ids::decode_int(id, graphql::ids::Kind::Organisation, "--organisation").map_err(|_| {
                    anyhow::anyhow!("--organisation `{id}` is not an organisation id (use its GraphQL `id`)")
                })?;
            entity::organisation::Entity::find_by_id(org)
                .one(db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("--organisation: there is no organisation `{id}`"))?;
            Some(org)
        }
        None => None,
    };
    let region = match &args.region {
        Some(code) => {
            let code = code.trim().to_ascii_uppercase();
            match catalog.region(&code) {
                Some(r) if r.scheme == "ITU_D" || r.scheme == "UN_REGIONAL_COMMISSION" => Some(code),
                _ => anyhow::bail!(
                    "--region `{code}` is not an ITU-D region or UN regional commission (such as AFRICA or ECA)"
                ),
            }
        }
        None => None,
    };
    if let Some(s) = &args.source
        && (s.is_empty()
            || s.len() > 64
            || !s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)))
    {
        anyhow::bail!("--source `{s}` must be 1 to 64 lower case letters, digits, `-`, `_` or `.`");
    }
    Ok(auth::NewKey {
        role,
        organisation_id,
        region,
        source: args.source,
        label: args.label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()),
        registered_only: args.registered_only,
    })
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
    // The port first: one in use fails at once, not after the demo has been loaded.
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
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
    let read_db = match &args.database_read_url {
        Some(read_url) => {
            let replica = db::connect(read_url).await.context("connecting to DATABASE_READ_URL")?;
            tracing::info!("read-only operations go to the read replica (DATABASE_READ_URL)");
            Some(replica)
        }
        None => None,
    };
    let options = app::Options {
        federation: args.federation,
        limits: args.limits,
        rate: args.rate,
        http: args.http,
    };
    let state = app::AppState::with_options(db, read_db, options).await?;
    if args.federation {
        tracing::info!("serving as an Apollo Federation v2 subgraph");
    }
    tracing::info!(
        "serving GraphQL at http://{}/graphql (GraphiQL at http://{}/)",
        listener.local_addr()?,
        listener.local_addr()?
    );
    serve_until(listener, state, shutdown_signal()).await?;
    tracing::info!("shut down");
    Ok(())
}

/// Serves the router on `listener` until `signal` resolves, then shuts down gracefully: stops
/// accepting, closes subscriptions (WebSocket close 1001), lets in-flight requests finish.
pub async fn serve_until(
    listener: TcpListener,
    state: app::AppState,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app::router(state.clone());
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        signal.await;
        state.shut_down();
    })
    .await
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
