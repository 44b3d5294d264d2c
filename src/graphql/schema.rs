//! Building the schema (usable without HTTP: the CLI prints it, tests execute against it).

use std::sync::Arc;

use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::graphql::changes::{ChangeSignal, ChangesQuery, Subscription};
use crate::graphql::entries::EntryQuery;
use crate::graphql::mutation::Mutation;
use crate::graphql::node::NodeQuery;
use crate::graphql::reference::ReferenceQuery;
use crate::graphql::stats::StatsQuery;
use crate::graphql::viewer::ViewerQuery;

/// The query root: every domain's queries merged.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    EntryQuery,
    StatsQuery,
    ReferenceQuery,
    ViewerQuery,
    ChangesQuery,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema over a database and the reference catalogue. Each request must also carry a
/// fresh [`crate::graphql::loaders::Loaders`] (the HTTP layer adds one).
pub fn build(db: DatabaseConnection, catalog: Arc<Catalog>, signal: ChangeSignal) -> AppSchema {
    Schema::build(Query::default(), Mutation, Subscription)
        .data(db)
        .data(signal)
        .data(catalog)
        .finish()
}

/// The SDL, for `stocktaking schema` and the snapshot test.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation, Subscription).finish().sdl()
}
