//! Running the server: reads on a replica with read-your-own-writes, readiness while the
//! database is away and recovery without a restart, graceful shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use futures::{SinkExt, StreamExt};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use stocktaking::app::Options;
use stocktaking::config::HttpOptions;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{As, Running, TestApp, error_code, test_options, ws_connect};

const CREATE: &str = "mutation($input: EntryInput!) { createEntry(input: $input) { number } }";

fn fresh() -> Value {
    json!({ "input": crate::writes::input("Fresh from the primary", "KE") })
}

#[tokio::test]
async fn reads_go_to_the_replica_and_a_writer_reads_its_own_writes() {
    // The "replica" is a second copy of the demo, lagging behind: whatever is written to the
    // primary is not in it.
    let replica = TestApp::demo().await;
    let options = |secs| Options {
        http: HttpOptions {
            read_your_writes_secs: secs,
            ..Default::default()
        },
        ..test_options()
    };
    let app = TestApp::with_replica(options(60), replica.db.clone()).await;
    // Mark the replica so that answers show where they came from.
    let number: i64 =
        app.data("{ entries(first: 1) { nodes { number } } }", json!({})).await["entries"]["nodes"][0]["number"]
            .as_i64()
            .expect("number");
    replica
        .db
        .execute_unprepared(&format!(
            "UPDATE entries SET title = 'Served by the replica' WHERE number = {number}"
        ))
        .await
        .expect("mark replica");
    let title = |v: Value| v["entry"]["title"].as_str().unwrap_or("").to_owned();
    let read = format!("{{ entry(number: {number}) {{ title }} }}");
    assert_eq!(title(app.data(&read, json!({})).await), "Served by the replica");

    let (org, _) = app.organisation("Writers", "KE").await;
    let writer = app.key(As::Partner(org)).await;
    let admin = app.key(As::Admin).await;
    // Before writing, the partner reads the replica too.
    assert_eq!(
        title(app.data_as(Some(&writer), &read, json!({})).await),
        "Served by the replica"
    );
    // The write goes to the primary, and so does the response's own read.
    let created = app.data_as(Some(&writer), CREATE, fresh()).await;
    let new = created["createEntry"]["number"].as_i64().expect("created");
    assert_eq!(app.rows("entries").await, replica.rows("entries").await + 1);
    // The writer now reads the primary: its own entry is there, and the marked one is not.
    let mine = format!("{{ entry(number: {new}) {{ title }} }}");
    assert_eq!(
        title(app.data_as(Some(&writer), &mine, json!({})).await),
        "Fresh from the primary"
    );
    assert_ne!(
        title(app.data_as(Some(&writer), &read, json!({})).await),
        "Served by the replica"
    );
    // Someone who has not written reads the lagging replica: the new entry is not there yet.
    let res = app.data_as(Some(&admin), &mine, json!({})).await;
    assert!(res["entry"].is_null(), "{res}");

    // With no read-your-writes window, even the writer reads the replica.
    let replica2 = TestApp::demo().await;
    let app = TestApp::with_replica(options(0), replica2.db.clone()).await;
    let (org, _) = app.organisation("Writers", "KE").await;
    let writer = app.key(As::Partner(org)).await;
    let created = app.data_as(Some(&writer), CREATE, fresh()).await;
    let new = created["createEntry"]["number"].as_i64().expect("created");
    let res = app
        .data_as(
            Some(&writer),
            &format!("{{ entry(number: {new}) {{ title }} }}"),
            json!({}),
        )
        .await;
    assert!(res["entry"].is_null(), "{res}");
}

/// A TCP proxy in front of PostgreSQL that can cut every connection and refuse new ones, as a
/// database restart does.
struct Outage {
    port: u16,
    up: Arc<AtomicBool>,
    cut: tokio::sync::watch::Sender<u64>,
}

impl Outage {
    async fn start(target: String) -> Outage {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let cut = tokio::sync::watch::Sender::new(0u64);
        let (up2, cut2) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let mut cut = cut2.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Outage { port, up, cut }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn readiness_fails_while_postgres_is_away_and_the_server_recovers_by_itself() {
    let base = TestApp::demo().await;
    if !base.url.starts_with("postgres") {
        // SQLite is a file in the server's own process: there is nothing to lose contact with.
        return;
    }
    // The server reaches its database through the proxy.
    let (scheme_host, rest) = base.url.split_once("@").expect("user@host");
    let (host_port, db_name) = rest.split_once('/').expect("host/db");
    let outage = Outage::start(host_port.to_owned()).await;
    let url = format!("{scheme_host}@127.0.0.1:{}/{db_name}", outage.port);
    let db = stocktaking::db::connect(&url).await.expect("connect through proxy");
    let state = stocktaking::app::AppState::with_options(db, None, test_options())
        .await
        .expect("state");
    let app = base.serving(stocktaking::http::router::router(state));
    let query = "{ entries(first: 3) { totalCount nodes { number title } } }";
    let before = app.data(query, json!({})).await;
    assert_eq!(app.get("/readyz").await.0, StatusCode::OK);

    outage.down();
    // Seen at once: a readiness probe with a 1 s timeout gets its answer.
    let started = std::time::Instant::now();
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(app.get("/healthz").await.0, StatusCode::OK, "alive, though not ready");
    // A query that needs the database: UNAVAILABLE, 503 and Retry-After, within about the
    // pool's acquire timeout (it was 10 s and an INTERNAL).
    let started = std::time::Instant::now();
    let (status, headers, res) = crate::faults::post(&app, query, None).await;
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{res}");
    assert_eq!(error_code(&res), "UNAVAILABLE", "{res}");
    assert_eq!(headers[axum::http::header::RETRY_AFTER], "1");
    assert!(
        !res.to_string().contains("127.0.0.1"),
        "no connection detail leaks: {res}"
    );
    // Reference data is served from memory meanwhile.
    let sdgs = app.data("{ sdgs { number } }", json!({})).await;
    assert_eq!(sdgs["sdgs"].as_array().map(Vec::len), Some(17));

    outage.up();
    let mut ready = false;
    for _ in 0..50 {
        if app.get("/readyz").await.0 == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(ready, "ready again without a restart");
    assert_eq!(app.data(query, json!({})).await, before);
}

#[tokio::test]
async fn shutdown_lets_requests_finish_and_closes_subscriptions() {
    let base = TestApp::demo().await;
    let mut server = Running::start(&base, test_options()).await;
    let addr = server.addr;
    // A subscriber.
    let mut ws = ws_connect(addr, None).await.expect("connection");
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { entryChanged { kind } }" } })
            .to_string(),
    ))
    .await
    .expect("subscribe");

    // An in-flight request: held up by a write lock taken outside the server.
    let (org, _) = base.organisation("Late Writers", "KE").await;
    let key = base.key(As::Partner(org)).await;
    let blocker = stocktaking::db::connect(&base.url).await.expect("blocker");
    let txn = stocktaking::store::writes::begin(&blocker)
        .await
        .expect("take the write lock");
    let client = reqwest_post(addr, key, CREATE, fresh());
    let in_flight = tokio::spawn(client);
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.shut_down();
    // The subscription ends with a close frame saying the server is going away.
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(msg) = ws.next().await {
            if let Ok(Message::Close(frame)) = msg {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("the subscription closes promptly");
    assert_eq!(closed, Some(1001));
    // The in-flight write still completes once the lock is released.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!in_flight.is_finished(), "the write is waiting for the lock");
    txn.rollback().await.expect("release");
    let (status, body) = tokio::time::timeout(Duration::from_secs(10), in_flight)
        .await
        .expect("in time")
        .expect("task");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("createEntry"), "{body}");
    tokio::time::timeout(Duration::from_secs(10), server.stopped())
        .await
        .expect("the server stops")
        .expect("serve");
}

/// POSTs a GraphQL request over a real socket (HTTP/1.1, by hand: no client crate needed).
async fn reqwest_post(addr: std::net::SocketAddr, key: String, query: &str, variables: Value) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAuthorization: Bearer {key}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}
