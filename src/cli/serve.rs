//! `stocktaking serve` (and `stocktaking` alone): migrate, load the demo into an empty
//! embedded database, serve HTTP until SIGINT or SIGTERM.

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::cli::args::ServeArgs;
use crate::{app, db, demo, store};

pub async fn run(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    // The port first: one in use fails at once, not after the demo has been loaded.
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let db = super::connect(url).await?;
    let embedded = url.starts_with("sqlite:");
    if embedded && !args.no_demo && store::entries::total(&db).await? == 0 {
        let catalog = crate::store::catalog::load(&db).await?;
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
    let router = crate::http::router::router(state.clone());
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
