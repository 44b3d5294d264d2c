//! The docs run: every GraphQL document and every shell example that talks to the server, in
//! README.md and docs/*.md, is run against a real server over a demo database, and fails the
//! suite on any error. The examples are written for `localhost:8080` and `cargo run --release
//! --`; here they reach the test's server and binary instead.

use std::time::Duration;

use futures::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Running, TestApp, test_options, ws_connect};

/// The documents checked, relative to the crate.
const DOCS: [&str; 4] = ["README.md", "docs/DEPLOY.md", "docs/ARCHITECTURE.md", "docs/API.md"];

/// Fenced blocks of `lang` in a Markdown text.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let fence = line.trim_start();
        match &mut current {
            None if fence.starts_with("```") && fence.trim_start_matches('`').trim() == lang => {
                current = Some(String::new());
            }
            Some(block) if fence.starts_with("```") => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// A GraphQL block that is an operation (API.md's blocks are schema shapes).
fn is_operation(block: &str) -> bool {
    let t = block.trim_start();
    t.starts_with('{') || t.starts_with("query") || t.starts_with("mutation") || t.starts_with("subscription")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_graphql_document_in_the_docs_runs() {
    let app = TestApp::demo().await;
    let server = Running::start(&app, test_options()).await;
    let mut ran = 0;
    for doc in DOCS {
        let text = std::fs::read_to_string(doc).expect("read the doc");
        for block in blocks(&text, "graphql").into_iter().filter(|b| is_operation(b)) {
            if block.trim_start().starts_with("subscription") {
                // A subscription is accepted and waits for changes: no answer within a moment.
                let mut ws = ws_connect(server.addr, None).await.expect("connection");
                ws.send(Message::text(
                    json!({ "id": "1", "type": "subscribe", "payload": { "query": block } }).to_string(),
                ))
                .await
                .expect("send");
                let early = tokio::time::timeout(Duration::from_millis(500), futures::StreamExt::next(&mut ws)).await;
                assert!(early.is_err(), "{doc}: {block} answered at once: {early:?}");
            } else {
                let res = app.gql(&block, json!({})).await;
                assert!(res.get("errors").is_none(), "{doc}: {block}\n{res}");
            }
            ran += 1;
        }
    }
    assert!(ran >= 2, "{ran} documents");
    server.stopped().await.expect("server stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shell_example_in_the_docs_runs() {
    let app = TestApp::demo().await;
    let server = Running::start(&app, test_options()).await;
    let work = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_stocktaking");
    let root = std::env::current_dir().expect("cwd");
    let here = format!("127.0.0.1:{}", server.addr.port());
    for doc in DOCS {
        let text = std::fs::read_to_string(doc).expect("read the doc");
        // A document's examples run in order in one shell, as a reader would type them.
        let mut script = String::from(PRELUDE);
        let mut examples = 0;
        for block in blocks(&text, "sh") {
            let runs_against_server = block.contains("curl") || block.contains("examples/");
            if !runs_against_server {
                continue;
            }
            // Blocks that start other programs (Docker) keep only their requests.
            let block: String = if block.contains("docker") {
                block
                    .lines()
                    .filter(|l| l.trim_start().starts_with("curl"))
                    .map(|l| format!("{l}\n"))
                    .collect()
            } else {
                block
            };
            let block = block
                .replace("localhost:8080", &here)
                .replace("127.0.0.1:8080", &here)
                .replace("cargo run --release -q --", "stocktaking")
                .replace("examples/", &format!("{}/examples/", root.display()));
            script.push_str(&block);
            script.push('\n');
            examples += 1;
        }
        if examples == 0 {
            continue;
        }
        let out = tokio::task::spawn_blocking({
            let (script, dir, url, here) = (script.clone(), work.path().to_owned(), app.url.clone(), here.clone());
            move || {
                std::process::Command::new("bash")
                    .arg("-c")
                    .arg(&script)
                    .current_dir(dir)
                    .env("BIN", bin)
                    .env("DATABASE_URL", url)
                    .env("STOCKTAKING_URL", format!("http://{here}/graphql"))
                    .output()
                    .expect("run bash")
            }
        })
        .await
        .expect("shell");
        assert!(
            out.status.success(),
            "{doc}'s examples failed:\n{script}\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    server.stopped().await.expect("server stops");
}

/// Every `curl` must succeed (HTTP 2xx) and answer without GraphQL errors; `stocktaking` is the
/// test's binary on the test's database.
const PRELUDE: &str = r#"set -eo pipefail
curl() {
  local out
  out=$(command curl -sS --fail-with-body "$@") || { echo "curl $*: $out" >&2; return 1; }
  case "$out" in *'"errors"'*) echo "curl $*: an error in the answer: $out" >&2; return 1;; esac
  printf '%s\n' "$out"
}
stocktaking() { "$BIN" "$@"; }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mirror_example_waits_out_the_rate_limit_and_finishes() {
    let app = TestApp::new().await;
    let catalog = stocktaking::store::catalog::load(&app.db).await.expect("catalogue");
    stocktaking::demo::seed(&app.db, &catalog, 150, 7, false)
        .await
        .expect("seed");
    // One page of the feed fits in the bucket, the next must wait for it to refill.
    let options = stocktaking::app::Options {
        rate: stocktaking::config::RateLimits {
            anonymous: 1_500,
            period_secs: 3,
            ..Default::default()
        },
        ..test_options()
    };
    let server = Running::start(&app, options).await;
    let work = tempfile::tempdir().expect("tempdir");
    let url = format!("http://{}/graphql", server.addr);
    let state = work.path().join("mirror.json");
    let out = tokio::task::spawn_blocking({
        let state = state.clone();
        move || {
            std::process::Command::new("python3")
                .args(["examples/mirror.py", "--url", &url, "--state"])
                .arg(&state)
                .output()
                .expect("run python3")
        }
    })
    .await
    .expect("mirror");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("HTTP 429: waiting"), "{stderr}");
    let copy: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("JSON");
    let held = copy["entries"]
        .as_object()
        .expect("entries")
        .values()
        .filter(|e| !e.is_null())
        .count();
    let total = app.data("{ entries { totalCount } }", json!({})).await["entries"]["totalCount"].clone();
    assert_eq!(json!(held), total, "the copy holds what `entries` returns");
    server.stopped().await.expect("server stops");
}
