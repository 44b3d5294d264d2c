//! Application state and the HTTP router.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::catalog::Catalog;
use crate::config::Limits;
use crate::graphql::changes::ChangeSignal;
use crate::graphql::schema::{self, AppSchema};
use crate::http;

/// Shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    limits: Limits,
    db: DatabaseConnection,
    catalog: Arc<Catalog>,
    schema: AppSchema,
    signal: ChangeSignal,
}

/// How often the change log is checked for writes made by other processes (replicas, imports).
const CHANGE_POLL: Duration = Duration::from_millis(500);

impl AppState {
    /// Builds the state over a migrated database: loads the reference catalogue once.
    pub async fn new(db: DatabaseConnection) -> Result<AppState, sea_orm::DbErr> {
        Self::with_options(db, false, Limits::default()).await
    }

    /// Like [`AppState::new`]; with `federation`, the schema is an Apollo Federation v2 subgraph.
    pub async fn with_options(
        db: DatabaseConnection,
        federation: bool,
        limits: Limits,
    ) -> Result<AppState, sea_orm::DbErr> {
        let catalog = Arc::new(Catalog::load(&db).await?);
        let signal = ChangeSignal::default();
        let schema = schema::build(db.clone(), catalog.clone(), signal.clone(), federation, &limits);
        let state = AppState(Arc::new(Inner {
            db,
            catalog,
            schema,
            signal,
            limits,
        }));
        tokio::spawn(poll_changes(Arc::downgrade(&state.0)));
        Ok(state)
    }

    pub fn limits(&self) -> &Limits {
        &self.0.limits
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
    loop {
        tokio::time::sleep(CHANGE_POLL).await;
        let Some(inner) = state.upgrade() else { return };
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

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let max_body = state.limits().max_body_bytes;
    Router::new()
        .route("/", get(http::graphiql::page))
        .route("/graphql", get(http::graphql::get).post(http::graphql::handle))
        .route("/export/entries.ndjson", get(http::export::ndjson))
        .route("/export/entries.csv", get(http::export::csv))
        .layer(RequestBodyLimitLayer::new(max_body))
        .route("/healthz", get(http::health::live))
        .route("/readyz", get(http::health::ready))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}
