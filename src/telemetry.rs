//! Prometheus metrics (`GET /metrics`) and the per-request SQL time.
//!
//! Metrics: `stocktaking_requests_total{operation,status}`,
//! `stocktaking_request_duration_seconds{operation}` (histogram),
//! `stocktaking_errors_total{code}`, `stocktaking_rate_limited_total{class}`,
//! `stocktaking_request_sql_seconds{operation}` (histogram), `stocktaking_db_connections{pool,state}`.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DbBackend};

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder (once); `None` if another recorder was installed first.
pub fn recorder() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[
                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ],
                )
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// Distinct operation names kept as labels; past this, names are counted as `other` (clients
/// choose names, and a label per name must not grow without bound).
const MAX_OPERATION_LABELS: usize = 200;

/// Bounds the operation label's values.
#[derive(Default)]
pub struct OperationLabels(Mutex<HashSet<String>>);

impl OperationLabels {
    /// The label for an operation name: the name itself while there is room, else `other`.
    pub fn label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| n.len() <= 64) else {
            return if name.is_some() { "other" } else { "anonymous" }.to_owned();
        };
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(name) {
            return name.to_owned();
        }
        if seen.len() < MAX_OPERATION_LABELS {
            seen.insert(name.to_owned());
            return name.to_owned();
        }
        "other".to_owned()
    }
}

/// One request's finished measure.
pub fn record_request(operation: &str, status: u16, elapsed: Duration, sql: Duration, codes: &[&str]) {
    let op = operation.to_owned();
    metrics::counter!("stocktaking_requests_total", "operation" => op.clone(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("stocktaking_request_duration_seconds", "operation" => op.clone())
        .record(elapsed.as_secs_f64());
    metrics::histogram!("stocktaking_request_sql_seconds", "operation" => op).record(sql.as_secs_f64());
    for code in codes {
        metrics::counter!("stocktaking_errors_total", "code" => (*code).to_owned()).increment(1);
        if *code == "RATE_LIMITED" {
            metrics::counter!("stocktaking_rate_limited_total").increment(1);
        }
    }
}

/// Sets the connection-pool gauges of a database handle.
pub fn record_pool(name: &'static str, db: &DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return,
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
    metrics::gauge!("stocktaking_db_connections", "pool" => name, "state" => "idle").set(f64::from(idle));
    metrics::gauge!("stocktaking_db_connections", "pool" => name, "state" => "in_use").set(f64::from(size - idle));
}

/// SQL time and statements of the request that runs in a [`SqlTime::scope`].
#[derive(Default, Debug)]
pub struct SqlTime {
    nanos: AtomicU64,
    statements: AtomicU64,
}

tokio::task_local! {
    static SQL_TIME: Arc<SqlTime>;
}

impl SqlTime {
    /// Runs `fut` with SQL time counted into `this`.
    pub async fn scope<F: Future>(this: Arc<SqlTime>, fut: F) -> F::Output {
        SQL_TIME.scope(this, fut).await
    }

    /// The current request's counter, to carry into tasks it spawns.
    pub fn current() -> Option<Arc<SqlTime>> {
        SQL_TIME.try_with(Arc::clone).ok()
    }

    /// Adds one statement's time to the current request (the connection's metric callback).
    pub fn add(elapsed: Duration) {
        let _ = SQL_TIME.try_with(|t| {
            t.nanos
                .fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
            t.statements.fetch_add(1, Ordering::Relaxed);
        });
    }

    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}

/// Spawns a task that keeps counting into the spawning request's SQL time (DataLoader batches
/// run in tasks of their own).
pub fn spawn_counted<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match SqlTime::current() {
        Some(t) => tokio::spawn(SQL_TIME.scope(t, fut)),
        None => tokio::spawn(fut),
    }
}
