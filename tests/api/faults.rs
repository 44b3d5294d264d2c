//! Hostile queries and faults, second pass: costs that follow the work, a request's share of
//! the pool, the database's loss seen at once, and the small contract holes.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use sea_orm::DbBackend;
use serde_json::{Value, json};
use stocktaking::graphql::stats::scan_points;

use crate::helpers::{As, TestApp, error_code};

/// POSTs `query` (with `key`); returns status, headers and the JSON body.
pub async fn post(app: &TestApp, query: &str, key: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let body = json!({ "query": query }).to_string();
    let mut req = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let (status, headers, body) = app.send(req.body(Body::from(body)).expect("request")).await;
    (status, headers, serde_json::from_slice(&body).expect("JSON response"))
}

/// 30 aliased `entryStats`, each with three facets, filtered by `filter(i)`.
fn thirty_stats(filter: impl Fn(usize) -> String) -> String {
    let fields: String = (0..30)
        .map(|i| {
            format!(
                "a{i}: entryStats{} {{ total byCountry(first: 100) {{ count }} matrix {{ count }} byYear {{ count }} }} ",
                filter(i)
            )
        })
        .collect();
    format!("{{ {fields} }}")
}

fn requested(res: &Value) -> usize {
    res["extensions"]["cost"]["requested"]
        .as_u64()
        .unwrap_or_else(|| panic!("no cost in {res}")) as usize
}

/// A filter part that matches every entry but that the facet summary does not keep.
const EVERY_COVERAGE: &str = "[LOCAL, NATIONAL, REGIONAL, INTERNATIONAL]";

#[tokio::test]
async fn live_facets_are_charged_for_what_they_scan() {
    let app = TestApp::demo().await;
    let year = |i: usize| 2005 + (i % 20);
    // The summary answers unfiltered facets: the request costs its complexity and no more.
    let summary = app.gql(&thirty_stats(|_| String::new()), json!({})).await;
    assert!(summary.get("errors").is_none(), "{summary}");
    let complexity = requested(&summary);
    // The same shape over filters the summary does not keep (every coverage at once, on top of
    // `yearFrom`) is counted over the entries: each facet costs a point per 100 entries it scans.
    let live = app
        .gql(
            &thirty_stats(|i| format!("(filter: {{yearFrom: {}, coverage: {EVERY_COVERAGE}}})", year(i))),
            json!({}),
        )
        .await;
    assert!(live.get("errors").is_none(), "{live}");
    let extra = requested(&live) - complexity;
    let scanned: Vec<u64> = (0..30)
        .map(|i| live["data"][format!("a{i}")]["total"].as_u64().expect("total"))
        .collect();
    assert!(scanned.iter().sum::<u64>() > 10_000, "{scanned:?}");
    if app.db.get_database_backend() == DbBackend::Sqlite {
        // SQLite counts the matching entries exactly.
        let expected: usize = scanned.iter().map(|m| 3 * scan_points(*m)).sum();
        assert_eq!(extra, expected);
    } else {
        // PostgreSQL charges by the planner's estimate: at least a point per facet, and of the
        // order of what is scanned.
        let exact: usize = scanned.iter().map(|m| 3 * scan_points(*m)).sum();
        assert!(
            extra >= 90 && extra > exact / 4 && extra < exact * 4,
            "{extra} for {exact}"
        );
    }
    // With rate limits on, the scan is charged before it runs: a client whose points cover the
    // complexity but not the scans is refused with RATE_LIMITED.
    let limited = TestApp::configured(stocktaking::app::Options {
        rate: stocktaking::config::RateLimits {
            anonymous: (complexity + 50) as u32,
            ..Default::default()
        },
        ..crate::helpers::test_options()
    })
    .await;
    let (status, _, res) = post(
        &limited,
        &thirty_stats(|i| format!("(filter: {{yearFrom: {}, coverage: {EVERY_COVERAGE}}})", year(i))),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{res}");
    assert_eq!(error_code(&res), "RATE_LIMITED", "{res}");
}

#[tokio::test]
async fn one_request_holds_a_bounded_share_of_the_pool() {
    let app = TestApp::demo().await;
    let query = thirty_stats(|i| format!("(filter: {{yearFrom: {}, coverage: {EVERY_COVERAGE}}})", 2005 + i));
    app.reset_statements();
    let res = app.gql(&query, json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    // 30 × (estimate + total + 3 facets) statements, never more than 2 at once (the default
    // LIMIT_REQUEST_CONNECTIONS), where the pool has 8 (SQLite) or 16 (PostgreSQL).
    assert_eq!(app.statements(), 30 * 5);
    let peak = app.peak_connections();
    assert!((1..=2).contains(&peak), "{peak} connections at once");
    // Aliased pages are held to the same share.
    let pages: String = (0..20)
        .map(|i| {
            format!(
                "p{i}: entries(first: 5, filter: {{yearFrom: {}}}) {{ totalCount nodes {{ number }} }} ",
                2005 + i
            )
        })
        .collect();
    app.reset_statements();
    let res = app.gql(&format!("{{ {pages} }}"), json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    assert!(app.peak_connections() <= 2, "{}", app.peak_connections());
    // The measure sees concurrency when it is allowed: with a share as large as the pool, the
    // same request spreads over many connections.
    let wide = TestApp::limited(stocktaking::config::Limits {
        request_connections: 16,
        ..Default::default()
    })
    .await;
    wide.reset_statements();
    assert!(wide.gql(&query, json!({})).await.get("errors").is_none());
    assert!(wide.peak_connections() > 2, "{}", wide.peak_connections());
}

#[tokio::test]
async fn a_lost_database_is_unavailable_at_once_and_reference_data_stays() {
    let app = TestApp::demo().await;
    let key = app.key(As::Admin).await;
    // The pool goes away under the server (what a database that cannot be reached leaves).
    app.db.clone().close().await.expect("close the pool");

    let started = Instant::now();
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(app.get("/healthz").await.0, StatusCode::OK);

    for key in [None, Some(key.as_str())] {
        let started = Instant::now();
        let (status, headers, res) = post(&app, "{ entries(first: 2) { nodes { number } } }", key).await;
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{res}");
        assert_eq!(error_code(&res), "UNAVAILABLE", "{res}");
        assert_eq!(headers[header::RETRY_AFTER], "1");
        let text = res.to_string();
        assert!(
            !text.contains("pool") && !text.contains("sqlx"),
            "no detail leaks: {text}"
        );
    }
    // Reference data is served from memory.
    let res = app.data("{ sdgs { number } categories { code } }", json!({})).await;
    assert_eq!(res["sdgs"].as_array().map(Vec::len), Some(17));
}

#[tokio::test]
async fn int_arguments_outside_int_are_refused() {
    let app = TestApp::demo().await;
    for n in ["2147483648", "-2147483649", "99999999999"] {
        let res = app
            .gql(&format!("{{ entry(number: {n}) {{ title }} }}"), json!({}))
            .await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{n}: {res}");
    }
    let res = app
        .gql(
            "query($n: Int!) { entry(number: $n) { title } }",
            json!({ "n": 4_000_000_000u64 }),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    // In range and absent: null, as before.
    let res = app.data("{ entry(number: 2147483647) { title } }", json!({})).await;
    assert!(res["entry"].is_null());
}

#[tokio::test]
async fn get_honours_operation_name() {
    let app = TestApp::demo().await;
    let doc = "query A { sdgs { number } } query B { viewer { role } }";
    let url = |name: &str| {
        let q: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", doc)
            .append_pair("operationName", name)
            .finish();
        format!("/graphql?{q}")
    };
    let (status, body) = app.get(&url("B")).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["data"], json!({ "viewer": { "role": "ANONYMOUS" } }), "{v}");
    let (_, body) = app.get(&url("A")).await;
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["data"]["sdgs"].as_array().map(Vec::len), Some(17), "{v}");
    // Variables by GET too.
    let q: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("query", "query($n: Int!) { sdg(number: $n) { number } }")
        .append_pair("variables", r#"{"n": 4}"#)
        .finish();
    let (_, body) = app.get(&format!("/graphql?{q}")).await;
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["data"], json!({ "sdg": { "number": 4 } }), "{v}");
}

#[tokio::test]
async fn a_cursor_is_bound_to_its_direction() {
    let app = TestApp::demo().await;
    let q = "query($d: OrderDirection!, $after: String) {
        entries(first: 3, orderBy: {field: TITLE, direction: $d}, after: $after) { pageInfo { endCursor } } }";
    let asc = app.data(q, json!({ "d": "ASC" })).await;
    let cursor = asc["entries"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    assert!(
        app.gql(q, json!({ "d": "ASC", "after": cursor }))
            .await
            .get("errors")
            .is_none()
    );
    let res = app.gql(q, json!({ "d": "DESC", "after": cursor })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(res["errors"][0]["extensions"]["field"], "after");
}

#[tokio::test]
async fn other_methods_get_405_with_an_error_body() {
    let app = TestApp::demo().await;
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let req = Request::builder()
            .method(method.clone())
            .uri("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"query":"{ sdgs { number } }"}"#))
            .expect("request");
        let (status, headers, body) = app.send(req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(headers[header::ALLOW], "GET, POST");
        let v: Value = serde_json::from_slice(&body).expect("JSON body");
        assert_eq!(error_code(&v), "BAD_USER_INPUT", "{v}");
    }
}

#[tokio::test]
async fn dates_are_the_date_scalar() {
    let sdl = stocktaking::graphql::schema::sdl();
    assert!(sdl.contains("scalar Date"), "{sdl}");
    assert!(!sdl.contains("NaiveDate"));
    assert!(sdl.contains("startDate: Date"));
    let app = TestApp::demo().await;
    let res = app
        .data(
            "{ entries(first: 1, orderBy: {field: START_DATE}) { nodes { startDate } } }",
            json!({}),
        )
        .await;
    let date = res["entries"]["nodes"][0]["startDate"].as_str().expect("a date");
    assert!(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(), "{date}");
    // A bad date is refused before anything is written.
    let (org, _) = app.organisation("Date Checkers", "KE").await;
    let key = app.key(As::Partner(org)).await;
    let mut input = crate::writes::input("Dated badly", "KE");
    input["startDate"] = json!("2024-13-01");
    let before = app.rows("entries").await;
    let (_, res) = app
        .gql_as(
            Some(&key),
            "mutation($input: EntryInput!) { createEntry(input: $input) { number } }",
            json!({ "input": input }),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(app.rows("entries").await, before);
}

#[tokio::test]
async fn two_authorization_headers_are_refused() {
    let app = TestApp::demo().await;
    let admin = app.key(As::Admin).await;
    for (path, method) in [("/graphql", Method::POST), ("/export/entries.ndjson", Method::GET)] {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::AUTHORIZATION, "Bearer stk_someone_else")
            .body(Body::from(r#"{"query":"{ viewer { role } }"}"#))
            .expect("request");
        let (status, _, body) = app.send(req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        let v: Value = serde_json::from_slice(&body).expect("JSON body");
        assert_eq!(error_code(&v), "BAD_USER_INPUT", "{v}");
        assert_eq!(v["errors"][0]["extensions"]["field"], "Authorization");
    }
    // One header is fine.
    let res = app.data_as(Some(&admin), "{ viewer { role } }", json!({})).await;
    assert_eq!(res["viewer"]["role"], "ADMIN");
}
