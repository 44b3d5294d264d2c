//! `TestApp`: the real router over a fresh database of its own, SQLite by default or
//! PostgreSQL when `TEST_DATABASE_URL` is set (each test gets a database cloned from a
//! migrated template, dropped afterwards).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use futures::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use stocktaking::{app, db, demo, domain, store};
use tokio::sync::{Mutex, OnceCell};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tower::ServiceExt;

/// Entries in the shared demo template.
pub const DEMO_ENTRIES: u32 = 2_000;
/// Seed of the shared demo template.
pub const DEMO_SEED: u64 = 7;

/// Which template a test starts from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fixture {
    /// Migrated, reference data only.
    Empty,
    /// Migrated and seeded with `DEMO_ENTRIES` demo entries.
    Demo,
}

pub struct TestApp {
    pub router: Router,
    /// The database's URL, for running the binary against it.
    pub url: String,
    pub db: DatabaseConnection,
    /// SQL statements run through `db` since the last [`TestApp::reset_statements`].
    statements: Arc<AtomicUsize>,
    /// When each of those statements ended, and how long it held its connection.
    spans: Arc<std::sync::Mutex<Vec<(std::time::Instant, std::time::Duration)>>>,
    _guard: Guard,
}

/// Removes the test's database when the test ends.
enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let (url, name) = (admin_url.clone(), name.clone());
            // The test's runtime may be shutting down: drop on a runtime of our own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async move {
                    let admin = sea_orm::Database::connect(&url).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

fn pg_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())
}

/// `postgres://host/db` → `postgres://host/<name>`.
fn with_db(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

static SQLITE_EMPTY: OnceCell<(tempfile::TempDir, PathBuf)> = OnceCell::const_new();
static SQLITE_DEMO: OnceCell<(tempfile::TempDir, PathBuf)> = OnceCell::const_new();
static PG_EMPTY: OnceCell<String> = OnceCell::const_new();
static PG_DEMO: OnceCell<String> = OnceCell::const_new();
static PG_CREATE: Mutex<()> = Mutex::const_new(());
static COUNTER: AtomicU64 = AtomicU64::new(0);

async fn prepare(db: &DatabaseConnection, fixture: Fixture) {
    db::migrate(db).await.expect("migrate template");
    if fixture == Fixture::Demo {
        let catalog = stocktaking::store::catalog::load(db).await.expect("catalogue");
        demo::seed(db, &catalog, DEMO_ENTRIES, DEMO_SEED, false)
            .await
            .expect("seed template");
        // As `stocktaking seed` does: planner statistics for the new rows (PostgreSQL).
        store::bulk::analyze(db).await.expect("analyze template");
    }
}

async fn sqlite_template(fixture: Fixture) -> PathBuf {
    let cell = if fixture == Fixture::Demo {
        &SQLITE_DEMO
    } else {
        &SQLITE_EMPTY
    };
    let (_, path) = cell
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("template.db");
            let db = db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .expect("connect");
            prepare(&db, fixture).await;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint");
            db.close().await.expect("close template");
            (dir, path)
        })
        .await;
    path.clone()
}

async fn pg_template(admin_url: &str, fixture: Fixture) -> String {
    let cell = if fixture == Fixture::Demo { &PG_DEMO } else { &PG_EMPTY };
    cell.get_or_init(|| async {
        let kind = if fixture == Fixture::Demo { "demo" } else { "empty" };
        let name = format!("{DB_PREFIX}{}_tpl_{kind}", std::process::id());
        let admin = sea_orm::Database::connect(admin_url)
            .await
            .expect("connect TEST_DATABASE_URL");
        drop_stale_databases(&admin).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("drop");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create template");
        let db = db::connect(&with_db(admin_url, &name)).await.expect("connect template");
        prepare(&db, fixture).await;
        db.close().await.expect("close template");
        name
    })
    .await
    .clone()
}

/// Every database the suite creates is named `stocktaking_test_<pid>_<what>`.
const DB_PREFIX: &str = "stocktaking_test_";

/// Drops the templates and test databases of earlier test processes that have exited (a test
/// process cannot drop its templates when it ends). Only names of the suite's own pattern with
/// a numeric pid are considered: nothing else on the server is touched.
async fn drop_stale_databases(admin: &DatabaseConnection) {
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database",
        ))
        .await
        .expect("list databases");
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let Some(pid) = name.strip_prefix(DB_PREFIX).and_then(|rest| rest.split('_').next()) else {
            continue;
        };
        if !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
        }
    }
}

/// The options tests run with: the defaults, without rate limits (every test request comes
/// from the same address; the rate-limit tests turn them on).
pub fn test_options() -> app::Options {
    app::Options {
        rate: stocktaking::config::RateLimits {
            anonymous: 0,
            key: 0,
            ..Default::default()
        },
        ..Default::default()
    }
}

impl TestApp {
    /// A migrated database with reference data only.
    pub async fn new() -> TestApp {
        Self::with(Fixture::Empty).await
    }

    /// A database holding the shared demo dataset.
    pub async fn demo() -> TestApp {
        Self::with(Fixture::Demo).await
    }

    pub async fn with(fixture: Fixture) -> TestApp {
        Self::with_options(fixture, None, test_options()).await
    }

    /// A database holding the demo, served as an Apollo Federation subgraph.
    pub async fn federated() -> TestApp {
        Self::with_options(
            Fixture::Demo,
            None,
            app::Options {
                federation: true,
                ..test_options()
            },
        )
        .await
    }

    /// A database holding the demo, served with `limits`.
    pub async fn limited(limits: stocktaking::config::Limits) -> TestApp {
        Self::with_options(
            Fixture::Demo,
            None,
            app::Options {
                limits,
                ..test_options()
            },
        )
        .await
    }

    /// A database holding the demo, served with `options`.
    pub async fn configured(options: app::Options) -> TestApp {
        Self::with_options(Fixture::Demo, None, options).await
    }

    /// A database holding the demo, served with `options` and with reads going to `replica`.
    pub async fn with_replica(options: app::Options, replica: DatabaseConnection) -> TestApp {
        Self::with_options(Fixture::Demo, Some(replica), options).await
    }

    async fn with_options(fixture: Fixture, replica: Option<DatabaseConnection>, options: app::Options) -> TestApp {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let (url, guard) = match pg_url() {
            Some(admin_url) => {
                let template = pg_template(&admin_url, fixture).await;
                let name = format!("{DB_PREFIX}{}_{n}", std::process::id());
                {
                    let _lock = PG_CREATE.lock().await;
                    let admin = sea_orm::Database::connect(&admin_url).await.expect("connect admin");
                    admin
                        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                        .await
                        .expect("create test database");
                    admin.close().await.ok();
                }
                (with_db(&admin_url, &name), Guard::Postgres { admin_url, name })
            }
            None => {
                let template = sqlite_template(fixture).await;
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("test.db");
                std::fs::copy(&template, &path).expect("copy template");
                (format!("sqlite://{}?mode=rwc", path.display()), Guard::Sqlite(dir))
            }
        };
        let mut db = db::connect(&url).await.expect("connect test database");
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let spans = Arc::new(std::sync::Mutex::new(Vec::new()));
        let spans_seen = spans.clone();
        let print_sql = std::env::var_os("PRINT_SQL").is_some();
        db.set_metric_callback(move |info| {
            // Only statements run for a request count: not the server's background work (the
            // change-log poller), which could otherwise land inside a measured request.
            if stocktaking::telemetry::SqlTime::current().is_none() {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut s) = spans_seen.lock() {
                s.push((std::time::Instant::now(), info.elapsed));
            }
            if print_sql {
                eprintln!("SQL {}", info.statement);
            }
        });
        let state = app::AppState::with_options(db.clone(), replica, options)
            .await
            .expect("state");
        TestApp {
            router: stocktaking::http::router::router(state),
            url,
            db,
            statements,
            spans,
            _guard: guard,
        }
    }

    /// The same database behind another router (one built over a different connection).
    pub fn serving(mut self, router: Router) -> TestApp {
        self.router = router;
        self
    }

    pub fn reset_statements(&self) {
        self.statements.store(0, Ordering::SeqCst);
        self.spans.lock().expect("spans").clear();
    }

    /// The most statements that ran at the same time since the last
    /// [`TestApp::reset_statements`]: how many pooled connections requests held at once.
    /// (Each statement's connection is taken before its clock starts and given back after its
    /// callback, so statements that follow each other never appear to overlap.)
    pub fn peak_connections(&self) -> usize {
        let spans = self.spans.lock().expect("spans");
        let mut edges: Vec<(std::time::Instant, i32)> = Vec::with_capacity(spans.len() * 2);
        for (end, elapsed) in spans.iter() {
            edges.push((*end - *elapsed, 1));
            edges.push((*end, -1));
        }
        // Ends sort before starts at the same instant.
        edges.sort();
        let (mut now, mut peak) = (0i32, 0i32);
        for (_, d) in edges {
            now += d;
            peak = peak.max(now);
        }
        peak as usize
    }

    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    /// Sends a request through the real router; returns status and body.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let res = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
        (status, headers, body)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let (status, _, body) = self
            .send(Request::get(path).body(Body::empty()).expect("request"))
            .await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// POSTs a GraphQL query with variables; returns the whole JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let req = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        let (status, _, body) = self.send(req).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).expect("JSON response")
    }

    /// Like [`TestApp::gql`], asserting that there are no errors, and returning `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let res = self.gql(query, variables).await;
        assert!(res.get("errors").is_none(), "unexpected errors: {res:#}");
        res["data"].clone()
    }
}

/// A key's role and binding, for [`TestApp::key`].
pub enum As {
    Admin,
    Partner(i64),
    Commission(&'static str),
    Integration(&'static str),
}

impl TestApp {
    /// Adds an organisation; returns its id and GraphQL id.
    pub async fn organisation(&self, name: &str, country: &str) -> (i64, String) {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let org = entity::organisation::ActiveModel {
            name: Set(name.to_owned()),
            stakeholder_type: Set(entity::enums::StakeholderType::CivilSociety),
            country: Set(Some(country.to_owned())),
            website: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert organisation");
        let gid = stocktaking::ids::encode(stocktaking::ids::Kind::Organisation, org.id);
        (org.id, gid.to_string())
    }

    /// Creates an API key as `stocktaking api-key create` does; returns the key.
    pub async fn key(&self, who: As) -> String {
        use entity::enums::Role;
        let mut new = store::keys::NewKey {
            role: Role::Admin,
            organisation_id: None,
            region: None,
            source: None,
            label: Some("test".into()),
            registered_only: false,
        };
        match who {
            As::Admin => {}
            As::Partner(org) => {
                new.role = Role::Partner;
                new.organisation_id = Some(org);
            }
            As::Commission(region) => {
                new.role = Role::Commission;
                new.region = Some(region.into());
            }
            As::Integration(source) => {
                new.role = Role::Integration;
                new.source = Some(source.into());
            }
        }
        domain::keys::create(&self.db, new).await.expect("create key").1
    }

    /// POSTs a GraphQL request with an optional API key; returns status and JSON body.
    pub async fn gql_as(&self, key: Option<&str>, query: &str, variables: Value) -> (StatusCode, Value) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut req = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = key {
            req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        let (status, _, body) = self.send(req.body(Body::from(body)).expect("request")).await;
        (status, serde_json::from_slice(&body).expect("JSON response"))
    }

    /// Like [`TestApp::gql_as`], asserting success; returns `data`.
    pub async fn data_as(&self, key: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, res) = self.gql_as(key, query, variables).await;
        assert_eq!(status, StatusCode::OK, "{res:#}");
        assert!(res.get("errors").is_none(), "unexpected errors: {res:#}");
        res["data"].clone()
    }

    /// Rows in a table.
    pub async fn rows(&self, table: &str) -> i64 {
        use sea_orm::Statement;
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(res: &Value) -> &str {
    res["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

/// A graphql-transport-ws client connection.
pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn ws_connect(addr: std::net::SocketAddr, key: Option<&str>) -> Result<Ws, Value> {
    let mut req = format!("ws://{addr}/graphql").into_client_request().expect("request");
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("connect");
    let payload = match key {
        Some(k) => json!({ "Authorization": format!("Bearer {k}") }),
        None => json!({}),
    };
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": payload }).to_string(),
    ))
    .await
    .expect("init");
    let ack = ws_next(&mut ws).await;
    if ack["type"] == "connection_ack" {
        Ok(ws)
    } else {
        Err(ack)
    }
}

pub async fn ws_next(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s");
        match msg {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t).expect("JSON");
                if v["type"] != "ping" && v["type"] != "pong" {
                    return v;
                }
            }
            Some(Ok(Message::Close(frame))) => return json!({ "type": "closed", "frame": format!("{frame:?}") }),
            Some(Ok(_)) => {}
            other => return json!({ "type": "error", "detail": format!("{other:?}") }),
        }
    }
}

/// The real server (`serve_until`) on a socket of its own, over a test's database.
pub struct Running {
    pub addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Serves `app`'s database with `options` through a connection pool of its own.
    pub async fn start(app: &TestApp, options: app::Options) -> Running {
        let db = db::connect(&app.url).await.expect("connect");
        let state = app::AppState::with_options(db, None, options).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(stocktaking::serve_until(listener, state, async move {
            let _ = stopped.await;
        }));
        Running {
            addr,
            stop: Some(stop),
            server,
        }
    }

    /// Sends the shutdown signal.
    pub fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Shuts down (if not yet) and waits for the server to end.
    pub async fn stopped(mut self) -> std::io::Result<()> {
        self.shut_down();
        self.server.await.expect("server task")
    }
}

/// Whether the outside tools a test drives (`ready`) are installed. In CI they must be (`.ci/run`
/// installs them: `install` says how); elsewhere the test says it is skipped.
pub fn tools_ready(ready: bool, install: &str) -> bool {
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs this test: {install} (.ci/run does)"
        );
        eprintln!("skipped: {install}");
    }
    ready
}
