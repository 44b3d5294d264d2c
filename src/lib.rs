//! stocktaking: the GraphQL API server for the WSIS Stocktaking database.
//!
//! The binary (`src/main.rs`) only parses the command line and calls [`run`]; the tests build
//! the same router over their own databases. The layers, and where to add things, are in
//! docs/ARCHITECTURE.md.

pub mod app;
pub mod caller;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod fold;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod ingest;
pub mod operations;
pub mod ratelimit;
pub mod report;
pub mod store;
pub mod telemetry;

pub use cli::run;
pub use cli::serve::serve_until;
