//! `GET|POST /graphql`, by the GraphQL-over-HTTP specification: the response type follows
//! `Accept` (`application/graphql-response+json` or `application/json`), POST bodies must be
//! `application/json`, GET runs queries only. Each request identifies its caller by API key,
//! resolves persisted operations, is held to the request limits and charged to the caller's
//! rate limit, then runs with fresh per-request DataLoaders.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Data, ErrorExtensions, Executor, Response as GqlResponse, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::{AppState, REQUEST_ID};
use crate::auth::{self, Access, Caller};
use crate::error::AppError;
use crate::graphql::{document, loaders};
use crate::ratelimit::{Client, Meter};
use crate::telemetry::{self, SqlTime};

/// The two response media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    /// `application/graphql-response+json`: request errors get HTTP 4xx.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200 (the legacy behaviour).
    Json,
}

impl Media {
    fn content_type(self) -> HeaderValue {
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
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    let mut res = (status, body.to_string()).into_response();
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

async fn websocket(state: AppState, mut parts: Parts) -> Response {
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &state).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let address = client_address(&state, &parts);
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            use futures_util::{SinkExt, StreamExt};
            let db = state.db().clone();
            let limiter = state.limiter().clone();
            let connections = state.limits().request_connections;
            let (mut sink, stream) = socket.split();
            // On shutdown the client's side of the stream ends, which ends every subscription
            // of the connection; the connection is then closed with 1001 (going away).
            let closing = state.closing();
            GraphQLWebSocket::new_with_pair(&mut sink, stream.take_until(closing), state.schema().clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let key = payload
                        .get("Authorization")
                        .or_else(|| payload.get("authorization"))
                        .and_then(|v| v.as_str());
                    let caller = auth::authenticate(&db, key)
                        .await
                        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                    // Each subscription is charged its cost like a query, to the same client.
                    let meter = Meter::new(limiter, Client::of(&caller, &address));
                    let mut data = Data::default();
                    data.insert(loaders::new(db.clone()));
                    data.insert(crate::graphql::share::Share::new(connections));
                    data.insert(caller);
                    data.insert(meter);
                    Ok(data)
                })
                .serve()
                .await;
            if state.is_closing() {
                let frame = CloseFrame {
                    code: axum::extract::ws::close_code::AWAY,
                    reason: "the server is shutting down".into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
            }
            let _ = sink.close().await;
        })
}

/// The client address rate limits key on: the trusted proxy's header (its last address, the
/// one the proxy itself appended), else the connection's peer.
fn client_address(state: &AppState, parts: &Parts) -> String {
    if let Some(name) = &state.options().rate.trusted_proxy_header
        && let Some(value) = parts.headers.get(name.as_str()).and_then(|v| v.to_str().ok())
        && let Some(last) = value.rsplit(',').map(str::trim).find(|s| !s.is_empty())
    {
        return last.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// A request error (the request did not run) with `code`, as a GraphQL response.
fn refusal(code: &str, message: String, extra: &[(&str, async_graphql::Value)]) -> GqlResponse {
    let mut err = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code);
    for (k, v) in extra {
        ext.set(*k, v.clone());
    }
    err.extensions = Some(ext);
    GqlResponse::from_errors(vec![err])
}

fn too_complex(limit: &str, message: String, max: usize) -> GqlResponse {
    GqlResponse::from_errors(vec![document::too_complex(limit, message, max)])
}

fn app_error(e: AppError) -> GqlResponse {
    GqlResponse::from_errors(vec![e.extend().into_server_error(async_graphql::Pos::default())])
}

/// What executing an operation learnt of it: its name and the order of its selection.
struct Seen {
    name: Option<String>,
    order: document::Order,
}

/// One executed operation: its response and whether it was refused before it ran (a request
/// error, which is HTTP 400 under `application/graphql-response+json`).
struct Outcome {
    response: GqlResponse,
    request_error: bool,
    operation: Option<String>,
    /// The order of the operation's selection, which `data` is written in.
    order: document::Order,
}

/// Runs a request with its SQL time counted from the first statement (the key's lookup) on.
async fn run(state: AppState, parts: Parts, media: Media, batch: BatchRequest) -> Response {
    let sql = Arc::new(SqlTime::default());
    SqlTime::scope(sql.clone(), run_counted(state, parts, media, batch, sql)).await
}

async fn run_counted(state: AppState, parts: Parts, media: Media, batch: BatchRequest, sql: Arc<SqlTime>) -> Response {
    let started = Instant::now();
    let request_id = parts
        .headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let authorization = match crate::http::authorization(&parts.headers) {
        Ok(a) => a,
        Err(e) => return refused(e),
    };
    let caller = match auth::authenticate(state.db(), authorization).await {
        Ok(caller) => caller,
        Err(e) => return refused(e),
    };
    let meter = Meter::new(
        state.limiter().clone(),
        Client::of(&caller, &client_address(&state, &parts)),
    );
    let limits = *state.limits();
    let (requests, batched) = match batch {
        BatchRequest::Single(r) => (vec![r], false),
        BatchRequest::Batch(list) => (list, true),
    };
    let mut outcomes = Vec::with_capacity(requests.len());
    if batched && requests.len() > limits.batch {
        let message = format!(
            "the batch holds {} operations; the limit is {}",
            requests.len(),
            limits.batch
        );
        outcomes.push(Outcome {
            response: too_complex("batch", message, limits.batch),
            request_error: true,
            operation: None,
            order: document::Order::default(),
        });
    } else {
        // One deadline for the whole request, parsing and validation included (a batch does
        // not get the timeout once per operation).
        let deadline = tokio::time::Instant::from_std(started) + Duration::from_secs(limits.request_timeout_secs);
        for request in requests {
            let mut seen = Seen {
                name: request.operation_name.clone(),
                order: document::Order::default(),
            };
            let fut = execute(&state, &parts, &caller, &meter, &request_id, request, &mut seen);
            let (response, request_error) = match tokio::time::timeout_at(deadline, fut).await {
                Ok(done) => done,
                Err(_) => {
                    tracing::warn!(seconds = limits.request_timeout_secs, "request timed out");
                    let message = format!(
                        "the request ran longer than {} s and was stopped",
                        limits.request_timeout_secs
                    );
                    (refusal("TIMEOUT", message, &[]), false)
                }
            };
            outcomes.push(Outcome {
                response,
                request_error,
                operation: seen.name,
                order: seen.order,
            });
        }
    }
    if parts.method == Method::GET
        && let Some(o) = outcomes.first()
        && o.response.http_headers.contains_key(header::ALLOW)
    {
        return finish(
            &state,
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            outcomes,
            batched,
            &meter,
            started,
            &sql,
        );
    }
    let status = match outcomes.as_slice() {
        [one] if has_code(&one.response, "RATE_LIMITED") => StatusCode::TOO_MANY_REQUESTS,
        // The database could not be reached: the client should come back shortly (and a
        // proxy in front may retry on another replica).
        [one] if has_code(&one.response, "UNAVAILABLE") => StatusCode::SERVICE_UNAVAILABLE,
        // A batch over the limit is refused whole; otherwise each operation of a batch has
        // its own errors and the batch is 200.
        [one] if one.request_error && media == Media::GraphqlResponse => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    finish(&state, media, status, outcomes, batched, &meter, started, &sql)
}

fn has_code(res: &GqlResponse, code: &str) -> bool {
    res.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from(code))
    })
}

/// Runs one operation of a request; returns its response and whether it was refused before
/// execution.
async fn execute(
    state: &AppState,
    parts: &Parts,
    caller: &Caller,
    meter: &Arc<Meter>,
    request_id: &str,
    mut request: async_graphql::Request,
    seen: &mut Seen,
) -> (GqlResponse, bool) {
    let limits = *state.limits();
    let registered_only = caller.registered_only;
    if let Err(e) = state.operations().resolve(&mut request, registered_only) {
        return (app_error(e), true);
    }
    let operation = request.operation_name.clone();
    let shape = match request.parsed_query() {
        Ok(doc) => document::inspect(doc, operation.as_deref()),
        Err(e) => {
            let mut res = GqlResponse::from_errors(vec![e]);
            label_errors(&mut res, caller, state, request_id);
            return (res, true);
        }
    };
    let mut read_only = false;
    if let Some(shape) = &shape {
        if seen.name.is_none() {
            seen.name.clone_from(&shape.name);
        }
        // GET must not change state: mutations (and subscriptions) only over POST.
        if parts.method == Method::GET && shape.kind != OperationType::Query {
            let mut res = refusal(
                "BAD_USER_INPUT",
                "only queries may be sent with GET; send mutations with POST".into(),
                &[],
            );
            res.http_headers
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return (res, true);
        }
        read_only = shape.kind == OperationType::Query;
        if shape.introspects && matches!(caller.access, Access::Anonymous) && !state.options().http.public_introspection
        {
            let message = "introspection is open to API keys only on this server".to_owned();
            return (refusal("FORBIDDEN", message, &[]), true);
        }
        // The document's own limits (aliases, directives, fragments, selections, depth),
        // before async-graphql walks it (the `DocumentLimits` extension does the same for
        // WebSocket operations). Only a document within them is walked again, for its order.
        if let Err(e) = document::check(shape, &limits) {
            return (GqlResponse::from_errors(vec![e]), true);
        }
        if let Ok(doc) = request.parsed_query() {
            seen.order = document::Order::of(doc, operation.as_deref());
        }
    }
    // Reads go to the replica, unless this key wrote recently (read-your-own-writes).
    let window = Duration::from_secs(state.options().http.read_your_writes_secs);
    let db = match state.read_db() {
        Some(replica) if read_only && !caller.wrote_within(window) => replica.clone(),
        _ => state.db().clone(),
    };
    if matches!(caller.access, Access::Anonymous) && !state.options().http.public_introspection {
        request = request.disable_introspection();
    }
    if let Some(measure) = shape.as_ref().and_then(|s| s.measure) {
        request = request.data(document::Checked(measure));
    }
    let request = request
        .data(crate::graphql::share::Share::new(limits.request_connections))
        .data(loaders::new(db.clone()))
        .data(db)
        .data(caller.clone())
        .data(meter.clone());
    let mut res = state.schema().execute(request).await;
    let request_error = res.data == async_graphql::Value::Null && res.errors.iter().all(|e| e.path.is_empty());
    label_errors(&mut res, caller, state, request_id);
    if let Some(charge) = meter.charged() {
        let mut cost = async_graphql::indexmap::IndexMap::new();
        cost.insert(async_graphql::Name::new("requested"), charge.cost.into());
        cost.insert(async_graphql::Name::new("limit"), limits.complexity.into());
        if let Some(s) = meter.standing() {
            cost.insert(async_graphql::Name::new("rateLimit"), s.limit.into());
            cost.insert(async_graphql::Name::new("remaining"), s.remaining.into());
        }
        res.extensions
            .insert("cost".to_owned(), async_graphql::Value::Object(cost));
    }
    let request_error = request_error && !res.errors.is_empty();
    (res, request_error)
}

/// Gives every error a code: async-graphql's parse, validation and argument
/// errors (all the client's). `INTERNAL` errors carry the request id, which the log has too.
/// Field suggestions are removed for anonymous callers when public introspection is off.
fn label_errors(res: &mut GqlResponse, caller: &Caller, state: &AppState, id: &str) {
    let strip = matches!(caller.access, Access::Anonymous) && !state.options().http.public_introspection;
    for err in &mut res.errors {
        if strip && let Some(at) = err.message.find(" Did you mean") {
            err.message.truncate(at);
        }
        let ext = err.extensions.get_or_insert_with(Default::default);
        match ext.get("code") {
            Some(code) if *code == async_graphql::Value::from("INTERNAL") => {
                ext.set("requestId", id);
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        // Every limit of ours carries its code; what is left is async-graphql's own parse,
        // validation and argument errors, all the client's.
        ext.set("code", "BAD_USER_INPUT");
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    state: &AppState,
    media: Media,
    status: StatusCode,
    outcomes: Vec<Outcome>,
    batched: bool,
    meter: &Meter,
    started: Instant,
    sql: &SqlTime,
) -> Response {
    let mut codes = Vec::new();
    let mut bodies = Vec::with_capacity(outcomes.len());
    let mut extra_headers = HeaderMap::new();
    for o in &outcomes {
        for e in &o.response.errors {
            if let Some(async_graphql::Value::String(c)) = e.extensions.as_ref().and_then(|x| x.get("code")) {
                codes.push(c.clone());
            }
        }
        extra_headers.extend(o.response.http_headers.clone());
        bodies.push(Wire {
            // A request error has no `data` at all (the spec: the request did not execute).
            data: (!o.request_error).then(|| o.order.apply(&o.response.data)),
            errors: &o.response.errors,
            extensions: &o.response.extensions,
        });
    }
    // Written straight from the response tree: its maps keep the selection's order (the
    // spec's), which a `serde_json::Value` would sort, and nothing is copied.
    let body = if batched {
        serde_json::to_vec(&bodies)
    } else {
        serde_json::to_vec(&bodies.pop())
    }
    .unwrap_or_else(|_| b"{}".to_vec());
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    headers.extend(extra_headers);
    if let Some(s) = meter.standing() {
        headers.insert("x-ratelimit-limit", s.limit.into());
        headers.insert("x-ratelimit-remaining", s.remaining.into());
        headers.insert(
            "x-ratelimit-reset",
            s.reset
                .as_secs_f64()
                .ceil()
                .to_string()
                .parse()
                .unwrap_or(HeaderValue::from_static("0")),
        );
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_UNAVAILABLE_SECS));
    }
    if status == StatusCode::TOO_MANY_REQUESTS
        && let Some(crate::ratelimit::Charge {
            verdict: Some(crate::ratelimit::Verdict::Refused { retry_after, .. }),
            ..
        }) = meter.charged()
    {
        headers.insert(
            header::RETRY_AFTER,
            (retry_after.as_secs_f64().ceil() as u64).max(1).into(),
        );
    }
    let elapsed = started.elapsed();
    let operation = outcomes
        .first()
        .map(|o| state.labels().label(o.operation.as_deref()))
        .unwrap_or_else(|| "anonymous".into());
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    telemetry::record_request(&operation, status.as_u16(), elapsed, sql.elapsed(), &code_refs);
    // The request's span (from the trace layer) carries the figures too, for span-based tools.
    // The request's span carries the operation, SQL time, statements and cost (for span-based
    // tools, and as the log line's prefix); the event adds what only it knows. Times in ms
    // with two decimals.
    let ms = |d: Duration| (d.as_secs_f64() * 100_000.0).round() / 100.0;
    let span = tracing::Span::current();
    span.record("operation", operation.as_str());
    span.record("sql_ms", ms(sql.elapsed()));
    span.record("sql_statements", sql.statements());
    if let Some(c) = meter.charged() {
        span.record("cost", c.cost);
    }
    tracing::info!(
        status = status.as_u16(),
        ms = ms(elapsed),
        errors = ?code_refs,
        "graphql request"
    );
    res
}

/// Seconds a client is asked to wait (`Retry-After`) when the database cannot be reached.
pub const RETRY_UNAVAILABLE_SECS: u64 = 1;

/// One operation's answer as sent: `data` (absent for a request error), `errors`, `extensions`.
#[derive(serde::Serialize)]
struct Wire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<document::Ordered<'a>>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

/// The response to a request whose key was refused (or could not be checked).
pub fn refused(e: AppError) -> Response {
    let code = e.code();
    let mut ext = json!({ "code": code });
    let (status, message) = match &e {
        AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, m.clone()),
        AppError::BadUserInput { field, message } => {
            ext["field"] = json!(field);
            (StatusCode::BAD_REQUEST, message.clone())
        }
        AppError::Db(db) if crate::error::unreachable(db) => {
            tracing::warn!(error = %db, "the database is unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                crate::error::UNAVAILABLE_MESSAGE.to_owned(),
            )
        }
        other => {
            tracing::error!(error = ?other, "authenticating a request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned())
        }
    };
    let body = json!({ "errors": [{ "message": message, "extensions": ext }] });
    let mut res = (status, axum::Json(body)).into_response();
    match status {
        StatusCode::UNAUTHORIZED => {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_UNAVAILABLE_SECS));
        }
        _ => {}
    }
    res
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
