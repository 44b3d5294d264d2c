//! Command line and environment configuration (clap derive; every flag also reads a variable).

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};

/// The default embedded database: a SQLite file in the working directory, created on demand.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://stocktaking.db?mode=rwc";

/// GraphQL API server for the WSIS Stocktaking database.
#[derive(Debug, Parser)]
#[command(name = "stocktaking", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,

    /// What `stocktaking` alone serves with: the `serve` flags and their variables (`BIND`,
    /// `NO_DEMO`, `LIMIT_*`, `RATE_LIMIT_*`, `CORS_ORIGINS`, `GRAPHIQL`, …).
    #[command(flatten)]
    pub serve: ServeArgs,

    /// Log format: `text` or `json`.
    #[arg(long, env = "LOG_FORMAT", default_value = "text", global = true, value_parser = ["text", "json"])]
    pub log_format: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` (the embedded default) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, load the demo dataset on first start, serve HTTP (the default).
    Serve(ServeArgs),
    /// Apply pending migrations (reference data included) and exit.
    Migrate,
    /// Write the deterministic demo dataset.
    Seed(SeedArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Stream entries to stdout as NDJSON or CSV (published ones unless --moderation says
    /// otherwise), in constant memory; or, with --full, the whole installation as a backup.
    Export(Box<ExportArgs>),
    /// Import entries from an export file (`.ndjson` or `.csv`): every row is checked first,
    /// and a file with a bad row changes nothing unless --skip-invalid is given. A full backup
    /// (`export --full`) is restored whole into an empty database.
    Import(ImportArgs),
    /// Create, list and revoke API keys.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key. The key is printed once, alone on the last line; only its hash is stored.
    Create(CreateKeyArgs),
    /// List every key (never the keys themselves).
    List,
    /// Revoke a key by its number (as `list` shows it).
    Revoke {
        /// The key's number.
        id: i64,
    },
}

#[derive(Debug, Clone, Args)]
pub struct CreateKeyArgs {
    /// `admin`, `partner` (with --organisation), `commission` (with --region) or `integration`
    /// (with --source).
    #[arg(long, value_parser = ["admin", "partner", "commission", "integration"])]
    pub role: String,
    /// A partner's organisation: its GraphQL id.
    #[arg(long)]
    pub organisation: Option<String>,
    /// A commission's region: an ITU-D region or UN regional commission code, such as `ECA`.
    #[arg(long)]
    pub region: Option<String>,
    /// An integration's source name, such as `ungis` (lower case letters, digits, `-`, `_`, `.`).
    #[arg(long)]
    pub source: Option<String>,
    /// A note on who holds the key.
    #[arg(long)]
    pub label: Option<String>,
    /// The key may run only registered operations (`OPERATIONS_FILE`): the allow-list mode.
    #[arg(long)]
    pub registered_only: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Do not load the demo dataset into an empty embedded database.
    #[arg(long, env = "NO_DEMO")]
    pub no_demo: bool,
    /// Serve the schema as an Apollo Federation v2 subgraph (`_service`, `_entities`).
    #[arg(long, env = "FEDERATION")]
    pub federation: bool,
    /// A read replica of the PostgreSQL primary: read-only operations go there, except a key's
    /// reads for `READ_YOUR_WRITES_SECS` after it wrote.
    #[arg(long, env = "DATABASE_READ_URL")]
    pub database_read_url: Option<String>,
    #[command(flatten)]
    pub limits: Limits,
    #[command(flatten)]
    pub rate: RateLimits,
    #[command(flatten)]
    pub http: HttpOptions,
}

/// Limits every request is held to (shared/API.md "Limits").
#[derive(Debug, Clone, Copy, Args)]
pub struct Limits {
    /// Deepest selection nesting a query may have.
    #[arg(long, env = "LIMIT_DEPTH", default_value_t = 12)]
    pub depth: usize,
    /// Complexity budget: a field costs 1, a connection its page size times its selection.
    #[arg(long, env = "LIMIT_COMPLEXITY", default_value_t = 10_000)]
    pub complexity: usize,
    /// Most aliased fields in one request.
    #[arg(long, env = "LIMIT_ALIASES", default_value_t = 30)]
    pub aliases: usize,
    /// Most directives (`@include`, `@skip`, …) in one request.
    #[arg(long, env = "LIMIT_DIRECTIVES", default_value_t = 50)]
    pub directives: usize,
    /// Deepest chain of fragments spreading fragments.
    #[arg(long, env = "LIMIT_FRAGMENT_DEPTH", default_value_t = 8)]
    pub fragment_depth: usize,
    /// Most fields a request may select once every fragment spread is replaced by its
    /// fragment (a fragment spread ten times costs ten times its fields).
    #[arg(long, env = "LIMIT_SELECTIONS", default_value_t = 2_000)]
    pub selections: usize,
    /// Most pooled connections one request holds at once (its facets, counts and pages run
    /// side by side up to this, the rest wait their turn).
    #[arg(long, env = "LIMIT_REQUEST_CONNECTIONS", default_value_t = 2)]
    pub request_connections: usize,
    /// Most operations in one batched request (a JSON array of requests).
    #[arg(long, env = "LIMIT_BATCH", default_value_t = 10)]
    pub batch: usize,
    /// Largest request body, in bytes (larger: 413).
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 1 << 20)]
    pub max_body_bytes: usize,
    /// Longest a request may run, in seconds (longer: `TIMEOUT`).
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 10)]
    pub request_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 12,
            complexity: 10_000,
            aliases: 30,
            directives: 50,
            fragment_depth: 8,
            selections: 2_000,
            request_connections: 2,
            batch: 10,
            max_body_bytes: 1 << 20,
            request_timeout_secs: 10,
        }
    }
}

/// Rate limits: query cost points per period, per API key and per anonymous client address.
/// `0` turns a limit off.
#[derive(Debug, Clone, Args)]
pub struct RateLimits {
    /// Points per period for each anonymous client address.
    #[arg(long, env = "RATE_LIMIT_ANONYMOUS", default_value_t = 20_000)]
    pub anonymous: u32,
    /// Points per period for each API key (every role, unless set below).
    #[arg(long, env = "RATE_LIMIT_KEY", default_value_t = 100_000)]
    pub key: u32,
    /// Points per period for each admin key (default: `RATE_LIMIT_KEY`).
    #[arg(long, env = "RATE_LIMIT_ADMIN")]
    pub admin: Option<u32>,
    /// Points per period for each partner key (default: `RATE_LIMIT_KEY`).
    #[arg(long, env = "RATE_LIMIT_PARTNER")]
    pub partner: Option<u32>,
    /// Points per period for each commission key (default: `RATE_LIMIT_KEY`).
    #[arg(long, env = "RATE_LIMIT_COMMISSION")]
    pub commission: Option<u32>,
    /// Points per period for each integration key (default: `RATE_LIMIT_KEY`).
    #[arg(long, env = "RATE_LIMIT_INTEGRATION")]
    pub integration: Option<u32>,
    /// The period, in seconds: a client's points refill evenly over it.
    #[arg(long, env = "RATE_LIMIT_PERIOD_SECS", default_value_t = 60)]
    pub period_secs: u64,
    /// The header a trusted reverse proxy sets to the client's address (such as
    /// `x-forwarded-for`; its last address is used). Unset: the connection's peer address.
    #[arg(long, env = "TRUSTED_PROXY_HEADER")]
    pub trusted_proxy_header: Option<String>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            anonymous: 20_000,
            key: 100_000,
            admin: None,
            partner: None,
            commission: None,
            integration: None,
            period_secs: 60,
            trusted_proxy_header: None,
        }
    }
}

/// How the HTTP surface presents itself.
#[derive(Debug, Clone, Args)]
pub struct HttpOptions {
    /// Origins browsers may call the API from: `*`, a comma-separated list, or empty for none.
    #[arg(long, env = "CORS_ORIGINS", default_value = "*")]
    pub cors_origins: String,
    /// Whether anonymous callers may use introspection and get field suggestions in errors.
    #[arg(long, env = "PUBLIC_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub public_introspection: bool,
    /// Whether `GET /` serves GraphiQL.
    #[arg(long, env = "GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set)]
    pub graphiql: bool,
    /// Registered operations (an Apollo persisted-query manifest, or a JSON object of id →
    /// query): callable by id, and the only ones an allow-listed key may run.
    #[arg(long, env = "OPERATIONS_FILE")]
    pub operations_file: Option<std::path::PathBuf>,
    /// How long, in seconds, a key's reads go to the primary after it wrote (with
    /// `DATABASE_READ_URL`).
    #[arg(long, env = "READ_YOUR_WRITES_SECS", default_value_t = 30)]
    pub read_your_writes_secs: u64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            cors_origins: "*".into(),
            public_introspection: true,
            graphiql: true,
            operations_file: None,
            read_your_writes_secs: 30,
        }
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            no_demo: false,
            federation: false,
            database_read_url: None,
            limits: Limits::default(),
            rate: RateLimits::default(),
            http: HttpOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Args)]
pub struct SeedArgs {
    /// Number of entries to generate.
    #[arg(long, env = "SEED_ENTRIES", default_value_t = crate::demo::DEFAULT_ENTRIES)]
    pub entries: u32,
    /// Random seed: the same entries and seed give the same data.
    #[arg(long, env = "SEED", default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// `stocktaking export`: the format, and the filter with the query-string form's names
/// (every flag may repeat, or list several values separated by commas).
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The full backup: every entry in every state with contacts, moderation notes and
    /// external references, the organisations, the change log and the API keys (as hashes), as
    /// NDJSON that `stocktaking import` restores into an empty database. Private data: keep
    /// the file as safe as the database.
    #[arg(long)]
    pub full: bool,
    /// `ndjson` (one JSON object per line) or `csv`.
    #[arg(long, default_value = "ndjson", value_parser = ["ndjson", "csv"])]
    pub format: String,
    #[arg(long)]
    pub action_line: Vec<String>,
    #[arg(long)]
    pub sdg: Vec<String>,
    #[arg(long)]
    pub region: Vec<String>,
    #[arg(long)]
    pub country: Vec<String>,
    #[arg(long)]
    pub stakeholder_type: Vec<String>,
    #[arg(long)]
    pub status: Vec<String>,
    #[arg(long)]
    pub coverage: Vec<String>,
    #[arg(long)]
    pub prize_result: Vec<String>,
    #[arg(long)]
    pub moderation: Vec<String>,
    /// An organisation's GraphQL id.
    #[arg(long)]
    pub organisation: Option<String>,
    #[arg(long)]
    pub year_from: Option<String>,
    #[arg(long)]
    pub year_to: Option<String>,
    #[arg(long)]
    pub repository: Option<String>,
    #[arg(long)]
    pub search: Option<String>,
    /// An RFC 3339 time, such as 2024-01-01T00:00:00Z.
    #[arg(long)]
    pub updated_since: Option<String>,
}

impl ExportArgs {
    /// The flags as query-string pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut many = |key: &str, values: &[String]| {
            for v in values {
                out.push((key.to_owned(), v.clone()));
            }
        };
        many("actionLine", &self.action_line);
        many("sdg", &self.sdg);
        many("region", &self.region);
        many("country", &self.country);
        many("stakeholderType", &self.stakeholder_type);
        many("status", &self.status);
        many("coverage", &self.coverage);
        many("prizeResult", &self.prize_result);
        many("moderation", &self.moderation);
        for (key, value) in [
            ("organisation", &self.organisation),
            ("yearFrom", &self.year_from),
            ("yearTo", &self.year_to),
            ("repository", &self.repository),
            ("search", &self.search),
            ("updatedSince", &self.updated_since),
        ] {
            if let Some(v) = value {
                out.push((key.to_owned(), v.clone()));
            }
        }
        out
    }
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file: `.ndjson` (the export's format) or `.csv`.
    pub file: std::path::PathBuf,
    /// Key rows by their external id in this source (`externalRefs`) instead of by number;
    /// new entries then get new numbers.
    #[arg(long)]
    pub source: Option<String>,
    /// Check and count, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and report the others.
    #[arg(long)]
    pub skip_invalid: bool,
}
