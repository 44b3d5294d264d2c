//! `GET /export/entries.ndjson` and `GET /export/entries.csv`: streaming bulk export, with the
//! filter in the query string and the caller's visibility.

use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::AppState;
use crate::auth;
use crate::error::AppError;
use crate::export::{self, Format};
use crate::http::graphql::refused;

pub async fn ndjson(state: State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    serve(state, headers, query, Format::Ndjson).await
}

pub async fn csv(state: State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    serve(state, headers, query, Format::Csv).await
}

async fn serve(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    format: Format,
) -> Response {
    let authorization = match crate::http::authorization(&headers) {
        Ok(a) => a,
        Err(e) => return refused(e),
    };
    let caller = match auth::authenticate(state.db(), authorization).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let condition = export::filter_from_query(&pairs)
        .and_then(|f| export::condition(state.db(), state.catalog(), &f, caller.visibility(state.catalog())));
    let condition = match condition {
        Ok(c) => c,
        Err(e) => return bad_request(e),
    };
    let stream = export::stream(state.db().clone(), state.catalog().clone(), condition, format);
    let name = match format {
        Format::Ndjson => "entries.ndjson",
        Format::Csv => "entries.csv",
    };
    let mut res = Body::from_stream(stream).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn bad_request(e: AppError) -> Response {
    let mut ext = json!({ "code": e.code() });
    if let AppError::BadUserInput { field, .. } = &e {
        ext["field"] = json!(field);
    }
    let body = json!({ "errors": [{ "message": e.to_string(), "extensions": ext }] });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
