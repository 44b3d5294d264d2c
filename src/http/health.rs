//! `GET /healthz` (the process answers) and `GET /readyz` (the database answers and its
//! migrations are current).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::app::AppState;
use crate::db;

pub async fn live() -> &'static str {
    "ok"
}

/// How long `/readyz` waits for the database: under the 1–3 s timeouts of readiness probes,
/// so that a database that hangs reads as unready rather than as a probe timeout.
const READY_WITHIN: Duration = Duration::from_millis(800);

pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let check = async {
        if state.db().ping().await.is_err() {
            return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable");
        }
        match db::migrations_current(state.db()).await {
            Ok(true) => (StatusCode::OK, "ready"),
            Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
            Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
        }
    };
    tokio::time::timeout(READY_WITHIN, check)
        .await
        .unwrap_or((StatusCode::SERVICE_UNAVAILABLE, "database unreachable"))
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
