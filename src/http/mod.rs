//! HTTP handlers other than the router itself.

pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod health;

use axum::http::{HeaderMap, header};

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
