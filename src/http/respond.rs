//! The reply to a GraphQL request: every operation's answer in its selection's order, the
//! status, the rate-limit and retry headers; and the request's metrics and log line.

use std::time::{Duration, Instant};

use async_graphql::{Response as GqlResponse, ServerError};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::app::AppState;
use crate::error::RETRY_UNAVAILABLE_SECS;
use crate::graphql::order;
use crate::http::graphql::Media;
use crate::ratelimit::Meter;
use crate::telemetry::{self, SqlTime};

/// One executed operation: its response and whether it was refused before it ran (a request
/// error, which is HTTP 400 under `application/graphql-response+json`).
pub struct Outcome {
    pub response: GqlResponse,
    pub request_error: bool,
    pub operation: Option<String>,
    /// The order of the operation's selection, which `data` is written in.
    pub order: order::Order,
}

/// What a request answers: its operations' outcomes, as one response or a batch.
pub struct Reply {
    pub media: Media,
    pub status: StatusCode,
    pub outcomes: Vec<Outcome>,
    pub batched: bool,
}

/// Writes the reply, and records the request's metrics, span fields and log line.
pub fn finish(state: &AppState, reply: Reply, meter: &Meter, started: Instant, sql: &SqlTime) -> Response {
    let Reply {
        media,
        status,
        outcomes,
        batched,
    } = reply;
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
        rate_headers(headers, &s);
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

/// One operation's answer as sent: `data` (absent for a request error), `errors`, `extensions`.
#[derive(serde::Serialize)]
struct Wire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<order::Ordered<'a>>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

/// The `x-ratelimit-*` headers of a client's standing.
pub fn rate_headers(headers: &mut axum::http::HeaderMap, s: &crate::ratelimit::Standing) {
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
