//! `GET|POST /graphql`: identifies the caller by its API key, then executes the request with
//! fresh per-request DataLoaders.

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{DocumentOperations, OperationType, Selection, SelectionSet};
use async_graphql::{Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket, rejection};
use axum::Json;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::AppState;
use crate::auth;
use crate::error::AppError;
use crate::graphql::{entries, loaders};

/// `GET /graphql`: a WebSocket upgrade for subscriptions (`graphql-transport-ws`, the key in
/// `connection_init`'s payload as `{"Authorization": "Bearer <key>"}`), or a query.
pub async fn get(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    if parts.headers.contains_key(header::UPGRADE) {
        let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &state).await {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        };
        let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
            Ok(u) => u,
            Err(e) => return e.into_response(),
        };
        return upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            .on_upgrade(move |socket| async move {
                let db = state.db().clone();
                GraphQLWebSocket::new(socket, state.schema().clone(), protocol)
                    .on_connection_init(move |payload| async move {
                        let key = payload
                            .get("Authorization")
                            .or_else(|| payload.get("authorization"))
                            .and_then(|v| v.as_str());
                        let caller = auth::authenticate(&db, key)
                            .await
                            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                        let mut data = Data::default();
                        data.insert(loaders::new(db.clone(), entries::anonymous()));
                        data.insert(caller);
                        Ok(data)
                    })
                    .serve()
                    .await
            });
    }
    let headers = parts.headers.clone();
    match GraphQLRequest::<rejection::GraphQLRejection>::from_request(Request::from_parts(parts, body), &state).await {
        Ok(req) => {
            // GET must not change state: mutations (and subscriptions) only over POST.
            let shape = inspect(&req.0.query, req.0.operation_name.as_deref());
            if shape.is_some_and(|s| s.kind != OperationType::Query) {
                let mut res = error_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "BAD_USER_INPUT",
                    "only queries may be sent with GET; send mutations with POST",
                );
                res.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
                return res;
            }
            handle(State(state), headers, req).await
        }
        Err(e) => e.into_response(),
    }
}

/// What the request's operation is, and how many aliases the whole document uses (fragments
/// included: no operation is exempt by its name or by hiding in a fragment). `None` when the
/// document does not parse (async-graphql then reports the syntax error).
struct Shape {
    kind: OperationType,
    aliases: usize,
}

fn inspect(query: &str, operation: Option<&str>) -> Option<Shape> {
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => usize::from(f.node.alias.is_some()) + count(&f.node.selection_set.node),
                Selection::InlineFragment(f) => count(&f.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let doc = parse_query(query).ok()?;
    let aliases = doc
        .operations
        .iter()
        .map(|(_, op)| count(&op.node.selection_set.node))
        .sum::<usize>()
        + doc
            .fragments
            .values()
            .map(|f| count(&f.node.selection_set.node))
            .sum::<usize>();
    let kind = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => op.node.ty,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty)?,
        (DocumentOperations::Multiple(ops), None) => ops.values().next().map(|op| op.node.ty)?,
    };
    Some(Shape { kind, aliases })
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

pub async fn handle(State(state): State<AppState>, headers: HeaderMap, req: GraphQLRequest) -> Response {
    // A header that is not even text is as wrong as an unknown key.
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let caller = match auth::authenticate(state.db(), authorization).await {
        Ok(caller) => caller,
        Err(e) => return refused(e),
    };
    let limits = *state.limits();
    if let Some(shape) = inspect(&req.0.query, req.0.operation_name.as_deref())
        && shape.aliases > limits.aliases
    {
        let message = format!(
            "the request uses {} aliases; the limit is {}",
            shape.aliases, limits.aliases
        );
        let body = json!({ "errors": [{ "message": message,
            "extensions": { "code": "QUERY_TOO_COMPLEX", "limit": "aliases", "max": limits.aliases } }] });
        return (StatusCode::OK, Json(body)).into_response();
    }
    let req = req
        .into_inner()
        .data(loaders::new(state.db().clone(), entries::anonymous()))
        .data(caller);
    let timeout = std::time::Duration::from_secs(limits.request_timeout_secs);
    let mut res = match tokio::time::timeout(timeout, state.schema().execute(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(seconds = limits.request_timeout_secs, "request timed out");
            let message = format!(
                "the request ran longer than {} s and was stopped",
                limits.request_timeout_secs
            );
            return error_response(StatusCode::OK, "TIMEOUT", &message);
        }
    };
    for err in &mut res.errors {
        let ext = err.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_some() {
            continue;
        }
        // async-graphql's own limits, then parse, validation and argument errors: all the
        // client's.
        if err.message.starts_with("Query is nested too deep") {
            ext.set("code", "QUERY_TOO_COMPLEX");
            ext.set("limit", "depth");
            ext.set("max", limits.depth);
        } else if err.message.starts_with("Query is too complex") {
            ext.set("code", "QUERY_TOO_COMPLEX");
            ext.set("limit", "complexity");
            ext.set("max", limits.complexity);
        } else {
            ext.set("code", "BAD_USER_INPUT");
        }
    }
    GraphQLResponse::from(res).into_response()
}

/// The response to a request whose key was refused (or could not be checked).
pub fn refused(e: AppError) -> Response {
    let (status, message) = match &e {
        AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, m.clone()),
        other => {
            tracing::error!(error = ?other, "authenticating a request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned())
        }
    };
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": e.code() } }] });
    let mut res = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}
