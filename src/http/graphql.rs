//! `GET|POST /graphql`: executes a request with fresh per-request DataLoaders.

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;

use crate::app::AppState;
use crate::graphql::{entries, loaders};

pub async fn handle(State(state): State<AppState>, req: GraphQLRequest) -> GraphQLResponse {
    let req = req
        .into_inner()
        .data(loaders::new(state.db().clone(), entries::anonymous()));
    state.schema().execute(req).await.into()
}
