//! `GET|POST /graphql`: identifies the caller by its API key, then executes the request with
//! fresh per-request DataLoaders.

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
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
        Ok(req) => handle(State(state), headers, req).await,
        Err(e) => e.into_response(),
    }
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
    let req = req
        .into_inner()
        .data(loaders::new(state.db().clone(), entries::anonymous()))
        .data(caller);
    let mut res = state.schema().execute(req).await;
    // Parse, validation and argument errors come from async-graphql without a code: they are
    // all the client's.
    for err in &mut res.errors {
        let ext = err.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
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
