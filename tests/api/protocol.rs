//! GraphQL over HTTP by the specification: media types from `Accept`, request errors as 400
//! under `application/graphql-response+json`, content types, batches, CORS; persisted queries
//! and the allow-list; introspection and GraphiQL switches; masked internal errors; metrics.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use stocktaking::app::Options;
use stocktaking::config::HttpOptions;

use crate::helpers::{As, TestApp, error_code, test_options};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post_raw(app: &TestApp, headers: &[(&str, &str)], body: &str) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::post("/graphql");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let (status, headers, body) = app.send(req.body(Body::from(body.to_owned())).expect("request")).await;
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, headers, json)
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn the_response_type_follows_accept() {
    let app = TestApp::new().await;
    let body = json!({ "query": "{ sdg(number: 4) { title } }" }).to_string();
    let json_ct = ("content-type", "application/json");
    for (accept, expected) in [
        (None, "application/json"),
        (Some("*/*"), "application/json"),
        (Some("application/json"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/json;q=0.9, application/graphql-response+json"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            "application/json",
        ),
    ] {
        let mut headers = vec![json_ct];
        if let Some(a) = accept {
            headers.push(("accept", a));
        }
        let (status, h, res) = post_raw(&app, &headers, &body).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert!(
            content_type(&h).starts_with(expected),
            "{accept:?}: {}",
            content_type(&h)
        );
        assert_eq!(res["data"]["sdg"]["title"], "Quality Education");
    }
    let (status, _, res) = post_raw(&app, &[json_ct, ("accept", "text/html")], &body).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
}

#[tokio::test]
async fn request_errors_are_400_under_graphql_response_json() {
    let app = TestApp::new().await;
    for query in [
        "{ sdg(number: 4) { title }",
        "{ nosuchfield }",
        "{ sdg(number: \"four\") { title } }",
    ] {
        let body = json!({ "query": query }).to_string();
        let (status, h, res) = post_raw(
            &app,
            &[("content-type", "application/json"), ("accept", GRAPHQL_RESPONSE)],
            &body,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {res}");
        assert!(content_type(&h).starts_with(GRAPHQL_RESPONSE));
        assert!(res.get("data").is_none(), "a request error has no data: {res}");
        assert_eq!(error_code(&res), "BAD_USER_INPUT");
        // The legacy type keeps 200 for a well-formed request.
        let (status, _, res) = post_raw(&app, &[("content-type", "application/json")], &body).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(error_code(&res), "BAD_USER_INPUT");
    }
    // A field error is not a request error: 200 with data and errors.
    let body = json!({ "query": "{ entry(number: 42) { title } }" }).to_string();
    let (status, _, res) = post_raw(
        &app,
        &[("content-type", "application/json"), ("accept", GRAPHQL_RESPONSE)],
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{res}");
    assert!(res.get("data").is_some());
    // A body that is not JSON at all.
    let (status, _, res) = post_raw(&app, &[("content-type", "application/json")], "{ not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
}

#[tokio::test]
async fn content_types_other_than_json_are_refused_and_change_nothing() {
    let app = TestApp::demo().await;
    let (org, _) = app.organisation("Form Posters", "KE").await;
    let key = app.key(As::Partner(org)).await;
    let before = app.rows("entries").await;
    let mutation = r#"mutation { createEntry(input: { title: "Cross-site", description: "x", countries: ["KE"], actionLines: [C2], sdgs: [9], stakeholderType: CIVIL_SOCIETY, status: ONGOING, coverage: NATIONAL }) { number } }"#;
    let auth = format!("Bearer {key}");
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/graphql"),
    ] {
        let mut headers = vec![("authorization", auth.as_str())];
        if let Some(ct) = ct {
            headers.push(("content-type", ct));
        }
        let body = json!({ "query": mutation }).to_string();
        let (status, _, res) = post_raw(&app, &headers, &body).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}: {res}");
        assert_eq!(error_code(&res), "BAD_USER_INPUT");
    }
    assert_eq!(app.rows("entries").await, before, "no refused request wrote anything");
    // JSON with a charset parameter is JSON.
    let body = json!({ "query": "{ viewer { role } }" }).to_string();
    let (status, _, res) = post_raw(&app, &[("content-type", "application/json; charset=utf-8")], &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(res["data"]["viewer"]["role"], "ANONYMOUS");
}

#[tokio::test]
async fn batches_run_each_operation_up_to_the_limit() {
    let app = TestApp::new().await;
    let one = json!({ "query": "query S($n: Int!) { sdg(number: $n) { number } }", "variables": { "n": 3 } });
    let bad = json!({ "query": "{ nosuchfield }" });
    let body = json!([one, bad]).to_string();
    let (status, _, res) = post_raw(&app, &[("content-type", "application/json")], &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(res[0]["data"]["sdg"]["number"], 3);
    assert_eq!(error_code(&res[1]), "BAD_USER_INPUT");
    let ten = Value::Array(vec![one.clone(); 10]).to_string();
    let (_, _, res) = post_raw(&app, &[("content-type", "application/json")], &ten).await;
    assert_eq!(res.as_array().map(Vec::len), Some(10));
    assert!(res.as_array().into_iter().flatten().all(|r| r.get("errors").is_none()));
    app.reset_statements();
    let eleven = Value::Array(vec![one; 11]).to_string();
    let (status, _, res) = post_raw(
        &app,
        &[("content-type", "application/json"), ("accept", GRAPHQL_RESPONSE)],
        &eleven,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&res[0]), "QUERY_TOO_COMPLEX", "{res}");
    assert_eq!(res[0]["errors"][0]["extensions"]["limit"], "batch");
    assert_eq!(app.statements(), 0, "refused before any SQL");
}

#[tokio::test]
async fn cors_is_configurable() {
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/graphql")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .body(Body::empty())
            .expect("request")
    };
    let open = TestApp::new().await;
    let (status, headers, _) = open.send(preflight("https://partner.example")).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");

    let listed = TestApp::configured(Options {
        http: HttpOptions {
            cors_origins: "https://a.example, https://b.example".into(),
            ..Default::default()
        },
        ..test_options()
    })
    .await;
    let (_, headers, _) = listed.send(preflight("https://b.example")).await;
    assert_eq!(headers["access-control-allow-origin"], "https://b.example");
    let (_, headers, _) = listed.send(preflight("https://evil.example")).await;
    assert!(headers.get("access-control-allow-origin").is_none());
    // Rate-limit headers are readable by browser clients.
    let req = Request::post("/graphql")
        .header("origin", "https://a.example")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "query": "{ viewer { role } }" }).to_string()))
        .expect("request");
    let (_, headers, _) = listed.send(req).await;
    let exposed = headers["access-control-expose-headers"]
        .to_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(
        exposed.contains("x-ratelimit-remaining") && exposed.contains("x-request-id"),
        "{exposed}"
    );
}

#[tokio::test]
async fn automatic_persisted_queries() {
    let app = TestApp::new().await;
    let query = "{ sdg(number: 5) { title } }";
    let hash = hex_sha256(query);
    let ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let ct = [("content-type", "application/json")];
    // Unknown hash: the message Apollo clients look for.
    let (_, _, res) = post_raw(&app, &ct, &json!({ "extensions": ext }).to_string()).await;
    assert_eq!(res["errors"][0]["message"], "PersistedQueryNotFound", "{res}");
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    // Register by sending the query with its hash; then the hash alone runs it, by GET too.
    let (_, _, res) = post_raw(&app, &ct, &json!({ "query": query, "extensions": ext }).to_string()).await;
    assert_eq!(res["data"]["sdg"]["title"], "Gender Equality", "{res}");
    let (_, _, res) = post_raw(&app, &ct, &json!({ "extensions": ext }).to_string()).await;
    assert_eq!(res["data"]["sdg"]["title"], "Gender Equality", "{res}");
    let qs = format!(
        "/graphql?extensions={}",
        url_escape(&json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string())
    );
    let (status, body) = app.get(&qs).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Gender Equality"), "{body}");
    // A hash that does not match the query is refused.
    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": hex_sha256("{ sdgs { number } }") } });
    let (_, _, res) = post_raw(&app, &ct, &json!({ "query": query, "extensions": wrong }).to_string()).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    // A persisted mutation is still a mutation: not over GET.
    let mutation = "mutation { withdrawEntry(id: \"x\", version: 1) { number } }";
    let mhash = hex_sha256(mutation);
    let mext = json!({ "persistedQuery": { "version": 1, "sha256Hash": mhash } });
    post_raw(&app, &ct, &json!({ "query": mutation, "extensions": mext }).to_string()).await;
    let (status, _) = app
        .get(&format!("/graphql?extensions={}", url_escape(&mext.to_string())))
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn an_allow_listed_key_runs_only_registered_operations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("operations.json");
    let registered = "query Goal($n: Int!) { sdg(number: $n) { title } }";
    let manifest = json!({
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{ "id": "goal-v1", "name": "Goal", "type": "query", "body": registered }]
    });
    std::fs::write(&file, manifest.to_string()).expect("write manifest");
    let app = TestApp::configured(Options {
        http: HttpOptions {
            operations_file: Some(file),
            ..Default::default()
        },
        ..test_options()
    })
    .await;
    let (org, _) = app.organisation("Listed", "KE").await;
    let open_key = app.key(As::Partner(org)).await;
    let listed_key = {
        let new = stocktaking::store::keys::NewKey {
            role: entity::enums::Role::Partner,
            organisation_id: Some(org),
            region: None,
            source: None,
            label: None,
            registered_only: true,
        };
        stocktaking::domain::keys::create(&app.db, new).await.expect("key").1
    };
    let by_id = |id: &str| json!({ "variables": { "n": 9 }, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": id } } });
    let send = |key: String, body: Value| {
        let app = &app;
        async move {
            let auth = format!("Bearer {key}");
            post_raw(
                app,
                &[("content-type", "application/json"), ("authorization", &auth)],
                &body.to_string(),
            )
            .await
        }
    };
    // By manifest id, by hash, and as the same text: allowed.
    for body in [
        by_id("goal-v1"),
        by_id(&hex_sha256(registered)),
        json!({ "query": registered, "variables": { "n": 9 } }),
    ] {
        let (status, _, res) = send(listed_key.clone(), body).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            res["data"]["sdg"]["title"], "Industry, Innovation and Infrastructure",
            "{res}"
        );
    }
    // Anything else: FORBIDDEN, even registered through APQ.
    let other = "{ sdgs { number } }";
    let apq = json!({ "query": other, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hex_sha256(other) } } });
    for body in [json!({ "query": other }), apq.clone()] {
        let (_, _, res) = send(listed_key.clone(), body).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{res}");
        assert!(res.get("data").is_none() || res["data"].is_null());
    }
    // An ordinary key runs anything.
    let (_, _, res) = send(open_key, apq).await;
    assert!(res.get("errors").is_none(), "{res}");
}

#[tokio::test]
async fn introspection_suggestions_and_graphiql_can_be_closed_to_anonymous_callers() {
    let app = TestApp::configured(Options {
        http: HttpOptions {
            public_introspection: false,
            graphiql: false,
            ..Default::default()
        },
        ..test_options()
    })
    .await;
    let (org, _) = app.organisation("Introspectors", "KE").await;
    let key = app.key(As::Partner(org)).await;
    let introspection = "{ __schema { queryType { name } } }";
    let (_, res) = app.gql_as(None, introspection, json!({})).await;
    assert!(res.get("errors").is_some(), "anonymous introspection refused: {res}");
    let res = app.data_as(Some(&key), introspection, json!({})).await;
    assert_eq!(res["__schema"]["queryType"]["name"], "Query");
    // __typename is not introspection.
    let res = app.data_as(None, "{ __typename }", json!({})).await;
    assert_eq!(res["__typename"], "Query");
    // No field suggestions for anonymous callers; keyed callers still get them.
    let typo = "{ entrie(first: 1) { totalCount } }";
    let (_, res) = app.gql_as(None, typo, json!({})).await;
    let message = res["errors"][0]["message"].as_str().unwrap_or("");
    assert!(!message.contains("Did you mean"), "{message}");
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    let (_, res) = app.gql_as(Some(&key), typo, json!({})).await;
    let message = res["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("Did you mean"), "{message}");
    let (status, _) = app.get("/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Open by default.
    let open = TestApp::new().await;
    let res = open.data(introspection, json!({})).await;
    assert_eq!(res["__schema"]["queryType"]["name"], "Query");
    assert_eq!(open.get("/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn internal_errors_are_masked_and_carry_the_request_id() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::demo().await;
    // Break the database under the server: the prizes table disappears.
    app.db
        .execute_unprepared("DROP TABLE prizes")
        .await
        .expect("drop prizes");
    let body = json!({ "query": "{ entries(first: 5) { nodes { number prizes { year } } } }" }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    let res: Value = serde_json::from_slice(&body).expect("json");
    let err = &res["errors"][0];
    assert_eq!(err["extensions"]["code"], "INTERNAL", "{res}");
    assert_eq!(err["message"], "internal error");
    let request_id = headers["x-request-id"].to_str().expect("id");
    assert_eq!(err["extensions"]["requestId"], request_id);
    let text = String::from_utf8_lossy(&body).to_lowercase();
    for leak in ["select", "prizes\"", "no such table", "does not exist", "/src/", ".rs"] {
        assert!(!text.contains(leak), "leaks {leak:?}: {text}");
    }
}

#[tokio::test]
async fn metrics_count_requests_errors_and_pool_use() {
    let app = TestApp::new().await;
    app.data("query MetricsProbe { sdg(number: 1) { title } }", json!({}))
        .await;
    app.gql("query MetricsProbeBad { nosuchfield }", json!({})).await;
    let (status, text) = app.get("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "stocktaking_requests_total{operation=\"MetricsProbe\",status=\"200\"}",
        "stocktaking_request_duration_seconds_bucket{operation=\"MetricsProbe\"",
        "stocktaking_errors_total{code=\"BAD_USER_INPUT\"}",
        "stocktaking_db_connections{pool=\"primary\",state=\"idle\"}",
    ] {
        assert!(text.contains(needle), "missing {needle} in:\n{text}");
    }
}
