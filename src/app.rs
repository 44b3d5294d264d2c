//! Application state and the HTTP router.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::catalog::Catalog;
use crate::graphql::schema::{self, AppSchema};
use crate::http;

/// Shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: DatabaseConnection,
    schema: AppSchema,
}

impl AppState {
    /// Builds the state over a migrated database: loads the reference catalogue once.
    pub async fn new(db: DatabaseConnection) -> Result<AppState, sea_orm::DbErr> {
        let catalog = Arc::new(Catalog::load(&db).await?);
        let schema = schema::build(db.clone(), catalog);
        Ok(AppState(Arc::new(Inner { db, schema })))
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }

    pub fn schema(&self) -> &AppSchema {
        &self.0.schema
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(http::graphiql::page))
        .route("/graphql", get(http::graphql::handle).post(http::graphql::handle))
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
