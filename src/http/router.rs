//! The whole HTTP surface: routes, limits, CORS, request ids and the request span.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::http;

/// The request id header: set when the client sends none, echoed on the response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let max_body = state.limits().max_body_bytes;
    let mut app = Router::new();
    if state.options().http.graphiql {
        app = app
            .route("/", get(http::graphiql::page))
            .route("/assets/{hash}/{file}", get(http::graphiql::asset));
    }
    app.route(
        "/graphql",
        get(http::graphql::get)
            .post(http::graphql::post)
            .fallback(http::graphql::method_not_allowed),
    )
    .route("/export/entries.ndjson", get(http::export::ndjson))
    .route("/export/entries.csv", get(http::export::csv))
    .route("/reports/regions/{code}", get(http::report::region))
    .layer(RequestBodyLimitLayer::new(max_body))
    .layer(cors(&state.options().http.cors_origins))
    .route("/healthz", get(http::health::live))
    .route("/readyz", get(http::health::ready))
    .route("/metrics", get(http::health::metrics))
    .layer(PropagateRequestIdLayer::new(REQUEST_ID))
    .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        let id = req
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!(
            "request",
            method = %req.method(),
            path = %req.uri().path(),
            request_id = %id,
            operation = tracing::field::Empty,
            sql_ms = tracing::field::Empty,
            sql_statements = tracing::field::Empty,
            cost = tracing::field::Empty,
        )
    }))
    .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
    .with_state(state)
}

/// CORS for browsers: `*`, a list of origins, or none. Keys travel in `Authorization`, never in
/// cookies, so no credentials are allowed and `*` is safe for a public API.
fn cors(origins: &str) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins)
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            header::RETRY_AFTER,
            REQUEST_ID,
        ])
        .max_age(Duration::from_secs(600))
}
