//! Building the schema (usable without HTTP: the CLI prints it, tests execute against it).

use std::sync::Arc;

use async_graphql::futures_util::stream::BoxStream;
use async_graphql::{Data, Executor, MergedObject, Request, Response, Schema};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::config::Limits;
use crate::domain::changes::ChangeSignal;
use crate::graphql::changes::{ChangesQuery, Subscription};
use crate::graphql::compact::CompactQuery;
use crate::graphql::entries::EntryQuery;
use crate::graphql::federation::FederationQuery;
use crate::graphql::mutation::Mutation;
use crate::graphql::node::NodeQuery;
use crate::graphql::organisation::OrganisationQuery;
use crate::graphql::reference::ReferenceQuery;
use crate::graphql::report::ReportQuery;
use crate::graphql::stats::StatsQuery;
use crate::graphql::viewer::ViewerQuery;

/// The query root: every domain's queries merged.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    EntryQuery,
    OrganisationQuery,
    StatsQuery,
    ReportQuery,
    ReferenceQuery,
    CompactQuery,
    ViewerQuery,
    ChangesQuery,
);

/// The query root of a federated subgraph: the same queries plus the entity resolvers.
#[derive(MergedObject, Default)]
pub struct FederatedQuery(Query, FederationQuery);

/// The schema, plain or as a federation subgraph. (async-graphql adds `_service` and
/// `_entities` to any schema with entity resolvers, so the plain one has none.)
#[derive(Clone)]
pub enum AppSchema {
    Plain(Schema<Query, Mutation, Subscription>),
    Federated(Schema<FederatedQuery, Mutation, Subscription>),
}

impl Executor for AppSchema {
    async fn execute(&self, request: Request) -> Response {
        match self {
            AppSchema::Plain(s) => s.execute(request).await,
            AppSchema::Federated(s) => s.execute(request).await,
        }
    }

    fn execute_stream(&self, request: Request, session_data: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        match self {
            AppSchema::Plain(s) => Executor::execute_stream(s, request, session_data),
            AppSchema::Federated(s) => Executor::execute_stream(s, request, session_data),
        }
    }
}

/// The schema over a database and the reference catalogue. Each request must also carry a
/// fresh [`crate::graphql::loaders::Loaders`] (the HTTP layer adds one).
/// With `federation`, the schema is an Apollo Federation v2 subgraph (`_service`, `_entities`).
pub fn build(
    db: DatabaseConnection,
    catalog: Arc<Catalog>,
    signal: ChangeSignal,
    federation: bool,
    limits: &Limits,
) -> AppSchema {
    if federation {
        AppSchema::Federated(
            Schema::build(FederatedQuery::default(), Mutation, Subscription)
                .data(db)
                .data(signal)
                .data(catalog)
                .enable_federation()
                // Depth and complexity are ours (introspection left out): the rate limiter
                // charges the complexity the document limits leave.
                .extension(crate::ratelimit::Metering)
                .extension(crate::graphql::document::DocumentLimits(*limits))
                .finish(),
        )
    } else {
        AppSchema::Plain(
            Schema::build(Query::default(), Mutation, Subscription)
                .data(db)
                .data(signal)
                .data(catalog)
                // Depth and complexity are ours (introspection left out): the rate limiter
                // charges the complexity the document limits leave.
                .extension(crate::ratelimit::Metering)
                .extension(crate::graphql::document::DocumentLimits(*limits))
                .finish(),
        )
    }
}

/// The SDL, for `stocktaking schema` and the snapshot test.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation, Subscription).finish().sdl()
}
