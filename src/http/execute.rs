//! Running a GraphQL request: the caller, the batch, and for each operation the persisted
//! query, the document's limits, the replica choice, execution with fresh loaders, and error
//! codes for what async-graphql reports without one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, ErrorExtensions, Executor, Response as GqlResponse, ServerError};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::caller::{Access, Caller};
use crate::error::AppError;
use crate::graphql::{document, loaders, order, share::Share};
use crate::http::caller::{authenticate, client_address};
use crate::http::graphql::Media;
use crate::http::respond::{Outcome, Reply, finish};
use crate::http::router::REQUEST_ID;
use crate::ratelimit::{Client, Meter};
use crate::telemetry::SqlTime;

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
    order: order::Order,
}

/// Runs a request with its SQL time counted from the first statement (the key's lookup) on.
pub async fn run(state: AppState, parts: Parts, media: Media, batch: BatchRequest) -> Response {
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
    let caller = match authenticate(&state, &parts.headers).await {
        Ok(caller) => caller,
        Err(e) => return e.into_response(),
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
            order: order::Order::default(),
        });
    } else {
        // One deadline for the whole request, parsing and validation included (a batch does
        // not get the timeout once per operation).
        let deadline = tokio::time::Instant::from_std(started) + Duration::from_secs(limits.request_timeout_secs);
        for request in requests {
            let mut seen = Seen {
                name: request.operation_name.clone(),
                order: order::Order::default(),
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
        let reply = Reply {
            media,
            status: StatusCode::METHOD_NOT_ALLOWED,
            outcomes,
            batched,
        };
        return finish(&state, reply, &meter, started, &sql);
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
    let reply = Reply {
        media,
        status,
        outcomes,
        batched,
    };
    finish(&state, reply, &meter, started, &sql)
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
            seen.order = order::Order::of(doc, operation.as_deref());
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
        .data(Share::new(limits.request_connections))
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
