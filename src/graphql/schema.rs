//! Building the schema (usable without HTTP: the CLI prints it, tests execute against it).

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::graphql::entries::EntryQuery;
use crate::graphql::mutation::Mutation;
use crate::graphql::node::NodeQuery;
use crate::graphql::reference::ReferenceQuery;
use crate::graphql::stats::StatsQuery;
use crate::graphql::viewer::ViewerQuery;

/// The query root: every domain's queries merged.
#[derive(MergedObject, Default)]
pub struct Query(NodeQuery, EntryQuery, StatsQuery, ReferenceQuery, ViewerQuery);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema over a database and the reference catalogue. Each request must also carry a
/// fresh [`crate::graphql::loaders::Loaders`] (the HTTP layer adds one).
pub fn build(db: DatabaseConnection, catalog: Arc<Catalog>) -> AppSchema {
    Schema::build(Query::default(), Mutation, EmptySubscription)
        .data(db)
        .data(catalog)
        .finish()
}

/// The SDL, for `stocktaking schema` and the snapshot test.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation, EmptySubscription)
        .finish()
        .sdl()
}
