//! Subscriptions over WebSocket (`graphql-transport-ws`, and the older `graphql-ws`): the key
//! comes in `connection_init`'s payload; each subscription is charged like a query; on
//! shutdown the connection closes with 1001.

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::FromRequestParts;
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::domain::keys;
use crate::graphql::{loaders, share::Share};
use crate::http::caller::client_address;
use crate::ratelimit::{Client, Meter};

/// Upgrades the request and serves the connection's subscriptions.
pub async fn websocket(state: AppState, mut parts: Parts) -> Response {
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
                    let caller = keys::authenticate(&db, key)
                        .await
                        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                    // Each subscription is charged its cost like a query, to the same client.
                    let meter = Meter::new(limiter, Client::of(&caller, &address));
                    let mut data = Data::default();
                    data.insert(loaders::new(db.clone()));
                    data.insert(Share::new(connections));
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
