//! Request limits: each just under and just over, refused before any SQL runs.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};
use stocktaking::config::Limits;

use crate::helpers::{TestApp, error_code};

fn limit_of(res: &Value) -> &str {
    res["errors"][0]["extensions"]["limit"].as_str().unwrap_or("")
}

/// Sends `query`, which must run without errors.
async fn runs(app: &TestApp, query: &str) {
    let res = app.gql(query, json!({})).await;
    assert!(res.get("errors").is_none(), "{query}: {res}");
}

/// Sends `query`, which must be refused with `QUERY_TOO_COMPLEX`; returns the response.
async fn refused(app: &TestApp, query: &str) -> Value {
    let res = app.gql(query, json!({})).await;
    assert_eq!(error_code(&res), "QUERY_TOO_COMPLEX", "{query}: {res}");
    res
}

#[tokio::test]
async fn depth() {
    let app = TestApp::limited(Limits {
        depth: 5,
        ..Limits::default()
    })
    .await;
    // entries › nodes › organisation › country › name: 5 levels.
    runs(
        &app,
        "{ entries(first: 1) { nodes { organisation { country { name } } } } }",
    )
    .await;
    app.reset_statements();
    let deep = refused(
        &app,
        "{ entries(first: 1) { nodes { organisation { country { ituRegion { name } } } } } }",
    )
    .await;
    assert_eq!(limit_of(&deep), "depth");
    assert_eq!(app.statements(), 0, "refused before any SQL");
    // Fragments and introspection are held to the same limit.
    refused(&app, "query __schema { ...F } fragment F on Query { entries(first: 1) { nodes { organisation { country { ituRegion { name } } } } } }").await;
}

#[tokio::test]
async fn complexity() {
    let app = TestApp::limited(Limits {
        complexity: 199,
        ..Limits::default()
    })
    .await;
    // A connection costs its page size times its selection: 99 × (nodes + number) = 198.
    runs(&app, "{ entries(first: 99) { nodes { number } } }").await;
    app.reset_statements();
    let over = refused(&app, "{ entries(first: 100) { nodes { number } } }").await;
    assert_eq!(limit_of(&over), "complexity");
    assert_eq!(app.statements(), 0);
    // Nested connections multiply.
    refused(&app, "{ country(code: \"KE\") { entries(first: 10) { nodes { countries { entries(first: 10) { nodes { number } } } } } } }").await;
}

#[tokio::test]
async fn aliases_count_everywhere() {
    let app = TestApp::limited(Limits {
        aliases: 3,
        ..Limits::default()
    })
    .await;
    runs(
        &app,
        "{ a: sdgs { number } b: sdgs { number } c: sdg(number: 1) { title } }",
    )
    .await;
    let over = refused(&app, "{ a: sdgs { number } b: sdgs { number } c: sdg(number: 1) { title } ...F } fragment F on Query { d: sdgs { number } }").await;
    assert_eq!(limit_of(&over), "aliases");
}

#[tokio::test]
async fn body_size() {
    let app = TestApp::limited(Limits {
        max_body_bytes: 2_000,
        ..Limits::default()
    })
    .await;
    let send = |len: usize| {
        let query = format!("{{ sdgs {{ number }} }}#{}", "x".repeat(len));
        let body = json!({ "query": query }).to_string();
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .expect("request")
    };
    let (status, _, _) = app.send(send(1_900)).await;
    assert_eq!(status, 200);
    let (status, _, _) = app.send(send(2_100)).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn timeout() {
    let app = TestApp::limited(Limits {
        request_timeout_secs: 1,
        ..Limits::default()
    })
    .await;
    let (org, _) = app.organisation("Patient Writers", "KE").await;
    let key = app.key(crate::helpers::As::Partner(org)).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { number } }";
    let input = json!({ "input": crate::writes::input("Waits for the lock", "KE") });
    // Another process holds the write lock: the mutation waits past the limit and is stopped.
    let blocker = stocktaking::db::connect(&app.url).await.expect("connect");
    let txn = stocktaking::store::writes::begin(&blocker)
        .await
        .expect("take the write lock");
    let before = app.rows("entries").await;
    let (_, res) = app.gql_as(Some(&key), create, input.clone()).await;
    assert_eq!(error_code(&res), "TIMEOUT", "{res}");
    txn.rollback().await.expect("release");
    assert_eq!(
        app.rows("entries").await,
        before,
        "a stopped write leaves nothing behind"
    );
    // Once the lock is free, the same write goes through.
    let res = app.data_as(Some(&key), create, input).await;
    assert!(res["createEntry"]["number"].is_i64());
}

#[tokio::test]
async fn get_is_for_queries_only() {
    let app = TestApp::demo().await;
    let (status, body) = app.get("/graphql?query=%7B%20sdgs%20%7B%20number%20%7D%20%7D").await;
    assert_eq!(status, 200, "{body}");
    let mutation =
        "mutation%20%7B%20withdrawEntry(id%3A%20%22x%22%2C%20expectedVersion%3A%201)%20%7B%20version%20%7D%20%7D";
    let (status, body) = app.get(&format!("/graphql?query={mutation}")).await;
    assert_eq!(status, 405, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert!(v["errors"][0]["message"].as_str().expect("message").contains("POST"));
}

#[tokio::test]
async fn directives() {
    let app = TestApp::limited(Limits {
        directives: 3,
        ..Limits::default()
    })
    .await;
    runs(&app, "query($t: Boolean = true) { a: sdg(number: 1) @include(if: $t) { title @skip(if: false) } ...F } fragment F on Query { sdgs @include(if: true) { number } }").await;
    app.reset_statements();
    // Directive overloading: many directives on one field, here hidden in a fragment.
    let over = refused(&app, "{ sdg(number: 1) { ...F } } fragment F on Sdg { title @skip(if: false) @skip(if: false) @skip(if: false) @skip(if: false) }").await;
    assert_eq!(limit_of(&over), "directives");
    assert_eq!(app.statements(), 0);
}

#[tokio::test]
async fn fragment_depth_and_cycles() {
    let app = TestApp::limited(Limits {
        fragment_depth: 2,
        ..Limits::default()
    })
    .await;
    runs(
        &app,
        "{ ...A } fragment A on Query { ...B } fragment B on Query { sdgs { number } }",
    )
    .await;
    app.reset_statements();
    let deep = refused(
        &app,
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...C } fragment C on Query { sdgs { number } }",
    )
    .await;
    assert_eq!(limit_of(&deep), "fragmentDepth");
    // Circular fragments, even unused by the operation, are refused without running anything.
    for cyclic in [
        "{ ...A } fragment A on Query { ...A }",
        "{ sdgs { number } } fragment A on Query { ...B } fragment B on Query { ...A }",
    ] {
        refused(&app, cyclic).await;
    }
    assert_eq!(app.statements(), 0);
}

#[tokio::test]
async fn denial_of_service_shapes_are_refused_before_any_sql() {
    let app = TestApp::demo().await;
    app.reset_statements();
    // Field duplication: complexity counts every copy.
    let dup = format!("{{ entries(first: 100) {{ nodes {{ {} }} }} }}", "title ".repeat(200));
    refused(&app, &dup).await;
    // Alias overloading.
    let aliases: String = (0..100).map(|i| format!("a{i}: sdgs {{ number }} ")).collect();
    let res = app.gql(&format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(limit_of(&res), "aliases");
    // Deep nesting, far past the depth limit, is a clean error rather than a crash.
    let deep = format!("{}{}", "{ viewer ".repeat(5_000), "}".repeat(5_000));
    let res = app.gql(&deep, json!({})).await;
    assert!(!error_code(&res).is_empty(), "{res}");
    // A giant page.
    let res = app
        .gql("{ entries(first: 1000000) { nodes { number } } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(app.statements(), 0, "nothing ran");
    // Introspection has bounds of its own: lists of fields nested three deep are refused.
    let res = refused(
        &app,
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
    )
    .await;
    assert_eq!(limit_of(&res), "introspection");
}

/// A fragment that spreads the next one `width` times, `depth` fragments deep, ending in
/// `leaf`: a few hundred bytes that expand to `width^depth` fields.
fn fan_out(width: usize, depth: usize, leaf: &str) -> String {
    let mut doc = String::from("{ ...F0 }");
    for level in 0..depth {
        let body = if level + 1 == depth {
            leaf.to_owned()
        } else {
            (0..width).map(|_| format!("...F{} ", level + 1)).collect()
        };
        doc.push_str(&format!(" fragment F{level} on Query {{ {body} }}"));
    }
    doc
}

#[tokio::test]
async fn fragment_fan_out_is_refused_before_validation() {
    let app = TestApp::demo().await;
    // The reported shape: ten spreads a level, eight fragments deep (within the fragment-depth
    // limit), 10^7 `__typename`s from well under a kilobyte.
    let reported = fan_out(10, 8, "__typename");
    assert!(reported.len() < 1_000, "{}", reported.len());
    app.reset_statements();
    for doc in [
        reported,
        fan_out(10, 8, "entries(first: 100) { nodes { number title } }"),
        // Wider and deeper: the count saturates instead of overflowing.
        fan_out(1_000, 8, "__typename"),
        fan_out(2, 8, &"__typename ".repeat(20)),
    ] {
        let started = std::time::Instant::now();
        let res = refused(&app, &doc).await;
        assert_eq!(limit_of(&res), "selections", "{res}");
        assert_eq!(res["errors"][0]["extensions"]["max"], 2_000, "{res}");
        // The whole refusal is a linear pass over the document: far under a second (the
        // unprotected server took 11 s and 1.8 GB for the first one).
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }
    assert_eq!(app.statements(), 0, "nothing ran");
    // Under the cap runs: two spreads a level, eight deep, eight fields at the bottom: 1,024.
    runs(&app, &fan_out(2, 8, &"__typename ".repeat(8))).await;
    // The cap is configurable (LIMIT_SELECTIONS), and fields outside fragments count too.
    let app = TestApp::limited(Limits {
        selections: 3,
        ..Limits::default()
    })
    .await;
    runs(&app, "{ sdg(number: 1) { number title } }").await;
    let over = refused(
        &app,
        "{ sdg(number: 1) { number title } ...F } fragment F on Query { __typename }",
    )
    .await;
    assert_eq!(limit_of(&over), "selections");
}

#[tokio::test]
async fn concurrent_fan_outs_leave_health_checks_answering() {
    let app = std::sync::Arc::new(TestApp::demo().await);
    let doc = fan_out(10, 8, "__typename");
    let attacks: Vec<_> = (0..4)
        .map(|_| {
            let (app, doc) = (app.clone(), doc.clone());
            tokio::spawn(async move { app.gql(&doc, json!({})).await })
        })
        .collect();
    let started = std::time::Instant::now();
    let (status, body) = app.get("/healthz").await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "ok"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    for attack in attacks {
        let res = attack.await.expect("task");
        assert_eq!(limit_of(&res), "selections", "{res}");
    }
}

#[tokio::test]
async fn fan_out_over_a_websocket_is_refused_too() {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::demo().await;
    let server = crate::helpers::Running::start(&app, crate::helpers::test_options()).await;
    let mut ws = crate::helpers::ws_connect(server.addr, None).await.expect("connection");
    let mut doc = String::from("subscription { entryChanged { ...F0 } }");
    for level in 0..8 {
        let body = if level == 7 {
            "kind".to_owned()
        } else {
            (0..10).map(|_| format!("...F{} ", level + 1)).collect()
        };
        doc.push_str(&format!(" fragment F{level} on ChangeEvent {{ {body} }}"));
    }
    let started = std::time::Instant::now();
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": doc } }).to_string(),
    ))
    .await
    .expect("send");
    let answer = crate::helpers::ws_next(&mut ws).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // async-graphql answers a refused operation with a `next` holding only errors.
    let errors = if answer["type"] == "error" {
        &answer["payload"]
    } else {
        &answer["payload"]["errors"]
    };
    assert_eq!(errors[0]["extensions"]["limit"], "selections", "{answer}");
    // A query over the same connection is held to the same limits.
    let aliases: String = (0..40).map(|i| format!("a{i}: sdgs {{ number }} ")).collect();
    ws.send(Message::text(
        json!({ "id": "2", "type": "subscribe", "payload": { "query": format!("{{ {aliases} }}") } }).to_string(),
    ))
    .await
    .expect("send");
    // (The first subscription's `complete` may come first.)
    let mut answer = crate::helpers::ws_next(&mut ws).await;
    while answer["type"] == "complete" {
        answer = crate::helpers::ws_next(&mut ws).await;
    }
    let errors = if answer["type"] == "error" {
        &answer["payload"]
    } else {
        &answer["payload"]["errors"]
    };
    assert_eq!(answer["id"], "2", "{answer}");
    assert_eq!(errors[0]["extensions"]["limit"], "aliases", "{answer}");
    server.stopped().await.expect("server stops");
}
