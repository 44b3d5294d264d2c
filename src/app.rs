//! Application state: the wiring every handler shares (the router is [`crate::http::router`]).

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::config::{HttpOptions, Limits, RateLimits};
use crate::domain::changes::ChangeSignal;
use crate::graphql::schema::{self, AppSchema};
use crate::operations::Operations;
use crate::ratelimit::Limiter;
use crate::telemetry::OperationLabels;

/// Shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    options: Options,
    db: DatabaseConnection,
    read_db: Option<DatabaseConnection>,
    limiter: Arc<Limiter>,
    operations: Operations,
    labels: OperationLabels,
    /// Set when the server shuts down: subscriptions then close.
    closing: tokio::sync::watch::Sender<bool>,
    catalog: Arc<Catalog>,
    schema: AppSchema,
    signal: ChangeSignal,
}

/// How often the change log is checked for writes made by other processes (replicas, imports).
const CHANGE_POLL: Duration = Duration::from_millis(500);

/// How the server runs: everything `serve` takes besides the database.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Serve the schema as an Apollo Federation v2 subgraph.
    pub federation: bool,
    pub limits: Limits,
    pub rate: RateLimits,
    pub http: HttpOptions,
}

impl AppState {
    /// Builds the state over a migrated database: loads the reference catalogue once.
    pub async fn new(db: DatabaseConnection) -> anyhow::Result<AppState> {
        Self::with_options(db, None, Options::default()).await
    }

    /// Like [`AppState::new`], with a read replica (read-only operations go there) and options.
    pub async fn with_options(
        db: DatabaseConnection,
        read_db: Option<DatabaseConnection>,
        options: Options,
    ) -> anyhow::Result<AppState> {
        crate::telemetry::recorder();
        crate::store::organisations::ensure_folded_names(&db).await?;
        let indexed = crate::store::search::ensure_index(&db).await?;
        if indexed > 0 {
            tracing::info!(entries = indexed, "search index filled");
        }
        crate::store::facets::ensure_summary(&db).await?;
        let catalog = Arc::new(crate::store::catalog::load(&db).await?);
        let signal = ChangeSignal::default();
        let schema = schema::build(
            db.clone(),
            catalog.clone(),
            signal.clone(),
            options.federation,
            &options.limits,
        );
        let limiter = Arc::new(Limiter::new(&options.rate));
        let operations = Operations::load(options.http.operations_file.as_deref())?;
        if let Some(file) = &options.http.operations_file {
            tracing::info!(file = %file.display(), operations = operations.registered(), "registered operations loaded");
        }
        let state = AppState(Arc::new(Inner {
            db,
            catalog,
            schema,
            signal,
            options,
            read_db,
            limiter,
            operations,
            labels: OperationLabels::default(),
            closing: tokio::sync::watch::Sender::new(false),
        }));
        tokio::spawn(poll_changes(Arc::downgrade(&state.0)));
        Ok(state)
    }

    pub fn limits(&self) -> &Limits {
        &self.0.options.limits
    }

    pub fn options(&self) -> &Options {
        &self.0.options
    }

    pub fn limiter(&self) -> &Arc<Limiter> {
        &self.0.limiter
    }

    pub fn operations(&self) -> &Operations {
        &self.0.operations
    }

    pub fn labels(&self) -> &OperationLabels {
        &self.0.labels
    }

    /// Starts shutting down: open subscriptions are closed (WebSocket close 1001).
    pub fn shut_down(&self) {
        self.0.closing.send_replace(true);
    }

    /// Whether the server is shutting down.
    pub fn is_closing(&self) -> bool {
        *self.0.closing.borrow()
    }

    /// Resolves once the server is shutting down.
    pub fn closing(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.0.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// The read replica, when there is one.
    pub fn read_db(&self) -> Option<&DatabaseConnection> {
        self.0.read_db.as_ref()
    }

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.0.catalog
    }

    pub fn signal(&self) -> &ChangeSignal {
        &self.0.signal
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }

    pub fn schema(&self) -> &AppSchema {
        &self.0.schema
    }
}

/// Wakes subscriptions when another process has written to the change log; ends with the state.
async fn poll_changes(state: std::sync::Weak<Inner>) {
    let mut seen = None;
    for tick in 1u64.. {
        tokio::time::sleep(CHANGE_POLL).await;
        let Some(inner) = state.upgrade() else { return };
        // Every minute: forget rate-limit buckets that have refilled.
        if tick % 120 == 0 {
            inner.limiter.forget_idle();
        }
        match crate::store::changes::latest(&inner.db).await {
            Ok(latest) => {
                if seen.is_some_and(|s| latest > s) {
                    inner.signal.poke();
                }
                seen = Some(latest);
            }
            Err(e) => tracing::warn!(error = %e, "polling the change log"),
        }
    }
}
