//! `GET|POST /graphql`, by the GraphQL-over-HTTP specification: the response type follows
//! `Accept` (`application/graphql-response+json` or `application/json`), POST bodies must be
//! `application/json`, GET runs queries only. Each request identifies its caller by API key,
//! resolves persisted operations, is held to the request limits and charged to the caller's
//! rate limit, then runs with fresh per-request DataLoaders ([`crate::http::execute`]);
//! subscriptions come over WebSocket ([`crate::http::ws`]).

use async_graphql::BatchRequest;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::error_body;
use crate::http::execute::run;
use crate::http::ws::websocket;

/// The two response media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: request errors get HTTP 4xx.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200 (the legacy behaviour).
    Json,
}

impl Media {
    pub fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        })
    }
}

/// The response type `Accept` asks for; `None` when it accepts neither. No `Accept` (or `*/*`)
/// means `application/json`, which every client understands.
fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut best: Option<(f32, Media)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let range = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match range.as_str() {
            "application/graphql-response+json" => Media::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => Media::Json,
            _ => continue,
        };
        // Higher quality wins; on a tie, graphql-response+json wins over a wildcard or json.
        let better = match best {
            None => q > 0.0,
            Some((bq, bm)) => q > bq || (q == bq && media == Media::GraphqlResponse && bm != media),
        };
        if better {
            best = Some((q, media));
        }
    }
    best.map(|(_, m)| m)
}

/// A response with one error and no data.
fn error_response(status: StatusCode, media: Media, code: &str, message: &str) -> Response {
    let mut res = (status, error_body(message, code, None)).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, media.content_type());
    res
}

/// `POST /graphql`: a JSON body holding one request or a batch (an array).
pub async fn post(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Some(media) = negotiate(&parts.headers) else {
        return not_acceptable();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match content_type.as_deref() {
        Some("application/json") => {}
        // Anything else, form posts included (which a browser sends cross-site without a
        // preflight), is refused before it is read.
        other => {
            let message = match other {
                None => "a POST needs Content-Type: application/json".to_owned(),
                Some(t) => format!("unsupported Content-Type {t}; send application/json"),
            };
            return error_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, media, "BAD_USER_INPUT", &message);
        }
    }
    let bytes = match axum::body::to_bytes(body, state.limits().max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            let message = format!("the body is larger than {} bytes", state.limits().max_body_bytes);
            return error_response(StatusCode::PAYLOAD_TOO_LARGE, media, "BAD_USER_INPUT", &message);
        }
    };
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => {
            let message = format!("the body is not a GraphQL request in JSON: {e}");
            return error_response(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &message);
        }
    };
    run(state, parts, media, batch).await
}

/// `GET /graphql`: a WebSocket upgrade for subscriptions (`graphql-transport-ws`, the key in
/// `connection_init`'s payload as `{"Authorization": "Bearer <key>"}`), or a query in the query
/// string (`query`, `variables`, `operationName`, `extensions`).
pub async fn get(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, _body) = req.into_parts();
    if parts.headers.contains_key(header::UPGRADE) {
        return websocket(state, parts).await;
    }
    let Some(media) = negotiate(&parts.headers) else {
        return not_acceptable();
    };
    let request = match parse_query_string(parts.uri.query().unwrap_or("")) {
        Ok(r) => r,
        Err(e) => {
            let message = format!("the query string is not a GraphQL request: {e}");
            return error_response(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &message);
        }
    };
    parts.method = Method::GET;
    run(state, parts, media, BatchRequest::Single(request)).await
}

/// A GET request's parameters, by the GraphQL-over-HTTP names: `query`, `operationName`, and
/// `variables` and `extensions` as JSON. (async-graphql's own parser reads `operation_name`,
/// so a document with several operations could not be run by GET.)
fn parse_query_string(query: &str) -> Result<async_graphql::Request, String> {
    let mut document = None;
    let mut operation = None;
    let mut variables = None;
    let mut extensions = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.as_ref() {
            "query" => &mut document,
            "operationName" => &mut operation,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            _ => continue,
        };
        if slot.is_some() {
            return Err(format!("`{key}` is given more than once"));
        }
        *slot = Some(value.into_owned());
    }
    let mut request = async_graphql::Request::new(document.unwrap_or_default());
    if let Some(name) = operation.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(v) = variables.filter(|v| !v.is_empty()) {
        let v: serde_json::Value = serde_json::from_str(&v).map_err(|e| format!("`variables` is not JSON: {e}"))?;
        request = request.variables(async_graphql::Variables::from_json(v));
    }
    if let Some(x) = extensions.filter(|x| !x.is_empty()) {
        request.extensions = serde_json::from_str(&x).map_err(|e| format!("`extensions` is not a JSON object: {e}"))?;
    }
    Ok(request)
}

fn not_acceptable() -> Response {
    error_response(
        StatusCode::NOT_ACCEPTABLE,
        Media::Json,
        "BAD_USER_INPUT",
        "accept application/graphql-response+json or application/json",
    )
}

/// Any method but GET and POST on `/graphql`: 405 with `Allow` and the usual error body.
pub async fn method_not_allowed() -> Response {
    let mut res = error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        Media::Json,
        "BAD_USER_INPUT",
        "/graphql answers GET (queries) and POST",
    );
    res.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    res
}
