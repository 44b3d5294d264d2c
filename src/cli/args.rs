//! The command line: every command and flag (clap derive; every `serve` flag also reads a
//! variable).

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{HttpOptions, Limits, RateLimits};
use crate::ingest::export::Format;

/// The default embedded database: a SQLite file in the working directory, created on demand.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://stocktaking.db?mode=rwc";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line of text per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// An API key's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Role {
    Admin,
    Partner,
    Commission,
    Integration,
}

impl From<Role> for entity::enums::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => entity::enums::Role::Admin,
            Role::Partner => entity::enums::Role::Partner,
            Role::Commission => entity::enums::Role::Commission,
            Role::Integration => entity::enums::Role::Integration,
        }
    }
}

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

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

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
    #[arg(long, value_enum)]
    pub role: Role,
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
    #[arg(long, value_enum, default_value_t = Format::Ndjson)]
    pub format: Format,
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
