//! The benchmark behind every performance claim: named queries executed in-process through the
//! real schema, and beside each the time of running the same SQL statements directly, so that
//! GraphQL overhead = query time ÷ SQL time.
//!
//! ```sh
//! cargo bench --bench queries                                   # SQLite, 12,500 entries
//! BENCH_ENTRIES=1000000 cargo bench --bench queries             # SQLite, 1,000,000 entries
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/stk_bench cargo bench --bench queries
//! ```
//!
//! `BENCH_SKIP=facets,search` skips queries by name. The database is seeded with the demo dataset on first use (and reused afterwards). Output is
//! a Markdown table for docs/BENCHMARKS.md.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::{Executor as _, Request};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Statement};
use stocktaking::graphql::{loaders, pagination};
use stocktaking::store::page::{Seek, SortKey, SortValue};
use stocktaking::{app::AppState, db, demo};

/// The server's allocator, so that the harness measures what the server runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REGIONAL_PAGE: &str = "{ entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 100) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { number title status year organisation { name stakeholderType country { name } }
            countries { code name ituRegion { name } } actionLines { code name } sdgs { number title }
            prizes { year result category { code } } } } }";

const SEARCH: &str = r#"{ entries(filter: {search: "mobile health"}, first: 20) {
    totalCount nodes { number title organisation { name } countries { code } } } }"#;

/// A search in another of the six UN languages, as people type it (no accents, any case).
const SEARCH_IN: &str = r#"query($q: String!) { entries(filter: {search: $q}, first: 20) {
    totalCount nodes { number title organisation { name } countries { code } } } }"#;

const FACETS: &str = "{ entryStats(filter: {regions: [AFRICA]}) { total
    byActionLine { actionLine { code } count } bySdg { sdg { number } count } byRegion { region { code } count }
    byCountry(first: 10) { country { code } count } byStakeholderType { stakeholderType count }
    byStatus { status count } byYear { year count } matrix { category { code } sdg { number } count } } }";

const PAGE: &str = "query($after: String) { entries(first: 20, after: $after) {
    pageInfo { endCursor } nodes { number title organisation { name } countries { code } } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Entry { number title organisation { name } } } }";

struct Bench {
    db: DatabaseConnection,
    state: AppState,
    statements: Arc<Mutex<Vec<Statement>>>,
    recording: Arc<std::sync::atomic::AtomicBool>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

impl Bench {
    async fn run(&self, query: &str, vars: serde_json::Value) -> async_graphql::Response {
        let req = Request::new(query)
            .variables(async_graphql::Variables::from_json(vars))
            .data(loaders::new(self.db.clone()));
        let res = self.state.schema().execute(req).await;
        assert!(res.errors.is_empty(), "{:?}", res.errors);
        res
    }

    /// Times `iterations` runs of the query, then the same statements run directly.
    async fn measure(&self, name: &str, query: &str, vars: serde_json::Value, iterations: usize) -> String {
        for _ in 0..3 {
            self.run(query, vars.clone()).await;
        }
        self.statements.lock().expect("lock").clear();
        self.recording.store(true, std::sync::atomic::Ordering::SeqCst);
        self.run(query, vars.clone()).await;
        self.recording.store(false, std::sync::atomic::Ordering::SeqCst);
        let statements: Vec<Statement> = self.statements.lock().expect("lock").clone();

        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let start = Instant::now();
            self.run(query, vars.clone()).await;
            times.push(start.elapsed());
        }
        times.sort();
        let mut sql = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let start = Instant::now();
            for st in &statements {
                self.db.query_all_raw(st.clone()).await.expect("statement");
            }
            sql.push(start.elapsed());
        }
        sql.sort();
        let (p50, sql50) = (percentile(&times, 0.5), percentile(&sql, 0.5));
        format!(
            "| {name} | {} | {} | {} | {} | {:.2}× | {} |",
            ms(p50),
            ms(percentile(&times, 0.99)),
            ms(sql50),
            statements.len(),
            p50.as_secs_f64() / sql50.as_secs_f64().max(1e-9),
            iterations
        )
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let entries_wanted: u32 = std::env::var("BENCH_ENTRIES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(12_500);
        let url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://target/bench-{entries_wanted}.db?mode=rwc"));
        let iterations: usize = std::env::var("BENCH_ITERATIONS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(50);
        let mut db = db::connect(&url).await.expect("connect");
        db::migrate(&db).await.expect("migrate");
        let have = entity::entry::Entity::find().count(&db).await.expect("count");
        if have == 0 {
            let catalog = stocktaking::store::catalog::load(&db).await.expect("catalogue");
            eprintln!("seeding {entries_wanted} entries into {url}…");
            let r = demo::seed(&db, &catalog, entries_wanted, demo::DEFAULT_SEED, true)
                .await
                .expect("seed");
            eprintln!("seeded in {:.1} s", r.elapsed.as_secs_f64());
            if db.get_database_backend() == sea_orm::DbBackend::Postgres {
                db.execute_unprepared("ANALYZE").await.expect("analyze");
            }
        }
        let entries_count = entity::entry::Entity::find().count(&db).await.expect("count");
        let statements = Arc::new(Mutex::new(Vec::new()));
        let recording = Arc::new(std::sync::atomic::AtomicBool::new(false));
        {
            let (statements, recording) = (statements.clone(), recording.clone());
            db.set_metric_callback(move |info| {
                if recording.load(std::sync::atomic::Ordering::SeqCst) {
                    statements.lock().expect("lock").push(info.statement.clone());
                }
            });
        }
        let state = AppState::new(db.clone()).await.expect("state");
        let bench = Bench {
            db: db.clone(),
            state,
            statements,
            recording,
        };

        // Cursors for page 1 and page 500 (of 20): the keyset position of the 10,000th
        // published entry by number.
        let nth: Vec<(i64, i64)> = {
            use entity::entry;
            use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
            entry::Entity::find()
                .select_only()
                .column(entry::Column::Number)
                .column(entry::Column::Id)
                .filter(entry::Column::Moderation.eq(entity::enums::Moderation::Published))
                .order_by_asc(entry::Column::Number)
                .offset(9_979)
                .limit(1)
                .into_tuple()
                .all(&db)
                .await
                .expect("nth")
        };
        let page_500 = nth.first().map(|&(number, id)| {
            pagination::encode_cursor(
                SortKey::Number,
                false,
                &Seek {
                    value: SortValue::Int(number),
                    id,
                },
            )
        });
        let node_id = stocktaking::ids::encode(stocktaking::ids::Kind::Entry, nth.first().map_or(1_000_000, |n| n.0));

        println!(
            "\n{} entries on {} ({} iterations each)\n",
            entries_count,
            if url.starts_with("postgres") {
                "PostgreSQL"
            } else {
                "SQLite"
            },
            iterations
        );
        println!("| query | p50 ms | p99 ms | SQL p50 ms | statements | GraphQL ÷ SQL | runs |");
        println!("|---|---|---|---|---|---|---|");
        let cases: Vec<(&str, &str, serde_json::Value)> = vec![
            ("regional page (first: 100)", REGIONAL_PAGE, serde_json::json!({})),
            ("search \"mobile health\" (first: 20)", SEARCH, serde_json::json!({})),
            (
                "search \"telemedecine\" (French, folded)",
                SEARCH_IN,
                serde_json::json!({ "q": "telemedecine" }),
            ),
            (
                "search \"远程医疗\" (Chinese, pairs)",
                SEARCH_IN,
                serde_json::json!({ "q": "远程医疗" }),
            ),
            (
                "search \"التطبيب عن بعد\" (Arabic)",
                SEARCH_IN,
                serde_json::json!({ "q": "التطبيب عن بعد" }),
            ),
            ("facets (all, Africa)", FACETS, serde_json::json!({})),
            ("page 1 (first: 20)", PAGE, serde_json::json!({ "after": null })),
            (
                "page 500 by cursor (first: 20)",
                PAGE,
                serde_json::json!({ "after": page_500 }),
            ),
            ("node lookup", NODE, serde_json::json!({ "id": node_id })),
        ];
        // BENCH_SKIP: comma-separated words; queries whose name contains one are skipped.
        let skip: Vec<String> = std::env::var("BENCH_SKIP")
            .map(|s| s.split(',').filter(|w| !w.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        for (name, query, vars) in cases {
            if skip.iter().any(|w| name.contains(w.as_str())) {
                continue;
            }
            println!("{}", bench.measure(name, query, vars, iterations).await);
        }
    });
}
