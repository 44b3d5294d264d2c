//! How the server runs: the request limits, rate limits and HTTP options, each a flag of
//! `serve` that also reads a variable (clap derive; the commands themselves are in
//! [`crate::cli::args`]).

use clap::Args;

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
