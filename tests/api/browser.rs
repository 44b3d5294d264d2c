//! GraphiQL in Debian's chromium (driven by npm's playwright-core, tests/browser/), with every
//! request to another host blocked. `.ci/run` installs both when they are missing; outside CI
//! the test says it is skipped when they are.

use std::path::Path;

use axum::http::header;
use serde_json::Value;

use crate::helpers::{Running, TestApp, test_options, tools_ready};

fn browser_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    Path::new(&chromium).exists() && Path::new("tests/browser/node_modules/playwright-core").exists()
}

/// Runs a browser script (`node tests/browser/SCRIPT args…`) and returns the JSON report it
/// prints last, asserting that it ran, stayed on the origin and met no error.
async fn browse(script: &str, args: Vec<String>) -> Value {
    let script = format!("tests/browser/{script}");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .args(&args)
            .output()
            .expect("run node")
    })
    .await
    .expect("browser task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no report: {stdout} {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(
        report["foreign"],
        serde_json::json!([]),
        "requests left the origin: {report}"
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_works_offline_in_a_real_browser() {
    if !tools_ready(browser_ready(), "install chromium and `npm ci --prefix tests/browser`") {
        return;
    }
    let app = TestApp::demo().await;
    let server = Running::start(&app, test_options()).await;
    let base = format!("http://{}", server.addr);
    std::fs::create_dir_all("target").ok();
    let shot = format!("target/graphiql-{}.png", std::process::id());
    let report = browse("graphiql.mjs", vec![base.clone(), shot.clone()]).await;
    let fields: Vec<&str> = report["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in ["entries", "entry", "entryStats", "sdgs", "countries"] {
        assert!(fields.contains(&field), "{field} in the docs explorer: {fields:?}");
    }
    let result = report["result"].as_str().unwrap_or("");
    assert!(
        result.contains("\"totalCount\"") && result.contains("\"organisation\""),
        "{result}"
    );
    assert!(Path::new(&shot).exists(), "a screenshot for CI's artefacts");
    server.stopped().await.expect("server stops");
}

#[tokio::test]
async fn graphiql_assets_come_from_the_binary_with_long_caching() {
    let app = TestApp::new().await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(!page.contains("unpkg") && !page.contains("https://"), "{page}");
    assert!(!page.contains("development"), "React's production build");
    let prefix = stocktaking::http::graphiql::prefix();
    for file in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let path = format!("{prefix}/{file}");
        assert!(page.contains(&path), "{path}");
        let req = axum::http::Request::get(&path)
            .body(axum::body::Body::empty())
            .expect("request");
        let (status, headers, body) = app.send(req).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.len() > 5_000, "{path}");
        assert!(
            headers[header::CACHE_CONTROL]
                .to_str()
                .unwrap_or("")
                .contains("immutable")
        );
    }
    // The licences are served beside them; a stale hash is not.
    assert_eq!(app.get(&format!("{prefix}/LICENSE-graphiql")).await.0, 200);
    assert_eq!(app.get("/assets/000000000000/graphiql.min.js").await.0, 404);
    // The example query and the subscription URL are preloaded.
    assert!(page.contains("defaultQuery") && page.contains("subscriptionUrl"));
    // GRAPHIQL=false turns the page and its assets off.
    let off = TestApp::configured(stocktaking::app::Options {
        http: stocktaking::config::HttpOptions {
            graphiql: false,
            ..Default::default()
        },
        ..test_options()
    })
    .await;
    assert_eq!(off.get("/").await.0, 404);
    assert_eq!(off.get(&format!("{prefix}/graphiql.min.js")).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regional_report_prints_on_a4_offline_with_every_chart_drawn() {
    if !tools_ready(browser_ready(), "install chromium and `npm ci --prefix tests/browser`") {
        return;
    }
    let app = TestApp::demo().await;
    // A published entry whose title tries to run a script and to reverse the text after it.
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \"Quoted\" \u{202e}desrever\u{202c} end";
    let (org, _) = app.organisation("Lagos Open Data Lab", "NG").await;
    let partner = app.key(crate::helpers::As::Partner(org)).await;
    let admin = app.key(crate::helpers::As::Admin).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { id } }";
    let made = app
        .data_as(
            Some(&partner),
            create,
            serde_json::json!({ "input": crate::writes::input(hostile, "NG") }),
        )
        .await;
    let review = "mutation($id: ID!) { reviewEntry(id: $id, decision: PUBLISH) { moderation } }";
    app.data_as(
        Some(&admin),
        review,
        serde_json::json!({ "id": made["createEntry"]["id"] }),
    )
    .await;

    let server = Running::start(&app, test_options()).await;
    let url = format!("http://{}/reports/regions/africa", server.addr);
    std::fs::create_dir_all("target").ok();
    let shot = format!("target/report-africa-{}.png", std::process::id());
    let pdf = format!("target/report-africa-{}.pdf", std::process::id());
    let report = browse("report.mjs", vec![url, shot.clone(), pdf.clone(), hostile.to_owned()]).await;
    assert_eq!(report["scripts"], 0, "the page has no script: {report}");
    assert_eq!(report["dialogs"], 0, "the hostile title ran: {report}");
    assert_eq!(report["title"], true, "the hostile title shows as text: {report}");
    assert_eq!(report["overflow"], serde_json::json!([]), "wider than A4: {report}");
    // Each chart drew its data: a point per year, a bar per category and SDG, a cell per pair.
    let minimum = [
        ("years", 5),
        ("categories", 18),
        ("sdgs", 17),
        ("matrix", 18 * 17),
        ("countries", 10),
        ("stakeholders", 6),
    ];
    for (chart, marks) in minimum {
        let c = &report["charts"][chart];
        assert!(c["marks"].as_i64() >= Some(marks), "{chart}: {c}");
        assert!(
            c["width"].as_i64() > Some(300) && c["height"].as_i64() > Some(100),
            "{chart}: {c}"
        );
    }
    assert!(report["pdfBytes"].as_i64() > Some(20_000), "{report}");
    assert!(Path::new(&shot).exists() && Path::new(&pdf).exists(), "CI's artefacts");
    server.stopped().await.expect("server stops");
}
