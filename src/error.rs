//! One error type for the request path, mapped to the `extensions.code` values of shared/API.md.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr};

/// An error a request can end with. Database and unexpected errors are logged (inside the
/// request's span, which carries its id) and reach the client as `INTERNAL` with no detail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadUserInput { field: String, message: String },
    /// Several input problems at once (a mutation's validation): the first one's field is
    /// `extensions.field`, all of them are in `extensions.problems`.
    #[error("{}", describe(.0))]
    Invalid(Vec<Problem>),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("the entry has changed since version {expected}: it is at version {current}")]
    Conflict { expected: i32, current: i32 },
    /// A database error; `UNAVAILABLE` when the database could not be reached (see
    /// [`unreachable()`]), `INTERNAL` otherwise.
    #[error("database error")]
    Db(#[from] DbErr),
    #[error("internal error")]
    Internal(String),
}

/// One problem with a mutation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The input path, such as `input.title` or `inputs[3].countries`.
    pub field: String,
    pub message: String,
}

fn describe(problems: &[Problem]) -> String {
    match problems {
        [] => "invalid input".to_owned(),
        [one] => one.message.clone(),
        [first, rest @ ..] => format!("{} (and {} more problems)", first.message, rest.len()),
    }
}

impl AppError {
    /// A `BAD_USER_INPUT` naming the offending argument or input field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The API code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadUserInput { .. } => "BAD_USER_INPUT",
            AppError::Invalid(_) => "BAD_USER_INPUT",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::Conflict { .. } => "CONFLICT",
            AppError::Db(e) if unreachable(e) => "UNAVAILABLE",
            AppError::Db(_) | AppError::Internal(_) => "INTERNAL",
        }
    }
}

/// The message of an `UNAVAILABLE` error.
pub const UNAVAILABLE_MESSAGE: &str = "the database cannot be reached at the moment; retry shortly";

/// Whether a database error means the database could not be reached (no connection within
/// the pool's acquire timeout, a refused or broken connection), rather than a failed statement.
pub fn unreachable(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            **e,
            Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
        ),
        _ => false,
    }
}

/// A DataLoader's shared error.
impl From<Arc<DbErr>> for AppError {
    fn from(e: Arc<DbErr>) -> Self {
        AppError::Db((*e).clone())
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        match self {
            AppError::Db(e) if unreachable(e) => tracing::warn!(error = %e, "the database is unreachable"),
            AppError::Db(e) => tracing::error!(error = %e, "database error"),
            AppError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
        let message = match self {
            AppError::Db(e) if unreachable(e) => UNAVAILABLE_MESSAGE.to_owned(),
            AppError::Db(_) | AppError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                AppError::BadUserInput { field, .. } => ext.set("field", field.as_str()),
                AppError::Invalid(problems) => {
                    if let Some(first) = problems.first() {
                        ext.set("field", first.field.as_str());
                    }
                    let list: Vec<async_graphql::Value> = problems
                        .iter()
                        .map(|p| {
                            let mut m = async_graphql::indexmap::IndexMap::new();
                            m.insert(async_graphql::Name::new("field"), p.field.clone().into());
                            m.insert(async_graphql::Name::new("message"), p.message.clone().into());
                            async_graphql::Value::Object(m)
                        })
                        .collect();
                    ext.set("problems", list);
                }
                AppError::Conflict { current, .. } => ext.set("currentVersion", *current),
                _ => {}
            }
        })
    }
}

/// `?`-friendly conversion of any error that becomes an [`AppError`] into a GraphQL error with
/// its code. (async-graphql's blanket `From<Display>` would drop the code and leak the text.)
pub trait GqlResultExt<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<AppError>> GqlResultExt<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.into().extend())
    }
}

/// Shorthand for resolvers.
pub type GqlResult<T> = async_graphql::Result<T>;

/// The body of an HTTP error response, as every error of the API has it:
/// `{"errors": [{"message", "extensions": {"code", "field"?}}]}`.
pub fn error_body(message: &str, code: &str, field: Option<&str>) -> String {
    let mut ext = serde_json::json!({ "code": code });
    if let Some(field) = field {
        ext["field"] = serde_json::json!(field);
    }
    serde_json::json!({ "errors": [{ "message": message, "extensions": ext }] }).to_string()
}

/// Seconds a client is asked to wait (`Retry-After`) when the database cannot be reached.
pub const RETRY_UNAVAILABLE_SECS: u64 = 1;

/// An error that ends a request before GraphQL runs (a refused key, a bad export filter): its
/// status, the usual error body, and `WWW-Authenticate` or `Retry-After` where they apply.
/// Database and unexpected errors are logged and reach the client without detail.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, StatusCode, header};
        let status = match &self {
            AppError::BadUserInput { .. } | AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Db(e) if unreachable(e) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &self {
            AppError::Db(e) if unreachable(e) => {
                tracing::warn!(error = %e, "the database is unreachable");
                UNAVAILABLE_MESSAGE.to_owned()
            }
            AppError::Db(_) | AppError::Internal(_) => {
                tracing::error!(error = ?self, "a request failed");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let field = match &self {
            AppError::BadUserInput { field, .. } => Some(field.as_str()),
            AppError::Invalid(problems) => problems.first().map(|p| p.field.as_str()),
            _ => None,
        };
        let mut res = (status, error_body(&message, self.code(), field)).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        match status {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_UNAVAILABLE_SECS));
            }
            _ => {}
        }
        res
    }
}
