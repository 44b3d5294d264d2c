//! The HTTP surface: GraphQL over GET and POST, GraphiQL, health and readiness, error codes.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, error_code};

#[tokio::test]
async fn health_readiness_and_graphiql() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await, (StatusCode::OK, "ok".to_owned()));
    assert_eq!(app.get("/readyz").await, (StatusCode::OK, "ready".to_owned()));
    let (status, page) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("graphiql"), "GraphiQL page");
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = TestApp::new().await;
    let (_, headers, _) = app
        .send(Request::get("/healthz").body(Body::empty()).expect("request"))
        .await;
    assert!(headers.get("x-request-id").is_some_and(|v| !v.is_empty()));
}

#[tokio::test]
async fn query_over_get() {
    let app = TestApp::demo().await;
    let (status, body) = app
        .get("/graphql?query=%7B%20sdg(number%3A%204)%20%7B%20title%20%7D%20%7D")
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["data"]["sdg"]["title"], "Quality Education");
}

#[tokio::test]
async fn bad_input_is_bad_user_input_naming_the_field() {
    let app = TestApp::demo().await;
    for (query, field) in [
        ("{ entries(first: 101) { totalCount } }", "first"),
        ("{ entries(first: 0) { totalCount } }", "first"),
        ("{ entries(last: 500) { totalCount } }", "last"),
        ("{ entries(first: 5, last: 5) { totalCount } }", "last"),
        (r#"{ entries(after: "bm90IGEgY3Vyc29y") { totalCount } }"#, "after"),
        (
            r#"{ entries(filter: {countries: ["XX"]}) { totalCount } }"#,
            "filter.countries",
        ),
        ("{ entries(filter: {sdgs: [18]}) { totalCount } }", "filter.sdgs"),
        (
            "{ entries(filter: {yearFrom: 2020, yearTo: 2010}) { totalCount } }",
            "filter.yearTo",
        ),
        (
            r#"{ entries(filter: {repository: "nope"}) { totalCount } }"#,
            "filter.repository",
        ),
        (
            r#"{ entries(filter: {organisation: "RW50cnk6MQ"}) { totalCount } }"#,
            "filter.organisation",
        ),
    ] {
        let res = app.gql(query, json!({})).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{query}: {res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], field, "{query}: {res}");
    }
}

#[tokio::test]
async fn a_cursor_from_another_ordering_is_refused() {
    let app = TestApp::demo().await;
    let d = app
        .data("{ entries(first: 2) { pageInfo { endCursor } } }", json!({}))
        .await;
    let cursor = d["entries"]["pageInfo"]["endCursor"].clone();
    let res = app
        .gql(
            "query($c: String) { entries(first: 2, after: $c, orderBy: {field: TITLE, direction: ASC}) { totalCount } }",
            json!({ "c": cursor }),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
}

/// Where `needle` first occurs in `body`.
fn at(body: &str, needle: &str) -> usize {
    body.find(needle).unwrap_or_else(|| panic!("{needle} in {body}"))
}

#[tokio::test]
async fn response_fields_come_in_the_selection_order() {
    let app = TestApp::demo().await;
    let post = |body: String| {
        axum::http::Request::post("/graphql")
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    // A nested page, selected against the alphabet.
    let q = "{ entries(first: 2) { totalCount nodes { title number organisation { stakeholderType name } } } }";
    let (_, _, body) = app.send(post(serde_json::json!({ "query": q }).to_string())).await;
    let body = String::from_utf8(body).expect("UTF-8");
    assert!(at(&body, "\"totalCount\"") < at(&body, "\"nodes\""), "{body}");
    assert!(at(&body, "\"title\"") < at(&body, "\"number\""), "{body}");
    assert!(at(&body, "\"stakeholderType\"") < at(&body, "\"name\""), "{body}");
    assert!(at(&body, "\"data\"") < at(&body, "\"extensions\""), "{body}");
    // A batch: each answer in its own order.
    let batch = serde_json::json!([
        { "query": "{ sdg(number: 3) { title number } }" },
        { "query": "{ sdg(number: 4) { number title } }" },
    ]);
    let (_, _, body) = app.send(post(batch.to_string())).await;
    let body = String::from_utf8(body).expect("UTF-8");
    let second = at(&body, "},{");
    let (one, two) = body.split_at(second);
    assert!(at(one, "\"title\"") < at(one, "\"number\""), "{body}");
    assert!(at(two, "\"number\"") < at(two, "\"title\""), "{body}");
    // An error: the error's own fields in the spec's order, and a request error has no data.
    let (_, _, body) = app
        .send(post(
            serde_json::json!({ "query": "{ entry(number: 1) { nope } }" }).to_string(),
        ))
        .await;
    let body = String::from_utf8(body).expect("UTF-8");
    assert!(!body.contains("\"data\""), "{body}");
    assert!(at(&body, "\"message\"") < at(&body, "\"locations\""), "{body}");
    assert!(at(&body, "\"locations\"") < at(&body, "\"extensions\""), "{body}");
}
