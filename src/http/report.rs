//! `GET /reports/regions/{code}` (the page) and `GET /reports/regions/{code}.csv` (its data),
//! with `?from=&to=` years: a regional report for the caller (`crate::domain::report`),
//! rendered by `crate::report`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::caller::Caller;
use crate::domain::report::{self, ReportSpec};
use crate::error::AppError;
use crate::http::caller::client_address;
use crate::http::respond::rate_headers;
use crate::ratelimit::{Client, Standing, Verdict};
use crate::report::{csv, html};
use crate::telemetry::{SqlTime, record_request};

/// What the page may load: nothing but its own inline styles and SVG. No script runs, even
/// one that got past the escaping.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// One year from the query string, refused unless it is a plausible year.
fn year(pairs: &[(String, String)], name: &str) -> Result<Option<i32>, AppError> {
    let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == name) else {
        return Ok(None);
    };
    if v.trim().is_empty() {
        return Ok(None);
    }
    match v.trim().parse::<i32>() {
        Ok(y) if (1900..=2999).contains(&y) => Ok(Some(y)),
        _ => Err(AppError::bad_input(
            name,
            format!("`{name}` must be a year such as 2019, not `{v}`"),
        )),
    }
}

/// What a report costs against the caller's rate limit: about what `regionalReport` with every
/// part costs in GraphQL.
pub const REPORT_POINTS: u32 = 100;

/// Charges the report to the caller's rate limit: its standing to report in the headers, or
/// the refusal (`429`, `RATE_LIMITED` with `retryAfter`, `Retry-After`).
fn charge(state: &AppState, caller: &Caller, parts: &Parts) -> Result<Option<Standing>, Box<Response>> {
    let client = Client::of(caller, &client_address(state, parts));
    let (standing, wait) = match state.limiter().charge(&client, REPORT_POINTS) {
        None => return Ok(None),
        Some(Verdict::Allowed(standing)) => return Ok(Some(standing)),
        Some(Verdict::Refused { standing, retry_after }) => (Some(standing), retry_after),
        // A bucket smaller than a report: wait for a whole period (it never fills enough).
        Some(Verdict::TooCostly { .. }) => (None, state.limiter().period()),
    };
    let secs = (wait.as_secs_f64().ceil() as u64).max(1);
    let body = serde_json::json!({ "errors": [{
        "message": format!("rate limit reached: a report costs {REPORT_POINTS} points; retry in {secs} s"),
        "extensions": { "code": "RATE_LIMITED", "retryAfter": secs },
    }] });
    let mut res = (StatusCode::TOO_MANY_REQUESTS, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::RETRY_AFTER, secs.into());
    if let Some(s) = standing {
        rate_headers(h, &s);
    }
    Err(Box::new(res))
}

pub async fn region(
    state: State<AppState>,
    caller: Caller,
    code: Path<String>,
    query: RawQuery,
    parts: Parts,
) -> Response {
    let started = Instant::now();
    let standing = match charge(&state, &caller, &parts) {
        Ok(standing) => standing,
        Err(refused) => {
            record_request(
                "report",
                refused.status().as_u16(),
                started.elapsed(),
                Duration::ZERO,
                &["RATE_LIMITED"],
            );
            return *refused;
        }
    };
    let sql = Arc::new(SqlTime::default());
    let mut res = SqlTime::scope(sql.clone(), serve(state, caller, code, query))
        .await
        .into_response();
    if let Some(s) = standing {
        rate_headers(res.headers_mut(), &s);
    }
    let span = tracing::Span::current();
    span.record("sql_ms", sql.elapsed().as_secs_f64() * 1000.0);
    span.record("sql_statements", sql.statements());
    record_request("report", res.status().as_u16(), started.elapsed(), sql.elapsed(), &[]);
    res
}

async fn serve(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let (code, as_csv) = match code.strip_suffix(".csv") {
        Some(code) => (code.to_owned(), true),
        None => (code.strip_suffix(".html").unwrap_or(&code).to_owned(), false),
    };
    let spec = ReportSpec {
        region: code,
        from: year(&pairs, "from")?,
        to: year(&pairs, "to")?,
    };
    let cat = state.catalog();
    let built = report::build(state.db(), cat, &caller, &spec, &report::Parts::all()).await?;
    let (body, content_type) = if as_csv {
        let bytes = csv::render(cat, &built).map_err(|e| AppError::Internal(format!("report CSV: {e}")))?;
        (bytes, "text/csv; charset=utf-8; header=present")
    } else {
        let page = html::render(cat, &built).map_err(|e| AppError::Internal(format!("report page: {e:#}")))?;
        (page.into_bytes(), "text/html; charset=utf-8")
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The pending section is the caller's own; anonymous reports are the same for everyone.
    let cache = if caller.is_anonymous() {
        "public, max-age=60"
    } else {
        "private, no-store"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("authorization"));
    if as_csv {
        let name = format!(
            "attachment; filename=\"wsis-report-{}.csv\"",
            built.region.code.to_ascii_lowercase().replace('_', "-")
        );
        if let Ok(v) = HeaderValue::from_str(&name) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    } else {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    }
    Ok(res)
}
