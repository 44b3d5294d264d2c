//! The integration suite: every test drives the real router over its own database.

mod changes;
mod demo;
mod export;
mod federation;
mod filters;
mod helpers;
mod http;
mod import;
mod limits;
mod pagination;
mod reference;
mod schema;
mod search;
mod statements;
mod visibility;
mod writes;
