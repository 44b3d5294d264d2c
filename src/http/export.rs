//! `GET /export/entries.ndjson` and `GET /export/entries.csv`: streaming bulk export, with the
//! filter in the query string and the caller's visibility.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use crate::ingest::export::{self, Format};
use crate::store::visibility;

pub async fn ndjson(state: State<AppState>, caller: Caller, query: RawQuery) -> Result<Response, AppError> {
    serve(state, caller, query, Format::Ndjson)
}

pub async fn csv(state: State<AppState>, caller: Caller, query: RawQuery) -> Result<Response, AppError> {
    serve(state, caller, query, Format::Csv)
}

fn serve(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    format: Format,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let filter = export::filter_from_query(state.catalog(), &pairs)?;
    let visible = visibility::visible(&caller, state.catalog());
    let condition = export::condition(state.db(), state.catalog(), &filter, visible)?;
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
    Ok(res)
}
