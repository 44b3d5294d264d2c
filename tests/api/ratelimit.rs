//! Rate limits by query cost, per API key and per anonymous client address.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{Value, json};
use stocktaking::app::Options;
use stocktaking::config::RateLimits;

use crate::helpers::{As, TestApp, error_code, test_options};

/// Costs 2 × (nodes + number) = 4 points.
const QUERY: &str = "{ entries(first: 2) { nodes { number } } }";

async fn send(
    app: &TestApp,
    from: &str,
    key: Option<&str>,
    extra: &[(&str, &str)],
    query: &str,
) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let mut req = req
        .body(Body::from(json!({ "query": query }).to_string()))
        .expect("request");
    let addr: SocketAddr = format!("{from}:40000").parse().expect("address");
    req.extensions_mut().insert(ConnectInfo(addr));
    let (status, headers, body) = app.send(req).await;
    (status, headers, serde_json::from_slice(&body).expect("json"))
}

fn header(headers: &HeaderMap, name: &str) -> u64 {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

fn limited(rate: RateLimits) -> Options {
    Options { rate, ..test_options() }
}

#[tokio::test]
async fn anonymous_clients_are_limited_by_cost_per_address_and_recover() {
    // 10 points per 10 s: one point a second.
    let app = TestApp::configured(limited(RateLimits {
        anonymous: 10,
        key: 1000,
        period_secs: 10,
        ..Default::default()
    }))
    .await;
    let (status, headers, res) = send(&app, "10.0.0.1", None, &[], QUERY).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    assert_eq!(res["extensions"]["cost"]["requested"], 4, "{res}");
    assert_eq!(header(&headers, "x-ratelimit-limit"), 10);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 6);
    let (status, headers, _) = send(&app, "10.0.0.1", None, &[], QUERY).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 2);
    assert!(header(&headers, "x-ratelimit-reset") >= 7);
    // The third is refused before it runs any SQL.
    app.reset_statements();
    let (status, headers, res) = send(&app, "10.0.0.1", None, &[], QUERY).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{res}");
    assert_eq!(error_code(&res), "RATE_LIMITED");
    assert!(res.get("data").is_none() || res["data"].is_null());
    let retry = res["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .expect("retryAfter");
    assert!((1..=3).contains(&retry), "{retry}");
    assert_eq!(header(&headers, "retry-after"), retry);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 0);
    assert_eq!(app.statements(), 0, "a refused request runs no SQL");
    // Another address has its own points.
    let (status, _, _) = send(&app, "10.0.0.2", None, &[], QUERY).await;
    assert_eq!(status, StatusCode::OK);
    // After Retry-After, the first address may go on.
    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    let (status, _, res) = send(&app, "10.0.0.1", None, &[], QUERY).await;
    assert_eq!(status, StatusCode::OK, "{res}");
}

#[tokio::test]
async fn keys_have_their_own_limits_and_viewer_reports_them() {
    let app = TestApp::configured(limited(RateLimits {
        anonymous: 5,
        key: 50,
        partner: Some(20),
        period_secs: 60,
        ..Default::default()
    }))
    .await;
    let (org, _) = app.organisation("Metered", "KE").await;
    let partner = app.key(As::Partner(org)).await;
    let admin = app.key(As::Admin).await;
    let viewer = "{ viewer { rateLimit { limit cost remaining resetAt periodSeconds } } }";
    let (status, headers, res) = send(&app, "10.0.0.9", Some(&partner), &[], viewer).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    let rl = &res["data"]["viewer"]["rateLimit"];
    assert_eq!(rl["limit"], 20, "{res}");
    assert_eq!(rl["periodSeconds"], 60);
    let cost = rl["cost"].as_u64().expect("cost");
    assert_eq!(rl["remaining"].as_u64(), Some(20 - cost));
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 20 - cost);
    assert!(
        rl["resetAt"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z') || t.contains('+'))
    );
    // The admin role falls back to RATE_LIMIT_KEY.
    let (_, headers, _) = send(&app, "10.0.0.9", Some(&admin), &[], QUERY).await;
    assert_eq!(header(&headers, "x-ratelimit-limit"), 50);
    // Exhaust the partner's key: its refusal does not touch the admin's or the address's.
    let mut refused = false;
    for _ in 0..10 {
        let (status, _, res) = send(&app, "10.0.0.9", Some(&partner), &[], QUERY).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(error_code(&res), "RATE_LIMITED");
            refused = true;
            break;
        }
    }
    assert!(refused, "the partner's key ran out");
    assert_eq!(send(&app, "10.0.0.9", Some(&admin), &[], QUERY).await.0, StatusCode::OK);
    assert_eq!(send(&app, "10.0.0.9", None, &[], QUERY).await.0, StatusCode::OK);
    // A query costing more than the whole bucket can never run: QUERY_TOO_COMPLEX, not 429.
    let (status, _, res) = send(
        &app,
        "10.0.0.10",
        None,
        &[],
        "{ entries(first: 3) { nodes { number } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(error_code(&res), "QUERY_TOO_COMPLEX", "{res}");
    assert_eq!(res["errors"][0]["extensions"]["limit"], "rateLimit");
}

#[tokio::test]
async fn a_trusted_proxy_header_names_the_client() {
    let app = TestApp::configured(limited(RateLimits {
        anonymous: 8,
        period_secs: 60,
        trusted_proxy_header: Some("x-forwarded-for".into()),
        ..Default::default()
    }))
    .await;
    // Every request reaches the server from the proxy's address; the header tells clients apart
    // (its last address is the one the proxy appended; earlier ones are the client's say-so).
    let one = [("x-forwarded-for", "203.0.113.50, 198.51.100.1")];
    let two = [("x-forwarded-for", "203.0.113.50, 198.51.100.2")];
    assert_eq!(send(&app, "10.0.0.1", None, &one, QUERY).await.0, StatusCode::OK);
    assert_eq!(send(&app, "10.0.0.1", None, &one, QUERY).await.0, StatusCode::OK);
    assert_eq!(
        send(&app, "10.0.0.1", None, &one, QUERY).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(send(&app, "10.0.0.1", None, &two, QUERY).await.0, StatusCode::OK);
    // Without a trusted header, the forwarded address is ignored: the peer is the client.
    let direct = TestApp::configured(limited(RateLimits {
        anonymous: 8,
        period_secs: 60,
        ..Default::default()
    }))
    .await;
    assert_eq!(send(&direct, "10.0.0.1", None, &one, QUERY).await.0, StatusCode::OK);
    assert_eq!(send(&direct, "10.0.0.1", None, &two, QUERY).await.0, StatusCode::OK);
    assert_eq!(
        send(&direct, "10.0.0.1", None, &one, QUERY).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn subscriptions_are_charged_like_queries() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let base = TestApp::demo().await;
    let options = limited(RateLimits {
        anonymous: 3,
        period_secs: 60,
        ..Default::default()
    });
    let server = crate::helpers::Running::start(&base, options).await;
    let mut ws = crate::helpers::ws_connect(server.addr, None).await.expect("connection");
    // Each costs 2 points (entryChanged and kind): the first fits in 3 points, the second not.
    for id in ["1", "2"] {
        let msg =
            json!({ "id": id, "type": "subscribe", "payload": { "query": "subscription { entryChanged { kind } }" } });
        ws.send(Message::text(msg.to_string())).await.expect("subscribe");
    }
    let refusal = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(msg)) = ws.next().await {
            let v: Value = serde_json::from_str(msg.to_text().unwrap_or("{}")).unwrap_or(Value::Null);
            if v["id"] == "2" && v["payload"]["errors"].is_array() {
                return v;
            }
        }
        Value::Null
    })
    .await
    .expect("an answer");
    assert_eq!(
        refusal["payload"]["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refusal}"
    );
    server.stopped().await.expect("serve");
}
