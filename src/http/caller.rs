//! The caller of a request, from its `Authorization` header: an extractor for handlers that
//! need one, and the function the GraphQL handler calls inside its SQL-time scope.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::app::AppState;
use crate::caller::Caller;
use crate::domain::keys;
use crate::error::AppError;

/// The request's `Authorization` header, if any. Two of them are refused (which one would
/// win depends on the proxy in front); a value that is not even text reads as an unknown key.
pub fn authorization(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(AppError::bad_input(
            "Authorization",
            "the request has more than one Authorization header; send one",
        ));
    }
    Ok(first.map(|v| v.to_str().unwrap_or("\u{0}")))
}

/// The caller the headers name: anonymous without a key, `UNAUTHENTICATED` for a key that is
/// not live.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    keys::authenticate(state.db(), authorization(headers)?).await
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.headers).await
    }
}

/// The client address rate limits key on: the trusted proxy's header (its last address, the
/// one the proxy itself appended), else the connection's peer.
pub fn client_address(state: &AppState, parts: &Parts) -> String {
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
