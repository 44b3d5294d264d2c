//! The integration suite: every test drives the real router over its own database.

mod backup;
mod browser;
mod changes;
mod demo;
mod docs;
mod export;
mod faults;
mod federation;
mod filters;
mod helpers;
mod http;
mod import;
mod introspection;
mod limits;
mod operations;
mod organisations;
mod pagination;
mod protocol;
mod ratelimit;
mod reference;
mod schema;
mod search;
mod statements;
mod summary;
mod visibility;
mod writes;
