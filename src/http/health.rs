//! `GET /healthz` (the process answers) and `GET /readyz` (the database answers and its
//! migrations are current).

use axum::extract::State;
use axum::http::StatusCode;

use crate::app::AppState;
use crate::db;

pub async fn live() -> &'static str {
    "ok"
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.db().ping().await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable");
    }
    match db::migrations_current(state.db()).await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    crate::telemetry::record_pool("primary", state.db());
    if let Some(replica) = state.read_db() {
        crate::telemetry::record_pool("replica", replica);
    }
    let body = crate::telemetry::recorder().map(|h| h.render()).unwrap_or_default();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}
